/**
 * SMS reports waiting for the resident's place, in the SMS channel's table (`sms`):
 * `PENDING#<phone key>` per phone, the key a keyed hash of the number made by the caller. One item
 * per phone: the report held, its stage, the intake message it makes (with the reporter's phone,
 * as the case's report item keeps it; removed once forwarded), and once answered the answering
 * message's id. Until forwarded the item carries the keys of the sparse `byDue` index
 * (`duePk` = PENDING_DUE, `dueSk` = `<dueAt>#<phone key>`), which the sweeper reads for what is
 * due; no other item in the table has them. Items expire by TTL (`expiresAt`, epoch seconds, a
 * week after the due time as a backstop), which DynamoDB applies late, so reads also check the time.
 */
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { ReportSubmitted } from '../domain/report.ts';
import { SmsProvider } from '../domain/sms/inbound-sms.ts';
import { DependencyError } from '../errors.ts';
import {
  type DecidedSmsReport,
  type DueSmsReport,
  heldRefOf,
  type PendingSmsReport,
  type PendingSmsReports,
  type WaitingSmsReport,
} from '../ports/pending-sms-reports.ts';
import * as z from '../schema.ts';
import { awsCall, conditionalWrite } from './aws-call.ts';
import { decodeCursor, encodeCursor } from './page-cursor.ts';

const PK_PREFIX = 'PENDING#';
const DUE_PK = 'PENDING_DUE';
export const DUE_INDEX = 'byDue';

const Base = z.object({
  provider: SmsProvider,
  providerMessageId: z.string(),
  receivedAt: z.string(),
  trackingCode: z.string(),
  lang: z.enum(['zh', 'en']),
  dueAt: z.string(),
  previous: z.optional(
    z.object({ ref: z.string(), trackingCode: z.string(), answeredBy: z.optional(z.string()) }),
  ),
});

const PendingItem = z.intersection(
  z.object({ expiresAt: z.number() }),
  z.discriminatedUnion('stage', [
    z.extend(Base, { stage: z.literal('waiting'), message: ReportSubmitted }),
    z.extend(Base, {
      stage: z.literal('answered'),
      message: ReportSubmitted,
      answeredBy: z.string(),
      decidedAt: z.string(),
    }),
    z.extend(Base, { stage: z.literal('timed_out'), message: ReportSubmitted, decidedAt: z.string() }),
    z.extend(Base, {
      stage: z.literal('forwarded'),
      answeredBy: z.optional(z.string()),
      decidedAt: z.string(),
    }),
  ]),
);

const epochSeconds = (at: Date) => Math.floor(at.getTime() / 1000);

/** The report as the port knows it: no keys, no TTL, no index attributes. */
function reportOf(
  item: Record<string, unknown>,
): { report: PendingSmsReport; expiresAt: number } | undefined {
  const parsed = PendingItem.safeParse(item);
  if (!parsed.success) return undefined;
  const { expiresAt, ...report } = parsed.data;
  return { report, expiresAt };
}

