/**
 * The five-level registry's API (issue 16 item 1): `GET /api/registry/grids` (grids, micro-grids
 * and WeChat groups with their member counts, for the county and the township centres, the scope
 * decided in shared/services/grid-registry-view.ts) and `POST /api/admin/grid-groups/import`
 * (admins: a CSV of micro-grids and groups as `{ csv }`, answered with what was added, changed and
 * refused, line and field for each refusal).
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import type { Staff } from '../shared/domain/staff.ts';
import { NotFoundError } from '../shared/errors.ts';
import { httpEdge } from '../shared/http/http-edge.ts';
import { limitBodySize, readRequestBody } from '../shared/http/request-body.ts';
import { type HttpResponse, jsonResponse } from '../shared/http/responses.ts';
import { type RouteTable, routeFor } from '../shared/http/route-table.ts';
import { staffOf } from '../shared/http/staff-identity.ts';
import { createLogger } from '../shared/logger.ts';
import type { StaffTokenVerifier } from '../shared/ports/staff-tokens.ts';
import { type RegistryViewDeps, readGridRegistry } from '../shared/services/grid-registry-view.ts';
import { type GridGroupImportDeps, importGridGroupsFile } from '../shared/services/import-grid-groups.ts';
import { gridRegistryServices } from './wiring/grid-registry.ts';
import { onFirstInvocation } from './wiring/on-first-invocation.ts';
import { staffTokenServices } from './wiring/staff-tokens.ts';

export interface GridRegistryHandlerDeps extends RegistryViewDeps, GridGroupImportDeps {
  logger: Logger;
  staffTokens: StaffTokenVerifier;
}

interface RegistryRequest {
  event: APIGatewayProxyEventV2WithJWTAuthorizer;
  staff: Staff;
  deps: GridRegistryHandlerDeps;
}

/** A county's file (2,348 grids, five or six micro-grids each) is about 1 MB; JSON-escaped, more. */
const MAX_BODY_BYTES = 5 * 1024 * 1024;

const routes: RouteTable<(request: RegistryRequest) => Promise<HttpResponse>> = {
  'GET /api/registry/grids': async ({ event, staff, deps }) =>
    jsonResponse(200, await readGridRegistry(staff, event.queryStringParameters, deps)),
  'POST /api/admin/grid-groups/import': async ({ event, staff, deps }) => {
    const result = await importGridGroupsFile(staff, readRequestBody(event), deps);
    // Counts only: the refusals name lines and fields, and userids stay out of the logs.
    deps.logger.info('grid groups imported', {
      grids: result.grids,
      changed: result.changed,
      rejected: result.rejected.length,
      by: staff.userId,
    });
    return jsonResponse(200, result);
  },
};

export const makeHandler = (deps: GridRegistryHandlerDeps) =>
  middy<APIGatewayProxyEventV2WithJWTAuthorizer, HttpResponse>()
    .use(httpEdge({ logger: deps.logger, staffTokens: deps.staffTokens }))
    .use(limitBodySize(MAX_BODY_BYTES))
    .handler(async (event) => {
      const staff = staffOf(event);
      const route = routeFor(routes, event.routeKey, (key) => new NotFoundError(`No registry route ${key}`));
      return route({ event, staff, deps });
    });

export const handler = onFirstInvocation(() =>
  makeHandler({
    logger: createLogger('grid-registry'),
    ...gridRegistryServices(),
    ...staffTokenServices(),
  }),
);
