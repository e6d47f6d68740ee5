/**
 * The campaign planner's use cases, behind the staff API and the CLI: create, edit, schedule and
 * cancel campaigns (outreach staff and the county supervisor only), preview what an SMS campaign
 * will cost before it is scheduled, the calendar, attendance after a lecture or screening, the
 * fraud-risk ranking that says where a campaign is due, and a completed campaign's effect. Also
 * the outreach tasks: the lectures and screenings a community's grid worker takes part in, whose
 * attendance there they record.
 */
import * as z from 'zod';
import { EntityId, type Organisation } from '../domain/organisation.ts';
import {
  type Assignee,
  type Campaign,
  type CampaignChannel,
  CampaignPlan,
  type CampaignRun,
  type CampaignStatus,
  type RunStatus,
} from '../domain/outreach/campaign.ts';
import { type CampaignEffect, campaignEffect, effectWindow } from '../domain/outreach/campaign-effect.ts';
import {
  allowedCampaignActions,
  applyCampaignAction,
  CampaignAction,
  type CampaignActionName,
  checkPlan,
  editCampaign,
  mayPlanCampaigns,
  mayRecordAttendance,
  mayViewCampaigns,
  mayViewOutreachTasks,
  newCampaign,
  SEND_NOW_GRACE_MS,
  taskCommunityOf,
} from '../domain/outreach/campaign-lifecycle.ts';
import { type RiskRow, rankCommunities, WINDOW_DAYS } from '../domain/outreach/fraud-risk.ts';
import { type OutreachSmsPreview, outreachSmsPreview } from '../domain/outreach/outreach-message.ts';
import type { QuietHours } from '../domain/outreach/quiet-hours.ts';
import { occurrencesBetween, toRRuleText } from '../domain/outreach/recurrence.ts';
import { addDays, fromShanghaiLocal, shanghaiDay } from '../domain/outreach/shanghai-time.ts';
import type { Staff } from '../domain/staff.ts';
import { LocalDate } from '../domain/working-calendar.ts';
import {
  ForbiddenError,
  NotFoundError,
  TransitionNotAllowedError,
  ValidationError,
  VersionConflictError,
} from '../errors.ts';
import type { DirectoryReader } from '../ports/directory.ts';
import type { FraudReportReader } from '../ports/fraud-reports.ts';
import type { CampaignStore } from '../ports/outreach.ts';
import { parseOrThrow } from '../validation.ts';
import { finishCampaignIfDone } from './finish-campaign.ts';

export interface CampaignApiDeps {
  campaigns: CampaignStore;
  directory: DirectoryReader;
  fraudReports: FraudReportReader;
  quietHours: QuietHours;
  newId: () => string;
  now: () => Date;
}

export interface CampaignView {
  campaign: Campaign;
  allowedActions: CampaignActionName[];
  rrule: string;
  /** The next occurrences that have not started (up to 10). */
  upcoming: string[];
  runs: CampaignRun[];
  preview?: OutreachSmsPreview;
  households: number;
  effect?: CampaignEffect;
}

const UPCOMING = 10;
const LISTED_CAMPAIGNS = 100;

function requirePlanner(staff: Staff): void {
  if (!mayPlanCampaigns(staff))
    throw new ForbiddenError('Only outreach staff and the county supervisor may plan or cancel campaigns.');
}
function requireViewer(staff: Staff): void {
  if (!mayViewCampaigns(staff)) throw new ForbiddenError('The campaign planner is for outreach staff.');
}

function checkCommunities(plan: CampaignPlan, org: Organisation): void {
  const known = new Set(org.communities.map((c) => c.id));
  const issues = plan.communityIds.flatMap((id, i) =>
    known.has(id) ? [] : [{ path: `communityIds.${i}`, message: `no community ${id}` }],
  );
  if (issues.length) throw new ValidationError('Some communities do not exist', issues);
}

const householdsOf = (communityIds: string[], org: Organisation): number =>
  communityIds.reduce((sum, id) => sum + (org.communities.find((c) => c.id === id)?.households ?? 0), 0);

function upcomingOf(
  campaign: Pick<Campaign, 'firstRunAt' | 'recurrence'>,
  from: Date,
  limit = UPCOMING,
): string[] {
  const horizon = new Date(from.getTime() + 3 * 366 * 86_400_000);
  return occurrencesBetween(campaign.firstRunAt, campaign.recurrence, from, horizon, limit).map((d) =>
    d.toISOString(),
  );
}

