/**
 * The SMS channel's memory on DynamoDB (table `sms`): `INBOUND#<provider>#<id>` per received
 * message, `OPTOUT#<phone>` per opted-out phone, `RATE#<phone>#<hour>` holding the ids of that
 * hour's reports as a string set (so a retried message counts once), and `NOTIFYCAP#<phone>#<day>`
 * holding the ids of the case updates sent to a phone that day (at most the cap, so the item stays
 * small) and the day's first. Items expire by TTL.
 *
 * An inbound message's item is its lease and its outcome: `status` (`processing`, then `done`
 * for good), the lease holder's `owner` token and `leaseUntil` (epoch ms), `sendingAt` once a
 * reply is being sent, `attempts` (how many deliveries took the lease), and when done the
 * `reply` sent (null for none) or `replyUnconfirmed`. A `processing` item without `leaseUntil`
 * (written before leases existed) counts as lapsed.
 */
import { randomUUID } from 'node:crypto';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { InboundSms } from '../domain/sms/inbound-sms.ts';
import type { SentSms } from '../ports/sms-sender.ts';
import type {
  CapDecision,
  InboxClaim,
  InboxResult,
  NotificationCap,
  NotificationLog,
  OptOutList,
  ReportRateLimit,
  SmsInbox,
} from '../ports/sms-state.ts';
import { awsCall, conditionalWrite } from './aws-call.ts';

/** Providers retry for days (SNS); keep message ids longer than that. */
const INBOUND_TTL_DAYS = 14;
const epochSeconds = (days: number) => Math.floor(Date.now() / 1000) + days * 86_400;
const PROCESSING = 'processing';

