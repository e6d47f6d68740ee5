/**
 * Outreach to the grids' WeChat groups, on dynalite and the local WeChat Work simulator: one
 * mass-send task per group owner, the platform's monthly limit per group in planning (a notice
 * leaves the last mass-send of the month to a fraud alert), each task created once however the
 * planning request is redelivered, polling that follows the owners' confirmations to sent or not
 * sent, and one reminder per unconfirmed owner.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveWecomSimulator, type WecomSimulator } from '../../infra/local/wecom-simulator.ts';
import type { Organisation } from '../../shared/domain/organisation.ts';
import { runKeyOf } from '../../shared/domain/outreach/campaign.ts';
import type { GroupSendRecord } from '../../shared/domain/outreach/group-mass-send.ts';
import { DependencyError } from '../../shared/errors.ts';
import { planGroupRun, pollGroupRun } from '../../shared/services/group-mass-send-run.ts';
import { type EmulatedTables, emulatedTables } from '../support/emulated-tables.ts';
import {
  APP_SECRET,
  CORP_ID,
  chatsOf,
  type GroupWorld,
  groupOrganisation,
  groupWorld,
  HOUR_MS,
  plannedGroupRun,
  plenty,
  withOverrides,
} from '../support/group-outreach.ts';

const PREFIXES = [
  'tasks',
  'notice',
  'alert',
  'month',
  'replay',
  'lost',
  'poll',
  'remind',
  'stale',
  'long',
  'cancel',
  'days',
  'stop',
  'chain',
  'first',
] as const;
const orgs = Object.fromEntries(PREFIXES.map((p) => [p, groupOrganisation(p)])) as Record<
  (typeof PREFIXES)[number],
  Organisation
>;

let env: EmulatedTables;
let sim: WecomSimulator;
let world: GroupWorld;

beforeAll(async () => {
  env = await emulatedTables();
  sim = await serveWecomSimulator({
    corpId: () => CORP_ID,
    appSecret: () => APP_SECRET,
    groupChats: Object.values(orgs).flatMap(chatsOf),
    now: () => world.clock.now.getTime(),
  });
  world = groupWorld(env, sim.endpoint);
});
afterAll(async () => {
  await sim?.stop();
  await env?.stop();
});

const tasksOf = (prefix: string) => sim.massSends.filter((m) => m.sender.startsWith(`gw-${prefix}-`));

async function groupsOf(campaignId: string, runId: string): Promise<Map<string, GroupSendRecord['status']>> {
  const page = await world.groups.listGroups(runKeyOf(campaignId, runId), 100);
  return new Map(page.groups.map((g) => [g.gridId, g.status]));
}

/** Takes `n` of a group's slots this month for other campaigns' runs. */
async function useSlots(chatId: string, month: string, n: number) {
  for (let i = 0; i < n; i++) expect(await world.groups.reserve(chatId, month, `other-${i}#r`, 4)).toBe(true);
}

