/**
 * Inbound SMS over HTTP, for the gateways residents' texts usually come through in mainland China
 * and for Twilio-compatible services:
 *   POST /api/sms/inbound/aliyun/{secret}   Aliyun SmsUp push (unsigned: path secret + source allow-list)
 *   POST /api/sms/inbound/tencent/{secret}  Tencent Cloud reply callback (same protection)
 *   POST /api/sms/inbound/twilio            Twilio webhook, X-Twilio-Signature verified
 * Anything else is 403. Each message goes through the same idempotent service as the SNS path;
 * the provider gets the exact answer it expects.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import * as z from 'zod';
import { parseAliyunPush } from '../shared/adapters/sms-gateways/aliyun.ts';
import { type GatewayResult, toHttpResponse } from '../shared/adapters/sms-gateways/gateway.ts';
import {
  checkGatewaySecret,
  checkSourceAllowed,
  parseAllowList,
} from '../shared/adapters/sms-gateways/protection.ts';
import { parseTencentReply } from '../shared/adapters/sms-gateways/tencent.ts';
import { parseTwilioWebhook, verifyTwilioSignature } from '../shared/adapters/sms-gateways/twilio.ts';
import { sendSmsServices } from '../shared/adapters/sms-services.ts';
import { loadConfig } from '../shared/config.ts';
import { ForbiddenError, NotFoundError } from '../shared/errors.ts';
import { httpEdge } from '../shared/http/http-edge.ts';
import { limitBodySize, readRequestBody } from '../shared/http/request-body.ts';
import type { HttpResponse } from '../shared/http/responses.ts';
import { createLogger } from '../shared/logger.ts';
import { type ReceiveSmsDeps, receiveSms } from '../shared/services/receive-sms.ts';
import { parseOrThrow } from '../shared/validation.ts';

export const GatewaySettings = z.object({
  SMS_GATEWAY_SECRET: z.string().default(''),
  SMS_ALLOWLIST_ALIYUN: z.string().default(''),
  SMS_ALLOWLIST_TENCENT: z.string().default(''),
  TWILIO_AUTH_TOKEN: z.string().default(''),
  /** The exact URL configured in Twilio; when empty, rebuilt from the request. */
  TWILIO_WEBHOOK_URL: z.string().default(''),
});
export type GatewaySettings = z.infer<typeof GatewaySettings>;

export interface SmsWebhooksDeps extends ReceiveSmsDeps {
  logger: Logger;
  settings: GatewaySettings;
}

const TwilioForm = z.record(z.string(), z.union([z.string(), z.array(z.string())]));
const refused = () => new ForbiddenError('Not accepted from here');

function guardUnsigned(event: APIGatewayProxyEventV2, secret: string, allowList: string): void {
  const fromAllowedSource = checkSourceAllowed(event.requestContext.http.sourceIp, parseAllowList(allowList));
  if (!checkGatewaySecret(event.pathParameters?.secret, secret) || !fromAllowedSource) throw refused();
}

function twilioUrl(event: APIGatewayProxyEventV2, configured: string): string {
  if (configured) return configured;
  const proto = event.headers['x-forwarded-proto'] ?? 'https';
  const query = event.rawQueryString ? `?${event.rawQueryString}` : '';
  return `${proto}://${event.headers.host ?? event.requestContext.domainName}${event.rawPath}${query}`;
}

export const makeHandler = (deps: SmsWebhooksDeps) =>
  middy<APIGatewayProxyEventV2, HttpResponse>()
    .use(httpEdge({ logger: deps.logger }))
    .use(limitBodySize(64 * 1024))
    .handler(async (event) => {
      const { settings } = deps;
      let result: GatewayResult;
      switch (event.routeKey) {
        case 'POST /api/sms/inbound/aliyun/{secret}':
          guardUnsigned(event, settings.SMS_GATEWAY_SECRET, settings.SMS_ALLOWLIST_ALIYUN);
          result = parseAliyunPush(readRequestBody(event));
          break;
        case 'POST /api/sms/inbound/tencent/{secret}':
          guardUnsigned(event, settings.SMS_GATEWAY_SECRET, settings.SMS_ALLOWLIST_TENCENT);
          result = parseTencentReply(readRequestBody(event));
          break;
        case 'POST /api/sms/inbound/twilio': {
          const params = parseOrThrow(TwilioForm, readRequestBody(event), 'The webhook');
          const signature = event.headers['x-twilio-signature'];
          if (
            !verifyTwilioSignature(
              twilioUrl(event, settings.TWILIO_WEBHOOK_URL),
              params,
              signature,
              settings.TWILIO_AUTH_TOKEN,
            )
          ) {
            throw refused();
          }
          result = parseTwilioWebhook(params, new Date(event.requestContext.timeEpoch));
          break;
        }
        default:
          throw new NotFoundError(`No SMS gateway at ${event.routeKey}`);
      }
      for (const sms of result.messages) {
        const outcome = await receiveSms(sms, deps);
        deps.logger.info('sms handled', {
          provider: sms.provider,
          messageId: sms.providerMessageId,
          outcome,
        });
      }
      return toHttpResponse(result.answer);
    });

export const handler = makeHandler({
  logger: createLogger('sms-webhooks'),
  settings: loadConfig(GatewaySettings),
  ...sendSmsServices(),
});
