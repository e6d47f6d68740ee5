/**
 * The sweeper's timers: every SLA deadline and rating window that fell due becomes the system
 * action the lifecycle table names for it (escalate, once per deadline; put the case on the
 * return-visit list). A timer can never jam the sweep:
 *
 * - one the table refuses to act on (already escalated for that deadline, already on the
 *   return-visit list, a stage that no longer fits) is spent: it comes off the case with a write
 *   conditioned on the version and timer the sweep read, so it is not met again on every sweep,
 *   and a case that moved meanwhile keeps its new timer;
 * - due timers are read page by page, soonest first, until none are left or the budget (cases,
 *   time) is used up, so however many fail for other reasons a fresh one further on is reached.
 */

import type { CaseState } from '../domain/case.ts';
import { type Actor, dueTimerAction } from '../domain/case-lifecycle.ts';
import { TransitionNotAllowedError, ValidationError, VersionConflictError } from '../errors.ts';
import { applyCaseAction, type TransitionDeps } from './transition-case.ts';

export interface TimerSweepBudget {
  /** Cases read per page, and acted on at once. */
  pageSize: number;
  /** At most this many due timers per sweep; the rest wait for the next one. */
  maxCases: number;
  /** Stop reading further pages after this long (the sweeper has other work and a timeout). */
  maxMs: number;
}

/** Well inside the sweeper's 60 s, leaving room for the outbox. */
export const defaultTimerBudget: TimerSweepBudget = { pageSize: 25, maxCases: 2_000, maxMs: 25_000 };

export interface TimerSweep {
  escalated: string[];
  flaggedUnrated: string[];
  /** Spent timers taken off cases the lifecycle would not act on. */
  timersCleared: string[];
  failed: { trackingCode: string; error: string }[];
  /** True when the budget ran out with due timers left (the next sweep carries on). */
  unfinished: boolean;
}

const SWEEPER: Actor = { kind: 'system', name: 'sweep-cases' };

export async function sweepDueTimers(
  deps: TransitionDeps,
  budget: TimerSweepBudget = defaultTimerBudget,
  elapsedMs: () => number = stopwatch(),
): Promise<TimerSweep> {
  const sweep: TimerSweep = {
    escalated: [],
    flaggedUnrated: [],
    timersCleared: [],
    failed: [],
    unfinished: false,
  };
  const now = deps.now().toISOString();
  let seen = 0;
  let cursor: string | undefined;
  do {
    const page = await deps.cases.dueTimerPage(
      now,
      Math.min(budget.pageSize, budget.maxCases - seen),
      cursor,
    );
    for (const code of page.unreadable) sweep.failed.push({ trackingCode: code, error: 'UnreadableCase' });
    await Promise.all(page.cases.map((state) => expire(state, deps, sweep)));
    seen += page.cases.length + page.unreadable.length;
    cursor = page.cursor;
  } while (cursor !== undefined && seen < budget.maxCases && elapsedMs() < budget.maxMs);
  sweep.unfinished = cursor !== undefined;
  return sweep;
}

async function expire(state: CaseState, deps: TransitionDeps, sweep: TimerSweep): Promise<void> {
  const action = dueTimerAction(state);
  try {
    if (!action) {
      // Index keys without a timer (a writer that read the case before its timer was dropped): tidy up.
      if (await deps.cases.dropTimer(state)) sweep.timersCleared.push(state.trackingCode);
      return;
    }
    try {
      await applyCaseAction(state, action, state.version, SWEEPER, deps);
      (action.action === 'flag_unrated' ? sweep.flaggedUnrated : sweep.escalated).push(state.trackingCode);
    } catch (error) {
      if (!(error instanceof ValidationError || error instanceof TransitionNotAllowedError)) throw error;
      // The table will not act on this timer as the case stands: it is spent. If the case moved
      // meanwhile the condition fails and the next sweep judges its new state.
      if (await deps.cases.dropTimer(state)) sweep.timersCleared.push(state.trackingCode);
    }
  } catch (error) {
    // Someone moved the case meanwhile: the next sweep sees its new timer. Anything else is reported.
    if (error instanceof VersionConflictError) return;
    sweep.failed.push({
      trackingCode: state.trackingCode,
      error: error instanceof Error ? error.name : 'unknown',
    });
  }
}

function stopwatch(): () => number {
  const started = performance.now();
  return () => performance.now() - started;
}
