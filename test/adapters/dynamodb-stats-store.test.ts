import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbStatsStore } from '../../shared/adapters/dynamodb-stats-store.ts';
import type { StatsChange } from '../../shared/ports/stats-store.ts';
import { type EmulatedTables, emulatedTables } from '../support/emulated-tables.ts';

let env: EmulatedTables;
let table: string;
let stats: DynamoDbStatsStore;
let codes = 0;

beforeAll(async () => {
  env = await emulatedTables();
  table = env.tables.stats ?? '';
});
afterAll(async () => {
  await env?.stop();
});

/** A fresh store over a fresh set of units, so the tests do not see each other's counts. */
function freshUnits() {
  const n = ++codes;
  return { a: `unit-a${n}`, b: `unit-b${n}`, community: `community-${n}` };
}

const change = (
  code: string,
  version: number,
  from: StatsChange['from'],
  to: StatsChange['to'],
  extra: Partial<StatsChange> = {},
): StatsChange => ({
  kind: 'stats',
  trackingCode: code,
  version,
  communityId: 'dongquan-weijiazhuang',
  category: 'road',
  at: '2026-11-30T10:00:00.000Z',
  from,
  to,
  ...extra,
});

beforeAll(() => {
  stats = new DynamoDbStatsStore(env.db, table);
});

describe('statistics kept as day counters per unit', () => {
  it('counts each change once, however often it is replayed', async () => {
    const { a, community } = freshUnits();
    const created = change(
      'AAAAAAAA1',
      1,
      { stage: 'received', unitId: a, since: '2026-11-30T09:00:00.000Z' },
      { stage: 'dispatched', unitId: a },
      { communityId: community },
    );
    const accepted = change(
      'AAAAAAAA1',
      2,
      { stage: 'dispatched', unitId: a, since: '2026-11-30T10:00:00.000Z' },
      { stage: 'in_progress', unitId: a },
      { communityId: community, at: '2026-11-30T11:00:00.000Z' },
    );
    const other = change(
      'AAAAAAAA2',
      1,
      { stage: 'received', unitId: a, since: '2026-11-30T09:00:00.000Z' },
      { stage: 'dispatched', unitId: a },
      { communityId: community },
    );
    for (const c of [created, created, accepted, accepted, other, other, other]) await stats.record(c);
    // Replays running at the same moment must not both count.
    await Promise.all([stats.record(accepted), stats.record(accepted), stats.record(other)]);

    const snapshot = await stats.snapshot([a]);
    expect(snapshot.byUnit[a]).toEqual({ dispatched: 1, in_progress: 1 });
    expect(snapshot.byCommunity[community]).toEqual({ dispatched: 1, in_progress: 1 });
    expect(snapshot.meanMsInStage.received).toBe(3_600_000);
    expect(snapshot.meanMsInStage.dispatched).toBe(3_600_000);
  });

  it('moves a reassigned case between units without counting it twice', async () => {
    const { a, b } = freshUnits();
    await stats.record(
      change(
        'BBBBBBBB1',
        1,
        { stage: 'received', unitId: a, since: '2026-11-30T09:00:00.000Z' },
        { stage: 'dispatched', unitId: a },
      ),
    );
    const reassigned = change(
      'BBBBBBBB1',
      2,
      { stage: 'dispatched', unitId: a, since: '2026-11-30T09:00:00.000Z' },
      { stage: 'dispatched', unitId: b },
    );
    await stats.record(reassigned);
    await stats.record(reassigned);
    const snapshot = await stats.snapshot([a, b]);
    expect(snapshot.byUnit[a]?.dispatched ?? 0).toBe(0);
    expect(snapshot.byUnit[b]?.dispatched).toBe(1);
    expect(snapshot.byStage.dispatched).toBe(1);
  });

  it('averages satisfaction from sums and counts, and counts escalations per unit', async () => {
    const { a } = freshUnits();
    const rate = (code: string, score: number) =>
      change(
        code,
        7,
        { stage: 'closed', unitId: a, since: '2026-11-30T08:00:00.000Z' },
        { stage: 'evaluated', unitId: a },
        { rating: score },
      );
    await stats.record(rate('CCCCCCCC1', 5));
    await stats.record(rate('CCCCCCCC2', 2));
    await stats.record(rate('CCCCCCCC2', 2));
    await stats.record(
      change(
        'CCCCCCCC3',
        3,
        { stage: 'dispatched', unitId: a, since: '2026-11-30T08:00:00.000Z' },
        { stage: 'dispatched', unitId: a },
        { escalated: true },
      ),
    );
    const snapshot = await stats.snapshot([a]);
    expect(snapshot.satisfaction.byUnit[a]).toEqual({ ratings: 2, mean: 3.5 });
    expect(snapshot.overdueByUnit[a]).toBe(1);
  });

  it('keeps one day bucket per unit whose size does not depend on how many cases came before', async () => {
    const { a } = freshUnits();
    for (let day = 1; day <= 3; day++) {
      for (let i = 0; i < 20; i++) {
        await stats.record(
          change(
            `D${day}${String(i).padStart(7, '0')}`,
            1,
            { stage: 'received', unitId: a, since: `2026-10-0${day}T01:00:00.000Z` },
            { stage: 'dispatched', unitId: a },
            { at: `2026-10-0${day}T02:00:00.000Z` },
          ),
        );
      }
    }
    const day = async (d: string) =>
      (
        await env.db.send(
          new GetCommand({
            TableName: table,
            Key: { pk: `COUNTS#${a}`, sk: `DAY#${d}` },
            ConsistentRead: true,
          }),
        )
      ).Item;
    const sizes = await Promise.all(
      ['2026-10-01', '2026-10-02', '2026-10-03'].map(async (d) => JSON.stringify(await day(d)).length),
    );
    // Same number of changes on each day: same size, whatever the days before held.
    expect(new Set(sizes).size).toBe(1);
    expect((await stats.snapshot([a])).byUnit[a]).toEqual({ dispatched: 60 });
  });
});

