/**
 * GET / — the resident report page, rendered with the catalogue on the server so the form works
 * on any phone browser, with or without JavaScript. `?lang=en` switches to English.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import * as z from 'zod';
import { createDocumentClient } from '../shared/adapters/aws-clients.ts';
import { DynamoDbDirectory } from '../shared/adapters/dynamodb-directory.ts';
import { loadConfig, TableName } from '../shared/config.ts';
import { httpEdge } from '../shared/http/http-edge.ts';
import { type HttpResponse, htmlResponse } from '../shared/http/responses.ts';
import { createLogger } from '../shared/logger.ts';
import type { DirectoryReader } from '../shared/ports/directory.ts';
import { cachedDirectory } from '../shared/services/cached-directory.ts';
import { getCatalog } from '../shared/services/catalog.ts';
import { parsePageLanguage, renderResidentPage } from '../shared/web/resident-page.ts';

export interface ResidentPageHandlerDeps {
  logger: Logger;
  directory: DirectoryReader;
}

export const makeHandler = (deps: ResidentPageHandlerDeps) =>
  middy<APIGatewayProxyEventV2, HttpResponse>()
    .use(httpEdge({ logger: deps.logger }))
    .handler(async (event) => {
      const lang = parsePageLanguage(event.queryStringParameters?.lang);
      return htmlResponse(200, renderResidentPage({ catalog: await getCatalog(deps), lang }));
    });

const Config = z.object({ DIRECTORY_TABLE: TableName });

const config = loadConfig(Config);
export const handler = makeHandler({
  logger: createLogger('resident-page'),
  directory: cachedDirectory(new DynamoDbDirectory(createDocumentClient(), config.DIRECTORY_TABLE), 60_000),
});
