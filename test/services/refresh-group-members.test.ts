/**
 * The grid groups' member counts, read from the local WeChat Work simulator
 * (externalcontact/groupchat/get) into the directory on dynalite: never-counted groups first and
 * a bounded number per run, a fresh count left alone until it is stale, the platform's frequency
 * limit waited out and then the run stopped, an unknown chat reported by grid, and a count never
 * written onto a group an import replaced meanwhile.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { demoGroupChats, demoOrganisation } from '../../infra/demo/demo-organisation.ts';
import { serveWecomSimulator, type WecomSimulator } from '../../infra/local/wecom-simulator.ts';
import { DynamoDbDirectory } from '../../shared/adapters/dynamodb-directory.ts';
import { DynamoDbGridRegistry } from '../../shared/adapters/dynamodb-grid-registry.ts';
import { DynamoDbWecomState } from '../../shared/adapters/dynamodb-wecom-state.ts';
import { WecomApiClient } from '../../shared/adapters/wecom-api.ts';
import type { Grid } from '../../shared/domain/organisation.ts';
import {
  type RefreshGroupMembersDeps,
  refreshGroupMembers,
  STALE_AFTER_MS,
} from '../../shared/services/refresh-group-members.ts';
import { type EmulatedTables, emulatedTables } from '../support/emulated-tables.ts';

let env: EmulatedTables;
let sim: WecomSimulator;
let directory: DynamoDbDirectory;
let registry: DynamoDbGridRegistry;
let clock = Date.parse('2026-12-07T01:00:00Z');
const corpId = 'ww0000000000000016';
const appSecret = 'app-secret-of-the-civicloop-app';
const pauses: number[] = [];

beforeAll(async () => {
  env = await emulatedTables();
  sim = await serveWecomSimulator({ corpId: () => corpId, appSecret: () => appSecret });
  directory = new DynamoDbDirectory(env.db, env.tables.directory ?? '');
  registry = new DynamoDbGridRegistry(env.db, env.tables.directory ?? '');
});
beforeEach(async () => {
  await directory.write(demoOrganisation);
  for (const chat of demoGroupChats()) sim.setGroupChat(chat);
  clock = Date.parse('2026-12-07T01:00:00Z');
  pauses.length = 0;
});
afterAll(async () => {
  await sim?.stop();
  await env?.stop();
});

function deps(overrides: Partial<RefreshGroupMembersDeps> = {}): RefreshGroupMembersDeps {
  return {
    directory,
    grids: registry,
    groupChats: new WecomApiClient({
      baseUrl: sim.endpoint,
      corpId: async () => corpId,
      appSecret: async () => appSecret,
      agentId: '1000002',
      tokens: new DynamoDbWecomState(env.db, env.tables.sms ?? ''),
      sleep: async () => undefined,
    }),
    now: () => new Date(clock),
    sleep: async (ms) => {
      pauses.push(ms);
    },
    ...overrides,
  };
}

const counted = async (): Promise<Grid[]> =>
  (await directory.load()).grids.filter((g) => g.group?.memberCount !== undefined);
const platformCount = (chatId: string) => demoGroupChats().find((c) => c.chatId === chatId)?.memberCount;

describe('refreshGroupMembers', () => {
  it('reads every demo group once, a bounded number per run, pausing between calls', async () => {
    const first = await refreshGroupMembers(deps(), { maxGroups: 10 });
    expect(first).toEqual({ due: 28, refreshed: 10, replaced: 0, failed: [] });
    expect(pauses).toEqual(Array(9).fill(100));
    const second = await refreshGroupMembers(deps(), { maxGroups: 100 });
    expect(second).toMatchObject({ due: 18, refreshed: 18 });
    const grids = await counted();
    expect(grids).toHaveLength(28);
    for (const g of grids) {
      expect(g.group?.memberCount, g.id).toBe(platformCount(g.group?.chatId ?? ''));
      expect(g.group?.memberCountAt).toBe('2026-12-07T01:00:00.000Z');
      // Most households' representatives, never more members than households and staff.
      expect(g.group?.memberCount ?? 0).toBeLessThanOrEqual(
        g.households + 1 + (g.group?.adminUserIds.length ?? 0),
      );
    }
  });

  it('leaves a fresh count alone and reads it again once it is stale, oldest first', async () => {
    await refreshGroupMembers(deps(), { maxGroups: 100 });
    const reads = sim.groupChatReads();
    expect(await refreshGroupMembers(deps())).toMatchObject({ due: 0, refreshed: 0 });
    expect(sim.groupChatReads()).toBe(reads);
    const g1 = demoOrganisation.grids[0];
    if (!g1?.group) throw new Error('the demo grid has no group');
    sim.setGroupChat({
      chatId: g1.group.chatId,
      ownerUserId: g1.group.ownerUserId,
      adminUserIds: g1.group.adminUserIds,
      memberCount: 12,
    });
    clock += STALE_AFTER_MS + 1;
    expect(await refreshGroupMembers(deps(), { maxGroups: 1 })).toMatchObject({ due: 28, refreshed: 1 });
    const after = (await directory.load()).grids.find((g) => g.id === g1.id);
    expect(after?.group).toMatchObject({ memberCount: 12, memberCountAt: new Date(clock).toISOString() });
  });

  it('waits out the platform’s frequency limit (45009), and stops the run when it goes on', async () => {
    sim.rateLimitNext(2);
    expect(await refreshGroupMembers(deps(), { maxGroups: 3 })).toMatchObject({ refreshed: 3 });
    sim.rateLimitNext(1_000);
    const busy = await refreshGroupMembers(deps(), { maxGroups: 5 });
    sim.rateLimitNext(0);
    expect(busy).toMatchObject({ refreshed: 0, stopped: 'platform_busy' });
    expect(await counted()).toHaveLength(3);
  });

  it('reports a chat the platform does not know by its grid, and carries on with the others', async () => {
    const org = structuredClone(demoOrganisation);
    const lost = org.grids[0];
    if (!lost?.group) throw new Error('the demo grid has no group');
    lost.group.chatId = 'wrNoSuchChatOnThePlatform';
    await directory.write(org);
    const report = await refreshGroupMembers(deps(), { maxGroups: 3 });
    expect(report.failed).toEqual([{ gridId: lost.id, errcode: 40050 }]);
    expect(report.refreshed).toBe(2);
  });

  it('never writes a count onto a group an import replaced while it was read', async () => {
    const g1 = demoOrganisation.grids[0];
    if (!g1?.group) throw new Error('the demo grid has no group');
    const replaced = { ...g1, group: { ...g1.group, chatId: 'wrReplacedMeanwhile' } };
    const report = await refreshGroupMembers(
      deps({
        groupChats: {
          groupChat: async (chatId) => {
            await registry.replaceGrid(replaced);
            return { chatId, ownerUserId: g1.group?.ownerUserId ?? '', adminUserIds: [], memberCount: 99 };
          },
        },
      }),
      { maxGroups: 1 },
    );
    expect(report).toMatchObject({ refreshed: 0, replaced: 1 });
    const stored = (await directory.load()).grids.find((g) => g.id === g1.id);
    expect(stored?.group).toEqual({
      chatId: 'wrReplacedMeanwhile',
      ownerUserId: g1.group.ownerUserId,
      adminUserIds: g1.group.adminUserIds,
    });
  });
});
