/** GET /api/reports/{trackingCode} — the public status of a report; no personal data. */
import type { Logger } from '@aws-lambda-powertools/logger';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { httpEdge } from '../shared/http/http-edge.ts';
import { type HttpResponse, jsonResponse } from '../shared/http/responses.ts';
import { createLogger } from '../shared/logger.ts';
import { getReportStatus, type ReportStatusDeps } from '../shared/services/report-status.ts';
import { reportStatusServices } from './wiring/cases.ts';
import { onFirstInvocation } from './wiring/on-first-invocation.ts';

export interface ReportStatusHandlerDeps extends ReportStatusDeps {
  logger: Logger;
}

export const makeHandler = (deps: ReportStatusHandlerDeps) =>
  middy<APIGatewayProxyEventV2, HttpResponse>()
    .use(httpEdge({ logger: deps.logger }))
    .handler(async (event) => {
      const status = await getReportStatus(event.pathParameters?.trackingCode ?? '', deps);
      return jsonResponse(200, status);
    });

export const handler = onFirstInvocation(() =>
  makeHandler({ logger: createLogger('get-report-status'), ...reportStatusServices() }),
);
