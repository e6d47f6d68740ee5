/**
 * Outreach-plan queue consumer: enqueues a run's households page by page (see
 * shared/services/plan-outreach-run.ts). Stops with time to spare and queues its own continuation;
 * a failed record is reported back and redelivered, resuming at the last checkpoint.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { PlanRun } from '../shared/domain/outreach/campaign.ts';
import { createLogger } from '../shared/logger.ts';
import { queueEdge } from '../shared/queue/queue-edge.ts';
import { type PlanOutreachDeps, planOutreachRun } from '../shared/services/plan-outreach-run.ts';
import { onFirstInvocation } from './wiring/on-first-invocation.ts';
import { planOutreachServices } from './wiring/outreach.ts';

export interface PlanOutreachHandlerDeps extends PlanOutreachDeps {
  logger: Logger;
  /** Stop planning with this much of the invocation left. */
  reserveMs: number;
}

export const makeHandler = (deps: PlanOutreachHandlerDeps) =>
  queueEdge({
    logger: deps.logger,
    message: { schema: PlanRun, what: 'The planning request' },
    identify: (request) => ({ campaignId: request.campaignId, runId: request.runId }),
    handle: async (request, { context }) => ({
      ...(await planOutreachRun(request, deps, {
        remainingMs: () => context.getRemainingTimeInMillis(),
        reserveMs: deps.reserveMs,
      })),
    }),
    log: {
      handled: 'outreach planned',
      failed: { message: 'outreach planning will be retried', level: 'warn' },
    },
  });

export const handler = onFirstInvocation(() =>
  makeHandler({
    logger: createLogger('plan-outreach'),
    reserveMs: 20_000,
    ...planOutreachServices(),
  }),
);
