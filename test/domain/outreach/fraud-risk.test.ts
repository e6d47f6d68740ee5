/**
 * Fraud risk per community as a specification: the trailing 90-day window (today and the 89 days
 * before it), the rate per 1,000 households, the trend classes at their boundaries, and when the
 * planner is told a campaign is due. Today is 2026-06-30 (Asia/Shanghai) throughout.
 */
import { describe, expect, it } from 'vitest';
import {
  type DailyFraudCounts,
  type RiskCommunity,
  type RiskInput,
  rankCommunities,
} from '../../../shared/domain/outreach/fraud-risk.ts';
import { addDays } from '../../../shared/domain/outreach/shanghai-time.ts';

const TODAY = '2026-06-30';
const ago = (days: number) => addDays(TODAY, -days);

const community = (id: string, households: number): RiskCommunity => ({
  id,
  zh: `${id}村`,
  en: `${id} village`,
  townshipId: 'gutao',
  households,
});

/** Reports as [days ago, community, how many]. */
const counts = (entries: [number, string, number][]): DailyFraudCounts => {
  const out: DailyFraudCounts = {};
  for (const [days, id, n] of entries) {
    const day = ago(days);
    const byCommunity = out[day] ?? {};
    byCommunity[id] = (byCommunity[id] ?? 0) + n;
    out[day] = byCommunity;
  }
  return out;
};

const rank = (input: Partial<RiskInput> & Pick<RiskInput, 'communities' | 'counts'>) =>
  rankCommunities({ today: TODAY, activity: {}, ...input });

const rowOf = (rows: ReturnType<typeof rankCommunities>, id: string) => {
  const row = rows.find((r) => r.communityId === id);
  if (!row) throw new Error(`no row for ${id}`);
  return row;
};

/** One community's row for `earlier` reports 60 days ago and `recent` reports today. */
const trendOf = (earlier: number, recent: number) =>
  rowOf(
    rank({
      communities: [community('a', 1000)],
      counts: counts([
        [60, 'a', earlier],
        [0, 'a', recent],
      ]),
    }),
    'a',
  );

describe('rankCommunities: rate and order', () => {
  it('ranks by reports per 1,000 households, then by recent reports, then by id', () => {
    const rows = rank({
      communities: [
        community('e', 400),
        community('c', 3000),
        community('a', 1000),
        community('b', 2000),
        community('d', 500),
      ],
      counts: counts([
        [70, 'a', 5], // 5 per 1,000, all of it earlier
        [70, 'b', 7],
        [10, 'b', 3], // 10 in 2,000: also 5 per 1,000, but 3 of them recent
        [5, 'c', 1], // 1 in 3,000
      ]),
    });
    expect(rows.map((r) => [r.communityId, r.ratePer1000, r.reports90])).toEqual([
      ['b', 5, 10],
      ['a', 5, 5],
      ['c', 0.33, 1],
      ['d', 0, 0],
      ['e', 0, 0],
    ]);
    expect(rowOf(rows, 'b')).toMatchObject({ recent30: 3, earlier60: 7, zh: 'b村', en: 'b village' });
    expect(rowOf(rows, 'd')).toMatchObject({ trend: 'steady', trendRatio: null, due: false, reason: 'low' });
  });

  it('ignores reports from communities it was not asked about', () => {
    const rows = rank({ communities: [community('a', 1000)], counts: counts([[1, 'elsewhere', 9]]) });
    expect(rows).toHaveLength(1);
    expect(rowOf(rows, 'a').reports90).toBe(0);
  });
});

describe('rankCommunities: the 90-day window', () => {
  it('counts today and the 89 days before it, and nothing older or later', () => {
    const row = rowOf(
      rank({
        communities: [community('a', 1000)],
        counts: counts([
          [0, 'a', 1],
          [89, 'a', 2],
          [90, 'a', 40],
          [-1, 'a', 80], // tomorrow: not yet
        ]),
      }),
      'a',
    );
    expect(row.reports90).toBe(3);
    expect(row.ratePer1000).toBe(3);
  });

  it('splits it into the last 30 days (today and the 29 before) and the 60 before those', () => {
    const row = rowOf(
      rank({
        communities: [community('a', 1000)],
        counts: counts([
          [29, 'a', 1],
          [30, 'a', 4],
        ]),
      }),
      'a',
    );
    expect([row.recent30, row.earlier60]).toEqual([1, 4]);
  });
});

