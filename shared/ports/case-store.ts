/**
 * Port: where cases live. Every state change is one conditional write that names the stage and
 * version it expects, so two writers can never both win and nothing needs a transaction. The
 * effects a change triggers are written with it (an outbox on the case item) and cleared once
 * they have run, so a crash in between is repaired by the sweeper, not lost.
 */
import type { CaseReport, CaseState, Stage } from '../domain/case.ts';
import type { DuplicateLinkPlan, Effect, TransitionPlan } from '../domain/case-lifecycle.ts';

export type CreateCaseResult = { created: true } | { created: false; existing: CaseState };

/** On success, every effect still pending on the case (this one's included), oldest first. */
export type ApplyResult =
  | { applied: true; state: CaseState; pending: PendingEffects[] }
  | { applied: false; current: CaseState | undefined };

/** A case with effects still to run, as the outbox index lists it. */
export interface PendingEffects {
  trackingCode: string;
  version: number;
  effects: Effect[];
}

export interface CasePage {
  cases: CaseState[];
  /** Opaque; pass back to get the next page. */
  cursor?: string;
}

/** The lists the console shows; each is one index query, never a scan. */
export type CaseListing =
  | { kind: 'unit'; unitId: string; open: boolean }
  | { kind: 'township'; townshipId: string; open: boolean }
  | { kind: 'community'; communityId: string; open: boolean }
  | { kind: 'county'; open: boolean }
  | { kind: 'return_visits'; townshipId: string | 'all' }
  | { kind: 'transfers'; townshipId: string | 'all' };

export interface ListFilter {
  stage?: Stage;
  overdue?: { now: string };
  category?: string;
  communityId?: string;
  /** Only cases submitted at or after this instant (duplicate suggestions). */
  since?: string;
}

export interface CaseStore {
  /** Write-once; a second save of the same submission is a no-op, another submission's is a CaseConflictError. */
  saveReport(report: CaseReport): Promise<void>;
  getReport(trackingCode: string): Promise<CaseReport | undefined>;
  /** Creates the case (with the effects its creation triggers in its outbox) unless it exists. */
  createCase(state: CaseState, effects: Effect[]): Promise<CreateCaseResult>;
  getCase(trackingCode: string): Promise<CaseState | undefined>;
  /** One conditional write: applies `plan` if the case is still at `plan.from`. */
  applyTransition(current: CaseState, plan: TransitionPlan): Promise<ApplyResult>;
  /** Marks the effects of `version` as done. */
  clearEffects(trackingCode: string, version: number): Promise<void>;
  /** Cases whose effects were written before `olderThan` and are still pending. */
  pendingEffects(olderThan: string, limit: number): Promise<PendingEffects[]>;
  /** Open cases whose SLA or rating timer fell due at or before `now`. */
  dueTimers(now: string, limit: number): Promise<CaseState[]>;
  listCases(listing: CaseListing, filter: ListFilter, limit: number, cursor?: string): Promise<CasePage>;
  /**
   * Adds `duplicate` to the original's set of merged reports (idempotent). Only for the
   * `link_duplicate` effects stored before a merge linked its original itself.
   */
  linkDuplicate(original: string, duplicate: string): Promise<void>;

  // ─── timers and merges (shared/services/sweep-due-timers.ts, shared/services/transition-case.ts) ───
  /**
   * A page of cases whose timer fell due at or before `now`, soonest first. Items that no longer
   * parse as a case are named in `unreadable` rather than failing the page, so one bad item never
   * stops the sweeper reaching the rest.
   */
  dueTimerPage(
    now: string,
    limit: number,
    cursor?: string,
  ): Promise<{ cases: CaseState[]; unreadable: string[]; cursor?: string }>;
  /**
   * Takes a spent timer off a case (one the lifecycle refused to act on) if the case is still at
   * `seen`'s version with `seen`'s timer; false if it moved on meanwhile. Not a transition: no new
   * version, no timeline event. With `seen.timer` absent it removes stray timer index keys.
   */
  dropTimer(seen: CaseState): Promise<boolean>;
  /** The original's half of a merge: one conditional write of `plan`, if `original` is still at `plan.from`. */
  writeDuplicateLink(
    original: CaseState,
    plan: DuplicateLinkPlan,
  ): Promise<{ applied: true; state: CaseState } | { applied: false; current: CaseState | undefined }>;
}
