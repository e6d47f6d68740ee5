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
import { caseWriteServices } from '../shared/adapters/case-services.ts';
import { ReportSubmitted } from '../shared/domain/report.ts';
import { createLogger, logEffectFailure } from '../shared/logger.ts';
import { parseMessageBody } from '../shared/queue-message.ts';
import { type RouteReportDeps, routeReport } from '../shared/services/route-report.ts';

export interface RouteReportHandlerDeps extends RouteReportDeps {
  logger: Logger;
}

export const makeHandler = (deps: RouteReportHandlerDeps) => {
  const processor = new BatchProcessor(EventType.SQS);
  const routeRecord = async (record: SQSRecord) => {
    const message = parseMessageBody(ReportSubmitted, record.body, 'The intake message');
    const result = await routeReport(message, deps).catch((error: unknown) => {
      // Reported back as a partial batch failure; logged here so the reason is not lost.
      deps.logger.error('routing failed; the message will be retried', {
        trackingCode: message.trackingCode,
        receiveCount: record.attributes.ApproximateReceiveCount,
        error,
      });
      throw error;
    });
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

const logger = createLogger('route-report');
export const handler = makeHandler({
  logger,
  ...caseWriteServices(),
  onEffectFailed: (trackingCode, entry, outcome, error) =>
    logEffectFailure(logger, { trackingCode, entry, outcome, error }),
});
