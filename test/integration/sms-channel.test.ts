/**
 * The SMS channel end to end on the local runtime: an inbound SNS event (as AWS End User Messaging
 * publishes it) becomes a routed case and a one-part reply; a redelivered message changes nothing;
 * status, rating from the reporting phone, opt-out, flood limits and unclear texts all get answers.
 * Deliveries that overlap or follow a crash (the sender or DynamoDB failing at the worst moment,
 * injected around the real adapters) still make one case and never a second reply.
 */

import { ThrottlingException } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { sendSmsServices } from '../../functions/wiring/sms.ts';
import { inboundSmsEvent, LOCAL_SYSTEM_NUMBER } from '../../infra/local/phone-simulator.ts';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime.ts';
import { unitQueueName } from '../../infra/topology.ts';
import { createDocumentClient } from '../../shared/adapters/aws-clients.ts';
import { DynamoDbSmsState } from '../../shared/adapters/dynamodb-sms-state.ts';
import { localOutbox } from '../../shared/adapters/local-outbox.ts';
import type { InboundSms } from '../../shared/domain/sms/inbound-sms.ts';
import { DependencyError } from '../../shared/errors.ts';
import type { OutboundSms, SentSms, SmsSender } from '../../shared/ports/sms-sender.ts';
import type { SmsInbox } from '../../shared/ports/sms-state.ts';
import { INBOX_LEASE_MS, type ReceiveSmsDeps, receiveSms } from '../../shared/services/receive-sms.ts';
import { dispatchedTo } from '../support/dispatched.ts';
import { receiveMatching } from '../support/queues.ts';

let rt: LocalRuntime;
beforeAll(async () => {
  rt = await startLocalRuntime({ port: 0, memory: true, quiet: true });
});
afterAll(async () => {
  await rt?.stop();
});

const outbox = () => localOutbox();

const replies = (to: string) =>
  outbox()
    .messages(to)
    .filter((m) => m.purpose === 'reply');

/** Delivers one text as SNS would (the same id twice = a redelivery); returns the replies it caused. */
async function text(from: string, body: string, inboundMessageId: string = crypto.randomUUID()) {
  const before = replies(from).length;
  const fn = rt.functions.get('receive-sms');
  if (!fn) throw new Error('no receive-sms function');
  await fn.invoke(inboundSmsEvent({ from, to: LOCAL_SYSTEM_NUMBER, body, inboundMessageId, at: new Date() }));
  return replies(from).slice(before);
}

const codeIn = (reply: string) => /[0-9A-Z]{3}-[0-9A-Z]{3}-[0-9A-Z]{3}/.exec(reply)?.[0] ?? '';

const routed = (unitId: string, code: string) => dispatchedTo(rt, unitId, code);

