/**
 * Fraud risk per community, for the campaign planner: fraud-category reports per 1,000
 * households over the trailing 90 days, whether they are rising, and whether a campaign is due.
 * Pure: the caller brings the daily counts (the fraud-report ledger), the communities (the
 * directory) and each community's campaign dates; `today` is an Asia/Shanghai date.
 */
import { addDays, shanghaiDay } from './shanghai-time.ts';

/** Fraud-category reports per community per Shanghai day (what the fraud-report ledger holds). */
export type DailyFraudCounts = Record<string /*YYYY-MM-DD*/, Record<string /*communityId*/, number>>;

/** The trailing window: today and the 89 days before it — a quarter, long enough that a rate per 1,000 is not one bad week. */
export const WINDOW_DAYS = 90;
/** The recent part of the window, compared against the 60 days before it to tell a trend. */
export const RECENT_DAYS = 30;
/**
 * Rising needs 25% more than the earlier pace and at least 2 reports: with counts this small a
 * single report (0 → 1) is noise, not a trend, and a bare "more than before" would flag most
 * communities every month.
 */
export const RISING_FACTOR = 1.25;
export const MIN_RECENT_FOR_RISING = 2;
/** Falling mirrors rising: 25% below the earlier pace, judged only when there were at least 2 earlier reports. */
export const FALLING_FACTOR = 0.75;
export const MIN_EARLIER_FOR_FALLING = 2;
/** "High" is relative: the top quarter by rate among communities that had any reports at all. */
export const HIGH_RATE_QUANTILE = 0.25;
/** A campaign's effect takes weeks to show; suggesting the same community again sooner wastes staff. */
export const CAMPAIGN_COOLDOWN_DAYS = 30;
/** A campaign already planned this soon covers the need; suggesting another would double-book it. */
export const PLANNED_HORIZON_DAYS = 14;

export type Trend = 'rising' | 'falling' | 'steady' | 'new';

export type RiskReason =
  | 'high_and_rising'
  | 'high_rate'
  | 'rising'
  | 'recent_campaign'
  | 'campaign_planned'
  | 'low';

/**
 * Each fact the suggestion rests on, with the numbers it was judged on, so a row that is not due
 * always says why (and a due one what made it so). A row lists one rate fact, one trend fact
 * (unless it had no reports at all) and any timing facts, in that order.
 */
export type RiskReasonDetail =
  /** No fraud reports in the window: nothing to act on. */
  | { code: 'no_reports'; windowDays: number }
  /** Reports but no household count in the directory: no rate, so it cannot be "high". */
  | { code: 'no_household_count'; reports90: number }
  /** In the top quarter by rate among communities with reports. */
  | { code: 'above_threshold'; ratePer1000: number; thresholdPer1000: number }
  | { code: 'below_threshold'; ratePer1000: number; thresholdPer1000: number }
  /** recent30 above RISING_FACTOR × the earlier pace (earlier60 / 2), with at least MIN_RECENT_FOR_RISING. */
  | { code: 'rising'; recent30: number; earlier60: number; trendRatio: number | null; factor: number }
  /** Fewer recent reports than a trend needs: one report is noise. */
  | { code: 'too_few_reports'; recent30: number; minimum: number }
  /** Enough recent reports, but not above the earlier pace by the factor. */
  | { code: 'not_rising'; recent30: number; earlier60: number; trendRatio: number | null; factor: number }
  /** A campaign ran here within the cool-down: its effect has not had time to show. */
  | { code: 'recent_campaign'; lastCampaignAt: string; withinDays: number }
  /** A campaign is already planned within the horizon. */
  | { code: 'already_scheduled'; nextCampaignAt: string; withinDays: number };

export type RiskReasonCode = RiskReasonDetail['code'];

export interface RiskCommunity {
  id: string;
  zh: string;
  en: string;
  townshipId: string;
  households: number;
}

export interface CampaignActivity {
  /** When the community's latest campaign ran (ISO instant). */
  lastCampaignAt?: string;
  /** When its next planned campaign runs (ISO instant). */
  nextCampaignAt?: string;
}

export interface RiskInput {
  communities: RiskCommunity[];
  counts: DailyFraudCounts;
  /** YYYY-MM-DD, Asia/Shanghai. */
  today: string;
  activity: Record<string /*communityId*/, CampaignActivity>;
}

