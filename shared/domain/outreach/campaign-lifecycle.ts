/**
 * The campaign lifecycle as pure functions: draft → scheduled → running → completed, or
 * cancelled from any state before completed. Each returns the next campaign (or throws with the
 * field or the allowed actions named); the caller writes it with one conditional update on
 * `version`. Also who may plan campaigns (and who takes part in their lectures and screenings), and
 * when the scheduler should pick an occurrence up.
 */

import { TransitionNotAllowedError, ValidationError } from '../../errors.ts';
import * as z from '../../schema.ts';
import type { Staff } from '../staff.ts';
import {
  type Campaign,
  type CampaignPlan,
  type CampaignStatus,
  completeIfDone,
  isSendingChannel,
} from './campaign.ts';
import { DEFAULT_QUIET_HOURS, overlapsQuietHours, type QuietHours } from './quiet-hours.ts';
import { nextOccurrence } from './recurrence.ts';
import { fromShanghaiLocal, shanghaiLocal } from './shanghai-time.ts';

export const CampaignAction = z.discriminatedUnion('action', [
  z.object({ action: z.literal('schedule'), expectedVersion: z.int().check(z.minimum(1)) }),
  z.object({ action: z.literal('cancel'), expectedVersion: z.int().check(z.minimum(1)) }),
]);
export type CampaignAction = z.infer<typeof CampaignAction>;
export type CampaignActionName = CampaignAction['action'] | 'edit';

/** Outreach staff (community police) and the county supervisor plan campaigns; admins may look. */
export const mayPlanCampaigns = (staff: Staff): boolean =>
  staff.role === 'outreach_staff' || staff.role === 'county_supervisor';
export const mayViewCampaigns = (staff: Staff): boolean => mayPlanCampaigns(staff) || staff.role === 'admin';

/**
 * Lectures and screenings are tasks for the community they cover: its grid worker sees them and
 * records the attendance there; planners see and record every community's.
 */
export const mayViewOutreachTasks = (staff: Staff): boolean =>
  mayPlanCampaigns(staff) || staff.role === 'grid_worker';
/** The one community a member of staff's outreach tasks are limited to; undefined for planners. */
export const taskCommunityOf = (staff: Staff): string | undefined =>
  staff.role === 'grid_worker' ? staff.communityId : undefined;
/** Whether they may record the attendance of these communities: planners any, a grid worker their own. */
export function mayRecordAttendance(staff: Staff, communityIds: readonly string[]): boolean {
  if (mayPlanCampaigns(staff)) return true;
  const own = taskCommunityOf(staff);
  return own !== undefined && communityIds.length > 0 && communityIds.every((id) => id === own);
}

const ALLOWED: Record<CampaignStatus, CampaignActionName[]> = {
  draft: ['edit', 'schedule', 'cancel'],
  scheduled: ['edit', 'cancel'],
  running: ['edit', 'cancel'],
  completed: [],
  cancelled: [],
};
export const allowedCampaignActions = (status: CampaignStatus): CampaignActionName[] => ALLOWED[status];

/** An occurrence more than this late (the scheduler was down) is skipped rather than sent late. */
export const MISSED_AFTER_MS = 6 * 3_600_000;
/** Scheduling a campaign whose first run is at most this far in the past starts it at once. */
export const SEND_NOW_GRACE_MS = 5 * 60_000;
/** Lecture and screening reminders go to the assignee at this Shanghai time the day before. */
export const REMINDER_TIME = '10:00';

const DONE: Record<CampaignActionName, string> = {
  edit: 'edited',
  schedule: 'scheduled',
  cancel: 'cancelled',
};

function refuse(campaign: Campaign, action: CampaignActionName): never {
  throw new TransitionNotAllowedError(
    `A ${campaign.status} campaign cannot be ${DONE[action]}`,
    campaign.version,
    ALLOWED[campaign.status],
  );
}

/** When the scheduler should pick an occurrence up: SMS at the run, tasks at the reminder. */
export function dueAtFor(plan: Pick<CampaignPlan, 'channel'>, occurrence: Date, now: Date): Date {
  if (isSendingChannel(plan.channel)) return occurrence;
  const dayBefore = new Date(occurrence.getTime() - 86_400_000);
  const reminder = fromShanghaiLocal(`${shanghaiLocal(dayBefore).date}T${REMINDER_TIME}`);
  // Planned less than a day ahead: remind now (the run itself is still created at its time).
  return reminder < now ? now : reminder;
}

