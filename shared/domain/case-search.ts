/**
 * What staff search cases by, and the postings that make it a key lookup instead of a scan: a
 * tracking code typed any way, the last digits of the reporter's phone, or words of the
 * description. Pure: how a query is read, how a description is cut into terms (Chinese has no
 * spaces, so character bigrams; Latin letters and digits as lower-cased words), and the keys a
 * case's postings live under — per scope the console reads in (unit, township, community,
 * county) and per month, so no posting partition takes every write and a query reads only its
 * own scope's newest postings.
 */
import type { CaseReport, CaseState } from './case.ts';
import type { Staff } from './staff.ts';
import { normaliseTrackingCode, type TrackingCode } from './tracking-code.ts';

// ─── terms ─────────────────────────────────────────────────────────────────────────────────────

/** Scripts written without spaces between words: indexed as overlapping pairs of characters. */
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
/** A run of unspaced characters, or of other letters and digits. */
const RUN =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]+|(?:(?![\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}])[\p{L}\p{N}\p{M}])+/gu;
/** Longer words are cut here: nobody types 40 letters into a search box. */
const MAX_WORD = 40;
/**
 * A description has at most this many distinct terms indexed (2000 characters of Chinese make up
 * to ~2000 bigrams): it bounds the postings one report writes. The first terms are kept, and a
 * resident's first sentences say what the problem is.
 */
export const MAX_TERMS_PER_CASE = 300;
/** A query uses at most this many terms; each is one key condition per scope and month. */
export const MAX_QUERY_TERMS = 6;

/** NFKC (full-width letters and digits become ASCII) and lower case: how text is compared. */
export const normaliseText = (text: string): string => text.normalize('NFKC').toLowerCase();

/**
 * The distinct terms of a text, in order of first appearance: for runs of Chinese (or Japanese,
 * Korean) characters every pair of neighbours, or the character itself when it stands alone;
 * for runs of other letters and digits the lower-cased word, if it has at least two characters.
 * Punctuation, spaces and symbols only separate.
 */
export function searchTerms(text: string, max: number = MAX_TERMS_PER_CASE): string[] {
  const terms = new Set<string>();
  for (const [run] of normaliseText(text).matchAll(RUN)) {
    if (terms.size >= max) break;
    if (UNSPACED.test(run)) {
      const chars = [...run];
      if (chars.length === 1) terms.add(run);
      for (let i = 0; i + 1 < chars.length && terms.size < max; i++) terms.add(`${chars[i]}${chars[i + 1]}`);
    } else if ([...run].length >= 2) {
      terms.add([...run].slice(0, MAX_WORD).join(''));
    }
  }
  return [...terms];
}

// ─── queries ───────────────────────────────────────────────────────────────────────────────────

export type SearchBy = 'auto' | 'code' | 'phone' | 'text';

/** What a query asks for, once read. */
export type SearchQuery =
  | { kind: 'code'; code: TrackingCode; orText: string[] }
  | { kind: 'phone'; digits: string }
  | { kind: 'text'; terms: string[] }
  | { kind: 'invalid'; message: string };

/** Dashes, dots and spaces of every width: what people put between a code's groups of three. */
const CODE_SEPARATORS = /[\s\p{Pd}_.·・‧•/]/gu;
const PHONE_SEPARATORS = /[\s\p{Pd}.()（）+]/gu;
const MIN_PHONE_DIGITS = 4;
const MAX_PHONE_DIGITS = 15;

/** The tracking code in what someone typed (any case, width and separators; O for 0, I/L for 1). */
export function codeInQuery(query: string): TrackingCode | undefined {
  return normaliseTrackingCode(query.normalize('NFKC').replace(CODE_SEPARATORS, ''));
}

/** The digits of a phone number or its tail (4–15 digits, spaces, dashes and a + allowed). */
export function phoneDigitsInQuery(query: string): string | undefined {
  const digits = query.normalize('NFKC').replace(PHONE_SEPARATORS, '');
  return /^\d+$/.test(digits) && digits.length >= MIN_PHONE_DIGITS && digits.length <= MAX_PHONE_DIGITS
    ? digits
    : undefined;
}

/**
 * Reads a query. `auto`: digits only (4–15) are a phone tail; else a tracking code if it is one
 * (with the words as a fallback, since a nine-letter word can look like a code); else words.
 */
export function parseSearchQuery(query: string, by: SearchBy = 'auto'): SearchQuery {
  const text = () => {
    const terms = searchTerms(query, MAX_QUERY_TERMS);
    return terms.length > 0
      ? ({ kind: 'text', terms } as const)
      : ({
          kind: 'invalid',
          message: 'no words to search for: two or more letters or digits, or a Chinese character',
        } as const);
  };
  const code = () => {
    const found = codeInQuery(query);
    return found
      ? ({
          kind: 'code',
          code: found,
          orText: by === 'auto' ? searchTerms(query, MAX_QUERY_TERMS) : [],
        } as const)
      : ({
          kind: 'invalid',
          message: 'not a tracking code: nine letters and digits, like K7M-2QX-9PA',
        } as const);
  };
  const phone = () => {
    const digits = phoneDigitsInQuery(query);
    return digits
      ? ({ kind: 'phone', digits } as const)
      : ({ kind: 'invalid', message: 'not a phone number or its last digits: 4 to 15 digits' } as const);
  };
  switch (by) {
    case 'code':
      return code();
    case 'phone':
      return phone();
    case 'text':
      return text();
    case 'auto':
      if (phoneDigitsInQuery(query)) return phone();
      if (codeInQuery(query)) return code();
      return text();
  }
}

