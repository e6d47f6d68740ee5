/**
 * An outreach world for service tests: the real DynamoDB adapters on dynalite (campaigns, runs,
 * deliveries, caps, leases, opt-outs, households), a local outbox as the SMS sender, a clock the
 * test moves, and queues that keep what was sent so the test can deliver it (or deliver it twice).
 */

import tickEvent from '../../events/eventbridge/scheduled-tick.json' with { type: 'json' };
import { demoOrganisation } from '../../infra/demo/demo-organisation.ts';
import type { LocalRuntime } from '../../infra/local/runtime.ts';
import { DynamoDbHouseholdRegistry } from '../../shared/adapters/dynamodb-household-registry.ts';
import { DynamoDbOutreachStore } from '../../shared/adapters/dynamodb-outreach-store.ts';
import { DynamoDbSendPacer } from '../../shared/adapters/dynamodb-send-pacer.ts';
import { DynamoDbSmsState } from '../../shared/adapters/dynamodb-sms-state.ts';
import { LocalOutbox } from '../../shared/adapters/local-outbox.ts';
import type { Household } from '../../shared/domain/household.ts';
import {
  type Campaign,
  type CampaignPlan,
  type CampaignRun,
  emptyCounts,
  type OutreachBatch,
  type PlanRun,
  runIdOf,
} from '../../shared/domain/outreach/campaign.ts';
import { DEFAULT_QUIET_HOURS } from '../../shared/domain/outreach/quiet-hours.ts';
import { fromShanghaiLocal } from '../../shared/domain/outreach/shanghai-time.ts';
import type { PlanOutreachDeps } from '../../shared/services/plan-outreach-run.ts';
import type { SendOutreachDeps } from '../../shared/services/send-outreach-batch.ts';
import type { StartDueRunsDeps } from '../../shared/services/start-due-runs.ts';
import type { EmulatedTables } from './emulated-tables.ts';

export const DAY_MS = 86_400_000;

/** The scheduler's minute on a local runtime: outreach-tick invoked with the sample scheduled event. */
export function tickOutreach(rt: LocalRuntime): Promise<unknown> {
  const fn = rt.functions.get('outreach-tick');
  if (!fn) throw new Error('no outreach-tick function');
  return fn.invoke(tickEvent);
}

export interface OutreachWorld {
  store: DynamoDbOutreachStore;
  registry: DynamoDbHouseholdRegistry;
  sms: DynamoDbSmsState;
  outbox: LocalOutbox;
  clock: { now: Date; set(localDateTime: string): void };
  queued: OutreachBatch[];
  planRequests: PlanRun[];
  sendDeps: SendOutreachDeps;
  planDeps: PlanOutreachDeps;
  tickDeps: StartDueRunsDeps;
}

export function outreachWorld(env: EmulatedTables): OutreachWorld {
  const store = new DynamoDbOutreachStore(env.db, env.tables.outreach ?? '');
  const registry = new DynamoDbHouseholdRegistry(env.db, env.tables.households ?? '');
  const sms = new DynamoDbSmsState(env.db, env.tables.sms ?? '');
  const clock = {
    now: new Date('2026-12-01T02:00:00Z'),
    set(localDateTime: string) {
      clock.now = fromShanghaiLocal(localDateTime);
    },
  };
  const now = () => clock.now;
  const outbox = new LocalOutbox({ entries: [], now });
  const queued: OutreachBatch[] = [];
  const planRequests: PlanRun[] = [];
  let token = 0;
  const outreachQueue = { enqueue: async (batches: OutreachBatch[]) => void queued.push(...batches) };
  const planQueue = { requestPlanning: async (m: PlanRun) => void planRequests.push(m) };
  const sendDeps: SendOutreachDeps = {
    campaigns: store,
    deliveries: store,
    leases: store,
    cap: store,
    // A pace no test reaches, on the same clock (the pacer has its own tests).
    pacer: new DynamoDbSendPacer(env.db, env.tables.outreach ?? '', {
      messagesPerSecond: 1000,
      now: () => clock.now.getTime(),
    }),
    households: registry,
    optOuts: sms,
    sender: outbox,
    quietHours: DEFAULT_QUIET_HOURS,
    capWindowMs: 7 * DAY_MS,
    leaseMs: 180_000,
    now,
  };
  const planDeps: PlanOutreachDeps = {
    campaigns: store,
    leases: store,
    households: registry,
    outreachQueue,
    planQueue,
    pageSize: 500,
    batchSize: 50,
    leaseMs: 180_000,
    now,
  };
  const tickDeps: StartDueRunsDeps = {
    campaigns: store,
    planQueue,
    outreachQueue,
    directory: { load: async () => demoOrganisation },
    sender: outbox,
    notifications: sms,
    newToken: () => `token-${++token}`,
    now,
  };
  return { store, registry, sms, outbox, clock, queued, planRequests, sendDeps, planDeps, tickDeps };
}

/** `n` households with distinct phones: `series` (0–99) keeps different tests' phones apart. */
export const householdsOf = (prefix: string, communityId: string, n: number, series: number): Household[] =>
  Array.from({ length: n }, (_, i) => ({
    householdId: `${prefix}-${String(i + 1).padStart(4, '0')}`,
    communityId,
    phones: [`+86139${String(series).padStart(2, '0')}${String(i + 1).padStart(6, '0')}`],
  }));

export const smsPlan = (overrides: Partial<CampaignPlan> = {}): CampaignPlan => ({
  title: '反诈提醒',
  communityIds: ['chengdong-kangning'],
  firstRunAt: '2026-12-01T10:00',
  recurrence: { frequency: 'once' },
  channel: { kind: 'sms', signature: '平遥反诈', body: '公安机关不会要求转账到安全账户。' },
  ...overrides,
});

/**
 * A one-off campaign of `plan`, stored running, and its run at the clock's time with the status
 * and counts the test starts from (and, for a run in planning, where planning stands).
 */
export async function storedCampaignRun(
  world: { store: DynamoDbOutreachStore; clock: { now: Date } },
  campaignId: string,
  plan: CampaignPlan,
  start: Pick<CampaignRun, 'status' | 'counts' | 'planning'>,
): Promise<CampaignRun> {
  const at = world.clock.now.toISOString();
  const campaign: Campaign = {
    ...plan,
    campaignId,
    status: 'running',
    version: 2,
    createdBy: { userId: 'u', name: 'test' },
    createdAt: at,
    updatedAt: at,
    lastRunAt: at,
  };
  await world.store.create(campaign);
  const run: CampaignRun = {
    campaignId,
    runId: runIdOf(world.clock.now),
    occurrenceAt: at,
    campaignVersion: 2,
    title: plan.title,
    communityIds: plan.communityIds,
    channel: plan.channel,
    createdAt: at,
    ...start,
  };
  await world.store.createRun(run);
  return run;
}

/** A stored, running SMS run of a one-off campaign, ready for batches. */
export const startedSmsRun = (
  world: OutreachWorld,
  campaignId: string,
  enqueued: number,
  plan = smsPlan(),
): Promise<CampaignRun> =>
  storedCampaignRun(world, campaignId, plan, { status: 'sending', counts: { ...emptyCounts(), enqueued } });

export const batchOf = (run: CampaignRun, batchId: string, households: Household[]): OutreachBatch => ({
  kind: 'outreach.batch',
  campaignId: run.campaignId,
  runId: run.runId,
  batchId,
  householdIds: households.map((h) => h.householdId),
});
