/**
 * GET /api/cases — a page of the caller's cases (or one of the three lists), newest first, read
 * inside the caller's scope; the cursor is signed for this caller and list (400 naming `cursor`
 * otherwise). 403 for outreach staff.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { httpEdge } from '../shared/http/http-edge.ts';
import { type HttpResponse, jsonResponse } from '../shared/http/responses.ts';
import { staffOf } from '../shared/http/staff-identity.ts';
import { createLogger } from '../shared/logger.ts';
import type { StaffTokenVerifier } from '../shared/ports/staff-tokens.ts';
import { type CaseListDeps, listCases } from '../shared/services/case-queries.ts';
import { caseListServices } from './wiring/cases.ts';
import { onFirstInvocation } from './wiring/on-first-invocation.ts';
import { staffTokenServices } from './wiring/staff-tokens.ts';

export interface ListCasesHandlerDeps extends CaseListDeps {
  logger: Logger;
  staffTokens: StaffTokenVerifier;
}

export const makeHandler = (deps: ListCasesHandlerDeps) =>
  middy<APIGatewayProxyEventV2WithJWTAuthorizer, HttpResponse>()
    .use(httpEdge({ logger: deps.logger, staffTokens: deps.staffTokens }))
    .handler(async (event) =>
      jsonResponse(200, await listCases(staffOf(event), event.queryStringParameters, deps)),
    );

export const handler = onFirstInvocation(() =>
  makeHandler({ logger: createLogger('list-cases'), ...caseListServices(), ...staffTokenServices() }),
);
