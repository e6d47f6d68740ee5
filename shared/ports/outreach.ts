/**
 * Ports of anti-fraud outreach: where campaigns and their runs are kept, the index of what is
 * due, the per-household delivery log and frequency cap that make sending exactly-once-ish (and
 * the cap's per-community reach counts), the send pacer, and the two queues (planning requests,
 * household batches).
 */
import type {
  Campaign,
  CampaignRun,
  FinalOutcome,
  OutreachBatch,
  PlanRun,
  RunCounts,
  RunStatus,
} from '../domain/outreach/campaign.ts';

/** Something the scheduler should act on now. */
export type DueItem =
  | { kind: 'campaign'; campaignId: string; dueAt: string }
  | { kind: 'deferred'; batch: OutreachBatch; resumeAt: string };

export interface CampaignPage {
  campaigns: Campaign[];
  cursor?: string;
}

export interface CampaignStore {
  /** Stores a new campaign; false if the id is taken. */
  create(campaign: Campaign): Promise<boolean>;
  get(campaignId: string): Promise<Campaign | undefined>;
  /** Writes `next` if the stored version is still `expectedVersion`; false if someone was first. */
  replace(next: Campaign, expectedVersion: number): Promise<boolean>;
  /** Newest first, through an index (never a scan). */
  list(limit: number, cursor?: string): Promise<CampaignPage>;
  /** Campaigns whose next occurrence is due and deferred batches whose quiet hours are over. */
  due(now: Date, limit: number): Promise<DueItem[]>;

  /** Creates the run of an occurrence; false when it exists already (a second tick). */
  createRun(run: CampaignRun): Promise<boolean>;
  getRun(campaignId: string, runId: string): Promise<CampaignRun | undefined>;
  listRuns(campaignId: string): Promise<CampaignRun[]>;
  /**
   * Moves planning on to `next` and adds `enqueued` to the run's count, if planning is still at
   * page `expectedPage`; false when another planner got there first.
   */
  checkpointPlanning(
    campaignId: string,
    runId: string,
    expectedPage: number,
    next: NonNullable<CampaignRun['planning']>,
    enqueued: number,
  ): Promise<boolean>;
  /**
   * Adds a batch's outcome counts to the run once: false (nothing added) if that batch has been
   * counted already. Answers the run as it is afterwards.
   */
  addTally(
    campaignId: string,
    runId: string,
    batchId: string,
    counts: Partial<RunCounts>,
  ): Promise<{ added: boolean; run: CampaignRun | undefined }>;
  /** Sets the run's status if it is one of `from`; merges `fields` in the same write. */
  setRunStatus(
    campaignId: string,
    runId: string,
    from: RunStatus[],
    to: RunStatus,
    fields?: Partial<Pick<CampaignRun, 'completedAt' | 'reminder' | 'attendance'>>,
  ): Promise<boolean>;

  /** Parks a batch until `resumeAt` (quiet hours); false if that batch is parked already. */
  deferBatch(batch: OutreachBatch, resumeAt: Date): Promise<boolean>;
  /** Forgets a parked batch once it is back on the queue. */
  releaseDeferred(batch: OutreachBatch): Promise<void>;
}

export type Delivery =
  | { status: 'sending'; at: string }
  | { status: 'done'; at: string; outcome: FinalOutcome; parts?: number };

/** One record per household per run: the guard against sending twice. */
export interface DeliveryLog {
  find(runKey: string, householdId: string): Promise<Delivery | undefined>;
  /** Claims the household for this run; false if it has been claimed before. */
  claim(runKey: string, householdId: string, at: Date): Promise<boolean>;
  settle(runKey: string, householdId: string, outcome: FinalOutcome, at: Date, parts?: number): Promise<void>;
  /** Gives a claim back after a send failed for a reason worth retrying. */
  release(runKey: string, householdId: string): Promise<void>;
}

/**
 * Short leases that let exactly one worker own a piece of work (a run's planning, a batch's
 * sending) while duplicate deliveries of the same work step aside. The owner is a token that
 * survives redelivery (the SQS message id, a planning token), so a crashed owner's own retry
 * takes the work back at once; anyone else gets it only after the lease has lapsed.
 */
export interface WorkLeases {
  acquire(key: string, owner: string, now: Date, leaseMs: number): Promise<'acquired' | 'held' | 'done'>;
  /** Marks the work done: later deliveries of it answer `done`. */
  complete(key: string): Promise<void>;
}

export interface OutreachCap {
  /**
   * Reserves this household's outreach slot for the run: true if it had no outreach SMS within
   * `windowMs` before `now`, or the slot is already this run's (a retry); false if capped.
   * Given the household's `communityId`, a new reservation (not a retry's) is also counted in
   * that community's reach (`OutreachReach`).
   */
  reserve(
    householdId: string,
    runKey: string,
    now: Date,
    windowMs: number,
    communityId?: string,
  ): Promise<boolean>;
}

/**
 * How many households of a community the frequency cap holds: the reservations `OutreachCap`
 * counted per community per hour. Lets a preview judge the cap from one small read per
 * community instead of one per household.
 */
export interface OutreachReach {
  /**
   * Per community, the reservations counted in the hours from the one holding `since` through
   * the one holding `until` (so it may include up to an hour before `since`).
   */
  reservedBetween(communityIds: string[], since: Date, until: Date): Promise<Map<string, number>>;
}

export interface SendPacer {
  /** Resolves when one more message may go out under the configured rate. */
  acquire(): Promise<void>;
}

export interface OutreachQueue {
  enqueue(batches: OutreachBatch[]): Promise<void>;
}

export interface PlanQueue {
  requestPlanning(message: PlanRun): Promise<void>;
}
