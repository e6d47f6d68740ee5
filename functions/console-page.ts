/**
 * GET /console — the staff console's HTML shell. Public on purpose: it carries no data, only the
 * page and its script; everything a member of staff sees comes afterwards from the staff API with
 * their token. `?lang=en` switches to English and the `lang` cookie remembers it (as on the resident
 * pages: shared/http/page-language.ts). The page only varies by language, so each is
 * rendered once per container and served with its own script-hash CSP. The app's bundle and
 * stylesheet are loaded once, on the first invocation (beside the bundle in Lambda, built from
 * source locally: shared/web/page-assets.ts).
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { httpEdge } from '../shared/http/http-edge.ts';
import { requestLanguage, withLanguage } from '../shared/http/page-language.ts';
import { type HttpResponse, htmlResponse } from '../shared/http/responses.ts';
import { createLogger } from '../shared/logger.ts';
import { type ConsoleLanguage, type ConsolePage, renderConsolePage } from '../shared/web/console-page.ts';
import { loadPageAssets, type PageAssets } from '../shared/web/page-assets.ts';
import { onFirstInvocation } from './wiring/on-first-invocation.ts';
import { photoBucketOrigin } from './wiring/photo-bucket-origin.ts';

export interface ConsolePageHandlerDeps {
  logger: Logger;
  /** The console's script and stylesheet (loadPageAssets('console')). */
  assets: PageAssets;
  /** The photo bucket's origin, for the CSP's img-src (case photos). */
  photoOrigin?: string;
}

export const makeHandler = (deps: ConsolePageHandlerDeps) => {
  const rendered = new Map<ConsoleLanguage, ConsolePage>();
  const pageFor = (lang: ConsoleLanguage): ConsolePage => {
    let page = rendered.get(lang);
    if (!page) {
      page = renderConsolePage({ lang, assets: deps.assets, photoOrigin: deps.photoOrigin });
      rendered.set(lang, page);
    }
    return page;
  };
  return middy<APIGatewayProxyEventV2, HttpResponse>()
    .use(httpEdge({ logger: deps.logger }))
    .handler(async (event) => {
      const language = requestLanguage(event);
      const page = pageFor(language.lang);
      return withLanguage(
        htmlResponse(200, page.html, { 'content-security-policy': page.contentSecurityPolicy }),
        language,
      );
    });
};

export const handler = onFirstInvocation(() =>
  makeHandler({
    logger: createLogger('console-page'),
    assets: loadPageAssets('console'),
    photoOrigin: photoBucketOrigin(),
  }),
);