// ─── postings ──────────────────────────────────────────────────────────────────────────────────

/**
 * A scope the lists read in, as a posting key part. Township, community and county never change
 * for a case; the unit does (returned, reassigned), so a case's postings under its old units are
 * removed when it moves.
 */
export const scopeKey = {
  unit: (unitId: string) => `U:${unitId}`,
  township: (townshipId: string) => `T:${townshipId}`,
  community: (communityId: string) => `C:${communityId}`,
  county: () => 'K',
} as const;

/** The scopes a case is listed in now (as the lists' lanes: unit, township, community, county). */
export const scopesOfCase = (c: Pick<CaseState, 'unitId' | 'townshipId' | 'communityId'>): string[] => [
  scopeKey.unit(c.unitId),
  ...(c.townshipId ? [scopeKey.township(c.townshipId)] : []),
  scopeKey.community(c.communityId),
  scopeKey.county(),
];

/** Units a case was with before its current one (from its timeline): where stale postings may be. */
export const formerUnitsOf = (c: Pick<CaseState, 'unitId' | 'timeline'>): string[] => [
  ...new Set(c.timeline.flatMap((e) => (e.unitId && e.unitId !== c.unitId ? [e.unitId] : []))),
];

/**
 * Where a member of staff searches: exactly the lanes their lists are read from (a unit handler
 * their unit; a centre dispatcher their centre's own cases and their township's; a grid worker
 * their community; county supervisors and admins the county). Every hit is still checked against
 * the case as it is now (`canSee`), as the case view does.
 */
export function scopesOfStaff(staff: Staff): string[] {
  switch (staff.role) {
    case 'unit_handler':
      return [scopeKey.unit(staff.unitId)];
    case 'centre_dispatcher':
      return [scopeKey.unit(staff.unitId), scopeKey.township(staff.townshipId)];
    case 'grid_worker':
      return [scopeKey.community(staff.communityId)];
    case 'county_supervisor':
    case 'admin':
      return [scopeKey.county()];
    case 'outreach_staff':
      return [];
  }
}

/**
 * Roles that may search by a reporter's phone: those the case view may show a phone to
 * (`mayContactReporter`); each hit is still checked against that rule for its case. Admins and
 * outreach staff never see phones, so they may not search by them either.
 */
export const mayFindByPhone = (staff: Staff): boolean =>
  staff.role === 'unit_handler' ||
  staff.role === 'centre_dispatcher' ||
  staff.role === 'county_supervisor' ||
  staff.role === 'grid_worker';

/** Postings are sharded by the month the case was submitted (UTC), newest searched first. */
export const monthOf = (isoInstant: string): string => isoInstant.slice(0, 7);

/** The month before `month` (`YYYY-MM`). */
export function previousMonth(month: string): string {
  const [year = 0, m = 1] = month.split('-').map(Number);
  return m === 1 ? `${year - 1}-12` : `${year}-${String(m - 1).padStart(2, '0')}`;
}

/** A posting's sort key: newest first is descending order; the code is its last nine characters. */
export const postingSortKey = (c: Pick<CaseState, 'submittedAt' | 'trackingCode'>): string =>
  `${c.submittedAt}#${c.trackingCode}`;
export const codeOfPostingSortKey = (sk: string): string => sk.slice(-9);

/**
 * What a phone is found by: its last four digits, nothing more. Four digits identify nobody
 * (a county's 150,000 households share 10,000 endings); the number itself stays in the report.
 */
export const phoneTail = (phone: string): string => phone.replace(/\D/g, '').slice(-MIN_PHONE_DIGITS);

/** Keys of a term posting and of a phone posting. */
export const termPostingKey = (scope: string, month: string, term: string): string =>
  `W#${scope}#${month}#${term}`;
export const phonePostingKey = (tail: string): string => `P#${tail}`;

export interface CasePostings {
  sortKey: string;
  /** Postings the case should have now. */
  keys: string[];
  /** Postings it may still have from units it was with before. */
  stale: string[];
}

/**
 * The postings of a case as it is now: each term of its description under each of its scopes
 * for its month, and its phone's tail; none once the report is anonymised (its words and phone
 * are gone, so must their postings be).
 */
export function postingsOf(state: CaseState, report: CaseReport | undefined): CasePostings {
  const sortKey = postingSortKey(state);
  const month = monthOf(state.submittedAt);
  if (!report || report.anonymisedAt !== undefined || state.anonymisedAt !== undefined)
    return { sortKey, keys: [], stale: [] };
  const terms = searchTerms(report.description);
  const keys = scopesOfCase(state).flatMap((scope) => terms.map((t) => termPostingKey(scope, month, t)));
  if (report.contactPhone) keys.push(phonePostingKey(phoneTail(report.contactPhone)));
  const stale = formerUnitsOf(state).flatMap((unitId) =>
    terms.map((t) => termPostingKey(scopeKey.unit(unitId), month, t)),
  );
  return { sortKey, keys, stale };
}

/**
 * Every posting a case can have had from this report, under every unit it was ever with: what
 * anonymising it removes (computed from the words before they go, not from a record of writes,
 * so a posting a late writer put back is removed as well).
 */
export function everyPostingOf(state: CaseState, report: CaseReport): string[] {
  const terms = searchTerms(report.description);
  const month = monthOf(state.submittedAt);
  const scopes = [...scopesOfCase(state), ...formerUnitsOf(state).map(scopeKey.unit)];
  return [
    ...scopes.flatMap((scope) => terms.map((t) => termPostingKey(scope, month, t))),
    ...(report.contactPhone ? [phonePostingKey(phoneTail(report.contactPhone))] : []),
  ];
}
