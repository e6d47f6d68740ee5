/**
 * The scheduled sweeper: escalates cases whose SLA deadline passed (once: the escalation clears
 * the timer in the same conditional write, so a second sweep finds nothing), puts closed cases
 * nobody rated within the window on the return-visit list, and reruns effects a crash left in a
 * case's outbox. Reads the due-timer and outbox indexes only; never scans.
 */
import type { Actor, CaseAction } from '../domain/case-lifecycle.ts';
import { runPending } from './case-effects.ts';
import { applyCaseAction, type CaseWorkDeps } from './transition-case.ts';

export type SweepDeps = CaseWorkDeps;

export interface SweepReport {
  escalated: string[];
  flaggedUnrated: string[];
  effectsRerun: number;
  failed: { trackingCode: string; error: string }[];
}

const SWEEPER: Actor = { kind: 'system', name: 'sweep-cases' };
const BATCH = 100;
/** Effects younger than this are probably still being run by the request that wrote them. */
const OUTBOX_GRACE_MS = 60_000;

export async function sweepCases(deps: SweepDeps): Promise<SweepReport> {
  const report: SweepReport = { escalated: [], flaggedUnrated: [], effectsRerun: 0, failed: [] };
  const now = deps.now();
  const due = await deps.cases.dueTimers(now.toISOString(), BATCH);
  for (const state of due) {
    const timer = state.timer;
    if (!timer) continue;
    const action: CaseAction =
      timer.kind === 'rating_window'
        ? { action: 'flag_unrated' }
        : { action: 'escalate', reason: timer.kind === 'accept_due' ? 'accept_overdue' : 'resolve_overdue' };
    try {
      await applyCaseAction(state, action, state.version, SWEEPER, deps);
      (action.action === 'flag_unrated' ? report.flaggedUnrated : report.escalated).push(state.trackingCode);
    } catch (error) {
      // A conflict means someone moved the case meanwhile; the next sweep sees its new timer.
      report.failed.push({
        trackingCode: state.trackingCode,
        error: error instanceof Error ? error.name : 'unknown',
      });
    }
  }

  const org = await deps.directory.load();
  const stale = await deps.cases.pendingEffects(
    new Date(now.getTime() - OUTBOX_GRACE_MS).toISOString(),
    BATCH,
  );
  const byCase = Map.groupBy(stale, (p) => p.trackingCode);
  for (const [trackingCode, pending] of byCase) {
    const state = await deps.cases.getCase(trackingCode);
    if (!state) continue;
    try {
      await runPending(state, pending, { ...deps, countyCentreUnitId: org.countyCentreUnitId });
      report.effectsRerun += pending.length;
    } catch (error) {
      report.failed.push({ trackingCode, error: error instanceof Error ? error.name : 'unknown' });
    }
  }
  return report;
}
