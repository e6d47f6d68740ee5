/**
 * The benchmark's yardstick, not part of the system: a plain handler bundled the usual way — middy
 * core, zod's classic API, a DynamoDB `PutItem` and an SQS `SendMessage` through clients built with
 * their defaults — that run.ts bundles as esbuild's CommonJS, minified (about 1 MB). A function's
 * load overhead is read as a ratio of this one's: what the topology's bundles cost beyond, or
 * below, what any handler of this stack written without care for cold starts pays.
 */
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import * as z from 'zod';

const Config = z.object({ TABLE_NAME: z.string().min(1), QUEUE_URL: z.httpUrl() });
const Report = z.object({
  category: z.string().min(1),
  communityId: z.string().min(1),
  description: z.string().trim().min(1).max(2000),
});

// Parsed at cold start, like a plain handler's configuration, and the clients built there too.
const config = Config.parse(process.env);
const dynamodb = new DynamoDBClient({});
const sqs = new SQSClient({});

const parseBody = (raw: string | undefined): unknown => {
  try {
    return JSON.parse(raw ?? '');
  } catch {
    return undefined;
  }
};

export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>().handler(
  async (event) => {
    const report = Report.safeParse(parseBody(event.body));
    if (!report.success) return { statusCode: 400, body: JSON.stringify({ error: 'invalid report' }) };
    const id = crypto.randomUUID();
    await dynamodb.send(
      new PutItemCommand({
        TableName: config.TABLE_NAME,
        Item: {
          pk: { S: `REPORT#${id}` },
          category: { S: report.data.category },
          communityId: { S: report.data.communityId },
          description: { S: report.data.description },
        },
      }),
    );
    await sqs.send(
      new SendMessageCommand({ QueueUrl: config.QUEUE_URL, MessageBody: JSON.stringify({ id }) }),
    );
    return { statusCode: 202, body: JSON.stringify({ status: 'received', id }) };
  },
);
