/**
 * How many households an SMS run will text, estimated as the sender will decide it: per community
 * from the household registry's counters when the registry is loaded for it (registered, less the
 * opted out, less those the frequency cap holds at the send time), otherwise from the directory's
 * household count. Reads one counter item and one small reach query per community, never the
 * households themselves, so a county-wide preview costs the same as a village's.
 */
import type { Organisation } from '../../domain/organisation.ts';
import { capWindowStart } from '../../domain/outreach/outreach-eligibility.ts';
import type { HouseholdRegistry } from '../../ports/household-registry.ts';
import type { OutreachReach } from '../../ports/outreach.ts';

export interface OutreachEstimateDeps {
  households: Pick<HouseholdRegistry, 'communityCounts'>;
  reach: OutreachReach;
  /** The sender's frequency cap window (the same OUTREACH_CAP_DAYS setting). */
  capWindowMs: number;
}

export type EstimateSource = 'registry' | 'directory';

export type CommunityEstimate =
  | {
      communityId: string;
      source: 'registry';
      /** Households the run would text here. */
      households: number;
      /** Households the registry holds for the community. */
      registered: number;
      /** Of those, opted out of outreach. */
      optedOut: number;
      /** Of those, held by the frequency cap at the send time. */
      capped: number;
    }
  | {
      communityId: string;
      source: 'directory';
      /** The directory's household count: no registry is loaded for the community. */
      households: number;
    };

export interface OutreachEstimate {
  /** Households the run would text, all communities together. */
  households: number;
  /** The send time the frequency cap was judged at (ISO instant). */
  at: string;
  /** How many communities were estimated from the registry and how many from the directory. */
  registryCommunities: number;
  directoryCommunities: number;
  communities: CommunityEstimate[];
}

export type EstimateSourceSummary = EstimateSource | 'mixed';

export const estimateSourceOf = (estimate: OutreachEstimate): EstimateSourceSummary =>
  estimate.directoryCommunities === 0
    ? 'registry'
    : estimate.registryCommunities === 0
      ? 'directory'
      : 'mixed';

/** The estimate for a run of these communities at `at`. */
export async function estimateOutreach(
  communityIds: string[],
  org: Organisation,
  at: Date,
  deps: OutreachEstimateDeps,
): Promise<OutreachEstimate> {
  const ids = [...new Set(communityIds)];
  const counts = await deps.households.communityCounts(ids);
  // A counter with no households is a community the registry has nothing for (yet, or any more).
  const registered = ids.filter((id) => (counts.get(id)?.households ?? 0) > 0);
  const capped =
    registered.length > 0
      ? await deps.reach.reservedBetween(registered, capWindowStart(at, deps.capWindowMs), at)
      : new Map<string, number>();
  const communities = ids.map((communityId): CommunityEstimate => {
    const c = counts.get(communityId);
    if (!c || c.households <= 0) {
      const households = org.communities.find((x) => x.id === communityId)?.households ?? 0;
      return { communityId, source: 'directory', households };
    }
    const held = capped.get(communityId) ?? 0;
    return {
      communityId,
      source: 'registry',
      // A household both opted out and capped is subtracted twice: the estimate errs low by it.
      households: Math.max(0, c.households - c.optedOut - held),
      registered: c.households,
      optedOut: c.optedOut,
      capped: held,
    };
  });
  return {
    households: communities.reduce((sum, c) => sum + c.households, 0),
    at: at.toISOString(),
    registryCommunities: communities.filter((c) => c.source === 'registry').length,
    directoryCommunities: communities.filter((c) => c.source === 'directory').length,
    communities,
  };
}