async function loadCampaign(campaignId: string, deps: CampaignApiDeps): Promise<Campaign> {
  const campaign = await deps.campaigns.get(campaignId);
  if (!campaign) throw new NotFoundError(`No campaign ${campaignId}`);
  return campaign;
}

async function writeOrConflict(next: Campaign, current: Campaign, deps: CampaignApiDeps): Promise<void> {
  if (!(await deps.campaigns.replace(next, current.version))) {
    const latest = await deps.campaigns.get(current.campaignId);
    throw new VersionConflictError(
      'Someone else changed this campaign first; reload it and try again',
      latest?.version ?? current.version,
      latest ? allowedCampaignActions(latest.status) : [],
    );
  }
}

function checkVersion(campaign: Campaign, expectedVersion: number): void {
  if (campaign.version !== expectedVersion) {
    throw new VersionConflictError(
      `The campaign is at version ${campaign.version}, not ${expectedVersion}; reload it`,
      campaign.version,
      allowedCampaignActions(campaign.status),
    );
  }
}

// ─── effect ──────────────────────────────────────────────────────────────────────────────────

async function effectOf(
  campaign: Campaign,
  runs: CampaignRun[],
  org: Organisation,
  deps: CampaignApiDeps,
): Promise<CampaignEffect | undefined> {
  const held = runs
    .filter((r) => r.status === 'completed')
    .map((r) => r.occurrenceAt)
    .sort();
  const first = held[0];
  const last = held[held.length - 1];
  if (campaign.status !== 'completed' || !first || !last) return undefined;
  const firstRunDay = shanghaiDay(first);
  const lastRunDay = shanghaiDay(last);
  const window = effectWindow(firstRunDay, lastRunDay);
  const today = shanghaiDay(deps.now());
  const [until = today] = [window.to, today].sort();
  const counts = await deps.fraudReports.dailyCounts(window.from, until);
  // Comparison communities must not have had a campaign of their own in the same period.
  const others = await listAll(deps);
  const windowStart = fromShanghaiLocal(`${window.from}T00:00`).getTime();
  const windowEnd = fromShanghaiLocal(`${addDays(window.to, 1)}T00:00`).getTime();
  const otherCampaignCommunities = others
    .filter((c) => c.campaignId !== campaign.campaignId && c.lastRunAt)
    .filter((c) => {
      const start = fromShanghaiLocal(c.firstRunAt).getTime();
      const end = Date.parse(c.lastRunAt ?? c.firstRunAt);
      return start < windowEnd && end >= windowStart;
    })
    .flatMap((c) => c.communityIds);
  return campaignEffect({
    communityIds: campaign.communityIds,
    firstRunDay,
    lastRunDay,
    today,
    communities: org.communities.map((c) => ({ id: c.id, households: c.households })),
    counts,
    otherCampaignCommunities,
  });
}

async function listAll(deps: CampaignApiDeps): Promise<Campaign[]> {
  const all: Campaign[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.campaigns.list(LISTED_CAMPAIGNS, cursor);
    all.push(...page.campaigns);
    cursor = page.cursor;
  } while (cursor && all.length < 2000);
  return all;
}

// ─── use cases ───────────────────────────────────────────────────────────────────────────────

export async function getCampaign(
  staff: Staff,
  campaignId: string,
  deps: CampaignApiDeps,
): Promise<CampaignView> {
  requireViewer(staff);
  const campaign = await loadCampaign(campaignId, deps);
  const [runs, org] = await Promise.all([deps.campaigns.listRuns(campaignId), deps.directory.load()]);
  const households = householdsOf(campaign.communityIds, org);
  const pending = campaign.status === 'scheduled' || campaign.status === 'running';
  const effect = await effectOf(campaign, runs, org, deps);
  return {
    campaign,
    allowedActions: mayPlanCampaigns(staff) ? allowedCampaignActions(campaign.status) : [],
    rrule: toRRuleText(campaign.firstRunAt, campaign.recurrence),
    upcoming: pending && campaign.nextRunAt ? upcomingOf(campaign, new Date(campaign.nextRunAt)) : [],
    runs: runs.sort((a, b) => a.occurrenceAt.localeCompare(b.occurrenceAt)),
    households,
    ...(campaign.channel.kind === 'sms'
      ? { preview: outreachSmsPreview(campaign.channel.signature, campaign.channel.body, households) }
      : {}),
    ...(effect ? { effect } : {}),
  };
}

