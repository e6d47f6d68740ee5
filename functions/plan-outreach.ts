/**
 * Outreach-plan queue consumer: enqueues a run's households page by page (see
 * shared/services/plan-outreach-run.ts), creates a WeChat-group run's mass-send tasks owner by
 * owner, and polls them (shared/services/group-mass-send-run.ts). Stops with time to spare and queues its own continuation;
 * a failed record is reported back and redelivered, resuming at the last checkpoint.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { PlanQueueMessage } from '../shared/domain/outreach/campaign.ts';
import { ConfigError } from '../shared/errors.ts';
import { createLogger } from '../shared/logger.ts';
import { queueEdge } from '../shared/queue/queue-edge.ts';
import { pollGroupRun } from '../shared/services/group-mass-send-run.ts';
import { type PlanOutreachDeps, planOutreachRun } from '../shared/services/plan-outreach-run.ts';
import { onFirstInvocation } from './wiring/on-first-invocation.ts';
import { planOutreachServices } from './wiring/outreach.ts';
import { groupOutreachServices } from './wiring/wecom-groups.ts';

export interface PlanOutreachHandlerDeps extends PlanOutreachDeps {
  logger: Logger;
  /** Stop planning with this much of the invocation left. */
  reserveMs: number;
}

export const makeHandler = (deps: PlanOutreachHandlerDeps) =>
  queueEdge({
    logger: deps.logger,
    message: { schema: PlanQueueMessage, what: 'The planning request' },
    identify: (request) => ({ campaignId: request.campaignId, runId: request.runId, kind: request.kind }),
    handle: async (request, { context }) => {
      if (request.kind === 'outreach.poll_groups') {
        if (!deps.groups) throw new ConfigError('This planner is not configured for WeChat-group runs');
        return {
          ...(await pollGroupRun(request, deps.groups, {
            remainingMs: () => context.getRemainingTimeInMillis(),
            reserveMs: deps.reserveMs,
          })),
        };
      }
      return {
        ...(await planOutreachRun(request, deps, {
          remainingMs: () => context.getRemainingTimeInMillis(),
          reserveMs: deps.reserveMs,
        })),
      };
    },
    log: {
      handled: 'outreach planned',
      failed: { message: 'outreach planning will be retried', level: 'warn' },
    },
  });

export const handler = onFirstInvocation(() => {
  const services = planOutreachServices();
  return makeHandler({
    logger: createLogger('plan-outreach'),
    reserveMs: 20_000,
    ...services,
    groups: groupOutreachServices(services),
  });
});
