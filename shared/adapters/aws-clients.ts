/**
 * SDK clients, built once per cold start by each function's composition root and passed in.
 * Endpoints come from the standard AWS_ENDPOINT_URL_* variables, which is how the local runtime
 * points the very same clients at dynalite and fauxqs.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export const createDynamoDbClient = (): DynamoDBClient => new DynamoDBClient({ maxAttempts: 3 });

export const createDocumentClient = (
  client: DynamoDBClient = createDynamoDbClient(),
): DynamoDBDocumentClient =>
  DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });

// The regional endpoint, not the queue URL's host: identical in AWS, and locally the emulator's
// queue URLs name a host (`sqs.<region>.localhost`) that only the endpoint variable reaches.
export const createSqsClient = (): SQSClient =>
  new SQSClient({ maxAttempts: 3, useQueueUrlAsEndpoint: false });
