/**
 * POST /api/reports — a resident's report from the web form (JSON or a plain form post).
 * Answers 202 with the tracking code once the report is on the intake queue.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { z } from 'zod';
import { createDynamoDbClient, createSqsClient } from '../shared/adapters/aws-clients.ts';
import { SqsIntakeQueue } from '../shared/adapters/sqs-queues.ts';
import { loadConfig, QueueUrl, TableName } from '../shared/config.ts';
import { ValidationError } from '../shared/errors.ts';
import { httpEdge } from '../shared/http/http-edge.ts';
import { idempotencyKeyMiddleware, translateIdempotencyError } from '../shared/http/idempotency.ts';
import { limitBodySize, prefersHtml, readRequestBody } from '../shared/http/request-body.ts';
import { type HttpResponse, htmlResponse, jsonResponse } from '../shared/http/responses.ts';
import { createLogger } from '../shared/logger.ts';
import { type SubmitReportDeps, submitReport } from '../shared/services/submit-report.ts';
import { parsePageLanguage, renderSubmissionReceipt, renderSubmissionRejected } from '../shared/web/resident-page.ts';

export const MAX_BODY_BYTES = 16 * 1024;

export interface SubmitReportHandlerDeps extends SubmitReportDeps {
  logger: Logger;
  dynamoDb: DynamoDBClient;
  idempotencyTable: string;
}

const formLanguage = (body: unknown) =>
  parsePageLanguage(typeof body === 'object' && body !== null && 'lang' in body && typeof body.lang === 'string' ? body.lang : undefined);

export const makeHandler = (deps: SubmitReportHandlerDeps) =>
  middy<APIGatewayProxyEventV2, HttpResponse>()
    .use(httpEdge({ logger: deps.logger, translateError: translateIdempotencyError }))
    .use(limitBodySize(MAX_BODY_BYTES))
    .use(idempotencyKeyMiddleware(deps.dynamoDb, deps.idempotencyTable))
    .handler(async (event) => {
      const body = readRequestBody(event);
      const html = prefersHtml(event);
      try {
        const receipt = await submitReport(body, 'web', deps);
        deps.logger.info('report queued', { trackingCode: receipt.trackingCode });
        return html
          ? htmlResponse(202, renderSubmissionReceipt({ lang: formLanguage(body), trackingCode: receipt.trackingCode }))
          : jsonResponse(202, receipt);
      } catch (error) {
        // A browser without JavaScript gets the page back with the problems named, not JSON.
        if (html && error instanceof ValidationError) {
          return htmlResponse(400, renderSubmissionRejected({ lang: formLanguage(body), issues: error.issues }));
        }
        throw error;
      }
    });

const Config = z.object({ INTAKE_QUEUE_URL: QueueUrl, IDEMPOTENCY_TABLE: TableName });

const config = loadConfig(Config);
const sqs = createSqsClient();
export const handler = makeHandler({
  logger: createLogger('submit-report'),
  dynamoDb: createDynamoDbClient(),
  idempotencyTable: config.IDEMPOTENCY_TABLE,
  intake: new SqsIntakeQueue(sqs, config.INTAKE_QUEUE_URL),
  now: () => new Date(),
  randomBytes: (n) => randomBytes(n),
  newId: () => randomUUID(),
});
