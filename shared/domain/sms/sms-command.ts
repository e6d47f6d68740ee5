/**
 * What a resident's text message asks for. Residents type on any phone, in Chinese or English,
 * full-width or half-width, any case, with stray spaces; the parser normalises all of that and
 * recognises a handful of short commands; greetings, thanks and texts too short to describe anything
 * ask for help. Everything else is a new report, and whatever cannot be
 * acted on comes back as `unclear` with a reason, so the reply can say what to do: never silence.
 */
import { normaliseTrackingCode } from '../tracking-code.ts';

export type UnclearReason = 'empty' | 'emoji_only' | 'too_long' | 'bad_code' | 'bad_score';

export type SmsCommand =
  | { kind: 'report'; text: string }
  | { kind: 'status'; code: string }
  | { kind: 'rate'; code: string; score: number; comment?: string }
  | { kind: 'opt_out' }
  | { kind: 'help' }
  | { kind: 'unclear'; reason: UnclearReason };

/**
 * Opt-out words, matched only against the whole message: a report such as "Road is broken" or
 * "T字路口没有红绿灯" must never unsubscribe anyone. R is the current convention (拒收请回复R),
 * T / TD / 退订 the older one; 0000 and STOP are what people try anyway.
 */
const OPT_OUT_WORDS: ReadonlySet<string> = new Set([
  'r',
  't',
  'td',
  '退订',
  '0000',
  'stop',
  'unsubscribe',
  '拒收',
]);

const HELP_WORDS: ReadonlySet<string> = new Set(['帮助', 'help', '菜单', 'menu']);

/**
 * What a new user sends first to see who answers, or after a reply: greetings, "anyone there?",
 * thanks. Matched against the whole message with punctuation and spaces removed, in any
 * combination ("你好，在吗？", "hi there"); never a report, so never a case at the county centre.
 */
const GREETING_ZH =
  /^(?:你好|您好|你们好|大家好|在吗|在么|在嘛|在不在|有人吗|有人在吗|喂|嗨|哈喽|哈啰|早上好|上午好|下午好|晚上好|早|谢谢|谢谢你|谢谢您|多谢|好的|收到|嗯|哦|啊|呀|吗|呢|请问)+$/u;
const GREETING_EN: ReadonlySet<string> = new Set([
  'hi',
  'hello',
  'hey',
  'hallo',
  'there',
  'good',
  'morning',
  'afternoon',
  'evening',
  'anyone',
  'anybody',
  'is',
  'here',
  'thanks',
  'thank',
  'you',
  'ok',
  'okay',
]);

/** Punctuation, symbols and spaces anywhere in the message, for matching greetings. */
const NOISE = /[\p{P}\p{S}\s]+/gu;

/**
 * A greeting or an acknowledgement, or too little to be a report (one letter, digit or 字): the
 * answer is the help text. Residents describe a problem in more than one character.
 */
export function isGreetingOrNearEmpty(text: string): boolean {
  const lower = text.toLowerCase();
  const bare = lower.replace(NOISE, '');
  if ([...bare].length < 2) return true;
  if (GREETING_ZH.test(bare)) return true;
  const words = lower.split(NOISE).filter((w) => w !== '');
  return words.length > 0 && words.every((w) => GREETING_EN.has(w));
}

interface Keyword {
  word: string;
  kind: 'status' | 'rate';
}

// Longest first, so `status` is not read as an unknown word after a shorter prefix.
const KEYWORDS: readonly Keyword[] = [
  { word: 'status', kind: 'status' },
  { word: '查询', kind: 'status' },
  { word: 'cx', kind: 'status' },
  { word: 'rate', kind: 'rate' },
  { word: '评价', kind: 'rate' },
];

/** Punctuation, symbols and spaces residents put around a one-word command ("退订。", "R!"). */
const EDGE_NOISE = /^[\p{P}\p{S}\s]+|[\p{P}\p{S}\s]+$/gu;

/** Separators people type inside a tracking code: K7M-2QX-9PA, K7M 2QX 9PA, K7M.2QX.9PA. */
// Glued to what follows only when that is not a letter: "K7M2QX9PA5分" is a code and a score,
// "K7M2QX9PAZ" a mistyped code.
const CODE_GLUED = /^((?:[0-9a-z][-_.·—]?){8}[0-9a-z])(?![a-z])(.*)$/i;

