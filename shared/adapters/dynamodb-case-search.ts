/**
 * The search postings on DynamoDB: their own table (`search`, pk = posting key, sk = the case's
 * `submittedAt#code`), items of two short strings, no index; BatchWriteItem to write them (25 a
 * request), one Query per posting key and month, newest first, to read them. Hits are checked
 * against the cases table with BatchGetItem (100 keys a request), never a Scan.
 */
import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { CaseReport, type CaseState } from '../domain/case.ts';
import type { CaseBatchReader, CaseSearchIndex, PostingPage } from '../ports/case-search.ts';
import * as z from '../schema.ts';
import { awsCall, batchGetAll, batchWriteAll, type WriteRequest } from './aws-call.ts';
import { caseStateOfItem } from './dynamodb-case-store.ts';

const SortKeyItem = z.object({ sk: z.string() });

export class DynamoDbCaseSearchIndex implements CaseSearchIndex {
  readonly #db: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(db: DynamoDBDocumentClient, tableName: string) {
    this.#db = db;
    this.#table = tableName;
  }

  async write(sortKey: string, put: readonly string[], remove: readonly string[]): Promise<void> {
    // One request may not name a key twice; a key both kept and removed is kept.
    const kept = new Set(put);
    const requests: WriteRequest[] = [
      ...[...kept].map((pk): WriteRequest => ({ PutRequest: { Item: { pk, sk: sortKey } } })),
      ...[...new Set(remove)]
        .filter((pk) => !kept.has(pk))
        .map((pk): WriteRequest => ({ DeleteRequest: { Key: { pk, sk: sortKey } } })),
    ];
    await batchWriteAll(this.#db, this.#table, requests, 'writing search postings');
  }

  async postings(key: string, limit: number, before?: string): Promise<PostingPage> {
    const out = await awsCall('reading search postings', () =>
      this.#db.send(
        new QueryCommand({
          TableName: this.#table,
          KeyConditionExpression: before ? 'pk = :pk AND sk < :before' : 'pk = :pk',
          ExpressionAttributeValues: { ':pk': key, ...(before ? { ':before': before } : {}) },
          ProjectionExpression: 'sk',
          ScanIndexForward: false,
          Limit: limit,
        }),
      ),
    );
    const sortKeys = (out.Items ?? []).flatMap((item) => {
      const parsed = SortKeyItem.safeParse(item);
      return parsed.success ? [parsed.data.sk] : [];
    });
    return { sortKeys, more: out.LastEvaluatedKey !== undefined };
  }
}

export class DynamoDbCaseBatchReader implements CaseBatchReader {
  readonly #db: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(db: DynamoDBDocumentClient, casesTable: string) {
    this.#db = db;
    this.#table = casesTable;
  }

  async getCases(codes: readonly string[]): Promise<CaseState[]> {
    const items = await this.#batchGet(codes, 'STATE');
    return items.flatMap((item) => {
      try {
        return [caseStateOfItem(item)];
      } catch (error) {
        if (error instanceof z.core.$ZodError) return [];
        throw error;
      }
    });
  }

  async getReports(codes: readonly string[]): Promise<CaseReport[]> {
    const items = await this.#batchGet(codes, 'REPORT');
    return items.flatMap((item) => {
      const parsed = CaseReport.safeParse(item);
      return parsed.success ? [parsed.data] : [];
    });
  }

  /** Each code once: a batch may not name a key twice. */
  #batchGet(codes: readonly string[], sk: 'STATE' | 'REPORT'): Promise<Record<string, unknown>[]> {
    const keys = [...new Set(codes)].map((code) => ({ pk: `CASE#${code}`, sk }));
    return batchGetAll(this.#db, this.#table, keys, 'reading cases for a search');
  }
}

const PROGRESS_KEY = { pk: '~REINDEX', sk: 'PROGRESS' };
const StoredProgress = z.object({
  after: z.optional(z.string()),
  cases: z.number(),
  postings: z.number(),
  completedAt: z.optional(z.string()),
});

/** The backfill's position, one item in the search table (no posting key starts with `~`). */
export class DynamoDbSearchReindexProgress {
  readonly #db: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(db: DynamoDBDocumentClient, tableName: string) {
    this.#db = db;
    this.#table = tableName;
  }

  async load(): Promise<z.infer<typeof StoredProgress> | undefined> {
    const out = await awsCall('reading the search reindex progress', () =>
      this.#db.send(new GetCommand({ TableName: this.#table, Key: PROGRESS_KEY, ConsistentRead: true })),
    );
    const parsed = StoredProgress.safeParse(out.Item);
    return parsed.success ? parsed.data : undefined;
  }

  async save(progress: z.infer<typeof StoredProgress>): Promise<void> {
    await awsCall('saving the search reindex progress', () =>
      this.#db.send(new PutCommand({ TableName: this.#table, Item: { ...PROGRESS_KEY, ...progress } })),
    );
  }
}
