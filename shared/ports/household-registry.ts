/**
 * Port: the household registry — which household (and so which community and grid) a phone
 * belongs to, a community's households page by page for outreach campaigns, and per-community
 * counters for estimating a campaign's reach without reading every household.
 */
import type { Household } from '../domain/household.ts';

export interface HouseholdPage {
  households: Household[];
  /** Present when more households follow; pass it back to get the next page. */
  cursor?: string;
}

/**
 * A community's registry counters: kept beside its households, so an estimate reads one item per
 * community however many households it has. Recounted in full by every import that touches the
 * community; an opt-out is counted as it comes in.
 */
export interface CommunityRegistryCounts {
  communityId: string;
  /** Households registered in the community (each lists at least one phone). */
  households: number;
  /** Of those, the ones outreach skips as opted out (outreach-eligibility's rule). */
  optedOut: number;
  /** When the community was last recounted in full (ISO instant). */
  countedAt: string;
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
  /** The counters of those communities that have them; a community without one has no registry loaded. */
  communityCounts(communityIds: string[]): Promise<Map<string, CommunityRegistryCounts>>;
  /**
   * Counts a community's households afresh, judging each with `isOptedOut`, and stores the
   * counter (an empty community's too: it has no households now).
   */
  recountCommunity(
    communityId: string,
    isOptedOut: (household: Household) => Promise<boolean>,
    at: Date,
  ): Promise<CommunityRegistryCounts>;
  /**
   * Marks the household opted out and, the first time, counts it in its community's counter.
   * `marked` the first time, `already` after, `not_registered` when there is no such household.
   */
  markOptedOut(householdId: string): Promise<'marked' | 'already' | 'not_registered'>;
}
