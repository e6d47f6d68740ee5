/**
 * Port: the search postings (shared/domain/case-search.ts) and the reads a search needs. A
 * posting is a key (term or phone tail, scope, month) and a case's sort key (submitted at, code),
 * nothing else; writing one twice, or deleting one that is not there, changes nothing, so every
 * writer may repeat itself.
 */
import type { CaseReport, CaseState } from '../domain/case.ts';

export interface PostingPage {
  /** Sort keys under the posting key, newest first. */
  sortKeys: string[];
  /** True when the bound cut the page short: older postings exist below its last sort key. */
  more: boolean;
}

export interface CaseSearchIndex {
  /** Puts the case's postings under `put` and deletes those under `remove` (idempotent). */
  write(sortKey: string, put: readonly string[], remove: readonly string[]): Promise<void>;
  /** Up to `limit` postings of `key`, newest first, only those sorting before `before` when given. */
  postings(key: string, limit: number, before?: string): Promise<PostingPage>;
}

/** Many cases (or reports) at once, for checking search hits against the cases as they are now. */
export interface CaseBatchReader {
  /** The cases with these codes that exist (in no particular order); unreadable items are left out. */
  getCases(codes: readonly string[]): Promise<CaseState[]>;
  getReports(codes: readonly string[]): Promise<CaseReport[]>;
}
