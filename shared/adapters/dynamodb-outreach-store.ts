/**
 * Outreach on DynamoDB (table `outreach`). Layout:
 *   campaign   pk CAMPAIGN#<id>  sk CAMPAIGN            listPk/listSk (index byCreation, newest first)
 *                                                       duePk/dueSk while an occurrence is pending (index due)
 *   run        pk CAMPAIGN#<id>  sk RUN#<runId>         counts map, `tallied` set of counted batch ids
 *   deferred   pk CAMPAIGN#<id>  sk DEFER#<runId>#<batchId>  duePk/dueSk = the end of quiet hours
 *   delivery   pk DELIVERY#<campaignId>#<runId>#<householdId>   one per household per run
 *   cap        pk CAP#<householdId>                     the household's latest outreach SMS
 *   reach      pk REACH#<communityId>  sk <YYYY-MM-DDTHH>  cap reservations that hour, `n` (expire after 120 days)
 *   lease      pk LEASE#<work>                          who is planning a run or sending a batch
 * The sparse `due` index holds only what the scheduler must act on, so finding due work is one
 * Query however many campaigns there are. Every state change is one conditional write.
 */
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  Campaign,
  CampaignRun,
  FinalOutcome,
  OutreachBatch,
  type RunCounts,
  type RunStatus,
} from '../domain/outreach/campaign.ts';
import { capWindowStart } from '../domain/outreach/outreach-eligibility.ts';
import type {
  CampaignPage,
  CampaignStore,
  Delivery,
  DeliveryLog,
  DueItem,
  OutreachCap,
  OutreachReach,
  WorkLeases,
} from '../ports/outreach.ts';
import * as z from '../schema.ts';
import { awsCall, conditionalWrite, partitionItems } from './aws-call.ts';
import { decodeCursor, encodeCursor } from './page-cursor.ts';

export const OUTREACH_DUE_INDEX = 'due';
export const OUTREACH_LIST_INDEX = 'byCreation';
/** The index key names, for the topology. */
export const outreachIndexes = {
  [OUTREACH_DUE_INDEX]: ['duePk', 'dueSk'],
  [OUTREACH_LIST_INDEX]: ['listPk', 'listSk'],
} as const;

const DUE = 'DUE';
const LISTED = 'CAMPAIGNS';
/** Delivery records and caps outlive any run's redeliveries, then expire. */
const DELIVERY_TTL_DAYS = 120;
const epochSeconds = (at: Date, days: number) => Math.floor(at.getTime() / 1000) + days * 86_400;

const campaignPk = (campaignId: string) => `CAMPAIGN#${campaignId}`;
const runSk = (runId: string) => `RUN#${runId}`;
const deferSk = (batch: OutreachBatch) => `DEFER#${batch.runId}#${batch.batchId}`;

function campaignItem(c: Campaign): Record<string, unknown> {
  return {
    pk: campaignPk(c.campaignId),
    sk: 'CAMPAIGN',
    type: 'CAMPAIGN',
    listPk: LISTED,
    listSk: `${c.createdAt}#${c.campaignId}`,
    ...(c.nextDueAt ? { duePk: DUE, dueSk: `${c.nextDueAt}#C#${c.campaignId}` } : {}),
    ...c,
  };
}

const DueCampaign = z.object({ type: z.literal('CAMPAIGN'), campaignId: z.string(), nextDueAt: z.string() });
const DueDeferred = z.object({ type: z.literal('DEFER'), batch: OutreachBatch, resumeAt: z.string() });
const StoredDelivery = z.discriminatedUnion('status', [
  z.object({ status: z.literal('sending'), at: z.string() }),
  z.object({
    status: z.literal('done'),
    at: z.string(),
    outcome: FinalOutcome,
    parts: z.optional(z.number()),
  }),
]);

const reachPk = (communityId: string) => `REACH#${communityId}`;
/** The UTC hour an instant falls in, as the reach items' sort key: `2026-12-06T14`. */
const reachHour = (at: Date) => at.toISOString().slice(0, 13);
const ReachItem = z.object({ n: z.int() });

