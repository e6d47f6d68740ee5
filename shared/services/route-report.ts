/**
 * The router's work for one submitted report: create the case exactly once, decide the owner from
 * the routing rules, note likely duplicates, and dispatch it through the lifecycle table. Safe to
 * repeat after a crash at any point: the report and the case are conditional writes, a case still
 * `registered` is dispatched again, and the effects (delivery, statistics) live in the case's
 * outbox until they have run.
 */
import type { CaseState, Routing } from '../domain/case.ts';
import { type Actor, planTransition } from '../domain/case-lifecycle.ts';
import { distanceMetres } from '../domain/geo.ts';
import type { ReportSubmitted } from '../domain/report.ts';
import { type RoutingDecision, resolveResponsibleUnit } from '../domain/routing.ts';
import { CaseConflictError } from '../errors.ts';
import { runPending } from './case-effects.ts';
import { lifecycleContext } from './lifecycle-context.ts';
import type { CaseWorkDeps } from './transition-case.ts';

export type RouteReportDeps = CaseWorkDeps;

export type RouteOutcome =
  | { outcome: 'dispatched'; unitId: string; routing: Routing }
  | { outcome: 'already_dispatched'; unitId: string };

const ROUTER: Actor = { kind: 'system', name: 'route-report' };
/** How far back an open report of the same kind counts as a likely duplicate. */
const DUPLICATE_WINDOW_DAYS = 7;
/** Reports of the same category this close together are probably about the same thing. */
const DUPLICATE_RADIUS_M = 250;

/**
 * Open reports of the same category from the last days in the same community, or — when the
 * resident gave a location — within about 250 m anywhere in the same township. Offered to staff;
 * merging stays their decision.
 */
async function likelyDuplicates(
  message: ReportSubmitted,
  townshipId: string | undefined,
  now: Date,
  cases: CaseWorkDeps['cases'],
): Promise<string[]> {
  const { report, trackingCode } = message;
  const filter = {
    category: report.category,
    since: new Date(now.getTime() - DUPLICATE_WINDOW_DAYS * 86_400_000).toISOString(),
  };
  const found = new Set<string>();
  const sameCommunity = await cases.listCases(
    { kind: 'community', communityId: report.communityId, open: true },
    filter,
    20,
  );
  for (const c of sameCommunity.cases) found.add(c.trackingCode);
  const here = report.location;
  if (here && townshipId) {
    const nearby = await cases.listCases({ kind: 'township', townshipId, open: true }, filter, 50);
    for (const c of nearby.cases) {
      if (c.location && distanceMetres(here, c.location) <= DUPLICATE_RADIUS_M) found.add(c.trackingCode);
    }
  }
  found.delete(trackingCode);
  return [...found];
}

const routingOf = (decision: RoutingDecision): Routing =>
  decision.kind === 'rule'
    ? { kind: 'rule', ruleId: decision.ruleId }
    : { kind: decision.kind, reason: decision.reason };

export async function routeReport(message: ReportSubmitted, deps: RouteReportDeps): Promise<RouteOutcome> {
  const { trackingCode, submissionId, report } = message;
  await deps.cases.saveReport({
    trackingCode,
    submissionId,
    description: report.description,
    contactPhone: report.contactPhone,
    location: report.location,
    address: report.address,
    reporterTokenHash: message.reporterTokenHash,
  });

  const [org, policies] = await Promise.all([deps.directory.load(), deps.policies.loadPolicies()]);
  const decision = resolveResponsibleUnit(
    { category: report.category, communityId: report.communityId },
    org,
  );
  // A unit the directory knows but the deployment has no queue for must not strand the case.
  const deliverable = deps.dispatch.serves(decision.unitId);
  const unitId = deliverable ? decision.unitId : org.countyCentreUnitId;
  const routing: Routing = deliverable
    ? routingOf(decision)
    : { kind: 'county_triage', reason: 'unit_has_no_queue' };
  const townshipId = decision.kind === 'county_triage' ? undefined : decision.townshipId;
  const now = deps.now();
  const at = now.toISOString();

  const possibleDuplicates = await likelyDuplicates(message, townshipId, now, deps.cases);
  const state: CaseState = {
    trackingCode,
    submissionId,
    stage: 'registered',
    version: 1,
    category: report.category,
    communityId: report.communityId,
    townshipId,
    unitId,
    routing,
    channel: message.channel,
    submittedAt: message.submittedAt,
    updatedAt: at,
    timeline: [
      { stage: 'received', at: message.submittedAt, by: `channel:${message.channel}` },
      { stage: 'registered', at, by: 'system:route-report', action: 'register', unitId },
    ],
    ...(report.location ? { location: report.location } : {}),
    ...(possibleDuplicates.length ? { possibleDuplicates } : {}),
  };
  const creationEffects = [
    {
      kind: 'stats' as const,
      at,
      from: { stage: 'received' as const, unitId, since: message.submittedAt },
      to: { stage: 'registered' as const, unitId },
    },
  ];

  const result = await deps.cases.createCase(state, creationEffects);
  const current = result.created ? state : result.existing;
  if (current.submissionId !== submissionId) {
    throw new CaseConflictError(`tracking code ${trackingCode} already belongs to another submission`);
  }
  const effectsDeps = { ...deps, countyCentreUnitId: org.countyCentreUnitId };
  if (current.stage !== 'registered') return { outcome: 'already_dispatched', unitId: current.unitId };

  const planned = planTransition(
    current,
    { action: 'dispatch' },
    ROUTER,
    lifecycleContext(current.category, org, policies),
    now,
  );
  if (!planned.ok)
    throw new CaseConflictError(`case ${trackingCode} cannot be dispatched from ${current.stage}`);
  const applied = await deps.cases.applyTransition(current, planned.plan);
  // If it did not apply, a concurrent delivery of the same message dispatched it first and runs its effects.
  if (applied.applied) await runPending(applied.state, applied.pending, effectsDeps);
  return { outcome: 'dispatched', unitId: current.unitId, routing: current.routing };
}
