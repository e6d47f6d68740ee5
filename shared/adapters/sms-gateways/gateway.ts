/**
 * What every inbound SMS gateway parser returns: the messages in the provider's payload, already
 * normalised to `InboundSms`, and the exact answer the provider expects. The answer matters:
 * Aliyun and Tencent keep retrying (and eventually disable the callback) until they see it.
 */
import type { InboundSms } from '../../domain/sms/inbound-sms.ts';
import type { HttpResponse } from '../../http/responses.ts';

export interface GatewayAnswer {
  statusCode: 200;
  contentType: string;
  body: string;
}

export interface GatewayResult {
  messages: InboundSms[];
  answer: GatewayAnswer;
}

export const jsonAnswer = (value: unknown): GatewayAnswer => ({
  statusCode: 200,
  contentType: 'application/json; charset=utf-8',
  body: JSON.stringify(value),
});

/** The answer as the HTTP API response a gateway function returns, byte for byte what the provider expects. */
export const toHttpResponse = (answer: GatewayAnswer): HttpResponse => ({
  statusCode: answer.statusCode,
  headers: { 'content-type': answer.contentType, 'cache-control': 'no-store' },
  body: answer.body,
});
