/**
 * SMS reports waiting for the resident's place, in the SMS channel's table (`sms`):
 * `PENDING#<phone key>` per phone, the key a keyed hash of the number made by the caller, so
 * the table never holds the number. One item per phone: the report held, its language, and once
 * answered the answering message's id. Items expire by TTL (`expiresAt`, epoch seconds), which
 * DynamoDB applies late, so reads also check the time.
 */
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { SmsProvider } from '../domain/sms/inbound-sms.ts';
import type { PendingSmsReport, PendingSmsReports } from '../ports/pending-sms-reports.ts';
import { awsCall, conditionalWrite } from './aws-call.ts';

const PendingItem = z.object({
  provider: SmsProvider,
  providerMessageId: z.string(),
  receivedAt: z.string(),
  text: z.string(),
  lang: z.enum(['zh', 'en']),
  answeredBy: z.string().optional(),
  expiresAt: z.number(),
});

/** Message ids are unique per provider only. */
const refOf = (report: Pick<PendingSmsReport, 'provider' | 'providerMessageId'>) =>
  `${report.provider}#${report.providerMessageId}`;

const epochSeconds = (at: Date) => Math.floor(at.getTime() / 1000);

export class DynamoDbPendingSmsReports implements PendingSmsReports {
  readonly #db: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(db: DynamoDBDocumentClient, tableName: string) {
    this.#db = db;
    this.#table = tableName;
  }

  #key(phoneKey: string) {
    return { pk: `PENDING#${phoneKey}`, sk: 'PENDING' };
  }

  async find(phoneKey: string, now: Date): Promise<PendingSmsReport | undefined> {
    const { Item } = await awsCall('reading the pending report', () =>
      this.#db.send(
        new GetCommand({ TableName: this.#table, Key: this.#key(phoneKey), ConsistentRead: true }),
      ),
    );
    if (Item === undefined) return undefined;
    const { expiresAt, ...report } = PendingItem.parse(Item);
    return expiresAt > epochSeconds(now) ? report : undefined;
  }

  hold(phoneKey: string, report: PendingSmsReport, now: Date, expiresAt: Date): Promise<boolean> {
    return conditionalWrite('holding the report for its place', () =>
      this.#db.send(
        new PutCommand({
          TableName: this.#table,
          Item: { ...this.#key(phoneKey), ...report, ref: refOf(report), expiresAt: epochSeconds(expiresAt) },
          // Nothing held, or only what is finished with: expired, or answered (unless it is this
          // very report, answered meanwhile). The same report unanswered again is a retry.
          ConditionExpression:
            'attribute_not_exists(pk) OR expiresAt <= :now OR ' +
            '(attribute_exists(answeredBy) AND #ref <> :ref) OR ' +
            '(attribute_not_exists(answeredBy) AND #ref = :ref)',
          ExpressionAttributeNames: { '#ref': 'ref' },
          ExpressionAttributeValues: { ':now': epochSeconds(now), ':ref': refOf(report) },
        }),
      ),
    );
  }

  answer(
    phoneKey: string,
    report: Pick<PendingSmsReport, 'provider' | 'providerMessageId'>,
    answeredBy: string,
  ): Promise<boolean> {
    return conditionalWrite('recording the answer', () =>
      this.#db.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: this.#key(phoneKey),
          UpdateExpression: 'SET answeredBy = :aid',
          ConditionExpression: '#ref = :ref AND (attribute_not_exists(answeredBy) OR answeredBy = :aid)',
          ExpressionAttributeNames: { '#ref': 'ref' },
          ExpressionAttributeValues: { ':ref': refOf(report), ':aid': answeredBy },
        }),
      ),
    );
  }
}
