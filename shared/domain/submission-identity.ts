/**
 * What a submission with an `Idempotency-Key` is called: its tracking code, reporter token and
 * submission id are derived from the key, so a retry gets exactly the same receipt without any
 * receipt being stored — the private reporter token is never written anywhere, not even for the
 * 24 hours a retry may come. The submission id also covers the body, so the same key with another
 * report can never overwrite the first one's text. Keys are the client's random secret: they
 * must look like one (UUIDs and similar), or two clients could share a receipt.
 */
import { createHash } from 'node:crypto';
import * as z from '../schema.ts';
import { newReporterToken } from './reporter-token.ts';
import { generateTrackingCode, type TrackingCode } from './tracking-code.ts';

export const IdempotencyKey = z
  .string()
  .check(
    z.regex(
      /^[A-Za-z0-9_-]{16,128}$/,
      'use a random key of 16 to 128 letters, digits, - or _ (a UUID is fine)',
    ),
  );

/** SHA-256 of the parts with a purpose label, so no derived value can stand in for another. */
const digest = (purpose: string, ...parts: string[]) =>
  createHash('sha256')
    .update(['civicloop', purpose, ...parts].join('\u0000'), 'utf8')
    .digest();

/** A byte source that hands out a digest's bytes, then the next digest's, as long as asked. */
function bytesFrom(purpose: string, key: string): (n: number) => Uint8Array {
  return (n) => {
    const out = new Uint8Array(n);
    for (let filled = 0, block = 0; filled < n; block++) {
      const chunk = digest(purpose, key, String(block));
      out.set(chunk.subarray(0, Math.min(chunk.length, n - filled)), filled);
      filled += chunk.length;
    }
    return out;
  };
}

/** RFC 4122 layout (version 4 bits) over 16 digest bytes. */
function uuidFrom(bytes: Uint8Array): string {
  const b = Uint8Array.from(bytes.subarray(0, 16));
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const hex = Buffer.from(b).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export interface SubmissionIdentity {
  trackingCode: TrackingCode;
  reporterToken: string;
  submissionId: string;
}

/** The identity a keyed submission of `fingerprint` always gets. */
export function keyedSubmission(key: string, fingerprint: string): SubmissionIdentity {
  return {
    trackingCode: generateTrackingCode(bytesFrom('tracking-code', key)),
    reporterToken: newReporterToken(bytesFrom('reporter-token', key)),
    submissionId: uuidFrom(digest('submission', key, fingerprint)),
  };
}

/** What the idempotency ledger stores for a key: a hash, never the key itself. */
export const idempotencyKeyHash = (key: string): string => digest('idempotency-key', key).toString('hex');

/** The body a key was first used with, as a hash. */
export const payloadFingerprint = (body: string): string => digest('payload', body).toString('hex');
