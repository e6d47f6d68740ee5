import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbStatsStore } from '../../shared/adapters/dynamodb-stats-store.ts';
import type { StatsChange } from '../../shared/ports/stats-store.ts';
import { type EmulatedTables, emulatedTables } from '../support/emulated-tables.ts';

let env: EmulatedTables;
let stats: DynamoDbStatsStore;

beforeAll(async () => {
  env = await emulatedTables();
  stats = new DynamoDbStatsStore(env.db, env.tables.stats ?? '');
});
afterAll(async () => {
  await env?.stop();
});

const change = (
  code: string,
  from: StatsChange['from'],
  to: StatsChange['to'],
  extra: Partial<StatsChange> = {},
): StatsChange => ({
  kind: 'stats',
  trackingCode: code,
  communityId: 'dongquan-weijiazhuang',
  category: 'road',
  at: '2026-11-30T10:00:00.000Z',
  from,
  to,
  ...extra,
});

describe('statistics kept as set memberships', () => {
  it('counts each case once per stage, unit and community, however often a change is replayed', async () => {
    const created = change(
      'AAAAAAAA1',
      { stage: 'received', unitId: 'transport', since: '2026-11-30T09:00:00.000Z' },
      { stage: 'registered', unitId: 'transport' },
    );
    const dispatched = change(
      'AAAAAAAA1',
      { stage: 'registered', unitId: 'transport', since: '2026-11-30T09:00:00.000Z' },
      { stage: 'dispatched', unitId: 'transport' },
    );
    const other = change(
      'AAAAAAAA2',
      { stage: 'received', unitId: 'transport', since: '2026-11-30T09:00:00.000Z' },
      { stage: 'registered', unitId: 'transport' },
    );
    for (const c of [created, created, dispatched, dispatched, other, other, other]) await stats.record(c);

    const snapshot = await stats.snapshot();
    expect(snapshot.byStage).toMatchObject({ registered: 1, dispatched: 1 });
    expect(snapshot.byUnit.transport).toMatchObject({ registered: 1, dispatched: 1 });
    expect(snapshot.byCommunity['dongquan-weijiazhuang']).toMatchObject({ registered: 1, dispatched: 1 });
  });

  it('moves a reassigned case between units without counting it twice', async () => {
    await stats.record(
      change(
        'BBBBBBBB1',
        { stage: 'received', unitId: 'psb', since: '2026-11-30T09:00:00.000Z' },
        { stage: 'dispatched', unitId: 'psb' },
      ),
    );
    await stats.record(
      change(
        'BBBBBBBB1',
        { stage: 'dispatched', unitId: 'psb', since: '2026-11-30T09:00:00.000Z' },
        { stage: 'dispatched', unitId: 'heritage' },
      ),
    );
    const snapshot = await stats.snapshot();
    expect(snapshot.byUnit.psb?.dispatched ?? 0).toBe(0);
    expect(snapshot.byUnit.heritage?.dispatched).toBe(1);
  });

  it('averages time per stage and satisfaction, and counts escalations per unit', async () => {
    await stats.record(
      change(
        'CCCCCCCC1',
        { stage: 'in_progress', unitId: 'education', since: '2026-11-30T08:00:00.000Z' },
        { stage: 'resolved', unitId: 'education' },
      ),
    );
    await stats.record(
      change(
        'CCCCCCCC2',
        { stage: 'in_progress', unitId: 'education', since: '2026-11-30T06:00:00.000Z' },
        { stage: 'resolved', unitId: 'education' },
      ),
    );
    await stats.record(
      change(
        'CCCCCCCC1',
        { stage: 'closed', unitId: 'education', since: '2026-11-30T08:00:00.000Z' },
        { stage: 'evaluated', unitId: 'education' },
        { rating: 5 },
      ),
    );
    await stats.record(
      change(
        'CCCCCCCC2',
        { stage: 'closed', unitId: 'education', since: '2026-11-30T08:00:00.000Z' },
        { stage: 'evaluated', unitId: 'education' },
        { rating: 2 },
      ),
    );
    await stats.record(
      change(
        'CCCCCCCC2',
        { stage: 'closed', unitId: 'education', since: '2026-11-30T08:00:00.000Z' },
        { stage: 'evaluated', unitId: 'education' },
        { rating: 2 },
      ),
    );
    await stats.record(
      change(
        'CCCCCCCC3',
        { stage: 'dispatched', unitId: 'education', since: '2026-11-30T08:00:00.000Z' },
        { stage: 'dispatched', unitId: 'education' },
        { escalated: true },
      ),
    );

    const snapshot = await stats.snapshot();
    expect(snapshot.meanMsInStage.in_progress).toBe(3 * 3_600_000); // 2 h and 4 h
    expect(snapshot.satisfaction.byUnit.education).toEqual({ ratings: 2, mean: 3.5 });
    expect(snapshot.overdueByUnit.education).toBe(1);
  });
});
