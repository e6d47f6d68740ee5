/**
 * What staff read: their queue, the three lists from the seed (problem list by community,
 * transfer list, return-visit list), one case in full, and the statistics — each limited to
 * what the reader's role lets them see, each one index query or one partition, never a scan.
 */
import * as z from 'zod';
import type { CaseReport, CaseState } from '../domain/case.ts';
import { Stage } from '../domain/case.ts';
import { type ActionName, allowedActions, canSee } from '../domain/case-lifecycle.ts';
import { EntityId } from '../domain/organisation.ts';
import type { Staff } from '../domain/staff.ts';
import { formatTrackingCode } from '../domain/tracking-code.ts';
import { ForbiddenError } from '../errors.ts';
import type { CaseListing, CaseStore, ListFilter } from '../ports/case-store.ts';
import type { DirectoryReader } from '../ports/directory.ts';
import type { StatsSnapshot, StatsStore } from '../ports/stats-store.ts';
import { parseOrThrow } from '../validation.ts';
import { likelyDuplicates } from './likely-duplicates.ts';
import { visibleCase } from './transition-case.ts';

export const CaseListQuery = z.object({
  list: z.enum(['queue', 'problems', 'transfers', 'return_visits']).default('queue'),
  status: z.enum(['open', 'done']).default('open'),
  stage: Stage.optional(),
  overdue: z.enum(['true', 'false']).optional(),
  communityId: EntityId.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(2000).optional(),
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

/** Which index a staff member's list reads, given what they asked for. */
function listingFor(
  staff: Staff,
  query: CaseListQuery,
  townshipOf: (communityId: string) => string | undefined,
): CaseListing {
  const open = query.status === 'open';
  const township = staff.role === 'centre_dispatcher' ? staff.townshipId : 'all';
  if (query.list === 'transfers') return { kind: 'transfers', townshipId: township };
  if (query.list === 'return_visits') {
    return staff.role === 'grid_worker'
      ? { kind: 'community', communityId: staff.communityId, open: false }
      : { kind: 'return_visits', townshipId: township };
  }
  switch (staff.role) {
    case 'unit_handler':
      return { kind: 'unit', unitId: staff.unitId, open };
    case 'grid_worker':
      return { kind: 'community', communityId: staff.communityId, open };
    case 'centre_dispatcher':
      return query.communityId && townshipOf(query.communityId) === staff.townshipId
        ? { kind: 'community', communityId: query.communityId, open }
        : { kind: 'township', townshipId: staff.townshipId, open };
    case 'county_supervisor':
    case 'admin':
      return query.communityId
        ? { kind: 'community', communityId: query.communityId, open }
        : { kind: 'county', open };
    case 'outreach_staff':
      throw new ForbiddenError('Outreach staff work with campaigns, not case lists.');
  }
}

export async function listCases(
  staff: Staff,
  rawQuery: unknown,
  deps: CaseQueryDeps,
): Promise<{ cases: CaseSummary[]; cursor?: string }> {
  const query = parseOrThrow(CaseListQuery, rawQuery ?? {}, 'The query');
  const org = await deps.directory.load();
  const townshipOf = (communityId: string) => org.communities.find((c) => c.id === communityId)?.townshipId;
  const now = deps.now();
  const listing = listingFor(staff, query, townshipOf);
  const filter: ListFilter = {
    stage: query.stage,
    overdue: query.overdue === 'true' ? { now: now.toISOString() } : undefined,
    communityId: listing.kind === 'community' ? undefined : query.communityId,
  };
  const page = await deps.cases.listCases(listing, filter, query.limit, query.cursor);
  const visible = page.cases.filter((c) => canSee(staff, c));
  // A grid worker's return-visit list is the pending visits of their own community.
  const rows =
    query.list === 'return_visits' && staff.role === 'grid_worker'
      ? visible.filter((c) => c.returnVisit?.status === 'pending')
      : visible;
  return { cases: rows.map((c) => summarise(c, now)), cursor: page.cursor };
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
}

export async function getCaseDetail(staff: Staff, code: string, deps: CaseQueryDeps): Promise<CaseDetail> {
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
          contactPhone: report.contactPhone,
        }
      : null,
    allowedActions: allowedActions(state, { kind: 'staff', staff }).filter(
      (a) => a !== 'dispatch' && a !== 'escalate' && a !== 'flag_unrated' && a !== 'rate',
    ),
  };
}

/** The statistics, narrowed to the reader's scope: a unit sees itself, a centre its township. */
export async function getStats(staff: Staff, deps: CaseQueryDeps): Promise<StatsSnapshot> {
  const org = await deps.directory.load();
  const snapshot = await deps.stats.snapshot(org.units.map((u) => u.id));
  if (staff.role === 'county_supervisor' || staff.role === 'admin') return snapshot;
  const keepUnit = (unitId: string) =>
    staff.role === 'unit_handler' || staff.role === 'centre_dispatcher' ? unitId === staff.unitId : false;
  const keepCommunity = (communityId: string) => {
    if (staff.role === 'grid_worker') return communityId === staff.communityId;
    if (staff.role === 'centre_dispatcher')
      return org.communities.some((c) => c.id === communityId && c.townshipId === staff.townshipId);
    return false;
  };
  const pick = <T>(record: Record<string, T>, keep: (k: string) => boolean) =>
    Object.fromEntries(Object.entries(record).filter(([k]) => keep(k)));
  const byUnit = pick(snapshot.byUnit, keepUnit);
  const byStage: StatsSnapshot['byStage'] = {};
  for (const row of Object.values(byUnit)) {
    for (const stage of Stage.options) byStage[stage] = (byStage[stage] ?? 0) + (row[stage] ?? 0);
  }
  const ratings = pick(snapshot.satisfaction.byUnit, keepUnit);
  const all = Object.values(ratings);
  const count = all.reduce((n, r) => n + r.ratings, 0);
  return {
    byStage,
    byUnit,
    byCommunity: pick(snapshot.byCommunity, keepCommunity),
    overdueByUnit: pick(snapshot.overdueByUnit, keepUnit),
    meanMsInStage: snapshot.meanMsInStage,
    satisfaction: {
      ratings: count,
      mean: count ? all.reduce((sum, r) => sum + r.mean * r.ratings, 0) / count : null,
      byUnit: ratings,
    },
  };
}
