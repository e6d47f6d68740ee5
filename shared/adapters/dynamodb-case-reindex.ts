/**
 * Brings the index keys of stored cases up to the current layout (case-table-layout.ts): a case
 * written before the layout changed keeps its old keys until its next write, which may never come
 * for a closed case (one awaiting its return visit, say, would be missing from the lists). Offline
 * maintenance through a Scan, never a request path. Idempotent: a case whose keys are already
 * right is not written, so a second run writes nothing. Safe beside live traffic: each write is
 * conditioned on the version read, and a case that moved meanwhile got its keys from that move.
 */
import { type DynamoDBDocumentClient, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import * as z from '../schema.ts';
import { awsCall, conditionalWrite } from './aws-call.ts';
import { indexKeysOf, stateIndexKeyNames } from './case-table-layout.ts';
import { caseStateOfItem } from './dynamodb-case-store.ts';

export interface ReindexProgress {
  /** Case state items read so far. */
  read: number;
  /** Cases whose keys were rewritten. */
  rewritten: number;
  /** Cases that changed between the read and the write (their own write set their keys). */
  movedOn: number;
  /** Items that are not a readable case, by key (never by content); left as they are. */
  unreadable: string[];
}

export async function reindexCases(
  db: DynamoDBDocumentClient,
  tableName: string,
  options: { pageSize?: number; onPage?: (progress: ReindexProgress) => void } = {},
): Promise<ReindexProgress> {
  const progress: ReindexProgress = { read: 0, rewritten: 0, movedOn: 0, unreadable: [] };
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await awsCall('reading cases', () =>
      db.send(
        new ScanCommand({
          TableName: tableName,
          FilterExpression: 'sk = :state',
          ExpressionAttributeValues: { ':state': 'STATE' },
          Limit: options.pageSize ?? 100,
          ExclusiveStartKey: startKey,
          ConsistentRead: true,
        }),
      ),
    );
    for (const item of page.Items ?? []) {
      progress.read++;
      const outcome = await reindexItem(db, tableName, item);
      if (outcome === 'unreadable') progress.unreadable.push(String(item.pk));
      else if (outcome === 'rewritten') progress.rewritten++;
      else if (outcome === 'moved_on') progress.movedOn++;
    }
    startKey = page.LastEvaluatedKey;
    options.onPage?.(progress);
  } while (startKey);
  return progress;
}

async function reindexItem(
  db: DynamoDBDocumentClient,
  tableName: string,
  item: Record<string, unknown>,
): Promise<'unchanged' | 'rewritten' | 'moved_on' | 'unreadable'> {
  let keys: ReturnType<typeof indexKeysOf>;
  try {
    keys = indexKeysOf(caseStateOfItem(item));
  } catch (error) {
    if (error instanceof z.core.$ZodError) return 'unreadable';
    throw error;
  }
  const names: Record<string, string> = { '#version': 'version' };
  const values: Record<string, unknown> = { ':version': item.version };
  const sets: string[] = [];
  const removes: string[] = [];
  stateIndexKeyNames.forEach((name, i) => {
    const value = keys[name];
    if (value === item[name]) return;
    names[`#k${i}`] = name;
    if (value === undefined) removes.push(`#k${i}`);
    else {
      values[`:k${i}`] = value;
      sets.push(`#k${i} = :k${i}`);
    }
  });
  if (sets.length === 0 && removes.length === 0) return 'unchanged';
  const written = await conditionalWrite('re-keying a case', () =>
    db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: { pk: item.pk, sk: item.sk },
        UpdateExpression: [
          sets.length ? `SET ${sets.join(', ')}` : '',
          removes.length ? `REMOVE ${removes.join(', ')}` : '',
        ]
          .filter(Boolean)
          .join(' '),
        ConditionExpression: '#version = :version',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    ),
  );
  return written ? 'rewritten' : 'moved_on';
}
