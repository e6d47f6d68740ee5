/**
 * GET /api/openapi.json — the OpenAPI 3.1 description of the own API
 * (shared/http/openapi/openapi-document.ts), for a partner's or a department's developers and
 * their tools. Public and cacheable: it describes routes, never data. Generated from the zod
 * schemas once per container, on the first request (about 30 ms), then served from memory with a
 * strong ETag, so a client revalidating gets 304 without the 100 KB.
 */
import { createHash } from 'node:crypto';
import type { Logger } from '@aws-lambda-powertools/logger';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { httpEdge } from '../shared/http/http-edge.ts';
import { buildOpenApiDocument } from '../shared/http/openapi/openapi-document.ts';
import type { HttpResponse } from '../shared/http/responses.ts';
import { createLogger } from '../shared/logger.ts';
import { onFirstInvocation } from './wiring/on-first-invocation.ts';

export interface OpenApiHandlerDeps {
  logger: Logger;
}

/** An hour: the document changes only with a deployment, and the ETag makes a stale copy cheap to renew. */
const CACHE_CONTROL = 'public, max-age=3600';

interface Served {
  body: string;
  etag: string;
}

export const makeHandler = (deps: OpenApiHandlerDeps) => {
  let served: Served | undefined;
  const document = (): Served => {
    if (!served) {
      const body = JSON.stringify(buildOpenApiDocument());
      served = { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
    }
    return served;
  };
  return middy<APIGatewayProxyEventV2, HttpResponse>()
    .use(httpEdge({ logger: deps.logger }))
    .handler(async (event) => {
      const { body, etag } = document();
      const headers = {
        'cache-control': CACHE_CONTROL,
        etag,
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
      };
      if (event.headers['if-none-match'] === etag) return { statusCode: 304, headers, body: '' };
      return {
        statusCode: 200,
        headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
        body,
      };
    });
};

export const handler = onFirstInvocation(() => makeHandler({ logger: createLogger('get-openapi') }));
