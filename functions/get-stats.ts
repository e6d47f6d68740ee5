/**
 * GET /api/stats — counts by stage, unit, community and category, overdue, time per stage (seconds,
 * hours, working hours and days), satisfaction, all time or over `from`/`to`; each narrowed to the
 * caller's scope (figures that cannot be narrowed are left out). 403 for outreach staff.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { httpEdge } from '../shared/http/http-edge.ts';
import { type HttpResponse, jsonResponse } from '../shared/http/responses.ts';
import { staffOf } from '../shared/http/staff-identity.ts';
import { createLogger } from '../shared/logger.ts';
import type { StaffTokenVerifier } from '../shared/ports/staff-tokens.ts';
import { getStats, type StatsQueryDeps } from '../shared/services/case-queries.ts';
import { policyReaderServices } from './wiring/assessment.ts';
import { caseReadServices } from './wiring/cases.ts';
import { onFirstInvocation } from './wiring/on-first-invocation.ts';
import { staffTokenServices } from './wiring/staff-tokens.ts';

export interface GetStatsHandlerDeps extends StatsQueryDeps {
  logger: Logger;
  staffTokens: StaffTokenVerifier;
}

export const makeHandler = (deps: GetStatsHandlerDeps) =>
  middy<APIGatewayProxyEventV2WithJWTAuthorizer, HttpResponse>()
    .use(httpEdge({ logger: deps.logger, staffTokens: deps.staffTokens }))
    .handler(async (event) =>
      jsonResponse(200, await getStats(staffOf(event), deps, event.queryStringParameters)),
    );

export const handler = onFirstInvocation(() =>
  makeHandler({
    logger: createLogger('get-stats'),
    ...caseReadServices(),
    ...policyReaderServices(),
    ...staffTokenServices(),
  }),
);
