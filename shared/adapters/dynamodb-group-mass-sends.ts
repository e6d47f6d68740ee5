/**
 * Outreach to the grids' WeChat groups on DynamoDB (table `outreach`, beside the campaigns).
 * Layout:
 *   slot   pk GROUPSLOT#<chatId>          sk <YYYY-MM>   `runs`: the runs that took one of the
 *          group's mass-sends that month (a string set; expires after 120 days)
 *   task   pk GROUPRUN#<campaignId>#<runId>  sk TASK#<owner>  one per group owner per run
 *   group  pk GROUPRUN#<campaignId>#<runId>  sk GROUP#<townshipId>#<gridId>  one per group per run
 *   run    pk CAMPAIGN#<id>  sk RUN#<runId>  (the campaign store's item) `groupPoll`, status, counts
 * A run's tasks and groups share one partition, read page by page in key order, so the campaign
 * view gets its groups by township without a scan. Every state change is one conditional write.
 */
import {
  BatchGetCommand,
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { RunCounts } from '../domain/outreach/campaign.ts';
import {
  type GroupSendRecord,
  type GroupSendStatus,
  GroupSendStatus as Status,
} from '../domain/outreach/group-mass-send.ts';
import { DependencyError } from '../errors.ts';
import type {
  GroupMassSendLog,
  GroupMonthlySlots,
  GroupRecordPage,
  GroupRunProgress,
  GroupTask,
  GroupTaskPage,
} from '../ports/group-mass-send.ts';
import * as z from '../schema.ts';
import { awsCall, conditionalWrite } from './aws-call.ts';
import { decodeCursor, encodeCursor } from './page-cursor.ts';

const SLOT_TTL_DAYS = 120;
const slotPk = (chatId: string) => `GROUPSLOT#${chatId}`;
const runPk = (runKey: string) => `GROUPRUN#${runKey}`;
const taskSk = (owner: string) => `TASK#${owner}`;
const groupSk = (r: Pick<GroupSendRecord, 'townshipId' | 'gridId'>) => `GROUP#${r.townshipId}#${r.gridId}`;

const StoredTask = z.discriminatedUnion('status', [
  z.object({ owner: z.string(), status: z.literal('creating'), chatIds: z.array(z.string()) }),
  z.object({
    owner: z.string(),
    status: z.literal('created'),
    chatIds: z.array(z.string()),
    msgid: z.string(),
    createdAt: z.string(),
    remindedAt: z.optional(z.string()),
    sent: z.optional(z.boolean()),
  }),
  z.object({ owner: z.string(), status: z.enum(['unknown', 'failed']), chatIds: z.array(z.string()) }),
]);
const StoredGroup = z.object({
  chatId: z.string(),
  gridId: z.string(),
  communityId: z.string(),
  townshipId: z.string(),
  households: z.int(),
  ownerUserId: z.string(),
  status: Status,
});
const StoredSlot = z.object({ chatId: z.string(), runs: z.optional(z.instanceof(Set)) });

/** A conditional update's expressions, with `#status` for the item's status. */
interface ConditionalUpdate {
  UpdateExpression: string;
  ConditionExpression: string;
  ExpressionAttributeValues: Record<string, unknown>;
}

export class DynamoDbGroupMassSends implements GroupMonthlySlots, GroupMassSendLog, GroupRunProgress {
  readonly #db: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(db: DynamoDBDocumentClient, tableName: string) {
    this.#db = db;
    this.#table = tableName;
  }

  // ─── monthly slots ───────────────────────────────────────────────────────────────────────

  reserve(chatId: string, month: string, runKey: string, max: number): Promise<boolean> {
    // Adding a run already in the set changes nothing, so a replay is answered true at no cost.
    return conditionalWrite('reserving a group’s monthly mass-send', () =>
      this.#db.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: { pk: slotPk(chatId), sk: month },
          UpdateExpression: 'ADD runs :run SET chatId = :chat, expiresAt = :exp',
          ConditionExpression: 'attribute_not_exists(runs) OR contains(runs, :rk) OR size(runs) < :max',
          ExpressionAttributeValues: {
            ':run': new Set([runKey]),
            ':rk': runKey,
            ':max': max,
            ':chat': chatId,
            ':exp': Math.floor(Date.now() / 1000) + SLOT_TTL_DAYS * 86_400,
          },
        }),
      ),
    );
  }

  async release(chatId: string, month: string, runKey: string): Promise<void> {
    await awsCall('releasing a group’s monthly mass-send', () =>
      this.#db.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: { pk: slotPk(chatId), sk: month },
          UpdateExpression: 'DELETE runs :run',
          ExpressionAttributeValues: { ':run': new Set([runKey]) },
        }),
      ),
    );
  }

  async taken(chatIds: string[], month: string): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    for (let i = 0; i < chatIds.length; i += 100) {
      let keys: Record<string, unknown>[] = chatIds
        .slice(i, i + 100)
        .map((c) => ({ pk: slotPk(c), sk: month }));
      for (let attempt = 0; keys.length > 0; attempt++) {
        if (attempt === 8)
          throw new DependencyError('reading groups’ monthly mass-sends kept being throttled');
        const pending = keys;
        const out = await awsCall('reading groups’ monthly mass-sends', () =>
          this.#db.send(
            new BatchGetCommand({
              RequestItems: {
                [this.#table]: {
                  Keys: pending,
                  ProjectionExpression: 'chatId, #runs',
                  ExpressionAttributeNames: { '#runs': 'runs' },
                },
              },
            }),
          ),
        );
        for (const item of out.Responses?.[this.#table] ?? []) {
          const slot = StoredSlot.parse(item);
          counts.set(slot.chatId, slot.runs?.size ?? 0);
        }
        keys = out.UnprocessedKeys?.[this.#table]?.Keys ?? [];
        if (keys.length > 0) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
      }
    }
    return counts;
  }

  // ─── tasks ───────────────────────────────────────────────────────────────────────────────

  claimTask(runKey: string, owner: string, chatIds: string[]): Promise<boolean> {
    return conditionalWrite('claiming a mass-send task', () =>
      this.#db.send(
        new PutCommand({
          TableName: this.#table,
          Item: { pk: runPk(runKey), sk: taskSk(owner), owner, status: 'creating', chatIds },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
  }

  async getTask(runKey: string, owner: string): Promise<GroupTask | undefined> {
    const out = await awsCall('reading a mass-send task', () =>
      this.#db.send(
        new GetCommand({
          TableName: this.#table,
          Key: { pk: runPk(runKey), sk: taskSk(owner) },
          ConsistentRead: true,
        }),
      ),
    );
    return out.Item ? StoredTask.parse(out.Item) : undefined;
  }

  async recordTask(runKey: string, owner: string, msgid: string, at: Date): Promise<void> {
    await this.#updateTask(runKey, owner, 'recording a mass-send task', {
      UpdateExpression: 'SET #status = :created, msgid = :msgid, createdAt = :at',
      ConditionExpression: '#status = :creating',
      ExpressionAttributeValues: {
        ':created': 'created',
        ':creating': 'creating',
        ':msgid': msgid,
        ':at': at.toISOString(),
      },
    });
  }

  async releaseTask(runKey: string, owner: string): Promise<void> {
    await conditionalWrite('releasing a mass-send task', () =>
      this.#db.send(
        new DeleteCommand({
          TableName: this.#table,
          Key: { pk: runPk(runKey), sk: taskSk(owner) },
          ConditionExpression: '#status = :creating',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':creating': 'creating' },
        }),
      ),
    );
  }

  async endTask(runKey: string, owner: string, status: 'unknown' | 'failed'): Promise<void> {
    await this.#updateTask(runKey, owner, 'ending a mass-send task', {
      UpdateExpression: 'SET #status = :to',
      ConditionExpression: '#status = :creating',
      ExpressionAttributeValues: { ':to': status, ':creating': 'creating' },
    });
  }

  async markTaskSent(runKey: string, owner: string): Promise<void> {
    await this.#updateTask(runKey, owner, 'marking a mass-send task sent', {
      UpdateExpression: 'SET sent = :yes',
      ConditionExpression: '#status = :created',
      ExpressionAttributeValues: { ':yes': true, ':created': 'created' },
    });
  }

  claimReminder(runKey: string, owner: string, at: Date): Promise<boolean> {
    return this.#updateTask(runKey, owner, 'claiming a mass-send reminder', {
      UpdateExpression: 'SET remindedAt = :at',
      ConditionExpression: '#status = :created AND attribute_not_exists(remindedAt)',
      ExpressionAttributeValues: { ':at': at.toISOString(), ':created': 'created' },
    });
  }

  async listTasks(runKey: string, limit: number, cursor?: string): Promise<GroupTaskPage> {
    const page = await this.#page(runKey, 'TASK#', limit, cursor, 'listing mass-send tasks');
    return {
      tasks: page.items.map((i) => StoredTask.parse(i)),
      ...(page.cursor ? { cursor: page.cursor } : {}),
    };
  }

  // ─── groups ──────────────────────────────────────────────────────────────────────────────

  putGroup(runKey: string, record: GroupSendRecord): Promise<boolean> {
    return conditionalWrite('recording a group’s mass-send', () =>
      this.#db.send(
        new PutCommand({
          TableName: this.#table,
          Item: { pk: runPk(runKey), sk: groupSk(record), ...record },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
  }

  setGroupStatus(
    runKey: string,
    record: Pick<GroupSendRecord, 'townshipId' | 'gridId'>,
    from: GroupSendStatus[],
    to: GroupSendStatus,
  ): Promise<boolean> {
    const values: Record<string, string> = { ':to': to };
    from.forEach((s, i) => {
      values[`:f${i}`] = s;
    });
    return conditionalWrite('updating a group’s mass-send', () =>
      this.#db.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: { pk: runPk(runKey), sk: groupSk(record) },
          UpdateExpression: 'SET #status = :to',
          ConditionExpression: `#status IN (${from.map((_, i) => `:f${i}`).join(', ')})`,
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: values,
        }),
      ),
    );
  }

  async listGroups(runKey: string, limit: number, cursor?: string): Promise<GroupRecordPage> {
    const page = await this.#page(runKey, 'GROUP#', limit, cursor, 'listing a run’s groups');
    return {
      groups: page.items.map((i) => StoredGroup.parse(i)),
      ...(page.cursor ? { cursor: page.cursor } : {}),
    };
  }

  // ─── the run ─────────────────────────────────────────────────────────────────────────────

  startPolling(campaignId: string, runId: string, since: Date): Promise<boolean> {
    return this.#updateRun(campaignId, runId, 'ending a group run’s planning', {
      UpdateExpression: 'SET #status = :sending, groupPoll = :poll',
      ConditionExpression: '#status = :planning',
      ExpressionAttributeValues: {
        ':sending': 'sending',
        ':planning': 'planning',
        ':poll': { round: 0, since: since.toISOString() },
      },
    });
  }

  advancePolling(campaignId: string, runId: string, round: number): Promise<boolean> {
    return this.#updateRun(campaignId, runId, 'advancing a group run’s polling', {
      UpdateExpression: 'SET groupPoll.round = :next',
      ConditionExpression: '#status = :sending AND groupPoll.round = :round',
      ExpressionAttributeValues: { ':sending': 'sending', ':round': round, ':next': round + 1 },
    });
  }

  completeRun(
    campaignId: string,
    runId: string,
    round: number,
    counts: RunCounts,
    reach: { groups: number; households: number },
    at: Date,
  ): Promise<boolean> {
    return this.#updateRun(campaignId, runId, 'completing a group run', {
      UpdateExpression: 'SET #status = :completed, completedAt = :at, counts = :counts, groupReach = :reach',
      ConditionExpression: '#status = :sending AND groupPoll.round = :round',
      ExpressionAttributeValues: {
        ':sending': 'sending',
        ':completed': 'completed',
        ':round': round,
        ':at': at.toISOString(),
        ':counts': counts,
        ':reach': reach,
      },
    });
  }

  // ─── helpers ─────────────────────────────────────────────────────────────────────────────

  #updateRun(campaignId: string, runId: string, what: string, update: ConditionalUpdate): Promise<boolean> {
    return this.#update({ pk: `CAMPAIGN#${campaignId}`, sk: `RUN#${runId}` }, what, update);
  }

  #updateTask(runKey: string, owner: string, what: string, update: ConditionalUpdate): Promise<boolean> {
    return this.#update({ pk: runPk(runKey), sk: taskSk(owner) }, what, update);
  }

  /** One conditional update of a run or a task, whose `status` every condition names as `#status`. */
  #update(key: { pk: string; sk: string }, what: string, update: ConditionalUpdate): Promise<boolean> {
    return conditionalWrite(what, () =>
      this.#db.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: key,
          ExpressionAttributeNames: { '#status': 'status' },
          ...update,
        }),
      ),
    );
  }

  async #page(
    runKey: string,
    prefix: string,
    limit: number,
    cursor: string | undefined,
    what: string,
  ): Promise<{ items: Record<string, unknown>[]; cursor?: string }> {
    const out = await awsCall(what, () =>
      this.#db.send(
        new QueryCommand({
          TableName: this.#table,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': runPk(runKey), ':prefix': prefix },
          Limit: limit,
          ExclusiveStartKey: decodeCursor(cursor),
        }),
      ),
    );
    const next = encodeCursor(out.LastEvaluatedKey);
    return { items: out.Items ?? [], ...(next ? { cursor: next } : {}) };
  }
}
