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
import { photoBucketOrigin } from './wiring/photo-bucket-origin.ts';
import { catalogServices } from './wiring/web.ts';

export interface ResidentPageHandlerDeps {
  logger: Logger;
  directory: DirectoryReader;
  /** The photo bucket's origin: the script posts photos there (presigned POST). */
  photoBucketOrigin?: string;
}

/**
 * The page's CSP: the default one (shared/http/responses.ts), with the photo bucket's origin for
 * the uploads and blob: for the previews of the resized photos; images also from the bucket, where
 * a looked-up report's result photos redirect (/photos/… answers 302 to a presigned URL).
 */
export const residentPageCsp = (bucketOrigin: string | undefined): string =>
  [
    "default-src 'none'",
    "style-src 'unsafe-inline'",
    "script-src 'unsafe-inline'",
    `connect-src 'self'${bucketOrigin ? ` ${bucketOrigin}` : ''}`,
    `img-src 'self' data: blob:${bucketOrigin ? ` ${bucketOrigin}` : ''}`,
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');

export const makeHandler = (deps: ResidentPageHandlerDeps) =>
  middy<APIGatewayProxyEventV2, HttpResponse>()
    .use(httpEdge({ logger: deps.logger }))
    .handler(async (event) => {
      const language = requestLanguage(event);
      const page = renderResidentPage({ catalog: await getCatalog(deps), lang: language.lang });
      const csp = residentPageCsp(deps.photoBucketOrigin);
      return withLanguage(htmlResponse(200, page, { 'content-security-policy': csp }), language);
    });

export const handler = onFirstInvocation(() =>
  makeHandler({
    logger: createLogger('resident-page'),
    ...catalogServices(),
    photoBucketOrigin: photoBucketOrigin(),
  }),
);
