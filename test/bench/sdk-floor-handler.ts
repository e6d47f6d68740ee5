/**
 * The bench's second yardstick, not part of the system: what every function that reaches DynamoDB
 * and SQS loads before any code of ours — the clients (DynamoDB with the document client, SQS),
 * Powertools' logger and middy, built on the first invocation as the functions' composition roots
 * do — bundled exactly as CDK bundles the functions. A function's load above this floor is its own
 * code, zod and the other packages it uses; the floor itself moves only with leaner clients.
 */

import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import middy from '@middy/core';

export const handler = middy().handler(async () => {
  const logger = new Logger({ serviceName: 'sdk-floor' });
  const db = DynamoDBDocumentClient.from(new DynamoDBClient({}));
  const sqs = new SQSClient({});
  await db.send(new PutCommand({ TableName: 'floor', Item: { pk: 'floor' } }));
  await sqs.send(new SendMessageCommand({ QueueUrl: 'floor', MessageBody: 'floor' }));
  logger.info('floor');
});