const PreviewBody = CampaignPlan;

export async function previewCampaign(staff: Staff, body: unknown, deps: CampaignApiDeps) {
  requireViewer(staff);
  const plan = parseOrThrow(PreviewBody, body, 'The campaign');
  const org = await deps.directory.load();
  checkCommunities(plan, org);
  checkPlan(plan, deps.quietHours);
  const households = householdsOf(plan.communityIds, org);
  // A first run in the last few minutes is "send now", not a run in the past.
  const upcoming = upcomingOf(plan, new Date(deps.now().getTime() - SEND_NOW_GRACE_MS));
  const warnings: string[] = [];
  const day = Number(plan.firstRunAt.slice(8, 10));
  if (plan.recurrence.frequency === 'monthly' && plan.recurrence.monthDay === 'same_day' && day > 28) {
    warnings.push(
      `months without a day ${day} are skipped; choose "last day of the month" to run in every month`,
    );
  }
  if (upcoming.length === 0) warnings.push('no occurrence is left after now');
  return {
    households,
    rrule: toRRuleText(plan.firstRunAt, plan.recurrence),
    upcoming,
    ...(plan.channel.kind === 'sms'
      ? { message: outreachSmsPreview(plan.channel.signature, plan.channel.body, households) }
      : {}),
    warnings,
  };
}

const CreateBody = CampaignPlan.extend({ schedule: z.boolean().default(false) });

export async function createCampaign(
  staff: Staff,
  body: unknown,
  deps: CampaignApiDeps,
): Promise<CampaignView> {
  requirePlanner(staff);
  const { schedule, ...plan } = parseOrThrow(CreateBody, body, 'The campaign');
  checkCommunities(plan, await deps.directory.load());
  const now = deps.now();
  let campaign = newCampaign(plan, deps.newId(), staff, now, deps.quietHours);
  if (schedule)
    campaign = applyCampaignAction(
      campaign,
      { action: 'schedule', expectedVersion: 1 },
      now,
      deps.quietHours,
    );
  if (!(await deps.campaigns.create(campaign))) throw new Error('campaign id collision');
  return getCampaign(staff, campaign.campaignId, deps);
}

const EditBody = CampaignPlan.extend({ expectedVersion: z.number().int().min(1) });

export async function updateCampaign(
  staff: Staff,
  campaignId: string,
  body: unknown,
  deps: CampaignApiDeps,
): Promise<CampaignView> {
  requirePlanner(staff);
  const { expectedVersion, ...plan } = parseOrThrow(EditBody, body, 'The campaign');
  const current = await loadCampaign(campaignId, deps);
  checkVersion(current, expectedVersion);
  checkCommunities(plan, await deps.directory.load());
  await writeOrConflict(editCampaign(current, plan, deps.now(), deps.quietHours), current, deps);
  return getCampaign(staff, campaignId, deps);
}

export async function actOnCampaign(
  staff: Staff,
  campaignId: string,
  body: unknown,
  deps: CampaignApiDeps,
): Promise<CampaignView> {
  requirePlanner(staff);
  const action = parseOrThrow(CampaignAction, body, 'The action');
  const current = await loadCampaign(campaignId, deps);
  checkVersion(current, action.expectedVersion);
  const next = applyCampaignAction(current, action, deps.now(), deps.quietHours);
  await writeOrConflict(next, current, deps);
  if (next.status === 'cancelled') {
    // Runs under way stop too: the sender counts their remaining households as cancelled.
    for (const run of await deps.campaigns.listRuns(campaignId)) {
      await deps.campaigns.setRunStatus(
        campaignId,
        run.runId,
        ['planning', 'sending', 'awaiting_attendance'],
        'cancelled',
        { completedAt: deps.now().toISOString() },
      );
    }
  }
  return getCampaign(staff, campaignId, deps);
}

