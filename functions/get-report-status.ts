/**
 * The public status of a report; no personal data. Two routes over the same use case:
 *   GET /api/reports/{trackingCode}  JSON, for the page's script and anyone's tools
 *   GET /status?code=…               the same status as a page, for a browser without JavaScript:
 *                                    the lookup form, the status, and the rating form once closed
 *   GET /photos/{trackingCode}/{n}   a result photo the unit made public, while the resolution
 *                                    stands: 302 to a fresh presigned URL, never cached, so the
 *                                    pages and Open311 link a stable path and no URL outlives it
 * The page speaks the language `?lang=` chose or the `lang` cookie remembers.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { normaliseTrackingCode } from '../shared/domain/tracking-code.ts';
import { NotFoundError } from '../shared/errors.ts';
import { httpEdge } from '../shared/http/http-edge.ts';
import { requestLanguage, withLanguage } from '../shared/http/page-language.ts';
import { type HttpResponse, htmlResponse, jsonResponse } from '../shared/http/responses.ts';
import { type RouteTable, routeFor } from '../shared/http/route-table.ts';
import { createLogger } from '../shared/logger.ts';
import type { PhotoStore } from '../shared/ports/photo-store.ts';
import * as z from '../shared/schema.ts';
import { getCatalog } from '../shared/services/catalog.ts';
import {
  getReportStatus,
  publicPhotoLocation,
  type ReportStatusDeps,
} from '../shared/services/report-status.ts';
import { renderStatusPage, type StatusLookup } from '../shared/web/status-page.ts';
import { reportStatusServices } from './wiring/case-reads.ts';
import { onFirstInvocation } from './wiring/on-first-invocation.ts';
import { photoBucketOrigin } from './wiring/photo-bucket-origin.ts';
import { photoStore } from './wiring/photos.ts';

export interface ReportStatusHandlerDeps extends ReportStatusDeps {
  logger: Logger;
  /** Signs the public result photos' GETs (local CPU: no request to S3). */
  photos: Pick<PhotoStore, 'presignView'>;
  /** The photo bucket's origin, for the page's img-src (the photos' redirects end there). */
  photoBucketOrigin?: string;
}

/** The default page CSP (shared/http/responses.ts) with images also from the photo bucket. */
export const statusPageCsp = (bucketOrigin: string | undefined): string =>
  [
    "default-src 'none'",
    "style-src 'unsafe-inline'",
    "script-src 'unsafe-inline'",
    "connect-src 'self'",
    `img-src 'self' data:${bucketOrigin ? ` ${bucketOrigin}` : ''}`,
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');

/**
 * The status page's query: the code as typed (checked below, so a mistyped one is named next to
 * its field) and `rated`, set by the redirect after a rating. Anything odd reads as absent.
 */
const StatusPageQuery = z.object({
  code: z.catch(z.optional(z.string().check(z.maxLength(64))), undefined),
  rated: z.catch(z.optional(z.literal('1')), undefined),
});

type Route = (event: APIGatewayProxyEventV2, deps: ReportStatusHandlerDeps) => Promise<HttpResponse>;

const routes: RouteTable<Route> = {
  'GET /api/reports/{trackingCode}': async (event, deps) =>
    jsonResponse(200, await getReportStatus(event.pathParameters?.trackingCode ?? '', deps)),

  'GET /status': async (event, deps) => {
    const language = requestLanguage(event);
    const query = z.catch(StatusPageQuery, {}).parse(event.queryStringParameters ?? {});
    const lookup = await lookUp(query.code, query.rated !== undefined, deps);
    const statusCode = lookup.kind === 'invalid' ? 400 : lookup.kind === 'not_found' ? 404 : 200;
    const page = renderStatusPage({ catalog: await getCatalog(deps), lang: language.lang, lookup });
    const csp = statusPageCsp(deps.photoBucketOrigin);
    return withLanguage(htmlResponse(statusCode, page, { 'content-security-policy': csp }), language);
  },

  'GET /photos/{trackingCode}/{n}': async (event, deps) => {
    const photo = await publicPhotoLocation(
      event.pathParameters?.trackingCode ?? '',
      event.pathParameters?.n ?? '',
      deps,
    );
    // Not cached anywhere: the next view gets a fresh URL, and a rejected resolution hides it at once.
    return {
      statusCode: 302,
      headers: { location: photo.url, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' },
      body: '',
    };
  },
};

async function lookUp(
  code: string | undefined,
  rated: boolean,
  deps: ReportStatusDeps,
): Promise<StatusLookup> {
  if (code === undefined) return { kind: 'none' };
  if (normaliseTrackingCode(code) === undefined) return { kind: 'invalid', code };
  try {
    return { kind: 'found', code, status: await getReportStatus(code, deps), rated };
  } catch (error) {
    if (error instanceof NotFoundError) return { kind: 'not_found', code };
    throw error;
  }
}

export const makeHandler = (deps: ReportStatusHandlerDeps) =>
  middy<APIGatewayProxyEventV2, HttpResponse>()
    .use(httpEdge({ logger: deps.logger }))
    .handler(async (event) => {
      const route = routeFor(routes, event.routeKey, (key) => new NotFoundError(`No status route ${key}`));
      return route(event, deps);
    });

export const handler = onFirstInvocation(() =>
  makeHandler({
    logger: createLogger('get-report-status'),
    ...reportStatusServices(),
    photos: photoStore(),
    photoBucketOrigin: photoBucketOrigin(),
  }),
);
