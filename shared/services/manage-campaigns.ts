/**
 * The campaign planner's use cases, behind the staff API and the CLI: create, edit, schedule and
 * cancel campaigns (outreach staff and the county supervisor only), preview what an SMS campaign
 * will cost before it is scheduled, the calendar, attendance after a lecture or screening, the
 * fraud-risk ranking that says where a campaign is due, and a completed campaign's effect.
 */
import * as z from 'zod';
import { EntityId, type Organisation } from '../domain/organisation.ts';
import {
  type Campaign,
  CampaignPlan,
  type CampaignRun,
  type CampaignStatus,
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
  mayViewCampaigns,
  newCampaign,
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
  const upcoming = upcomingOf(plan, deps.now());
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

export async function recordAttendance(
  staff: Staff,
  campaignId: string,
  runId: string,
  body: unknown,
  deps: CampaignApiDeps,
): Promise<CampaignView> {
  requirePlanner(staff);
  const { counts } = parseOrThrow(AttendanceBody, body, 'The attendance');
  const run = await deps.campaigns.getRun(campaignId, runId);
  if (!run) throw new NotFoundError(`No run ${runId} of campaign ${campaignId}`);
  if (run.channel.kind === 'sms')
    throw new ValidationError('SMS runs have no attendance', [
      { path: 'runId', message: 'not a lecture or screening' },
    ]);
  const outside = Object.keys(counts).filter((id) => !run.communityIds.includes(id));
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
  return getCampaign(staff, campaignId, deps);
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
