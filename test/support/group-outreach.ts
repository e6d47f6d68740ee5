/**
 * A world for outreach to the grids' WeChat groups, on dynalite and the local WeChat Work
 * simulator: the real DynamoDB adapters (runs, tasks, groups, monthly slots, the token cache), the
 * real platform client against the simulator, a clock the test moves, and queues that keep what
 * was asked of them. Each test takes its own organisation (its own grids and group chats), so
 * the groups' monthly slots of one test never count in another.
 */
import { demoOrganisation } from '../../infra/demo/demo-organisation.ts';
import type { SimulatedGroupChat } from '../../infra/local/wecom-simulator.ts';
import { DynamoDbGroupMassSends } from '../../shared/adapters/dynamodb-group-mass-sends.ts';
import { DynamoDbOutreachStore } from '../../shared/adapters/dynamodb-outreach-store.ts';
import { DynamoDbWecomState } from '../../shared/adapters/dynamodb-wecom-state.ts';
import { WecomApiClient } from '../../shared/adapters/wecom-api.ts';
import { WecomGroupMassSendApi } from '../../shared/adapters/wecom-group-mass-send.ts';
import type { Grid, Organisation } from '../../shared/domain/organisation.ts';
import {
  type CampaignPlan,
  type CampaignRun,
  emptyCounts,
  type PlanRun,
  type PollGroupRun,
} from '../../shared/domain/outreach/campaign.ts';
import type { GroupMassSendPurpose } from '../../shared/domain/outreach/group-mass-send.ts';
import { fromShanghaiLocal, shanghaiLocal } from '../../shared/domain/outreach/shanghai-time.ts';
import type { GroupMassSender } from '../../shared/ports/group-mass-send.ts';
import type { GroupOutreachDeps } from '../../shared/services/group-mass-send-run.ts';
import type { EmulatedTables } from './emulated-tables.ts';
import { storedCampaignRun } from './outreach.ts';

export const HOUR_MS = 3_600_000;
export const CORP_ID = 'ww0000000000000016';
export const APP_SECRET = 'secret-of-the-civicloop-app';

/** Four grids in two townships: gw-<p>-a owns two groups, gw-<p>-b and gw-<p>-c one each. */
export function groupOrganisation(prefix: string): Organisation {
  const east = 'chengdong-kangning';
  const west = demoOrganisation.communities.find((c) => c.townshipId !== 'chengdong')?.id ?? east;
  const grid = (n: string, communityId: string, owner: string, households: number): Grid => ({
    id: `${prefix}-${n}`,
    communityId,
    zh: `测试网格${n}`,
    households,
    group: { chatId: `wr-${prefix}-${n}`, ownerUserId: `gw-${prefix}-${owner}`, adminUserIds: [] },
  });
  return {
    ...demoOrganisation,
    grids: [
      grid('k1', east, 'a', 300),
      grid('k2', east, 'a', 250),
      grid('k3', east, 'b', 200),
      grid('w1', west, 'c', 320),
    ],
  };
}

export const chatsOf = (org: Organisation): SimulatedGroupChat[] =>
  org.grids.flatMap((g) =>
    g.group
      ? [{ chatId: g.group.chatId, ownerUserId: g.group.ownerUserId, adminUserIds: [], memberCount: 300 }]
      : [],
  );

export interface GroupWorld {
  store: DynamoDbOutreachStore;
  groups: DynamoDbGroupMassSends;
  clock: { now: Date; set(localDateTime: string): void; advance(ms: number): void };
  polls: { message: PollGroupRun; delaySeconds: number }[];
  planRequests: PlanRun[];
  deps(org: Organisation, overrides?: Partial<GroupOutreachDeps>): GroupOutreachDeps;
  platform: WecomGroupMassSendApi;
}

export function groupWorld(env: EmulatedTables, endpoint: string): GroupWorld {
  const store = new DynamoDbOutreachStore(env.db, env.tables.outreach ?? '');
  const groups = new DynamoDbGroupMassSends(env.db, env.tables.outreach ?? '');
  const clock = {
    now: fromShanghaiLocal('2026-12-07T10:00'),
    set(localDateTime: string) {
      clock.now = fromShanghaiLocal(localDateTime);
    },
    advance(ms: number) {
      clock.now = new Date(clock.now.getTime() + ms);
    },
  };
  const polls: GroupWorld['polls'] = [];
  const planRequests: PlanRun[] = [];
  const tokens = new WecomApiClient({
    baseUrl: endpoint,
    corpId: async () => CORP_ID,
    appSecret: async () => APP_SECRET,
    agentId: '1000002',
    tokens: new DynamoDbWecomState(env.db, env.tables.sms ?? ''),
  });
  const platform = new WecomGroupMassSendApi({
    baseUrl: endpoint,
    tokens,
    sleep: () => new Promise((resolve) => setImmediate(resolve)),
  });
  const deps = (org: Organisation, overrides: Partial<GroupOutreachDeps> = {}): GroupOutreachDeps => ({
    campaigns: store,
    leases: store,
    planQueue: { requestPlanning: async (m) => void planRequests.push(m) },
    directory: { load: async () => org },
    slots: groups,
    log: groups,
    progress: groups,
    platform: platform satisfies GroupMassSender,
    pollQueue: {
      requestPolling: async (message, delaySeconds) => void polls.push({ message, delaySeconds }),
    },
    ownersPerPage: 2,
    leaseMs: 180_000,
    pollDelaySeconds: 900,
    remindAfterMs: 4 * HOUR_MS,
    pollWindowMs: 72 * HOUR_MS,
    now: () => clock.now,
    ...overrides,
  });
  return { store, groups, clock, polls, planRequests, deps, platform };
}

/** A one-off WeChat-group campaign, running, with its run stored in planning at the clock's time. */
export async function plannedGroupRun(
  world: GroupWorld,
  campaignId: string,
  org: Organisation,
  purpose: GroupMassSendPurpose,
): Promise<{ run: CampaignRun; request: PlanRun }> {
  const communityIds = [...new Set(org.grids.map((g) => g.communityId))];
  const channel = {
    kind: 'wecom_group' as const,
    purpose,
    text: '近期冒充客服退款诈骗高发，请勿点击陌生链接。',
  };
  const plan: CampaignPlan = {
    title: '网格群反诈提醒',
    communityIds,
    firstRunAt: shanghaiLocal(world.clock.now).dateTime,
    recurrence: { frequency: 'once' },
    channel,
  };
  const run = await storedCampaignRun(world, campaignId, plan, {
    status: 'planning',
    counts: emptyCounts(),
    planning: { communityIndex: 0, page: 0 },
  });
  return { run, request: { kind: 'outreach.plan', campaignId, runId: run.runId, token: `${campaignId}-t1` } };
}

/** `target` with some of its methods replaced (a class's private fields stay its own). */
export function withOverrides<T extends object>(target: T, overrides: Partial<T>): T {
  return new Proxy(target, {
    get(t, prop) {
      if (Object.hasOwn(overrides, prop)) return Reflect.get(overrides, prop);
      const value: unknown = Reflect.get(t, prop);
      return typeof value === 'function' ? value.bind(t) : value;
    },
  });
}

export const plenty = { remainingMs: () => 60_000, reserveMs: 5_000 };
