/**
 * Twilio-compatible SMS webhooks (also spoken by several Twilio look-alike gateways): a form post
 * with From, To, Body and MessageSid, signed in X-Twilio-Signature. The signature is checked
 * here with node:crypto as Twilio documents it ("Webhooks security" → "Validating signatures from
 * Twilio"): HMAC-SHA1, keyed with the auth token, over the full URL followed by every POST
 * parameter name and value in name order, base64-encoded. The answer is an empty TwiML document:
 * replies go out separately through the SmsSender, so they are idempotent and audited.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { InboundSms } from '../../domain/sms/inbound-sms.ts';
import * as z from '../../schema.ts';
import { parseOrThrow } from '../../validation.ts';
import type { GatewayResult } from './gateway.ts';

/** A form post as `readRequestBody` returns it: repeated names become arrays. */
export type TwilioParams = Record<string, string | string[]>;

const paramData = (name: string, value: string | string[]): string =>
  // Twilio's own helper signs a repeated parameter once per distinct value, values sorted.
  Array.isArray(value)
    ? [...new Set(value)]
        .sort()
        .map((v) => name + v)
        .join('')
    : name + value;

export function twilioSignature(url: string, params: TwilioParams, authToken: string): string {
  // Sorted by code unit, as Twilio's helpers sort (Array.prototype.sort), not by locale.
  const data = Object.keys(params)
    .sort()
    .reduce((acc, name) => acc + paramData(name, params[name] ?? ''), url);
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
}

/**
 * True when `signature` is Twilio's signature of this request. `url` must be exactly the URL
 * configured in Twilio (scheme, host, port, path and query string as Twilio sent them).
 */
export function verifyTwilioSignature(
  url: string,
  params: TwilioParams,
  signature: string | undefined,
  authToken: string,
): boolean {
  // Without a token every signature would be computable by anyone: fail closed.
  if (!signature || !authToken) return false;
  const expected = Buffer.from(twilioSignature(url, params, authToken), 'utf8');
  const given = Buffer.from(signature, 'utf8');
  // The length of a base64 SHA-1 is public (28); only the content needs a constant-time compare.
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const single = (name: string) =>
  z.union(
    [
      z.string(),
      z.pipe(
        z.array(z.string()).check(z.length(1)),
        z.transform((v: string[]) => v[0] ?? ''),
      ),
    ],
    {
      error: `${name} must be given once`,
    },
  );

const TwilioWebhook = z.object({
  MessageSid: z.pipe(single('MessageSid'), z.string().check(z.minLength(1), z.maxLength(200))),
  From: z.pipe(single('From'), z.string().check(z.regex(/^\+[1-9]\d{7,14}$/, 'must be an E.164 number'))),
  To: z.pipe(single('To'), z.string().check(z.maxLength(64))),
  Body: z.pipe(single('Body'), z.string().check(z.maxLength(5000))),
});

export const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';

/** Call only after `verifyTwilioSignature`; `receivedAt` because the webhook carries no time. */
export function parseTwilioWebhook(params: unknown, receivedAt: Date | string): GatewayResult {
  const webhook = parseOrThrow(TwilioWebhook, params, 'The Twilio webhook');
  const message = InboundSms.parse({
    provider: 'twilio',
    providerMessageId: webhook.MessageSid,
    from: webhook.From,
    to: webhook.To,
    body: webhook.Body,
    receivedAt: new Date(receivedAt).toISOString(),
  });
  return {
    messages: [message],
    answer: { statusCode: 200, contentType: 'text/xml; charset=utf-8', body: EMPTY_TWIML },
  };
}
