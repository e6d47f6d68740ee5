/**
 * How many billable SMS parts a text takes. A message that fits the GSM 03.38 default alphabet
 * (plus its extension table, whose characters take an escape and so count twice) goes as GSM-7:
 * 160 septets in one part, 153 per part when concatenated. Anything else, which means every
 * Chinese message, goes as UCS-2: 70 UTF-16 code units in one part, 67 per part; an emoji is a
 * surrogate pair and counts 2. The 【signature】 is part of the text and counts like the rest.
 */

export interface SmsParts {
  encoding: 'GSM-7' | 'UCS-2';
  /** Septets for GSM-7 (extension characters count 2), UTF-16 code units for UCS-2. */
  characters: number;
  parts: number;
}

// GSM 03.38 default alphabet, without ESC (0x1B), which only introduces the extension table.
const GSM_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
const GSM_EXTENSION = new Set('^{}\\[~]|€\f');

const GSM_SINGLE = 160;
const GSM_PART = 153;
const UCS2_SINGLE = 70;
const UCS2_PART = 67;

export function smsParts(text: string): SmsParts {
  const chars = [...text];
  const gsm = chars.every((c) => GSM_BASIC.has(c) || GSM_EXTENSION.has(c));
  // Each character's size; an escape pair or a surrogate pair is never split across two parts,
  // so a part can end one unit short and the count must be packed, not just divided.
  const sizes = gsm ? chars.map((c) => (GSM_EXTENSION.has(c) ? 2 : 1)) : chars.map((c) => c.length);
  const characters = sizes.reduce((sum, size) => sum + size, 0);
  const single = gsm ? GSM_SINGLE : UCS2_SINGLE;
  const perPart = gsm ? GSM_PART : UCS2_PART;
  return { encoding: gsm ? 'GSM-7' : 'UCS-2', characters, parts: pack(sizes, characters, single, perPart) };
}

function pack(sizes: readonly number[], total: number, single: number, perPart: number): number {
  // An empty text still goes out as one (empty) message.
  if (total <= single) return 1;
  let parts = 1;
  let used = 0;
  for (const size of sizes) {
    if (used + size > perPart) {
      parts += 1;
      used = 0;
    }
    used += size;
  }
  return parts;
}
