/**
 * The app's text cards (staff notifications) against the local WeChat Work simulator, whose
 * address book knows some userids: one message/send to many users joined by `|`, the ones the
 * platform does not know answered (invaliduser) rather than thrown, none known at all (81013)
 * answered the same, plain text when there is no link, and never more than 1,000 users a call.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveWecomSimulator, type WecomSimulator } from '../../infra/local/wecom-simulator.ts';
import { DynamoDbWecomState } from '../../shared/adapters/dynamodb-wecom-state.ts';
import { WecomApiClient } from '../../shared/adapters/wecom-api.ts';
import { type EmulatedTables, emulatedTables } from '../support/emulated-tables.ts';

const corpId = 'wwcardsaddressbook01';
const appSecret = 'app-secret-of-the-civicloop-app';
const members = new Set(['gw-a', 'gw-b', 'duty-urban-management']);

let env: EmulatedTables;
let sim: WecomSimulator;
let client: WecomApiClient;

beforeAll(async () => {
  env = await emulatedTables();
  sim = await serveWecomSimulator({
    corpId: () => corpId,
    appSecret: () => appSecret,
    knownUser: (u) => members.has(u),
  });
  client = new WecomApiClient({
    baseUrl: sim.endpoint,
    corpId: async () => corpId,
    appSecret: async () => appSecret,
    agentId: '1000002',
    tokens: new DynamoDbWecomState(env.db, env.tables.sms ?? ''),
  });
});
afterAll(async () => {
  await sim?.stop();
  await env?.stop();
});

const card = {
  title: '回访任务：环境卫生',
  description: '康宁社区的案件K7M-2QX-9PA已结案，群众评价不满意，请回访并在系统登记结果。',
  url: 'https://grid.example.gov.cn/console#/case/K7M2QX9PA',
  button: '去回访',
};

describe('text cards to staff', () => {
  it('sends one card to every known user at once and answers the ones the platform does not know', async () => {
    const answer = await client.sendCard(['gw-a', 'gw-left-the-corp', 'gw-b'], card);
    expect(answer.invalidUsers).toEqual(['gw-left-the-corp']);
    const [sent] = sim.sent.filter((m) => m.card?.url === card.url);
    expect(sent?.touser).toBe('gw-a|gw-b');
    expect(sent?.card).toEqual({
      title: card.title,
      description: card.description,
      url: card.url,
      btntxt: '去回访',
    });
  });

  it('answers every user as unknown when none is (81013), without throwing', async () => {
    const before = sim.sent.length;
    expect(await client.sendCard(['ghost-1', 'ghost-2'], card)).toEqual({
      invalidUsers: ['ghost-1', 'ghost-2'],
    });
    expect(sim.sent.length).toBe(before);
  });

  it('sends plain text with the title and description when there is no link', async () => {
    await client.sendCard(['duty-urban-management'], {
      title: '案件超期督办：道路交通与路灯',
      description: '请尽快处理。',
    });
    const last = sim.sent.at(-1);
    expect(last?.card).toBeUndefined();
    expect(last?.content).toBe('案件超期督办：道路交通与路灯\n请尽快处理。');
  });

  it('refuses more than 1,000 users in one call before reaching the platform', async () => {
    const users = Array.from({ length: 1001 }, (_, i) => `u${i}`);
    await expect(client.sendCard(users, card)).rejects.toThrow(RangeError);
  });
});