describe('planning a WeChat-group run', () => {
  it('creates one task per group owner, naming the owner’s groups, and then waits for confirmations', async () => {
    const { run, request } = await plannedGroupRun(world, 'cmp-g-tasks', orgs.tasks, 'notice');

    const result = await planGroupRun(request, world.deps(orgs.tasks), plenty);

    expect(result).toEqual({ status: 'planned', tasks: 3, groups: 4 });
    const tasks = tasksOf('tasks').map((t) => ({
      sender: t.sender,
      chats: t.groups.map((g) => g.chatId),
      text: t.text,
    }));
    expect(tasks).toEqual([
      { sender: 'gw-tasks-a', chats: ['wr-tasks-k1', 'wr-tasks-k2'], text: expect.stringContaining('诈骗') },
      { sender: 'gw-tasks-b', chats: ['wr-tasks-k3'], text: expect.any(String) },
      { sender: 'gw-tasks-c', chats: ['wr-tasks-w1'], text: expect.any(String) },
    ]);
    expect(await groupsOf('cmp-g-tasks', run.runId)).toEqual(
      new Map([
        ['tasks-k1', 'created'],
        ['tasks-k2', 'created'],
        ['tasks-k3', 'created'],
        ['tasks-w1', 'created'],
      ]),
    );
    const stored = await world.store.getRun('cmp-g-tasks', run.runId);
    expect(stored?.status).toBe('sending');
    expect(stored?.groupPoll?.round).toBe(0);
    expect(world.polls.filter((p) => p.message.campaignId === 'cmp-g-tasks')).toEqual([
      {
        message: { kind: 'outreach.poll_groups', campaignId: 'cmp-g-tasks', runId: run.runId, round: 0 },
        delaySeconds: 900,
      },
    ]);
  });

  it('leaves a group’s last mass-send of the month to fraud alerts: a notice skips a group with 3 taken', async () => {
    await useSlots('wr-notice-k1', '2026-12', 3);
    const { run, request } = await plannedGroupRun(world, 'cmp-g-notice', orgs.notice, 'notice');

    await planGroupRun(request, world.deps(orgs.notice), plenty);

    const groups = await groupsOf('cmp-g-notice', run.runId);
    expect(groups.get('notice-k1')).toBe('limited');
    expect(groups.get('notice-k2')).toBe('created');
    // The owner's task names only the group that may still receive it.
    expect(
      tasksOf('notice')
        .find((t) => t.sender === 'gw-notice-a')
        ?.groups.map((g) => g.chatId),
    ).toEqual(['wr-notice-k2']);
  });

  it('lets a fraud alert take the last mass-send, and none beyond the platform’s 4 a month', async () => {
    await useSlots('wr-alert-k1', '2026-12', 3);
    await useSlots('wr-alert-k3', '2026-12', 4);
    const { run, request } = await plannedGroupRun(world, 'cmp-g-alert', orgs.alert, 'fraud_alert');

    await planGroupRun(request, world.deps(orgs.alert), plenty);

    const groups = await groupsOf('cmp-g-alert', run.runId);
    expect(groups.get('alert-k1')).toBe('created');
    expect(groups.get('alert-k3')).toBe('limited');
    // gw-alert-b owns only the group at its limit: no task for them at all.
    expect(tasksOf('alert').map((t) => t.sender)).toEqual(['gw-alert-a', 'gw-alert-c']);
    expect((await world.groups.taken(['wr-alert-k1', 'wr-alert-k3'], '2026-12')).get('wr-alert-k1')).toBe(4);
  });

  it('counts the limit per calendar month in Asia/Shanghai: November’s mass-sends leave December free', async () => {
    await useSlots('wr-month-k1', '2026-11', 4);
    // 00:30 on 1 December in Shanghai is still 30 November in UTC.
    world.clock.set('2026-12-01T00:30');
    const { run, request } = await plannedGroupRun(world, 'cmp-g-month', orgs.month, 'notice');

    await planGroupRun(request, world.deps(orgs.month), plenty);

    expect((await groupsOf('cmp-g-month', run.runId)).get('month-k1')).toBe('created');
    world.clock.set('2026-12-07T10:00');
  });

  it('applies the deployment’s own monthly limit: at 31 a month, a group with 4 sends still gets a notice', async () => {
    await useSlots('wr-days-k1', '2026-12', 4);
    const { run, request } = await plannedGroupRun(world, 'cmp-g-days', orgs.days, 'notice');

    await planGroupRun(request, world.deps(orgs.days, { sendsPerMonth: 31 }), plenty);

    expect((await groupsOf('cmp-g-days', run.runId)).get('days-k1')).toBe('created');
    expect((await world.groups.taken(['wr-days-k1'], '2026-12')).get('wr-days-k1')).toBe(5);
  });

  it('creates each task once when a planner dies after creating tasks and its request is redelivered', async () => {
    const { run, request } = await plannedGroupRun(world, 'cmp-g-replay', orgs.replay, 'notice');
    let crashes = 1;
    const crashing = world.deps(orgs.replay, {
      campaigns: withOverrides(world.store, {
        // The first checkpoint never happens: the planner died right after creating the page's tasks.
        checkpointPlanning: async (...args: Parameters<typeof world.store.checkpointPlanning>) => {
          if (crashes-- > 0) throw new DependencyError('the planner died');
          return world.store.checkpointPlanning(...args);
        },
      }),
    });

    await expect(planGroupRun(request, crashing, plenty)).rejects.toThrow('the planner died');
    expect(tasksOf('replay')).toHaveLength(2);
    // SQS redelivers the same request: its token takes the lease back at once.
    const result = await planGroupRun(request, crashing, plenty);
    // …and a duplicate request (a second tick) after it finds the run planned.
    const duplicate = await planGroupRun({ ...request, token: 'another' }, world.deps(orgs.replay), plenty);

    expect(result).toMatchObject({ status: 'planned' });
    expect(duplicate).toEqual({ status: 'not_planning' });
    expect(tasksOf('replay').map((t) => t.sender)).toEqual(['gw-replay-a', 'gw-replay-b', 'gw-replay-c']);
    expect([...(await groupsOf('cmp-g-replay', run.runId)).values()]).toEqual([
      'created',
      'created',
      'created',
      'created',
    ]);
  });

  it('creates no more tasks once the campaign is cancelled while it plans, and stops those it created', async () => {
    const { run, request } = await plannedGroupRun(world, 'cmp-g-cancel', orgs.cancel, 'notice');
    const cancelling = world.deps(orgs.cancel, {
      campaigns: withOverrides(world.store, {
        // Staff cancel the campaign right after the first page's checkpoint.
        checkpointPlanning: async (...args: Parameters<typeof world.store.checkpointPlanning>) => {
          const moved = await world.store.checkpointPlanning(...args);
          await world.store.setRunStatus('cmp-g-cancel', run.runId, ['planning'], 'cancelled');
          return moved;
        },
      }),
    });

    expect(await planGroupRun(request, cancelling, plenty)).toEqual({ status: 'not_planning' });
    expect(tasksOf('cancel').map((t) => [t.sender, t.status])).toEqual([
      ['gw-cancel-a', 'cancelled'],
      ['gw-cancel-b', 'cancelled'],
    ]);
    expect((await groupsOf('cmp-g-cancel', run.runId)).get('cancel-k1')).toBe('not_sent');
  });

  it('never creates again a task whose answer was lost, and reports its groups unknown', async () => {
    const { run, request } = await plannedGroupRun(world, 'cmp-g-lost', orgs.lost, 'notice');
    const losing = world.deps(orgs.lost, {
      platform: withOverrides(world.platform, {
        createGroupTask: async (sender: string, chatIds: string[], text: string) => {
          const created = await world.platform.createGroupTask(sender, chatIds, text);
          if (sender === 'gw-lost-b')
            throw new DependencyError('WeChat Work add_msg_template could not be reached');
          return created;
        },
      }),
    });

    await planGroupRun(request, losing, plenty);

    expect(tasksOf('lost').filter((t) => t.sender === 'gw-lost-b')).toHaveLength(1);
    expect((await groupsOf('cmp-g-lost', run.runId)).get('lost-k3')).toBe('unknown');
    expect((await world.groups.getTask(runKeyOf('cmp-g-lost', run.runId), 'gw-lost-b'))?.status).toBe(
      'unknown',
    );
  });
});

