/**
 * Wraps SDK calls so a failing AWS service reaches callers as a DependencyError (503 at the HTTP
 * edge, a retry for queue consumers) and a failed condition as a plain answer, not an exception.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import { DependencyError } from '../errors.ts';

export type WriteRequest =
  | { PutRequest: { Item: Record<string, unknown> } }
  | { DeleteRequest: { Key: Record<string, unknown> } };

export async function awsCall<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw new DependencyError(`${what} failed`, { cause: error });
  }
}

/** Runs a conditional write; resolves `false` when its condition did not hold. */
export async function conditionalWrite(what: string, call: () => Promise<unknown>): Promise<boolean> {
  try {
    await call();
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return false;
    throw new DependencyError(`${what} failed`, { cause: error });
  }
}

/** Every item of one partition, page by page (for small partitions: the directory, the statistics). */
export async function* partitionItems(
  db: DynamoDBDocumentClient,
  tableName: string,
  pk: string,
  what: string,
): AsyncGenerator<Record<string, unknown>> {
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await awsCall(what, () =>
      db.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': pk },
          ExclusiveStartKey: startKey,
        }),
      ),
    );
    yield* page.Items ?? [];
    startKey = page.LastEvaluatedKey;
  } while (startKey);
}

/** Writes `requests` 25 at a time, retrying what DynamoDB leaves unprocessed with backoff. */
export async function batchWriteAll(
  db: DynamoDBDocumentClient,
  tableName: string,
  requests: WriteRequest[],
  what: string,
): Promise<void> {
  for (let i = 0; i < requests.length; i += 25) {
    let pending: WriteRequest[] = requests.slice(i, i + 25);
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt === 8) throw new DependencyError(`${what} kept being throttled`);
      const out = await awsCall(what, () =>
        db.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } })),
      );
      pending = (out.UnprocessedItems?.[tableName] ?? []).flatMap((r): WriteRequest[] => {
        if (r.PutRequest?.Item) return [{ PutRequest: { Item: r.PutRequest.Item } }];
        if (r.DeleteRequest?.Key) return [{ DeleteRequest: { Key: r.DeleteRequest.Key } }];
        return [];
      });
      if (pending.length > 0) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
    }
  }
}

/** Reads `keys` 100 at a time (BatchGetItem), retrying what DynamoDB leaves unprocessed with backoff. */
export async function batchGetAll(
  db: DynamoDBDocumentClient,
  tableName: string,
  keys: readonly Record<string, unknown>[],
  what: string,
): Promise<Record<string, unknown>[]> {
  const found: Record<string, unknown>[] = [];
  for (let i = 0; i < keys.length; i += 100) {
    let pending: Record<string, unknown>[] = keys.slice(i, i + 100);
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt === 8) throw new DependencyError(`${what} kept being throttled`);
      const out = await awsCall(what, () =>
        db.send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys: pending } } })),
      );
      found.push(...(out.Responses?.[tableName] ?? []));
      pending = out.UnprocessedKeys?.[tableName]?.Keys ?? [];
      if (pending.length > 0) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
    }
  }
  return found;
}