describe('rankCommunities: trend', () => {
  // 8 earlier reports is a pace of 4 per 30 days: rising above 5, falling below 3.
  it('is rising only above 1.25 × the earlier pace', () => {
    expect(trendOf(8, 6)).toMatchObject({ trend: 'rising', trendRatio: 1.5 });
    expect(trendOf(8, 5)).toMatchObject({ trend: 'steady', trendRatio: 1.25 });
  });

  it('is falling only below 0.75 × the earlier pace', () => {
    expect(trendOf(8, 2)).toMatchObject({ trend: 'falling', trendRatio: 0.5 });
    expect(trendOf(8, 3)).toMatchObject({ trend: 'steady', trendRatio: 0.75 });
  });

  it('needs at least 2 recent reports to rise and 2 earlier ones to fall', () => {
    expect(trendOf(1, 1).trend).toBe('steady');
    expect(trendOf(1, 2).trend).toBe('rising');
    expect(trendOf(1, 0).trend).toBe('steady');
    expect(trendOf(2, 0).trend).toBe('falling');
  });

  it('is new when there is nothing earlier to compare with and enough recent reports to rise', () => {
    expect(trendOf(0, 2)).toMatchObject({ trend: 'new', trendRatio: null, due: true });
    expect(trendOf(0, 0)).toMatchObject({ trend: 'steady', trendRatio: null });
  });

  it('does not call a single report out of nowhere new: one report is noise, and says so', () => {
    const row = trendOf(0, 1);
    expect(row.trend).toBe('steady');
    expect(row.reasons).toContainEqual({ code: 'too_few_reports', recent30: 1, minimum: 2 });
  });
});

describe('rankCommunities: due', () => {
  // Eight communities with 3 steady reports each (2 earlier, 1 recent): rates differ by households only.
  const eight = [500, 600, 750, 1000, 1500, 2000, 3000, 6000].map((hh, i) => community(`c${i + 1}`, hh));
  const steady = counts(
    eight.flatMap((c): [number, string, number][] => [
      [45, c.id, 2],
      [3, c.id, 1],
    ]),
  );

  it('is due in the top quarter by rate among communities with reports', () => {
    const rows = rank({ communities: [...eight, community('quiet', 100)], counts: steady });
    expect(rows.filter((r) => r.due).map((r) => r.communityId)).toEqual(['c1', 'c2']);
    expect(rowOf(rows, 'c1')).toMatchObject({ ratePer1000: 6, trend: 'steady', reason: 'high_rate' });
    expect(rowOf(rows, 'c3')).toMatchObject({ due: false, reason: 'low' });
    // No reports, however small the community, is never due and does not count towards the quarter.
    expect(rowOf(rows, 'quiet')).toMatchObject({ due: false, reason: 'low', ratePer1000: 0 });
  });

  it('is due when reports are rising, whatever the rate', () => {
    const rows = rank({
      communities: eight,
      counts: { ...steady, ...counts([[1, 'c8', 2]]) }, // c8: 2 earlier, 1 + 2 recent
    });
    expect(rowOf(rows, 'c8')).toMatchObject({ recent30: 3, trend: 'rising', due: true, reason: 'rising' });
  });

  it('names a high and rising community as such, and a new surge as rising', () => {
    const rows = rank({
      communities: [...eight, community('fresh', 6000)],
      counts: { ...steady, ...counts([[2, 'c1', 4]]), [ago(0)]: { fresh: 2 } },
    });
    expect(rowOf(rows, 'c1')).toMatchObject({ due: true, reason: 'high_and_rising' });
    expect(rowOf(rows, 'fresh')).toMatchObject({ trend: 'new', due: true, reason: 'rising' });
  });

  it('is not due within 30 days of a campaign, and is again on the 30th day after', () => {
    const rows = rank({
      communities: eight,
      counts: steady,
      activity: {
        c1: { lastCampaignAt: '2026-06-01T02:00:00.000Z' }, // 2026-06-01 in Shanghai: 29 days ago
        c2: { lastCampaignAt: '2026-05-31T15:59:00.000Z' }, // 23:59 on 2026-05-31 in Shanghai: 30 days ago
      },
    });
    expect(rowOf(rows, 'c1')).toMatchObject({
      due: false,
      reason: 'recent_campaign',
      lastCampaignAt: '2026-06-01T02:00:00.000Z',
    });
    expect(rowOf(rows, 'c2')).toMatchObject({ due: true, reason: 'high_rate' });
  });

  it('is not due when a campaign is planned within 14 days, and is when it is further off', () => {
    const rows = rank({
      communities: eight,
      counts: steady,
      activity: {
        c1: { nextCampaignAt: '2026-07-14T01:00:00.000Z' }, // 14 days ahead
        c2: { nextCampaignAt: '2026-07-14T16:00:00.000Z' }, // 00:00 on 2026-07-15 in Shanghai: 15 days ahead
      },
    });
    expect(rowOf(rows, 'c1')).toMatchObject({
      due: false,
      reason: 'campaign_planned',
      nextCampaignAt: '2026-07-14T01:00:00.000Z',
    });
    expect(rowOf(rows, 'c2')).toMatchObject({ due: true, reason: 'high_rate' });
  });
});

