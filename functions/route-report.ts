/**
 * Intake-queue consumer: routes each submitted report to its unit. Records are processed one by
 * one; a failed record is reported back as a partial batch failure and redelivered, the others
 * are deleted. Redelivery is safe: routing is idempotent per tracking code.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { ReportSubmitted } from '../shared/domain/report.ts';
import { createLogger, logEffectFailure } from '../shared/logger.ts';
import { queueEdge } from '../shared/queue/queue-edge.ts';
import { type RouteReportDeps, routeReport } from '../shared/services/route-report.ts';
import { caseWriteServices } from './wiring/case-writes.ts';
import { onFirstInvocation } from './wiring/on-first-invocation.ts';

export interface RouteReportHandlerDeps extends RouteReportDeps {
  logger: Logger;
}

export const makeHandler = (deps: RouteReportHandlerDeps) =>
  queueEdge({
    logger: deps.logger,
    message: { schema: ReportSubmitted, what: 'The intake message' },
    identify: (message) => ({ trackingCode: message.trackingCode }),
    handle: async (message) => {
      const result = await routeReport(message, deps);
      return { outcome: result.outcome, unitId: result.unitId };
    },
    log: {
      handled: 'report routed',
      failed: { message: 'routing failed; the message will be retried', level: 'error' },
    },
  });

export const handler = onFirstInvocation(() => {
  const logger = createLogger('route-report');
  return makeHandler({
    logger,
    ...caseWriteServices(),
    onEffectFailed: (trackingCode, entry, outcome, error) =>
      logEffectFailure(logger, { trackingCode, entry, outcome, error }),
  });
});
