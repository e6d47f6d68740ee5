/**
 * Personal data in log lines: what the tests sent the functions (phones in the forms they were
 * typed, reporters' private tokens, descriptions and other free text), learnt from the
 * invocations themselves, and any mainland mobile or E.164 number whether a test sent it or not.
 * Pure, so the scanner's own tests can show what it catches and what it leaves alone.
 */
import type { Invocation } from '../../infra/local/invocation-listeners.ts';

export type PersonalKind = 'phone' | 'token' | 'description';

export interface Leak {
  kind: PersonalKind;
  /** The offending line with every personal value in it replaced by «kind». */
  line: string;
}

const PHONE_KEYS = new Set([
  'contactphone',
  'phone',
  'phones',
  'phone_number',
  'phonenumber',
  'mobile',
  'from',
  'originationnumber',
]);
const TEXT_KEYS = new Set(['description', 'address', 'comment', 'content', 'text', 'body', 'messagebody']);
const TOKEN_KEYS = new Set(['token', 'reportertoken']);

// Letters or digits on either side would make a number part of something else (an id, a hash).
const BEFORE = '(?<![0-9A-Za-z])';
const AFTER = '(?![0-9A-Za-z])';
const SEPARATOR = '[\\s\\-.()]*';

/**
 * Any mainland mobile, however written: 13812345678, 138 1234 5678, 138-1234-5678, +86…, 0086….
 * An id or a timestamp cannot match: ids are hex or base32 runs bounded by letters and digits, and
 * epoch milliseconds have 13 digits.
 */
const MAINLAND_MOBILE = new RegExp(
  `${BEFORE}(?:(?:\\+|00)?86[\\s-]?)?1[3-9]\\d(?:[\\s-]?\\d){8}${AFTER}`,
  'g',
);
/** Any E.164 number. */
const E164 = new RegExp(`${BEFORE}\\+[1-9]\\d{7,14}${AFTER}`, 'g');

/** Free text shorter than this could be a word any log line has ("road", "sent"). */
const MIN_TEXT_CHARS = 4;
const MIN_ASCII_TEXT_CHARS = 12;
const MIN_PHONE_DIGITS = 8;
const MIN_TOKEN_CHARS = 10;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** What the tests sent the functions, learnt as the functions were invoked. */
export class PersonalData {
  readonly #phones = new Map<string, RegExp>();
  readonly #tokens = new Set<string>();
  readonly #texts = new Set<string>();

  get size(): { phones: number; tokens: number; texts: number } {
    return { phones: this.#phones.size, tokens: this.#tokens.size, texts: this.#texts.size };
  }

  addPhone(raw: string): void {
    const digits = raw.replace(/\D/g, '');
    if (digits.length < MIN_PHONE_DIGITS) return;
    const forms = new Set([digits, digits.replace(/^00/, '')]);
    const national = /^(?:00)?86(1\d{10})$/.exec(digits)?.[1];
    if (national) forms.add(national);
    for (const form of forms) {
      this.#phones.set(form, new RegExp(`${BEFORE}${[...form].join(SEPARATOR)}${AFTER}`, 'g'));
    }
  }

  addToken(raw: string): void {
    const token = raw.trim();
    if (token.length >= MIN_TOKEN_CHARS) this.#tokens.add(token);
  }

  addText(raw: string): void {
    const text = raw.trim();
    const ascii = /^[\x20-\x7e\s]*$/.test(text);
    if ([...text].length < (ascii ? MIN_ASCII_TEXT_CHARS : MIN_TEXT_CHARS)) return;
    this.#texts.add(text);
    // As a JSON log line spells it: quotes, backslashes and line breaks escaped.
    this.#texts.add(JSON.stringify(text).slice(1, -1));
  }

  /** Learns from one invocation: the event's body or records, and a token in the answer. */
  learn(invocation: Invocation): void {
    const { event, outcome } = invocation;
    if (isRecord(event)) {
      if (Array.isArray(event.Records)) {
        for (const record of event.Records) {
          if (!isRecord(record)) continue;
          if (typeof record.body === 'string') this.#walkText(record.body, 'payload');
          if (isRecord(record.Sns) && typeof record.Sns.Message === 'string')
            this.#walkText(record.Sns.Message, 'payload');
        }
      }
      if (typeof event.body === 'string') this.#walkText(httpBody(event), 'payload');
    }
    if (outcome.kind === 'answered' && isRecord(outcome.result) && typeof outcome.result.body === 'string') {
      const body = outcome.result.body;
      const parsed = parseJson(body);
      if (parsed !== undefined) this.#walk(parsed, 'answer', 'tokens');
      // The receipt page a browser without JavaScript gets.
      for (const match of body.matchAll(/id="reporter-token">([^<]+)</g))
        if (match[1]) this.addToken(match[1]);
    }
  }

  /** A body or message: JSON, a form post, or plain text. */
  #walkText(text: string, key: string): void {
    const parsed = parseJson(text);
    if (parsed !== undefined && typeof parsed !== 'string') {
      this.#walk(parsed, key, 'all');
      return;
    }
    if (/^[^\s{[]*=/.test(text)) {
      for (const [name, value] of new URLSearchParams(text)) this.#walk(value, name, 'all');
    }
  }

  #walk(value: unknown, key: string, what: 'all' | 'tokens'): void {
    const name = key.toLowerCase();
    if (typeof value === 'string') {
      if (TOKEN_KEYS.has(name)) this.addToken(value);
      if (what === 'tokens') return;
      if (PHONE_KEYS.has(name)) this.addPhone(value);
      else if (TEXT_KEYS.has(name)) {
        // An SNS message or a nested JSON payload in a text field: look inside it too.
        const nested = parseJson(value);
        if (isRecord(nested)) this.#walk(nested, key, what);
        else this.addText(value);
      }
      return;
    }
    if (Array.isArray(value)) {
      for (const item of value) this.#walk(item, key, what);
      return;
    }
    if (isRecord(value)) for (const [k, v] of Object.entries(value)) this.#walk(v, k, what);
  }

  /** The personal data in `line`, each value masked, or undefined when there is none. */
  scan(line: string): Leak | undefined {
    let masked = line;
    let kind: PersonalKind | undefined;
    const mask = (found: PersonalKind, pattern: RegExp | string) => {
      const next =
        typeof pattern === 'string'
          ? masked.split(pattern).join(`«${found}»`)
          : masked.replace(pattern, `«${found}»`);
      if (next !== masked) {
        kind ??= found;
        masked = next;
      }
    };
    for (const token of this.#tokens) mask('token', token);
    // Longest first, so a description that contains another is masked whole.
    for (const text of [...this.#texts].sort((a, b) => b.length - a.length)) mask('description', text);
    for (const pattern of this.#phones.values()) mask('phone', pattern);
    mask('phone', MAINLAND_MOBILE);
    mask('phone', E164);
    return kind === undefined ? undefined : { kind, line: masked };
  }
}

function httpBody(event: Record<string, unknown>): string {
  const body = typeof event.body === 'string' ? event.body : '';
  return event.isBase64Encoded === true ? Buffer.from(body, 'base64').toString('utf8') : body;
}

/** Every line of `lines` that carries personal data, masked. */
export function findPersonalData(lines: readonly string[], seen: PersonalData): Leak[] {
  return lines.flatMap((line) => {
    const leak = seen.scan(line);
    return leak ? [leak] : [];
  });
}
