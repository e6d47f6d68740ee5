/**
 * Planning campaigns (outreach staff and the county supervisor only): create, edit, schedule and
 * cancel, each one conditional write on the campaign's version; and a campaign as the planner
 * shows it, with its upcoming occurrences, runs, SMS preview and, once completed, its effect.
 */
import type { Organisation } from '../../domain/organisation.ts';
import { type Campaign, CampaignPlan, type CampaignRun } from '../../domain/outreach/campaign.ts';
import type { CampaignEffect } from '../../domain/outreach/campaign-effect.ts';
import {
  allowedCampaignActions,
  applyCampaignAction,
  CampaignAction,
  type CampaignActionName,
  editCampaign,
  mayPlanCampaigns,
  newCampaign,
} from '../../domain/outreach/campaign-lifecycle.ts';
import { type OutreachSmsPreview, outreachSmsPreview } from '../../domain/outreach/outreach-message.ts';
import { toRRuleText } from '../../domain/outreach/recurrence.ts';
import type { Staff } from '../../domain/staff.ts';
import { VersionConflictError } from '../../errors.ts';
import * as z from '../../schema.ts';
import { parseOrThrow } from '../../validation.ts';
import { effectOf } from './campaign-effect.ts';
import { latestGroupSendsOf, type RunGroupSends } from './group-sends.ts';
import {
  type EstimateSourceSummary,
  estimateOutreach,
  estimateSourceOf,
  type OutreachEstimate,
} from './outreach-estimate.ts';
import {
  type CampaignApiDeps,
  checkCommunities,
  householdsOf,
  loadCampaign,
  requirePlanner,
  requireViewer,
  upcomingOf,
} from './planner-context.ts';

export interface CampaignView {
  campaign: Campaign;
  allowedActions: CampaignActionName[];
  rrule: string;
  /** The next occurrences that have not started (up to 10). */
  upcoming: string[];
  runs: CampaignRun[];
  /** An SMS campaign's text and size, its messages estimated for the next run. */
  preview?: OutreachSmsPreview;
  /** Where preview.estimatedMessages comes from, per community (SMS campaigns). */
  estimate?: OutreachEstimate;
  estimateSource?: EstimateSourceSummary;
  households: number;
  /** A WeChat-group campaign's latest run: its groups per township, each grid's status. */
  groupSends?: RunGroupSends;
  effect?: CampaignEffect;
}

async function writeOrConflict(next: Campaign, current: Campaign, deps: CampaignApiDeps): Promise<void> {
  if (!(await deps.campaigns.replace(next, current.version))) {
    const latest = await deps.campaigns.get(current.campaignId);
    throw new VersionConflictError(
      'Someone else changed this campaign first; reload it and try again',
      latest?.version ?? current.version,
      latest ? allowedCampaignActions(latest.status) : [],
    );
  }
}

function checkVersion(campaign: Campaign, expectedVersion: number): void {
  if (campaign.version !== expectedVersion) {
    throw new VersionConflictError(
      `The campaign is at version ${campaign.version}, not ${expectedVersion}; reload it`,
      campaign.version,
      allowedCampaignActions(campaign.status),
    );
  }
}

export async function getCampaign(
  staff: Staff,
  campaignId: string,
  deps: CampaignApiDeps,
): Promise<CampaignView> {
  requireViewer(staff);
  const campaign = await loadCampaign(campaignId, deps);
  const [runs, org] = await Promise.all([deps.campaigns.listRuns(campaignId), deps.directory.load()]);
  const households = householdsOf(campaign.communityIds, org);
  const pending = campaign.status === 'scheduled' || campaign.status === 'running';
  const effect = await effectOf(campaign, runs, org, deps);
  const groupSends =
    campaign.channel.kind === 'wecom_group'
      ? await latestGroupSendsOf(runs, org, deps.groupSends)
      : undefined;
  return {
    campaign,
    allowedActions: mayPlanCampaigns(staff) ? allowedCampaignActions(campaign.status) : [],
    rrule: toRRuleText(campaign.firstRunAt, campaign.recurrence),
    upcoming: pending && campaign.nextRunAt ? upcomingOf(campaign, new Date(campaign.nextRunAt)) : [],
    runs: runs.sort((a, b) => a.occurrenceAt.localeCompare(b.occurrenceAt)),
    households,
    ...(campaign.channel.kind === 'sms' ? await smsPreviewOf(campaign, campaign.channel, org, deps) : {}),
    ...(groupSends ? { groupSends } : {}),
    ...(effect ? { effect } : {}),
  };
}

