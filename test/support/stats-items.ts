/**
 * The statistics table's items as a test sees them: wiping the counters (the day buckets and
 * balances, as a deployment upgraded from the old layout has none), planting items of the old
 * layout, and reading what a partition holds.
 */

import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { PutCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { batchWriteAll } from '../../shared/adapters/aws-call.ts';

/** Deletes every counter item (`COUNTS#…` day buckets, `BALANCE` items); answers how many. */
export async function wipeCounters(db: DynamoDBDocumentClient, table: string): Promise<number> {
  const keys: { pk: unknown; sk: unknown }[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new ScanCommand({
        TableName: table,
        FilterExpression: 'begins_with(pk, :counts) OR pk = :balance',
        ExpressionAttributeValues: { ':counts': 'COUNTS#', ':balance': 'BALANCE' },
        ProjectionExpression: 'pk, sk',
        ExclusiveStartKey: startKey,
      }),
    );
    keys.push(...(page.Items ?? []).map((item) => ({ pk: item.pk, sk: item.sk })));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  await batchWriteAll(
    db,
    table,
    keys.map((Key) => ({ DeleteRequest: { Key } })),
    'wiping counters',
  );
  return keys.length;
}

/** Items of the old layout: `pk = STATS`, string sets of tracking codes, as old deployments hold them. */
export async function plantLegacyStatistics(db: DynamoDBDocumentClient, table: string, codes: string[]) {
  const items = [
    { pk: 'STATS', sk: 'STAGE#dispatched#UNIT#transport', codes: new Set(codes) },
    {
      pk: 'STATS',
      sk: 'DURATION#received',
      codes: new Set(codes.map((c) => `${c}|2026-11-01T00:00:00.000Z|60000`)),
    },
    { pk: 'STATS', sk: 'RATING#transport', codes: new Set(codes.map((c) => `${c}|4`)) },
  ];
  for (const Item of items) await db.send(new PutCommand({ TableName: table, Item }));
  return items.length;
}

export async function partitionSize(db: DynamoDBDocumentClient, table: string, pk: string): Promise<number> {
  const page = await db.send(
    new QueryCommand({
      TableName: table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': pk },
      Select: 'COUNT',
      ConsistentRead: true,
    }),
  );
  return page.Count ?? 0;
}
