/**
 * The HTTP gateways on the local runtime: Aliyun and Tencent pushes are accepted only with the
 * path secret, Twilio only with a signature the real `twilio` package would produce; each answers
 * in its provider's own form, and a retried push makes nothing twice. Each message of a push is
 * processed on its own: one that fails (injected around the real adapters) is asked for again,
 * the others are answered once; a message another delivery holds is asked for again, not dropped.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import aliyunPushEvent from '../../events/http/aliyun-smsup-push.json' with { type: 'json' };
import { makeHandler } from '../../functions/sms-webhooks.ts';
import { GatewaySettings, sendSmsServices } from '../../functions/wiring/sms.ts';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime.ts';
import { createDocumentClient } from '../../shared/adapters/aws-clients.ts';
import { DynamoDbSmsState } from '../../shared/adapters/dynamodb-sms-state.ts';
import { localOutbox } from '../../shared/adapters/local-outbox.ts';
import { SECRET_MAX_AGE_SECONDS } from '../../shared/adapters/secrets.ts';
import { DependencyError } from '../../shared/errors.ts';
import { INBOX_LEASE_MS } from '../../shared/services/receive-sms.ts';
import { lambdaContext } from '../support/lambda-context.ts';

let rt: LocalRuntime;
beforeAll(async () => {
  rt = await startLocalRuntime({ port: 0, memory: true, quiet: true });
});
afterAll(async () => {
  await rt?.stop();
});

const replies = (to: string) =>
  localOutbox()
    .messages(to)
    .filter((m) => m.purpose === 'reply');

/** The Aliyun or Tencent callback path with the runtime's own path secret. */
const gatewayPath = (provider: 'aliyun' | 'tencent') =>
  `/api/sms/inbound/${provider}/${rt.secrets.value('smsGatewaySecret')}`;
const twilioToken = () => rt.secrets.value('twilioAuthToken');