/** SMS may only be planned outside quiet hours; the sender would defer them anyway. */
export function checkPlan(plan: CampaignPlan, quiet: QuietHours = DEFAULT_QUIET_HOURS): void {
  const first = fromShanghaiLocal(plan.firstRunAt);
  // A weekly rule on other weekdays would silently start later than the date staff picked.
  if (nextOccurrence(plan.firstRunAt, plan.recurrence, first, true)?.getTime() !== first.getTime()) {
    const issue =
      plan.recurrence.frequency === 'weekly'
        ? { path: 'recurrence.weekdays', message: `include the weekday of ${plan.firstRunAt.slice(0, 10)}` }
        : {
            path: 'firstRunAt',
            message: 'pick a first run on a day the recurrence runs (the last day of a month)',
          };
    throw new ValidationError('The first run does not fit the recurrence', [issue]);
  }
  if (plan.channel.kind !== 'sms') return;
  const time = plan.firstRunAt.slice(11, 16);
  if (overlapsQuietHours(time, quiet)) {
    throw new ValidationError('SMS campaigns cannot be sent in quiet hours', [
      {
        path: 'firstRunAt',
        message: `${time} is in quiet hours (${quiet.start}–${quiet.end} Asia/Shanghai); pick a daytime start`,
      },
    ]);
  }
}

/** The first occurrence the scheduler has not started yet, on or after `from`. */
function upcoming(plan: CampaignPlan, lastRunAt: string | undefined, now: Date): Date | undefined {
  const floor = new Date(now.getTime() - MISSED_AFTER_MS);
  if (lastRunAt === undefined) return nextOccurrence(plan.firstRunAt, plan.recurrence, floor, true);
  const last = new Date(lastRunAt);
  return nextOccurrence(plan.firstRunAt, plan.recurrence, last > floor ? last : floor, false);
}

function withNext(campaign: Campaign, next: Date | undefined, now: Date): Campaign {
  const { nextRunAt: _r, nextDueAt: _d, ...rest } = campaign;
  if (!next) return rest;
  return { ...rest, nextRunAt: next.toISOString(), nextDueAt: dueAtFor(campaign, next, now).toISOString() };
}

export function newCampaign(
  plan: CampaignPlan,
  campaignId: string,
  staff: Staff,
  now: Date,
  quiet?: QuietHours,
): Campaign {
  checkPlan(plan, quiet);
  const at = now.toISOString();
  return {
    ...plan,
    campaignId,
    status: 'draft',
    version: 1,
    createdBy: { userId: staff.userId, name: staff.name },
    createdAt: at,
    updatedAt: at,
  };
}

/** Replaces the plan. Runs already started keep their snapshot; later ones follow the edit. */
export function editCampaign(
  campaign: Campaign,
  plan: CampaignPlan,
  now: Date,
  quiet?: QuietHours,
): Campaign {
  if (!ALLOWED[campaign.status].includes('edit')) refuse(campaign, 'edit');
  checkPlan(plan, quiet);
  const edited: Campaign = {
    ...campaign,
    ...plan,
    version: campaign.version + 1,
    updatedAt: now.toISOString(),
  };
  if (campaign.status === 'draft') return edited;
  const next = upcoming(plan, campaign.lastRunAt, now);
  if (!next && campaign.status === 'scheduled') {
    throw new ValidationError('The edited campaign would never run', [
      { path: 'firstRunAt', message: 'no occurrence is left after now; move the first run or the end date' },
    ]);
  }
  return withNext(edited, next, now);
}

export function applyCampaignAction(
  campaign: Campaign,
  action: CampaignAction,
  now: Date,
  quiet?: QuietHours,
): Campaign {
  if (!ALLOWED[campaign.status].includes(action.action)) refuse(campaign, action.action);
  const base = { ...campaign, version: campaign.version + 1, updatedAt: now.toISOString() };
  switch (action.action) {
    case 'schedule': {
      checkPlan(campaign, quiet);
      // A first run in the last few minutes means "send now"; an older one is skipped.
      const from = new Date(now.getTime() - SEND_NOW_GRACE_MS);
      const next = nextOccurrence(campaign.firstRunAt, campaign.recurrence, from, true);
      if (!next) {
        throw new ValidationError('The campaign has no run in the future', [
          { path: 'firstRunAt', message: 'the first run is in the past; move it to a later time' },
        ]);
      }
      return withNext({ ...base, status: 'scheduled' }, next, now);
    }
    case 'cancel':
      return withNext({ ...base, status: 'cancelled', cancelledAt: now.toISOString() }, undefined, now);
  }
}

/**
 * After the scheduler has started the run of `occurrence`: the campaign is running and points at
 * its next occurrence (skipping any the scheduler missed by more than MISSED_AFTER_MS).
 */
export function advanceCampaign(campaign: Campaign, occurrence: Date, now: Date): Campaign {
  const lastRunAt = occurrence.toISOString();
  const next = upcoming(campaign, lastRunAt, now);
  return withNext(
    {
      ...campaign,
      status: campaign.status === 'scheduled' ? 'running' : campaign.status,
      lastRunAt,
      version: campaign.version + 1,
      updatedAt: now.toISOString(),
    },
    next,
    now,
  );
}

export { completeIfDone };
