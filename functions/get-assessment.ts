/**
 * GET /api/assessment and GET /api/assessment/export — the unit assessment (考核评价) over a date
 * range: rows per unit or township with the composite score and ranking, the monthly trend and
 * the SLA definitions, as JSON; the same rows as a CSV file for Excel. Scoped to the caller (see
 * shared/services/unit-assessment.ts); 403 for roles without an assessment; 400 naming the field.
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
import {
  type AssessmentDeps,
  AssessmentQuery,
  assessmentCsv,
  assessmentFileName,
  getAssessment,
} from '../shared/services/unit-assessment.ts';
import { parseOrThrow } from '../shared/validation.ts';
import { assessmentServices } from './wiring/assessment.ts';
import { onFirstInvocation } from './wiring/on-first-invocation.ts';
import { staffTokenServices } from './wiring/staff-tokens.ts';

export interface GetAssessmentHandlerDeps extends AssessmentDeps {
  logger: Logger;
  staffTokens: StaffTokenVerifier;
}

type Route = (event: APIGatewayProxyEventV2WithJWTAuthorizer, deps: AssessmentDeps) => Promise<HttpResponse>;

const routes: RouteTable<Route> = {
  'GET /api/assessment': async (event, deps) =>
    jsonResponse(200, await getAssessment(staffOf(event), event.queryStringParameters, deps)),
  'GET /api/assessment/export': async (event, deps) => {
    const query = parseOrThrow(AssessmentQuery, event.queryStringParameters ?? {}, 'The query');
    const assessment = await getAssessment(staffOf(event), event.queryStringParameters, deps);
    return csvAttachment(assessmentCsv(assessment, query.lang), assessmentFileName(assessment));
  },
};

export const makeHandler = (deps: GetAssessmentHandlerDeps) =>
  middy<APIGatewayProxyEventV2WithJWTAuthorizer, HttpResponse>()
    .use(httpEdge({ logger: deps.logger, staffTokens: deps.staffTokens }))
    .handler((event) =>
      routeFor(routes, event.routeKey, (key) => new NotFoundError(`No route ${key}`))(event, deps),
    );

export const handler = onFirstInvocation(() =>
  makeHandler({ logger: createLogger('get-assessment'), ...assessmentServices(), ...staffTokenServices() }),
);