export interface RiskRow {
  communityId: string;
  zh: string;
  en: string;
  townshipId: string;
  households: number;
  /** Fraud reports in the trailing 90 days (today and the 89 before). */
  reports90: number;
  /** reports90 per 1,000 households, 2 decimals; 0 when the household count is unknown (0). */
  ratePer1000: number;
  /** Reports in the last 30 days, today included. */
  recent30: number;
  /** Reports in the 60 days before those. */
  earlier60: number;
  trend: Trend;
  /** recent30 against the earlier pace (earlier60 / 2), 2 decimals; null when earlier60 is 0. */
  trendRatio: number | null;
  lastCampaignAt?: string;
  nextCampaignAt?: string;
  /** Whether the planner should suggest a campaign here now. */
  due: boolean;
  /** The suggestion in one word (what the console's column shows). */
  reason: RiskReason;
  /** Every fact behind `due`, with its numbers; never empty. */
  reasons: RiskReasonDetail[];
}

/** Every community with its fraud risk, highest rate first (then more recent reports, then id). */
export function rankCommunities(input: RiskInput): RiskRow[] {
  const { today } = input;
  const windowStart = addDays(today, -(WINDOW_DAYS - 1));
  const recentStart = addDays(today, -(RECENT_DAYS - 1));
  const reports = reportsByCommunity(input.counts, windowStart, recentStart, today);

  const measured = input.communities.map((c) => {
    const { recent, earlier } = reports.get(c.id) ?? { recent: 0, earlier: 0 };
    const reports90 = recent + earlier;
    // A community without a household count (0) has no meaningful rate; its reports still show,
    // and a rising trend can still make it due, but it never sets the "high rate" bar.
    const ratePer1000 = c.households > 0 ? round((reports90 * 1000) / c.households, 2) : 0;
    return { c, reports90, ratePer1000, recent, earlier };
  });

  const highRateBar = topQuantileBar(
    measured.filter((m) => m.reports90 > 0 && m.c.households > 0).map((m) => m.ratePer1000),
  );

  const rows = measured.map(({ c, reports90, ratePer1000, recent, earlier }): RiskRow => {
    const activity = input.activity[c.id] ?? {};
    const high = reports90 > 0 && c.households > 0 && highRateBar !== null && ratePer1000 >= highRateBar;
    const surging = isRising(recent, earlier);
    const recentCampaign =
      activity.lastCampaignAt !== undefined &&
      shanghaiDay(activity.lastCampaignAt) > addDays(today, -CAMPAIGN_COOLDOWN_DAYS);
    // A planned date already past still counts: the campaign is running or about to be recorded.
    const planned =
      activity.nextCampaignAt !== undefined &&
      shanghaiDay(activity.nextCampaignAt) <= addDays(today, PLANNED_HORIZON_DAYS);
    const needed = reports90 > 0 && (high || surging);
    return {
      communityId: c.id,
      zh: c.zh,
      en: c.en,
      townshipId: c.townshipId,
      households: c.households,
      reports90,
      ratePer1000,
      recent30: recent,
      earlier60: earlier,
      trend: trendOf(recent, earlier),
      trendRatio: earlier > 0 ? round(recent / (earlier / 2), 2) : null,
      ...(activity.lastCampaignAt !== undefined ? { lastCampaignAt: activity.lastCampaignAt } : {}),
      ...(activity.nextCampaignAt !== undefined ? { nextCampaignAt: activity.nextCampaignAt } : {}),
      due: needed && !recentCampaign && !planned,
      reason: reasonOf({ needed, recentCampaign, planned, high, surging }),
      reasons: reasonsOf(
        { households: c.households, reports90, ratePer1000, recent, earlier, high, surging },
        {
          highRateBar,
          ...(recentCampaign && activity.lastCampaignAt ? { lastCampaignAt: activity.lastCampaignAt } : {}),
          ...(planned && activity.nextCampaignAt ? { nextCampaignAt: activity.nextCampaignAt } : {}),
        },
      ),
    };
  });

  return rows.sort(
    (a, b) =>
      b.ratePer1000 - a.ratePer1000 ||
      b.recent30 - a.recent30 ||
      (a.communityId < b.communityId ? -1 : a.communityId > b.communityId ? 1 : 0),
  );
}

/** Why a community is or is not due; a campaign held back by timing says so rather than 'low'. */
function reasonOf(f: {
  needed: boolean;
  recentCampaign: boolean;
  planned: boolean;
  high: boolean;
  surging: boolean;
}): RiskReason {
  if (!f.needed) return 'low';
  if (f.recentCampaign) return 'recent_campaign';
  if (f.planned) return 'campaign_planned';
  if (f.high && f.surging) return 'high_and_rising';
  return f.high ? 'high_rate' : 'rising';
}

