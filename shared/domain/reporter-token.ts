/**
 * The reporter's private token: handed out once in the 202 answer, so only the person who
 * reported a case can rate it from the web. Only its SHA-256 is stored; a leaked table does
 * not let anyone rate someone else's case.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

export const newReporterToken = (randomBytes: (n: number) => Uint8Array): string =>
  Buffer.from(randomBytes(18)).toString('base64url');

export const hashReporterToken = (token: string): string =>
  createHash('sha256').update(token, 'utf8').digest('hex');

export function reporterTokenMatches(token: string, storedHash: string | undefined): boolean {
  if (!storedHash) return false;
  const a = Buffer.from(hashReporterToken(token), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
