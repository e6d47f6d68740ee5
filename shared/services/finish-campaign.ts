/**
 * Closing the loop of a run and its campaign: an SMS run is completed when every household it
 * enqueued has a final outcome (and planning is over); a campaign is completed when it has no
 * occurrence left and all its runs are done. Called by whoever may have made that true — the
 * sender, the planner, the scheduler, attendance — each time with one conditional write.
 */
import { type CampaignRun, completeIfDone, settledCount } from '../domain/outreach/campaign.ts';
import type { CampaignStore } from '../ports/outreach.ts';

export interface FinishCampaignDeps {
  campaigns: CampaignStore;
  now: () => Date;
}

export async function finishCampaignIfDone(campaignId: string, deps: FinishCampaignDeps): Promise<boolean> {
  const campaign = await deps.campaigns.get(campaignId);
  if (!campaign) return false;
  const done = completeIfDone(campaign, await deps.campaigns.listRuns(campaignId), deps.now());
  return done ? deps.campaigns.replace(done, campaign.version) : false;
}

export async function finishRunIfDone(run: CampaignRun, deps: FinishCampaignDeps): Promise<boolean> {
  if (run.status !== 'sending' || settledCount(run.counts) < run.counts.enqueued) return false;
  const completed = await deps.campaigns.setRunStatus(run.campaignId, run.runId, ['sending'], 'completed', {
    completedAt: deps.now().toISOString(),
  });
  if (completed) await finishCampaignIfDone(run.campaignId, deps);
  return completed;
}
