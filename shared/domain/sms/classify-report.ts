/**
 * Puts a free-text report (SMS or web) in a category and, if it names one, a community. The
 * keyword table is data an admin edits, not code. A wrong department costs more than one triage
 * step at the sub-district centre, so the classifier favours precision: it only names a category
 * when that category is clearly ahead, and otherwise answers `other` for a human to triage.
 * Chinese is matched as substrings of the normalised text (no word segmentation needed for short
 * keywords); English keywords are matched as whole words, with common inflections.
 */
import * as z from '../../schema.ts';
import { CategoryCode } from '../categories.ts';

export const CategoryKeywords = z.object({
  zh: z.array(z.string().check(z.minLength(1))),
  en: z.array(z.string().check(z.minLength(1))),
});
export type CategoryKeywords = z.infer<typeof CategoryKeywords>;

/** Every category has an entry (`other` usually empty), so an edited table cannot forget one. */
export const KeywordTable = z.record(CategoryCode, CategoryKeywords);
export type KeywordTable = z.infer<typeof KeywordTable>;

export interface Classification {
  category: CategoryCode;
  /** False when no category was clearly ahead: the report goes to `other` for manual triage. */
  confident: boolean;
  scores: Partial<Record<CategoryCode, number>>;
  /** The keywords that counted, for the console ("why did this land here?"). */
  matched: string[];
  /** The same keywords, each with the category it counted for, in the order they were found. */
  hits: KeywordHit[];
}

export interface KeywordHit {
  keyword: string;
  category: CategoryCode;
}

export interface ClassifyOptions {
  /**
   * Names to blank out before matching, typically the community names: 朱坑村 must not read as a
   * pothole (坑), nor 古城社区 as a heritage report.
   */
  ignore?: readonly string[];
  /** The winner needs at least this score… */
  minScore?: number;
  /** …and at least this multiple of the runner-up's. */
  minLead?: number;
}

/** Tuned on test/domain/sms/labelled-reports.ts (see classifier-quality.ts). */
export const DEFAULT_MIN_SCORE = 1;
export const DEFAULT_MIN_LEAD = 2;

interface CompiledKeyword {
  category: CategoryCode;
  keyword: string;
  weight: number;
  /** Undefined for Chinese (substring match); a whole-word pattern for English. */
  pattern: RegExp | undefined;
}

// Compiled once per table object: an edited table arrives as a new object (parsed from storage),
// so mutating a table in place after its first use is not supported.
const compiled = new WeakMap<KeywordTable, readonly CompiledKeyword[]>();

/** Lower-case NFKC with single spaces: the form both the text and the keywords are matched in. */
const normalise = (s: string): string => s.normalize('NFKC').toLowerCase().replace(/\s+/gu, ' ').trim();

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Longer keywords are more specific (安全账户 vs 账户), so they weigh more: a Chinese keyword half
 * its length in characters, capped at 2; an English one 1, plus 0.5 per extra word, capped at 2.
 * A single Chinese character (坑, 臭) is therefore never enough on its own.
 */
function weightOf(keyword: string, english: boolean): number {
  if (english) return Math.min(2, 1 + 0.5 * (keyword.split(' ').length - 1));
  return Math.min(2, [...keyword].length / 2);
}

function compile(table: KeywordTable): readonly CompiledKeyword[] {
  const cached = compiled.get(table);
  if (cached) return cached;
  const list: CompiledKeyword[] = [];
  for (const category of CategoryCode.options) {
    const entry = table[category];
    for (const raw of entry.zh) {
      const keyword = normalise(raw);
      if (keyword !== '')
        list.push({ category, keyword, weight: weightOf(keyword, false), pattern: undefined });
    }
    for (const raw of entry.en) {
      const keyword = normalise(raw);
      if (keyword === '') continue;
      // Whole words with plural/past/gerund endings: "pothole" matches "potholes", "rob" not "robust".
      const pattern = new RegExp(
        `(?<![\\p{L}\\p{N}])${escapeRegExp(keyword)}(?:s|es|d|ed|ing)?(?![\\p{L}\\p{N}])`,
        'gu',
      );
      list.push({ category, keyword, weight: weightOf(keyword, true), pattern });
    }
  }
  // Longest first: a long keyword claims its span, so 安全账户 is not counted again as 账户.
  list.sort((a, b) => [...b.keyword].length - [...a.keyword].length);
  compiled.set(table, list);
  return list;
}

