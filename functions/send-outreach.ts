/**
 * Outreach queue consumer: sends each batch's households their SMS, deciding opt-out, quiet
 * hours, the frequency cap and the pace at send time (shared/services/send-outreach-batch.ts).
 * A batch with a retryable failure is reported back and redelivered; what it already sent is
 * recorded, so the redelivery sends nothing twice.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { OUTREACH_DELIVERY_ATTEMPTS, OutreachBatch } from '../shared/domain/outreach/campaign.ts';
import { createLogger } from '../shared/logger.ts';
import { queueEdge } from '../shared/queue/queue-edge.ts';
import { type SendOutreachDeps, sendOutreachBatch } from '../shared/services/send-outreach-batch.ts';
import { onFirstInvocation } from './wiring/on-first-invocation.ts';
import { sendOutreachServices } from './wiring/outreach.ts';

export interface SendOutreachHandlerDeps extends SendOutreachDeps {
  logger: Logger;
}

export const makeHandler = (deps: SendOutreachHandlerDeps) =>
  queueEdge({
    logger: deps.logger,
    message: { schema: OutreachBatch, what: 'The outreach batch' },
    identify: (batch) => ({ campaignId: batch.campaignId, runId: batch.runId, batchId: batch.batchId }),
    handle: async (batch, delivery) => ({
      ...(await sendOutreachBatch(batch, deps, {
        deliveryId: delivery.messageId,
        finalAttempt: delivery.receiveCount >= OUTREACH_DELIVERY_ATTEMPTS,
      })),
    }),
    // A failed batch is redelivered, then dead-lettered.
    log: { handled: 'outreach batch', failed: { message: 'outreach batch will be retried', level: 'warn' } },
  });

export const handler = onFirstInvocation(() =>
  makeHandler({ logger: createLogger('send-outreach'), ...sendOutreachServices() }),
);
