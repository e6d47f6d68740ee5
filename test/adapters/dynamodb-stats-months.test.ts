/**
 * The statistics' month aggregates on the emulator: settling writes each complete month as the
 * sum of its days, a date range is read from months plus edge days and equals the days' sum, a
 * replayed change counts once in it, a late change for a settled month reaches the month once,
 * and the rebuild rewrites the months from the days.
 */
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbStatsStore } from '../../shared/adapters/dynamodb-stats-store.ts';
import { addCounters, type CounterDeltas } from '../../shared/domain/case-statistics.ts';
import type { StatsChange } from '../../shared/ports/stats-store.ts';
import { type EmulatedTables, emulatedTables } from '../support/emulated-tables.ts';

let env: EmulatedTables;
let table: string;
let stats: DynamoDbStatsStore;
let units = 0;

beforeAll(async () => {
  env = await emulatedTables();
  table = env.tables.stats ?? '';
  stats = new DynamoDbStatsStore(env.db, table);
});
afterAll(async () => {
  await env?.stop();
});

const freshUnit = () => `unit-m${++units}`;

/** A case routed to `unitId` at noon (Shanghai) of `day`: one `received` for the unit. */
const routedOn = (unitId: string, code: string, day: string): StatsChange => ({
  kind: 'stats',
  trackingCode: code,
  version: 2,
  communityId: 'chengdong-kangning',
  townshipId: 'chengdong',
  category: 'road',
  at: `${day}T04:00:00.000Z`,
  from: { stage: 'received', unitId, since: `${day}T04:00:00.000Z` },
  to: { stage: 'dispatched', unitId },
  action: 'dispatch',
});

const received = (counters: CounterDeltas, unitId: string) => counters[`au|${unitId}|received`] ?? 0;
const total = (months: { counters: CounterDeltas }[]) =>
  months.reduce<CounterDeltas>((sum, m) => addCounters(sum, m.counters), {});

async function item(pk: string, sk: string) {
  const out = await env.db.send(new GetCommand({ TableName: table, Key: { pk, sk }, ConsistentRead: true }));
  return out.Item;
}

describe('month aggregates and date ranges', () => {
  it('writes each settled month as the sum of its days and reads a range from months plus edge days', async () => {
    const unit = freshUnit();
    const days = ['2026-09-30', '2026-10-01', '2026-10-15', '2026-10-31', '2026-11-01', '2026-11-02'];
    for (const [i, day] of days.entries()) await stats.record(routedOn(unit, `MONTHA00${i}`, day));
    await stats.settle([unit], '2026-11-01');

    expect(await item(`COUNTS#${unit}`, 'MONTH#2026-09')).toMatchObject({ [`au|${unit}|received`]: 1 });
    expect(await item(`COUNTS#${unit}`, 'MONTH#2026-10')).toMatchObject({
      [`au|${unit}|received`]: 3,
      throughDay: '2026-10-31',
    });
    // November is not complete: its days are read as days.
    expect(await item(`COUNTS#${unit}`, 'MONTH#2026-11')).toBeUndefined();

    const months = await stats.countersByMonth([unit], '2026-09-30', '2026-11-30');
    expect(months.map((m) => [m.month, m.from, m.to, received(m.counters, unit)])).toEqual([
      ['2026-09', '2026-09-30', '2026-09-30', 1],
      ['2026-10', '2026-10-01', '2026-10-31', 3],
      ['2026-11', '2026-11-01', '2026-11-30', 2],
    ]);
    // Edge days inside a settled month are read day by day, and only those in the range.
    const clipped = await stats.countersByMonth([unit], '2026-10-02', '2026-11-01');
    expect(clipped.map((m) => received(m.counters, unit))).toEqual([2, 1]);
  });

  it('reads a whole settled month from its one item, not from its days', async () => {
    const unit = freshUnit();
    await stats.record(routedOn(unit, 'MONTHB001', '2026-10-10'));
    await stats.settle([unit], '2026-11-05');
    // Planted in the month item only: a read of the whole month must show it, a read of part must not.
    await env.db.send(
      new PutCommand({
        TableName: table,
        Item: { ...(await item(`COUNTS#${unit}`, 'MONTH#2026-10')), [`au|${unit}|returned`]: 7 },
      }),
    );
    const whole = await stats.countersByMonth([unit], '2026-10-01', '2026-10-31');
    expect(whole[0]?.counters[`au|${unit}|returned`]).toBe(7);
    const part = await stats.countersByMonth([unit], '2026-10-01', '2026-10-30');
    expect(part[0]?.counters[`au|${unit}|returned`]).toBeUndefined();
    expect(received(total(part), unit)).toBe(1);
  });

  it('counts a change once in a range however often it is replayed, before and after its month settles', async () => {
    const unit = freshUnit();
    const change = routedOn(unit, 'MONTHC001', '2026-08-20');
    await Promise.all([stats.record(change), stats.record(change)]);
    await stats.record(change);
    expect(received(total(await stats.countersByMonth([unit], '2026-08-01', '2026-08-31')), unit)).toBe(1);
    await stats.settle([unit], '2026-09-10');
    await stats.record(change);
    expect(received(total(await stats.countersByMonth([unit], '2026-08-01', '2026-08-31')), unit)).toBe(1);
  });

  it('adds a late change for a settled month to the month too, once', async () => {
    const unit = freshUnit();
    await stats.record(routedOn(unit, 'MONTHD001', '2026-07-03'));
    await stats.settle([unit], '2026-08-05');
    // A parked effect for 20 July, re-run weeks later, twice.
    const late = routedOn(unit, 'MONTHD002', '2026-07-20');
    await stats.record(late);
    await stats.record(late);
    expect(await item(`COUNTS#${unit}`, 'MONTH#2026-07')).toMatchObject({ [`au|${unit}|received`]: 2 });
    expect(received(total(await stats.countersByMonth([unit], '2026-07-01', '2026-07-31')), unit)).toBe(2);
    expect((await stats.snapshot([unit])).byUnit[unit]).toEqual({ dispatched: 2 });
  });

  it('rewrites the months from their days in a rebuild', async () => {
    const unit = freshUnit();
    await stats.record(routedOn(unit, 'MONTHE001', '2026-05-05'));
    await stats.record(routedOn(unit, 'MONTHE002', '2026-06-06'));
    await stats.settle([unit], '2026-07-02');
    // A month that went wrong (lost, or written by an older version) …
    await env.db.send(
      new PutCommand({
        TableName: table,
        Item: {
          pk: `COUNTS#${unit}`,
          sk: 'MONTH#2026-05',
          throughDay: '2026-05-31',
          [`au|${unit}|received`]: 9,
        },
      }),
    );
    await stats.rebuildBalances([unit], '2026-07-02');
    expect(await item(`COUNTS#${unit}`, 'MONTH#2026-05')).toMatchObject({ [`au|${unit}|received`]: 1 });
    const months = await env.db.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :m)',
        ExpressionAttributeValues: { ':pk': `COUNTS#${unit}`, ':m': 'MONTH#' },
        ConsistentRead: true,
      }),
    );
    expect(months.Items?.map((i) => i.sk)).toEqual(['MONTH#2026-05', 'MONTH#2026-06']);
  });
});
