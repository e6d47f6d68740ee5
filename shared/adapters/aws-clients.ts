/**
 * SDK clients, built once per cold start by each function's composition root and passed in.
 * Endpoints come from the standard AWS_ENDPOINT_URL_* variables, which is how the local runtime
 * points the very same clients at dynalite and fauxqs.
 */
import diagnostics from 'node:diagnostics_channel';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * Where the DynamoDB capacity each request consumed is published when
 * `CIVICLOOP_MEASURE_CAPACITY` is set (the bench sets it): every request then asks for
 * `ReturnConsumedCapacity: TOTAL`, which AWS answers at no charge. Off otherwise.
 */
export const capacityChannel = diagnostics.channel('civicloop:dynamodb-capacity');

export interface ConsumedCapacityMessage {
  commandName: string;
  capacityUnits: number;
  readCapacityUnits?: number;
  writeCapacityUnits?: number;
}

type Capacity = { CapacityUnits?: number; ReadCapacityUnits?: number; WriteCapacityUnits?: number };

function measureCapacity(client: DynamoDBClient): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as { ReturnConsumedCapacity?: string };
      input.ReturnConsumedCapacity ??= 'TOTAL';
      const result = await next(args);
      const output = result.output as { ConsumedCapacity?: Capacity | Capacity[] };
      for (const c of [output.ConsumedCapacity ?? []].flat()) {
        const message: ConsumedCapacityMessage = {
          commandName: context.commandName ?? '?',
          capacityUnits: c.CapacityUnits ?? 0,
          readCapacityUnits: c.ReadCapacityUnits,
          writeCapacityUnits: c.WriteCapacityUnits,
        };
        capacityChannel.publish(message);
      }
      return result;
    },
    { step: 'initialize', name: 'civicloopMeasureCapacity' },
  );
}

export function createDynamoDbClient(): DynamoDBClient {
  const client = new DynamoDBClient({ maxAttempts: 3 });
  if (process.env.CIVICLOOP_MEASURE_CAPACITY) measureCapacity(client);
  return client;
}

export const createDocumentClient = (
  client: DynamoDBClient = createDynamoDbClient(),
): DynamoDBDocumentClient =>
  DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });

// The regional endpoint, not the queue URL's host: identical in AWS, and locally the emulator's
// queue URLs name a host (`sqs.<region>.localhost`) that only the endpoint variable reaches.
export const createSqsClient = (): SQSClient =>
  new SQSClient({ maxAttempts: 3, useQueueUrlAsEndpoint: false });
