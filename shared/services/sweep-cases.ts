/**
 * The scheduled sweeper: escalates cases whose SLA deadline passed (once per deadline), puts
 * closed cases nobody rated within the window on the return-visit list, takes spent timers off
 * so none is met again on every sweep (all three in sweep-due-timers.ts), and reruns effects a
 * crash left in a case's outbox. Reads the due-timer and outbox indexes only; never scans.
 */
import { runPending } from './case-effects.ts';
import { sweepDueTimers } from './sweep-due-timers.ts';
import type { CaseWorkDeps } from './transition-case.ts';

export type SweepDeps = CaseWorkDeps;

export interface SweepReport {
  escalated: string[];
  flaggedUnrated: string[];
  /** Spent timers taken off cases the lifecycle would not act on (see sweep-due-timers.ts). */
  timersCleared: string[];
  effectsRerun: number;
  failed: { trackingCode: string; error: string }[];
}

const BATCH = 100;
/** Effects younger than this are probably still being run by the request that wrote them. */
const OUTBOX_GRACE_MS = 60_000;

export async function sweepCases(deps: SweepDeps): Promise<SweepReport> {
  const now = deps.now();
  // Timers first, paged within their own budget (see sweep-due-timers.ts).
  const timers = await sweepDueTimers(deps);
  const report: SweepReport = {
    escalated: timers.escalated,
    flaggedUnrated: timers.flaggedUnrated,
    timersCleared: timers.timersCleared,
    effectsRerun: 0,
    failed: timers.failed,
  };

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
