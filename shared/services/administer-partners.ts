/**
 * The admin's partner systems for Open311 (a 12345 hotline vendor, a neighbouring county): create
 * one (its API key is in the answer once and never again), list them, revoke one. Admins only.
 * Only the key's peppered hash is stored (shared/domain/open311/partner-key.ts).
 */
import { NewPartner, newPartnerKey, PartnerId, partnerKeyHash } from '../domain/open311/partner-key.ts';
import type { Staff } from '../domain/staff.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors.ts';
import type { PartnerKeys, PartnerRecord } from '../ports/partner-keys.ts';
import type { SecretReader } from '../ports/secret.ts';
import { parseOrThrow } from '../validation.ts';

export interface PartnerAdminDeps {
  partners: PartnerKeys;
  keyPepper: SecretReader;
  now: () => Date;
  randomBytes: (n: number) => Uint8Array;
}

/** A partner as the admin sees it: never the key, nor its hash. */
export interface PartnerView {
  partnerId: string;
  name: string;
  createdAt: string;
  createdBy: string;
  status: 'active' | 'revoked';
  revokedAt?: string;
}

const viewOf = ({ keyHash: _hash, revokedBy: _by, ...record }: PartnerRecord): PartnerView => ({
  ...record,
  status: record.revokedAt ? 'revoked' : 'active',
});

function requireAdmin(staff: Staff): void {
  if (staff.role !== 'admin') throw new ForbiddenError('Only an administrator can manage Open311 partners');
}

export async function createPartner(
  staff: Staff,
  input: unknown,
  deps: PartnerAdminDeps,
): Promise<{ partner: PartnerView; apiKey: string }> {
  requireAdmin(staff);
  const { name } = parseOrThrow(NewPartner, input, 'The partner');
  const { partnerId, apiKey } = newPartnerKey(deps.randomBytes);
  const record: PartnerRecord = {
    partnerId,
    name,
    keyHash: partnerKeyHash(await deps.keyPepper(), apiKey),
    createdAt: deps.now().toISOString(),
    createdBy: staff.userId,
  };
  await deps.partners.create(record);
  return { partner: viewOf(record), apiKey };
}

export async function listPartners(
  staff: Staff,
  deps: PartnerAdminDeps,
): Promise<{ partners: PartnerView[] }> {
  requireAdmin(staff);
  const partners = await deps.partners.list();
  return { partners: partners.map(viewOf).sort((a, b) => a.createdAt.localeCompare(b.createdAt)) };
}

export async function revokePartner(
  staff: Staff,
  partnerId: string,
  deps: PartnerAdminDeps,
): Promise<{ partner: PartnerView }> {
  requireAdmin(staff);
  if (!PartnerId.safeParse(partnerId).success) {
    throw new ValidationError('The partner id is invalid', [
      { path: 'partnerId', message: 'a partner id: 12 lower-case hexadecimal digits' },
    ]);
  }
  const revoked = await deps.partners.revoke(partnerId, deps.now().toISOString(), staff.userId);
  if (!revoked) throw new NotFoundError(`No partner ${partnerId}`);
  return { partner: viewOf(revoked) };
}