export class DynamoDbPendingSmsReports implements PendingSmsReports {
  readonly #db: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(db: DynamoDBDocumentClient, tableName: string) {
    this.#db = db;
    this.#table = tableName;
  }

  #key(phoneKey: string) {
    return { pk: `${PK_PREFIX}${phoneKey}`, sk: 'PENDING' };
  }

  async find(phoneKey: string, now: Date): Promise<PendingSmsReport | undefined> {
    const { Item } = await awsCall('reading the pending report', () =>
      this.#db.send(
        new GetCommand({ TableName: this.#table, Key: this.#key(phoneKey), ConsistentRead: true }),
      ),
    );
    if (Item === undefined) return undefined;
    const read = reportOf(Item);
    // Not a stored shape this code wrote: retrying will not help, but nothing may be guessed either.
    if (read === undefined) throw new DependencyError('the pending SMS report item is unreadable');
    return read.expiresAt > epochSeconds(now) ? read.report : undefined;
  }

  hold(
    phoneKey: string,
    report: WaitingSmsReport,
    replacing: PendingSmsReport | undefined,
    now: Date,
    expiresAt: Date,
  ): Promise<boolean> {
    const values: Record<string, unknown> = { ':now': epochSeconds(now) };
    const names: Record<string, string> = {};
    let condition = 'attribute_not_exists(pk) OR expiresAt <= :now';
    let previous: PendingSmsReport['previous'];
    if (replacing?.stage === 'forwarded') {
      // Only the item as it was read, so what it remembers of it is true.
      condition += ' OR (#ref = :replaced AND #stage = :forwarded)';
      Object.assign(names, { '#ref': 'ref', '#stage': 'stage' });
      Object.assign(values, { ':replaced': heldRefOf(replacing), ':forwarded': 'forwarded' });
      previous = {
        ref: heldRefOf(replacing),
        trackingCode: replacing.trackingCode,
        ...(replacing.answeredBy === undefined ? {} : { answeredBy: replacing.answeredBy }),
      };
    }
    return conditionalWrite('holding the report for its place', () =>
      this.#db.send(
        new PutCommand({
          TableName: this.#table,
          Item: {
            ...this.#key(phoneKey),
            ...report,
            ...(previous ? { previous } : {}),
            ref: heldRefOf(report),
            duePk: DUE_PK,
            dueSk: `${report.dueAt}#${phoneKey}`,
            expiresAt: epochSeconds(expiresAt),
          },
          ConditionExpression: condition,
          ...(Object.keys(names).length > 0 ? { ExpressionAttributeNames: names } : {}),
          ExpressionAttributeValues: values,
        }),
      ),
    );
  }

  answer(
    phoneKey: string,
    ref: string,
    answeredBy: string,
    message: ReportSubmitted,
    at: Date,
  ): Promise<boolean> {
    return conditionalWrite('recording the answer', () =>
      this.#db.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: this.#key(phoneKey),
          UpdateExpression: 'SET #stage = :answered, answeredBy = :aid, #message = :message, decidedAt = :at',
          ConditionExpression: '#ref = :ref AND #stage = :waiting',
          ExpressionAttributeNames: { '#ref': 'ref', '#stage': 'stage', '#message': 'message' },
          ExpressionAttributeValues: {
            ':ref': ref,
            ':aid': answeredBy,
            ':message': message,
            ':at': at.toISOString(),
            ':answered': 'answered',
            ':waiting': 'waiting',
          },
        }),
      ),
    );
  }

  async timeOut(phoneKey: string, ref: string, at: Date): Promise<DecidedSmsReport | undefined> {
    let attributes: Record<string, unknown> | undefined;
    const won = await conditionalWrite('timing out the held report', async () => {
      const out = await this.#db.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: this.#key(phoneKey),
          UpdateExpression: 'SET #stage = :timedOut, decidedAt = :at',
          ConditionExpression: '#ref = :ref AND #stage = :waiting',
          ExpressionAttributeNames: { '#ref': 'ref', '#stage': 'stage' },
          ExpressionAttributeValues: {
            ':ref': ref,
            ':at': at.toISOString(),
            ':timedOut': 'timed_out',
            ':waiting': 'waiting',
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      attributes = out.Attributes;
    });
    if (!won || attributes === undefined) return undefined;
    const report = reportOf(attributes)?.report;
    return report?.stage === 'timed_out' ? report : undefined;
  }

  markForwarded(phoneKey: string, ref: string): Promise<boolean> {
    return conditionalWrite('recording the report forwarded', () =>
      this.#db.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: this.#key(phoneKey),
          // The phone and the words go with the intake message; the ids stay for late retries.
          UpdateExpression: 'SET #stage = :forwarded REMOVE #message, duePk, dueSk',
          ConditionExpression: '#ref = :ref AND #stage IN (:answered, :timedOut)',
          ExpressionAttributeNames: { '#ref': 'ref', '#stage': 'stage', '#message': 'message' },
          ExpressionAttributeValues: {
            ':ref': ref,
            ':forwarded': 'forwarded',
            ':answered': 'answered',
            ':timedOut': 'timed_out',
          },
        }),
      ),
    );
  }

  async duePage(
    now: Date,
    limit: number,
    cursor?: string,
  ): Promise<{ due: DueSmsReport[]; unreadable: string[]; cursor?: string }> {
    const out = await awsCall('reading the held reports due', () =>
      this.#db.send(
        new QueryCommand({
          TableName: this.#table,
          IndexName: DUE_INDEX,
          KeyConditionExpression: 'duePk = :pk AND dueSk <= :now',
          ExpressionAttributeValues: { ':pk': DUE_PK, ':now': `${now.toISOString()}#~` },
          Limit: limit,
          ExclusiveStartKey: decodeCursor(cursor),
        }),
      ),
    );
    const due: DueSmsReport[] = [];
    const unreadable: string[] = [];
    for (const item of out.Items ?? []) {
      const phoneKey = String(item.pk).slice(PK_PREFIX.length);
      const report = reportOf(item)?.report;
      if (report) due.push({ phoneKey, report });
      else unreadable.push(phoneKey);
    }
    return { due, unreadable, cursor: encodeCursor(out.LastEvaluatedKey) };
  }
}
