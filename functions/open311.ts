/**
 * Open311 GeoReport v2 under /open311/v2/: discovery, services, service definitions, POST requests
 * (registered partners with an api_key) and GET requests, in JSON or XML as the path's extension
 * says. Errors are the spec's list `[{ code, description }]` (`<errors><error>…`) with the HTTP
 * status as the code. Read answers may be cached for a minute and are open to any origin (the data
 * is public); the next page of GET requests is in a `Link: <…>; rel="next"` header.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { CHANGESET, type Format, type Open311Error, SPEC_URL } from '../shared/domain/open311/georeport.ts';
import { georeportXml } from '../shared/domain/open311/georeport-xml.ts';
import { NotFoundError, RateLimitedError, ValidationError } from '../shared/errors.ts';
import { httpEdge, toHttpError } from '../shared/http/http-edge.ts';
import { assertBodyWithin, readRequestBody } from '../shared/http/request-body.ts';
import type { HttpResponse } from '../shared/http/responses.ts';
import { type RouteTable, routeFor } from '../shared/http/route-table.ts';
import { createLogger } from '../shared/logger.ts';
import {
  getServiceDefinition,
  getServiceRequest,
  listServiceRequests,
  listServices,
  type Open311ReadDeps,
  type Open311SubmitDeps,
  submitServiceRequest,
} from '../shared/services/open311.ts';
import { onFirstInvocation } from './wiring/on-first-invocation.ts';
import { open311Services } from './wiring/open311.ts';

/** A form post of a report with every optional field fits in a few KB; the intake allows 16. */
export const MAX_BODY_BYTES = 16 * 1024;
export const OPEN311_BASE_PATH = '/open311/v2';

export interface Open311HandlerDeps extends Open311ReadDeps, Open311SubmitDeps {
  logger: Logger;
  /**
   * The public address of /open311/v2 (`open311EndpointUrl`), for discovery and the next-page
   * links. Unset: the host the request reached, right locally; behind CloudFront that is the API's
   * own address, which refuses direct calls, so a deployment sets it.
   */
  endpointUrl?: string;
}

interface Open311Request {
  event: APIGatewayProxyEventV2;
  format: Format;
  deps: Open311HandlerDeps;
}

interface Answer {
  root: string;
  body: unknown;
  status?: number;
  headers?: Record<string, string>;
}

const query = (event: APIGatewayProxyEventV2): Record<string, string> => {
  const params: Record<string, string> = {};
  for (const [key, value] of Object.entries(event.queryStringParameters ?? {})) {
    if (value !== undefined) params[key] = value;
  }
  return params;
};

/** `https://host/open311/v2`: the configured public address, else the host the client reached. */
function baseUrl(event: APIGatewayProxyEventV2, deps: Pick<Open311HandlerDeps, 'endpointUrl'>): string {
  if (deps.endpointUrl) return deps.endpointUrl.replace(/\/+$/, '');
  const host = event.headers.host ?? event.requestContext.domainName;
  const local = /^(127\.0\.0\.1|localhost)(:\d+)?$/.test(host);
  return `${local ? 'http' : 'https'}://${host}${OPEN311_BASE_PATH}`;
}

/** `https://host`, where the public result photos' redirects are (media_url). */
const siteOrigin = (event: APIGatewayProxyEventV2, deps: Pick<Open311HandlerDeps, 'endpointUrl'>): string =>
  new URL(baseUrl(event, deps)).origin;

const discovery = (event: APIGatewayProxyEventV2, deps: Open311HandlerDeps) => ({
  changeset: CHANGESET,
  contact: 'Pingyao County comprehensive-governance centre (平遥县综治中心)',
  key_service: 'API keys for POST requests are issued by the county centre administrator',
  endpoints: [
    {
      specification: SPEC_URL,
      url: baseUrl(event, deps),
      changeset: CHANGESET,
      type: 'production',
      formats: ['text/xml', 'application/json'],
    },
  ],
});

const lang = (event: APIGatewayProxyEventV2) => (event.queryStringParameters?.lang === 'en' ? 'en' : 'zh');

/** `road.json` → `road`, for the one-segment routes whose format is the file's extension. */
function fileName(event: APIGatewayProxyEventV2): string {
  const file = event.pathParameters?.file ?? '';
  return file.replace(/\.(json|xml)$/, '');
}

