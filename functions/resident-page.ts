/**
 * GET / — the resident report page, rendered with the catalogue on the server so the form works
 * on any phone browser, with or without JavaScript. `?lang=en` switches to English, and the `lang`
 * cookie remembers the choice for the next visit and the other pages (shared/http/page-language.ts).
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { httpEdge } from '../shared/http/http-edge.ts';
import { requestLanguage, withLanguage } from '../shared/http/page-language.ts';
import { type HttpResponse, htmlResponse } from '../shared/http/responses.ts';
import { createLogger } from '../shared/logger.ts';
import type { DirectoryReader } from '../shared/ports/directory.ts';
import { getCatalog } from '../shared/services/catalog.ts';
import { renderResidentPage } from '../shared/web/resident-page.ts';
import { onFirstInvocation } from './wiring/on-first-invocation.ts';
import { catalogServices } from './wiring/web.ts';

export interface ResidentPageHandlerDeps {
  logger: Logger;
  directory: DirectoryReader;
}

export const makeHandler = (deps: ResidentPageHandlerDeps) =>
  middy<APIGatewayProxyEventV2, HttpResponse>()
    .use(httpEdge({ logger: deps.logger }))
    .handler(async (event) => {
      const language = requestLanguage(event);
      const page = renderResidentPage({ catalog: await getCatalog(deps), lang: language.lang });
      return withLanguage(htmlResponse(200, page), language);
    });

export const handler = onFirstInvocation(() =>
  makeHandler({ logger: createLogger('resident-page'), ...catalogServices() }),
);