describe('rankCommunities: a community without a household count', () => {
  it('shows its reports with a rate of 0 and does not set the high-rate bar', () => {
    const rows = rank({
      communities: [
        community('unknown', 0),
        community('a', 1000),
        community('b', 2000),
        community('c', 4000),
      ],
      counts: counts([
        [45, 'unknown', 4],
        [3, 'unknown', 2],
        [45, 'a', 2],
        [45, 'b', 2],
        [45, 'c', 2],
      ]),
    });
    const unknown = rowOf(rows, 'unknown');
    expect(unknown).toMatchObject({ reports90: 6, ratePer1000: 0, trend: 'steady', due: false });
    expect(Number.isFinite(unknown.ratePer1000)).toBe(true);
    // Among the three with a rate, only the top one (ceil(3 / 4) = 1) is high.
    expect(rows.filter((r) => r.due).map((r) => r.communityId)).toEqual(['a']);
  });
});

describe('rankCommunities: the reasons behind each suggestion', () => {
  // Four communities with reports: the top quarter's bar is the highest rate (4 × 0.25 → 1st).
  const four = [community('a', 500), community('b', 1000), community('c', 2000), community('d', 4000)];
  const base = counts(four.map((c): [number, string, number] => [45, c.id, 2]));
  const reasonsOf = (rows: ReturnType<typeof rankCommunities>, id: string) => rowOf(rows, id).reasons;

  it('says above_threshold with the rate and the bar for a community in the top quarter', () => {
    const rows = rank({ communities: four, counts: base });
    expect(reasonsOf(rows, 'a')).toEqual([
      { code: 'above_threshold', ratePer1000: 4, thresholdPer1000: 4 },
      { code: 'too_few_reports', recent30: 0, minimum: 2 },
    ]);
    expect(rowOf(rows, 'a')).toMatchObject({ due: true, reason: 'high_rate' });
  });

  it('says below_threshold and too_few_reports for a community not suggested', () => {
    const rows = rank({ communities: four, counts: { ...base, ...counts([[3, 'd', 1]]) } });
    expect(rowOf(rows, 'd')).toMatchObject({ due: false, reason: 'low' });
    expect(reasonsOf(rows, 'd')).toEqual([
      { code: 'below_threshold', ratePer1000: 0.75, thresholdPer1000: 4 },
      { code: 'too_few_reports', recent30: 1, minimum: 2 },
    ]);
  });

  it('says rising with the recent and earlier counts, the ratio and the factor', () => {
    const rows = rank({ communities: four, counts: { ...base, ...counts([[3, 'd', 2]]) } });
    expect(rowOf(rows, 'd')).toMatchObject({ due: true, reason: 'rising' });
    expect(reasonsOf(rows, 'd')).toContainEqual({
      code: 'rising',
      recent30: 2,
      earlier60: 2,
      trendRatio: 2,
      factor: 1.25,
    });
  });

  it('says not_rising when there are enough recent reports but no more than the earlier pace', () => {
    const rows = rank({
      communities: four,
      counts: {
        ...base,
        ...counts([
          [50, 'd', 2],
          [3, 'd', 2],
        ]),
      },
    });
    expect(rowOf(rows, 'd')).toMatchObject({ trend: 'steady', due: false, reason: 'low' });
    expect(reasonsOf(rows, 'd')).toContainEqual({
      code: 'not_rising',
      recent30: 2,
      earlier60: 4,
      trendRatio: 1,
      factor: 1.25,
    });
  });

  it('says no_reports, and nothing else, for a community without fraud reports', () => {
    const rows = rank({ communities: [...four, community('quiet', 100)], counts: base });
    expect(reasonsOf(rows, 'quiet')).toEqual([{ code: 'no_reports', windowDays: 90 }]);
  });

  it('says no_household_count when reports cannot be turned into a rate', () => {
    const rows = rank({
      communities: [...four, community('unknown', 0)],
      counts: { ...base, ...counts([[45, 'unknown', 3]]) },
    });
    expect(reasonsOf(rows, 'unknown')[0]).toEqual({ code: 'no_household_count', reports90: 3 });
  });

  it('says recent_campaign with the date and the cool-down when a campaign just ran', () => {
    const rows = rank({
      communities: four,
      counts: base,
      activity: { a: { lastCampaignAt: '2026-06-20T02:00:00.000Z' } },
    });
    expect(rowOf(rows, 'a')).toMatchObject({ due: false, reason: 'recent_campaign' });
    expect(reasonsOf(rows, 'a')).toContainEqual({
      code: 'recent_campaign',
      lastCampaignAt: '2026-06-20T02:00:00.000Z',
      withinDays: 30,
    });
  });

  it('says already_scheduled with the date and the horizon when a campaign is planned soon', () => {
    const rows = rank({
      communities: four,
      counts: base,
      activity: { a: { nextCampaignAt: '2026-07-05T02:00:00.000Z' } },
    });
    expect(rowOf(rows, 'a')).toMatchObject({ due: false, reason: 'campaign_planned' });
    expect(reasonsOf(rows, 'a')).toContainEqual({
      code: 'already_scheduled',
      nextCampaignAt: '2026-07-05T02:00:00.000Z',
      withinDays: 14,
    });
  });

  it('lists no timing reason for a campaign long past or far ahead', () => {
    const rows = rank({
      communities: four,
      counts: base,
      activity: {
        a: { lastCampaignAt: '2026-03-01T02:00:00.000Z', nextCampaignAt: '2026-09-01T02:00:00.000Z' },
      },
    });
    expect(reasonsOf(rows, 'a').map((r) => r.code)).toEqual(['above_threshold', 'too_few_reports']);
  });

  it('never leaves a newly emerging community that is not suggested without the reason', () => {
    const rows = rank({
      communities: [...four, community('fresh', 6000), community('planned', 6000)],
      counts: { ...base, [ago(0)]: { fresh: 3, planned: 2 } },
      activity: {
        fresh: { lastCampaignAt: '2026-06-25T02:00:00.000Z' },
        planned: { nextCampaignAt: '2026-07-02T02:00:00.000Z' },
      },
    });
    for (const id of ['fresh', 'planned']) {
      const row = rowOf(rows, id);
      expect(row.trend).toBe('new');
      expect(row.due).toBe(false);
      expect(row.reasons.map((r) => r.code)).toContain('rising');
    }
    expect(reasonsOf(rows, 'fresh').map((r) => r.code)).toContain('recent_campaign');
    expect(reasonsOf(rows, 'planned').map((r) => r.code)).toContain('already_scheduled');
    // Across every combination: a 'new' row is due, or a timing reason says why not.
    for (const row of rows.filter((r) => r.trend === 'new' && !r.due))
      expect(row.reasons.some((r) => r.code === 'recent_campaign' || r.code === 'already_scheduled')).toBe(
        true,
      );
  });
});
