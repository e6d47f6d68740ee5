/**
 * Outreach-plan queue consumer: enqueues a run's households page by page (see
 * shared/services/plan-outreach-run.ts). Stops with time to spare and queues its own continuation;
 * a failed record is reported back and redelivered, resuming at the last checkpoint.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { planOutreachServices } from '../shared/adapters/outreach-services.ts';
import { PlanRun } from '../shared/domain/outreach/campaign.ts';
import { createLogger } from '../shared/logger.ts';
import { parseMessageBody } from '../shared/queue-message.ts';
import { type PlanOutreachDeps, planOutreachRun } from '../shared/services/plan-outreach-run.ts';

export interface PlanOutreachHandlerDeps extends PlanOutreachDeps {
  logger: Logger;
  /** Stop planning with this much of the invocation left. */
  reserveMs: number;
}

export const makeHandler = (deps: PlanOutreachHandlerDeps) => {
  const processor = new BatchProcessor(EventType.SQS);
  const planRecord = (context: Context) => async (record: SQSRecord) => {
    const request = parseMessageBody(PlanRun, record.body, 'The planning request');
    const result = await planOutreachRun(request, deps, {
      remainingMs: () => context.getRemainingTimeInMillis(),
      reserveMs: deps.reserveMs,
    });
    deps.logger.info('outreach planned', { campaignId: request.campaignId, runId: request.runId, ...result });
  };
  return middy<SQSEvent, SQSBatchResponse>()
    .use(injectLambdaContext(deps.logger, { resetKeys: true }))
    .handler((event, context) =>
      processPartialResponse(event, planRecord(context), processor, {
        context,
        throwOnFullBatchFailure: false,
      }),
    );
};

export const handler = makeHandler({
  logger: createLogger('plan-outreach'),
  reserveMs: 20_000,
  ...planOutreachServices(),
});
