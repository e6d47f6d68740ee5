/**
 * Search for staff (`GET /api/cases/search`). A tracking code is
 * one GetItem; a phone's last digits one Query; words one Query per term, scope and month, newest
 * month first, each bounded, intersected. Every hit is checked against the case as it is now with
 * the case view's own rules (`canSee`; for phones `mayContactReporter` too), so a case outside the
 * caller's scope is never found — the same as a case that does not exist — and a posting left
 * behind by a move or a race shows nothing. Rows are the lists' rows; pages continue with a
 * cursor sealed for this caller and this query.
 *
 * The postings are kept by shared/services/case-search-upkeep.ts.
 */
import type { CaseState } from '../domain/case.ts';
import { canSee, mayContactReporter } from '../domain/case-lifecycle.ts';
import {
  codeOfPostingSortKey,
  MAX_QUERY_TERMS,
  mayFindByPhone,
  monthOf,
  parseSearchQuery,
  phonePostingKey,
  phoneTail,
  previousMonth,
  scopesOfStaff,
  termPostingKey,
} from '../domain/case-search.ts';
import type { Staff } from '../domain/staff.ts';
import { ForbiddenError, ValidationError } from '../errors.ts';
import type { CaseBatchReader, CaseSearchIndex } from '../ports/case-search.ts';
import type { CaseStore } from '../ports/case-store.ts';
import type { SecretReader } from '../ports/secret.ts';
import * as z from '../schema.ts';
import { parseOrThrow } from '../validation.ts';
import { type CaseSummary, requireCaseAccess, summarise } from './case-queries.ts';

// ─── the query ─────────────────────────────────────────────────────────────────────────────────

export const CaseSearchQuery = z.object({
  q: z
    .string()
    .check(
      z.trim(),
      z.minLength(1, 'type a tracking code, the last digits of a phone, or words'),
      z.maxLength(200),
    ),
  by: z._default(z.enum(['auto', 'code', 'phone', 'text']), 'auto'),
  limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(50)), 20),
  cursor: z.optional(z.string().check(z.maxLength(2000))),
});
export type CaseSearchQuery = z.infer<typeof CaseSearchQuery>;

export interface CaseSearchDeps {
  cases: Pick<CaseStore, 'getCase'>;
  batch: CaseBatchReader;
  index: Pick<CaseSearchIndex, 'postings'>;
  /** The secret the page cursors are signed with (the case lists' own). */
  cursorKey: SecretReader;
  /** Seals and opens cursors (shared/adapters/page-cursor.ts), bound to the caller and the query. */
  cursors: {
    seal(key: string, binding: unknown, position: Record<string, string>): string | undefined;
    open(
      key: string,
      binding: unknown,
      cursor: string | undefined,
    ): Record<string, string | number> | undefined;
  };
  now: () => Date;
}

/** Postings read per term, scope and month at once; a term with more is read on in the next window. */
export const POSTINGS_PER_READ = 200;
/**
 * Query requests one search may make (an empty month costs one per scope, 0.5 read units each);
 * past it, the page ends with a cursor to read on.
 */
export const QUERIES_PER_SEARCH = 100;
/**
 * How far back (by submission) words are searched; older cases are found by code or phone. With
 * the default retention a done case's words are gone a year after it is done anyway.
 */
export const MONTHS_SEARCHED = 24;
/** Cases with one phone ending looked at (a county has a few a year per ending). */
const PHONE_POSTINGS = 100;

const Position = z.object({
  m: z.string().check(z.regex(/^\d{4}-\d{2}$/)),
  b: z.optional(z.string().check(z.maxLength(100))),
});
type Position = z.infer<typeof Position>;

export interface CaseSearchResult {
  cases: CaseSummary[];
  cursor?: string;
}

export async function searchCases(
  caller: Staff,
  rawQuery: unknown,
  deps: CaseSearchDeps,
): Promise<CaseSearchResult> {
  const staff = requireCaseAccess(caller);
  const query = parseOrThrow(CaseSearchQuery, rawQuery ?? {}, 'The query');
  const parsed = parseSearchQuery(query.q, query.by);
  const now = deps.now();
  const rows = (cases: CaseState[]) => cases.map((c) => summarise(c, now));
  switch (parsed.kind) {
    case 'invalid':
      throw new ValidationError(`Nothing to search for: ${parsed.message}`, [
        { path: 'q', message: parsed.message },
      ]);
    case 'code': {
      const state = await deps.cases.getCase(parsed.code);
      // Out of scope is the same as not there: an empty answer, never a 403.
      if (state && canSee(staff, state)) return { cases: rows([state]) };
      if (parsed.orText.length === 0) return { cases: [] };
      return searchText(staff, parsed.orText, query, deps);
    }
    case 'phone': {
      if (!mayFindByPhone(staff))
        throw new ForbiddenError(
          'Searching by phone is for staff who may call reporters; search the words with by=text',
        );
      return { cases: rows(await searchPhone(staff, parsed.digits, query.limit, deps)) };
    }
    case 'text':
      return searchText(staff, parsed.terms, query, deps);
  }
}

