/**
 * Port: the cases whose retention period ran out, and the writes that anonymise them. No
 * transactions: the report is rewritten first and the case marked second, each conditional on
 * what was read, so a second run, or a run after a crash between the two, does each step once.
 * The due cases are a sparse index that only holds what is left to do, so any run resumes where
 * the last one stopped without a checkpoint.
 */
import type { CaseReport, CaseState } from '../domain/case.ts';
import type { AnonymisedStateFields } from '../domain/report-retention.ts';

export interface RetentionPage {
  cases: CaseState[];
  /** Keys of items that no longer parse as a case: named, never read out, so one cannot stop a run. */
  unreadable: string[];
  /** Pass back as `after` for the next page; absent on the last one. */
  next?: string;
}

/** How far the one-off indexing of cases finished before the retention index existed has got. */
export interface RetentionBackfill {
  /** The last done case indexed (its position in the done lane); absent before the first page. */
  after?: string;
  completedAt?: string;
  indexed: number;
}

export interface ReportRetention {
  /** Cases whose retention clock started at or before `cutoff`, oldest first, a page of at most `limit`. */
  duePage(cutoff: string, limit: number, after?: string): Promise<RetentionPage>;
  /** The case and its report as they are now (strongly consistent reads). */
  current(trackingCode: string): Promise<{ state?: CaseState; report?: CaseReport }>;
  /**
   * Replaces the stored report with `report` (its anonymised form) in one write, only if it is
   * still the same submission's; false when there is none or it is another's.
   */
  replaceReport(report: CaseReport): Promise<boolean>;
  /**
   * Writes the anonymised fields onto the case and takes it out of the retention index, only if it
   * is still at `seen`'s version (a case that moved meanwhile is judged again on the next run).
   * Not a transition: no new version, no timeline event. The case's training example (its words
   * kept for the classifier, shared/ports/training-examples.ts) is deleted first.
   */
  markAnonymised(seen: CaseState, fields: AnonymisedStateFields): Promise<boolean>;
  /**
   * Takes a case whose clock does not run (open again, awaiting a visit, anonymised) out of the
   * index, if it is still at `seen`'s version: keys a late writer put back on it from an older
   * read would otherwise have it listed, and skipped, on every run.
   */
  dropFromIndex(seen: CaseState): Promise<boolean>;

  // ─── the backfill: done cases written before the retention index existed ───
  backfillProgress(): Promise<RetentionBackfill>;
  /** Every done case, in a stable order, a page at a time after the position `after`. */
  doneCasesPage(limit: number, after?: string): Promise<RetentionPage>;
  /** Puts a case into the retention index if its clock runs and it is still at `seen`'s version. */
  startClock(seen: CaseState): Promise<boolean>;
  /** Records progress; a run that falls behind another's progress does not move it back. */
  saveBackfillProgress(progress: RetentionBackfill): Promise<void>;
}
