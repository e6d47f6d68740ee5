/**
 * Statistics by channel (issue 16 item 7) on dynalite: cases counted once per channel when they
 * leave `received`, SMS reach counted per batch as the sender records it (a redelivered batch
 * once), WeChat groups as the poller records them sent (once), all per township and month in `GET /api/stats`'s `byChannel`, narrowed to a township
 * centre's own communities, in the CSV export, and still there once the months are settled and
 * the balances rebuilt.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoOrganisation } from '../../infra/demo/demo-organisation.ts';
import { DynamoDbCaseStore } from '../../shared/adapters/dynamodb-case-store.ts';
import { DynamoDbGroupMassSends } from '../../shared/adapters/dynamodb-group-mass-sends.ts';
import { DynamoDbStatsStore } from '../../shared/adapters/dynamodb-stats-store.ts';
import type { StatsChange } from '../../shared/domain/case-statistics.ts';
import { wecomReachDeltas } from '../../shared/domain/channel-statistics.ts';
import type { Channel } from '../../shared/domain/report.ts';
import type { Staff } from '../../shared/domain/staff.ts';
import { defaultPolicies } from '../../shared/reference/default-policies.ts';
import { getStats, type StatsQueryDeps } from '../../shared/services/case-queries.ts';
import { countingGroupReach } from '../../shared/services/count-group-reach.ts';
import { sendOutreachBatch } from '../../shared/services/send-outreach-batch.ts';
import { statisticsCsv } from '../../shared/services/statistics-export.ts';
import { type EmulatedTables, emulatedTables } from '../support/emulated-tables.ts';
import {
  batchOf,
  householdsOf,
  type OutreachWorld,
  outreachWorld,
  startedSmsRun,
} from '../support/outreach.ts';

let env: EmulatedTables;
let stats: DynamoDbStatsStore;
let world: OutreachWorld;
let deps: StatsQueryDeps;
const supervisor: Staff = { role: 'county_supervisor', userId: 'sup', name: 'Supervisor' };
const chengdongCentre: Staff = {
  role: 'centre_dispatcher',
  userId: 'cd',
  name: 'Dispatcher',
  unitId: 'centre-chengdong',
  townshipId: 'chengdong',
};

/** A case's first counted change: out of `received` on `at`, at a unit of its township. */
const intake = (code: string, channel: Channel, communityId: string, at: string): StatsChange => ({
  kind: 'stats',
  trackingCode: code,
  version: 2,
  communityId,
  category: 'road',
  channel,
  at,
  from: { stage: 'received', unitId: 'transport', since: at },
  to: { stage: 'dispatched', unitId: 'transport' },
  action: 'dispatch',
});

beforeAll(async () => {
  env = await emulatedTables();
  stats = new DynamoDbStatsStore(env.db, env.tables.stats ?? '');
  world = outreachWorld(env);
  deps = {
    cases: new DynamoDbCaseStore(env.db, env.tables.cases ?? ''),
    stats,
    directory: { load: async () => demoOrganisation },
    policies: { loadPolicies: async () => defaultPolicies },
    now: () => new Date('2026-12-01T02:00:00.000Z'),
  };
  // October: two web cases and one by SMS in chengdong, one from WeChat Work in chengxi.
  await stats.record(intake('CHAN00001', 'web', 'chengdong-kangning', '2026-10-05T02:00:00.000Z'));
  await stats.record(intake('CHAN00002', 'web', 'chengdong-taihe', '2026-10-06T02:00:00.000Z'));
  await stats.record(intake('CHAN00003', 'sms', 'chengdong-kangning', '2026-10-07T02:00:00.000Z'));
  await stats.record(intake('CHAN00004', 'wecom', 'chengxi-gucheng', '2026-10-08T02:00:00.000Z'));
  // A replay of one intake, and a later change of the same case: neither counts it again.
  await stats.record(intake('CHAN00004', 'wecom', 'chengxi-gucheng', '2026-10-08T02:00:00.000Z'));
  await stats.record({
    ...intake('CHAN00004', 'wecom', 'chengxi-gucheng', '2026-10-09T02:00:00.000Z'),
    version: 3,
    from: { stage: 'dispatched', unitId: 'transport', since: '2026-10-08T02:00:00.000Z' },
    to: { stage: 'in_progress', unitId: 'transport' },
    action: 'accept',
  });
  // November: one grid worker's entry in chengdong.
  await stats.record(intake('CHAN00005', 'grid_worker', 'chengdong-qinhan', '2026-11-20T02:00:00.000Z'));
});
afterAll(async () => {
  await env?.stop();
});

