/**
 * GET /api/stats — counts by stage, unit, community and category, overdue, time per stage (seconds,
 * hours, working hours and days), satisfaction, all time or over `from`/`to`; each narrowed to the
 * caller's scope (figures that cannot be narrowed are left out). 403 for outreach staff.
 * GET /api/stats/export — the same figures as CSV for Excel (shared/services/statistics-export.ts).
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { NotFoundError } from '../shared/errors.ts';
import { httpEdge } from '../shared/http/http-edge.ts';
import { csvAttachment, type HttpResponse, jsonResponse } from '../shared/http/responses.ts';
import { type RouteTable, routeFor } from '../shared/http/route-table.ts';
import { staffOf } from '../shared/http/staff-identity.ts';
import { createLogger } from '../shared/logger.ts';
import type { StaffTokenVerifier } from '../shared/ports/staff-tokens.ts';
import { getStats, type StatsQueryDeps } from '../shared/services/case-queries.ts';
import { StatsExportQuery, statisticsCsv, statisticsFileName } from '../shared/services/statistics-export.ts';
import { parseOrThrow } from '../shared/validation.ts';
import { policyReaderServices } from './wiring/assessment.ts';
import { caseReadServices } from './wiring/case-reads.ts';
import { onFirstInvocation } from './wiring/on-first-invocation.ts';
import { staffTokenServices } from './wiring/staff-tokens.ts';

export interface GetStatsHandlerDeps extends StatsQueryDeps {
  logger: Logger;
  staffTokens: StaffTokenVerifier;
}

type Route = (event: APIGatewayProxyEventV2WithJWTAuthorizer, deps: StatsQueryDeps) => Promise<HttpResponse>;

const routes: RouteTable<Route> = {
  'GET /api/stats': async (event, deps) =>
    jsonResponse(200, await getStats(staffOf(event), deps, event.queryStringParameters)),
  'GET /api/stats/export': async (event, deps) => {
    const query = parseOrThrow(StatsExportQuery, event.queryStringParameters ?? {}, 'The query');
    const { lang: _lang, ...range } = query;
    const [stats, org] = await Promise.all([getStats(staffOf(event), deps, range), deps.directory.load()]);
    return csvAttachment(statisticsCsv(stats, org, query.lang), statisticsFileName(stats));
  },
};

export const makeHandler = (deps: GetStatsHandlerDeps) =>
  middy<APIGatewayProxyEventV2WithJWTAuthorizer, HttpResponse>()
    .use(httpEdge({ logger: deps.logger, staffTokens: deps.staffTokens }))
    .handler((event) =>
      routeFor(routes, event.routeKey, (key) => new NotFoundError(`No route ${key}`))(event, deps),
    );

export const handler = onFirstInvocation(() =>
  makeHandler({
    logger: createLogger('get-stats'),
    ...caseReadServices(),
    ...policyReaderServices(),
    ...staffTokenServices(),
  }),
);
