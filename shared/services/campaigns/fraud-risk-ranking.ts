/** Where a campaign is due: communities ranked by fraud reports per 1,000 households. */
import { type RiskRow, rankCommunities, WINDOW_DAYS } from '../../domain/outreach/fraud-risk.ts';
import { addDays, shanghaiDay } from '../../domain/outreach/shanghai-time.ts';
import type { Staff } from '../../domain/staff.ts';
import { type CampaignApiDeps, listAllCampaigns, requireViewer } from './planner-context.ts';

export interface RiskRanking {
  asOf: string;
  windowDays: number;
  communities: RiskRow[];
}

/** Communities ranked by fraud reports per 1,000 households over the trailing 90 days. */
export async function fraudRiskRanking(staff: Staff, deps: CampaignApiDeps): Promise<RiskRanking> {
  requireViewer(staff);
  const today = shanghaiDay(deps.now());
  const [org, counts, campaigns] = await Promise.all([
    deps.directory.load(),
    deps.fraudReports.dailyCounts(addDays(today, -(WINDOW_DAYS - 1)), today),
    listAllCampaigns(deps),
  ]);
  const activity: Record<string, { lastCampaignAt?: string; nextCampaignAt?: string }> = {};
  for (const c of campaigns) {
    for (const id of c.communityIds) {
      const seen = activity[id] ?? {};
      if (c.lastRunAt && (!seen.lastCampaignAt || c.lastRunAt > seen.lastCampaignAt))
        seen.lastCampaignAt = c.lastRunAt;
      if (
        c.nextRunAt &&
        c.status !== 'cancelled' &&
        (!seen.nextCampaignAt || c.nextRunAt < seen.nextCampaignAt)
      )
        seen.nextCampaignAt = c.nextRunAt;
      activity[id] = seen;
    }
  }
  return {
    asOf: today,
    windowDays: WINDOW_DAYS,
    communities: rankCommunities({
      communities: org.communities.map((c) => ({
        id: c.id,
        zh: c.zh,
        en: c.en,
        townshipId: c.townshipId,
        households: c.households,
      })),
      counts,
      today,
      activity,
    }),
  };
}
