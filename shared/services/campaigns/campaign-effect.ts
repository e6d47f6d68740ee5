/**
 * A completed campaign's effect: fraud reports in its communities before and after its runs,
 * against comparison communities that had no campaign of their own in the same period.
 */
import type { Organisation } from '../../domain/organisation.ts';
import type { Campaign, CampaignRun } from '../../domain/outreach/campaign.ts';
import { type CampaignEffect, campaignEffect, effectWindow } from '../../domain/outreach/campaign-effect.ts';
import { addDays, fromShanghaiLocal, shanghaiDay } from '../../domain/outreach/shanghai-time.ts';
import { reachOf } from './group-sends.ts';
import { type CampaignApiDeps, listAllCampaigns } from './planner-context.ts';

/** The effect of a completed campaign; undefined before it has completed a run. */
export async function effectOf(
  campaign: Campaign,
  runs: CampaignRun[],
  org: Organisation,
  deps: CampaignApiDeps,
): Promise<CampaignEffect | undefined> {
  const held = runs
    .filter((r) => r.status === 'completed')
    .map((r) => r.occurrenceAt)
    .sort();
  const first = held[0];
  const last = held[held.length - 1];
  if (campaign.status !== 'completed' || !first || !last) return undefined;
  const firstRunDay = shanghaiDay(first);
  const lastRunDay = shanghaiDay(last);
  const window = effectWindow(firstRunDay, lastRunDay);
  const today = shanghaiDay(deps.now());
  const [until = today] = [window.to, today].sort();
  const counts = await deps.fraudReports.dailyCounts(window.from, until);
  // Comparison communities must not have had a campaign of their own in the same period.
  const others = await listAllCampaigns(deps);
  const windowStart = fromShanghaiLocal(`${window.from}T00:00`).getTime();
  const windowEnd = fromShanghaiLocal(`${addDays(window.to, 1)}T00:00`).getTime();
  const otherCampaignCommunities = others
    .filter((c) => c.campaignId !== campaign.campaignId && c.lastRunAt)
    .filter((c) => {
      const start = fromShanghaiLocal(c.firstRunAt).getTime();
      const end = Date.parse(c.lastRunAt ?? c.firstRunAt);
      return start < windowEnd && end >= windowStart;
    })
    .flatMap((c) => c.communityIds);
  const effect = campaignEffect({
    communityIds: campaign.communityIds,
    firstRunDay,
    lastRunDay,
    today,
    communities: org.communities.map((c) => ({ id: c.id, households: c.households })),
    counts,
    otherCampaignCommunities,
  });
  return { ...effect, reach: reachOf(runs) };
}
