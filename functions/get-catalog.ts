/** GET /api/catalog — categories, communities and units for the report form. */
import type { Logger } from '@aws-lambda-powertools/logger';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import * as z from 'zod';
import { createDocumentClient } from '../shared/adapters/aws-clients.ts';
import { DynamoDbDirectory } from '../shared/adapters/dynamodb-directory.ts';
import { loadConfig, TableName } from '../shared/config.ts';
import { httpEdge } from '../shared/http/http-edge.ts';
import { type HttpResponse, jsonResponse } from '../shared/http/responses.ts';
import { createLogger } from '../shared/logger.ts';
import type { DirectoryReader } from '../shared/ports/directory.ts';
import { cachedDirectory } from '../shared/services/cached-directory.ts';
import { getCatalog } from '../shared/services/catalog.ts';

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

const Config = z.object({ DIRECTORY_TABLE: TableName });

const config = loadConfig(Config);
export const handler = makeHandler({
  logger: createLogger('get-catalog'),
  directory: cachedDirectory(new DynamoDbDirectory(createDocumentClient(), config.DIRECTORY_TABLE), 60_000),
});