/** The facts behind a row's suggestion (see RiskReasonDetail). */
function reasonsOf(
  m: {
    households: number;
    reports90: number;
    ratePer1000: number;
    recent: number;
    earlier: number;
    high: boolean;
    surging: boolean;
  },
  t: { highRateBar: number | null; lastCampaignAt?: string; nextCampaignAt?: string },
): RiskReasonDetail[] {
  const reasons: RiskReasonDetail[] = [];
  if (m.reports90 === 0) {
    reasons.push({ code: 'no_reports', windowDays: WINDOW_DAYS });
  } else {
    if (m.households <= 0) reasons.push({ code: 'no_household_count', reports90: m.reports90 });
    else if (t.highRateBar !== null)
      reasons.push({
        code: m.high ? 'above_threshold' : 'below_threshold',
        ratePer1000: m.ratePer1000,
        thresholdPer1000: t.highRateBar,
      });
    const trendRatio = m.earlier > 0 ? round(m.recent / (m.earlier / 2), 2) : null;
    if (m.surging)
      reasons.push({
        code: 'rising',
        recent30: m.recent,
        earlier60: m.earlier,
        trendRatio,
        factor: RISING_FACTOR,
      });
    else if (m.recent < MIN_RECENT_FOR_RISING)
      reasons.push({ code: 'too_few_reports', recent30: m.recent, minimum: MIN_RECENT_FOR_RISING });
    else
      reasons.push({
        code: 'not_rising',
        recent30: m.recent,
        earlier60: m.earlier,
        trendRatio,
        factor: RISING_FACTOR,
      });
  }
  if (t.lastCampaignAt !== undefined)
    reasons.push({
      code: 'recent_campaign',
      lastCampaignAt: t.lastCampaignAt,
      withinDays: CAMPAIGN_COOLDOWN_DAYS,
    });
  if (t.nextCampaignAt !== undefined)
    reasons.push({
      code: 'already_scheduled',
      nextCampaignAt: t.nextCampaignAt,
      withinDays: PLANNED_HORIZON_DAYS,
    });
  return reasons;
}

/**
 * 'new' names a surge with nothing to compare against (no earlier reports, at least the 2 recent
 * ones rising needs), so it is always rising and a 'new' community is due unless a campaign just
 * ran or is planned. A single report out of nowhere is not 'new' but 'steady': one report is noise
 * by the rising rule, and calling it "newly emerging" while not suggesting a campaign contradicted
 * itself.
 */
function trendOf(recent: number, earlier: number): Trend {
  if (earlier === 0 && isRising(recent, earlier)) return 'new';
  if (isRising(recent, earlier)) return 'rising';
  if (earlier >= MIN_EARLIER_FOR_FALLING && recent < FALLING_FACTOR * (earlier / 2)) return 'falling';
  return 'steady';
}

/** 60 earlier days against 30 recent ones: half the earlier count is the pace to beat. */
function isRising(recent: number, earlier: number): boolean {
  return recent >= MIN_RECENT_FOR_RISING && recent > RISING_FACTOR * (earlier / 2);
}

function reportsByCommunity(
  counts: DailyFraudCounts,
  windowStart: string,
  recentStart: string,
  today: string,
): Map<string, { recent: number; earlier: number }> {
  const out = new Map<string, { recent: number; earlier: number }>();
  for (const [day, byCommunity] of Object.entries(counts)) {
    // YYYY-MM-DD strings order like the dates they name.
    if (day < windowStart || day > today) continue;
    const recentDay = day >= recentStart;
    for (const [communityId, n] of Object.entries(byCommunity)) {
      const entry = out.get(communityId) ?? { recent: 0, earlier: 0 };
      if (recentDay) entry.recent += n;
      else entry.earlier += n;
      out.set(communityId, entry);
    }
  }
  return out;
}

/** The lowest rate still in the top quantile (ties at the bar are in); null when there are no rates. */
function topQuantileBar(rates: number[]): number | null {
  if (rates.length === 0) return null;
  const sorted = [...rates].sort((a, b) => b - a);
  const index = Math.max(0, Math.ceil(sorted.length * HIGH_RATE_QUANTILE) - 1);
  return sorted[index] ?? null;
}

function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}
