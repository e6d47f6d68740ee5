/**
 * What staff read: their queue, the three lists from the seed (problem list by community,
 * transfer list, return-visit list), one case in full, and the statistics — each limited to
 * what the reader's role lets them see. A list is read from the partition of the reader's own
 * scope (the scope is the query's key condition, never a filter applied afterwards), its pages
 * resumed only by cursors sealed for that reader and that list; never a scan. Outreach staff are
 * refused every case route (403).
 */
import type { CaseReport, CaseState } from '../domain/case.ts';
import { Stage } from '../domain/case.ts';
import {
  type ActionName,
  allowedActions,
  type CaseStaff,
  canSee,
  mayContactReporter,
  mayReadClassification,
  worksWithCases,
} from '../domain/case-lifecycle.ts';
import { addCounters, type CounterDeltas, rangeSnapshotOf } from '../domain/case-statistics.ts';
import { type ChannelRow, channelRowsOf } from '../domain/channel-statistics.ts';
import { EntityId, type Organisation } from '../domain/organisation.ts';
import { shanghaiDay } from '../domain/outreach/shanghai-time.ts';
import type { Staff } from '../domain/staff.ts';
import { formatTrackingCode } from '../domain/tracking-code.ts';
import type { WorkingCalendar } from '../domain/working-calendar.ts';
import { ForbiddenError, ValidationError } from '../errors.ts';
import type { CaseListing, CaseScope, CaseStore, ListFilter } from '../ports/case-store.ts';
import type { DirectoryReader } from '../ports/directory.ts';
import type { PolicyReader } from '../ports/policies.ts';
import type { SecretReader } from '../ports/secret.ts';
import type { StatsSnapshot, StatsStore } from '../ports/stats-store.ts';
import * as z from '../schema.ts';
import { parseOrThrow } from '../validation.ts';
import { likelyDuplicates } from './likely-duplicates.ts';
import { visibleCase } from './transition-case.ts';
import { DateRangeQuery, hoursPerWorkingDay } from './unit-assessment.ts';

export const CaseListQuery = z.object({
  list: z._default(z.enum(['queue', 'problems', 'transfers', 'return_visits']), 'queue'),
  status: z._default(z.enum(['open', 'done']), 'open'),
  stage: z.optional(Stage),
  overdue: z.optional(z.enum(['true', 'false'])),
  communityId: z.optional(EntityId),
  limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100)), 20),
  cursor: z.optional(z.string().check(z.maxLength(2000))),
});
export type CaseListQuery = z.infer<typeof CaseListQuery>;

/** A case as a list row: enough to triage, nothing personal. */
export interface CaseSummary {
  id: string;
  trackingCode: string;
  stage: CaseState['stage'];
  version: number;
  category: CaseState['category'];
  communityId: string;
  townshipId?: string;
  unitId: string;
  submittedAt: string;
  updatedAt: string;
  dueAt?: string;
  overdue: boolean;
  escalated: boolean;
  transfers: number;
  returnVisit?: CaseState['returnVisit'];
  rating?: number;
}

export const summarise = (c: CaseState, now: Date): CaseSummary => ({
  id: c.trackingCode,
  trackingCode: formatTrackingCode(c.trackingCode),
  stage: c.stage,
  version: c.version,
  category: c.category,
  communityId: c.communityId,
  townshipId: c.townshipId,
  unitId: c.unitId,
  submittedAt: c.submittedAt,
  updatedAt: c.updatedAt,
  dueAt: c.timer && c.timer.kind !== 'rating_window' ? c.timer.at : undefined,
  overdue:
    c.escalation !== undefined ||
    (c.timer !== undefined && c.timer.kind !== 'rating_window' && Date.parse(c.timer.at) < now.getTime()),
  escalated: c.escalation !== undefined,
  transfers: c.transfers ?? 0,
  returnVisit: c.returnVisit,
  rating: c.rating?.score,
});

export interface CaseQueryDeps {
  cases: CaseStore;
  directory: DirectoryReader;
  stats: StatsStore;
  now: () => Date;
}

export interface CaseListDeps extends CaseQueryDeps {
  /** The secret page cursors are signed with (the secret `CURSOR_SECRET_ARN` names). */
  cursorKey: SecretReader;
}

/** Every case route starts here: outreach staff work with campaigns and get 403 on all of them. */
export function requireCaseAccess(staff: Staff): CaseStaff {
  if (!worksWithCases(staff)) throw new ForbiddenError('Outreach staff work with campaigns, not cases.');
  return staff;
}

