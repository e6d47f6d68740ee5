/**
 * ReportRetention on the cases table (layout in dynamodb-case-store.ts and case-table-layout.ts).
 * The due cases are the sparse `byRetention` index (`retentionPk = RETENTION`, `retentionSk =
 * <clock start>#<code>`), which every case write keeps up to date; the report is replaced whole,
 * so nothing outside the kept fields can survive; the mark on the state item removes the index
 * keys in the same write. The backfill reads the county's done lane (`byCounty`) once and keeps
 * its progress in one item, `pk = RETENTION#BACKFILL`, `sk = PROGRESS`.
 */
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { CaseReport, type CaseState } from '../domain/case.ts';
import type { AnonymisedStateFields } from '../domain/report-retention.ts';
import type { ReportRetention, RetentionBackfill, RetentionPage } from '../ports/report-retention.ts';
import * as z from '../schema.ts';
import { awsCall, conditionalWrite } from './aws-call.ts';
import { caseIndexes } from './case-table-layout.ts';
import { caseStateOfItem } from './dynamodb-case-store.ts';
import { trainingExampleKey } from './dynamodb-training-examples.ts';
import { RETENTION_PK, retentionIndexKeys, retentionKeysOf } from './retention-index.ts';

const casePk = (code: string) => `CASE#${code}`;
const BACKFILL_KEY = { pk: 'RETENTION#BACKFILL', sk: 'PROGRESS' };
const [RETENTION_KEY, RETENTION_SORT_KEY] = retentionIndexKeys;
const [COUNTY_LANE, LANE_SK] = caseIndexes.byCounty;
/** The county lane of done cases, as indexKeysOf writes it (the backfill test reads it back). */
const COUNTY_DONE_LANE = 'COUNTY#done';

const Progress = z.object({
  after: z.optional(z.string()),
  completedAt: z.optional(z.iso.datetime()),
  indexed: z._default(z.int().check(z.nonnegative()), 0),
});

