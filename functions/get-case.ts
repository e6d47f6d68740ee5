/**
 * GET /api/cases/{id} — one case in full, and the actions allowed now; the reporter's phone only
 * for those who may have to call them. 404 outside the caller's scope, 403 for outreach staff.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { httpEdge } from '../shared/http/http-edge.ts';
import { type HttpResponse, jsonResponse } from '../shared/http/responses.ts';
import { staffOf } from '../shared/http/staff-identity.ts';
import { createLogger } from '../shared/logger.ts';
import type { StaffTokenVerifier } from '../shared/ports/staff-tokens.ts';
import { type CaseQueryDeps, getCaseDetail } from '../shared/services/case-queries.ts';
import { caseReadServices } from './wiring/case-reads.ts';
import { onFirstInvocation } from './wiring/on-first-invocation.ts';
import { staffTokenServices } from './wiring/staff-tokens.ts';

export interface GetCaseHandlerDeps extends CaseQueryDeps {
  logger: Logger;
  staffTokens: StaffTokenVerifier;
}

export const makeHandler = (deps: GetCaseHandlerDeps) =>
  middy<APIGatewayProxyEventV2WithJWTAuthorizer, HttpResponse>()
    .use(httpEdge({ logger: deps.logger, staffTokens: deps.staffTokens }))
    .handler(async (event) =>
      jsonResponse(200, await getCaseDetail(staffOf(event), event.pathParameters?.id ?? '', deps)),
    );

export const handler = onFirstInvocation(() =>
  makeHandler({ logger: createLogger('get-case'), ...caseReadServices(), ...staffTokenServices() }),
);
