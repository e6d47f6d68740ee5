/**
 * Receiving texts, the parts that are not one message's answer: how long a delivery owns a
 * message, which sender failures certainly sent nothing, and how the messages of one push are
 * processed (each on its own, one phone's in order, different phones' at once) and reported.
 */
import { createHash } from 'node:crypto';
import { ThrottlingException } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendSmsServices } from '../../functions/wiring/sms.ts';
import { topology } from '../../infra/topology.ts';
import { DynamoDbSmsState } from '../../shared/adapters/dynamodb-sms-state.ts';
import { LocalOutbox } from '../../shared/adapters/local-outbox.ts';
import type { InboundSms } from '../../shared/domain/sms/inbound-sms.ts';
import { DependencyError } from '../../shared/errors.ts';
import type { SmsSender } from '../../shared/ports/sms-sender.ts';
import {
  INBOX_LEASE_MS,
  idsForMessage,
  type ReceiveSmsDeps,
  receiveSmsBatch,
  requireAllFinished,
  SmsRedeliveryNeededError,
  sendDefinitelyFailed,
} from '../../shared/services/receive-sms.ts';
import { type EmulatedTables, emulatedTables } from '../support/emulated-tables.ts';

/** The SMS functions' configuration as the topology binds it; no table or queue here is reached. */
const smsEnv: NodeJS.ProcessEnv = {
  CASES_TABLE: 'test-cases',
  DIRECTORY_TABLE: 'test-directory',
  STATS_TABLE: 'test-stats',
  SMS_TABLE: 'test-sms',
  SEARCH_TABLE: 'test-search',
  HOUSEHOLDS_TABLE: 'test-households',
  CLASSIFIER_TABLE: 'test-classifier',
  SMS_ORIGINATION_IDENTITY: 'local-outbox',
  INTAKE_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/000000000000/test-intake',
  UNIT_QUEUE_URLS: '{}',
  TRACKING_CODE_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:test-tracking-code-AbCdEf',
};

describe('the inbox lease', () => {
  it('outlives any invocation of the functions that take it', () => {
    for (const name of ['receive-sms', 'sms-webhooks']) {
      const fn = topology.functions.find((f) => f.name === name);
      expect(fn, name).toBeDefined();
      expect(INBOX_LEASE_MS).toBeGreaterThan((fn?.timeoutSeconds ?? Number.POSITIVE_INFINITY) * 1000);
    }
  });
});

describe('idsForMessage', () => {
  const sms = (providerMessageId: string): InboundSms => ({
    provider: 'aliyun',
    providerMessageId,
    from: '+8613900000401',
    to: '1069',
    body: '路灯坏了',
    receivedAt: '2026-12-01T02:00:00.000Z',
  });
  const secret = 'a-server-side-secret-of-32-chars!';

  it('gives a message the same tracking code and submission id every time it is delivered', () => {
    expect(idsForMessage(sms('1000042'), secret)).toEqual(idsForMessage(sms('1000042'), secret));
    expect(idsForMessage(sms('1000042'), secret).trackingCode).toMatch(/^[0-9A-HJKMNP-TV-Z]{9}$/);
    expect(idsForMessage(sms('1000042'), secret).submissionId).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  it('cannot be computed from the provider id alone: the code is keyed with the server secret', () => {
    const withOther = idsForMessage(sms('1000042'), 'another-secret-of-thirty-two-chars');
    expect(withOther.trackingCode).not.toBe(idsForMessage(sms('1000042'), secret).trackingCode);
    // Not the unkeyed SHA-256 of the id, which is what anyone could compute offline.
    const unkeyed = createHash('sha256').update('aliyun:1000042').digest();
    const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
    const offline = [...unkeyed.subarray(0, 9)].map((b) => CROCKFORD[b & 31]).join('');
    expect(idsForMessage(sms('1000042'), secret).trackingCode).not.toBe(offline);
    // Serial ids give unrelated codes.
    const codes = new Set(
      ['1000042', '1000043', '1000044'].map((id) => idsForMessage(sms(id), secret).trackingCode),
    );
    expect(codes.size).toBe(3);
  });

  it('is a secret the SMS functions are given by ARN: a missing or malformed ARN fails the cold start, named, not shown', () => {
    const valueInstead = { ...smsEnv, TRACKING_CODE_SECRET_ARN: secret };
    expect(() => sendSmsServices(valueInstead)).toThrow(/TRACKING_CODE_SECRET_ARN/);
    expect(() => sendSmsServices(valueInstead)).not.toThrow(secret);
    expect(() => sendSmsServices({ ...smsEnv, TRACKING_CODE_SECRET_ARN: undefined })).toThrow(
      /TRACKING_CODE_SECRET_ARN/,
    );
    // Built without reading it: the value is fetched when a report needs a code.
    expect(typeof sendSmsServices(smsEnv).trackingCodeSecret).toBe('function');
  });
});

describe('sendDefinitelyFailed', () => {
  it('trusts an error answer from the provider, wrapped or not', () => {
    const refused = new ThrottlingException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 429 } });
    expect(sendDefinitelyFailed(refused)).toBe(true);
    expect(sendDefinitelyFailed(new DependencyError('SendTextMessage failed', { cause: refused }))).toBe(
      true,
    );
  });

  it('counts a timeout, a lost connection or an answer without an id as possibly sent', () => {
    const timeout = Object.assign(new Error('Connection timed out'), { name: 'TimeoutError', $metadata: {} });
    expect(sendDefinitelyFailed(new DependencyError('SendTextMessage failed', { cause: timeout }))).toBe(
      false,
    );
    expect(sendDefinitelyFailed(new Error('socket hang up'))).toBe(false);
    expect(sendDefinitelyFailed(new DependencyError('SendTextMessage returned no MessageId'))).toBe(false);
  });
});

