/**
 * A campaign's effect as a specification: fraud reports per 1,000 households per week in the four
 * weeks before and after it, in its communities and in the communities with no campaign then.
 * The campaign ran Monday 2026-03-02 to Friday 2026-03-06 in k1 and k2 (2,000 households).
 */
import { describe, expect, it } from 'vitest';
import {
  type CampaignEffectInput,
  campaignEffect,
  effectWindow,
} from '../../../shared/domain/outreach/campaign-effect.ts';
import type { DailyFraudCounts } from '../../../shared/domain/outreach/fraud-risk.ts';
import { addDays } from '../../../shared/domain/outreach/shanghai-time.ts';

const FIRST = '2026-03-02';
const LAST = '2026-03-06';
const BEFORE_WEEKS = ['2026-02-02', '2026-02-09', '2026-02-16', '2026-02-23'];
const AFTER_WEEKS = ['2026-03-07', '2026-03-14', '2026-03-21', '2026-03-28'];

const communities = [
  { id: 'k1', households: 1000 },
  { id: 'k2', households: 1000 },
  { id: 's1', households: 2000 },
  { id: 's2', households: 2000 },
  { id: 'o1', households: 1000 },
];

/** `perWeek` reports for each community in each listed week, on the week's third day. */
const weekly = (weekStarts: string[], perWeek: Record<string, number>): DailyFraudCounts =>
  Object.fromEntries(weekStarts.map((start) => [addDays(start, 2), { ...perWeek }]));

/** k1 + k2: 3 a week before, 1 after; s1 + s2: 1 each every week; o1 (its own campaign): 10, then 0. */
const counts: DailyFraudCounts = {
  ...weekly(BEFORE_WEEKS, { k1: 2, k2: 1, s1: 1, s2: 1, o1: 10 }),
  ...weekly(AFTER_WEEKS, { k1: 1, s1: 1, s2: 1 }),
};

const effect = (overrides: Partial<CampaignEffectInput> = {}) =>
  campaignEffect({
    communityIds: ['k1', 'k2'],
    firstRunDay: FIRST,
    lastRunDay: LAST,
    today: '2026-05-01',
    communities,
    counts,
    otherCampaignCommunities: ['o1'],
    ...overrides,
  });

describe('effectWindow', () => {
  it('spans the weeks before the first run day to the weeks after the last', () => {
    expect(effectWindow(FIRST, LAST)).toEqual({ from: '2026-02-02', to: '2026-04-03' });
    expect(effectWindow(FIRST, LAST, 2)).toEqual({ from: '2026-02-16', to: '2026-03-20' });
    expect(() => effectWindow(FIRST, LAST, 0)).toThrow(RangeError);
  });
});

describe('campaignEffect', () => {
  it('shows a fall from 3 to 1 report a week against steady communities as a negative difference', () => {
    const result = effect();
    expect(result).toMatchObject({
      weeks: 4,
      before: { from: '2026-02-02', to: '2026-03-01' },
      after: { from: '2026-03-07', to: '2026-04-03', complete: true },
      // 3 and 1 reports a week in 2,000 households.
      campaign: { households: 2000, beforeRate: 1.5, afterRate: 0.5, change: -1 },
      // 2 a week in 4,000 households, before and after.
      comparison: { communities: 2, households: 4000, beforeRate: 0.5, afterRate: 0.5, change: 0 },
      difference: -1,
    });
    expect(result.weekly).toEqual([
      ...BEFORE_WEEKS.map((weekStart) => ({ weekStart, campaignRate: 1.5, comparisonRate: 0.5 })),
      ...AFTER_WEEKS.map((weekStart) => ({ weekStart, campaignRate: 0.5, comparisonRate: 0.5 })),
    ]);
  });

  it('leaves communities with a campaign of their own out of the comparison', () => {
    // Counted in, o1's own campaign (10 a week, then none) would make the comparison fall too.
    const withO1 = effect({ otherCampaignCommunities: [] });
    expect(withO1.comparison).toMatchObject({
      communities: 3,
      households: 5000,
      beforeRate: 2.4,
      afterRate: 0.4,
    });
    expect(withO1.difference).toBe(1);
    expect(effect().comparison?.communities).toBe(2);
  });

  it('credits the campaign with nothing when every community fell alike', () => {
    const countyWide: DailyFraudCounts = {
      ...weekly(BEFORE_WEEKS, { k1: 2, k2: 1, s1: 3, s2: 3 }),
      ...weekly(AFTER_WEEKS, { k1: 1, s1: 1, s2: 1 }),
    };
    const result = effect({ counts: countyWide });
    expect(result.campaign.change).toBe(-1);
    expect(result.comparison?.change).toBe(-1);
    expect(result.difference).toBe(0);
  });

  it('measures an after window still running over the days so far, and says it is incomplete', () => {
    // Two weeks after the campaign; counts for later days (if any) are not read.
    const result = effect({ today: '2026-03-20' });
    expect(result.after).toEqual({ from: '2026-03-07', to: '2026-04-03', complete: false });
    expect(result.campaign).toMatchObject({ beforeRate: 1.5, afterRate: 0.5 });
    expect(result.weekly.map((w) => w.weekStart)).toEqual([...BEFORE_WEEKS, '2026-03-07', '2026-03-14']);

    // On the window's last day the day is not over yet.
    expect(effect({ today: '2026-04-03' }).after.complete).toBe(false);
    expect(effect({ today: '2026-04-04' }).after.complete).toBe(true);
  });

  it('scales a partly elapsed week to a weekly rate', () => {
    // 2026-03-16 is the 10th day after: the report of 2026-03-09 and that of 2026-03-16, in 10 days.
    const result = effect({ today: '2026-03-16' });
    expect(result.campaign.afterRate).toBe(0.7); // 2 per 2,000 households × 7/10
    // Its last week has had 3 days (14th to 16th) and one report per group: 0.5 per 1,000 × 7/3.
    expect(result.weekly.at(-1)).toEqual({
      weekStart: '2026-03-14',
      campaignRate: 1.167,
      comparisonRate: 1.167,
    });
  });

  it('has no after rate, change or difference before the after window begins', () => {
    const result = effect({ today: LAST });
    expect(result.campaign).toMatchObject({ beforeRate: 1.5, afterRate: null, change: null });
    expect(result.difference).toBeNull();
    expect(result.weekly).toHaveLength(4);
  });

  it('has no comparison when every other community had a campaign too', () => {
    const result = effect({ otherCampaignCommunities: ['s1', 's2', 'o1'] });
    expect(result.comparison).toBeNull();
    expect(result.difference).toBeNull();
    expect(result.campaign.change).toBe(-1);
    expect(result.weekly.every((w) => w.comparisonRate === null)).toBe(true);
  });
});
