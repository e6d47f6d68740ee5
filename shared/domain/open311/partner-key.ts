/**
 * Partner API keys for Open311's POST requests. A key is `o311_<partnerId>_<secret>`: the partner
 * id finds the partner's record with one GetItem, and the record holds only an HMAC-SHA256 of the
 * whole key under a pepper (a deployment secret), compared in constant time. The key itself is
 * shown once, when an admin creates it, and stored nowhere; a stolen table without the pepper
 * gives nobody a key, and the pepper alone gives nobody a record.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import * as z from '../../schema.ts';

const KEY_PREFIX = 'o311';
const SECRET_BYTES = 32;

/** Ours, random: 12 lower-case hex digits. */
export const PartnerId = z
  .string()
  .check(z.regex(/^[0-9a-f]{12}$/, 'a partner id: 12 lower-case hexadecimal digits'));
export type PartnerId = z.infer<typeof PartnerId>;

const KEY_SHAPE = /^o311_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

export const NewPartner = z.object({
  name: z
    .string({ error: 'the partner system, e.g. 12345 hotline (vendor)' })
    .check(z.trim(), z.minLength(2, 'at least 2 characters'), z.maxLength(100, 'at most 100 characters')),
});
export type NewPartner = z.infer<typeof NewPartner>;

/** A new partner id and key from `randomBytes`. */
export function newPartnerKey(randomBytes: (n: number) => Uint8Array): {
  partnerId: PartnerId;
  apiKey: string;
} {
  const partnerId = Buffer.from(randomBytes(6)).toString('hex');
  const secret = Buffer.from(randomBytes(SECRET_BYTES)).toString('base64url');
  return { partnerId, apiKey: `${KEY_PREFIX}_${partnerId}_${secret}` };
}

/** The partner a key claims to be, if it is shaped like one of ours. */
export function partnerIdOfKey(apiKey: string): PartnerId | undefined {
  return KEY_SHAPE.exec(apiKey)?.[1];
}

/** What is stored for a key: HMAC-SHA256 under the pepper, hex. */
export const partnerKeyHash = (pepper: string, apiKey: string): string =>
  createHmac('sha256', pepper).update(`civicloop\u0000partner-key\u0000${apiKey}`, 'utf8').digest('hex');

/** Whether `apiKey` is the key `storedHash` was made from, in constant time. */
export function partnerKeyMatches(pepper: string, apiKey: string, storedHash: string): boolean {
  const given = Buffer.from(partnerKeyHash(pepper, apiKey), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return given.length === stored.length && timingSafeEqual(given, stored);
}
