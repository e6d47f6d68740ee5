/**
 * GET /api/cases/search?q=… — staff search by tracking code (typed any way), by the last digits
 * of the reporter's phone (roles that may call reporters), or by words of the description; rows
 * as the lists', inside the caller's scope (a case outside it is not found, never a 403), newest
 * first, the cursor sealed for this caller and query. 403 for outreach staff, and for a phone
 * search by a role that never sees phones.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { httpEdge } from '../shared/http/http-edge.ts';
import { type HttpResponse, jsonResponse } from '../shared/http/responses.ts';
import { staffOf } from '../shared/http/staff-identity.ts';
import { createLogger } from '../shared/logger.ts';
import type { StaffTokenVerifier } from '../shared/ports/staff-tokens.ts';
import { type CaseSearchDeps, searchCases } from '../shared/services/case-search.ts';
import { caseSearchServices } from './wiring/case-search.ts';
import { onFirstInvocation } from './wiring/on-first-invocation.ts';
import { staffTokenServices } from './wiring/staff-tokens.ts';

export interface SearchCasesHandlerDeps extends CaseSearchDeps {
  logger: Logger;
  staffTokens: StaffTokenVerifier;
}

export const makeHandler = (deps: SearchCasesHandlerDeps) =>
  middy<APIGatewayProxyEventV2WithJWTAuthorizer, HttpResponse>()
    .use(httpEdge({ logger: deps.logger, staffTokens: deps.staffTokens }))
    .handler(async (event) =>
      jsonResponse(200, await searchCases(staffOf(event), event.queryStringParameters, deps)),
    );

export const handler = onFirstInvocation(() =>
  makeHandler({
    logger: createLogger('search-cases'),
    ...caseSearchServices(),
    ...staffTokenServices(),
  }),
);
