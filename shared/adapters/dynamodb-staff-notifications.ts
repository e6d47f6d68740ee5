/**
 * The staff notifier's ledger on DynamoDB, in the SMS channel's small table (`sms`) beside the
 * WeChat Work callback memory: `WECOM#NOTIFY#<key>` per notification, `state` `sending` with a
 * lease (epoch ms) or `sent`, expiring by TTL (`expiresAt`, epoch seconds) once no redelivery
 * can come any more. Every change is one conditional write; no scans.
 */
import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { NotificationClaim, StaffNotificationLedger } from '../ports/staff-notifications.ts';
import * as z from '../schema.ts';
import { awsCall, conditionalWrite } from './aws-call.ts';

const keyOf = (key: string) => ({ pk: `WECOM#NOTIFY#${key}`, sk: 'NOTIFY' });
const LedgerItem = z.object({ state: z.enum(['sending', 'sent']), leaseUntil: z.optional(z.number()) });
const epochSeconds = (at: Date) => Math.ceil(at.getTime() / 1000);

export class DynamoDbStaffNotificationLedger implements StaffNotificationLedger {
  readonly #db: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(db: DynamoDBDocumentClient, tableName: string) {
    this.#db = db;
    this.#table = tableName;
  }

  async claim(key: string, now: Date, leaseUntil: Date, forgetAt: Date): Promise<NotificationClaim> {
    const taken = await conditionalWrite('claiming the staff notification', () =>
      this.#db.send(
        new PutCommand({
          TableName: this.#table,
          Item: {
            ...keyOf(key),
            state: 'sending',
            leaseUntil: leaseUntil.getTime(),
            expiresAt: epochSeconds(forgetAt),
          },
          // New, or a claim whose holder died (its lease ran out) and never marked it sent.
          ConditionExpression: 'attribute_not_exists(pk) OR (#state = :sending AND leaseUntil <= :now)',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':sending': 'sending', ':now': now.getTime() },
        }),
      ),
    );
    if (taken) return { kind: 'claimed' };
    const out = await awsCall('reading the staff notification', () =>
      this.#db.send(new GetCommand({ TableName: this.#table, Key: keyOf(key), ConsistentRead: true })),
    );
    // Gone between the two calls (released by a failed sender): the redelivery will claim it.
    if (!out.Item) return { kind: 'busy' };
    return LedgerItem.parse(out.Item).state === 'sent' ? { kind: 'sent' } : { kind: 'busy' };
  }

  async markSent(
    key: string,
    detail: { recipients: number; invalid: number },
    forgetAt: Date,
  ): Promise<void> {
    await awsCall('recording the staff notification sent', () =>
      this.#db.send(
        new PutCommand({
          TableName: this.#table,
          Item: { ...keyOf(key), state: 'sent', ...detail, expiresAt: epochSeconds(forgetAt) },
        }),
      ),
    );
  }

  async release(key: string): Promise<void> {
    // Conditioned on `sending`: a send recorded meanwhile is never undone.
    await conditionalWrite('releasing the staff notification', () =>
      this.#db.send(
        new DeleteCommand({
          TableName: this.#table,
          Key: keyOf(key),
          ConditionExpression: '#state = :sending',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':sending': 'sending' },
        }),
      ),
    );
  }
}