describe('statistics by channel', () => {
  it('counts each case once under the channel it came in by, per township and month', async () => {
    const s = await getStats(supervisor, deps, { from: '2026-10-01', to: '2026-11-30' });
    const october = s.byChannel.filter((r) => r.month === '2026-10');
    expect(october.map((r) => [r.townshipId, r.intake])).toEqual([
      ['chengdong', { web: 2, sms: 1, grid_worker: 0, wecom: 0 }],
      ['chengxi', { web: 0, sms: 0, grid_worker: 0, wecom: 1 }],
    ]);
    expect(s.byChannel.filter((r) => r.month === '2026-11').map((r) => [r.townshipId, r.intake])).toEqual([
      ['chengdong', { web: 0, sms: 0, grid_worker: 1, wecom: 0 }],
    ]);
  });

  it('counts the households each SMS batch reached, a redelivered batch once and an opted-out household not at all', async () => {
    world.clock.set('2026-12-01T10:00');
    const kangning = householdsOf('chan-k', 'chengdong-kangning', 3, 71);
    const gucheng = householdsOf('chan-g', 'chengxi-gucheng', 2, 72);
    await world.registry.upsert([...kangning, ...gucheng]);
    await world.sms.optOut(kangning[2]?.phones[0] ?? '', world.clock.now.toISOString());
    const run = await startedSmsRun(world, 'cmp-chan', 5);
    const batch = batchOf(run, '0.0', [...kangning, ...gucheng]);
    const sendDeps = { ...world.sendDeps, reach: stats };

    await sendOutreachBatch(batch, sendDeps, { deliveryId: 'm-1', finalAttempt: false });
    // The same batch delivered again (SQS at least once): nothing sent, nothing counted twice.
    await sendOutreachBatch(batch, sendDeps, { deliveryId: 'm-2', finalAttempt: false });

    const s = await getStats(supervisor, deps, { from: '2026-12-01', to: '2026-12-31' });
    expect(s.byChannel.map((r) => [r.month, r.townshipId, r.reach])).toEqual([
      ['2026-12', 'chengdong', { sms: { households: 2 }, wecom: { groups: 0, households: 0 } }],
      ['2026-12', 'chengxi', { sms: { households: 2 }, wecom: { groups: 0, households: 0 } }],
    ]);
  });

  it('counts WeChat groups and their households under the id of the mass-send, once', async () => {
    const groups = [
      { communityId: 'chengdong-taihe', households: 300 },
      { communityId: 'chengdong-taihe', households: 120 },
    ];
    const at = new Date('2026-12-02T03:00:00.000Z');
    await stats.recordReach('wecom#cmp-w#run-1', at, wecomReachDeltas(groups));
    await stats.recordReach('wecom#cmp-w#run-1', at, wecomReachDeltas(groups));

    const s = await getStats(supervisor, deps, { from: '2026-12-02', to: '2026-12-02' });
    expect(s.byChannel).toEqual([
      expect.objectContaining({
        townshipId: 'chengdong',
        reach: { sms: { households: 0 }, wecom: { groups: 2, households: 420 } },
      }),
    ]);
  });

  it("counts a group once when the poller records it sent, with its grid's households, and not a group left unsent", async () => {
    const log = countingGroupReach(new DynamoDbGroupMassSends(env.db, env.tables.outreach ?? ''), {
      reach: stats,
      directory: { load: async () => demoOrganisation },
      now: () => new Date('2026-12-03T03:00:00.000Z'),
    });
    const [sentGrid, unsentGrid] = demoOrganisation.grids.filter(
      (g) => g.communityId === 'chengdong-shuncheng',
    );
    if (!sentGrid?.group || !unsentGrid?.group)
      throw new Error('the demo has two grids in chengdong-shuncheng');
    const runKey = 'cmp-groups#20261203T1100';
    for (const grid of [sentGrid, unsentGrid])
      await log.putGroup(runKey, {
        chatId: grid.group?.chatId ?? '',
        gridId: grid.id,
        communityId: grid.communityId,
        townshipId: 'chengdong',
        households: grid.households,
        ownerUserId: grid.group?.ownerUserId ?? '',
        status: 'created',
      });
    const where = (gridId: string) => ({ townshipId: 'chengdong', gridId });

    expect(await log.setGroupStatus(runKey, where(sentGrid.id), ['created'], 'sent')).toBe(true);
    // The next round finds the same result again: the status no longer moves, nothing is added.
    expect(await log.setGroupStatus(runKey, where(sentGrid.id), ['created'], 'sent')).toBe(false);
    expect(await log.setGroupStatus(runKey, where(unsentGrid.id), ['created'], 'not_sent')).toBe(true);

    const s = await getStats(supervisor, deps, { from: '2026-12-03', to: '2026-12-03' });
    expect(s.byChannel).toEqual([
      expect.objectContaining({
        townshipId: 'chengdong',
        reach: { sms: { households: 0 }, wecom: { groups: 1, households: sentGrid.households } },
      }),
    ]);
  });

  it("shows a township centre its own township's rows only", async () => {
    const s = await getStats(chengdongCentre, deps, { from: '2026-10-01', to: '2026-12-31' });
    expect(s.byChannel.length).toBeGreaterThan(0);
    expect(new Set(s.byChannel.map((r) => r.townshipId))).toEqual(new Set(['chengdong']));
  });

  it('answers the last 12 months by channel with the all-time figures', async () => {
    const s = await getStats(supervisor, { ...deps, now: () => new Date('2026-12-05T02:00:00.000Z') });
    expect(s.range).toBeUndefined();
    expect([...new Set(s.byChannel.map((r) => r.month))]).toEqual(['2026-10', '2026-11', '2026-12']);
    const inNextYear = await getStats(supervisor, {
      ...deps,
      now: () => new Date('2027-10-15T02:00:00.000Z'),
    });
    expect(inNextYear.byChannel.map((r) => r.month)).toEqual(['2026-11', '2026-12', '2026-12']);
  });

  it('writes a row per township and month with the channel columns in the CSV export', async () => {
    const s = await getStats(supervisor, deps, { from: '2026-10-01', to: '2026-10-31' });
    const lines = statisticsCsv(s, demoOrganisation, 'en').split('\r\n');
    expect(lines[0]).toMatch(
      /,Month,Intake web,Intake SMS,Intake grid worker,Intake WeChat Work,SMS households reached,WeChat groups reached,WeChat group households reached$/,
    );
    const chengdong = lines.find((l) => l.startsWith('channels per township and month,chengdong,'));
    expect(chengdong?.split(',').slice(-8)).toEqual(['2026-10', '2', '1', '0', '0', '0', '0', '0']);
    const columns = lines[0]?.split(',').length;
    expect(chengdong?.split(',')).toHaveLength(columns ?? 0);
  });

  it('keeps the figures once the months are settled into their aggregates and the balances rebuilt', async () => {
    const before = await getStats(supervisor, deps, { from: '2026-10-01', to: '2026-12-31' });
    const shunchengFirst =
      demoOrganisation.grids.find((g) => g.communityId === 'chengdong-shuncheng')?.households ?? 0;
    const unitIds = demoOrganisation.units.map((u) => u.id);
    await stats.settle(unitIds, '2026-12-31');
    await stats.rebuildBalances(unitIds, '2026-12-31');
    const after = await getStats(supervisor, deps, { from: '2026-10-01', to: '2026-12-31' });
    expect(after.byChannel).toEqual(before.byChannel);
    expect(after.byChannel.find((r) => r.month === '2026-12' && r.townshipId === 'chengdong')?.reach).toEqual(
      {
        sms: { households: 2 },
        wecom: { groups: 3, households: 420 + shunchengFirst },
      },
    );
  });
});