/** Separators between the score and the comment ("5, very good", "5分。很好"); not a trailing "!". */
const EDGE_NOISE_START = /^[\s,，.。:：;；、\-—]+/u;

const CHINESE_DIGITS: Readonly<Record<string, number>> = { 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5 };

/** The text as the system stores and matches it: NFKC (full-width → half-width), one space between words. */
export function normaliseSmsText(body: string): string {
  return body.normalize('NFKC').replace(/\s+/gu, ' ').trim();
}

export function parseSmsCommand(body: string, maxReportChars = 500): SmsCommand {
  const text = normaliseSmsText(body);
  if (text === '') return unclear('empty');
  // Code points, not UTF-16 units: a resident counts 字, and an emoji is one of them.
  if ([...text].length > maxReportChars) return unclear('too_long');
  if (!/[\p{L}\p{N}]/u.test(text)) return unclear('emoji_only');

  const bare = text.replace(EDGE_NOISE, '').toLowerCase();
  if (OPT_OUT_WORDS.has(bare)) return { kind: 'opt_out' };
  if (HELP_WORDS.has(bare) || isGreetingOrNearEmpty(text)) return { kind: 'help' };

  const command = parseKeywordCommand(text);
  return command ?? { kind: 'report', text };
}

function parseKeywordCommand(text: string): SmsCommand | undefined {
  const lower = text.toLowerCase();
  for (const { word, kind } of KEYWORDS) {
    if (!lower.startsWith(word)) continue;
    const rest = text.slice(word.length).replace(/^[\s:：,，]+/u, '');
    const latin = /^[a-z]/.test(word);
    const gluedToLetters = /^[0-9a-z]/i.test(text.slice(word.length));
    const split = splitCode(rest);
    // "CXK7M2QX9PA" is a command; "Rated…", "Statusquo…" are words that merely start like one.
    if (latin && gluedToLetters && split === undefined) return undefined;
    if (split === undefined) return unclear('bad_code');
    if (kind === 'status') {
      // A status request has nothing but the code; ten code characters are a typo, not a code.
      return /^[0-9a-z]/i.test(split.after) ? unclear('bad_code') : { kind: 'status', code: split.code };
    }
    return parseRating(split.code, split.after);
  }
  return undefined;
}

/** The tracking code at the start of `rest`, written in one piece, in groups, or glued to what follows. */
function splitCode(rest: string): { code: string; after: string } | undefined {
  const tokens = rest.split(' ');
  for (let k = 1; k <= 3 && k <= tokens.length; k++) {
    const group = tokens.slice(0, k);
    // Groups of three ("K7M 2QX 9PA") join up; a short trailing token is a score, not a code group.
    if (k > 1 && group.some((t) => t.length < 3)) break;
    const code = normaliseTrackingCode(group.join(''));
    if (code !== undefined) return { code, after: tokens.slice(k).join(' ') };
  }
  const glued = CODE_GLUED.exec(rest);
  const code = glued?.[1] === undefined ? undefined : normaliseTrackingCode(glued[1]);
  if (code === undefined) return undefined;
  return { code, after: glued?.[2] ?? '' };
}

function parseRating(code: string, after: string): SmsCommand {
  const rest = after.replace(/^[\s:：,，;；/]+/u, '');
  const match = /^(\d+(?:\.\d+)?|[一二两三四五])\s*(?:分|星|颗星|stars?|points?|\/\s*5)?(.*)$/iu.exec(rest);
  const raw = match?.[1];
  if (raw === undefined) return unclear('bad_score');
  const score = CHINESE_DIGITS[raw] ?? Number(raw);
  if (!Number.isInteger(score) || score < 1 || score > 5) return unclear('bad_score');
  const comment = (match?.[2] ?? '').replace(EDGE_NOISE_START, '').trim();
  return comment === '' ? { kind: 'rate', code, score } : { kind: 'rate', code, score, comment };
}

function unclear(reason: UnclearReason): SmsCommand {
  return { kind: 'unclear', reason };
}