/**
 * Where a member of staff's list is read: their unit, township, community or the county, narrowed
 * to a community when they ask for one inside it; undefined when they ask for a community outside
 * it (the list is then empty, without reading anything).
 */
function scopeFor(
  staff: CaseStaff,
  communityId: string | undefined,
  org: Organisation,
): CaseScope | undefined {
  const community = communityId === undefined ? undefined : org.communities.find((c) => c.id === communityId);
  switch (staff.role) {
    case 'unit_handler':
      // A unit works across the county: a community narrows its lane by filter, inside the unit's lane.
      return { kind: 'unit', unitId: staff.unitId };
    case 'centre_dispatcher':
      if (!community) return { kind: 'township', townshipId: staff.townshipId };
      return community.townshipId === staff.townshipId
        ? { kind: 'community', communityId: community.id }
        : undefined;
    case 'grid_worker':
      return !community || community.id === staff.communityId
        ? { kind: 'community', communityId: staff.communityId }
        : undefined;
    case 'county_supervisor':
    case 'admin':
      return community ? { kind: 'community', communityId: community.id } : { kind: 'county' };
  }
}

const laneListing = (scope: CaseScope, open: boolean): CaseListing => {
  switch (scope.kind) {
    case 'unit':
      return { kind: 'unit', unitId: scope.unitId, open };
    case 'township':
      return { kind: 'township', townshipId: scope.townshipId, open };
    case 'community':
      return { kind: 'community', communityId: scope.communityId, open };
    case 'county':
      return { kind: 'county', open };
  }
};

/** Which list a staff member reads, given what they asked for: always a partition of their scope. */
function listingFor(scope: CaseScope, query: CaseListQuery): CaseListing {
  switch (query.list) {
    case 'transfers':
      return { kind: 'transfers', scope };
    case 'return_visits':
      return { kind: 'return_visits', scope };
    case 'queue':
    case 'problems':
      return laneListing(scope, query.status === 'open');
  }
}

export async function listCases(
  caller: Staff,
  rawQuery: unknown,
  deps: CaseListDeps,
): Promise<{ cases: CaseSummary[]; cursor?: string }> {
  const page = await readCaseList(caller, parseOrThrow(CaseListQuery, rawQuery ?? {}, 'The query'), deps);
  const now = deps.now();
  return { cases: page.cases.map((c) => summarise(c, now)), ...(page.cursor ? { cursor: page.cursor } : {}) };
}

/**
 * A page of the list `query` names, as the cases themselves (the list rows and the export are
 * made from them): read inside the caller's scope, resumed by a cursor sealed for them and the list.
 */
export async function readCaseList(
  caller: Staff,
  query: CaseListQuery,
  deps: CaseListDeps,
): Promise<{ cases: CaseState[]; cursor?: string }> {
  const staff = requireCaseAccess(caller);
  const org = await deps.directory.load();
  if (query.communityId !== undefined && !org.communities.some((c) => c.id === query.communityId)) {
    throw new ValidationError('No community has this id', [
      { path: 'communityId', message: 'not a community of /api/catalog' },
    ]);
  }
  const scope = scopeFor(staff, query.communityId, org);
  if (!scope) return { cases: [] };
  const filter: ListFilter = {
    stage: query.stage,
    overdue: query.overdue === 'true' ? { now: deps.now().toISOString() } : undefined,
    communityId: scope.kind === 'unit' ? query.communityId : undefined,
  };
  const page = await deps.cases.listCases(listingFor(scope, query), filter, query.limit, {
    cursor: query.cursor,
    seal: { key: await deps.cursorKey(), caller: staff.userId },
  });
  // The query read only the caller's scope; this check stays as a second line, and never pages.
  const cases = page.cases.filter((c) => canSee(staff, c));
  return { cases, ...(page.cursor ? { cursor: page.cursor } : {}) };
}

/** Stages a case can still be merged from (see the lifecycle's `merge`). */
const mergeable = (stage: CaseState['stage']) =>
  stage === 'registered' || stage === 'dispatched' || stage === 'in_progress';

export interface CaseDetail extends CaseSummary {
  routing: CaseState['routing'];
  timeline: CaseState['timeline'];
  resolvedBy?: string;
  escalation?: CaseState['escalation'];
  ratingDetail?: CaseState['rating'];
  possibleDuplicates: string[];
  /** Effects that could not be carried out (a text that never arrived, a parked delivery). */
  notices: NonNullable<CaseState['notices']>;
  mergedInto?: string;
  duplicates: string[];
  report: Pick<CaseReport, 'description' | 'address' | 'location' | 'contactPhone'> | null;
  allowedActions: ActionName[];
  /** Why the classifier chose the intake category: only for those who may correct it and the unit holding it. */
  classification?: CaseState['classification'];
}