export class DynamoDbSmsState
  implements SmsInbox, OptOutList, ReportRateLimit, NotificationCap, NotificationLog
{
  readonly #db: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(db: DynamoDBDocumentClient, tableName: string) {
    this.#db = db;
    this.#table = tableName;
  }

  #inboundKey(sms: InboundSms) {
    return { pk: `INBOUND#${sms.provider}#${sms.providerMessageId}`, sk: 'INBOUND' };
  }

  async claim(sms: InboundSms, now: Date, leaseMs: number): Promise<InboxClaim> {
    const token = randomUUID();
    let previous: Record<string, unknown> | undefined;
    const claimed = await conditionalWrite('claiming the message', async () => {
      const out = await this.#db.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: this.#inboundKey(sms),
          UpdateExpression:
            'SET #status = :processing, #owner = :token, leaseUntil = :until, ' +
            'receivedAt = if_not_exists(receivedAt, :receivedAt), expiresAt = if_not_exists(expiresAt, :exp) ' +
            'ADD attempts :one',
          // New, or still processing under a lease that lapsed: its holder can no longer be running.
          ConditionExpression:
            'attribute_not_exists(pk) OR (#status = :processing AND ' +
            '(attribute_not_exists(leaseUntil) OR leaseUntil <= :now))',
          ExpressionAttributeNames: { '#status': 'status', '#owner': 'owner' },
          ExpressionAttributeValues: {
            ':processing': PROCESSING,
            ':token': token,
            ':until': now.getTime() + leaseMs,
            ':now': now.getTime(),
            ':receivedAt': sms.receivedAt,
            ':exp': epochSeconds(INBOUND_TTL_DAYS),
            ':one': 1,
          },
          ReturnValues: 'ALL_OLD',
        }),
      );
      previous = out.Attributes;
    });
    if (claimed) return { kind: 'claimed', token, sendUnconfirmed: typeof previous?.sendingAt === 'string' };
    const { Item } = await awsCall('reading the message record', () =>
      this.#db.send(
        new GetCommand({ TableName: this.#table, Key: this.#inboundKey(sms), ConsistentRead: true }),
      ),
    );
    return Item?.status === 'done' ? { kind: 'done' } : { kind: 'held' };
  }

  markSending(sms: InboundSms, token: string, at: Date): Promise<boolean> {
    return conditionalWrite('marking the reply as sending', () =>
      this.#db.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: this.#inboundKey(sms),
          UpdateExpression: 'SET sendingAt = :at',
          ConditionExpression: '#owner = :token AND #status = :processing',
          ExpressionAttributeNames: { '#status': 'status', '#owner': 'owner' },
          ExpressionAttributeValues: { ':at': at.toISOString(), ':token': token, ':processing': PROCESSING },
        }),
      ),
    );
  }

  async release(sms: InboundSms, token: string, options: { sendFailed: boolean }): Promise<void> {
    // A lease already taken over is not ours to give back: the condition leaves it alone.
    await conditionalWrite('releasing the message', () =>
      this.#db.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: this.#inboundKey(sms),
          UpdateExpression: `SET leaseUntil = :lapsed${options.sendFailed ? ' REMOVE sendingAt' : ''}`,
          ConditionExpression: '#owner = :token AND #status = :processing',
          ExpressionAttributeNames: { '#status': 'status', '#owner': 'owner' },
          ExpressionAttributeValues: { ':lapsed': 0, ':token': token, ':processing': PROCESSING },
        }),
      ),
    );
  }

  async finish(sms: InboundSms, result: InboxResult): Promise<void> {
    // Unconditional: `done` is final whoever writes it, and a late confirmation from a delivery
    // whose lease was taken over replaces the other's `replyUnconfirmed` with the real reply.
    const reply: SentSms | null = result.kind === 'replied' ? result.reply : null;
    await awsCall('finishing the message record', () =>
      this.#db.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: this.#inboundKey(sms),
          UpdateExpression:
            result.kind === 'unconfirmed'
              ? 'SET #status = :done, reply = :reply, replyUnconfirmed = :true REMOVE #owner, leaseUntil'
              : 'SET #status = :done, reply = :reply REMOVE #owner, leaseUntil, replyUnconfirmed',
          ExpressionAttributeNames: { '#status': 'status', '#owner': 'owner' },
          ExpressionAttributeValues: {
            ':done': 'done',
            ':reply': reply,
            ...(result.kind === 'unconfirmed' ? { ':true': true } : {}),
          },
        }),
      ),
    );
  }

  async optOut(phone: string, at: string): Promise<'new' | 'already'> {
    const created = await conditionalWrite('recording the opt-out', () =>
      this.#db.send(
        new PutCommand({
          TableName: this.#table,
          Item: { pk: `OPTOUT#${phone}`, sk: 'OPTOUT', at },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
    return created ? 'new' : 'already';
  }

  async isOptedOut(phone: string): Promise<boolean> {
    const { Item } = await awsCall('reading the opt-out list', () =>
      this.#db.send(new GetCommand({ TableName: this.#table, Key: { pk: `OPTOUT#${phone}`, sk: 'OPTOUT' } })),
    );
    return Item !== undefined;
  }

  admit(phone: string, messageId: string, hour: string, limit: number): Promise<boolean> {
    return conditionalWrite('counting reports', () =>
      this.#db.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: { pk: `RATE#${phone}#${hour}`, sk: 'RATE' },
          UpdateExpression: 'ADD ids :id SET expiresAt = :exp',
          // Under the limit, or this very message again (a retry must be admitted as before).
          ConditionExpression: 'attribute_not_exists(ids) OR size(ids) < :limit OR contains(ids, :mid)',
          ExpressionAttributeValues: {
            ':id': new Set([messageId]),
            ':mid': messageId,
            ':limit': limit,
            ':exp': epochSeconds(2),
          },
        }),
      ),
    );
  }

  async admitNotification(
    phone: string,
    notificationId: string,
    day: string,
    limit: number,
  ): Promise<CapDecision> {
    let first: unknown;
    const admitted = await conditionalWrite('counting case updates', async () => {
      const out = await this.#db.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: { pk: `NOTIFYCAP#${phone}#${day}`, sk: 'NOTIFYCAP' },
          UpdateExpression: 'ADD ids :id SET firstId = if_not_exists(firstId, :mid), expiresAt = :exp',
          // Under the cap, or this very update again (a retry is admitted as before).
          ConditionExpression: 'attribute_not_exists(ids) OR size(ids) < :limit OR contains(ids, :mid)',
          ExpressionAttributeValues: {
            ':id': new Set([notificationId]),
            ':mid': notificationId,
            ':limit': limit,
            ':exp': epochSeconds(2),
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      first = out.Attributes?.firstId;
    });
    return admitted ? { kind: 'admitted', firstOfDay: first === notificationId } : { kind: 'capped' };
  }

  async alreadySent(key: string): Promise<boolean> {
    const { Item } = await awsCall('reading the notification log', () =>
      this.#db.send(
        new GetCommand({ TableName: this.#table, Key: { pk: `NOTIFIED#${key}`, sk: 'NOTIFIED' } }),
      ),
    );
    return Item !== undefined;
  }

  async recordSent(key: string, at: string, sent: SentSms): Promise<void> {
    await awsCall('recording the notification', () =>
      this.#db.send(
        new PutCommand({
          TableName: this.#table,
          Item: {
            pk: `NOTIFIED#${key}`,
            sk: 'NOTIFIED',
            at,
            ...sent,
            expiresAt: epochSeconds(INBOUND_TTL_DAYS),
          },
        }),
      ),
    );
  }
}
