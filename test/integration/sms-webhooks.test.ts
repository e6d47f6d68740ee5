/**
 * The HTTP gateways on the local runtime: Aliyun and Tencent pushes are accepted only with the
 * path secret, Twilio only with a signature the real `twilio` package would produce; each answers
 * in its provider's own form, and a retried push makes nothing twice.
 */
import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime.ts';
import { localOutbox } from '../../shared/adapters/local-outbox.ts';

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
    const first = await postJson('/api/sms/inbound/aliyun/local-gateway-secret', push);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ code: 0, msg: '接收成功' });
    const retry = await postJson('/api/sms/inbound/aliyun/local-gateway-secret', push);
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

  it('answers 400 naming the field when the push is malformed', async () => {
    const response = await postJson('/api/sms/inbound/aliyun/local-gateway-secret', [{ phone_number: 'x' }]);
    expect(response.status).toBe(400);
  });
});

describe('Tencent Cloud reply callback', () => {
  it('answers as Tencent expects and replies to the resident', async () => {
    const response = await postJson('/api/sms/inbound/tencent/local-gateway-secret', {
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
    const signature = twilio.getExpectedTwilioSignature('local-twilio-token', url(), params);
    const response = await post(signature);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<Response></Response>');
    expect(replies('+8613911110004')).toHaveLength(1);
  });

  it('refuses a request signed with another token with 403', async () => {
    const response = await post(twilio.getExpectedTwilioSignature('someone-elses-token', url(), params));
    expect(response.status).toBe(403);
  });
});
