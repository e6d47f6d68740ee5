/**
 * Port: where cases live. Every state change is one conditional write that names the stage and
 * version it expects, so two writers can never both win and nothing needs a transaction. The
 * effects a change triggers are written with it (an outbox of entries on the case item), each
 * settled on its own once attempted, so a crash in between is repaired by the sweeper, not lost,
 * and one failing effect never holds up another.
 */
import type { CaseReport, CaseState, Stage } from '../domain/case.ts';
import type { DuplicateLinkPlan, TransitionPlan } from '../domain/case-lifecycle.ts';
import type { EffectOutcome, OutboxEntry } from '../domain/effect-outbox.ts';
import type { TrainingExampleWriter } from './training-examples.ts';

export type CreateCaseResult =
  | { created: true; state: CaseState; pending: OutboxEntry[] }
  | { created: false; existing: CaseState };

/** On success, the case as written and every outbox entry now on it. */
export type ApplyResult =
  | { applied: true; state: CaseState; pending: OutboxEntry[] }
  | { applied: false; current: CaseState | undefined };

/** A case with outbox entries, as the outbox index lists it. */
export interface PendingEffects {
  state: CaseState;
  entries: OutboxEntry[];
}

export interface CasePage {
  cases: CaseState[];
  /**
   * Opaque; pass back (with the same listing and filter, as the same caller) for the next page.
   * Only given when the request named the cursor's seal.
   */
  cursor?: string;
}

/** A scope to list in: where the caller's role lets them look, never wider. */
export type CaseScope =
  | { kind: 'unit'; unitId: string }
  | { kind: 'township'; townshipId: string }
  | { kind: 'community'; communityId: string }
  | { kind: 'county' };

/**
 * The lists the console shows; each is one index query whose key condition is the scope (a lane
 * of the unit, township, community or county), never a scan and never a wider index filtered.
 */
export type CaseListing =
  | { kind: 'unit'; unitId: string; open: boolean }
  | { kind: 'township'; townshipId: string; open: boolean }
  | { kind: 'community'; communityId: string; open: boolean }
  | { kind: 'county'; open: boolean }
  /** Closed cases in the scope still awaiting their return visit. */
  | { kind: 'return_visits'; scope: CaseScope }
  /** Open cases in the scope that were returned or reassigned at least once. */
  | { kind: 'transfers'; scope: CaseScope };

/**
 * What a page cursor is bound to: signed with `key` (a deployment secret) for `caller`, and valid
 * only for the listing and filter it was given out for, so a cursor cannot be forged, edited, or
 * replayed by someone else or on another list.
 */
export interface CursorSeal {
  key: string;
  caller: string;
}

export interface PageRequest {
  cursor?: string;
  seal: CursorSeal;
}

export interface ListFilter {
  stage?: Stage;
  overdue?: { now: string };
  category?: string;
  communityId?: string;
  /** Only cases submitted at or after this instant (duplicate suggestions). */
  since?: string;
}

/** The case table also keeps the classifier's labelled examples (shared/ports/training-examples.ts). */
export interface CaseStore extends TrainingExampleWriter {
  /** Write-once; a second save of the same submission is a no-op, another submission's is a CaseConflictError. */
  saveReport(report: CaseReport): Promise<void>;
  getReport(trackingCode: string): Promise<CaseReport | undefined>;
  /** Creates the case (with the outbox entries its creation triggers) unless it exists. */
  createCase(state: CaseState, entries: OutboxEntry[]): Promise<CreateCaseResult>;
  getCase(trackingCode: string): Promise<CaseState | undefined>;
  /** One conditional write: applies `plan` (its effects as `entries`) if the case is still at `plan.from`. */
  applyTransition(current: CaseState, plan: TransitionPlan, entries: OutboxEntry[]): Promise<ApplyResult>;
  /**
   * Records what became of attempted entries in one write: done and failed ones leave the outbox
   * (a failure as a notice staff see), retried ones get their new schedule. `seen` is the case and
   * outbox the caller read; if the case moved on since, the store rereads and applies the same
   * outcomes to what is there.
   */
  settleEffects(seen: PendingEffects, outcomes: EffectOutcome[]): Promise<void>;
  /**
   * Claims the next at-most-once attempt of an entry with `token`: false if someone else did. A
   * claim whose answer was lost is recognised by its token, so it is neither lost nor doubled.
   */
  claimEntry(trackingCode: string, entry: OutboxEntry, token: string): Promise<boolean>;
  /** Cases with an outbox entry due at or before `dueBy`, soonest first (a page of at most `limit`). */
  pendingEffects(
    dueBy: string,
    limit: number,
    after?: string,
  ): Promise<{ cases: PendingEffects[]; next?: string }>;
  /**
   * Up to `limit` cases of `listing`, newest first. A cursor that this store did not seal for this
   * caller, listing and filter is a ValidationError naming `cursor`.
   */
  listCases(listing: CaseListing, filter: ListFilter, limit: number, page?: PageRequest): Promise<CasePage>;
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

/**
 * The result photos a case shows the public (shared/services/report-photos.ts). A field update of
 * the case item, not a transition: no new version, no timeline event, and the transitions' own
 * updates never touch the field, so neither write undoes the other.
 */
export interface PublicPhotoRecorder {
  /**
   * Appends `key` to the case's public photos unless it is there already (a retry) or the case
   * has `max` of them: `full` then. `missing` when there is no such case.
   */
  recordPublicPhoto(trackingCode: string, key: string, max: number): Promise<'recorded' | 'full' | 'missing'>;
}
