/**
 * The upkeep of the staff search's postings (the query is shared/services/case-search.ts): written
 * off the report path by the case's outbox (`search_index`, after the delivery to the unit), again
 * whenever the case moves to another unit, removed when the report is anonymised, and written for
 * cases from before by the backfill (`search reindex`). Apart from the query, so the functions
 * that change cases do not load the search's query schemas and the case lists behind them.
 */
import type { CaseReport, CaseState } from '../domain/case.ts';
import { everyPostingOf, postingsOf } from '../domain/case-search.ts';
import type { CaseSearchIndex } from '../ports/case-search.ts';

/**
 * Writes the postings the case should have now and deletes those under units it has left.
 * Idempotent: run it again, or after a newer run, and the postings are the same (a stale run's
 * postings under an old unit are filtered out at query time and removed by the next move or by
 * anonymisation). An anonymised case gets none.
 */
export async function indexCaseForSearch(
  state: CaseState,
  report: CaseReport | undefined,
  index: Pick<CaseSearchIndex, 'write'>,
): Promise<{ written: number; removed: number }> {
  const postings = postingsOf(state, report);
  await index.write(postings.sortKey, postings.keys, postings.stale);
  return { written: postings.keys.length, removed: postings.stale.length };
}

/** Deletes every posting the report's words and phone can have made, under every unit the case was with. */
export async function removeCaseFromSearch(
  state: CaseState,
  report: CaseReport,
  index: Pick<CaseSearchIndex, 'write'>,
): Promise<void> {
  const postings = postingsOf(state, undefined);
  await index.write(postings.sortKey, [], everyPostingOf(state, report));
}
