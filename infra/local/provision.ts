/**
 * Creates the topology's tables, queues (each queue with its DLQ and redrive policy) and buckets
 * in the emulators. Idempotent: a persistent data directory is provisioned again on every start.
 */
import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, HeadBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { KeySpec, QueueSpec, TableSpec, Topology } from '../topology.ts';

export const localResourceName = (name: string): string => `civicloop-${name}`;

export interface ProvisionedResources {
  tables: Record<string, string>;
  queues: Record<string, string>;
  deadLetterQueues: Record<string, string>;
  /** Absent where a caller provisions no buckets (tables or queues alone). */
  buckets?: Record<string, string>;
}

const keySchema = (pk: KeySpec, sk?: KeySpec) => [
  { AttributeName: pk.name, KeyType: 'HASH' as const },
  ...(sk ? [{ AttributeName: sk.name, KeyType: 'RANGE' as const }] : []),
];

function createTableInput(spec: TableSpec): CreateTableCommandInput {
  const keys = [spec.partitionKey, spec.sortKey, ...spec.indexes.flatMap((i) => [i.partitionKey, i.sortKey])];
  const attributes = new Map<string, KeySpec['type']>();
  for (const key of keys) if (key) attributes.set(key.name, key.type);
  return {
    TableName: localResourceName(spec.name),
    BillingMode: 'PAY_PER_REQUEST',
    KeySchema: keySchema(spec.partitionKey, spec.sortKey),
    AttributeDefinitions: [...attributes].map(([AttributeName, AttributeType]) => ({
      AttributeName,
      AttributeType,
    })),
    GlobalSecondaryIndexes:
      spec.indexes.length === 0
        ? undefined
        : spec.indexes.map((index) => ({
            IndexName: index.name,
            KeySchema: keySchema(index.partitionKey, index.sortKey),
            Projection: { ProjectionType: 'ALL' },
          })),
  };
}

async function ensureTable(dynamo: DynamoDBClient, spec: TableSpec): Promise<string> {
  const name = localResourceName(spec.name);
  try {
    await dynamo.send(new DescribeTableCommand({ TableName: name }));
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
    await dynamo.send(new CreateTableCommand(createTableInput(spec)));
  }
  return name;
}

async function ensureQueue(sqs: SQSClient, spec: QueueSpec): Promise<{ url: string; dlqUrl: string }> {
  const dlq = await sqs.send(
    new CreateQueueCommand({
      QueueName: localResourceName(`${spec.name}-dlq`),
      Attributes: { MessageRetentionPeriod: String((spec.deadLetterRetentionDays ?? 14) * 24 * 3600) },
    }),
  );
  if (!dlq.QueueUrl) throw new Error(`no URL for the ${spec.name} DLQ`);
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl, AttributeNames: ['QueueArn'] }),
  );
  const dlqArn = Attributes?.QueueArn;
  if (!dlqArn) throw new Error(`no ARN for the ${spec.name} DLQ`);
  const queue = await sqs.send(
    new CreateQueueCommand({
      QueueName: localResourceName(spec.name),
      Attributes: {
        VisibilityTimeout: String(spec.visibilityTimeoutSeconds),
        MessageRetentionPeriod: String(spec.retentionDays * 24 * 3600),
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: spec.maxReceiveCount }),
      },
    }),
  );
  if (!queue.QueueUrl) throw new Error(`no URL for the ${spec.name} queue`);
  return { url: queue.QueueUrl, dlqUrl: dlq.QueueUrl };
}

/**
 * A bucket as the emulator can have it: no lifecycle, encryption or CORS there (the S3 bridge
 * answers CORS; uploads left behind stay until the data directory is removed).
 */
async function ensureBucket(s3: S3Client, name: string): Promise<string> {
  const bucket = localResourceName(name);
  const exists = await s3.send(new HeadBucketCommand({ Bucket: bucket })).then(
    () => true,
    () => false,
  );
  if (!exists) await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  return bucket;
}

export async function provision(
  topology: Topology,
  dynamo: DynamoDBClient,
  sqs: SQSClient,
  s3?: S3Client,
): Promise<ProvisionedResources> {
  const resources: ProvisionedResources = { tables: {}, queues: {}, deadLetterQueues: {} };
  if (s3) {
    const buckets: Record<string, string> = {};
    for (const bucket of topology.buckets ?? []) buckets[bucket.name] = await ensureBucket(s3, bucket.name);
    resources.buckets = buckets;
  }
  for (const table of topology.tables) resources.tables[table.name] = await ensureTable(dynamo, table);
  await Promise.all(
    topology.queues.map(async (queue) => {
      const { url, dlqUrl } = await ensureQueue(sqs, queue);
      resources.queues[queue.name] = url;
      resources.deadLetterQueues[queue.name] = dlqUrl;
    }),
  );
  return resources;
}
