/**
 * The risk ranking on seeded data: fraud cases created in a few demo communities on known days go
 * through the statistics store into the fraud-report ledger (dynalite), are read back with one
 * range query for the trailing 90 days, and are ranked against the demo county's communities and
 * household counts. Today is 2026-06-30 in Shanghai.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoOrganisation as org } from '../../infra/demo/demo-organisation.ts';
import { DynamoDbFraudReports } from '../../shared/adapters/dynamodb-fraud-reports.ts';
import { DynamoDbStatsStore } from '../../shared/adapters/dynamodb-stats-store.ts';
import type { CategoryCode } from '../../shared/domain/categories.ts';
import { type RiskRow, rankCommunities, WINDOW_DAYS } from '../../shared/domain/outreach/fraud-risk.ts';
import { addDays } from '../../shared/domain/outreach/shanghai-time.ts';
import { type EmulatedTables, emulatedTables } from '../support/emulated-tables.ts';

const TODAY = '2026-06-30';
const WEIJIAZHUANG = 'dongquan-weijiazhuang';
const KANGNING = 'chengdong-kangning';
const GUCHENG = 'chengxi-gucheng';
const YONGDING = 'chengxi-yongding';
const XINJIANLU = 'chengxi-xinjianlu';

let env: EmulatedTables;
let rows: RiskRow[];
let sequence = 0;

/**
 * Creates a case as route-report does: its stats effect leaves `received`, since the resident
 * submitted it at 00:30 Shanghai time `daysAgo` days before today — still the previous day in UTC.
 */
async function createCase(
  stats: DynamoDbStatsStore,
  communityId: string,
  daysAgo: number,
  category: CategoryCode = 'fraud',
  trackingCode = `SEED${String(++sequence).padStart(5, '0')}`,
) {
  const submittedAt = new Date(`${addDays(TODAY, -daysAgo)}T00:30:00+08:00`).toISOString();
  await stats.record({
    kind: 'stats',
    trackingCode,
    version: 1,
    communityId,
    category,
    at: submittedAt,
    from: { stage: 'received', unitId: 'psb-antifraud', since: submittedAt },
    to: { stage: 'registered', unitId: 'psb-antifraud' },
  });
}

beforeAll(async () => {
  env = await emulatedTables();
  const table = env.tables.stats ?? '';
  const stats = new DynamoDbStatsStore(env.db, table);

  // Weijiazhuang: 2 earlier, 2 in the last 30 days (rising), and a road report that is not fraud.
  for (const d of [50, 40, 20, 10]) await createCase(stats, WEIJIAZHUANG, d);
  await createCase(stats, WEIJIAZHUANG, 5, 'road');
  // Kangning: 4 earlier, 2 recent (steady); one creation delivered twice.
  for (const d of [80, 70, 60, 45, 20]) await createCase(stats, KANGNING, d);
  await createCase(stats, KANGNING, 5, 'fraud', 'REPLAYED01');
  await createCase(stats, KANGNING, 5, 'fraud', 'REPLAYED01');
  // Gucheng: 2 earlier, 1 recent (steady).
  for (const d of [85, 55, 25]) await createCase(stats, GUCHENG, d);
  // Yongding: nothing until this week.
  for (const d of [3, 0]) await createCase(stats, YONGDING, d);
  // Xinjianlu: one on the window's first day, one the day before it.
  for (const d of [89, 90]) await createCase(stats, XINJIANLU, d);

  const counts = await new DynamoDbFraudReports(env.db, table).dailyCounts(
    addDays(TODAY, -(WINDOW_DAYS - 1)),
    TODAY,
  );
  rows = rankCommunities({
    communities: org.communities,
    counts,
    today: TODAY,
    activity: {
      [KANGNING]: { lastCampaignAt: new Date(`${addDays(TODAY, -10)}T09:00:00+08:00`).toISOString() },
    },
  });
});
afterAll(async () => {
  await env?.stop();
});

const households = (id: string) => org.communities.find((c) => c.id === id)?.households ?? Number.NaN;
const rate = (reports: number, id: string) => Math.round((reports * 100_000) / households(id)) / 100;
const row = (id: string) => rows.find((r) => r.communityId === id);

describe('the risk ranking on seeded data', () => {
  it('ranks every demo community, the seeded ones first by reports per 1,000 households', () => {
    expect(rows).toHaveLength(org.communities.length);
    expect(
      rows.slice(0, 5).map((r) => [r.communityId, r.reports90, r.recent30, r.earlier60, r.ratePer1000]),
    ).toEqual([
      [WEIJIAZHUANG, 4, 2, 2, rate(4, WEIJIAZHUANG)],
      [KANGNING, 6, 2, 4, rate(6, KANGNING)],
      [GUCHENG, 3, 1, 2, rate(3, GUCHENG)],
      [YONGDING, 2, 2, 0, rate(2, YONGDING)],
      [XINJIANLU, 1, 0, 1, rate(1, XINJIANLU)],
    ]);
    // The rest had no fraud reports: rate 0, in id order.
    const rest = rows.slice(5);
    expect(rest.every((r) => r.reports90 === 0 && r.ratePer1000 === 0 && !r.due)).toBe(true);
    const ids = rest.map((r) => r.communityId);
    expect(ids).toEqual([...ids].sort());
  });

  it('suggests a campaign where the rate is in the top quarter or rising, unless one just ran', () => {
    expect(rows.filter((r) => r.due).map((r) => [r.communityId, r.reason])).toEqual([
      [WEIJIAZHUANG, 'high_and_rising'],
      [YONGDING, 'rising'],
    ]);
    // Kangning is in the top quarter (2 of 5 with reports) but had a campaign 10 days ago.
    expect(row(KANGNING)).toMatchObject({ trend: 'steady', due: false, reason: 'recent_campaign' });
    expect(row(KANGNING)?.reasons.map((r) => r.code)).toEqual([
      'above_threshold',
      'not_rising',
      'recent_campaign',
    ]);
    expect(row(GUCHENG)).toMatchObject({ trend: 'steady', due: false, reason: 'low' });
    expect(row(GUCHENG)?.reasons.map((r) => r.code)).toEqual(['below_threshold', 'too_few_reports']);
    expect(row(YONGDING)).toMatchObject({ trend: 'new', trendRatio: null });
    expect(row(WEIJIAZHUANG)).toMatchObject({
      zh: '魏家庄村',
      townshipId: 'dongquan',
      households: households(WEIJIAZHUANG),
      trend: 'rising',
      trendRatio: 2,
    });
  });
});
