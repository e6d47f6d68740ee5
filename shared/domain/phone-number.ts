/**
 * Phone numbers as residents type them, and which of them the county will text.
 *
 * Typed forms: 13812345678, 138 1234 5678, 138-1234-5678, +86 138 1234 5678, 0086 138…, full-width
 * digits; all normalise to E.164 (+8613812345678) so every later comparison (ratings, the opt-out
 * list, the household registry) sees one form.
 *
 * Which numbers are accepted from the public form is a deployment setting, because every text
 * costs money and goes to whoever the number belongs to: SMS pumping to premium or foreign ranges
 * and texting a victim are what an open field invites. A policy is one or more number shapes
 * such as `+86 1[3-9]XXXXXXXXX` (the default: mainland mobiles) — a country calling code, then
 * the national number digit by digit: a digit stands for itself, X for any digit, `[3-9]` or
 * `[5689]` for one of those. The first shape's country is the home country: its numbers may be
 * typed without the country code. A refused number is answered with a sentence derived from the
 * shapes ("11 digits starting with 13–19"), never with a pattern.
 */
import * as z from '../schema.ts';

/** E.164: a plus, a country code that does not start with 0, at most 15 digits in all. */
const E164 = /^\+[1-9]\d{7,14}$/;

/** What residents put between digits: spaces (also full-width, after NFKC), hyphens, dots, brackets. */
const SEPARATORS = /[\s\-().·]/g;

const typedDigits = (raw: string): string => raw.normalize('NFKC').replace(SEPARATORS, '');

/**
 * Any number in a form residents type, as E.164: a mainland mobile with or without +86 / 0086 /
 * 86, or an international number after + or 00. Undefined for anything else.
 */
export function normaliseTypedPhone(raw: string): string | undefined {
  const compact = typedDigits(raw);
  const mainland = /^(?:(?:\+|00)?86)?(1[3-9]\d{9})$/.exec(compact);
  if (mainland) return `+86${mainland[1]}`;
  const international = /^(?:\+|00)([1-9]\d{7,14})$/.exec(compact);
  return international ? `+${international[1]}` : undefined;
}

/** One digit position of a national number: the digits allowed there. */
type DigitSet = readonly string[];

export interface PhoneShape {
  /** The country calling code without the plus, e.g. `86`. */
  countryCode: string;
  /** The national number, one entry per digit. */
  digits: readonly DigitSet[];
  /** As configured, e.g. `+86 1[3-9]XXXXXXXXX`. */
  source: string;
}

export interface PhonePolicy {
  /** At least one; the first one's country is home. */
  shapes: readonly PhoneShape[];
}

const ALL_DIGITS: DigitSet = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

function digitSets(pattern: string): DigitSet[] | undefined {
  const sets: DigitSet[] = [];
  const token = /\d|X|\[(\d)-(\d)\]|\[(\d+)\]/gy;
  for (let match = token.exec(pattern); match; match = token.exec(pattern)) {
    const [whole, from, to, list] = match;
    if (whole === 'X') sets.push(ALL_DIGITS);
    else if (from !== undefined && to !== undefined) {
      if (from > to) return undefined;
      sets.push(ALL_DIGITS.filter((d) => d >= from && d <= to));
    } else if (list !== undefined) sets.push([...new Set(list)].sort());
    else sets.push([whole]);
    if (token.lastIndex === pattern.length) return sets;
  }
  return undefined;
}

/** `+86 1[3-9]XXXXXXXXX` → a shape; issues name what is wrong with it. */
const Shape = z.pipe(
  z.string().check(z.trim()),
  z.transform((source: string, ctx): PhoneShape => {
    const parts = /^\+([1-9]\d{0,2})\s+(\S+)$/.exec(source);
    const digits = parts?.[2] === undefined ? undefined : digitSets(parts[2].toUpperCase());
    const countryCode = parts?.[1] ?? '';
    if (!digits || digits.length < 4 || countryCode.length + digits.length > 15) {
      ctx.issues.push({
        code: 'custom',
        message: `"${source}" is not a number shape: write the country code, a space, then one entry per digit (a digit, X for any, [3-9] or [5689] for a choice), e.g. +86 1[3-9]XXXXXXXXX`,
        input: source,
      });
      return z.NEVER;
    }
    return { countryCode, digits, source };
  }),
);

export const DEFAULT_PHONE_SHAPES = '+86 1[3-9]XXXXXXXXX';