const AttendanceBody = z.object({
  counts: z
    .record(EntityId, z.number().int().min(0).max(100_000))
    .refine((c) => Object.keys(c).length > 0, 'give the attendance of at least one community'),
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
  if (run.channel.kind === 'sms')
    throw new ValidationError('SMS runs have no attendance', [
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
  const channel = campaign.channel.kind === 'sms' ? run.channel : campaign.channel;
  return taskOf(campaign, channel, runs, scope, deps.now());
}

// ─── outreach tasks ──────────────────────────────────────────────────────────────────────────

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

function requireTaskViewer(staff: Staff): void {
  if (!mayViewOutreachTasks(staff))
    throw new ForbiddenError('Outreach tasks are for grid workers and outreach staff.');
}

const TasksQuery = z.object({ communityId: EntityId.optional() });

type TaskChannel = Exclude<CampaignChannel, { kind: 'sms' }>;
type TaskCampaign = Campaign & { channel: TaskChannel };

/** A lecture or screening, not a draft nor cancelled, that covers the community in view (if one is). */
const isTaskIn = (campaign: Campaign, scope: string | undefined): campaign is TaskCampaign =>
  campaign.channel.kind !== 'sms' &&
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
  const campaigns = (await listAll(deps)).filter((c) => isTaskIn(c, scope));
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

export interface CalendarEntry {
  campaignId: string;
  title: string;
  kind: Campaign['channel']['kind'];
  status: CampaignStatus;
  at: string;
  communityIds: string[];
}

const ListQuery = z.object({
  from: LocalDate.optional(),
  to: LocalDate.optional(),
  status: z.enum(['draft', 'scheduled', 'running', 'completed', 'cancelled']).optional(),
});

/** Campaigns, newest first, and the calendar of their occurrences from `from` to `to` (default: 6 weeks). */
export async function listCampaigns(staff: Staff, rawQuery: unknown, deps: CampaignApiDeps) {
  requireViewer(staff);
  const query = parseOrThrow(ListQuery, rawQuery ?? {}, 'The query');
  const today = shanghaiDay(deps.now());
  const from = query.from ?? addDays(today, -7);
  const to = query.to ?? addDays(from, 42);
  if (to < from)
    throw new ValidationError('The range ends before it starts', [
      { path: 'to', message: 'on or after from' },
    ]);
  const start = fromShanghaiLocal(`${from}T00:00`);
  const end = fromShanghaiLocal(`${addDays(to, 1)}T00:00`);
  const all = await listAll(deps);
  const campaigns = query.status ? all.filter((c) => c.status === query.status) : all;
  const calendar: CalendarEntry[] = campaigns
    .filter((c) => c.status !== 'draft' && c.status !== 'cancelled')
    .flatMap((c) =>
      occurrencesBetween(c.firstRunAt, c.recurrence, start, end, 200).map((at) => ({
        campaignId: c.campaignId,
        title: c.title,
        kind: c.channel.kind,
        status: c.status,
        at: at.toISOString(),
        communityIds: c.communityIds,
      })),
    )
    .sort((a, b) => a.at.localeCompare(b.at));
  return { from, to, campaigns, calendar };
}

export interface RiskRanking {
  asOf: string;
  windowDays: number;
  communities: RiskRow[];
}

/** Communities ranked by fraud reports per 1,000 households over the trailing 90 days. */
export async function fraudRiskRanking(staff: Staff, deps: CampaignApiDeps): Promise<RiskRanking> {
  requireViewer(staff);
  const today = shanghaiDay(deps.now());
  const [org, counts, campaigns] = await Promise.all([
    deps.directory.load(),
    deps.fraudReports.dailyCounts(addDays(today, -(WINDOW_DAYS - 1)), today),
    listAll(deps),
  ]);
  const activity: Record<string, { lastCampaignAt?: string; nextCampaignAt?: string }> = {};
  for (const c of campaigns) {
    for (const id of c.communityIds) {
      const seen = activity[id] ?? {};
      if (c.lastRunAt && (!seen.lastCampaignAt || c.lastRunAt > seen.lastCampaignAt))
        seen.lastCampaignAt = c.lastRunAt;
      if (
        c.nextRunAt &&
        c.status !== 'cancelled' &&
        (!seen.nextCampaignAt || c.nextRunAt < seen.nextCampaignAt)
      )
        seen.nextCampaignAt = c.nextRunAt;
      activity[id] = seen;
    }
  }
  return {
    asOf: today,
    windowDays: WINDOW_DAYS,
    communities: rankCommunities({
      communities: org.communities.map((c) => ({
        id: c.id,
        zh: c.zh,
        en: c.en,
        townshipId: c.townshipId,
        households: c.households,
      })),
      counts,
      today,
      activity,
    }),
  };
}
