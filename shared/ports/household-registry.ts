/**
 * Port: the household registry — which household (and so which community and grid) a phone
 * belongs to, and a community's households page by page for outreach campaigns.
 */
import type { Household } from '../domain/household.ts';

export interface HouseholdPage {
  households: Household[];
  /** Present when more households follow; pass it back to get the next page. */
  cursor?: string;
}

export interface HouseholdRegistry {
  /** The household a phone (E.164, or any form `PhoneNumber` accepts) is registered to. */
  findByPhone(phone: string): Promise<Household | undefined>;
  /**
   * Creates or replaces each household (keeping an opt-out the registry already holds) and
   * re-points its phones: afterwards each listed phone belongs to that household only. The
   * batch must not list one household or one phone twice.
   */
  upsert(households: Household[]): Promise<{ created: number; updated: number }>;
  /** The households with these ids that the registry holds (outreach reads them at send time). */
  getMany(householdIds: string[]): Promise<Household[]>;
  /** Up to `limit` households of a community, in household-id order. */
  listCommunity(communityId: string, limit: number, cursor?: string): Promise<HouseholdPage>;
}
