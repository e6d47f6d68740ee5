/**
 * The benchmark's yardstick, not part of the system: the smallest honest handler built from the
 * same stack — middy core, one zod schema, one SQS SendMessage — bundled and measured exactly like
 * the topology's functions. What a function weighs above this is what its own code and its extra
 * dependencies (DynamoDB, Powertools) cost.
 */
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import * as z from 'zod';

const Config = z.object({ QUEUE_URL: z.httpUrl() });
const Report = z.object({
  category: z.string().min(1),
  communityId: z.string().min(1),
  description: z.string().trim().min(1).max(2000),
});

// Parsed at cold start, like the real functions' configuration.
const config = Config.parse(process.env);
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
    await sqs.send(
      new SendMessageCommand({ QueueUrl: config.QUEUE_URL, MessageBody: JSON.stringify(report.data) }),
    );
    return { statusCode: 202, body: JSON.stringify({ status: 'received' }) };
  },
);
