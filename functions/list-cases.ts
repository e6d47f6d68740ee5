/**
 * GET /api/cases — a page of the caller's cases (or one of the three lists), newest first, read
 * inside the caller's scope; the cursor is signed for this caller and list (400 naming `cursor`
 * otherwise). 403 for outreach staff.
 *
 * GET /api/cases/export — the same lists as CSV, one chunk per request (shared/services/case-export.ts):
 * the first with the BOM and the header, each up to a byte bound under Lambda's 6 MB answer; while
 * more follow, `X-Next-Cursor` and a `Link: <…>; rel="next"` name the next chunk's request, which
 * the console and the CLI ask for and append. 403 also for admins asking for personal columns.
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
import { type CaseExportDeps, exportCases } from '../shared/services/case-export.ts';
import { listCases } from '../shared/services/case-queries.ts';
import { caseListServices } from './wiring/case-lists.ts';
import { onFirstInvocation } from './wiring/on-first-invocation.ts';
import { staffTokenServices } from './wiring/staff-tokens.ts';

export interface ListCasesHandlerDeps extends CaseExportDeps {
  logger: Logger;
  staffTokens: StaffTokenVerifier;
}

/** The next chunk's request: this one's query with the cursor replaced. */
function nextLink(event: APIGatewayProxyEventV2WithJWTAuthorizer, cursor: string): string {
  const query = new URLSearchParams(event.rawQueryString ?? '');
  query.set('cursor', cursor);
  return `${event.rawPath}?${query.toString()}`;
}

type Route = (
  event: APIGatewayProxyEventV2WithJWTAuthorizer,
  deps: ListCasesHandlerDeps,
) => Promise<HttpResponse>;

const routes: RouteTable<Route> = {
  'GET /api/cases': async (event, deps) =>
    jsonResponse(200, await listCases(staffOf(event), event.queryStringParameters, deps)),
  'GET /api/cases/export': async (event, deps) => {
    const chunk = await exportCases(staffOf(event), event.queryStringParameters, deps);
    deps.logger.info('case export chunk', {
      rows: chunk.rows,
      bytes: chunk.bytes,
      more: chunk.next !== undefined,
    });
    return csvAttachment(chunk.csv, chunk.fileName, {
      'x-export-rows': String(chunk.rows),
      ...(chunk.next === undefined
        ? {}
        : { 'x-next-cursor': chunk.next, link: `<${nextLink(event, chunk.next)}>; rel="next"` }),
    });
  },
};

export const makeHandler = (deps: ListCasesHandlerDeps) =>
  middy<APIGatewayProxyEventV2WithJWTAuthorizer, HttpResponse>()
    .use(httpEdge({ logger: deps.logger, staffTokens: deps.staffTokens }))
    .handler((event) =>
      routeFor(routes, event.routeKey, (key) => new NotFoundError(`No route ${key}`))(event, deps),
    );

export const handler = onFirstInvocation(() =>
  makeHandler({ logger: createLogger('list-cases'), ...caseListServices(), ...staffTokenServices() }),
);
