/**
 * The WeChat Work callback on the local runtime, with the WeChat Work simulator: the URL
 * verification, a grid worker's signed and encrypted text appeal acknowledged at once and made a
 * case of their grid's community (channel wecom) by the intake queue's router, the tracking code
 * sent back through the platform as an app message, `CX <code>` answered, and every refusal
 * (signature, receiver, timestamp, replay, malformed XML, an unknown sender) storing nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime.ts';
import { sealCallback, sealVerification, type WecomSimulator } from '../../infra/local/wecom-simulator.ts';
import { createDocumentClient } from '../../shared/adapters/aws-clients.ts';
import { DynamoDbCaseStore } from '../../shared/adapters/dynamodb-case-store.ts';
import { locationMessageXml, textMessageXml } from '../../shared/domain/wecom/callback-message.ts';
import { eventually } from '../support/staff-api.ts';

let rt: LocalRuntime;
let sim: WecomSimulator;
beforeAll(async () => {
  rt = await startLocalRuntime({ port: 0, memory: true, quiet: true });
  if (!rt.wecom) throw new Error('the runtime has no WeChat Work simulator');
  sim = rt.wecom;
});
afterAll(async () => {
  await rt?.stop();
});

const WORKER = 'gw-chengdong-kangning-g1';
const keys = () => rt.wecomCallbackKeys();
const nowSeconds = () => Math.floor(Date.now() / 1000);
let msgId = 7_000_000_000_000_000_000n;
const nextMsgId = () => String(++msgId);

const text = (content: string, fromUser = WORKER, id = nextMsgId()) =>
  textMessageXml({
    corpId: keys().corpId,
    fromUser,
    createTime: nowSeconds(),
    msgId: id,
    agentId: keys().agentId,
    content,
  });

const post = (sealed: { query: Record<string, string>; body: string }) =>
  fetch(`${rt.url}/api/wecom/callback?${new URLSearchParams(sealed.query)}`, {
    method: 'POST',
    headers: { 'content-type': 'text/xml' },
    body: sealed.body,
  });

/** The app's answers (the status relays of the cases made here arrive besides, in their own time). */
const answers = () => sim.sent.filter((m) => !m.content.startsWith('【进展】'));
const sentTo = (user: string) => answers().filter((m) => m.touser === user);

// The answers go out off the request path: polled, at most 6 s.
const answerPolls = { attempts: 60, everyMs: 100 };

const codeIn = (content: string) => /查询码([0-9A-Z]{3}-[0-9A-Z]{3}-[0-9A-Z]{3})/.exec(content)?.[1];

describe('the WeChat Work callback URL', () => {
  it('answers the URL verification with the decrypted echostr', async () => {
    const query = sealVerification('5927610123579913424', keys(), {
      timestamp: nowSeconds(),
      nonce: '1372623149',
    });
    const response = await fetch(`${rt.url}/api/wecom/callback?${new URLSearchParams(query)}`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('5927610123579913424');
  });

  it('refuses a verification with a wrong signature: 403 bad_signature', async () => {
    const query = sealVerification('1', keys(), { timestamp: nowSeconds(), nonce: '1' });
    const response = await fetch(
      `${rt.url}/api/wecom/callback?${new URLSearchParams({ ...query, msg_signature: '0'.repeat(40) })}`,
    );
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: { code: 'bad_signature' } });
  });

  it('names a missing query field: 400 naming msg_signature', async () => {
    const response = await fetch(`${rt.url}/api/wecom/callback?timestamp=1&nonce=1&echostr=x`);
    expect(response.status).toBe(400);
    expect(JSON.stringify(await response.json())).toMatch(/msg_signature/);
  });
});

