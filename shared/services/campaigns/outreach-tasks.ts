/**
 * The outreach tasks: the lectures and screenings a community's grid worker takes part in (for
 * planners, every community's), and the attendance recorded after one is held.
 */
import { EntityId } from '../../domain/organisation.ts';
import {
  type Assignee,
  type Campaign,
  type CampaignRun,
  type CampaignStatus,
  isSendingChannel,
  type RunStatus,
  type TaskChannel,
} from '../../domain/outreach/campaign.ts';
import {
  mayPlanCampaigns,
  mayRecordAttendance,
  taskCommunityOf,
} from '../../domain/outreach/campaign-lifecycle.ts';
import { occurrencesBetween } from '../../domain/outreach/recurrence.ts';
import type { Staff } from '../../domain/staff.ts';
import { ForbiddenError, NotFoundError, TransitionNotAllowedError, ValidationError } from '../../errors.ts';
import * as z from '../../schema.ts';
import { parseOrThrow } from '../../validation.ts';
import { finishCampaignIfDone } from '../finish-campaign.ts';
import { type CampaignView, getCampaign } from './plan-campaigns.ts';
import {
  type CampaignApiDeps,
  listAllCampaigns,
  loadCampaign,
  requireTaskViewer,
} from './planner-context.ts';

/** How far ahead the outreach tasks list a lecture's or screening's occurrences. */
export const TASK_HORIZON_DAYS = 60;
const taskHorizon = (now: Date): Date => new Date(now.getTime() + TASK_HORIZON_DAYS * 86_400_000);
/** Runs are read this many campaigns at a time, so a county-wide answer does not flood the table. */
const RUN_READS_AT_ONCE = 8;

export interface TaskRunView {
  runId: string;
  occurrenceAt: string;
  status: RunStatus;
  /** Of the run's communities, those in view (a grid worker's own). */
  communityIds: string[];
  /** Attendance recorded so far, of the communities in view. */
  attendance: Record<string, number>;
  /** The communities in view whose attendance the run still waits for. */
  awaitingAttendance: string[];
}

/** A lecture or screening as the people who hold it see it: no assignee phone, no plan internals. */
export interface OutreachTask {
  campaignId: string;
  title: string;
  kind: 'lecture' | 'video';
  status: CampaignStatus;
  /** Of the campaign's communities, those in view. */
  communityIds: string[];
  venue: string;
  durationMinutes: number;
  assignee: Pick<Assignee, 'role' | 'name'>;
  /** Its occurrences in the next TASK_HORIZON_DAYS days. */
  upcoming: string[];
  /** The runs that included a community in view, oldest first. */
  runs: TaskRunView[];
}

export interface OutreachTasks {
  /** The community the answer is limited to: a grid worker's own, or the one asked for. */
  communityId?: string;
  /** The window of `upcoming` (UTC). */
  from: string;
  to: string;
  tasks: OutreachTask[];
}

export const TasksQuery = z.object({ communityId: z.optional(EntityId) });

type TaskCampaign = Campaign & { channel: TaskChannel };

/** A lecture or screening, not a draft nor cancelled, that covers the community in view (if one is). */
const isTaskIn = (campaign: Campaign, scope: string | undefined): campaign is TaskCampaign =>
  !isSendingChannel(campaign.channel) &&
  campaign.status !== 'draft' &&
  campaign.status !== 'cancelled' &&
  (scope === undefined || campaign.communityIds.includes(scope));

/** A campaign as a task for the communities in view (all when `scope` is undefined). */
function taskOf(
  campaign: Campaign,
  channel: TaskChannel,
  runs: CampaignRun[],
  scope: string | undefined,
  now: Date,
): OutreachTask {
  const inView = (ids: string[]) => ids.filter((id) => scope === undefined || id === scope);
  const pending = campaign.status === 'scheduled' || campaign.status === 'running';
  return {
    campaignId: campaign.campaignId,
    title: campaign.title,
    kind: channel.kind,
    status: campaign.status,
    communityIds: inView(campaign.communityIds),
    venue: channel.venue,
    durationMinutes: channel.durationMinutes,
    assignee: { role: channel.assignee.role, name: channel.assignee.name },
    upcoming: pending
      ? occurrencesBetween(campaign.firstRunAt, campaign.recurrence, now, taskHorizon(now), 100).map((d) =>
          d.toISOString(),
        )
      : [],
    runs: runs
      .flatMap((run): TaskRunView[] => {
        const ids = inView(run.communityIds);
        if (ids.length === 0) return [];
        const attendance: Record<string, number> = {};
        for (const id of ids) {
          const count = run.attendance?.[id];
          if (count !== undefined) attendance[id] = count;
        }
        const awaitingAttendance =
          run.status === 'awaiting_attendance' ? ids.filter((id) => attendance[id] === undefined) : [];
        const { runId, occurrenceAt, status } = run;
        return [{ runId, occurrenceAt, status, communityIds: ids, attendance, awaitingAttendance }];
      })
      .sort((a, b) => a.occurrenceAt.localeCompare(b.occurrenceAt)),
  };
}

