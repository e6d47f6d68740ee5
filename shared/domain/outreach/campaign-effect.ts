/**
 * Whether a completed campaign was followed by fewer fraud reports: the fraud-report rate in its
 * communities in the weeks before and after it, set against communities that had no campaign in
 * that period (a difference in differences), so a county-wide drop is not credited to it. Pure:
 * the caller fetches the counts for `effectWindow(...)` once. Days are Asia/Shanghai YYYY-MM-DD.
 */
import type { DailyFraudCounts } from './fraud-risk.ts';
import type { CampaignReach } from './group-mass-send.ts';
import { addDays } from './shanghai-time.ts';

/** Four weeks each side: long enough to smooth a handful of reports, short enough to stay about this campaign. */
export const DEFAULT_EFFECT_WEEKS = 4;
/** Rates are per 1,000 households per week; county-wide they are well below 1, so 2 decimals would hide them. */
const RATE_DECIMALS = 3;
const DAYS_PER_WEEK = 7;

export interface EffectCommunity {
  id: string;
  households: number;
}

export interface CampaignEffectInput {
  /** The campaign's communities. */
  communityIds: string[];
  /** The first and last day the campaign ran. */
  firstRunDay: string;
  lastRunDay: string;
  /** Weeks compared on each side; default 4. */
  weeks?: number;
  today: string;
  communities: EffectCommunity[];
  /** Counts covering effectWindow(firstRunDay, lastRunDay, weeks), at least up to today. */
  counts: DailyFraudCounts;
  /** Communities with any campaign run in [firstRunDay − weeks, lastRunDay + weeks] other than this one's. */
  otherCampaignCommunities: string[];
}

/** Fraud reports per 1,000 households per week; null when there are no households or no days to measure. */
export interface GroupEffect {
  households: number;
  beforeRate: number | null;
  afterRate: number | null;
  /** afterRate − beforeRate; negative is fewer reports after. */
  change: number | null;
}

export interface CampaignEffect {
  weeks: number;
  before: { from: string; to: string };
  /** The full after window; rates cover only its days up to today until `complete`. */
  after: { from: string; to: string; complete: boolean };
  campaign: GroupEffect;
  /** The communities without a campaign in the period; null when there are none. */
  comparison: (GroupEffect & { communities: number }) | null;
  /** campaign.change − comparison.change: what the campaign changed beyond the county's own drift. */
  difference: number | null;
  /** Week by week over both windows (not the campaign's own run days), weeks not yet begun left out. */
  weekly: { weekStart: string; campaignRate: number | null; comparisonRate: number | null }[];
  /** How far its runs reached: SMS households beside WeChat groups and their households. */
  reach?: CampaignReach;
}

interface Span {
  from: string;
  to: string;
}

/** Every day the effect reads: from the start of the before window to the end of the after window. */
export function effectWindow(firstRunDay: string, lastRunDay: string, weeks = DEFAULT_EFFECT_WEEKS): Span {
  assertWeeks(weeks);
  return {
    from: addDays(firstRunDay, -weeks * DAYS_PER_WEEK),
    to: addDays(lastRunDay, weeks * DAYS_PER_WEEK),
  };
}

export function campaignEffect(input: CampaignEffectInput): CampaignEffect {
  const weeks = input.weeks ?? DEFAULT_EFFECT_WEEKS;
  const { today, counts } = input;
  if (input.lastRunDay < input.firstRunDay) {
    throw new RangeError(`the campaign ends (${input.lastRunDay}) before it starts (${input.firstRunDay})`);
  }
  const full = effectWindow(input.firstRunDay, input.lastRunDay, weeks);
  const before: Span = { from: full.from, to: addDays(input.firstRunDay, -1) };
  const after: Span = { from: addDays(input.lastRunDay, 1), to: full.to };

  const inCampaign = new Set(input.communityIds);
  const excluded = new Set([...input.communityIds, ...input.otherCampaignCommunities]);
  const campaignGroup = input.communities.filter((c) => inCampaign.has(c.id));
  const comparisonGroup = input.communities.filter((c) => !excluded.has(c.id));

  const campaign = groupEffect(campaignGroup, counts, before, after, today);
  const comparison =
    comparisonGroup.length > 0
      ? { communities: comparisonGroup.length, ...groupEffect(comparisonGroup, counts, before, after, today) }
      : null;
  const difference =
    campaign.change !== null && comparison !== null && comparison.change !== null
      ? round(campaign.change - comparison.change)
      : null;

  const weekly: CampaignEffect['weekly'] = [];
  for (const window of [before, after]) {
    for (let w = 0; w < weeks; w++) {
      const weekStart = addDays(window.from, w * DAYS_PER_WEEK);
      const week: Span = { from: weekStart, to: addDays(weekStart, DAYS_PER_WEEK - 1) };
      if (elapsedDays(week, today) === 0) break;
      weekly.push({
        weekStart,
        campaignRate: weeklyRate(campaignGroup, counts, week, today),
        comparisonRate: comparison ? weeklyRate(comparisonGroup, counts, week, today) : null,
      });
    }
  }

  return {
    weeks,
    before,
    after: { ...after, complete: today > after.to },
    campaign,
    comparison,
    difference,
    weekly,
  };
}

function groupEffect(
  group: EffectCommunity[],
  counts: DailyFraudCounts,
  before: Span,
  after: Span,
  today: string,
): GroupEffect {
  const beforeRate = weeklyRate(group, counts, before, today);
  const afterRate = weeklyRate(group, counts, after, today);
  return {
    households: householdsOf(group),
    beforeRate,
    afterRate,
    change: beforeRate !== null && afterRate !== null ? round(afterRate - beforeRate) : null,
  };
}

/**
 * Reports per 1,000 households per week over the span's days up to today (today counted: the
 * after window is read while it is still running, and the rate is scaled to the days elapsed).
 */
function weeklyRate(
  group: EffectCommunity[],
  counts: DailyFraudCounts,
  span: Span,
  today: string,
): number | null {
  const households = householdsOf(group);
  const days = elapsedDays(span, today);
  if (households <= 0 || days === 0) return null;
  const last = span.to < today ? span.to : today;
  const ids = new Set(group.map((c) => c.id));
  let reports = 0;
  for (const [day, byCommunity] of Object.entries(counts)) {
    // YYYY-MM-DD strings order like the dates they name.
    if (day < span.from || day > last) continue;
    for (const [communityId, n] of Object.entries(byCommunity)) if (ids.has(communityId)) reports += n;
  }
  return round(((reports * 1000) / households) * (DAYS_PER_WEEK / days));
}

/** Days of the span on or before today. */
function elapsedDays(span: Span, today: string): number {
  if (today < span.from) return 0;
  const last = span.to < today ? span.to : today;
  return (
    Math.round((Date.parse(`${last}T00:00:00Z`) - Date.parse(`${span.from}T00:00:00Z`)) / 86_400_000) + 1
  );
}

function householdsOf(group: EffectCommunity[]): number {
  return group.reduce((sum, c) => sum + Math.max(0, c.households), 0);
}

function assertWeeks(weeks: number): void {
  if (!Number.isInteger(weeks) || weeks < 1)
    throw new RangeError(`weeks must be a whole number ≥ 1, got ${weeks}`);
}

function round(value: number): number {
  const factor = 10 ** RATE_DECIMALS;
  return Math.round(value * factor) / factor;
}
