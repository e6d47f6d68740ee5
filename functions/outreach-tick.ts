/** Scheduled every minute: starts due campaign runs, reminds assignees, resumes deferred batches. */
import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { ScheduledEvent } from 'aws-lambda';
import { createLogger } from '../shared/logger.ts';
import { type StartDueRunsDeps, startDueRuns, type TickReport } from '../shared/services/start-due-runs.ts';
import { onFirstInvocation } from './wiring/on-first-invocation.ts';
import { outreachTickServices } from './wiring/outreach.ts';

export interface OutreachTickHandlerDeps extends StartDueRunsDeps {
  logger: Logger;
}

export const makeHandler = (deps: OutreachTickHandlerDeps) =>
  middy<ScheduledEvent, TickReport>()
    .use(injectLambdaContext(deps.logger, { resetKeys: true }))
    .handler(async () => {
      const report = await startDueRuns(deps);
      for (const failure of report.failed)
        deps.logger.error('due outreach failed; retried next tick', failure);
      if (
        report.runsStarted.length ||
        report.remindersSent ||
        report.batchesResumed ||
        report.failed.length
      ) {
        deps.logger.info('outreach tick', {
          runsStarted: report.runsStarted,
          remindersSent: report.remindersSent,
          batchesResumed: report.batchesResumed,
          failed: report.failed.length,
        });
      }
      return report;
    });

export const handler = onFirstInvocation(() =>
  makeHandler({ logger: createLogger('outreach-tick'), ...outreachTickServices() }),
);
