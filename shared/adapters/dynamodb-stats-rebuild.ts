/**
 * The statistics rebuild's state in the `stats` table, apart from the counters:
 * - its checkpoint, one item `pk = MIGRATION`, `sk = stats-rebuild`, rewritten after every page on
 *   the condition that it is still at the revision the run read (so two runs at once cannot both
 *   advance it);
 * - the statistics as they were kept before the counters: partition `pk = STATS`, string sets of
 *   tracking codes (`STAGE#…`, `DURATION#…`, `RATING#…`, `OVERDUE#…`) that grew with every case.
 *   Nothing reads them any more; the rebuild deletes them once the counters hold every case.
 */
import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { LegacyStatistics, RebuildCheckpoint, RebuildCheckpoints } from '../ports/statistics-rebuild.ts';
import * as z from '../schema.ts';
import { awsCall, batchWriteAll, conditionalWrite } from './aws-call.ts';

const CHECKPOINT_KEY = { pk: 'MIGRATION', sk: 'stats-rebuild' } as const;
const LEGACY_PK = 'STATS';
/** Legacy keys read per page: each is a delete request, written 25 at a time. */
const LEGACY_PAGE = 100;

const Count = z.int().check(z.nonnegative());
const StoredCheckpoint = z.object({
  revision: z.int().check(z.positive()),
  startedAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  cursor: z.optional(z.string()),
  pages: Count,
  casesRead: Count,
  changesRecorded: Count,
  unreadable: Count,
  completedAt: z.optional(z.iso.datetime()),
}) satisfies z.core.$ZodType<RebuildCheckpoint>;

export class DynamoDbRebuildCheckpoints implements RebuildCheckpoints {
  readonly #db: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(db: DynamoDBDocumentClient, tableName: string) {
    this.#db = db;
    this.#table = tableName;
  }

  async load(): Promise<RebuildCheckpoint | undefined> {
    const { Item } = await awsCall('reading the rebuild checkpoint', () =>
      this.#db.send(new GetCommand({ TableName: this.#table, Key: CHECKPOINT_KEY, ConsistentRead: true })),
    );
    return Item ? StoredCheckpoint.parse(Item) : undefined;
  }

  save(next: RebuildCheckpoint, expectedRevision: number | undefined): Promise<boolean> {
    return conditionalWrite('saving the rebuild checkpoint', () =>
      this.#db.send(
        new PutCommand({
          TableName: this.#table,
          Item: { ...CHECKPOINT_KEY, ...StoredCheckpoint.parse(next) },
          ...(expectedRevision === undefined
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : {
                ConditionExpression: '#revision = :expected',
                ExpressionAttributeNames: { '#revision': 'revision' },
                ExpressionAttributeValues: { ':expected': expectedRevision },
              }),
        }),
      ),
    );
  }
}

export class DynamoDbLegacyStatistics implements LegacyStatistics {
  readonly #db: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(db: DynamoDBDocumentClient, tableName: string) {
    this.#db = db;
    this.#table = tableName;
  }

  async drop(): Promise<number> {
    let dropped = 0;
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await awsCall('reading legacy statistics', () =>
        this.#db.send(
          new QueryCommand({
            TableName: this.#table,
            KeyConditionExpression: '#pk = :pk',
            ProjectionExpression: '#pk, #sk',
            ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk' },
            ExpressionAttributeValues: { ':pk': LEGACY_PK },
            Limit: LEGACY_PAGE,
            ExclusiveStartKey: startKey,
          }),
        ),
      );
      const keys = (page.Items ?? []).map((item) => ({ pk: item.pk, sk: item.sk }));
      await batchWriteAll(
        this.#db,
        this.#table,
        keys.map((Key) => ({ DeleteRequest: { Key } })),
        'dropping legacy statistics',
      );
      dropped += keys.length;
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return dropped;
  }
}
