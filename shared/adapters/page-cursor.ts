/**
 * Page cursors. Internal ones (the sweepers', the campaign list's) are a DynamoDB
 * LastEvaluatedKey as base64url JSON: decoding validates the shape, so a tampered cursor is a 400
 * naming `cursor`, not a DynamoDB error.
 *
 * Sealed cursors, the ones the case lists hand to staff, also carry an HMAC-SHA256 over the key
 * and what the cursor is bound to (the caller, the listing and its filter), made with a deployment
 * secret: a cursor that was edited, forged, or replayed by another user or on another list fails
 * the check and is the same 400, so a LastEvaluatedKey can only ever resume the page it ended.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { ValidationError } from '../errors.ts';
import * as z from '../schema.ts';

const Cursor = z.record(z.string(), z.union([z.string(), z.number()]));
type Cursor = z.infer<typeof Cursor>;

const invalidCursor = (cause?: unknown) =>
  new ValidationError(
    'The cursor is not one this API gave out for this list; start the list again without it',
    [{ path: 'cursor', message: 'invalid cursor' }],
    { cause },
  );

export const encodeCursor = (key: Record<string, unknown> | undefined): string | undefined =>
  key ? Buffer.from(JSON.stringify(key)).toString('base64url') : undefined;

export function decodeCursor(cursor: string | undefined): Cursor | undefined {
  if (!cursor) return undefined;
  try {
    return Cursor.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch (error) {
    throw invalidCursor(error);
  }
}

/** JSON with object keys sorted at every level, so equal bindings always sign the same bytes. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const fields = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`);
    return `{${fields.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Bumped if what a seal covers ever changes, so older cursors fail instead of meaning something else. */
const SEAL_VERSION = 'case-list-cursor/1';

const macOf = (key: string, binding: unknown, body: string): Buffer =>
  createHmac('sha256', key)
    .update(`${SEAL_VERSION}\n${canonicalJson(binding)}\n${body}`)
    .digest();

/**
 * A cursor for resuming after `lastKey`, valid only with the same `key` and an equal `binding`
 * (who is asking, for which list); undefined when there is nothing after this page.
 */
export function sealCursor(
  key: string,
  binding: unknown,
  lastKey: Record<string, unknown> | undefined,
): string | undefined {
  const body = encodeCursor(lastKey);
  return body === undefined ? undefined : `${body}.${macOf(key, binding, body).toString('base64url')}`;
}

/** The LastEvaluatedKey a sealed cursor resumes from; a ValidationError naming `cursor` unless it verifies. */
export function openCursor(key: string, binding: unknown, cursor: string | undefined): Cursor | undefined {
  if (cursor === undefined) return undefined;
  const [body, mac, ...rest] = cursor.split('.');
  if (!body || !mac || rest.length > 0) throw invalidCursor();
  // As text, not decoded (base64 decoding forgives stray characters), and in constant time, so the
  // answer's timing says nothing about how much of a guess was right.
  const expected = Buffer.from(macOf(key, binding, body).toString('base64url'));
  const given = Buffer.from(mac);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalidCursor();
  return decodeCursor(body);
}