describe("a grid worker's appeal through the app", () => {
  it('is acknowledged, becomes a case in the worker community with channel wecom, and the code goes back as an app message', async () => {
    const started = performance.now();
    const response = await post(
      sealCallback(text('康宁社区3号楼下水道堵了，污水漫到路上'), keys(), { timestamp: nowSeconds() }),
    );
    const ackMs = performance.now() - started;
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
    expect(ackMs).toBeLessThan(5_000);
    const reply = await eventually(
      'the app message',
      () => sentTo(WORKER).find((m) => codeIn(m.content)),
      answerPolls,
    );
    expect(reply.agentid).toBe(Number(keys().agentId));
    const code = (codeIn(reply.content) ?? '').replaceAll('-', '');
    const cases = new DynamoDbCaseStore(
      createDocumentClient(rt.dynamoClient),
      rt.resources.tables.cases ?? '',
    );
    const state = await eventually('the case', () => cases.getCase(code), answerPolls);
    expect(state.communityId).toBe('chengdong-kangning');
    expect(state.channel).toBe('wecom');
  });

  it('answers CX <code> with the case status as an app message', async () => {
    const before = sentTo(WORKER).length;
    await post(sealCallback(text('路灯坏了一周了'), keys(), { timestamp: nowSeconds() }));
    const code =
      codeIn((await eventually('the app message', () => sentTo(WORKER)[before], answerPolls)).content) ?? '';
    const cases = new DynamoDbCaseStore(
      createDocumentClient(rt.dynamoClient),
      rt.resources.tables.cases ?? '',
    );
    await eventually('the case', () => cases.getCase(code.replaceAll('-', '')), answerPolls);
    const response = await post(sealCallback(text(`CX ${code}`), keys(), { timestamp: nowSeconds() }));
    expect(response.status).toBe(200);
    const status = await eventually('the app message', () => sentTo(WORKER)[before + 1], answerPolls);
    expect(status.content).toContain(code);
    expect(status.content).not.toContain('【');
  });

  it("takes a micro-grid worker's appeal as one of their grid's, and answers them", async () => {
    const microWorker = 'mg-chengdong-kangning-g1-m2';
    const response = await post(
      sealCallback(text('7号楼电梯困人，物业电话打不通', microWorker), keys(), { timestamp: nowSeconds() }),
    );
    expect(response.status).toBe(200);
    const reply = await eventually(
      'the app message',
      () => sentTo(microWorker).find((m) => codeIn(m.content)),
      answerPolls,
    );
    const code = (codeIn(reply.content) ?? '').replaceAll('-', '');
    const cases = new DynamoDbCaseStore(
      createDocumentClient(rt.dynamoClient),
      rt.resources.tables.cases ?? '',
    );
    const state = await eventually('the case', () => cases.getCase(code), answerPolls);
    expect(state.communityId).toBe('chengdong-kangning');
    expect(state.channel).toBe('wecom');
  });

  it('takes a location as an appeal at that place', async () => {
    const before = sentTo(WORKER).length;
    const xml = locationMessageXml({
      corpId: keys().corpId,
      fromUser: WORKER,
      createTime: nowSeconds(),
      msgId: nextMsgId(),
      agentId: keys().agentId,
      lat: 37.2,
      lng: 112.19,
      label: '平遥县康宁路12号',
    });
    expect((await post(sealCallback(xml, keys(), { timestamp: nowSeconds() }))).status).toBe(200);
    const code =
      codeIn((await eventually('the app message', () => sentTo(WORKER)[before], answerPolls)).content) ?? '';
    const cases = new DynamoDbCaseStore(
      createDocumentClient(rt.dynamoClient),
      rt.resources.tables.cases ?? '',
    );
    const state = await eventually('the case', () => cases.getCase(code.replaceAll('-', '')), answerPolls);
    expect(state.communityId).toBe('chengdong-kangning');
  });

  it('does nothing for a replay of a message already taken (no second reply)', async () => {
    const sealed = sealCallback(text('小区门口垃圾三天没人清'), keys(), { timestamp: nowSeconds() });
    const before = sentTo(WORKER).length;
    expect((await post(sealed)).status).toBe(200);
    await eventually('the app message', () => sentTo(WORKER)[before], answerPolls);
    const replay = await post(sealed);
    expect(replay.status).toBe(200);
    expect(sentTo(WORKER)).toHaveLength(before + 1);
  });

  it('tells a sender who is no registered grid worker so, politely, and queues nothing', async () => {
    const response = await post(
      sealCallback(text('我要反映问题', 'stranger-01'), keys(), { timestamp: nowSeconds() }),
    );
    expect(response.status).toBe(200);
    const reply = await eventually('the app message', () => sentTo('stranger-01')[0], answerPolls);
    expect(reply.content).toMatch(/尚未登记为网格员/);
    expect(codeIn(reply.content)).toBeUndefined();
  });
});

describe('refused callbacks store nothing', () => {
  const refusedWith = async (sealed: { query: Record<string, string>; body: string }) => {
    const before = answers().length;
    const response = await post(sealed);
    const body: unknown = await response.json();
    expect(answers().length).toBe(before);
    return { status: response.status, body };
  };

  it('403 bad_signature for a tampered message', async () => {
    const sealed = sealCallback(text('篡改'), keys(), { timestamp: nowSeconds() });
    const result = await refusedWith({
      ...sealed,
      query: { ...sealed.query, nonce: `${sealed.query.nonce}1` },
    });
    expect(result).toEqual({
      status: 403,
      body: { error: expect.objectContaining({ code: 'bad_signature' }) },
    });
  });

  it('403 stale_timestamp for a callback ten minutes old', async () => {
    const old = nowSeconds() - 600;
    const result = await refusedWith(sealCallback(text('旧消息'), keys(), { timestamp: old }));
    expect(result).toEqual({
      status: 403,
      body: { error: expect.objectContaining({ code: 'stale_timestamp' }) },
    });
  });

  it('403 wrong_receiver for a message encrypted for another corp', async () => {
    const result = await refusedWith(
      sealCallback(
        text('别的企业'),
        { ...keys(), corpId: 'ww0000000000000001' },
        { timestamp: nowSeconds() },
      ),
    );
    expect(result).toEqual({
      status: 403,
      body: { error: expect.objectContaining({ code: 'wrong_receiver' }) },
    });
  });

  it('400 malformed_xml for a body that is not the envelope', async () => {
    const sealed = sealCallback(text('x'), keys(), { timestamp: nowSeconds() });
    const result = await refusedWith({ ...sealed, body: '<xml><Encrypt>abc' });
    expect(result).toEqual({
      status: 400,
      body: { error: expect.objectContaining({ code: 'malformed_xml' }) },
    });
  });
});