/** The setting's comma-separated shapes, each parsed. */
const ShapeList = z.pipe(
  z.pipe(
    z.string(),
    z.transform((raw: string) => raw.split(',').filter((s) => s.trim() !== '')),
  ),
  z.array(Shape).check(z.minLength(1, 'name at least one number shape, e.g. +86 1[3-9]XXXXXXXXX')),
);

/**
 * The deployment setting: shapes separated by commas; unset (empty) means mainland mobiles. For
 * example `+86 1[3-9]XXXXXXXXX, +852 [5679]XXXXXXX` also accepts Hong Kong mobiles.
 */
export const PhonePolicySetting = z.preprocess(
  (value) => (value === '' || value === undefined ? DEFAULT_PHONE_SHAPES : value),
  z.pipe(
    ShapeList,
    z.transform((shapes: PhoneShape[]): PhonePolicy => ({ shapes })),
  ),
);

export const DEFAULT_PHONE_POLICY: PhonePolicy = PhonePolicySetting.parse('');

const fits = (shape: PhoneShape, national: string): boolean =>
  national.length === shape.digits.length &&
  [...national].every((digit, i) => shape.digits[i]?.includes(digit) === true);

/** The E.164 form of a typed number the policy accepts; undefined when it does not. */
export function acceptedPhone(raw: string, policy: PhonePolicy): string | undefined {
  const compact = typedDigits(raw);
  const international = /^(?:\+|00)(\d+)$/.exec(compact)?.[1];
  const home = policy.shapes[0]?.countryCode;
  // Without + or 00: a home number, or (as mainland residents often write) the home code and it.
  const candidates: string[] = international
    ? [international]
    : /^\d+$/.test(compact) && home !== undefined
      ? [`${home}${compact}`, compact]
      : [];
  for (const digits of candidates) {
    for (const shape of policy.shapes) {
      if (!digits.startsWith(shape.countryCode)) continue;
      const national = digits.slice(shape.countryCode.length);
      if (fits(shape, national)) return `+${shape.countryCode}${national}`;
    }
  }
  return undefined;
}

/** ["13", …, "19"] → "13–19"; ["5", "6", "9"] → "5, 6 or 9". */
function describeChoices(choices: readonly string[]): string {
  const numbers = choices.map(Number);
  const sameLength = choices.every((c) => c.length === choices[0]?.length);
  const consecutive = numbers.every((n, i) => i === 0 || n === (numbers[i - 1] ?? Number.NaN) + 1);
  if (choices.length > 2 && sameLength && consecutive) return `${choices[0]}–${choices.at(-1)}`;
  if (choices.length === 1) return choices[0] ?? '';
  return `${choices.slice(0, -1).join(', ')} or ${choices.at(-1)}`;
}

const MAX_LISTED_PREFIXES = 20;

/** "11 digits starting with 13–19", from the shape's fixed leading digits. */
function describeNational(shape: PhoneShape): string {
  let prefixes = [''];
  for (const set of shape.digits) {
    if (set.length === ALL_DIGITS.length) break;
    const longer = prefixes.flatMap((p) => set.map((d) => p + d));
    if (longer.length > MAX_LISTED_PREFIXES) break;
    prefixes = longer;
  }
  const count = `${shape.digits.length} digits`;
  return prefixes[0] === '' ? count : `${count} starting with ${describeChoices(prefixes)}`;
}

/** What a resident is asked for when a number is refused: plain words, no patterns. */
export function describePolicy(policy: PhonePolicy): string {
  const home = policy.shapes[0]?.countryCode;
  const alternatives = policy.shapes.map((shape) =>
    shape.countryCode === home
      ? describeNational(shape)
      : `+${shape.countryCode} and ${describeNational(shape)}`,
  );
  return `enter a mobile number we can text: ${[...new Set(alternatives)].join(', or ')}`;
}

/** The contact phone the public form takes under `policy`, as E.164. */
export const contactPhoneWithin = (policy: PhonePolicy) => {
  const message = describePolicy(policy);
  return z.pipe(
    z.string({ error: message }),
    z.transform((raw: string, ctx) => {
      const e164 = acceptedPhone(raw, policy);
      if (e164 === undefined || !E164.test(e164)) {
        ctx.issues.push({ code: 'custom', message, input: raw });
        return z.NEVER;
      }
      return e164;
    }),
  );
};