async function searchPhone(
  staff: Staff,
  digits: string,
  limit: number,
  deps: CaseSearchDeps,
): Promise<CaseState[]> {
  const page = await deps.index.postings(phonePostingKey(phoneTail(digits)), PHONE_POSTINGS);
  const found = await visibleInOrder(
    page.sortKeys,
    deps,
    (c) => findable(c) && canSee(staff, c) && mayContactReporter(staff, c),
  );
  if (digits.length <= 4) return found.slice(0, limit);
  // More digits than the posting keeps: compared with the report's number, which never leaves here.
  const reports = await deps.batch.getReports(found.map((c) => c.trackingCode));
  const matching = new Set(
    reports.filter((r) => r.contactPhone?.replace(/\D/g, '').endsWith(digits)).map((r) => r.trackingCode),
  );
  return found.filter((c) => matching.has(c.trackingCode)).slice(0, limit);
}

/**
 * An anonymised case is never found by words or phone, even through a posting a late writer put
 * back after anonymisation removed them (a reindex that read the report just before it went).
 */
const findable = (c: CaseState): boolean => c.anonymisedAt === undefined;

/** The cases of `sortKeys` (newest first) that exist and pass `keep`, in that order. */
async function visibleInOrder(
  sortKeys: readonly string[],
  deps: CaseSearchDeps,
  keep: (c: CaseState) => boolean,
): Promise<CaseState[]> {
  const codes = [...new Set(sortKeys.map(codeOfPostingSortKey))];
  if (codes.length === 0) return [];
  const byCode = new Map((await deps.batch.getCases(codes)).map((c) => [c.trackingCode, c]));
  return codes.flatMap((code) => {
    const c = byCode.get(code);
    return c && keep(c) ? [c] : [];
  });
}

/** Months before this one are not searched. */
function floorMonth(now: Date): string {
  let month = monthOf(now.toISOString());
  for (let i = 1; i < MONTHS_SEARCHED; i++) month = previousMonth(month);
  return month;
}

async function searchText(
  staff: Staff,
  terms: readonly string[],
  query: CaseSearchQuery,
  deps: CaseSearchDeps,
): Promise<CaseSearchResult> {
  const scopes = scopesOfStaff(staff);
  const now = deps.now();
  const key = await deps.cursorKey();
  // The cursor resumes this caller's search for these words, and nothing else.
  const binding = { caller: staff.userId, list: 'search', terms: terms.slice(0, MAX_QUERY_TERMS) };
  const opened = deps.cursors.open(key, binding, query.cursor);
  const start: Position = opened
    ? parseOrThrow(Position, opened, 'The cursor')
    : { m: monthOf(now.toISOString()) };
  const floor = floorMonth(now);

  const hits: string[] = [];
  let position: Position | undefined = start;
  let queries = 0;
  while (position && hits.length < query.limit && queries < QUERIES_PER_SEARCH) {
    const at: Position = position;
    const windows = await Promise.all(scopes.map((scope) => matchWindow(scope, terms, at, deps)));
    queries += windows.reduce((n, w) => n + w.queries, 0);
    // Exact for everything at or after the latest cutoff of any scope; the rest is read next.
    const cutoff = windows.reduce<string | undefined>(
      (c, w) => (w.cutoff !== undefined && (c === undefined || w.cutoff > c) ? w.cutoff : c),
      undefined,
    );
    const matched = [...new Set(windows.flatMap((w) => w.matches))]
      .filter((sk) => cutoff === undefined || sk >= cutoff)
      .sort()
      .reverse();
    hits.push(...matched);
    if (cutoff !== undefined) position = { m: at.m, b: cutoff };
    else position = at.m > floor ? { m: previousMonth(at.m) } : undefined;
  }
  const page = hits.slice(0, query.limit);
  const last = page.at(-1);
  // Cut short: resume right after the last row shown, in its month.
  if (hits.length > query.limit && last !== undefined) position = { m: monthOf(last), b: last };
  const found = await visibleInOrder(page, deps, (c) => findable(c) && canSee(staff, c));
  const cursor = position ? deps.cursors.seal(key, binding, position) : undefined;
  return { cases: found.map((c) => summarise(c, now)), ...(cursor ? { cursor } : {}) };
}

/**
 * The cases of one scope and month carrying every term, among the newest postings before
 * `position.b`: the first term's postings first (none: nothing to intersect, one query), then the
 * others'. Where a term had more postings than were read, only what sorts at or after its last
 * one read is certain: that is the window's cutoff.
 */
async function matchWindow(
  scope: string,
  terms: readonly string[],
  position: Position,
  deps: CaseSearchDeps,
): Promise<{ matches: string[]; cutoff?: string; queries: number }> {
  const read = (term: string) =>
    deps.index.postings(termPostingKey(scope, position.m, term), POSTINGS_PER_READ, position.b);
  const [firstTerm, ...rest] = terms;
  if (firstTerm === undefined) return { matches: [], queries: 0 };
  const first = await read(firstTerm);
  if (first.sortKeys.length === 0) return { matches: [], queries: 1 };
  const others = await Promise.all(rest.map(read));
  const pages = [first, ...others];
  const cutoff = pages.reduce<string | undefined>((c, p) => {
    const oldest = p.sortKeys.at(-1);
    return p.more && oldest !== undefined && (c === undefined || oldest > c) ? oldest : c;
  }, undefined);
  const sets = others.map((p) => new Set(p.sortKeys));
  const matches = first.sortKeys.filter(
    (sk) => sets.every((s) => s.has(sk)) && (cutoff === undefined || sk >= cutoff),
  );
  return { matches, ...(cutoff !== undefined ? { cutoff } : {}), queries: pages.length };
}
