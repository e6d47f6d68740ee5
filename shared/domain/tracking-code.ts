/**
 * Tracking codes residents read out on the phone and type into an SMS: nine characters of
 * Crockford base32 (no I, L, O, U), shown as `K7M-2QX-9PA`. 45 random bits make them
 * unguessable in sequence; input is forgiving (any case, spaces or hyphens, O for 0, I/L for 1).
 */
import * as z from '../schema.ts';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const LENGTH = 9;

/** The stored form: nine characters, no separators. */
export const TrackingCode = z
  .string()
  .check(
    z.regex(/^[0-9A-HJKMNP-TV-Z]{9}$/, 'not a tracking code: nine letters and digits, like K7M-2QX-9PA'),
  );
export type TrackingCode = z.infer<typeof TrackingCode>;

export function generateTrackingCode(randomBytes: (n: number) => Uint8Array): TrackingCode {
  const bytes = randomBytes(LENGTH);
  let code = '';
  for (const byte of bytes) code += ALPHABET[byte & 31];
  return code;
}

/** The canonical code for what a resident typed, or undefined if it cannot be one. */
export function normaliseTrackingCode(input: string): TrackingCode | undefined {
  const cleaned = input
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[\s\-_.·—]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
  return TrackingCode.safeParse(cleaned).success ? cleaned : undefined;
}

export const formatTrackingCode = (code: TrackingCode): string =>
  `${code.slice(0, 3)}-${code.slice(3, 6)}-${code.slice(6, 9)}`;
