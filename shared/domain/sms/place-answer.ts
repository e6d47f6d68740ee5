/**
 * Places a resident's answer to "请回复您所在的社区或村" among the county's communities and
 * villages. Answers come as people type them: the bare name (康宁), with its suffix (康宁社区,
 * 魏家庄村) or its township before it (城东街道康宁社区), in a sentence (我住在魏家庄), in pinyin
 * (Kangning, weijiazhuang village), or with one character mistyped (康凝, 魏家装, Kangnin). Only
 * one community may fit: an answer that fits none, or several equally, places nothing, and the
 * report goes to triage instead of being put in the wrong community.
 */
import { findCommunityInText, type NamedCommunity } from './classify-report.ts';

/** What residents put around a place name: "我住在…", "…这边", "…的". */
const FILLER_ZH =
  /^(?:我们?|我家|家)?(?:住在|住|就在|在|是)?|(?:那边|这边|这里|那里|附近|一带|的|人|呀|啊|呢|吧)+$/gu;
/** Suffixes of a community's or a township's name: tolerated whether typed or not. */
const SUFFIX_ZH = /(?:社区居委会|居委会|村委会|社区|村|街道办|街道|镇|乡|小区)$/u;
/** A township's name before the community's: 城东街道…, 东泉镇…, 南政乡…. */
const TOWNSHIP_BEFORE = /^\p{Script=Han}{1,3}?(?:街道办?|镇|乡)/u;
const WORDS_EN =
  /\b(?:i|we|live|living|am|in|at|the|of|near|from|community|village|sub-?district|town(?:ship)?)\b/giu;

/** The id of the one community the answer names, or undefined. */
export function placeAnswer(answer: string, communities: readonly NamedCommunity[]): string | undefined {
  const exact = findCommunityInText(answer, communities);
  if (exact !== undefined) return exact;
  const text = answer.normalize('NFKC').toLowerCase();
  const han = stemAnswerZh(text.replace(/[^\p{Script=Han}]/gu, ''));
  if ([...han].length >= 2) {
    const id = onlyOne(communities, (c) => withinOneEdit(han, stemZh(c.zh)));
    if (id !== undefined) return id;
  }
  const latin = text.replace(WORDS_EN, ' ').replace(/[^a-z]/gu, '');
  if (latin.length < 4) return undefined;
  const byName = onlyOne(communities, (c) => stemEn(c.en).length >= 4 && latin.includes(stemEn(c.en)));
  if (byName !== undefined) return byName;
  return latin.length >= 5 ? onlyOne(communities, (c) => withinOneEdit(latin, stemEn(c.en))) : undefined;
}

const stemZh = (name: string): string => name.replace(SUFFIX_ZH, '');

/** The name in an answer: no filler, no township before it (城东街道康凝社区 → 康凝), no suffix. */
const stemAnswerZh = (answer: string): string => {
  const bare = answer.replace(FILLER_ZH, '');
  const afterTownship = bare.replace(TOWNSHIP_BEFORE, '');
  return stemZh([...afterTownship].length >= 2 ? afterTownship : bare);
};

/** "Gucheng (Ancient City) Community" → "gucheng". */
const stemEn = (name: string): string =>
  name
    .toLowerCase()
    .replace(/\(.*?\)/gu, '')
    .replace(WORDS_EN, ' ')
    .replace(/[^a-z]/gu, '');

function onlyOne(
  communities: readonly NamedCommunity[],
  fits: (c: NamedCommunity) => boolean,
): string | undefined {
  const ids = new Set(communities.filter(fits).map((c) => c.id));
  if (ids.size !== 1) return undefined;
  const [id] = ids;
  return id;
}

/**
 * One character replaced, added or left out (code points, so a 字 is one), and never on a
 * name shorter than two: a one-character "name" with one wrong is anything.
 */
export function withinOneEdit(typed: string, name: string): boolean {
  const a = [...typed];
  const b = [...name];
  if (b.length < 2 || Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const tailA = a.slice(i + (a.length >= b.length ? 1 : 0)).join('');
  const tailB = b.slice(i + (b.length >= a.length ? 1 : 0)).join('');
  return tailA === tailB;
}