describe('texting a report', () => {
  it('classifies and places a Chinese text, routes it, and answers with the code in one part', async () => {
    const replies = await text('+8613900000001', '有人冒充公安局打电话，让我把钱转到安全账户。我在康宁社区');
    expect(replies).toHaveLength(1);
    const [reply] = replies;
    expect(reply?.body).toMatch(/^【平遥综治】已收到您的反映，查询码/);
    expect(reply?.parts).toBe(1);
    const routedCase = await routed('psb-antifraud', codeIn(reply?.body ?? ''));
    expect(routedCase).toMatchObject({
      category: 'fraud',
      communityId: 'chengdong-kangning',
      hasContactPhone: true,
    });
  });

  it('makes one case and one reply when the same message is delivered twice', async () => {
    const id = crypto.randomUUID();
    const first = await text('+8613900000002', '村口的路灯坏了好几天了，魏家庄村', id);
    // What the reply cost is recorded with the message: one UCS-2 part.
    const record = await createDocumentClient(rt.dynamoClient).send(
      new GetCommand({ TableName: rt.resources.tables.sms, Key: { pk: `INBOUND#aws#${id}`, sk: 'INBOUND' } }),
    );
    expect(record.Item).toMatchObject({ status: 'done', reply: { encoding: 'UCS-2', parts: 1 } });
    const again = await text('+8613900000002', '村口的路灯坏了好几天了，魏家庄村', id);
    expect(first).toHaveLength(1);
    expect(again).toHaveLength(0);
    const code = codeIn(first[0]?.body ?? '');
    expect(await routed('transport', code)).toBeDefined();
    const duplicate = await receiveMatching(
      rt.sqsClient,
      rt.queueUrl(unitQueueName('transport')),
      (b) => b.includes(code.replaceAll('-', '')),
      2,
    );
    expect(duplicate).toBeUndefined();
  });

  it('sends a text it cannot classify to the township centre, and one it cannot place, once asked, to the county centre', async () => {
    const unclear = await text('+8613900000003', '我们这里有点事情想反映一下，康宁社区');
    expect(await routed('centre-chengdong', codeIn(unclear[0]?.body ?? ''))).toMatchObject({
      category: 'other',
    });
    // Issue 14: a report nothing can place asks where the resident lives before it is queued.
    const [question] = await text('+8613900000004', '电信诈骗电话太多了');
    expect(question?.body).toMatch(/请回复您所在的社区或村/);
    const nowhere = await text('+8613900000004', '不知道');
    expect(await routed('county-centre', codeIn(nowhere[0]?.body ?? ''))).toMatchObject({
      routing: { kind: 'county_triage', reason: 'unknown_community' },
    });
  });
});

