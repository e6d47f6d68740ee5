/**
 * The router's work for one submitted report: decide the owner from the routing rules and create
 * the case already dispatched to it — registration (案卷建立) and dispatch (任务派遣) are two
 * events of one conditional write, so a report costs one case write, not two. Safe to repeat after
 * a crash at any point: the report and the case are conditional writes (a redelivery finds the
 * case and stops), and the effects (delivery, statistics, the reporter's text) live in the case's
 * outbox until they have run, where the sweeper finds them if this run did not finish.
 */
import type { CaseState, Routing } from '../domain/case.ts';
import { type Actor, planTransition } from '../domain/case-lifecycle.ts';
import { newOutboxEntries } from '../domain/effect-outbox.ts';
import type { ReportSubmitted } from '../domain/report.ts';
import { type RoutingDecision, resolveResponsibleUnit } from '../domain/routing.ts';
import { CaseConflictError } from '../errors.ts';
import { type CaseEffectsDeps, runOutbox } from './case-effects.ts';
import { lifecycleContext } from './lifecycle-context.ts';
import type { CaseWorkDeps } from './transition-case.ts';

export type RouteReportDeps = CaseWorkDeps & Pick<CaseEffectsDeps, 'onEffectFailed'>;

export type RouteOutcome =
  | { outcome: 'dispatched'; unitId: string; routing: Routing }
  | { outcome: 'already_dispatched'; unitId: string };

const ROUTER: Actor = { kind: 'system', name: 'route-report' };

const routingOf = (decision: RoutingDecision): Routing =>
  decision.kind === 'rule'
    ? { kind: 'rule', ruleId: decision.ruleId }
    : { kind: decision.kind, reason: decision.reason };

export async function routeReport(message: ReportSubmitted, deps: RouteReportDeps): Promise<RouteOutcome> {
  const { trackingCode, submissionId, report } = message;
  const stored = {
    trackingCode,
    submissionId,
    description: report.description,
    contactPhone: report.contactPhone,
    location: report.location,
    address: report.address,
    reporterTokenHash: message.reporterTokenHash,
  };
  await deps.cases.saveReport(stored);

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

  const registered: CaseState = {
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
    // In the case's one create write: the dispatcher reads it on the case (case-queries.ts).
    ...(message.classification ? { classification: message.classification } : {}),
    // The WeChat Work grid worker who forwarded it hears of every later change (relay_to_worker).
    ...(message.forwardedBy ? { forwardedBy: message.forwardedBy } : {}),
  };
  const planned = planTransition(
    registered,
    { action: 'dispatch' },
    ROUTER,
    lifecycleContext(registered.category, org, policies),
    now,
  );
  if (!planned.ok) throw new CaseConflictError(`case ${trackingCode} cannot be dispatched`);
  const { plan } = planned;
  // Written at once as version 2 (one version per event after intake, as every case's history
  // reads); the statistics count it as one change from `received`.
  const state: CaseState = {
    ...registered,
    ...plan.set,
    stage: plan.to,
    version: 2,
    timeline: [...registered.timeline, plan.event],
  };
  const effects = plan.effects.map((effect) =>
    effect.kind === 'stats'
      ? { ...effect, from: { stage: 'received' as const, unitId, since: message.submittedAt } }
      : effect,
  );
  const entries = newOutboxEntries(state.version, effects, now);

  const result = await deps.cases.createCase(state, entries);
  if (!result.created) {
    if (result.existing.submissionId !== submissionId) {
      throw new CaseConflictError(`tracking code ${trackingCode} already belongs to another submission`);
    }
    // A redelivery: the first delivery created it; what it left undone is in the outbox.
    return { outcome: 'already_dispatched', unitId: result.existing.unitId };
  }
  await runOutbox(
    { state: result.state, entries: result.pending },
    result.pending,
    { ...deps, countyCentreUnitId: org.countyCentreUnitId },
    { report: stored },
  );
  return { outcome: 'dispatched', unitId, routing };
}