describe('receiveSmsBatch', () => {
  let env: EmulatedTables;
  let deps: ReceiveSmsDeps;
  const outbox = new LocalOutbox();
  const SLOW_PHONE = '+8613900000301';
  let releaseSlowPhone: () => void = () => undefined;
  const slowPhoneReleased = new Promise<void>((resolve) => {
    releaseSlowPhone = resolve;
  });
  /** The order sends finish in, by correlation id. */
  const finished: string[] = [];

  beforeAll(async () => {
    env = await emulatedTables();
    const sender: SmsSender = {
      async send(message) {
        if (message.to === SLOW_PHONE) await slowPhoneReleased;
        finished.push(message.correlationId);
        return outbox.send(message);
      },
    };
    deps = {
      // The SMS functions' composition; help texts touch only the inbox and the sender.
      ...sendSmsServices(smsEnv),
      inbox: new DynamoDbSmsState(env.db, env.tables.sms ?? ''),
      sender,
      now: () => new Date(),
    };
  });
  afterAll(async () => {
    await env?.stop();
  });

  const text = (from: string, id: string, body = '帮助'): InboundSms => ({
    provider: 'aliyun',
    providerMessageId: id,
    from,
    to: '1069',
    body,
    receivedAt: new Date().toISOString(),
  });

  it("answers different phones at once and one phone's texts in the order sent", async () => {
    const push = [
      text(SLOW_PHONE, 'a1'),
      text('+8613900000302', 'b1'),
      text(SLOW_PHONE, 'a2'),
      text('+8613900000303', 'c1'),
    ];
    const results = receiveSmsBatch(push, deps);
    // The other phones are answered while the slow phone's first send is still waiting.
    await expect.poll(() => finished.length, { timeout: 5000 }).toBe(2);
    expect(finished).toEqual(['aliyun:b1', 'aliyun:c1']);
    releaseSlowPhone();
    expect((await results).map((r) => r.status)).toEqual(['finished', 'finished', 'finished', 'finished']);
    expect(finished).toEqual(['aliyun:b1', 'aliyun:c1', 'aliyun:a1', 'aliyun:a2']);
  });

  it('reports a failed message without stopping the rest, and asks for redelivery only then', async () => {
    const failing: ReceiveSmsDeps = {
      ...deps,
      inbox: {
        claim: (sms, now, leaseMs) =>
          sms.providerMessageId === 'f2'
            ? Promise.reject(new DependencyError('claiming the message failed'))
            : deps.inbox.claim(sms, now, leaseMs),
        markSending: (...args) => deps.inbox.markSending(...args),
        release: (...args) => deps.inbox.release(...args),
        finish: (...args) => deps.inbox.finish(...args),
      },
    };
    const push = [text('+8613900000311', 'f1'), text('+8613900000311', 'f2'), text('+8613900000311', 'f3')];
    const results = await receiveSmsBatch(push, failing);
    expect(results.map((r) => r.status)).toEqual(['finished', 'failed', 'finished']);
    expect(outbox.messages('+8613900000311')).toHaveLength(2);
    expect(() => requireAllFinished(results, { holderRetriedOnItsOwn: true })).toThrow(
      SmsRedeliveryNeededError,
    );

    const again = await receiveSmsBatch(push, deps);
    expect(again).toMatchObject([
      { status: 'finished', outcome: 'duplicate_delivery' },
      { status: 'finished', outcome: 'help' },
      { status: 'finished', outcome: 'duplicate_delivery' },
    ]);
    expect(() => requireAllFinished(again, { holderRetriedOnItsOwn: false })).not.toThrow();
    expect(outbox.messages('+8613900000311')).toHaveLength(3);
  });

  it('asks for redelivery of a message another delivery holds only where nobody else will retry it', async () => {
    const sms = text('+8613900000321', 'h1');
    await deps.inbox.claim(sms, new Date(), INBOX_LEASE_MS);
    const results = await receiveSmsBatch([sms], deps);
    expect(results).toMatchObject([{ status: 'in_progress' }]);
    expect(() => requireAllFinished(results, { holderRetriedOnItsOwn: true })).not.toThrow();
    expect(() => requireAllFinished(results, { holderRetriedOnItsOwn: false })).toThrow(
      SmsRedeliveryNeededError,
    );
  });
});
