/**
 * The local phone simulator's routes, on a bare HTTP server: a text from the "phone" reaches the
 * inbound function as the SNS event AWS End User Messaging would publish, and the conversation
 * shows it next to the replies in the outbox.
 */
import { createServer, type Server } from 'node:http';
import type { SNSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { mountPhoneSimulator } from '../../../infra/local/phone-simulator.ts';
import { LocalOutbox } from '../../../shared/adapters/local-outbox.ts';
import { parseAwsSnsEvent } from '../../../shared/adapters/sms-gateways/aws.ts';

const outbox = new LocalOutbox();
const delivered: SNSEvent[] = [];
let failNext = false;
let server: Server;
let base = '';

beforeAll(async () => {
  const route = mountPhoneSimulator({
    outbox,
    systemNumber: '+8610690000000',
    // Stands in for the inbound function: parse as it would, answer through the outbox.
    deliverSns: async (event) => {
      if (failNext) {
        failNext = false;
        throw new Error('handler failed');
      }
      delivered.push(event);
      for (const sms of parseAwsSnsEvent(event)) {
        await outbox.send({
          to: sms.from,
          body: `收到：${sms.body}`,
          purpose: 'reply',
          correlationId: sms.providerMessageId,
        });
      }
    },
  });
  server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (!(await route(req, res, url))) {
      res.writeHead(418);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('not listening');
  base = `http://127.0.0.1:${address.port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const Sent = z.object({ inboundMessageId: z.string(), status: z.string() });
const Thread = z.object({
  messages: z.array(
    z.object({ direction: z.string(), body: z.string(), parts: z.number(), status: z.string().optional() }),
  ),
});
const Rejected = z.object({ issues: z.array(z.object({ path: z.string() })) });

const send = (payload: unknown) =>
  fetch(`${base}/_local/phone/send`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(payload),
  });

describe('phone simulator', () => {
  it('serves the page with a script that parses', async () => {
    const res = await fetch(`${base}/_local/phone`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain('+8610690000000');
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';
    expect(script.length).toBeGreaterThan(100);
    expect(() => new Function(script)).not.toThrow();
  });

  it('delivers a text as an AWS End User Messaging SNS event and shows the conversation', async () => {
    const res = await send({ from: '138 0013 8000', body: '路灯坏了' });
    expect(res.status).toBe(202);
    const { inboundMessageId } = Sent.parse(await res.json());
    const event = delivered.at(-1);
    expect(event?.Records).toHaveLength(1);
    expect(JSON.parse(event?.Records[0]?.Sns.Message ?? '')).toEqual({
      originationNumber: '+8613800138000',
      destinationNumber: '+8610690000000',
      messageKeyword: '',
      messageBody: '路灯坏了',
      inboundMessageId,
      previousPublishedMessageId: '',
    });

    const thread = await fetch(
      `${base}/_local/phone/messages?number=${encodeURIComponent('+8613800138000')}`,
    );
    const { messages } = Thread.parse(await thread.json());
    expect(messages.map((m) => [m.direction, m.body])).toEqual([
      ['from-phone', '路灯坏了'],
      ['to-phone', '收到：路灯坏了'],
    ]);
  });

  it('gives every text a fresh inbound message id', async () => {
    const a = Sent.parse(await (await send({ from: '+8613900139000', body: 'R' })).json());
    const b = Sent.parse(await (await send({ from: '+8613900139000', body: 'R' })).json());
    expect(a.inboundMessageId).not.toBe(b.inboundMessageId);
  });

  it('names bad fields and reports a failed delivery', async () => {
    const bad = await send({ from: '12345', body: '' });
    expect(bad.status).toBe(400);
    const { issues } = Rejected.parse(await bad.json());
    expect(issues.map((i) => i.path).sort()).toEqual(['body', 'from']);

    failNext = true;
    const failed = await send({ from: '+8615000150000', body: 'hello' });
    expect(failed.status).toBe(502);
    const thread = await fetch(`${base}/_local/phone/messages?number=%2B8615000150000`);
    const { messages } = Thread.parse(await thread.json());
    expect(messages.map((m) => m.status)).toEqual(['failed']);
  });

  it('leaves other paths to the gateway', async () => {
    expect((await fetch(`${base}/_local/health`)).status).toBe(418);
    expect((await fetch(`${base}/_local/phone/nope`)).status).toBe(404);
    expect((await fetch(`${base}/_local/phone/messages?number=abc`)).status).toBe(400);
  });
});
