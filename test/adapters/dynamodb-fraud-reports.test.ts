/** The fraud-report ledger on dynalite: idempotent per tracking code, read by day range, fed by case creation. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbFraudReports } from '../../shared/adapters/dynamodb-fraud-reports.ts';
import { DynamoDbStatsStore } from '../../shared/adapters/dynamodb-stats-store.ts';
import type { StatsChange } from '../../shared/ports/stats-store.ts';
import { type EmulatedTables, emulatedTables } from '../support/emulated-tables.ts';

let env: EmulatedTables;
let ledger: DynamoDbFraudReports;
let stats: DynamoDbStatsStore;

beforeAll(async () => {
  env = await emulatedTables();
  ledger = new DynamoDbFraudReports(env.db, env.tables.stats ?? '');
  stats = new DynamoDbStatsStore(env.db, env.tables.stats ?? '');
});
afterAll(async () => {
  await env?.stop();
});

describe('DynamoDbFraudReports', () => {
  it('counts a tracking code once however often it is recorded', async () => {
    await ledger.record('chengdong-kangning', '2026-01-05', 'FFFFFFFF1');
    await ledger.record('chengdong-kangning', '2026-01-05', 'FFFFFFFF1');
    await ledger.record('chengdong-kangning', '2026-01-05', 'FFFFFFFF2');
    await ledger.record('dongquan-weijiazhuang', '2026-01-05', 'FFFFFFFF3');
    expect(await ledger.dailyCounts('2026-01-05', '2026-01-05')).toEqual({
      '2026-01-05': { 'chengdong-kangning': 2, 'dongquan-weijiazhuang': 1 },
    });
  });

  it('returns the days of the range, both ends included, and none outside it', async () => {
    for (const [day, code] of [
      ['2026-02-09', 'GGGGGGGG1'],
      ['2026-02-10', 'GGGGGGGG2'],
      ['2026-02-12', 'GGGGGGGG3'],
      ['2026-02-13', 'GGGGGGGG4'],
    ] as const) {
      await ledger.record('chengdong-kangning', day, code);
    }
    expect(await ledger.dailyCounts('2026-02-10', '2026-02-12')).toEqual({
      '2026-02-10': { 'chengdong-kangning': 1 },
      '2026-02-12': { 'chengdong-kangning': 1 },
    });
    expect(await ledger.dailyCounts('2026-02-14', '2026-02-28')).toEqual({});
    expect(await ledger.dailyCounts('2026-02-12', '2026-02-10')).toEqual({});
  });

  it('refuses a day that is not YYYY-MM-DD rather than writing a key no range will find', async () => {
    await expect(ledger.record('chengdong-kangning', '2026-3-1', 'HHHHHHHH1')).rejects.toThrow(RangeError);
  });
});

describe('DynamoDbStatsStore feeding the ledger', () => {
  const change = (
    code: string,
    category: StatsChange['category'],
    from: StatsChange['from'],
    to: StatsChange['to'],
  ): StatsChange => ({
    kind: 'stats',
    trackingCode: code,
    version: from.stage === 'received' ? 1 : 2,
    communityId: 'chengdong-kangning',
    category,
    at: '2026-03-31T17:30:00.000Z',
    from,
    to,
  });
  // 01:00 on 1 April in Shanghai, though still 31 March in UTC.
  const submittedAt = '2026-03-31T17:00:00.000Z';
  const created = (code: string, category: StatsChange['category']) =>
    change(
      code,
      category,
      { stage: 'received', unitId: 'psb-antifraud', since: submittedAt },
      { stage: 'registered', unitId: 'psb-antifraud' },
    );

  it("enters a fraud case's creation on the Shanghai day it was submitted, once", async () => {
    await stats.record(created('JJJJJJJJ1', 'fraud'));
    await stats.record(created('JJJJJJJJ1', 'fraud'));
    expect(await ledger.dailyCounts('2026-03-31', '2026-04-01')).toEqual({
      '2026-04-01': { 'chengdong-kangning': 1 },
    });
  });

  it('leaves out other categories and later stage changes', async () => {
    await stats.record(created('KKKKKKKK1', 'road'));
    await stats.record(
      change(
        'KKKKKKKK2',
        'fraud',
        { stage: 'registered', unitId: 'psb-antifraud', since: '2026-04-02T01:00:00.000Z' },
        { stage: 'dispatched', unitId: 'psb-antifraud' },
      ),
    );
    expect(await ledger.dailyCounts('2026-04-02', '2026-04-02')).toEqual({});
    expect((await ledger.dailyCounts('2026-04-01', '2026-04-01'))['2026-04-01']).toEqual({
      'chengdong-kangning': 1,
    });
  });

  it('keeps the ledger out of the statistics snapshot', async () => {
    const snapshot = await stats.snapshot(['psb-antifraud']);
    // The two cases created above are registered, one more moved on; the ledger adds nothing anywhere.
    expect(snapshot.byCommunity).toEqual({
      'chengdong-kangning': { registered: 1, dispatched: 1 },
    });
    expect(snapshot.byStage).toEqual({ registered: 1, dispatched: 1 });
  });
});
