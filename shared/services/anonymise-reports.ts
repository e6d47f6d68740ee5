/**
 * The retention job: anonymises the reports of cases whose retention period ran out (policy in
 * shared/domain/report-retention.ts). Each run reads the due cases from the retention index,
 * oldest first, page by page within a budget; for each it rereads the case and its report
 * (strongly consistent: the index lags a little), removes its search postings (words and phone
 * tail), replaces the report with its anonymised form, then marks the case, which takes it out
 * of the index. Both writes are conditional on what was read, so a run that dies between them
 * leaves the case in the index and the next run finishes it; a second run finds nothing to do.
 * The index holds only what is left, so a run needs no checkpoint to resume.
 *
 * Cases that were already done before the index existed are put into it by a one-off backfill
 * over the county's done lane, with whatever budget a run has left; it records its progress and,
 * once complete, costs a run one read.
 */

import type { CaseState } from '../domain/case.ts';
import { casePhotoPrefix } from '../domain/photos.ts';
import {
  anonymisedReport,
  anonymisedStateFields,
  isDueForAnonymisation,
  retentionClockStart,
  retentionCutoff,
} from '../domain/report-retention.ts';
import { CaseConflictError } from '../errors.ts';
import type { CaseSearchIndex } from '../ports/case-search.ts';
import type { PhotoStore } from '../ports/photo-store.ts';
import type { ReportRetention } from '../ports/report-retention.ts';
import { removeCaseFromSearch } from './case-search-upkeep.ts';

export interface AnonymiseDeps {
  retention: ReportRetention;
  /** Days after its clock started (shared/domain/report-retention.ts) that a case is anonymised. */
  retentionDays: number;
  /**
   * The search postings: a report's words and phone tail are indexed, so they go before the words
   * do (functions/wiring/retention.ts always passes them; without them nothing is indexed to remove).
   */
  searchIndex?: Pick<CaseSearchIndex, 'write'>;
  /**
   * The photo bucket: a case's photos (cases/<code>/) are deleted with its personal data, as they
   * may show people, homes and number plates (functions/wiring/retention.ts always passes it).
   */
  photos?: Pick<PhotoStore, 'deleteAll'>;
  now: () => Date;
}

export interface AnonymiseBudget {
  /** Cases read per page, and anonymised at once. */
  pageSize: number;
  /** At most this many due cases per run; the rest wait for the next one. */
  maxCases: number;
  /** Stop reading further pages after this long (the function has a timeout). */
  maxMs: number;
}

/** Well inside the function's 60 s. */
export const defaultAnonymiseBudget: AnonymiseBudget = { pageSize: 25, maxCases: 5_000, maxMs: 40_000 };

export interface AnonymiseRun {
  /** Tracking codes of the cases anonymised by this run. */
  anonymised: string[];
  /** Listed as due but changed meanwhile (reopened, rated, moved on): judged again on the next run. */
  skipped: string[];
  failed: { trackingCode: string; error: string }[];
  /** True when the budget ran out with due cases left (the next run carries on). */
  unfinished: boolean;
  backfill: { indexed: number; complete: boolean };
}

export async function anonymiseReports(
  deps: AnonymiseDeps,
  budget: AnonymiseBudget = defaultAnonymiseBudget,
  elapsedMs: () => number = stopwatch(),
): Promise<AnonymiseRun> {
  const run: AnonymiseRun = {
    anonymised: [],
    skipped: [],
    failed: [],
    unfinished: false,
    backfill: { indexed: 0, complete: false },
  };
  const now = deps.now();
  const at = now.toISOString();
  const cutoff = retentionCutoff(now, deps.retentionDays);
  let seen = 0;
  let after: string | undefined;
  do {
    const page = await deps.retention.duePage(
      cutoff,
      Math.min(budget.pageSize, budget.maxCases - seen),
      after,
    );
    for (const code of page.unreadable) run.failed.push({ trackingCode: code, error: 'UnreadableCase' });
    await Promise.all(page.cases.map((listed) => anonymiseCase(listed.trackingCode, cutoff, at, deps, run)));
    seen += page.cases.length + page.unreadable.length;
    after = page.next;
  } while (after !== undefined && seen < budget.maxCases && elapsedMs() < budget.maxMs);
  run.unfinished = after !== undefined;
  if (!run.unfinished) await backfill(deps, budget, elapsedMs, run);
  return run;
}

