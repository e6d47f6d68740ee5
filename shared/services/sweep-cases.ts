/**
 * The scheduled sweeper: escalates cases whose SLA deadline passed (once per deadline), puts
 * closed cases nobody rated within the window on the return-visit list, takes spent timers off
 * so none is met again on every sweep (all three in sweep-due-timers.ts), reruns the outbox
 * entries that are due (each case's entries back off on their own schedule, so stuck ones are
 * not read again until they are due and can never crowd out fresh ones), and folds settled days
 * of statistics into their balances, and sends SMS reports nobody placed by their due time on to
 * triage (forward-held-sms-reports.ts). Reads the due-timer, outbox and held-report indexes and a
 * bounded set of counters; never scans.
 */
import { settledThrough } from '../domain/case-statistics.ts';
import { type CaseEffectsDeps, runOutbox } from './case-effects.ts';
import { type ForwardHeldSmsReportsDeps, forwardHeldSmsReports } from './forward-held-sms-reports.ts';
import { sweepDueTimers } from './sweep-due-timers.ts';
import type { CaseWorkDeps } from './transition-case.ts';

export type SweepDeps = CaseWorkDeps &
  Pick<CaseEffectsDeps, 'onEffectFailed'> &
  /** The SMS channel's held reports; the sweep-cases function always has them (tests may not). */
  Partial<Pick<ForwardHeldSmsReportsDeps, 'pendingReports'>>;

export interface SweepReport {
  escalated: string[];
  flaggedUnrated: string[];
  /** Spent timers taken off cases the lifecycle would not act on (see sweep-due-timers.ts). */
  timersCleared: string[];
  effectsRerun: number;
  /** SMS reports nobody placed in time, sent on to triage (tracking codes). */
  smsReportsForwarded: string[];
  /** Units whose statistics balance took in settled days. */
  statisticsSettled: number;
  failed: { trackingCode: string; error: string }[];
}

const BATCH = 100;
/** One sweep's bound on outbox pages, so a backlog is worked off over several sweeps, not one. */
const MAX_OUTBOX_PAGES = 20;

export async function sweepCases(deps: SweepDeps): Promise<SweepReport> {
  const now = deps.now();
  // Timers first, paged within their own budget (see sweep-due-timers.ts).
  const timers = await sweepDueTimers(deps);
  const report: SweepReport = {
    escalated: timers.escalated,
    flaggedUnrated: timers.flaggedUnrated,
    timersCleared: timers.timersCleared,
    effectsRerun: 0,
    smsReportsForwarded: [],
    statisticsSettled: 0,
    failed: timers.failed,
  };

  const { pendingReports } = deps;
  if (pendingReports) {
    // Before the outbox rerun: an effect a routing here left undone is the outbox's like any other.
    const held = await forwardHeldSmsReports({ ...deps, pendingReports });
    report.smsReportsForwarded = held.forwarded;
    report.failed.push(...held.failed);
  }

  await rerunDueEffects(deps, now, report);
  await settleStatistics(deps, now, report);
  return report;
}

/** Outbox entries that are due: left by a crash, or backing off after a failure. */
async function rerunDueEffects(deps: SweepDeps, now: Date, report: SweepReport): Promise<void> {
  const org = await deps.directory.load();
  const effectsDeps = { ...deps, countyCentreUnitId: org.countyCentreUnitId };
  const dueBy = now.toISOString();
  let after: string | undefined;
  for (let page = 0; page < MAX_OUTBOX_PAGES; page++) {
    const due = await deps.cases.pendingEffects(dueBy, BATCH, after);
    for (const pending of due.cases) {
      const entries = pending.entries.filter((e) => e.nextAt <= dueBy);
      if (entries.length === 0) continue;
      try {
        await runOutbox(pending, entries, effectsDeps);
        report.effectsRerun += entries.length;
      } catch (error) {
        report.failed.push({
          trackingCode: pending.state.trackingCode,
          error: error instanceof Error ? error.name : 'unknown',
        });
      }
    }
    if (!due.next) return;
    after = due.next;
  }
}

/** Days old enough that no automatic retry can still add to them become part of each unit's balance. */
async function settleStatistics(deps: SweepDeps, now: Date, report: SweepReport): Promise<void> {
  const org = await deps.directory.load();
  const throughDay = settledThrough(now);
  try {
    const settled = await deps.stats.settle(
      org.units.map((u) => u.id),
      throughDay,
    );
    report.statisticsSettled += Object.keys(settled.settled).length;
  } catch (error) {
    report.failed.push({
      trackingCode: 'statistics',
      error: error instanceof Error ? error.name : 'unknown',
    });
  }
}
