/** Scheduled every few minutes: SLA escalations, unrated closed cases, and stranded effects. */
import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { ScheduledEvent } from 'aws-lambda';
import { caseWriteServices } from '../shared/adapters/case-services.ts';
import { createLogger } from '../shared/logger.ts';
import { type SweepDeps, type SweepReport, sweepCases } from '../shared/services/sweep-cases.ts';

export interface SweepHandlerDeps extends SweepDeps {
  logger: Logger;
}

export const makeHandler = (deps: SweepHandlerDeps) =>
  middy<ScheduledEvent, SweepReport>()
    .use(injectLambdaContext(deps.logger, { resetKeys: true }))
    .handler(async () => {
      const report = await sweepCases(deps);
      deps.logger.info('sweep', {
        escalated: report.escalated.length,
        flaggedUnrated: report.flaggedUnrated.length,
        effectsRerun: report.effectsRerun,
        failed: report.failed.length,
      });
      return report;
    });

export const handler = makeHandler({ logger: createLogger('sweep-cases'), ...caseWriteServices() });