async function anonymiseCase(
  trackingCode: string,
  cutoff: string,
  at: string,
  deps: AnonymiseDeps,
  run: AnonymiseRun,
): Promise<void> {
  try {
    const { state, report } = await deps.retention.current(trackingCode);
    if (!state || !isDueForAnonymisation(state, cutoff)) {
      // Listed but not due: the index lagged behind a change (it has the new key by now), or a
      // late writer put keys back on a case whose clock does not run; those come out.
      if (state && retentionClockStart(state) === undefined) await deps.retention.dropFromIndex(state);
      run.skipped.push(trackingCode);
      return;
    }
    // The report first: while the case is unmarked it stays in the index, so a crash after this
    // write is finished by the next run (which finds the report already anonymised).
    if (report && report.anonymisedAt === undefined) {
      // The postings before the words they were made from: a crash after this is redone by the
      // next run, which still has the words; once the report is rewritten they could not be found.
      if (deps.searchIndex) await removeCaseFromSearch(state, report, deps.searchIndex);
      const replaced = await deps.retention.replaceReport(anonymisedReport(report, at));
      if (!replaced)
        throw new CaseConflictError(`the report of ${trackingCode} changed while being anonymised`);
    }
    // Before the mark, which takes the case out of the index: a crash after this is redone by the
    // next run, and deleting what is already gone costs one listing.
    if (deps.photos) await deps.photos.deleteAll(casePhotoPrefix(trackingCode));
    if (await deps.retention.markAnonymised(state, anonymisedStateFields(state, at)))
      run.anonymised.push(trackingCode);
    else run.skipped.push(trackingCode);
  } catch (error) {
    run.failed.push({ trackingCode, error: error instanceof Error ? error.name : 'unknown' });
  }
}

/** Puts done cases written before the retention index existed into it, resuming from its progress. */
async function backfill(
  deps: AnonymiseDeps,
  budget: AnonymiseBudget,
  elapsedMs: () => number,
  run: AnonymiseRun,
): Promise<void> {
  const progress = await deps.retention.backfillProgress();
  if (progress.completedAt) {
    run.backfill.complete = true;
    return;
  }
  let { after, indexed } = progress;
  while (elapsedMs() < budget.maxMs) {
    const page = await deps.retention.doneCasesPage(budget.pageSize, after);
    for (const code of page.unreadable) run.failed.push({ trackingCode: code, error: 'UnreadableCase' });
    const started = await Promise.all(page.cases.map((state) => startClock(state, deps, run)));
    const count = started.filter(Boolean).length;
    run.backfill.indexed += count;
    indexed += count;
    if (page.next === undefined) {
      await deps.retention.saveBackfillProgress({
        ...(after ? { after } : {}),
        indexed,
        completedAt: deps.now().toISOString(),
      });
      run.backfill.complete = true;
      return;
    }
    after = page.next;
    await deps.retention.saveBackfillProgress({ after, indexed });
  }
}

/** A case already in the index (written since it existed), open again, or moved on needs nothing. */
async function startClock(state: CaseState, deps: AnonymiseDeps, run: AnonymiseRun): Promise<boolean> {
  try {
    return await deps.retention.startClock(state);
  } catch (error) {
    run.failed.push({
      trackingCode: state.trackingCode,
      error: error instanceof Error ? error.name : 'unknown',
    });
    return false;
  }
}

function stopwatch(): () => number {
  const started = performance.now();
  return () => performance.now() - started;
}
