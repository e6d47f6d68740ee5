/**
 * The frequency cap's per-community reach on dynalite: a new reservation is counted in its
 * community's hour, a retry of the same run's reservation and a capped household are not, and a
 * window reads the hours it spans.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbOutreachStore } from '../../shared/adapters/dynamodb-outreach-store.ts';
import { type EmulatedTables, emulatedTables } from '../support/emulated-tables.ts';

const WEEK = 7 * 86_400_000;
let env: EmulatedTables;
let store: DynamoDbOutreachStore;

beforeAll(async () => {
  env = await emulatedTables();
  store = new DynamoDbOutreachStore(env.db, env.tables.outreach ?? '');
});
afterAll(async () => {
  await env?.stop();
});

describe('the outreach reach counts', () => {
  it('counts each new reservation once in its community and hour, never a retry or a capped household', async () => {
    const t = new Date('2026-12-01T02:10:00Z');
    expect(await store.reserve('r-1', 'cmp-a#1', t, WEEK, 'reach-a')).toBe(true);
    expect(await store.reserve('r-2', 'cmp-a#1', t, WEEK, 'reach-a')).toBe(true);
    // The same run retrying its slot: allowed, not counted again.
    expect(await store.reserve('r-1', 'cmp-a#1', new Date('2026-12-01T02:20:00Z'), WEEK, 'reach-a')).toBe(
      true,
    );
    // Another run within the week: capped, not counted.
    expect(await store.reserve('r-1', 'cmp-b#1', new Date('2026-12-02T02:00:00Z'), WEEK, 'reach-a')).toBe(
      false,
    );
    // Without a community (an older caller): reserved, counted nowhere.
    expect(await store.reserve('r-3', 'cmp-a#1', t, WEEK)).toBe(true);
    // Another community, an hour later.
    expect(await store.reserve('r-4', 'cmp-a#1', new Date('2026-12-01T03:05:00Z'), WEEK, 'reach-b')).toBe(
      true,
    );

    expect(
      await store.reservedBetween(
        ['reach-a', 'reach-b', 'reach-c'],
        new Date('2026-11-30T00:00:00Z'),
        new Date('2026-12-05T00:00:00Z'),
      ),
    ).toEqual(
      new Map([
        ['reach-a', 2],
        ['reach-b', 1],
        ['reach-c', 0],
      ]),
    );
  });

  it('reads the hours from the one holding the start through the one holding the end', async () => {
    await store.reserve('w-1', 'cmp-w#1', new Date('2026-12-10T05:59:59Z'), WEEK, 'reach-w');
    await store.reserve('w-2', 'cmp-w#1', new Date('2026-12-10T07:00:00Z'), WEEK, 'reach-w');
    const between = (since: string, until: string) =>
      store.reservedBetween(['reach-w'], new Date(since), new Date(until)).then((m) => m.get('reach-w'));
    expect(await between('2026-12-10T05:30:00Z', '2026-12-10T07:00:00Z')).toBe(2);
    expect(await between('2026-12-10T06:00:00Z', '2026-12-10T07:30:00Z')).toBe(1);
    expect(await between('2026-12-10T05:00:00Z', '2026-12-10T06:59:59Z')).toBe(1);
  });
});