/** A campaign's SMS preview, estimated for its next run (or now, when none is pending). */
async function smsPreviewOf(
  campaign: Campaign,
  channel: { signature: string; body: string },
  org: Organisation,
  deps: CampaignApiDeps,
): Promise<Pick<CampaignView, 'preview' | 'estimate' | 'estimateSource'>> {
  const at = new Date(
    Math.max(deps.now().getTime(), campaign.nextRunAt ? Date.parse(campaign.nextRunAt) : 0),
  );
  const estimate = await estimateOutreach(campaign.communityIds, org, at, deps);
  return {
    preview: outreachSmsPreview(channel.signature, channel.body, estimate.households),
    estimate,
    estimateSource: estimateSourceOf(estimate),
  };
}

export const CreateBody = z.extend(CampaignPlan, { schedule: z._default(z.boolean(), false) });

export async function createCampaign(
  staff: Staff,
  body: unknown,
  deps: CampaignApiDeps,
): Promise<CampaignView> {
  requirePlanner(staff);
  const { schedule, ...plan } = parseOrThrow(CreateBody, body, 'The campaign');
  checkCommunities(plan, await deps.directory.load());
  const now = deps.now();
  let campaign = newCampaign(plan, deps.newId(), staff, now, deps.quietHours);
  if (schedule)
    campaign = applyCampaignAction(
      campaign,
      { action: 'schedule', expectedVersion: 1 },
      now,
      deps.quietHours,
    );
  if (!(await deps.campaigns.create(campaign))) throw new Error('campaign id collision');
  return getCampaign(staff, campaign.campaignId, deps);
}

export const EditBody = z.extend(CampaignPlan, { expectedVersion: z.int().check(z.minimum(1)) });

export async function updateCampaign(
  staff: Staff,
  campaignId: string,
  body: unknown,
  deps: CampaignApiDeps,
): Promise<CampaignView> {
  requirePlanner(staff);
  const { expectedVersion, ...plan } = parseOrThrow(EditBody, body, 'The campaign');
  const current = await loadCampaign(campaignId, deps);
  checkVersion(current, expectedVersion);
  checkCommunities(plan, await deps.directory.load());
  await writeOrConflict(editCampaign(current, plan, deps.now(), deps.quietHours), current, deps);
  return getCampaign(staff, campaignId, deps);
}

export async function actOnCampaign(
  staff: Staff,
  campaignId: string,
  body: unknown,
  deps: CampaignApiDeps,
): Promise<CampaignView> {
  requirePlanner(staff);
  const action = parseOrThrow(CampaignAction, body, 'The action');
  const current = await loadCampaign(campaignId, deps);
  checkVersion(current, action.expectedVersion);
  const next = applyCampaignAction(current, action, deps.now(), deps.quietHours);
  await writeOrConflict(next, current, deps);
  if (next.status === 'cancelled') {
    // Runs under way stop too: the sender counts their remaining households as cancelled.
    for (const run of await deps.campaigns.listRuns(campaignId)) {
      await deps.campaigns.setRunStatus(
        campaignId,
        run.runId,
        ['planning', 'sending', 'awaiting_attendance'],
        'cancelled',
        { completedAt: deps.now().toISOString() },
      );
    }
  }
  return getCampaign(staff, campaignId, deps);
}
