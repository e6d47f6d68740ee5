/**
 * Inbound SMS over HTTP, for the gateways residents' texts usually come through in mainland China
 * and for Twilio-compatible services:
 *   POST /api/sms/inbound/aliyun/{secret}   Aliyun SmsUp push (unsigned: path secret + source allow-list)
 *   POST /api/sms/inbound/tencent/{secret}  Tencent Cloud reply callback (same protection)
 *   POST /api/sms/inbound/twilio            Twilio webhook, X-Twilio-Signature verified
 * Anything else is 403. Each message goes through the same idempotent service as the SNS path,
 * each on its own; the provider gets the exact answer it expects when every message is finished,
 * and a 503 asking it to deliver again when any is not.
 *
 * Why the whole request, and why a message another delivery is processing counts as unfinished:
 * - None of these protocols acknowledges messages one by one. Aliyun's SmsUp push (a JSON array)
 *   is accepted by HTTP 200 and retried whole on anything else or on a timeout (after 1, 5 and
 *   10 minutes, then dropped; "SmsUp → HTTP批量推送模式"); Tencent's callback and Twilio's webhook
 *   carry one message (Tencent may batch, and is answered the same way). So the only way to have
 *   a failed message delivered again is to fail the request; the messages of it that were
 *   finished are recognised on the retry and skipped, so nobody gets a second reply, and the
 *   others were not held back: every message is processed whatever happened to the one before.
 *   Twilio retries a 5xx only when its retry policy says so (the webhook URL's connection
 *   overrides, or a Webhooks setting retrying on HTTP_5XX), within its 15-second budget.
 * - A gateway retries because it gave up waiting for an answer (Aliyun waits well under a
 *   second), so the answer to the delivery still at work never reaches it. Acknowledging the
 *   retry would lose the message if that delivery then failed; a 503 brings it back a minute
 *   later, when it is finished (and skipped) or its lease has lapsed (and it is taken over).
 * A message that keeps failing is dropped by Aliyun after its last retry; the failures are in
 * the function's error log ("sms not handled", with provider and message id, no content).
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { parseAliyunPush } from '../shared/adapters/sms-gateways/aliyun.ts';
import { type GatewayResult, toHttpResponse } from '../shared/adapters/sms-gateways/gateway.ts';
import {
  checkGatewaySecret,
  checkSourceAllowed,
  parseAllowList,
} from '../shared/adapters/sms-gateways/protection.ts';
import { parseTencentReply } from '../shared/adapters/sms-gateways/tencent.ts';
import { parseTwilioWebhook, verifyTwilioSignature } from '../shared/adapters/sms-gateways/twilio.ts';
import { ForbiddenError, NotFoundError } from '../shared/errors.ts';
import { clientAddress } from '../shared/http/edge-origin.ts';
import { httpEdge } from '../shared/http/http-edge.ts';
import { limitBodySize, readRequestBody } from '../shared/http/request-body.ts';
import type { HttpResponse } from '../shared/http/responses.ts';
import { type RouteTable, routeFor } from '../shared/http/route-table.ts';
import { createLogger, logEffectFailure } from '../shared/logger.ts';
import * as z from '../shared/schema.ts';
import {
  type ReceiveSmsDeps,
  receiveSmsBatch,
  requireAllFinished,
  type SmsDeliveryResult,
} from '../shared/services/receive-sms.ts';
import { parseOrThrow } from '../shared/validation.ts';
import { onFirstInvocation } from './wiring/on-first-invocation.ts';
import { type GatewayServices, gatewayServices, sendSmsServices } from './wiring/sms.ts';

export interface SmsWebhooksDeps extends ReceiveSmsDeps, GatewayServices {
  logger: Logger;
}

const TwilioForm = z.record(z.string(), z.union([z.string(), z.array(z.string())]));
const refused = () => new ForbiddenError('Not accepted from here');

function guardUnsigned(event: APIGatewayProxyEventV2, secret: string, allowList: string): void {
  // Behind CloudFront the TCP peer is an edge server; the gateway's address is the viewer's.
  const fromAllowedSource = checkSourceAllowed(clientAddress(event), parseAllowList(allowList));
  if (!checkGatewaySecret(event.pathParameters?.secret, secret) || !fromAllowedSource) throw refused();
}

function twilioUrl(event: APIGatewayProxyEventV2, configured: string): string {
  if (configured) return configured;
  const proto = event.headers['x-forwarded-proto'] ?? 'https';
  const query = event.rawQueryString ? `?${event.rawQueryString}` : '';
  return `${proto}://${event.headers.host ?? event.requestContext.domainName}${event.rawPath}${query}`;
}

function logResult(logger: Logger, result: SmsDeliveryResult): void {
  const ids = { provider: result.sms.provider, messageId: result.sms.providerMessageId };
  if (result.status === 'failed') logger.error('sms not handled', { ...ids, error: result.error });
  else if (result.status === 'in_progress') logger.info('sms being handled by another delivery', ids);
  else if (result.outcome === 'reply_unconfirmed')
    logger.warn('sms finished without resending a reply that may not have gone out', ids);
  else logger.info('sms handled', { ...ids, outcome: result.outcome });
}

/** Each gateway's protection and parsing: the messages to receive and the answer it expects. */
type Gateway = (event: APIGatewayProxyEventV2, deps: SmsWebhooksDeps) => Promise<GatewayResult>;
const gateways: RouteTable<Gateway> = {
  'POST /api/sms/inbound/aliyun/{secret}': async (event, deps) => {
    guardUnsigned(event, await deps.gatewaySecret(), deps.settings.SMS_ALLOWLIST_ALIYUN);
    return parseAliyunPush(readRequestBody(event));
  },
  'POST /api/sms/inbound/tencent/{secret}': async (event, deps) => {
    guardUnsigned(event, await deps.gatewaySecret(), deps.settings.SMS_ALLOWLIST_TENCENT);
    return parseTencentReply(readRequestBody(event));
  },
  'POST /api/sms/inbound/twilio': async (event, deps) => {
    const params = parseOrThrow(TwilioForm, readRequestBody(event), 'The webhook');
    const signature = event.headers['x-twilio-signature'];
    if (
      !verifyTwilioSignature(
        twilioUrl(event, deps.settings.TWILIO_WEBHOOK_URL),
        params,
        signature,
        await deps.twilioAuthToken(),
      )
    ) {
      throw refused();
    }
    return parseTwilioWebhook(params, new Date(event.requestContext.timeEpoch));
  },
};

export const makeHandler = (deps: SmsWebhooksDeps) =>
  middy<APIGatewayProxyEventV2, HttpResponse>()
    .use(httpEdge({ logger: deps.logger }))
    .use(limitBodySize(64 * 1024))
    .handler(async (event) => {
      const gateway = routeFor(
        gateways,
        event.routeKey,
        (key) => new NotFoundError(`No SMS gateway at ${key}`),
      );
      const result = await gateway(event, deps);
      const results = await receiveSmsBatch(result.messages, deps);
      for (const delivery of results) logResult(deps.logger, delivery);
      // Throws a DependencyError, which the edge answers with 503: deliver it again.
      requireAllFinished(results, { holderRetriedOnItsOwn: false });
      return toHttpResponse(result.answer);
    });

export const handler = onFirstInvocation(() => {
  const logger = createLogger('sms-webhooks');
  return makeHandler({
    logger,
    ...sendSmsServices(),
    ...gatewayServices(),
    onEffectFailed: (trackingCode, entry, outcome, error) =>
      logEffectFailure(logger, { trackingCode, entry, outcome, error }),
  });
});
