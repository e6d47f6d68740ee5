/**
 * What a campaign plan will do before it is scheduled: the households it reaches, its occurrences,
 * the SMS's parts and estimated messages — counted as the sender will count them, from the
 * registry where it is loaded (outreach-estimate) — and warnings about the plan.
 */

import type { Organisation } from '../../domain/organisation.ts';
import { CampaignPlan } from '../../domain/outreach/campaign.ts';
import { checkPlan, SEND_NOW_GRACE_MS } from '../../domain/outreach/campaign-lifecycle.ts';
import { GROUP_SENDS_PER_MONTH, type GroupSendPreview } from '../../domain/outreach/group-mass-send.ts';
import { type OutreachSmsPreview, outreachSmsPreview } from '../../domain/outreach/outreach-message.ts';
import { toRRuleText } from '../../domain/outreach/recurrence.ts';
import type { Staff } from '../../domain/staff.ts';
import { parseOrThrow } from '../../validation.ts';
import { groupPreviewOf } from './group-sends.ts';
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
  requireViewer,
  upcomingOf,
} from './planner-context.ts';

export const PreviewBody = CampaignPlan;

export interface CampaignPreview {
  /** The directory's household count of the communities (what a lecture or screening reaches). */
  households: number;
  rrule: string;
  upcoming: string[];
  /** SMS only: where `message.estimatedMessages` comes from, in total and per community. */
  estimateSource?: EstimateSourceSummary;
  estimate?: OutreachEstimate;
  message?: OutreachSmsPreview;
  /** WeChat-group campaigns: the groups, their owners, and the groups already at their monthly limit. */
  groups?: GroupSendPreview;
  warnings: string[];
}

/** The SMS's size and reach, its cap judged at the first run ("send now" runs at once, not in the past). */
async function smsEstimateOf(
  channel: { signature: string; body: string },
  communityIds: string[],
  org: Organisation,
  upcoming: string[],
  deps: CampaignApiDeps,
): Promise<Pick<CampaignPreview, 'estimateSource' | 'estimate' | 'message'>> {
  const at = new Date(Math.max(deps.now().getTime(), upcoming[0] ? Date.parse(upcoming[0]) : 0));
  const estimate = await estimateOutreach(communityIds, org, at, deps);
  return {
    estimateSource: estimateSourceOf(estimate),
    estimate,
    message: outreachSmsPreview(channel.signature, channel.body, estimate.households),
  };
}

export async function previewCampaign(
  staff: Staff,
  body: unknown,
  deps: CampaignApiDeps,
): Promise<CampaignPreview> {
  requireViewer(staff);
  const plan = parseOrThrow(PreviewBody, body, 'The campaign');
  const org = await deps.directory.load();
  checkCommunities(plan, org);
  checkPlan(plan, deps.quietHours);
  const households = householdsOf(plan.communityIds, org);
  // A first run in the last few minutes is "send now", not a run in the past.
  const upcoming = upcomingOf(plan, new Date(deps.now().getTime() - SEND_NOW_GRACE_MS));
  const warnings: string[] = [];
  const day = Number(plan.firstRunAt.slice(8, 10));
  if (plan.recurrence.frequency === 'monthly' && plan.recurrence.monthDay === 'same_day' && day > 28) {
    warnings.push(
      `months without a day ${day} are skipped; choose "last day of the month" to run in every month`,
    );
  }
  if (upcoming.length === 0) warnings.push('no occurrence is left after now');
  const sms =
    plan.channel.kind === 'sms'
      ? await smsEstimateOf(plan.channel, plan.communityIds, org, upcoming, deps)
      : {};
  let groups: GroupSendPreview | undefined;
  if (plan.channel.kind === 'wecom_group') {
    const firstRun = new Date(Math.max(deps.now().getTime(), upcoming[0] ? Date.parse(upcoming[0]) : 0));
    groups = await groupPreviewOf(plan.channel, plan.communityIds, org, firstRun, deps.groupSends);
    const perMonth = deps.groupSends?.sendsPerMonth ?? GROUP_SENDS_PER_MONTH;
    if (groups.atLimit.length > 0) {
      warnings.push(
        `${groups.atLimit.length} of ${groups.groups} groups are at their monthly limit for ${groups.month} ` +
          (plan.channel.purpose === 'notice'
            ? `(${perMonth - 1} mass-sends: the ${perMonth}th is kept for fraud alerts)`
            : `(the platform's ${perMonth} mass-sends)`) +
          ' and will not receive it',
      );
    }
    if (groups.gridsWithoutGroup > 0) {
      warnings.push(`${groups.gridsWithoutGroup} grids of these communities have no WeChat group registered`);
    }
  }
  return {
    households,
    rrule: toRRuleText(plan.firstRunAt, plan.recurrence),
    upcoming,
    ...sms,
    ...(groups ? { groups } : {}),
    warnings,
  };
}
