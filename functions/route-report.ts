/**
 * Intake-queue consumer: routes each submitted report to its unit. Records are processed one by
 * one; a failed record is reported back as a partial batch failure and redelivered, the others
 * are deleted. Redelivery is safe: routing is idempotent per tracking code.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import * as z from 'zod';
import { createDocumentClient, createSqsClient } from '../shared/adapters/aws-clients.ts';
import { DynamoDbCaseStore } from '../shared/adapters/dynamodb-case-store.ts';
import { DynamoDbDirectory } from '../shared/adapters/dynamodb-directory.ts';
import { SqsDispatchQueue } from '../shared/adapters/sqs-queues.ts';
import { loadConfig, TableName, UnitQueueUrls } from '../shared/config.ts';
import { ReportSubmitted } from '../shared/domain/report.ts';
import { createLogger } from '../shared/logger.ts';
import { parseMessageBody } from '../shared/queue-message.ts';
import { cachedDirectory } from '../shared/services/cached-directory.ts';
import { type RouteReportDeps, routeReport } from '../shared/services/route-report.ts';

export interface RouteReportHandlerDeps extends RouteReportDeps {
  logger: Logger;
}

export const makeHandler = (deps: RouteReportHandlerDeps) => {
  const processor = new BatchProcessor(EventType.SQS);
  const routeRecord = async (record: SQSRecord) => {
    const message = parseMessageBody(ReportSubmitted, record.body, 'The intake message');
    const result = await routeReport(message, deps);
    deps.logger.info('report routed', {
      trackingCode: message.trackingCode,
      outcome: result.outcome,
      unitId: result.unitId,
      receiveCount: record.attributes.ApproximateReceiveCount,
    });
  };
  return middy<SQSEvent, SQSBatchResponse>()
    .use(injectLambdaContext(deps.logger, { resetKeys: true }))
    .handler((event, context) =>
      processPartialResponse(event, routeRecord, processor, { context, throwOnFullBatchFailure: false }),
    );
};

const Config = z.object({
  CASES_TABLE: TableName,
  DIRECTORY_TABLE: TableName,
  UNIT_QUEUE_URLS: UnitQueueUrls,
});

const config = loadConfig(Config);
const db = createDocumentClient();
export const handler = makeHandler({
  logger: createLogger('route-report'),
  cases: new DynamoDbCaseStore(db, config.CASES_TABLE),
  directory: cachedDirectory(new DynamoDbDirectory(db, config.DIRECTORY_TABLE), 60_000),
  dispatch: new SqsDispatchQueue(createSqsClient(), config.UNIT_QUEUE_URLS),
  now: () => new Date(),
});
