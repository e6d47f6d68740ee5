/**
 * The text of an anti-fraud outreach SMS: what staff may write as the sender signature and the
 * body, how the two are put together with the opt-out line, and what a broadcast will cost in
 * messages and billable parts.
 *
 * Mainland-China outreach SMS start with the sender's signature in 【】 and end with an opt-out
 * line; both are added here, so staff write neither, and a body that contains either would make
 * the message look forged or tell residents two different ways to opt out. Anti-fraud copy must
 * never look like the national anti-fraud centre (12381, 96110), since that is exactly what
 * scammers imitate, and it must never ask residents to open a link, since that is exactly what
 * the campaign teaches them not to do.
 */
import * as z from '../../schema.ts';
import { type SmsParts, smsParts } from '../sms/sms-parts.ts';

export const OPT_OUT_LINE = '拒收请回复R';
export const NATIONAL_ANTI_FRAUD_NUMBERS = ['12381', '96110'] as const;

const SIGNATURE_MIN = 2;
const SIGNATURE_MAX = 12;
const BODY_MAX = 300;

const IMPERSONATION =
  'county messages must not look like they come from the national anti-fraud centre (12381, 96110)';

/** The sender's name that goes inside 【】, e.g. 县公安局反诈中心. */
export const SenderSignature = z.string().check(
  z.trim(),
  z.superRefine((signature, ctx) => {
    const length = codePoints(signature);
    if (length < SIGNATURE_MIN || length > SIGNATURE_MAX) {
      ctx.addIssue({
        code: 'custom',
        message: `the signature must be ${SIGNATURE_MIN}–${SIGNATURE_MAX} characters; it has ${length}`,
      });
    }
    if (hasBrackets(signature)) {
      ctx.addIssue({ code: 'custom', message: 'write the signature without 【】; they are added for you' });
    }
    if (containsAntiFraudNumber(signature)) {
      ctx.addIssue({
        code: 'custom',
        message: `the signature must not contain 12381 or 96110: ${IMPERSONATION}`,
      });
    }
  }),
);

/** What staff write between the signature and the opt-out line. */
export const OutreachBody = z.string().check(
  z.trim(),
  z.superRefine((body, ctx) => {
    const length = codePoints(body);
    if (length === 0) ctx.addIssue({ code: 'custom', message: 'the message text is empty' });
    if (length > BODY_MAX) {
      ctx.addIssue({
        code: 'custom',
        message: `the message text can have at most ${BODY_MAX} characters; it has ${length}`,
      });
    }
    if (hasBrackets(body)) {
      ctx.addIssue({ code: 'custom', message: 'the signature is added for you; remove 【】 from the text' });
    }
    if (containsAntiFraudNumber(body)) {
      ctx.addIssue({ code: 'custom', message: `the text must not contain 12381 or 96110: ${IMPERSONATION}` });
    }
    if (containsLink(body)) {
      ctx.addIssue({ code: 'custom', message: 'anti-fraud messages must not ask residents to open links' });
    }
    if (containsOptOutLine(body)) {
      ctx.addIssue({
        code: 'custom',
        message: `the opt-out line ${OPT_OUT_LINE} is added at the end for you; remove it from the text`,
      });
    }
  }),
);

/**
 * The SMS exactly as residents receive it: 【signature】body, a full stop if the body does not end
 * a sentence, then the opt-out line. This formats; it does not validate, so a live preview can show
 * a half-written text. Parse with SenderSignature and OutreachBody before sending.
 */
export function composeOutreachSms(signature: string, body: string): string {
  const text = body.trim();
  // No full stop after an empty body: 【县反诈中心】。拒收请回复R would be a stray mark.
  const stop = text === '' || SENTENCE_END.test(text) ? '' : '。';
  return `【${signature.trim()}】${text}${stop}${OPT_OUT_LINE}`;
}

export interface OutreachSmsPreview {
  text: string;
  characters: number;
  encoding: SmsParts['encoding'];
  parts: number;
  /** One message per household. */
  estimatedMessages: number;
  /** Billable parts: households × parts. */
  estimatedParts: number;
}

/** The composed SMS with its size and what sending it to `households` households would take. */
export function outreachSmsPreview(signature: string, body: string, households: number): OutreachSmsPreview {
  if (!Number.isInteger(households) || households < 0) {
    throw new RangeError(`households must be a whole number of at least 0, got ${households}`);
  }
  const text = composeOutreachSms(signature, body);
  const { encoding, characters, parts } = smsParts(text);
  return {
    text,
    characters,
    encoding,
    parts,
    estimatedMessages: households,
    estimatedParts: households * parts,
  };
}

// ---- internals ----------------------------------------------------------------------------------

const SENTENCE_END = /[。！？.!?]$/u;
/**
 * Separators someone might put between digits to slip a number past a plain substring check:
 * spaces and hyphens, after NFKC has turned full-width forms (９６１１０, －, the ideographic space)
 * into ASCII.
 */
const DIGIT_RUN = /\d(?:[\s\-‐‑‒–—﹣−]*\d)*/gu;
const LINK = /https?:\/\/|www\./iu;

function codePoints(s: string): number {
  return [...s].length;
}

function hasBrackets(s: string): boolean {
  return s.includes('【') || s.includes('】');
}

function containsAntiFraudNumber(s: string): boolean {
  const runs = s.normalize('NFKC').match(DIGIT_RUN) ?? [];
  return runs.some((run) => {
    const digits = run.replace(/\D/gu, '');
    return NATIONAL_ANTI_FRAUD_NUMBERS.some((number) => digits.includes(number));
  });
}

function containsLink(s: string): boolean {
  return LINK.test(s.normalize('NFKC'));
}

function containsOptOutLine(s: string): boolean {
  return s.normalize('NFKC').replace(/\s/gu, '').toUpperCase().includes(OPT_OUT_LINE);
}
