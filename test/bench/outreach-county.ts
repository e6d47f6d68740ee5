/**
 * What the outreach-planning bench (outreach-planning.ts) and its planner process
 * (outreach-planner-process.ts) share: the county's households as deterministic data, a registry
 * that generates a community's pages on demand instead of reading them from DynamoDB, the
 * arithmetic of how many pages and batches a run makes, and the messages between the two
 * processes. Kept free of the emulators and the demo organisation, so importing it adds nothing
 * to the planner process's memory but this module.
 */
import * as z from 'zod';
import { Household } from '../../shared/domain/household.ts';
import { PlanRun } from '../../shared/domain/outreach/campaign.ts';
import { ValidationError } from '../../shared/errors.ts';
import type { HouseholdPage, HouseholdRegistry } from '../../shared/ports/household-registry.ts';

/** A community and its household count, with the county-wide ordinal of its first household. */
export const CommunityHouseholds = z.object({
  id: z.string().min(1),
  households: z.number().int().min(0),
  firstOrdinal: z.number().int().min(0),
});
export type CommunityHouseholds = z.infer<typeof CommunityHouseholds>;

/** Numbers the county's households in community order, so every household has its own phone. */
export function countyHouseholds(
  communities: readonly { id: string; households: number }[],
): CommunityHouseholds[] {
  let next = 0;
  return communities.map((c) => {
    const entry = { id: c.id, households: c.households, firstOrdinal: next };
    next += c.households;
    return entry;
  });
}

/**
 * The `index`th household of a community (from 0). Ids are zero-padded, so household-id order (the
 * registry's listing order) is index order; phones are distinct county-wide.
 */
export const householdAt = (community: CommunityHouseholds, index: number): Household => ({
  householdId: householdIdAt(community.id, index),
  communityId: community.id,
  phones: [`+86139${String(community.firstOrdinal + index).padStart(8, '0')}`],
});

export const householdIdAt = (communityId: string, index: number): string =>
  `${communityId}-${String(index + 1).padStart(5, '0')}`;

const GeneratedCursor = z.object({ communityId: z.string(), next: z.number().int().min(1) });

function decodeCursor(cursor: string, communityId: string): number {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    decoded = undefined;
  }
  const parsed = GeneratedCursor.safeParse(decoded);
  if (!parsed.success || parsed.data.communityId !== communityId)
    throw new ValidationError('The cursor is not one this registry gave out', [
      { path: 'cursor', message: 'invalid cursor' },
    ]);
  return parsed.data.next;
}

/**
 * A household registry that makes each page when it is asked for, from the community's count:
 * the same households, order, page contract (a cursor only when more follow) and per-item schema
 * check as `DynamoDbHouseholdRegistry.listCommunity`, without DynamoDB. It holds nothing between
 * calls but the county's counts.
 */
export class GeneratedHouseholdRegistry implements Pick<HouseholdRegistry, 'listCommunity'> {
  readonly #communities: ReadonlyMap<string, CommunityHouseholds>;

  constructor(communities: readonly CommunityHouseholds[]) {
    this.#communities = new Map(communities.map((c) => [c.id, c]));
  }

  async listCommunity(communityId: string, limit: number, cursor?: string): Promise<HouseholdPage> {
    const community = this.#communities.get(communityId);
    if (!community) return { households: [] };
    let start = 0;
    if (cursor !== undefined) start = decodeCursor(cursor, communityId);
    const end = Math.min(community.households, start + limit);
    const households: Household[] = [];
    // Parsed like the DynamoDB adapter parses each item it reads.
    for (let i = start; i < end; i++) households.push(Household.parse(householdAt(community, i)));
    if (end >= community.households) return { households };
    return {
      households,
      cursor: Buffer.from(JSON.stringify({ communityId, next: end })).toString('base64url'),
    };
  }
}

/** Pages and batches the planner makes for these communities (an empty community is one empty page). */
export function expectedWork(
  communities: readonly CommunityHouseholds[],
  pageSize: number,
  batchSize: number,
): { households: number; pages: number; batches: number } {
  let households = 0;
  let pages = 0;
  let batches = 0;
  for (const { households: n } of communities) {
    households += n;
    pages += Math.max(1, Math.ceil(n / pageSize));
    batches +=
      Math.floor(n / pageSize) * Math.ceil(pageSize / batchSize) + Math.ceil((n % pageSize) / batchSize);
  }
  return { households, pages, batches };
}

// ─── between the bench and its planner process ─────────────────────────────────────────────

/** What the planner process is asked to do; its AWS endpoints, tables and queues come in its environment. */
export const PlannerJob = z.object({
  request: PlanRun,
  /** `generated`: pages made by GeneratedHouseholdRegistry; `dynamodb`: the seeded registry table. */
  registry: z.enum(['generated', 'dynamodb']),
  communities: z.array(CommunityHouseholds),
  /** Force a continuation after this many pages per invocation; absent: one invocation does it all. */
  pagesPerInvocation: z.number().int().min(1).optional(),
});
export type PlannerJob = z.infer<typeof PlannerJob>;

const MemoryFigures = z.object({ rss: z.number(), heapUsed: z.number() });
export type MemoryFigures = z.infer<typeof MemoryFigures>;

export const PlannerOutcome = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    pageSize: z.number().int(),
    batchSize: z.number().int(),
    invocations: z.number().int(),
    continuations: z.number().int(),
    pages: z.number().int(),
    enqueued: z.number().int(),
    planMs: z.number(),
    /** Before planning, after a full GC: modules, clients, the job. */
    baseline: MemoryFigures,
    /** Highest of the samples taken after every page (registry read, and its batches queued). */
    peak: MemoryFigures,
    /** The same, by tenth of the run's households (the tenth being listed when sampled). */
    peakByTenth: z.array(MemoryFigures),
    samples: z.number().int(),
    /** After planning, after a full GC: what planning left behind. */
    retained: MemoryFigures,
    /** Young-generation and full collections V8 made by itself while planning. */
    minorGcs: z.number().int(),
    fullGcs: z.number().int(),
    /**
     * Live heap: the most heap left in use after a full collection — V8's own during planning, or
     * the one forced at the end. Unlike the peak it leaves out garbage not yet collected.
     */
    liveHeap: z.number(),
  }),
  z.object({ ok: z.literal(false), error: z.string() }),
]);
export type PlannerOutcome = z.infer<typeof PlannerOutcome>;
