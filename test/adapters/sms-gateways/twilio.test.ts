/**
 * Twilio-compatible webhooks: our node:crypto signature check against the real `twilio`
 * package's own helpers, and the parser against the fields Twilio documents for incoming
 * messages ("TwiML for Programmable Messaging" → "Twilio's request to your application").
 */
import twilio from 'twilio';
import { describe, expect, it } from 'vitest';
import {
  EMPTY_TWIML,
  parseTwilioWebhook,
  twilioSignature,
  verifyTwilioSignature,
} from '../../../shared/adapters/sms-gateways/twilio.ts';
import { ValidationError } from '../../../shared/errors.ts';

const authToken = '12345';
const url = 'https://api.civicloop.example/api/sms/inbound/twilio?county=demo';
// The fields of Twilio's documented incoming-message request (values illustrative).
const params = {
  ToCountry: 'US',
  ToState: 'CA',
  SmsMessageSid: 'SM1234567890abcdef1234567890abcdef',
  NumMedia: '0',
  ToCity: 'SAN FRANCISCO',
  FromZip: '94105',
  SmsSid: 'SM1234567890abcdef1234567890abcdef',
  FromState: 'CA',
  SmsStatus: 'received',
  FromCity: 'SAN FRANCISCO',
  Body: '路灯坏了 Street light out',
  FromCountry: 'US',
  To: '+14155550100',
  ToZip: '94105',
  NumSegments: '1',
  MessageSid: 'SM1234567890abcdef1234567890abcdef',
  AccountSid: 'AC1234567890abcdef1234567890abcdef',
  From: '+14155550199',
  ApiVersion: '2010-04-01',
};

describe('verifyTwilioSignature', () => {
  const signed = twilio.getExpectedTwilioSignature(authToken, url, params);

  it('computes exactly what the twilio package computes', () => {
    expect(twilioSignature(url, params, authToken)).toBe(signed);
  });

  it('accepts what twilio signed, and twilio accepts what we sign', () => {
    expect(verifyTwilioSignature(url, params, signed, authToken)).toBe(true);
    expect(twilio.validateRequest(authToken, twilioSignature(url, params, authToken), url, params)).toBe(
      true,
    );
  });

  it('agrees with twilio on repeated parameters', () => {
    const repeated = { ...params, MediaUrl: ['https://b.example/2', 'https://a.example/1'] };
    const signature = twilio.getExpectedTwilioSignature(authToken, url, repeated);
    expect(verifyTwilioSignature(url, repeated, signature, authToken)).toBe(true);
  });

  it.each([
    ['a tampered body', url, { ...params, Body: 'Street light out!' }, authToken],
    ['an added parameter', url, { ...params, Extra: '1' }, authToken],
    ['a different sender', url, { ...params, From: '+14155550198' }, authToken],
    ['a different URL', url.replace('county=demo', 'county=other'), params, authToken],
    ['a different host', url.replace('api.civicloop', 'evil'), params, authToken],
    ['a different token', url, params, '54321'],
  ])('rejects %s', (_what, u, p, token) => {
    expect(verifyTwilioSignature(u, p, signed, token)).toBe(false);
    expect(twilio.validateRequest(token, signed, u, p)).toBe(false);
  });

  it('rejects a missing or malformed signature and an empty token', () => {
    expect(verifyTwilioSignature(url, params, undefined, authToken)).toBe(false);
    expect(verifyTwilioSignature(url, params, '', authToken)).toBe(false);
    expect(verifyTwilioSignature(url, params, `${signed}x`, authToken)).toBe(false);
    const unkeyed = twilio.getExpectedTwilioSignature('', url, params);
    expect(verifyTwilioSignature(url, params, unkeyed, '')).toBe(false);
  });
});

describe('parseTwilioWebhook', () => {
  it('maps the documented fields and answers with empty TwiML', () => {
    const { messages, answer } = parseTwilioWebhook(params, '2026-11-29T08:30:00Z');
    expect(messages).toEqual([
      {
        provider: 'twilio',
        providerMessageId: 'SM1234567890abcdef1234567890abcdef',
        from: '+14155550199',
        to: '+14155550100',
        body: '路灯坏了 Street light out',
        receivedAt: '2026-11-29T08:30:00.000Z',
      },
    ]);
    expect(answer).toEqual({ statusCode: 200, contentType: 'text/xml; charset=utf-8', body: EMPTY_TWIML });
    expect(answer.body).toContain('<Response></Response>');
  });

  it.each([
    ['From', { ...params, From: '4155550199' }],
    ['MessageSid', { ...params, MessageSid: undefined }],
    ['Body', { ...params, Body: ['a', 'b'] }],
  ])('names the bad field %s', (path, body) => {
    try {
      parseTwilioWebhook(body, new Date());
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect(error instanceof ValidationError && error.issues.map((i) => i.path)).toContain(path);
    }
  });
});
