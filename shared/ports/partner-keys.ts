/**
 * Port: the partner systems allowed to POST Open311 requests, each with the hash of its one key
 * (shared/domain/open311/partner-key.ts), and a per-partner request counter for its rate limit.
 */
export interface PartnerRecord {
  partnerId: string;
  name: string;
  keyHash: string;
  createdAt: string;
  /** The admin who created it (a staff user id). */
  createdBy: string;
  revokedAt?: string;
  revokedBy?: string;
}

export interface PartnerKeys {
  /** Writes a new partner; never overwrites one (ids are random). */
  create(record: PartnerRecord): Promise<void>;
  get(partnerId: string): Promise<PartnerRecord | undefined>;
  /** Every partner, revoked ones included (a county has a handful). */
  list(): Promise<PartnerRecord[]>;
  /** Marks it revoked (once: a second revoke keeps the first date); undefined if there is none. */
  revoke(partnerId: string, at: string, by: string): Promise<PartnerRecord | undefined>;
  /**
   * Counts one request of the partner in `window` (a minute) if fewer than `limit` were counted
   * there; false, counting nothing, when the window is full.
   */
  admit(partnerId: string, window: string, limit: number, expiresAt: Date): Promise<boolean>;
}