export async function getCaseDetail(caller: Staff, code: string, deps: CaseQueryDeps): Promise<CaseDetail> {
  const staff = requireCaseAccess(caller);
  const state = await visibleCase(code, staff, deps.cases);
  const [report, nearby] = await Promise.all([
    deps.cases.getReport(state.trackingCode),
    mergeable(state.stage) ? likelyDuplicates(state, deps.cases) : Promise.resolve([]),
  ]);
  const possibleDuplicates = [
    ...new Set([
      ...(state.possibleDuplicates ?? []),
      ...nearby.filter((c) => canSee(staff, c)).map((c) => c.trackingCode),
    ]),
  ];
  return {
    ...summarise(state, deps.now()),
    routing: state.routing,
    timeline: state.timeline,
    resolvedBy: state.resolvedBy,
    escalation: state.escalation,
    ratingDetail: state.rating,
    possibleDuplicates,
    notices: state.notices ?? [],
    mergedInto: state.mergedInto,
    duplicates: state.duplicates ?? [],
    report: report
      ? {
          description: report.description,
          address: report.address,
          location: report.location,
          // Only for those who may have to call the reporter; for anyone else the field is absent.
          ...(mayContactReporter(staff, state) ? { contactPhone: report.contactPhone } : {}),
        }
      : null,
    allowedActions: allowedActions(state, { kind: 'staff', staff }).filter(
      (a) => a !== 'dispatch' && a !== 'escalate' && a !== 'flag_unrated' && a !== 'rate',
    ),
    ...(state.classification && mayReadClassification(staff, state)
      ? { classification: state.classification }
      : {}),
  };
}

/**
 * The statistics as a member of staff may read them: only figures of their own scope. Where the
 * counters cannot be narrowed to it, the figure is left out rather than shown county-wide: the
 * time spent per stage is counted for the county only, and ratings per unit (so a community has
 * none of its own).
 */
export type StaffStats = Pick<StatsSnapshot, 'byStage' | 'byUnit' | 'byCommunity' | 'overdueByUnit'> &
  Partial<Pick<StatsSnapshot, 'byCategory' | 'meanMsInStage' | 'meanWorkingMsInStage' | 'satisfaction'>> & {
    /** The range the figures cover; absent for the all-time figures. */
    range?: { from: string; to: string };
    /** Time per stage in human units: seconds and hours (clock), working hours and days (calendar). */
    timeInStage?: Partial<Record<Stage, TimeInStage>>;
    /**
     * Intake and outreach reach per channel, per township and month: the range's months, or the
     * last 12 (this one included) for the all-time figures; the reader's communities only.
     */
    byChannel: ChannelRow[];
  };

/** Months of channel figures the all-time statistics show: this one and the 11 before. */
export const CHANNEL_MONTHS = 12;

/** The first day of the month `CHANNEL_MONTHS - 1` months before `day`'s. */
function channelWindowStart(day: string): string {
  const [y, m] = day.split('-').map(Number);
  return new Date(Date.UTC(y ?? 0, (m ?? 1) - CHANNEL_MONTHS, 1)).toISOString().slice(0, 10);
}

export interface TimeInStage {
  meanSeconds: number;
  meanHours: number;
  meanWorkingHours?: number;
  meanWorkingDays?: number;
}

/** Reading the statistics over a range needs the calendar for working days. */
export interface StatsQueryDeps extends CaseQueryDeps {
  policies: PolicyReader;
}

/** `GET /api/stats`'s query: an optional date range (both or neither). */
export const StatsQuery = DateRangeQuery;

/**
 * `GET /api/stats`, narrowed to the reader: a unit sees itself; a centre its township's units and
 * communities; a grid worker their community; the county centre and admins everything. `byStage`
 * counts the cases of the reader's scope (a unit's own cases; the township's or community's cases,
 * whichever unit holds them).
 *
 * All units' buckets are read even for one unit: a case leaving a unit is counted out in the
 * bucket of the unit it moved to, so one unit's figures need the others' buckets. Only the
 * reader's figures leave this function.
 */
