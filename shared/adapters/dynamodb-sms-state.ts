/**
 * The SMS channel's memory on DynamoDB (table `sms`): `INBOUND#<provider>#<id>` per received
 * message, `OPTOUT#<phone>` per opted-out phone, `RATE#<phone>#<hour>` holding the ids of that
 * hour's reports as a string set (so a retried message counts once). Items expire by TTL.
 */
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { InboundSms } from '../domain/sms/inbound-sms.ts';
import type { SentSms } from '../ports/sms-sender.ts';
import type { NotificationLog, OptOutList, ReportRateLimit, SmsInbox } from '../ports/sms-state.ts';
import { awsCall, conditionalWrite } from './aws-call.ts';

/** Providers retry for days (SNS); keep message ids longer than that. */
const INBOUND_TTL_DAYS = 14;
const epochSeconds = (days: number) => Math.floor(Date.now() / 1000) + days * 86_400;

export class DynamoDbSmsState implements SmsInbox, OptOutList, ReportRateLimit, NotificationLog {
  readonly #db: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(db: DynamoDBDocumentClient, tableName: string) {
    this.#db = db;
    this.#table = tableName;
  }

  #inboundKey(sms: InboundSms) {
    return { pk: `INBOUND#${sms.provider}#${sms.providerMessageId}`, sk: 'INBOUND' };
  }

  async begin(sms: InboundSms): Promise<'new' | 'unfinished' | 'done'> {
    const created = await conditionalWrite('recording the message', () =>
      this.#db.send(
        new PutCommand({
          TableName: this.#table,
          Item: {
            ...this.#inboundKey(sms),
            status: 'processing',
            receivedAt: sms.receivedAt,
            expiresAt: epochSeconds(INBOUND_TTL_DAYS),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
    if (created) return 'new';
    const { Item } = await awsCall('reading the message record', () =>
      this.#db.send(
        new GetCommand({ TableName: this.#table, Key: this.#inboundKey(sms), ConsistentRead: true }),
      ),
    );
    return Item?.status === 'done' ? 'done' : 'unfinished';
  }

  async finish(sms: InboundSms, reply?: SentSms): Promise<void> {
    await awsCall('finishing the message record', () =>
      this.#db.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: this.#inboundKey(sms),
          UpdateExpression: 'SET #status = :done, reply = :reply',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':done': 'done', ':reply': reply ?? null },
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
