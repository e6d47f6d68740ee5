/** GET /api/catalog — categories, communities and units for the report form. */
import type { Logger } from '@aws-lambda-powertools/logger';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { httpEdge } from '../shared/http/http-edge.ts';
import { type HttpResponse, jsonResponse } from '../shared/http/responses.ts';
import { createLogger } from '../shared/logger.ts';
import type { DirectoryReader } from '../shared/ports/directory.ts';
import { getCatalog } from '../shared/services/catalog.ts';
import { onFirstInvocation } from './wiring/on-first-invocation.ts';
import { catalogServices } from './wiring/web.ts';

export interface CatalogHandlerDeps {
  logger: Logger;
  directory: DirectoryReader;
}

export const makeHandler = (deps: CatalogHandlerDeps) =>
  middy<APIGatewayProxyEventV2, HttpResponse>()
    .use(httpEdge({ logger: deps.logger }))
    .handler(async () =>
      jsonResponse(200, await getCatalog(deps), { 'cache-control': 'public, max-age=300' }),
    );

export const handler = onFirstInvocation(() =>
  makeHandler({ logger: createLogger('get-catalog'), ...catalogServices() }),
);