const routes: RouteTable<(request: Open311Request) => Promise<Answer>> = {
  'GET /open311/v2/discovery.{format}': async ({ event, deps }) => ({
    root: 'discovery',
    body: discovery(event, deps),
  }),
  'GET /open311/v2/services.{format}': async ({ event }) => ({
    root: 'services',
    body: listServices(event.queryStringParameters?.jurisdiction_id, lang(event)),
  }),
  'GET /open311/v2/services/{file}': async ({ event, deps }) => ({
    root: 'service_definition',
    body: await getServiceDefinition(
      fileName(event),
      event.queryStringParameters?.jurisdiction_id,
      lang(event),
      deps,
    ),
  }),
  'GET /open311/v2/requests.{format}': async ({ event, deps }) => {
    const params = query(event);
    const page = await listServiceRequests(params, { ...deps, siteOrigin: siteOrigin(event, deps) });
    const next = page.cursor
      ? `<${baseUrl(event, deps)}/${event.rawPath.split('/').at(-1)}?${new URLSearchParams({ ...params, cursor: page.cursor })}>; rel="next"`
      : undefined;
    return { root: 'service_requests', body: page.requests, ...(next ? { headers: { link: next } } : {}) };
  },
  'GET /open311/v2/requests/{file}': async ({ event, deps }) => ({
    root: 'service_requests',
    body: await getServiceRequest(fileName(event), query(event), {
      ...deps,
      siteOrigin: siteOrigin(event, deps),
    }),
  }),
  'POST /open311/v2/requests.{format}': async ({ event, deps }) => {
    const receipt = await submitServiceRequest(
      {
        form: readRequestBody(event),
        rawBody: event.body ?? '',
        ...(event.headers['idempotency-key'] ? { idempotencyKey: event.headers['idempotency-key'] } : {}),
      },
      deps,
    );
    deps.logger.info('open311 request queued', { trackingCode: receipt.service_request_id });
    return { root: 'service_requests', body: [receipt] };
  },
};

/**
 * The route key with the format folded in: API Gateway's route is `/open311/v2/services.json`
 * (one per format, as a path variable must be a whole segment), the table's `services.{format}`.
 */
function routeKeyOf(event: APIGatewayProxyEventV2): { key: string; format: Format | undefined } {
  const match = /^(GET|POST) (\/open311\/v2\/[a-z_]+)\.(json|xml)$/.exec(event.routeKey);
  if (match) {
    const [, method, path, format] = match;
    return { key: `${method} ${path}.{format}`, format: format === 'xml' ? 'xml' : 'json' };
  }
  const file = event.pathParameters?.file ?? '';
  const format = /\.(json|xml)$/.exec(file)?.[1];
  return { key: event.routeKey, format: format === 'xml' ? 'xml' : format === 'json' ? 'json' : undefined };
}

const contentType = (format: Format) =>
  format === 'xml' ? 'text/xml; charset=utf-8' : 'application/json; charset=utf-8';

function render(
  format: Format,
  statusCode: number,
  root: string,
  body: unknown,
  headers: Record<string, string>,
) {
  return {
    statusCode,
    headers: {
      'content-type': contentType(format),
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      ...headers,
    },
    body: format === 'xml' ? georeportXml(root, body) : JSON.stringify(body),
  };
}

/** The spec's error list: one entry per bad field, else one for the whole request. */
function errorAnswer(error: unknown, format: Format, logger: Logger): HttpResponse {
  const { statusCode } = toHttpError(error);
  if (statusCode >= 500) logger.error('open311 request failed', { error });
  const errors: Open311Error[] =
    statusCode >= 500
      ? [{ code: statusCode, description: 'Something went wrong on our side. Please try again.' }]
      : error instanceof ValidationError && error.issues.length > 0
        ? error.issues.map((issue) => ({
            code: statusCode,
            description: issue.path ? `${issue.path}: ${issue.message}` : issue.message,
          }))
        : [{ code: statusCode, description: error instanceof Error ? error.message : 'The request failed' }];
  return render(format, statusCode, 'errors', errors, {
    'cache-control': 'no-store',
    'access-control-allow-origin': '*',
    ...(error instanceof RateLimitedError ? { 'retry-after': String(error.retryAfterSeconds) } : {}),
  });
}

export const makeHandler = (deps: Open311HandlerDeps) =>
  middy<APIGatewayProxyEventV2, HttpResponse>()
    .use(httpEdge({ logger: deps.logger }))
    .handler(async (event) => {
      const { key, format } = routeKeyOf(event);
      try {
        // Here rather than as middleware, so a 413 is in the spec's error list too.
        assertBodyWithin(event, MAX_BODY_BYTES);
        if (format === undefined) {
          throw new NotFoundError('Add the format to the resource: .json or .xml');
        }
        const route = routeFor(routes, key, (k) => new NotFoundError(`No Open311 resource ${k}`));
        const answer = await route({ event, format, deps });
        const read = event.requestContext.http.method === 'GET';
        return render(format, answer.status ?? 200, answer.root, answer.body, {
          'cache-control': read ? 'public, max-age=60' : 'no-store',
          'access-control-allow-origin': '*',
          ...answer.headers,
        });
      } catch (error) {
        return errorAnswer(error, format ?? 'json', deps.logger);
      }
    });

export const handler = onFirstInvocation(() =>
  makeHandler({ logger: createLogger('open311'), ...open311Services() }),
);
