/**
 * Texts to reporters on the local runtime, as a county can afford them: the public form takes
 * only numbers the county texts; a reporter's first update of the day says how to stop them; an
 * opt-out by text (TD, 退订 …) stops case updates as well as outreach; and one phone gets at most
 * five updates a day, however many reports name it.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { inboundSmsEvent, LOCAL_SYSTEM_NUMBER } from '../../infra/local/phone-simulator.ts';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime.ts';
import { createDocumentClient } from '../../shared/adapters/aws-clients.ts';
import { localOutbox } from '../../shared/adapters/local-outbox.ts';
import { smsParts } from '../../shared/domain/sms/sms-parts.ts';
import { DEFAULT_REPORTER_TEXTS_PER_DAY } from '../../shared/services/reporter-texts.ts';

let rt: LocalRuntime;
beforeAll(async () => {
  rt = await startLocalRuntime({ port: 0, memory: true, quiet: true });
});
afterAll(async () => {
  await rt?.stop();
});

const Receipt = z.object({ trackingCode: z.string() });
const ErrorBody = z.object({
  error: z.object({ code: z.string(), issues: z.array(z.object({ path: z.string(), message: z.string() })) }),
});

const submit = (contactPhone: string, description = '有人冒充公安局打电话让我转账') =>
  fetch(`${rt.url}/api/reports`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ category: 'fraud', communityId: 'chengdong-kangning', description, contactPhone }),
  });

const updatesTo = (phone: string) =>
  localOutbox()
    .messages(phone)
    .filter((m) => m.purpose === 'notification')
    .map((m) => m.body);

/** The router texts as it creates the case: wait until it has (or has decided not to). */
async function routed(code: string) {
  const db = createDocumentClient(rt.dynamoClient);
  await expect
    .poll(
      async () => {
        const { Item } = await db.send(
          new GetCommand({
            TableName: rt.resources.tables.cases,
            Key: { pk: `CASE#${code}`, sk: 'STATE' },
            ConsistentRead: true,
          }),
        );
        // Dispatched, and its outbox (the delivery, the statistics, the text) settled.
        return Item?.stage === 'dispatched' && !Object.keys(Item).some((k) => k.startsWith('ob_'));
      },
      { timeout: 15_000, interval: 100 },
    )
    .toBe(true);
  const { Item } = await db.send(
    new GetCommand({ TableName: rt.resources.tables.cases, Key: { pk: `CASE#${code}`, sk: 'STATE' } }),
  );
  return Item ?? {};
}

async function report(contactPhone: string): Promise<string> {
  const response = await submit(contactPhone);
  expect(response.status).toBe(202);
  return Receipt.parse(await response.json()).trackingCode.replaceAll('-', '');
}

async function text(from: string, body: string) {
  const fn = rt.functions.get('receive-sms');
  if (!fn) throw new Error('no receive-sms function');
  const before = localOutbox().messages(from).length;
  await fn.invoke(
    inboundSmsEvent({
      from,
      to: LOCAL_SYSTEM_NUMBER,
      body,
      inboundMessageId: crypto.randomUUID(),
      at: new Date(),
    }),
  );
  return localOutbox().messages(from).slice(before);
}

async function move(code: string, version: number, actions: string[]): Promise<number> {
  const handler = await rt.issueToken({
    sub: 'u-antifraud',
    'custom:role': 'unit_handler',
    'custom:unitId': 'psb-antifraud',
  });
  let current = version;
  for (const action of actions) {
    const response = await fetch(`${rt.url}/api/cases/${code}/transitions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${handler}`, 'content-type': 'application/json' },
      body: JSON.stringify({ action, expectedVersion: current, note: '已处理' }),
    });
    expect(response.status).toBe(200);
    current = z.object({ version: z.number() }).parse(await response.json()).version;
  }
  return current;
}

describe('the public form', () => {
  it('answers 400 naming contactPhone, in words, for a number the county does not text', async () => {
    const response = await submit('+44 909 879 0000');
    expect(response.status).toBe(400);
    const body = ErrorBody.parse(await response.json());
    expect(body.error.code).toBe('invalid_request');
    expect(body.error.issues).toEqual([
      { path: 'contactPhone', message: 'enter a mobile number we can text: 11 digits starting with 13–19' },
    ]);
  });
});

describe('case updates to a reporter', () => {
  it('say how to stop them in the first of the day, in one part; an opt-out by text stops the rest', async () => {
    const phone = '+8613800138101';
    const code = await report('0086 138-0013-8101');
    await routed(code);
    const [dispatched] = updatesTo(phone);
    expect(dispatched).toMatch(/^【平遥综治】您的反映.{11}已交县公安局反诈中心办理。回复TD退订$/);
    expect(smsParts(dispatched ?? '').parts).toBe(1);

    const [confirmation] = await text(phone, '退订');
    expect(confirmation?.body).toMatch(/不再给您发宣传短信和案件办理通知/);
    await move(code, 2, ['accept', 'resolve']);
    // Resolved, yet nothing more was sent, and staff see no failure for it.
    expect(updatesTo(phone)).toEqual([dispatched]);
    const { Item } = await createDocumentClient(rt.dynamoClient).send(
      new GetCommand({ TableName: rt.resources.tables.cases, Key: { pk: `CASE#${code}`, sk: 'STATE' } }),
    );
    expect(Item?.stage).toBe('resolved');
    expect(Item?.notices).toBeUndefined();
  });

  it(`stop at ${DEFAULT_REPORTER_TEXTS_PER_DAY} a day for one phone, however many reports name it`, async () => {
    const phone = '+8613800138102';
    const codes: string[] = [];
    for (let i = 0; i <= DEFAULT_REPORTER_TEXTS_PER_DAY; i++) codes.push(await report('138 0013 8102'));
    for (const code of codes) expect((await routed(code)).notices).toBeUndefined();
    const updates = updatesTo(phone);
    expect(updates).toHaveLength(DEFAULT_REPORTER_TEXTS_PER_DAY);
    expect(updates.filter((u) => u.endsWith('回复TD退订'))).toHaveLength(1);
  });
});