describe('polling a WeChat-group run', () => {
  it('marks groups sent once their owner confirms, and the others not sent when the window closes', async () => {
    const { run, request } = await plannedGroupRun(world, 'cmp-g-poll', orgs.poll, 'fraud_alert');
    const deps = world.deps(orgs.poll);
    await planGroupRun(request, deps, plenty);
    const task = tasksOf('poll').find((t) => t.sender === 'gw-poll-a');
    sim.confirmMassSend(task?.msgid ?? '', 'gw-poll-a');
    world.clock.advance(HOUR_MS);

    const first = await pollGroupRun(
      { kind: 'outreach.poll_groups', campaignId: 'cmp-g-poll', runId: run.runId, round: 0 },
      deps,
    );

    expect(first).toEqual({ status: 'polled', open: 2, reminded: 0, next: 1 });
    expect(await groupsOf('cmp-g-poll', run.runId)).toEqual(
      new Map([
        ['poll-k1', 'sent'],
        ['poll-k2', 'sent'],
        ['poll-k3', 'created'],
        ['poll-w1', 'created'],
      ]),
    );
    expect(world.polls.at(-1)).toEqual({
      message: { kind: 'outreach.poll_groups', campaignId: 'cmp-g-poll', runId: run.runId, round: 1 },
      delaySeconds: 900,
    });

    world.clock.advance(72 * HOUR_MS);
    const last = await pollGroupRun(
      { kind: 'outreach.poll_groups', campaignId: 'cmp-g-poll', runId: run.runId, round: 1 },
      deps,
    );

    expect(last).toMatchObject({ status: 'completed', counts: { sent: 2, not_sent: 2 } });
    const stored = await world.store.getRun('cmp-g-poll', run.runId);
    expect(stored?.status).toBe('completed');
    expect(stored?.counts).toMatchObject({ enqueued: 4, sent: 2, failed: 2, capped: 0 });
    expect((await world.store.get('cmp-g-poll'))?.status).toBe('completed');
  });

  it('reminds an owner who has not confirmed after four hours, once', async () => {
    const { run, request } = await plannedGroupRun(world, 'cmp-g-remind', orgs.remind, 'notice');
    const deps = world.deps(orgs.remind);
    await planGroupRun(request, deps, plenty);
    const poll = (round: number) =>
      pollGroupRun(
        { kind: 'outreach.poll_groups', campaignId: 'cmp-g-remind', runId: run.runId, round },
        deps,
      );

    world.clock.advance(HOUR_MS);
    expect(await poll(0)).toMatchObject({ status: 'polled', reminded: 0 });
    world.clock.advance(4 * HOUR_MS);
    expect(await poll(1)).toMatchObject({ status: 'polled', open: 3, reminded: 3 });
    world.clock.advance(30 * HOUR_MS);
    expect(await poll(2)).toMatchObject({ status: 'polled', open: 3, reminded: 0 });

    expect(tasksOf('remind').map((t) => t.reminders)).toEqual([1, 1, 1]);
    world.clock.set('2026-12-07T10:00');
  });

  it('continues a round that would outlast its invocation from the next page of tasks, in another', async () => {
    const { run, request } = await plannedGroupRun(world, 'cmp-g-long', orgs.long, 'notice');
    const deps = world.deps(orgs.long, { pollPageSize: 1 });
    await planGroupRun(request, deps, plenty);
    for (const t of tasksOf('long')) sim.confirmMassSend(t.msgid, t.sender);
    let left = 2;
    // The invocation's time runs out after a few pages.
    const short = { remainingMs: () => (left-- > 0 ? 60_000 : 0), reserveMs: 5_000 };
    const round0 = {
      kind: 'outreach.poll_groups' as const,
      campaignId: 'cmp-g-long',
      runId: run.runId,
      round: 0,
    };

    expect(await pollGroupRun(round0, deps, short)).toMatchObject({ status: 'continued' });
    const continuation = world.polls.at(-1);
    expect(continuation).toEqual({
      message: { ...round0, cursor: expect.any(String), open: 0 },
      delaySeconds: 0,
    });
    const next = continuation?.message ?? round0;
    expect(await pollGroupRun(next, deps, plenty)).toMatchObject({
      status: 'completed',
      counts: { sent: 4 },
    });
    expect((await world.store.getRun('cmp-g-long', run.runId))?.status).toBe('completed');
  });

  it('stops the unsent tasks of a campaign cancelled while owners had not confirmed, and polls no more', async () => {
    const { run, request } = await plannedGroupRun(world, 'cmp-g-stop', orgs.stop, 'notice');
    const deps = world.deps(orgs.stop);
    await planGroupRun(request, deps, plenty);
    const confirmed = tasksOf('stop').find((t) => t.sender === 'gw-stop-b');
    sim.confirmMassSend(confirmed?.msgid ?? '', 'gw-stop-b');
    await world.store.setRunStatus('cmp-g-stop', run.runId, ['sending'], 'cancelled');
    const polls = world.polls.length;

    const result = await pollGroupRun(
      { kind: 'outreach.poll_groups', campaignId: 'cmp-g-stop', runId: run.runId, round: 0 },
      deps,
    );

    expect(result).toEqual({ status: 'cancelled', open: 0 });
    expect(tasksOf('stop').map((t) => [t.sender, t.status])).toEqual([
      ['gw-stop-a', 'cancelled'],
      ['gw-stop-b', 'sent'],
      ['gw-stop-c', 'cancelled'],
    ]);
    expect(await groupsOf('cmp-g-stop', run.runId)).toEqual(
      new Map([
        ['stop-k1', 'not_sent'],
        ['stop-k2', 'not_sent'],
        ['stop-k3', 'sent'],
        ['stop-w1', 'not_sent'],
      ]),
    );
    expect(world.polls).toHaveLength(polls);
    expect(() => sim.confirmMassSend(tasksOf('stop')[0]?.msgid ?? '', 'gw-stop-a')).toThrow('stopped');
  });

  it('asks for its first round again when planning is redelivered after the request was lost', async () => {
    const { run, request } = await plannedGroupRun(world, 'cmp-g-first', orgs.first, 'notice');
    const queueDown = world.deps(orgs.first, {
      pollQueue: {
        requestPolling: async () => {
          throw new DependencyError('the outreach-plan queue is unavailable');
        },
      },
    });
    await expect(planGroupRun(request, queueDown, plenty)).rejects.toThrow(DependencyError);

    const before = world.polls.length;
    await planGroupRun(request, world.deps(orgs.first), plenty);
    expect(world.polls.slice(before)).toEqual([
      {
        message: { kind: 'outreach.poll_groups', campaignId: 'cmp-g-first', runId: run.runId, round: 0 },
        delaySeconds: 900,
      },
    ]);
    expect(tasksOf('first')).toHaveLength(3);
  });

  it('keeps polling when the next round cannot be queued: the redelivered round polls again and asks again', async () => {
    const { run, request } = await plannedGroupRun(world, 'cmp-g-chain', orgs.chain, 'notice');
    await planGroupRun(request, world.deps(orgs.chain), plenty);
    world.clock.advance(HOUR_MS);
    const round0 = {
      kind: 'outreach.poll_groups' as const,
      campaignId: 'cmp-g-chain',
      runId: run.runId,
      round: 0,
    };
    // The queue is down as the round ends: the request fails and SQS will deliver it again.
    const queueDown = world.deps(orgs.chain, {
      pollQueue: {
        requestPolling: async () => {
          throw new DependencyError('the outreach-plan queue is unavailable');
        },
      },
    });
    await expect(pollGroupRun(round0, queueDown)).rejects.toThrow(DependencyError);

    const before = world.polls.length;
    expect(await pollGroupRun(round0, world.deps(orgs.chain))).toMatchObject({ status: 'polled', next: 1 });
    expect(world.polls.slice(before)).toEqual([{ message: { ...round0, round: 1 }, delaySeconds: 900 }]);
    expect((await world.store.getRun('cmp-g-chain', run.runId))?.groupPoll?.round).toBe(1);
  });

  it('drops a poll request of a round already polled (a duplicate), asking the platform nothing', async () => {
    const { run, request } = await plannedGroupRun(world, 'cmp-g-stale', orgs.stale, 'notice');
    const deps = world.deps(orgs.stale);
    await planGroupRun(request, deps, plenty);
    const round0 = {
      kind: 'outreach.poll_groups' as const,
      campaignId: 'cmp-g-stale',
      runId: run.runId,
      round: 0,
    };
    await pollGroupRun(round0, deps);
    const calls = sim.massSendCalls();

    expect(await pollGroupRun(round0, deps)).toEqual({ status: 'stale' });
    expect(sim.massSendCalls()).toBe(calls);
    expect(world.polls.filter((p) => p.message.campaignId === 'cmp-g-stale')).toHaveLength(2);
  });
});
