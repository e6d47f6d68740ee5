/**
 * Outreach queue consumer: sends each batch's households their SMS, deciding opt-out, quiet
 * hours, the frequency cap and the pace at send time (shared/services/send-outreach-batch.ts).
 * A batch with a retryable failure is reported back and redelivered; what it already sent is
 * recorded, so the redelivery sends nothing twice.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { sendOutreachServices } from '../shared/adapters/outreach-services.ts';
import { OUTREACH_DELIVERY_ATTEMPTS, OutreachBatch } from '../shared/domain/outreach/campaign.ts';
import { ValidationError } from '../shared/errors.ts';
import { createLogger } from '../shared/logger.ts';
import { parseMessageBody } from '../shared/queue-message.ts';
import { type SendOutreachDeps, sendOutreachBatch } from '../shared/services/send-outreach-batch.ts';

export interface SendOutreachHandlerDeps extends SendOutreachDeps {
  logger: Logger;
}

export const makeHandler = (deps: SendOutreachHandlerDeps) => {
  const processor = new BatchProcessor(EventType.SQS);
  const sendRecord = async (record: SQSRecord) => {
    const receives = Number(record.attributes.ApproximateReceiveCount);
    try {
      const batch = parseMessageBody(OutreachBatch, record.body, 'The outreach batch');
      const result = await sendOutreachBatch(batch, deps, {
        deliveryId: record.messageId,
        finalAttempt: receives >= OUTREACH_DELIVERY_ATTEMPTS,
      });
      deps.logger.info('outreach batch', {
        campaignId: batch.campaignId,
        runId: batch.runId,
        batchId: batch.batchId,
        ...result,
      });
    } catch (error) {
      // Reported back as a partial batch failure (redelivered, then dead-lettered); logged here
      // with the fields at fault, never with the message body.
      deps.logger.warn('outreach batch will be retried', {
        messageId: record.messageId,
        receives,
        error,
        ...(error instanceof ValidationError ? { issues: error.issues } : {}),
      });
      throw error;
    }
  };
  return middy<SQSEvent, SQSBatchResponse>()
    .use(injectLambdaContext(deps.logger, { resetKeys: true }))
    .handler((event, context) =>
      processPartialResponse(event, sendRecord, processor, { context, throwOnFullBatchFailure: false }),
    );
};

export const handler = makeHandler({ logger: createLogger('send-outreach'), ...sendOutreachServices() });
