/**
 * A county-wide notice to the grids' WeChat groups (issue 16 item 2), at the seed's size: 2,348
 * grids, each with its group and its own grid worker as owner, across the demo county's 193
 * communities (~150,000 households). The real planner (`planGroupRun`, composed as plan-outreach
 * composes it: 25 owners a page) creates the tasks against the local WeChat Work simulator over
 * HTTP, with the run, its checkpoints, tasks, groups and monthly slots on dynalite; each
 * "invocation" has a 120 s budget and hands over to a continuation as the function would. The
 * platform's limits are exercised: 100 groups already had 3 mass-sends this month (a notice must
 * leave them out) and the simulator answers 45009 (over the frequency limit) in bursts, which the
 * client backs off from. Then every owner confirms and one polling round reads every task back.
 *
 * Checked afterwards (any difference throws): one task per owner and none twice, no task naming a
 * group at its limit, no group over 4 mass-sends this month, every group recorded. Memory is the
 * process's heap (dynalite and the simulator share it), sampled every 20 ms.
 */
import { performance } from 'node:perf_hooks';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { demoOrganisation } from '../../infra/demo/demo-organisation.ts';
import { startEmulators } from '../../infra/local/emulators.ts';
import { provision } from '../../infra/local/provision.ts';
import { serveWecomSimulator } from '../../infra/local/wecom-simulator.ts';
import { topology } from '../../infra/topology.ts';
import { createDocumentClient } from '../../shared/adapters/aws-clients.ts';
import { DynamoDbGroupMassSends } from '../../shared/adapters/dynamodb-group-mass-sends.ts';
import { DynamoDbOutreachStore } from '../../shared/adapters/dynamodb-outreach-store.ts';
import { DynamoDbWecomState } from '../../shared/adapters/dynamodb-wecom-state.ts';
import { WecomApiClient } from '../../shared/adapters/wecom-api.ts';
import { WecomGroupMassSendApi } from '../../shared/adapters/wecom-group-mass-send.ts';
import type { Grid, Organisation } from '../../shared/domain/organisation.ts';
import {
  type CampaignRun,
  emptyCounts,
  type PlanRun,
  type PollGroupRun,
  runIdOf,
  runKeyOf,
} from '../../shared/domain/outreach/campaign.ts';
import { groupSendMonth } from '../../shared/domain/outreach/group-mass-send.ts';
import {
  type GroupOutreachDeps,
  planGroupRun,
  pollGroupRun,
} from '../../shared/services/group-mass-send-run.ts';

export interface GroupBenchOptions {
  groups: number;
  /** Groups that already had 3 mass-sends this month. */
  nearLimit: number;
  /** Every this many platform calls, the next few are answered 45009. */
  rateLimitEvery: number;
  rateLimitBurst: number;
  progress: (line: string) => void;
}

export interface GroupBenchReport {
  groups: number;
  owners: number;
  households: number;
  invocations: number;
  planMs: number;
  tasks: number;
  groupsInTasks: number;
  limited: number;
  rateLimitedAnswers: number;
  massSendCalls: number;
  tokens: number;
  heapBaselineMb: number;
  heapPeakMb: number;
  pollMs: number;
  pollCalls: number;
  pollInvocations: number;
  sent: number;
  maxPerGroupThisMonth: number;
}

const CORP = 'ww00000000000000b1';
const SECRET = 'bench-app-secret';
const INVOCATION_MS = 120_000;
const RESERVE_MS = 20_000;

function countyOfGroups(n: number): Organisation {
  const communities = demoOrganisation.communities;
  const grids: Grid[] = Array.from({ length: n }, (_, i) => {
    const community = communities[i % communities.length];
    const id = `bench-${String(i).padStart(4, '0')}`;
    return {
      id,
      communityId: community?.id ?? '',
      zh: `第${i + 1}网格`,
      // 150,000 households over 2,348 grids.
      households: Math.max(1, Math.round(150_000 / n)),
      group: { chatId: `wr${id}`, ownerUserId: `gw${id}`, adminUserIds: [] },
    };
  });
  return { ...demoOrganisation, grids };
}