export class DynamoDbReportRetention implements ReportRetention {
  readonly #db: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(db: DynamoDBDocumentClient, tableName: string) {
    this.#db = db;
    this.#table = tableName;
  }

  async duePage(cutoff: string, limit: number, after?: string): Promise<RetentionPage> {
    const out = await awsCall('reading the cases due for anonymisation', () =>
      this.#db.send(
        new QueryCommand({
          TableName: this.#table,
          IndexName: 'byRetention',
          KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :after AND :cutoff',
          ExpressionAttributeNames: { '#pk': RETENTION_KEY, '#sk': RETENTION_SORT_KEY },
          // `~` sorts after every character of a tracking code: the whole instant is included.
          ExpressionAttributeValues: {
            ':pk': RETENTION_PK,
            ':after': after ?? ' ',
            ':cutoff': `${cutoff}#~`,
          },
          Limit: limit,
        }),
      ),
    );
    const last = out.LastEvaluatedKey?.[RETENTION_SORT_KEY];
    return { ...readCases(out.Items ?? []), ...(typeof last === 'string' ? { next: `${last}~` } : {}) };
  }

  async current(trackingCode: string): Promise<{ state?: CaseState; report?: CaseReport }> {
    const read = (sk: string) =>
      awsCall('reading the case', () =>
        this.#db.send(
          new GetCommand({
            TableName: this.#table,
            Key: { pk: casePk(trackingCode), sk },
            ConsistentRead: true,
          }),
        ),
      );
    const [state, report] = await Promise.all([read('STATE'), read('REPORT')]);
    return {
      ...(state.Item ? { state: caseStateOfItem(state.Item) } : {}),
      ...(report.Item ? { report: CaseReport.parse(report.Item) } : {}),
    };
  }

  replaceReport(report: CaseReport): Promise<boolean> {
    return conditionalWrite('replacing the report', () =>
      this.#db.send(
        new PutCommand({
          TableName: this.#table,
          Item: { pk: casePk(report.trackingCode), sk: 'REPORT', ...report },
          ConditionExpression: 'submissionId = :sid',
          ExpressionAttributeValues: { ':sid': report.submissionId },
        }),
      ),
    );
  }

  async markAnonymised(seen: CaseState, fields: AnonymisedStateFields): Promise<boolean> {
    // Before the mark: a crash in between leaves the case due, and the next run deletes again.
    await awsCall('deleting the training example', () =>
      this.#db.send(
        new DeleteCommand({
          TableName: this.#table,
          Key: trainingExampleKey(seen.trackingCode, seen.submittedAt),
        }),
      ),
    );
    const names: Record<string, string> = {
      '#version': 'version',
      '#timeline': 'timeline',
      '#anonymisedAt': 'anonymisedAt',
      '#rpk': RETENTION_KEY,
      '#rsk': RETENTION_SORT_KEY,
    };
    const values: Record<string, unknown> = {
      ':version': seen.version,
      ':timeline': fields.timeline,
      ':at': fields.anonymisedAt,
    };
    const sets = ['#timeline = :timeline', '#anonymisedAt = :at'];
    // Whole values from the version read; the condition makes that exact.
    if (fields.rating) {
      names['#rating'] = 'rating';
      values[':rating'] = fields.rating;
      sets.push('#rating = :rating');
    }
    if (fields.location) {
      names['#location'] = 'location';
      values[':location'] = fields.location;
      sets.push('#location = :location');
    }
    const removes = ['#rpk', '#rsk'];
    fields.remove.forEach((attribute, i) => {
      names[`#r${i}`] = attribute;
      removes.push(`#r${i}`);
    });
    return conditionalWrite('marking the case anonymised', () =>
      this.#db.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: { pk: casePk(seen.trackingCode), sk: 'STATE' },
          UpdateExpression: `SET ${sets.join(', ')} REMOVE ${removes.join(', ')}`,
          ConditionExpression: '#version = :version',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      ),
    );
  }

  dropFromIndex(seen: CaseState): Promise<boolean> {
    return conditionalWrite('taking the case out of the retention index', () =>
      this.#db.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: { pk: casePk(seen.trackingCode), sk: 'STATE' },
          UpdateExpression: 'REMOVE #rpk, #rsk',
          ConditionExpression: '#version = :version AND attribute_exists(#rpk)',
          ExpressionAttributeNames: {
            '#version': 'version',
            '#rpk': RETENTION_KEY,
            '#rsk': RETENTION_SORT_KEY,
          },
          ExpressionAttributeValues: { ':version': seen.version },
        }),
      ),
    );
  }

  async backfillProgress(): Promise<RetentionBackfill> {
    const { Item } = await awsCall('reading the retention backfill progress', () =>
      this.#db.send(new GetCommand({ TableName: this.#table, Key: BACKFILL_KEY, ConsistentRead: true })),
    );
    return Progress.parse(Item ?? {});
  }

  async doneCasesPage(limit: number, after?: string): Promise<RetentionPage> {
    const out = await awsCall('reading done cases', () =>
      this.#db.send(
        new QueryCommand({
          TableName: this.#table,
          IndexName: 'byCounty',
          KeyConditionExpression: after ? '#pk = :pk AND #sk > :after' : '#pk = :pk',
          // Cases written since the index existed carry its keys already: no write to try for them.
          FilterExpression: 'attribute_not_exists(#rpk)',
          ExpressionAttributeNames: {
            '#pk': COUNTY_LANE,
            '#rpk': RETENTION_KEY,
            ...(after ? { '#sk': LANE_SK } : {}),
          },
          ExpressionAttributeValues: { ':pk': COUNTY_DONE_LANE, ...(after ? { ':after': after } : {}) },
          // Counts the items read before the filter: a page may hold fewer cases, or none.
          Limit: limit,
        }),
      ),
    );
    const last = out.LastEvaluatedKey?.[LANE_SK];
    return { ...readCases(out.Items ?? []), ...(typeof last === 'string' ? { next: last } : {}) };
  }

  async startClock(seen: CaseState): Promise<boolean> {
    const keys = retentionKeysOf(seen);
    if (!keys) return false;
    return conditionalWrite('starting the retention clock', () =>
      this.#db.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: { pk: casePk(seen.trackingCode), sk: 'STATE' },
          UpdateExpression: 'SET #rpk = :rpk, #rsk = :rsk',
          ConditionExpression: '#version = :version AND attribute_not_exists(#rpk)',
          ExpressionAttributeNames: {
            '#version': 'version',
            '#rpk': RETENTION_KEY,
            '#rsk': RETENTION_SORT_KEY,
          },
          ExpressionAttributeValues: {
            ':version': seen.version,
            ':rpk': keys.retentionPk,
            ':rsk': keys.retentionSk,
          },
        }),
      ),
    );
  }

  async saveBackfillProgress(progress: RetentionBackfill): Promise<void> {
    const ahead =
      progress.after === undefined
        ? 'attribute_not_exists(#after)'
        : '(attribute_not_exists(#after) OR #after <= :after)';
    await conditionalWrite('saving the retention backfill progress', () =>
      this.#db.send(
        new PutCommand({
          TableName: this.#table,
          Item: { ...BACKFILL_KEY, ...progress },
          ConditionExpression: `attribute_not_exists(completedAt) AND ${ahead}`,
          ExpressionAttributeNames: { '#after': 'after' },
          ...(progress.after === undefined
            ? {}
            : { ExpressionAttributeValues: { ':after': progress.after } }),
        }),
      ),
    );
  }
}

function readCases(items: Record<string, unknown>[]): Omit<RetentionPage, 'next'> {
  const cases: CaseState[] = [];
  const unreadable: string[] = [];
  for (const item of items) {
    try {
      cases.push(caseStateOfItem(item));
    } catch (error) {
      if (!(error instanceof z.core.$ZodError)) throw error;
      unreadable.push(String(item.pk).replace(/^CASE#/, ''));
    }
  }
  return { cases, unreadable };
}