export async function getStats(
  caller: Staff,
  deps: StatsQueryDeps,
  rawQuery: unknown = {},
): Promise<StaffStats> {
  const staff = requireCaseAccess(caller);
  const query = parseOrThrow(StatsQuery, rawQuery ?? {}, 'The query');
  const [org, policies] = await Promise.all([deps.directory.load(), deps.policies.loadPolicies()]);
  const unitIds = org.units.map((u) => u.id);
  const range = query.from && query.to ? { from: query.from, to: query.to } : undefined;
  const today = shanghaiDay(deps.now());
  // A range's months serve both; the all-time figures read the last 12 months beside the balances.
  const [months, allTime] = await Promise.all([
    range
      ? deps.stats.countersByMonth(unitIds, range.from, range.to)
      : deps.stats.countersByMonth(unitIds, channelWindowStart(today), today),
    range ? undefined : deps.stats.snapshot(unitIds),
  ]);
  const snapshot =
    allTime ?? rangeSnapshotOf(months.reduce<CounterDeltas>((sum, m) => addCounters(sum, m.counters), {}));
  const townships = new Map(org.communities.map((c) => [c.id, c.townshipId]));
  if (staff.role === 'county_supervisor' || staff.role === 'admin')
    return {
      ...snapshot,
      ...(range ? { range } : {}),
      timeInStage: timeInStageOf(snapshot, policies.calendar),
      byChannel: channelRowsOf(months, (id) => townships.get(id)),
    };
  const scope = statsScope(staff, org);
  const byChannel = channelRowsOf(months, (id) =>
    scope.communities.has(id) ? townships.get(id) : undefined,
  );
  const pick = <T>(record: Record<string, T>, keep: ReadonlySet<string>) =>
    Object.fromEntries(Object.entries(record).filter(([k]) => keep.has(k)));
  const byUnit = pick(snapshot.byUnit, scope.units);
  const byCommunity = pick(snapshot.byCommunity, scope.communities);
  const byStage: StatsSnapshot['byStage'] = {};
  for (const row of Object.values(staff.role === 'unit_handler' ? byUnit : byCommunity)) {
    for (const stage of Stage.options) {
      const n = row[stage];
      if (n) byStage[stage] = (byStage[stage] ?? 0) + n;
    }
  }
  const stats: StaffStats = {
    byStage,
    byUnit,
    byCommunity,
    // Category counts are county-wide, like time per stage: left out for a scoped reader.
    overdueByUnit: pick(snapshot.overdueByUnit, scope.units),
    ...(range ? { range } : {}),
    byChannel,
  };
  if (scope.units.size === 0) return stats;
  const ratings = pick(snapshot.satisfaction.byUnit, scope.units);
  const count = Object.values(ratings).reduce((n, r) => n + r.ratings, 0);
  const sum = Object.values(ratings).reduce((total, r) => total + r.mean * r.ratings, 0);
  return { ...stats, satisfaction: { ratings: count, mean: count ? sum / count : null, byUnit: ratings } };
}

/** Mean time per stage in seconds and hours, and in working hours and days where it was kept. */
function timeInStageOf(
  snapshot: StatsSnapshot,
  calendar: WorkingCalendar,
): Partial<Record<Stage, TimeInStage>> {
  const perDay = hoursPerWorkingDay(calendar);
  const out: Partial<Record<Stage, TimeInStage>> = {};
  for (const stage of Stage.options) {
    const ms = snapshot.meanMsInStage[stage];
    if (ms === undefined) continue;
    const working = snapshot.meanWorkingMsInStage[stage];
    out[stage] = {
      meanSeconds: ms / 1000,
      meanHours: ms / 3_600_000,
      ...(working === undefined
        ? {}
        : { meanWorkingHours: working / 3_600_000, meanWorkingDays: working / 3_600_000 / perDay }),
    };
  }
  return out;
}

/** The units and communities whose figures a scoped reader sees. */
function statsScope(
  staff: Exclude<CaseStaff, { role: 'county_supervisor' | 'admin' }>,
  org: Organisation,
): { units: ReadonlySet<string>; communities: ReadonlySet<string> } {
  switch (staff.role) {
    case 'unit_handler':
      return { units: new Set([staff.unitId]), communities: new Set() };
    case 'centre_dispatcher':
      return {
        units: new Set([
          staff.unitId,
          ...org.units.filter((u) => u.townshipId === staff.townshipId).map((u) => u.id),
        ]),
        communities: new Set(
          org.communities.filter((c) => c.townshipId === staff.townshipId).map((c) => c.id),
        ),
      };
    case 'grid_worker':
      return { units: new Set(), communities: new Set([staff.communityId]) };
  }
}