describe('settling days into a balance', () => {
  const day = (d: number) => `2026-09-${String(d).padStart(2, '0')}`;
  const created = (unitId: string, code: string, d: number, version = 1) =>
    change(
      code,
      version,
      { stage: 'received', unitId, since: `${day(d)}T01:00:00.000Z` },
      { stage: 'dispatched', unitId },
      { at: `${day(d)}T02:00:00.000Z` },
    );

  it('gives the same figures before and after settling, and settling twice adds nothing', async () => {
    const { a } = freshUnits();
    for (let d = 1; d <= 5; d++) await stats.record(created(a, `S${d}0000000`, d));
    const before = await stats.snapshot([a]);
    const first = await stats.settle([a], day(3));
    expect(first.settled).toEqual({ [a]: 3 });
    const again = await Promise.all([stats.settle([a], day(3)), stats.settle([a], day(3))]);
    expect(again.map((r) => r.settled)).toEqual([{}, {}]);
    expect(await stats.snapshot([a])).toEqual(before);
    expect((await stats.snapshot([a])).byUnit[a]).toEqual({ dispatched: 5 });
  });

  it('adds a change that arrives for a settled day to the balance, once', async () => {
    const { a } = freshUnits();
    await stats.record(created(a, 'L10000000', 1));
    await stats.settle([a], day(2));
    const late = created(a, 'L20000000', 1);
    await stats.record(late);
    await stats.record(late);
    // A replay of a change counted before its day was settled is still recognised.
    await stats.record(created(a, 'L10000000', 1));
    expect((await stats.snapshot([a])).byUnit[a]).toEqual({ dispatched: 2 });
    await stats.settle([a], day(4));
    expect((await stats.snapshot([a])).byUnit[a]).toEqual({ dispatched: 2 });
  });

  it('settles concurrently with new changes without losing or doubling any', async () => {
    const { a } = freshUnits();
    const changes = Array.from({ length: 30 }, (_, i) =>
      created(a, `C${String(i).padStart(8, '0')}`, 1 + (i % 3)),
    );
    await Promise.all([
      ...changes.map((c) => stats.record(c)),
      stats.settle([a], day(2)),
      stats.settle([a], day(2)),
    ]);
    await Promise.all(changes.map((c) => stats.record(c)));
    await stats.settle([a], day(3));
    expect((await stats.snapshot([a])).byUnit[a]).toEqual({ dispatched: 30 });
  });
});

describe('late changes and rebuilt balances', () => {
  const day = (d: number) => `2026-08-${String(d).padStart(2, '0')}`;
  const created = (unitId: string, code: string, d: number) =>
    change(
      code,
      2,
      { stage: 'received', unitId, since: `${day(d)}T01:00:00.000Z` },
      { stage: 'dispatched', unitId },
      { at: `${day(d)}T02:00:00.000Z` },
    );

  it('counts a change for a quiet day that was settled with nothing in it', async () => {
    const { a } = freshUnits();
    await stats.record(created(a, 'Q10000000', 1));
    await stats.settle([a], day(5));
    // Day 3 had no changes when it was settled; a parked effect for it comes days later.
    await stats.record(created(a, 'Q20000000', 3));
    await stats.record(created(a, 'Q20000000', 3));
    expect((await stats.snapshot([a])).byUnit[a]).toEqual({ dispatched: 2 });
  });

  it('sets balances from all days after a rebuild, and still recognises replays of late changes', async () => {
    const { a } = freshUnits();
    await stats.record(created(a, 'R10000000', 10));
    await stats.settle([a], day(12));
    const late = created(a, 'R20000000', 11);
    await stats.record(late);
    // A rebuild writes days the balance has long passed: not visible until the balances are rebuilt.
    await stats.record(created(a, 'R30000000', 2));
    await stats.rebuildBalances([a], day(12));
    expect((await stats.snapshot([a])).byUnit[a]).toEqual({ dispatched: 3 });
    await stats.record(late);
    await stats.record(created(a, 'R30000000', 2));
    await stats.rebuildBalances([a], day(12));
    await stats.settle([a], day(14));
    expect((await stats.snapshot([a])).byUnit[a]).toEqual({ dispatched: 3 });
  });
});