const postJson = (path: string, body: unknown) =>
  fetch(`${rt.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

const aliyunPush = (sequenceId: number, phone: string, content: string) => [
  {
    phone_number: phone,
    content,
    send_time: '2026-11-29 16:30:00',
    dest_code: '1069',
    sequence_id: sequenceId,
  },
];

describe('Aliyun SmsUp push', () => {
  it('answers as Aliyun expects, queues the report and replies once even when the push is retried', async () => {
    const push = aliyunPush(90001, '13911110001', '魏家庄村村口路灯坏了');
    const first = await postJson(gatewayPath('aliyun'), push);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ code: 0, msg: '接收成功' });
    const retry = await postJson(gatewayPath('aliyun'), push);
    expect(await retry.json()).toEqual({ code: 0, msg: '接收成功' });
    expect(replies('+8613911110001')).toHaveLength(1);
    expect(replies('+8613911110001')[0]?.body).toMatch(/已收到您的反映/);
  });

  it('refuses a push without the right path secret with 403', async () => {
    const response = await postJson(
      '/api/sms/inbound/aliyun/guess',
      aliyunPush(90002, '13911110002', '路灯坏了'),
    );
    expect(response.status).toBe(403);
    expect(replies('+8613911110002')).toHaveLength(0);
  });

  it('answers every other message of a push when the middle one fails, and asks for the push again', async () => {
    const [first, middle, last] = ['+8613911110101', '+8613911110102', '+8613911110103'];
    const event: APIGatewayProxyEventV2 = aliyunPushEvent;
    const services = sendSmsServices();
    let intakeDown = true;
    // The middle message is a report; the intake queue refuses it once, as a failing SQS would.
    const handler = makeHandler({
      ...services,
      intake: {
        async enqueue(message) {
          if (intakeDown && message.report.contactPhone === middle) {
            throw new DependencyError('sending to the intake queue failed');
          }
          await services.intake.enqueue(message);
        },
      },
      logger: new Logger({ logLevel: 'SILENT' }),
      settings: GatewaySettings.parse({}),
      // The sample event's path secret.
      gatewaySecret: async () => event.pathParameters?.secret ?? '',
      twilioAuthToken: async () => twilioToken(),
    });
    const push = () => handler(structuredClone(event), lambdaContext('sms-webhooks'));

    // Aliyun retries only a whole push, on anything but 200: the failure is answered with 503.
    const failed = await push();
    expect(failed).toMatchObject({ statusCode: 503 });
    expect(JSON.parse(failed.body ?? '')).toMatchObject({ error: { code: 'dependency_unavailable' } });
    expect(replies(first)).toHaveLength(1);
    expect(replies(middle)).toHaveLength(0);
    expect(replies(last)).toHaveLength(1);

    intakeDown = false;
    const retry = await push();
    expect(retry).toMatchObject({ statusCode: 200 });
    expect(JSON.parse(retry.body ?? '')).toEqual({ code: 0, msg: '接收成功' });
    expect(replies(middle)).toHaveLength(1);
    expect(replies(middle)[0]?.body).toMatch(/已收到您的反映/);
    // The two answered the first time are recognised and not answered again.
    expect(replies(first)).toHaveLength(1);
    expect(replies(last)).toHaveLength(1);
  });

  it('answers 400 naming the field when the push is malformed', async () => {
    const response = await postJson(gatewayPath('aliyun'), [{ phone_number: 'x' }]);
    expect(response.status).toBe(400);
  });
});

describe('a path secret rotated while the gateways run', () => {
  const help = (sequenceId: number) => aliyunPush(sequenceId, `139111102${sequenceId % 100}`, '帮助');

  it('is taken up by the running function once its cached value ages out, without a restart', async () => {
    const before = gatewayPath('aliyun');
    expect((await postJson(before, help(90020))).status).toBe(200);

    rt.secrets.rotate('smsGatewaySecret');
    const after = gatewayPath('aliyun');
    expect(after).not.toBe(before);
    // Until the function's cached value ages out, the old path still works and the new one not yet.
    expect((await postJson(after, help(90021))).status).toBe(403);
    expect((await postJson(before, help(90022))).status).toBe(200);

    // The functions' clock, moved past the cache's maximum age.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + (SECRET_MAX_AGE_SECONDS + 1) * 1000 });
    try {
      expect((await postJson(after, help(90023))).status).toBe(200);
      expect((await postJson(before, help(90024))).status).toBe(403);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('Tencent Cloud reply callback', () => {
  it('answers as Tencent expects and replies to the resident', async () => {
    const response = await postJson(gatewayPath('tencent'), {
      mobile: '13911110003',
      nationcode: '86',
      text: '帮助',
      sign: '平遥综治',
      time: 1795939200,
      extend: '',
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ result: 0, errmsg: 'OK' });
    expect(replies('+8613911110003')[0]?.body).toMatch(/查询/);
  });
});

describe('Twilio-compatible webhook', () => {
  const url = () => `${rt.url}/api/sms/inbound/twilio`;
  const params = {
    From: '+8613911110004',
    To: '+8610690000000',
    Body: 'HELP',
    MessageSid: 'SM0123456789abcdef0123456789abcdef',
  };
  const post = (signature: string) =>
    fetch(url(), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
      body: new URLSearchParams(params).toString(),
    });

  it('accepts a request signed as the twilio package signs it, and answers empty TwiML', async () => {
    const signature = twilio.getExpectedTwilioSignature(twilioToken(), url(), params);
    const response = await post(signature);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<Response></Response>');
    expect(replies('+8613911110004')).toHaveLength(1);
  });

  it('refuses a request signed with another token with 403', async () => {
    const response = await post(twilio.getExpectedTwilioSignature('someone-elses-token', url(), params));
    expect(response.status).toBe(403);
  });

  it('answers 503 to a retry while another delivery holds the message, and answers the retry after that one fails', async () => {
    const retried = { ...params, From: '+8613911110005', MessageSid: 'SMfedcba9876543210fedcba9876543210' };
    const sms = {
      provider: 'twilio' as const,
      providerMessageId: retried.MessageSid,
      from: retried.From,
      to: retried.To,
      body: retried.Body,
      receivedAt: new Date().toISOString(),
    };
    const deliver = () =>
      fetch(url(), {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-twilio-signature': twilio.getExpectedTwilioSignature(twilioToken(), url(), retried),
        },
        body: new URLSearchParams(retried).toString(),
      });
    // The first delivery is still at work: it holds the message's lease.
    const inbox = new DynamoDbSmsState(createDocumentClient(rt.dynamoClient), rt.resources.tables.sms ?? '');
    const claim = await inbox.claim(sms, new Date(), INBOX_LEASE_MS);
    if (claim.kind !== 'claimed') throw new Error('the first delivery should hold the message');

    const whileHeld = await deliver();
    expect(whileHeld.status).toBe(503);
    expect(await whileHeld.json()).toMatchObject({ error: { code: 'dependency_unavailable' } });
    expect(replies(retried.From)).toHaveLength(0);

    // The first delivery then fails before answering. Its 5xx reaches nobody (Twilio had moved on
    // to the retry), so only the retries can bring the message back: the next one is answered.
    await inbox.release(sms, claim.token, { sendFailed: false });
    const afterwards = await deliver();
    expect(afterwards.status).toBe(200);
    expect(replies(retried.From)).toHaveLength(1);
  });
});
