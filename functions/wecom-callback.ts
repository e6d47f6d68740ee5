/**
 * The civicloop app's callback URL in WeChat Work (企业微信 / 政务微信, issue 16):
 *   GET  /api/wecom/callback  URL verification: msg_signature checked, echostr decrypted and
 *                             answered as plain text, as the platform requires to save the URL
 *   POST /api/wecom/callback  a grid worker's message: verified, decrypted, its receiver and
 *                             timestamp checked, a replay refused, then acknowledged with an empty
 *                             200 within the platform's five seconds (shared/services/receive-wecom.ts)
 * A callback refused for its signature, receiver, timestamp (403) or its XML (400) is answered
 * with the reason as the error code and logged with the reason only: nothing of it is stored.
 * A failure of ours is a 503, which the platform retries (three times).
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { NotFoundError } from '../shared/errors.ts';
import { httpEdge } from '../shared/http/http-edge.ts';
import { limitBodySize } from '../shared/http/request-body.ts';
import { errorResponse, type HttpResponse } from '../shared/http/responses.ts';
import { type RouteTable, routeFor } from '../shared/http/route-table.ts';
import { createLogger } from '../shared/logger.ts';
import {
  CallbackQuery,
  type ReceiveWecomDeps,
  receiveWecomCallback,
  VerificationQuery,
  verifyCallbackUrl,
  WecomCallbackRefusedError,
} from '../shared/services/receive-wecom.ts';
import { parseOrThrow } from '../shared/validation.ts';
import { onFirstInvocation } from './wiring/on-first-invocation.ts';
import { wecomCallbackServices } from './wiring/wecom.ts';

export interface WecomCallbackHandlerDeps extends ReceiveWecomDeps {
  logger: Logger;
}

/** Callbacks are small XML documents; a long text appeal is a few KB. */
const MAX_BODY_BYTES = 32 * 1024;

const plainText = (body: string): HttpResponse => ({
  statusCode: 200,
  headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
  body,
});

const bodyOf = (event: APIGatewayProxyEventV2): string =>
  event.body === undefined
    ? ''
    : event.isBase64Encoded
      ? Buffer.from(event.body, 'base64').toString('utf8')
      : event.body;

type Route = (event: APIGatewayProxyEventV2, deps: WecomCallbackHandlerDeps) => Promise<HttpResponse>;

const routes: RouteTable<Route> = {
  'GET /api/wecom/callback': async (event, deps) => {
    const query = parseOrThrow(
      VerificationQuery,
      event.queryStringParameters ?? {},
      'The verification query',
    );
    const echo = await verifyCallbackUrl(query, deps);
    deps.logger.info('wecom url verified');
    return plainText(echo);
  },
  'POST /api/wecom/callback': async (event, deps) => {
    const query = parseOrThrow(CallbackQuery, event.queryStringParameters ?? {}, 'The callback query');
    const outcome = await receiveWecomCallback(query, bodyOf(event), deps);
    deps.logger.info('wecom callback handled', { outcome });
    // An empty 200: received, and no passive reply (the answer goes out as an app message).
    return plainText('');
  },
};

/** The refusal as the platform (and whoever probes the URL) sees it: the reason, no content. */
function refusal(error: WecomCallbackRefusedError, logger: Logger): HttpResponse {
  const ours = error.reason === 'bad_aes_key';
  if (ours) logger.error('wecom callback key misconfigured', { reason: error.reason });
  else logger.warn('wecom callback refused', { reason: error.reason });
  if (ours)
    return errorResponse(500, { code: 'internal', message: 'The callback cannot be checked right now.' });
  const malformed = ['malformed_xml', 'undecryptable', 'bad_plaintext'].includes(error.reason);
  return errorResponse(malformed ? 400 : 403, {
    code: error.reason,
    message: malformed ? 'The callback body could not be read.' : 'The callback was refused.',
  });
}

export const makeHandler = (deps: WecomCallbackHandlerDeps) =>
  middy<APIGatewayProxyEventV2, HttpResponse>()
    .use(httpEdge({ logger: deps.logger }))
    .use(limitBodySize(MAX_BODY_BYTES))
    .handler(async (event) => {
      const route = routeFor(
        routes,
        event.routeKey,
        (key) => new NotFoundError(`No WeChat Work route at ${key}`),
      );
      try {
        return await route(event, deps);
      } catch (error) {
        if (error instanceof WecomCallbackRefusedError) return refusal(error, deps.logger);
        throw error;
      }
    });

export const handler = onFirstInvocation(() =>
  makeHandler({ logger: createLogger('wecom-callback'), ...wecomCallbackServices() }),
);
