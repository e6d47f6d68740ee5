/**
 * What a campaign plan will do before it is scheduled: the households it reaches, its occurrences,
 * the SMS's parts and estimated messages, and warnings about the plan.
 */
import { CampaignPlan } from '../../domain/outreach/campaign.ts';
import { checkPlan, SEND_NOW_GRACE_MS } from '../../domain/outreach/campaign-lifecycle.ts';
import { outreachSmsPreview } from '../../domain/outreach/outreach-message.ts';
import { toRRuleText } from '../../domain/outreach/recurrence.ts';
import type { Staff } from '../../domain/staff.ts';
import { parseOrThrow } from '../../validation.ts';
import {
  type CampaignApiDeps,
  checkCommunities,
  householdsOf,
  requireViewer,
  upcomingOf,
} from './planner-context.ts';

const PreviewBody = CampaignPlan;

export async function previewCampaign(staff: Staff, body: unknown, deps: CampaignApiDeps) {
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
  return {
    households,
    rrule: toRRuleText(plan.firstRunAt, plan.recurrence),
    upcoming,
    ...(plan.channel.kind === 'sms'
      ? { message: outreachSmsPreview(plan.channel.signature, plan.channel.body, households) }
      : {}),
    warnings,
  };
}
