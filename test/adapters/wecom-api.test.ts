/**
 * The WeChat Work app's access token, shared through DynamoDB (dynalite) and fetched from the
 * local WeChat Work simulator: callers at once fetch it once, a refused token (42001) is
 * refreshed once and the call retried once, the platform's rate limit is waited out a bounded
 * number of times, and a DynamoDB failure (injected with aws-sdk-client-mock) fails the call
 * as a DependencyError without reaching the platform.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { serveWecomSimulator, type WecomSimulator } from '../../infra/local/wecom-simulator.ts';
import { createDocumentClient } from '../../shared/adapters/aws-clients.ts';
import { DynamoDbWecomState } from '../../shared/adapters/dynamodb-wecom-state.ts';
import { REFRESH_EARLY_MS, WecomApiClient, type WecomApiOptions } from '../../shared/adapters/wecom-api.ts';
import { DependencyError } from '../../shared/errors.ts';
import { type EmulatedTables, emulatedTables } from '../support/emulated-tables.ts';

let env: EmulatedTables;
let sim: WecomSimulator;
let corp = 0;
// Each test its own corp, so each starts without a cached token.
let corpId = '';
const appSecret = 'app-secret-of-the-civicloop-app';

beforeAll(async () => {
  env = await emulatedTables();
  sim = await serveWecomSimulator({ corpId: () => corpId, appSecret: () => appSecret });
});
afterAll(async () => {
  await sim?.stop();
  await env?.stop();
});

const pauses: number[] = [];
afterEach(() => {
  pauses.length = 0;
});

function client(overrides: Partial<WecomApiOptions> = {}): WecomApiClient {
  return new WecomApiClient({
    baseUrl: sim.endpoint,
    corpId: async () => corpId,
    appSecret: async () => appSecret,
    agentId: '1000002',
    tokens: new DynamoDbWecomState(env.db, env.tables.sms ?? ''),
    sleep: async (ms) => {
      pauses.push(ms);
      await new Promise((resolve) => setImmediate(resolve));
    },
    ...overrides,
  });
}

const newCorp = () => {
  corpId = `ww${String(++corp).padStart(16, '0')}`;
};
const sentTo = (user: string) => sim.sent.filter((m) => m.touser === user);

describe('the shared access token', () => {
  it('is fetched once for eight functions asking at the same moment', async () => {
    newCorp();
    const before = sim.tokensIssued();
    const callers = Array.from({ length: 8 }, () => client());
    await Promise.all(callers.map((c, i) => c.sendText(`worker-a-${i}`, '测试')));
    expect(sim.tokensIssued() - before).toBe(1);
    expect(callers.map((_, i) => sentTo(`worker-a-${i}`).length)).toEqual(Array(8).fill(1));
  });

  it('is read from DynamoDB by a cold function, not fetched again', async () => {
    newCorp();
    await client().sendText('worker-b', '一');
    const before = sim.tokensIssued();
    await client().sendText('worker-b', '二');
    expect(sim.tokensIssued()).toBe(before);
  });

  it('is refreshed early by one caller once it nears its expiry, the others using the old one meanwhile', async () => {
    newCorp();
    let now = Date.now();
    const early = client({ now: () => now });
    await early.sendText('worker-c', '一');
    const before = sim.tokensIssued();
    now += 7200_000 - REFRESH_EARLY_MS + 1_000;
    await Promise.all([client({ now: () => now }).accessToken(), client({ now: () => now }).accessToken()]);
    expect(sim.tokensIssued() - before).toBe(1);
  });

  it('is refreshed once and the call retried once when the platform answers 42001 (expired)', async () => {
    newCorp();
    const api = client();
    await api.sendText('worker-d', '一');
    const before = sim.tokensIssued();
    sim.expireTokens();
    await api.sendText('worker-d', '二');
    expect(sim.tokensIssued() - before).toBe(1);
    expect(sentTo('worker-d').map((m) => m.content)).toEqual(['一', '二']);
  });

  it('waits out the rate limit (45009) with growing pauses, then sends', async () => {
    newCorp();
    const api = client();
    await api.accessToken();
    sim.rateLimitNext(2);
    await api.sendText('worker-e', '限流后送达');
    expect(sentTo('worker-e')).toHaveLength(1);
    expect(pauses).toHaveLength(2);
    expect(pauses[1]).toBeGreaterThan(pauses[0] ?? Number.POSITIVE_INFINITY);
  });

  it('gives up after four tries when the platform stays over its limit, as a DependencyError', async () => {
    newCorp();
    const api = client();
    await api.accessToken();
    sim.rateLimitNext(10);
    await expect(api.sendText('worker-f', '不会送达')).rejects.toMatchObject({ errcode: 45009 });
    await expect(api.sendText('worker-f', '不会送达')).rejects.toBeInstanceOf(DependencyError);
    sim.rateLimitNext(0);
    expect(sentTo('worker-f')).toHaveLength(0);
    expect(pauses).toHaveLength(6);
  });

  it('fails as a DependencyError, without calling the platform, when DynamoDB refuses the lease', async () => {
    newCorp();
    const db = createDocumentClient(env.dynamo);
    const mock = mockClient(db);
    mock.on(UpdateCommand).rejects(new Error('ProvisionedThroughputExceededException'));
    mock.callsFake((input) => env.db.send(input));
    const before = sim.tokensIssued();
    try {
      const api = client({ tokens: new DynamoDbWecomState(db, env.tables.sms ?? '') });
      await expect(api.sendText('worker-g', '不会送达')).rejects.toBeInstanceOf(DependencyError);
    } finally {
      mock.restore();
    }
    expect(sim.tokensIssued()).toBe(before);
  });

  it('refuses a base URL with a query string at construction (ConfigError)', () => {
    expect(() => client({ baseUrl: 'https://qyapi.weixin.qq.com/?x=1' })).toThrow(/base URL/);
  });
});
