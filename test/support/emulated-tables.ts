/** dynalite with the topology's tables, for adapter tests that need a real DynamoDB but no functions. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { startEmulators } from '../../infra/local/emulators.ts';
import { provision } from '../../infra/local/provision.ts';
import { topology } from '../../infra/topology.ts';
import { createDocumentClient } from '../../shared/adapters/aws-clients.ts';

export interface EmulatedTables {
  dynamo: DynamoDBClient;
  db: DynamoDBDocumentClient;
  tables: Record<string, string>;
  stop(): Promise<void>;
}

export async function emulatedTables(): Promise<EmulatedTables> {
  const emulators = await startEmulators({});
  const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
  const dynamo = new DynamoDBClient({ endpoint: emulators.dynamoEndpoint, region: 'us-east-1', credentials });
  const sqs = new SQSClient({ endpoint: emulators.sqsEndpoint, region: 'us-east-1', credentials });
  const { tables } = await provision({ ...topology, queues: [] }, dynamo, sqs);
  sqs.destroy();
  return {
    dynamo,
    db: createDocumentClient(dynamo),
    tables,
    async stop() {
      dynamo.destroy();
      await emulators.stop();
    },
  };
}