/** Tasks waiting for attendance first, then by their next occurrence, then by title. */
function taskOrder(a: OutreachTask, b: OutreachTask): number {
  const waits = (t: OutreachTask) => (t.runs.some((r) => r.awaitingAttendance.length > 0) ? 0 : 1);
  const next = (t: OutreachTask) => t.upcoming[0] ?? '~';
  return (
    waits(a) - waits(b) ||
    (next(a) < next(b) ? -1 : next(a) > next(b) ? 1 : 0) ||
    a.title.localeCompare(b.title)
  );
}

/**
 * The lectures and screenings (scheduled, running or completed) in a grid worker's community, or
 * for planners in every community or the one asked for: what, where, who holds it, when it comes
 * in the next TASK_HORIZON_DAYS days, and the runs held with their attendance there.
 */
export async function listOutreachTasks(
  staff: Staff,
  rawQuery: unknown,
  deps: CampaignApiDeps,
): Promise<OutreachTasks> {
  requireTaskViewer(staff);
  const query = parseOrThrow(TasksQuery, rawQuery ?? {}, 'The query');
  const own = taskCommunityOf(staff);
  if (own !== undefined && query.communityId !== undefined && query.communityId !== own)
    throw new ForbiddenError('A grid worker sees the outreach tasks of their own community only.');
  const scope = own ?? query.communityId;
  if (own === undefined && scope !== undefined) {
    const org = await deps.directory.load();
    if (!org.communities.some((c) => c.id === scope))
      throw new ValidationError('No such community', [
        { path: 'communityId', message: `no community ${scope}` },
      ]);
  }
  const now = deps.now();
  // Only the runs of campaigns that are tasks in view are read: one query per campaign.
  const campaigns = (await listAllCampaigns(deps)).filter((c) => isTaskIn(c, scope));
  const tasks: OutreachTask[] = [];
  for (let i = 0; i < campaigns.length; i += RUN_READS_AT_ONCE) {
    const read = campaigns
      .slice(i, i + RUN_READS_AT_ONCE)
      .map(async (c) => taskOf(c, c.channel, await deps.campaigns.listRuns(c.campaignId), scope, now));
    tasks.push(...(await Promise.all(read)));
  }
  return {
    ...(scope !== undefined ? { communityId: scope } : {}),
    from: now.toISOString(),
    to: taskHorizon(now).toISOString(),
    tasks: tasks.sort(taskOrder),
  };
}

export const AttendanceBody = z.object({
  counts: z
    .record(EntityId, z.int().check(z.minimum(0), z.maximum(100_000)))
    .check(z.refine((c) => Object.keys(c).length > 0, 'give the attendance of at least one community')),
});

/**
 * Records attendance after a lecture or screening. Planners may give any of the run's
 * communities and get the campaign back; a grid worker only their own community, on a run that
 * covers it, and gets their task back (the campaign view, with the assignee's phone, is not theirs).
 */
export async function recordAttendance(
  staff: Staff,
  campaignId: string,
  runId: string,
  body: unknown,
  deps: CampaignApiDeps,
): Promise<CampaignView | OutreachTask> {
  requireTaskViewer(staff);
  const { counts } = parseOrThrow(AttendanceBody, body, 'The attendance');
  const communityIds = Object.keys(counts);
  if (!mayRecordAttendance(staff, communityIds))
    throw new ForbiddenError('A grid worker records the attendance of their own community only.');
  const run = await deps.campaigns.getRun(campaignId, runId);
  if (!run) throw new NotFoundError(`No run ${runId} of campaign ${campaignId}`);
  const scope = taskCommunityOf(staff);
  if (scope !== undefined && !run.communityIds.includes(scope))
    throw new ForbiddenError('This lecture or screening was not held in your community.');
  if (isSendingChannel(run.channel))
    throw new ValidationError('Sending runs have no attendance', [
      { path: 'runId', message: 'not a lecture or screening' },
    ]);
  const outside = communityIds.filter((id) => !run.communityIds.includes(id));
  if (outside.length)
    throw new ValidationError(
      'Attendance names communities the run did not cover',
      outside.map((id) => ({ path: `counts.${id}`, message: 'not one of this run’s communities' })),
    );
  if (Date.parse(run.occurrenceAt) > deps.now().getTime())
    throw new ValidationError('The event has not taken place yet', [
      { path: 'runId', message: `it starts at ${run.occurrenceAt}` },
    ]);
  if (run.status !== 'awaiting_attendance' && run.status !== 'completed')
    throw new TransitionNotAllowedError(`A ${run.status} run takes no attendance`, 0, []);
  const attendance = { ...run.attendance, ...counts };
  const complete = run.communityIds.every((id) => attendance[id] !== undefined);
  await deps.campaigns.setRunStatus(
    campaignId,
    runId,
    ['awaiting_attendance', 'completed'],
    complete ? 'completed' : 'awaiting_attendance',
    { attendance, ...(complete ? { completedAt: deps.now().toISOString() } : {}) },
  );
  if (complete) await finishCampaignIfDone(campaignId, deps);
  if (mayPlanCampaigns(staff)) return getCampaign(staff, campaignId, deps);
  const [campaign, runs] = await Promise.all([
    loadCampaign(campaignId, deps),
    deps.campaigns.listRuns(campaignId),
  ]);
  // What was held is the run's; the campaign may have been edited since.
  const channel = isSendingChannel(campaign.channel) ? run.channel : campaign.channel;
  return taskOf(campaign, channel, runs, scope, deps.now());
}
