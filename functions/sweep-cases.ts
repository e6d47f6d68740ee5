/**
 * Scheduled every few minutes: SLA escalations, unrated closed cases, stranded effects, and SMS
 * reports nobody placed in time (sent on to triage).
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { ScheduledEvent } from 'aws-lambda';
import { createLogger, logEffectFailure } from '../shared/logger.ts';
import { type SweepDeps, type SweepReport, sweepCases } from '../shared/services/sweep-cases.ts';
import { onFirstInvocation } from './wiring/on-first-invocation.ts';
import { sweepServices } from './wiring/sweep.ts';

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
        smsReportsForwarded: report.smsReportsForwarded.length,
        statisticsSettled: report.statisticsSettled,
        failed: report.failed.length,
      });
      return report;
    });

export const handler = onFirstInvocation(() => {
  const logger = createLogger('sweep-cases');
  return makeHandler({
    logger,
    ...sweepServices(),
    onEffectFailed: (trackingCode, entry, outcome, error) =>
      logEffectFailure(logger, { trackingCode, entry, outcome, error }),
  });
});
