/**
 * The outreach scheduler's tick: one index query finds what is due — campaigns whose next
 * occurrence has come (SMS) or whose assignee must be reminded (lectures, screenings), and
 * deferred batches whose quiet hours are over — and starts it. A run is created with a
 * conditional write keyed by its occurrence, so a tick that fires twice (or two at once) creates
 * it once; every later step is safe to repeat, and the campaign is advanced last, so a tick
 * that dies half-way is finished by the next one.
 */
import {
  type Campaign,
  type CampaignRun,
  emptyCounts,
  isSendingChannel,
  runIdOf,
  runKeyOf,
} from '../domain/outreach/campaign.ts';
import { advanceCampaign, completeIfDone } from '../domain/outreach/campaign-lifecycle.ts';
import { renderTaskReminder } from '../domain/outreach/task-reminder.ts';
import { outreachTaskKey } from '../domain/staff-notification.ts';
import type { DirectoryReader } from '../ports/directory.ts';
import type { CampaignStore, DueItem, OutreachQueue, PlanQueue } from '../ports/outreach.ts';
import type { SmsSender } from '../ports/sms-sender.ts';
import type { NotificationLog } from '../ports/sms-state.ts';
import type { StaffNotificationQueue } from '../ports/staff-notifications.ts';

export interface StartDueRunsDeps {
  campaigns: CampaignStore;
  planQueue: PlanQueue;
  outreachQueue: OutreachQueue;
  directory: DirectoryReader;
  sender: SmsSender;
  notifications: NotificationLog;
  /**
   * The staff notifier's queue: a lecture's or screening's communities' grid workers are told
   * the day before in WeChat Work too (issue 16 item 4). The tick function always has it.
   */
  staffNotifications?: StaffNotificationQueue;
  newToken: () => string;
  now: () => Date;
}

export interface TickReport {
  runsStarted: string[];
  remindersSent: number;
  batchesResumed: number;
  failed: { item: string; error: unknown }[];
}

/** Due items handled per tick; the next tick (a minute later) takes the rest. */
const DUE_PER_TICK = 100;

function newRun(campaign: Campaign, occurrence: Date, now: Date): CampaignRun {
  const sms = isSendingChannel(campaign.channel);
  return {
    campaignId: campaign.campaignId,
    runId: runIdOf(occurrence),
    occurrenceAt: occurrence.toISOString(),
    campaignVersion: campaign.version,
    title: campaign.title,
    communityIds: campaign.communityIds,
    channel: campaign.channel,
    status: sms ? 'planning' : 'awaiting_attendance',
    createdAt: now.toISOString(),
    counts: emptyCounts(),
    ...(sms ? { planning: { communityIndex: 0, page: 0 } } : {}),
  };
}

async function remind(run: CampaignRun, deps: StartDueRunsDeps): Promise<boolean> {
  if (isSendingChannel(run.channel) || run.reminder) return false;
  const key = `reminder#${runKeyOf(run.campaignId, run.runId)}`;
  if (!(await deps.notifications.alreadySent(key))) {
    const org = await deps.directory.load();
    const names = run.communityIds.map((id) => org.communities.find((c) => c.id === id)?.zh ?? id);
    const sent = await deps.sender.send({
      to: run.channel.assignee.phone,
      body: renderTaskReminder(run, names),
      purpose: 'notification',
      correlationId: key,
    });
    await deps.notifications.recordSent(key, deps.now().toISOString(), sent);
  }
  // Queued before the run records its reminder, so a tick that dies in between queues it again,
  // which the notifier's key absorbs; recipients are read when it is sent.
  await deps.staffNotifications?.enqueue({
    kind: 'staff.notify',
    about: 'outreach_task',
    key: outreachTaskKey(run.campaignId, run.runId),
    campaignId: run.campaignId,
    task: run.channel.kind,
    occurrenceAt: run.occurrenceAt,
    venue: run.channel.venue,
    communityIds: run.communityIds,
  });
  await deps.campaigns.setRunStatus(
    run.campaignId,
    run.runId,
    ['awaiting_attendance'],
    'awaiting_attendance',
    {
      reminder: { sentAt: deps.now().toISOString(), to: 'assignee' },
    },
  );
  return true;
}

async function startCampaignRun(campaignId: string, deps: StartDueRunsDeps, report: TickReport) {
  const now = deps.now();
  const campaign = await deps.campaigns.get(campaignId);
  if (!campaign?.nextRunAt || !campaign.nextDueAt || Date.parse(campaign.nextDueAt) > now.getTime()) return;
  if (campaign.status !== 'scheduled' && campaign.status !== 'running') return;
  const occurrence = new Date(campaign.nextRunAt);

  const fresh = newRun(campaign, occurrence, now);
  const created = await deps.campaigns.createRun(fresh);
  const run = created ? fresh : ((await deps.campaigns.getRun(campaignId, fresh.runId)) ?? fresh);
  if (created) report.runsStarted.push(runKeyOf(campaignId, run.runId));

  if (run.status === 'planning') {
    // Also when the run existed (a tick that died before advancing the campaign): a planner
    // already at work holds the run's lease, and this request steps aside.
    await deps.planQueue.requestPlanning({
      kind: 'outreach.plan',
      campaignId,
      runId: run.runId,
      token: deps.newToken(),
    });
  } else if (await remind(run, deps)) {
    report.remindersSent += 1;
  }

  const advanced = advanceCampaign(campaign, occurrence, now);
  if (!(await deps.campaigns.replace(advanced, campaign.version))) return;
  // The last occurrence's run may already be over (an empty SMS run): then the campaign is too.
  const done = completeIfDone(advanced, await deps.campaigns.listRuns(campaignId), now);
  if (done) await deps.campaigns.replace(done, advanced.version);
}

async function resumeDeferred(item: Extract<DueItem, { kind: 'deferred' }>, deps: StartDueRunsDeps) {
  // Queued first, forgotten second: a crash in between queues it twice, which the sender's
  // delivery log absorbs; the other order could lose it.
  await deps.outreachQueue.enqueue([item.batch]);
  await deps.campaigns.releaseDeferred(item.batch);
}

export async function startDueRuns(deps: StartDueRunsDeps): Promise<TickReport> {
  const report: TickReport = { runsStarted: [], remindersSent: 0, batchesResumed: 0, failed: [] };
  for (const item of await deps.campaigns.due(deps.now(), DUE_PER_TICK)) {
    try {
      if (item.kind === 'campaign') {
        await startCampaignRun(item.campaignId, deps, report);
      } else {
        await resumeDeferred(item, deps);
        report.batchesResumed += 1;
      }
    } catch (error) {
      // One broken campaign must not hold up the others; it stays due and is tried next tick.
      report.failed.push({
        item: item.kind === 'campaign' ? item.campaignId : `${item.batch.campaignId}/${item.batch.batchId}`,
        error,
      });
    }
  }
  return report;
}