describe('other things a resident can text', () => {
  it('answers a status query in Chinese or English, however the code is typed', async () => {
    const [reply] = await text('+8613900000005', '垃圾站满了没人清运，魏家庄村');
    const code = codeIn(reply?.body ?? '');
    await routed('urban-management', code);
    const [zh] = await text('+8613900000005', `查询 ${code.toLowerCase()}`);
    expect(zh?.body).toMatch(/已交办/);
    const [en] = await text('+8613900000005', `ＳＴＡＴＵＳ  ${code.replaceAll('-', '')}`);
    expect(en?.body).toMatch(/passed to the unit/);
  });

  it('accepts a rating only from the phone that reported a closed case', async () => {
    const [reply] = await text('+8613900000006', '超市卖过期牛奶，魏家庄村');
    const code = codeIn(reply?.body ?? '');
    const id = code.replaceAll('-', '');
    await routed('market-regulation', code);
    const staff = await rt.signInAs('supervisor');
    const handler = await rt.issueToken({
      sub: 'u-market',
      'custom:role': 'unit_handler',
      'custom:unitId': 'market-regulation',
    });
    let version = 2;
    for (const [token, body] of [
      [handler, { action: 'accept' }],
      [handler, { action: 'resolve', note: '已下架' }],
      [staff, { action: 'verify' }],
      [staff, { action: 'close' }],
    ] as const) {
      const response = await fetch(`${rt.url}/api/cases/${id}/transitions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ ...body, expectedVersion: version }),
      });
      version = z.object({ version: z.number() }).parse(await response.json()).version;
    }
    // The reporter was texted as the case moved: dispatched, resolved, closed (with how to rate).
    const updates = outbox()
      .messages('+8613900000006')
      .filter((m) => m.purpose === 'notification')
      .map((m) => m.body);
    expect(updates).toEqual([
      expect.stringMatching(/已交县市场监督管理局办理/),
      expect.stringMatching(/已办结/),
      expect.stringMatching(/已结案，请回复"评价/),
    ]);
    const [stranger] = await text('+8613900000099', `评价 ${code} 1`);
    expect(stranger?.body).toMatch(/只能用反映时的手机/);
    const [rated] = await text('+8613900000006', `评价 ${code} 5 处理得很快`);
    expect(rated?.body).toMatch(/感谢您的评价（5分）/);
  });

  it('confirms an opt-out once and stays quiet after', async () => {
    const [first] = await text('+8613900000007', '退订');
    expect(first?.body).toMatch(/已退订/);
    expect(await text('+8613900000007', 'TD')).toHaveLength(0);
  });

  it('answers help, empty and emoji-only texts, never silence', async () => {
    expect((await text('+8613900000008', '帮助'))[0]?.body).toMatch(/查询/);
    // Issue 14: a message without words gets the help text a new user needs.
    expect((await text('+8613900000008', '   '))[0]?.body).toMatch(/即可反映/);
    expect((await text('+8613900000008', '😀😀😀'))[0]?.body).toMatch(/即可反映/);
    expect((await text('+8613900000008', '查询 12'))[0]?.body).toMatch(/查询码应为9位/);
  });

  it('gives a flooding phone one polite reply and no more cases', async () => {
    const phone = '+8613900000009';
    const codes: string[] = [];
    for (let i = 0; i < 5; i++)
      codes.push(codeIn((await text(phone, `第${i}次：噪音扰民，魏家庄村`))[0]?.body ?? ''));
    expect(codes.every((c) => c.length === 11)).toBe(true);
    const [limited] = await text(phone, '第6次：噪音扰民，魏家庄村');
    expect(limited?.body).toMatch(/暂停受理/);
    expect(codeIn(limited?.body ?? '')).toBe('');
  });
});

describe('a message delivered more than once, at once or after a crash', () => {
  let services: ReceiveSmsDeps;
  let state: DynamoDbSmsState;
  beforeAll(() => {
    // The functions' own composition, built from the environment the runtime set.
    services = sendSmsServices();
    state = new DynamoDbSmsState(createDocumentClient(rt.dynamoClient), rt.resources.tables.sms ?? '');
  });

  const inbound = (from: string, body: string): InboundSms => ({
    provider: 'aws',
    providerMessageId: crypto.randomUUID(),
    from,
    to: LOCAL_SYSTEM_NUMBER,
    body,
    receivedAt: new Date().toISOString(),
  });

  const inboxRecord = async (sms: InboundSms) =>
    (
      await createDocumentClient(rt.dynamoClient).send(
        new GetCommand({
          TableName: rt.resources.tables.sms,
          Key: { pk: `INBOUND#${sms.provider}#${sms.providerMessageId}`, sk: 'INBOUND' },
        }),
      )
    ).Item;

  /** The inbox with one of its writes replaced, as a crash or a failing DynamoDB would. */
  const inboxWith = (overrides: Partial<SmsInbox>): SmsInbox => ({
    claim: (...args) => state.claim(...args),
    markSending: (...args) => state.markSending(...args),
    release: (...args) => state.release(...args),
    finish: (...args) => state.finish(...args),
    ...overrides,
  });

  /** Sends into the outbox and then fails, as when the provider's answer is lost on the way back. */
  const answerLost: SmsSender = {
    async send(message: OutboundSms): Promise<SentSms> {
      await outbox().send(message);
      throw new DependencyError('SendTextMessage failed', { cause: new Error('socket hang up') });
    },
  };

  const thirtySecondsLater = () => new Date(Date.now() + INBOX_LEASE_MS + 30_000);

  it('makes one case and one reply when five deliveries of a message arrive at once', async () => {
    const from = '+8613900000021';
    const fn = rt.functions.get('receive-sms');
    if (!fn) throw new Error('no receive-sms function');
    const event = inboundSmsEvent({
      from,
      to: LOCAL_SYSTEM_NUMBER,
      body: '城墙上有人乱刻乱画，魏家庄村',
      inboundMessageId: crypto.randomUUID(),
      at: new Date(),
    });
    const outcomes = await Promise.all(Array.from({ length: 5 }, () => fn.invoke(event)));
    expect(outcomes.flat().filter((o) => o === 'report_queued')).toHaveLength(1);
    expect(replies(from)).toHaveLength(1);
    const code = codeIn(replies(from)[0]?.body ?? '');
    expect(await routed('heritage', code)).toBeDefined();
    const again = await receiveMatching(
      rt.sqsClient,
      rt.queueUrl(unitQueueName('heritage')),
      (b) => b.includes(code.replaceAll('-', '')),
      2,
    );
    expect(again).toBeUndefined();
  });

  it('does nothing for a delivery that arrives while the first is still sending the reply', async () => {
    const from = '+8613900000022';
    const sms = inbound(from, '帮助');
    let sending: () => void = () => undefined;
    const sendingStarted = new Promise<void>((resolve) => {
      sending = resolve;
    });
    let letGo: () => void = () => undefined;
    const released = new Promise<void>((resolve) => {
      letGo = resolve;
    });
    const slowSender: SmsSender = {
      async send(message) {
        sending();
        await released;
        return outbox().send(message);
      },
    };
    const first = receiveSms(sms, { ...services, sender: slowSender });
    await sendingStarted;
    expect(await receiveSms(sms, services)).toBe('in_progress');
    letGo();
    expect(await first).toBe('help');
    expect(await receiveSms(sms, services)).toBe('duplicate_delivery');
    expect(replies(from)).toHaveLength(1);
  });

  it.each<[string, string, Partial<ReceiveSmsDeps>]>([
    ["the sender's answer is lost", '+8613900000023', { sender: answerLost }],
    [
      'recording the reply fails',
      '+8613900000024',
      {
        inbox: inboxWith({
          finish: async () => {
            throw new DependencyError('finishing the message record failed');
          },
        }),
      },
    ],
  ])('sends no second reply when %s after the reply went out', async (_, from, fault) => {
    const sms = inbound(from, '帮助');
    await expect(receiveSms(sms, { ...services, ...fault })).rejects.toBeInstanceOf(DependencyError);
    expect(replies(from)).toHaveLength(1);

    // The provider retries: the message is finished without sending again.
    expect(await receiveSms(sms, services)).toBe('reply_unconfirmed');
    expect(await receiveSms(sms, services)).toBe('duplicate_delivery');
    expect(replies(from)).toHaveLength(1);
    expect(await inboxRecord(sms)).toMatchObject({ status: 'done', replyUnconfirmed: true });
  });

  it('sends no second reply after a crash right after sending, once the lease lapses', async () => {
    const from = '+8613900000025';
    const sms = inbound(from, '帮助');
    // The process dies as the send returns: nothing after it runs, the lease is not given back.
    const crashed = inboxWith({ release: async () => undefined });
    await expect(receiveSms(sms, { ...services, inbox: crashed, sender: answerLost })).rejects.toThrow();

    expect(await receiveSms(sms, services)).toBe('in_progress');
    expect(await receiveSms(sms, { ...services, now: thirtySecondsLater })).toBe('reply_unconfirmed');
    expect(replies(from)).toHaveLength(1);
  });

  it('takes over a message whose delivery crashed before answering, once its lease has lapsed', async () => {
    const from = '+8613900000026';
    const sms = inbound(from, '城隍庙的古建筑有人乱刻乱画，魏家庄村');
    // A delivery took the lease and died.
    expect((await state.claim(sms, new Date(), INBOX_LEASE_MS)).kind).toBe('claimed');

    expect(await receiveSms(sms, services)).toBe('in_progress');
    expect(replies(from)).toHaveLength(0);
    expect(await receiveSms(sms, { ...services, now: thirtySecondsLater })).toBe('report_queued');
    expect(replies(from)).toHaveLength(1);
    expect(await routed('heritage', codeIn(replies(from)[0]?.body ?? ''))).toBeDefined();
    expect(await inboxRecord(sms)).toMatchObject({ status: 'done', attempts: 2 });
  });

  it('sends the reply on the retry when the provider refused the first send', async () => {
    const from = '+8613900000027';
    const sms = inbound(from, '帮助');
    const refusing: SmsSender = {
      async send() {
        // What the End User Messaging sender throws when the API answers 429: nothing was sent.
        throw new DependencyError('SendTextMessage failed', {
          cause: new ThrottlingException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 429 } }),
        });
      },
    };
    await expect(receiveSms(sms, { ...services, sender: refusing })).rejects.toBeInstanceOf(DependencyError);
    expect(replies(from)).toHaveLength(0);
    expect(await receiveSms(sms, services)).toBe('help');
    expect(replies(from)).toHaveLength(1);
  });
});