export async function benchWecomGroups(options: GroupBenchOptions): Promise<GroupBenchReport> {
  const org = countyOfGroups(options.groups);
  const emulators = await startEmulators({});
  const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
  const dynamo = new DynamoDBClient({ endpoint: emulators.dynamoEndpoint, region: 'us-east-1', credentials });
  const sqs = new SQSClient({ endpoint: emulators.sqsEndpoint, region: 'us-east-1', credentials });
  const { tables } = await provision({ ...topology, queues: [] }, dynamo, sqs);
  sqs.destroy();
  const sim = await serveWecomSimulator({
    corpId: () => CORP,
    appSecret: () => SECRET,
    groupChats: org.grids.flatMap((g) =>
      g.group
        ? [{ chatId: g.group.chatId, ownerUserId: g.group.ownerUserId, adminUserIds: [], memberCount: 64 }]
        : [],
    ),
  });
  let peakHeap = 0;
  const sampler = setInterval(() => {
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  }, 20);
  try {
    const db = createDocumentClient(dynamo);
    const store = new DynamoDbOutreachStore(db, tables.outreach ?? '');
    const groups = new DynamoDbGroupMassSends(db, tables.outreach ?? '');
    const tokens = new WecomApiClient({
      baseUrl: sim.endpoint,
      corpId: async () => CORP,
      appSecret: async () => SECRET,
      agentId: '1000002',
      tokens: new DynamoDbWecomState(db, tables.sms ?? ''),
    });
    // Count 45009 answers as the client meets them, and inject bursts of them.
    let calls = 0;
    let rateLimited = 0;
    const countingFetch: typeof fetch = async (input, init) => {
      calls += 1;
      if (calls % options.rateLimitEvery === 0) sim.rateLimitNext(options.rateLimitBurst);
      const response = await fetch(input, init);
      const text = await response.text();
      if (text.includes('"errcode":45009')) rateLimited += 1;
      return new Response(text, { status: response.status, headers: response.headers });
    };
    const platform = new WecomGroupMassSendApi({ baseUrl: sim.endpoint, tokens, fetch: countingFetch });
    const continuations: PlanRun[] = [];
    const deps: GroupOutreachDeps = {
      campaigns: store,
      leases: store,
      planQueue: { requestPlanning: async (m) => void continuations.push(m) },
      directory: { load: async () => org },
      slots: groups,
      log: groups,
      progress: groups,
      platform,
      pollQueue: { requestPolling: async () => undefined },
      ownersPerPage: 25,
      leaseMs: 180_000,
      pollDelaySeconds: 900,
      remindAfterMs: 4 * 3_600_000,
      pollWindowMs: 72 * 3_600_000,
      now: () => new Date(),
    };

    const now = new Date();
    const month = groupSendMonth(now);
    const near = org.grids.slice(0, options.nearLimit).flatMap((g) => (g.group ? [g.group.chatId] : []));
    for (const chatId of near)
      for (let i = 0; i < 3; i++) await groups.reserve(chatId, month, `earlier-${i}#r`, 4);

    const communityIds = org.communities.map((c) => c.id);
    const channel = {
      kind: 'wecom_group' as const,
      purpose: 'notice' as const,
      text: '县反诈中心提醒：近期冒充客服退款诈骗高发，请勿点击陌生链接，不向陌生账户转账。',
    };
    const run: CampaignRun = {
      campaignId: 'cmp-bench-groups',
      runId: runIdOf(now),
      occurrenceAt: now.toISOString(),
      campaignVersion: 1,
      title: '全县网格群反诈通知',
      communityIds,
      channel,
      status: 'planning',
      createdAt: now.toISOString(),
      counts: emptyCounts(),
      planning: { communityIndex: 0, page: 0 },
    };
    await store.createRun(run);
    if (global.gc) global.gc();
    const heapBaseline = process.memoryUsage().heapUsed;
    peakHeap = heapBaseline;

    options.progress(`WeChat groups: creating ${options.groups} tasks`);
    const started = performance.now();
    let invocations = 0;
    let request: PlanRun | undefined = {
      kind: 'outreach.plan',
      campaignId: run.campaignId,
      runId: run.runId,
      token: 'bench-1',
    };
    while (request) {
      invocations += 1;
      const deadline = performance.now() + INVOCATION_MS;
      const result = await planGroupRun(request, deps, {
        remainingMs: () => deadline - performance.now(),
        reserveMs: RESERVE_MS,
      });
      request = result.status === 'continued' ? continuations.shift() : undefined;
    }
    const planMs = performance.now() - started;
    const massSendCalls = sim.massSendCalls();

    // Check what the platform holds against what planning was to do.
    const tasks = sim.massSends.filter((t) => t.sender.startsWith('gwbench-'));
    const senders = new Set(tasks.map((t) => t.sender));
    if (senders.size !== tasks.length)
      throw new Error(`${tasks.length - senders.size} owners got a second task`);
    const nearSet = new Set(near);
    const inTasks = tasks.flatMap((t) => t.groups.map((g) => g.chatId));
    if (inTasks.some((c) => nearSet.has(c))) throw new Error('a task names a group at its limit for notices');
    if (inTasks.length !== options.groups - near.length)
      throw new Error(`${inTasks.length} groups in tasks, expected ${options.groups - near.length}`);
    let recorded = 0;
    let limited = 0;
    let cursor: string | undefined;
    do {
      const page = await groups.listGroups(runKeyOf(run.campaignId, run.runId), 500, cursor);
      recorded += page.groups.length;
      limited += page.groups.filter((g) => g.status === 'limited').length;
      cursor = page.cursor;
    } while (cursor);
    if (recorded !== options.groups)
      throw new Error(`${recorded} groups recorded, expected ${options.groups}`);
    const taken = await groups.taken(
      org.grids.flatMap((g) => (g.group ? [g.group.chatId] : [])),
      month,
    );
    const maxPerGroup = Math.max(...taken.values());
    if (maxPerGroup > 4) throw new Error(`a group has ${maxPerGroup} mass-sends this month`);

    options.progress('WeChat groups: every owner confirms; one polling round');
    for (const t of tasks) sim.confirmMassSend(t.msgid, t.sender);
    const pollStart = performance.now();
    const beforePoll = sim.massSendCalls();
    const polls: PollGroupRun[] = [];
    const pollDeps: GroupOutreachDeps = {
      ...deps,
      pollQueue: { requestPolling: async (m) => void polls.push(m) },
    };
    let next: PollGroupRun | undefined = {
      kind: 'outreach.poll_groups',
      campaignId: run.campaignId,
      runId: run.runId,
      round: 0,
    };
    let polled: Awaited<ReturnType<typeof pollGroupRun>> = { status: 'stale' };
    let pollInvocations = 0;
    while (next) {
      pollInvocations += 1;
      const deadline = performance.now() + INVOCATION_MS;
      polled = await pollGroupRun(next, pollDeps, {
        remainingMs: () => deadline - performance.now(),
        reserveMs: RESERVE_MS,
      });
      next = polled.status === 'continued' ? polls.shift() : undefined;
    }
    const pollMs = performance.now() - pollStart;
    const sent = polled.status === 'completed' ? polled.counts.sent : -1;
    if (sent !== inTasks.length)
      throw new Error(`polling found ${sent} groups sent, expected ${inTasks.length}`);

    return {
      groups: options.groups,
      owners: senders.size,
      households: org.grids.reduce((sum, g) => sum + g.households, 0),
      invocations,
      planMs,
      tasks: tasks.length,
      groupsInTasks: inTasks.length,
      limited,
      rateLimitedAnswers: rateLimited,
      massSendCalls,
      tokens: sim.tokensIssued(),
      heapBaselineMb: heapBaseline / 2 ** 20,
      heapPeakMb: peakHeap / 2 ** 20,
      pollMs,
      pollCalls: sim.massSendCalls() - beforePoll,
      pollInvocations,
      sent,
      maxPerGroupThisMonth: maxPerGroup,
    };
  } finally {
    clearInterval(sampler);
    await sim.stop();
    dynamo.destroy();
    await emulators.stop();
  }
}