export class DynamoDbOutreachStore
  implements CampaignStore, DeliveryLog, OutreachCap, OutreachReach, WorkLeases
{
  readonly #db: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(db: DynamoDBDocumentClient, tableName: string) {
    this.#db = db;
    this.#table = tableName;
  }

  // ─── campaigns ───────────────────────────────────────────────────────────────────────────

  create(campaign: Campaign): Promise<boolean> {
    return conditionalWrite('creating the campaign', () =>
      this.#db.send(
        new PutCommand({
          TableName: this.#table,
          Item: campaignItem(campaign),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
  }

  async get(campaignId: string): Promise<Campaign | undefined> {
    const item = await this.#get({ pk: campaignPk(campaignId), sk: 'CAMPAIGN' }, 'reading the campaign');
    return item ? Campaign.parse(item) : undefined;
  }

  replace(next: Campaign, expectedVersion: number): Promise<boolean> {
    return conditionalWrite('updating the campaign', () =>
      this.#db.send(
        new PutCommand({
          TableName: this.#table,
          Item: campaignItem(next),
          ConditionExpression: 'version = :v',
          ExpressionAttributeValues: { ':v': expectedVersion },
        }),
      ),
    );
  }

  async list(limit: number, cursor?: string): Promise<CampaignPage> {
    const page = await awsCall('listing campaigns', () =>
      this.#db.send(
        new QueryCommand({
          TableName: this.#table,
          IndexName: OUTREACH_LIST_INDEX,
          KeyConditionExpression: 'listPk = :l',
          ExpressionAttributeValues: { ':l': LISTED },
          ScanIndexForward: false,
          Limit: limit,
          ExclusiveStartKey: decodeCursor(cursor),
        }),
      ),
    );
    const next = encodeCursor(page.LastEvaluatedKey);
    return {
      campaigns: (page.Items ?? []).map((item) => Campaign.parse(item)),
      ...(next ? { cursor: next } : {}),
    };
  }

  async due(now: Date, limit: number): Promise<DueItem[]> {
    const page = await awsCall('finding due outreach', () =>
      this.#db.send(
        new QueryCommand({
          TableName: this.#table,
          IndexName: OUTREACH_DUE_INDEX,
          KeyConditionExpression: 'duePk = :d AND dueSk <= :now',
          // Everything due up to and including this instant: `<iso>#…` sorts after `<iso>`.
          ExpressionAttributeValues: { ':d': DUE, ':now': `${now.toISOString()}#\uffff` },
          Limit: limit,
        }),
      ),
    );
    return (page.Items ?? []).flatMap((item): DueItem[] => {
      const campaign = DueCampaign.safeParse(item);
      if (campaign.success)
        return [{ kind: 'campaign', campaignId: campaign.data.campaignId, dueAt: campaign.data.nextDueAt }];
      const deferred = DueDeferred.safeParse(item);
      if (deferred.success)
        return [{ kind: 'deferred', batch: deferred.data.batch, resumeAt: deferred.data.resumeAt }];
      return [];
    });
  }

  // ─── runs ────────────────────────────────────────────────────────────────────────────────

  createRun(run: CampaignRun): Promise<boolean> {
    return conditionalWrite('creating the run', () =>
      this.#db.send(
        new PutCommand({
          TableName: this.#table,
          Item: { pk: campaignPk(run.campaignId), sk: runSk(run.runId), type: 'RUN', ...run },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
  }

  async getRun(campaignId: string, runId: string): Promise<CampaignRun | undefined> {
    const item = await this.#get({ pk: campaignPk(campaignId), sk: runSk(runId) }, 'reading the run');
    return item ? CampaignRun.parse(item) : undefined;
  }

  async listRuns(campaignId: string): Promise<CampaignRun[]> {
    const runs: CampaignRun[] = [];
    for await (const item of partitionItems(this.#db, this.#table, campaignPk(campaignId), 'listing runs')) {
      if (item.type === 'RUN') runs.push(CampaignRun.parse(item));
    }
    return runs;
  }

  checkpointPlanning(
    campaignId: string,
    runId: string,
    expectedPage: number,
    next: NonNullable<CampaignRun['planning']>,
    enqueued: number,
  ): Promise<boolean> {
    return conditionalWrite('recording planning progress', () =>
      this.#db.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: { pk: campaignPk(campaignId), sk: runSk(runId) },
          UpdateExpression: 'SET planning = :next, counts.enqueued = counts.enqueued + :n',
          ConditionExpression: 'planning.#page = :expected',
          ExpressionAttributeNames: { '#page': 'page' },
          ExpressionAttributeValues: { ':next': next, ':n': enqueued, ':expected': expectedPage },
        }),
      ),
    );
  }

  async addTally(
    campaignId: string,
    runId: string,
    batchId: string,
    counts: Partial<RunCounts>,
  ): Promise<{ added: boolean; run: CampaignRun | undefined }> {
    const entries = Object.entries(counts).filter(([, n]) => n !== undefined && n !== 0);
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = { ':b': new Set([batchId]), ':bid': batchId };
    const sets = entries.map(([name, n], i) => {
      names[`#c${i}`] = name;
      values[`:c${i}`] = n;
      return `counts.#c${i} = counts.#c${i} + :c${i}`;
    });
    let updated: Record<string, unknown> | undefined;
    // ADD works on top-level attributes only, hence SET for the nested counters.
    const added = await conditionalWrite('counting outcomes', async () => {
      const out = await this.#db.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: { pk: campaignPk(campaignId), sk: runSk(runId) },
          UpdateExpression: `ADD tallied :b${sets.length ? ` SET ${sets.join(', ')}` : ''}`,
          ConditionExpression: 'attribute_exists(pk) AND NOT contains(tallied, :bid)',
          ...(sets.length ? { ExpressionAttributeNames: names } : {}),
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
        }),
      );
      updated = out.Attributes;
    });
    return {
      added,
      run: updated ? CampaignRun.parse(updated) : await this.getRun(campaignId, runId),
    };
  }

  setRunStatus(
    campaignId: string,
    runId: string,
    from: RunStatus[],
    to: RunStatus,
    fields: Partial<Pick<CampaignRun, 'completedAt' | 'reminder' | 'attendance'>> = {},
  ): Promise<boolean> {
    const extra = Object.entries(fields).filter(([, v]) => v !== undefined);
    const values: Record<string, unknown> = { ':to': to };
    from.forEach((s, i) => {
      values[`:f${i}`] = s;
    });
    const names: Record<string, string> = { '#status': 'status' };
    const sets = ['#status = :to'];
    extra.forEach(([name, value], i) => {
      names[`#x${i}`] = name;
      values[`:x${i}`] = value;
      sets.push(`#x${i} = :x${i}`);
    });
    return conditionalWrite('changing the run status', () =>
      this.#db.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: { pk: campaignPk(campaignId), sk: runSk(runId) },
          UpdateExpression: `SET ${sets.join(', ')}`,
          ConditionExpression: `#status IN (${from.map((_, i) => `:f${i}`).join(', ')})`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      ),
    );
  }

  deferBatch(batch: OutreachBatch, resumeAt: Date): Promise<boolean> {
    const at = resumeAt.toISOString();
    return conditionalWrite('deferring a batch', () =>
      this.#db.send(
        new PutCommand({
          TableName: this.#table,
          Item: {
            pk: campaignPk(batch.campaignId),
            sk: deferSk(batch),
            type: 'DEFER',
            duePk: DUE,
            dueSk: `${at}#D#${batch.campaignId}#${batch.runId}#${batch.batchId}`,
            batch,
            resumeAt: at,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
  }

  async releaseDeferred(batch: OutreachBatch): Promise<void> {
    await awsCall('releasing a deferred batch', () =>
      this.#db.send(
        new DeleteCommand({
          TableName: this.#table,
          Key: { pk: campaignPk(batch.campaignId), sk: deferSk(batch) },
        }),
      ),
    );
  }

  // ─── deliveries and the frequency cap ────────────────────────────────────────────────────

  async find(runKey: string, householdId: string): Promise<Delivery | undefined> {
    const item = await this.#get(this.#deliveryKey(runKey, householdId), 'reading the delivery log');
    return item ? StoredDelivery.parse(item) : undefined;
  }

  claim(runKey: string, householdId: string, at: Date): Promise<boolean> {
    return conditionalWrite('claiming a delivery', () =>
      this.#db.send(
        new PutCommand({
          TableName: this.#table,
          Item: {
            ...this.#deliveryKey(runKey, householdId),
            status: 'sending',
            at: at.toISOString(),
            expiresAt: epochSeconds(at, DELIVERY_TTL_DAYS),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
  }

  async settle(runKey: string, householdId: string, outcome: FinalOutcome, at: Date, parts?: number) {
    await awsCall('recording a delivery', () =>
      this.#db.send(
        new PutCommand({
          TableName: this.#table,
          Item: {
            ...this.#deliveryKey(runKey, householdId),
            status: 'done',
            outcome,
            at: at.toISOString(),
            ...(parts === undefined ? {} : { parts }),
            expiresAt: epochSeconds(at, DELIVERY_TTL_DAYS),
          },
        }),
      ),
    );
  }

  async release(runKey: string, householdId: string): Promise<void> {
    await conditionalWrite('releasing a delivery claim', () =>
      this.#db.send(
        new DeleteCommand({
          TableName: this.#table,
          Key: this.#deliveryKey(runKey, householdId),
          ConditionExpression: '#status = :sending',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':sending': 'sending' },
        }),
      ),
    );
  }

  async reserve(
    householdId: string,
    runKey: string,
    now: Date,
    windowMs: number,
    communityId?: string,
  ): Promise<boolean> {
    let previousRunKey: unknown;
    const reserved = await conditionalWrite('checking the outreach cap', async () => {
      const out = await this.#db.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: { pk: `CAP#${householdId}`, sk: 'CAP' },
          UpdateExpression: 'SET lastSentAt = :now, runKey = :rk, expiresAt = :exp',
          ConditionExpression: 'attribute_not_exists(pk) OR lastSentAt <= :boundary OR runKey = :rk',
          ExpressionAttributeValues: {
            ':now': now.toISOString(),
            ':rk': runKey,
            ':boundary': capWindowStart(now, windowMs).toISOString(),
            ':exp': Math.floor((now.getTime() + windowMs) / 1000) + 86_400,
          },
          ReturnValues: 'ALL_OLD',
        }),
      );
      previousRunKey = out.Attributes?.runKey;
    });
    // A retry of the same run re-takes its own slot: counted when it was first taken. A crash
    // between the two writes leaves the reach one short (an estimate slightly too high).
    if (reserved && communityId !== undefined && previousRunKey !== runKey) {
      await awsCall('counting a community’s outreach reach', () =>
        this.#db.send(
          new UpdateCommand({
            TableName: this.#table,
            Key: { pk: reachPk(communityId), sk: reachHour(now) },
            UpdateExpression: 'ADD n :one SET expiresAt = :exp',
            ExpressionAttributeValues: { ':one': 1, ':exp': epochSeconds(now, DELIVERY_TTL_DAYS) },
          }),
        ),
      );
    }
    return reserved;
  }

  async reservedBetween(communityIds: string[], since: Date, until: Date): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    // One Query per community, at most one item per hour of the window (168 for a week).
    for (const communityId of new Set(communityIds)) {
      let total = 0;
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await awsCall('reading a community’s outreach reach', () =>
          this.#db.send(
            new QueryCommand({
              TableName: this.#table,
              KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
              ExpressionAttributeValues: {
                ':pk': reachPk(communityId),
                ':from': reachHour(since),
                ':to': reachHour(until),
              },
              ExclusiveStartKey: startKey,
            }),
          ),
        );
        for (const item of page.Items ?? []) total += ReachItem.parse(item).n;
        startKey = page.LastEvaluatedKey;
      } while (startKey);
      counts.set(communityId, total);
    }
    return counts;
  }

  async acquire(
    key: string,
    owner: string,
    now: Date,
    leaseMs: number,
  ): Promise<'acquired' | 'held' | 'done'> {
    const acquired = await conditionalWrite('taking a work lease', () =>
      this.#db.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: { pk: `LEASE#${key}`, sk: 'LEASE' },
          UpdateExpression: 'SET #owner = :o, #until = :until, expiresAt = :exp',
          ConditionExpression:
            'attribute_not_exists(pk) OR (attribute_not_exists(done) AND (#owner = :o OR #until < :now))',
          ExpressionAttributeNames: { '#owner': 'owner', '#until': 'until' },
          ExpressionAttributeValues: {
            ':o': owner,
            ':until': new Date(now.getTime() + leaseMs).toISOString(),
            ':now': now.toISOString(),
            ':exp': epochSeconds(now, DELIVERY_TTL_DAYS),
          },
        }),
      ),
    );
    if (acquired) return 'acquired';
    const item = await this.#get({ pk: `LEASE#${key}`, sk: 'LEASE' }, 'reading a work lease');
    return item?.done === true ? 'done' : 'held';
  }

  async complete(key: string): Promise<void> {
    await awsCall('completing a work lease', () =>
      this.#db.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: { pk: `LEASE#${key}`, sk: 'LEASE' },
          UpdateExpression: 'SET done = :t',
          ExpressionAttributeValues: { ':t': true },
        }),
      ),
    );
  }

  #deliveryKey(runKey: string, householdId: string) {
    return { pk: `DELIVERY#${runKey}#${householdId}`, sk: 'DELIVERY' };
  }

  async #get(key: { pk: string; sk: string }, what: string): Promise<Record<string, unknown> | undefined> {
    const { Item } = await awsCall(what, () =>
      this.#db.send(new GetCommand({ TableName: this.#table, Key: key, ConsistentRead: true })),
    );
    return Item;
  }
}