function spans(text: string, k: CompiledKeyword): Array<[number, number]> {
  const found: Array<[number, number]> = [];
  if (k.pattern) {
    k.pattern.lastIndex = 0;
    for (const m of text.matchAll(k.pattern)) found.push([m.index, m.index + m[0].length]);
    return found;
  }
  for (let i = text.indexOf(k.keyword); i !== -1; i = text.indexOf(k.keyword, i + 1)) {
    found.push([i, i + k.keyword.length]);
  }
  return found;
}

export function classifyReport(
  text: string,
  table: KeywordTable,
  options: ClassifyOptions = {},
): Classification {
  let haystack = normalise(text);
  for (const name of options.ignore ?? []) {
    const n = normalise(name);
    if (n !== '') haystack = haystack.split(n).join(' ');
  }
  const taken = new Uint8Array(haystack.length);
  const scores: Partial<Record<CategoryCode, number>> = {};
  const matched: string[] = [];
  const hits: KeywordHit[] = [];
  for (const k of compile(table)) {
    // Each keyword counts once however often it is repeated: shouting 诈骗诈骗诈骗 is not more fraud.
    const free = spans(haystack, k).find(([from, to]) => !taken.subarray(from, to).includes(1));
    if (free === undefined) continue;
    taken.fill(1, free[0], free[1]);
    scores[k.category] = (scores[k.category] ?? 0) + k.weight;
    matched.push(k.keyword);
    hits.push({ keyword: k.keyword, category: k.category });
  }

  const ranked = (Object.entries(scores) as Array<[CategoryCode, number]>)
    .filter(([category]) => category !== 'other')
    .sort((a, b) => b[1] - a[1]);
  const [top, runnerUp] = ranked;
  const minScore = options.minScore ?? DEFAULT_MIN_SCORE;
  const minLead = options.minLead ?? DEFAULT_MIN_LEAD;
  if (top !== undefined && top[1] >= minScore && top[1] >= minLead * (runnerUp?.[1] ?? 0)) {
    return { category: top[0], confident: true, scores, matched, hits };
  }
  return { category: 'other', confident: false, scores, matched, hits };
}

export interface NamedCommunity {
  id: string;
  zh: string;
  en: string;
}

/**
 * The community a report names, by its Chinese name (康宁社区) or the name without its 村/社区
 * suffix when at least two characters remain (康宁, 魏家庄). The longest match wins, so 东泉镇魏家庄村
 * is 魏家庄村, not 东泉社区; two different communities matched equally well is ambiguous and
 * gives undefined: the resident or the centre picks, rather than the system guessing.
 */
export function findCommunityInText(
  text: string,
  communities: readonly NamedCommunity[],
): string | undefined {
  const haystack = normalise(text);
  let best = 0;
  let bestIds = new Set<string>();
  for (const community of communities) {
    const full = normalise(community.zh);
    const stem = full.replace(/(社区|村)$/u, '');
    const names = [...stem].length >= 2 && stem !== full ? [full, stem] : [full];
    for (const name of names) {
      const length = [...name].length;
      if (length < best || name === '' || !occursAsName(haystack, name, name !== full)) continue;
      if (length > best) {
        best = length;
        bestIds = new Set();
      }
      bestIds.add(community.id);
    }
  }
  if (bestIds.size !== 1) return undefined;
  const [id] = bestIds;
  return id;
}

/**
 * A bare stem right after 村 or 社区 is a direction, not a name: 村东头 is the east end of some
 * village, not 东头村.
 */
function occursAsName(haystack: string, name: string, isStem: boolean): boolean {
  for (let i = haystack.indexOf(name); i !== -1; i = haystack.indexOf(name, i + 1)) {
    if (!isStem) return true;
    const before = haystack.slice(Math.max(0, i - 2), i);
    if (!before.endsWith('村') && !before.endsWith('社区')) return true;
  }
  return false;
}
