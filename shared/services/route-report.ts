/**
 * The router's work for one submitted report: create the case exactly once, decide the owner from
 * the routing rules, and deliver it to that unit's queue. Safe to repeat after a crash at any
 * point: the report and the case are conditional writes, and a case still `registered` is
 * (re)dispatched, then moved to `dispatched` by one conditional update.
 */
import type { CaseDispatched, CaseState, Routing } from '../domain/case.ts';
import type { ReportSubmitted } from '../domain/report.ts';
import { type RoutingDecision, resolveResponsibleUnit } from '../domain/routing.ts';
import { CaseConflictError } from '../errors.ts';
import type { CaseStore } from '../ports/case-store.ts';
import type { DirectoryReader } from '../ports/directory.ts';
import type { DispatchQueue } from '../ports/dispatch-queue.ts';

export interface RouteReportDeps {
  cases: CaseStore;
  directory: DirectoryReader;
  dispatch: DispatchQueue;
  now: () => Date;
}

export type RouteOutcome =
  | { outcome: 'dispatched'; unitId: string; routing: Routing }
  | { outcome: 'already_dispatched'; unitId: string };

const ROUTER = 'system:route-report';

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
  });

  const org = await deps.directory.load();
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
  const at = deps.now().toISOString();
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
      { stage: 'registered', at, by: ROUTER, unitId },
    ],
  };

  const result = await deps.cases.createCase(state);
  const current = result.created ? state : result.existing;
  if (current.submissionId !== submissionId) {
    throw new CaseConflictError(`tracking code ${trackingCode} already belongs to another submission`);
  }
  if (current.stage !== 'registered') return { outcome: 'already_dispatched', unitId: current.unitId };

  // Dispatch before recording it: a crash in between re-sends (consumers dedupe by tracking code)
  // rather than leaving a case marked dispatched that no unit ever received.
  const dispatchedAt = deps.now().toISOString();
  const dispatched: CaseDispatched = {
    kind: 'case.dispatched',
    trackingCode,
    unitId: current.unitId,
    category: current.category,
    communityId: current.communityId,
    townshipId: current.townshipId,
    routing: current.routing,
    description: report.description,
    address: report.address,
    location: report.location,
    hasContactPhone: report.contactPhone !== undefined,
    submittedAt: message.submittedAt,
    dispatchedAt,
  };
  await deps.dispatch.dispatch(dispatched);
  await deps.cases.changeStage({
    trackingCode,
    from: { stage: 'registered', version: current.version },
    to: 'dispatched',
    event: { stage: 'dispatched', at: dispatchedAt, by: ROUTER, unitId: current.unitId },
  });
  // If the condition failed, a concurrent delivery of the same message recorded it first: fine.
  return { outcome: 'dispatched', unitId: current.unitId, routing: current.routing };
}
