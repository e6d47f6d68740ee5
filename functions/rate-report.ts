/**
 * POST /api/reports/{trackingCode}/rating — the reporter rates a closed case 1–5, proving who they
 * are with the private token from their 202 answer. Answers the public status afterwards.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { httpEdge } from '../shared/http/http-edge.ts';
import { limitBodySize, readRequestBody } from '../shared/http/request-body.ts';
import { type HttpResponse, jsonResponse } from '../shared/http/responses.ts';
import { createLogger, logEffectFailure } from '../shared/logger.ts';
import { rateReport } from '../shared/services/rate-report.ts';
import { getReportStatus } from '../shared/services/report-status.ts';
import type { TransitionDeps } from '../shared/services/transition-case.ts';
import { caseWriteServices } from './wiring/cases.ts';
import { onFirstInvocation } from './wiring/on-first-invocation.ts';

export interface RateReportHandlerDeps extends TransitionDeps {
  logger: Logger;
}

export const makeHandler = (deps: RateReportHandlerDeps) =>
  middy<APIGatewayProxyEventV2, HttpResponse>()
    .use(httpEdge({ logger: deps.logger }))
    .use(limitBodySize(4 * 1024))
    .handler(async (event) => {
      const state = await rateReport(event.pathParameters?.trackingCode ?? '', readRequestBody(event), deps);
      deps.logger.info('case rated', { trackingCode: state.trackingCode });
      return jsonResponse(200, await getReportStatus(state.trackingCode, deps));
    });

export const handler = onFirstInvocation(() => {
  const logger = createLogger('rate-report');
  return makeHandler({
    logger,
    ...caseWriteServices(),
    onEffectFailed: (trackingCode, entry, outcome, error) =>
      logEffectFailure(logger, { trackingCode, entry, outcome, error }),
  });
});
