/**
 * Anti-fraud outreach campaigns: what staff plan (an SMS broadcast, a police case-based lecture
 * 以案说法, or a short-video screening, for one or more communities, once or recurring in
 * Asia/Shanghai time), the lifecycle a campaign goes through, and the runs it produces. A run is
 * one occurrence; it keeps a snapshot of the campaign as it was when the run started, which is
 * why editing a campaign only affects runs that have not started.
 */
import * as z from '../../schema.ts';
import { EntityId } from '../organisation.ts';
import { PhoneNumber } from '../report.ts';
import { GroupMassSendPurpose, GroupMassSendText } from './group-mass-send.ts';
import { OutreachBody, SenderSignature } from './outreach-message.ts';
import { Recurrence } from './recurrence-rule.ts';
import { LocalDateTime, shanghaiLocal } from './shanghai-time.ts';

export const CampaignStatus = z.enum(['draft', 'scheduled', 'running', 'completed', 'cancelled']);
export type CampaignStatus = z.infer<typeof CampaignStatus>;

/** The person a lecture or screening is assigned to; their phone gets the day-before reminder. */
export const Assignee = z.object({
  role: z.enum(['police_officer', 'grid_worker']),
  name: z.string().check(z.trim(), z.minLength(1), z.maxLength(40)),
  phone: PhoneNumber,
});
export type Assignee = z.infer<typeof Assignee>;

export const CampaignChannel = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('sms'), signature: SenderSignature, body: OutreachBody }),
  z.object({
    kind: z.literal('lecture'),
    venue: z.string().check(z.trim(), z.minLength(1), z.maxLength(80)),
    durationMinutes: z._default(z.int().check(z.minimum(15), z.maximum(480)), 60),
    assignee: Assignee,
  }),
  z.object({
    kind: z.literal('video'),
    venue: z.string().check(z.trim(), z.minLength(1), z.maxLength(80)),
    durationMinutes: z._default(z.int().check(z.minimum(5), z.maximum(240)), 30),
    assignee: Assignee,
  }),
  /**
   * The grids' WeChat groups, through WeChat Work's enterprise mass-send to customer groups: one
   * task per group owner (the grid worker), who confirms it in the app. Its own channel, not an
   * SMS option: it reaches groups, not households; its limit is the platform's per group and
   * month, not ours per household; and it ends when owners confirm, not when a text is handed over.
   */
  z.object({ kind: z.literal('wecom_group'), purpose: GroupMassSendPurpose, text: GroupMassSendText }),
]);
export type CampaignChannel = z.infer<typeof CampaignChannel>;
export type CampaignKind = CampaignChannel['kind'];
/** Channels whose runs send at the run time (planned, then sent), as against tasks people hold. */
export type SendingChannel = Extract<CampaignChannel, { kind: 'sms' | 'wecom_group' }>;
export type TaskChannel = Exclude<CampaignChannel, SendingChannel>;
export const isSendingChannel = (channel: CampaignChannel): channel is SendingChannel =>
  channel.kind === 'sms' || channel.kind === 'wecom_group';

/** What staff write: the body of POST /api/campaigns and PUT /api/campaigns/{id}. */
export const CampaignPlan = z.object({
  title: z.string().check(z.trim(), z.minLength(1), z.maxLength(60)),
  communityIds: z.array(EntityId).check(
    z.minLength(1),
    z.maxLength(250),
    z.refine((ids) => new Set(ids).size === ids.length, 'list each community once'),
  ),
  /** The first run, in Asia/Shanghai wall-clock time. */
  firstRunAt: LocalDateTime,
  recurrence: z._default(Recurrence, { frequency: 'once' }),
  channel: CampaignChannel,
});
export type CampaignPlan = z.infer<typeof CampaignPlan>;

export const StaffRef = z.object({ userId: z.string(), name: z.string() });

export const Campaign = z.extend(CampaignPlan, {
  campaignId: z.string().check(z.minLength(1)),
  status: CampaignStatus,
  version: z.int().check(z.minimum(1)),
  createdBy: StaffRef,
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  /** The next occurrence not yet started (UTC); absent in draft, when the series ended, or cancelled. */
  nextRunAt: z.optional(z.iso.datetime()),
  /** When the scheduler picks the next occurrence up: the run time for SMS, the reminder time for tasks. */
  nextDueAt: z.optional(z.iso.datetime()),
  /** The latest occurrence that has started (UTC). */
  lastRunAt: z.optional(z.iso.datetime()),
  cancelledAt: z.optional(z.iso.datetime()),
  completedAt: z.optional(z.iso.datetime()),
});
export type Campaign = z.infer<typeof Campaign>;

/** Per-household outcomes that end a household's part in a run (`deferred` comes back later). */
export const FinalOutcome = z.enum(['sent', 'optedOut', 'capped', 'failed', 'cancelled']);
export type FinalOutcome = z.infer<typeof FinalOutcome>;

export const RunCounts = z.object({
  enqueued: z.int().check(z.minimum(0)),
  sent: z.int().check(z.minimum(0)),
  optedOut: z.int().check(z.minimum(0)),
  capped: z.int().check(z.minimum(0)),
  deferred: z.int().check(z.minimum(0)),
  failed: z.int().check(z.minimum(0)),
  cancelled: z.int().check(z.minimum(0)),
  /** SMS parts billed for what was sent. */
  parts: z.int().check(z.minimum(0)),
});
export type RunCounts = z.infer<typeof RunCounts>;
export const emptyCounts = (): RunCounts => ({
  enqueued: 0,
  sent: 0,
  optedOut: 0,
  capped: 0,
  deferred: 0,
  failed: 0,
  cancelled: 0,
  parts: 0,
});

/** Households of a run with a final outcome so far (a deferred one is still to come). */
export const settledCount = (counts: RunCounts): number =>
  counts.sent + counts.optedOut + counts.capped + counts.failed + counts.cancelled;

/**
 * A running campaign with no occurrence left is completed once every run it started is done.
 * (Here rather than in campaign-lifecycle.ts so that the sender, which closes campaigns, does not
 * bundle the recurrence library.)
 */
export function completeIfDone(campaign: Campaign, runs: CampaignRun[], now: Date): Campaign | undefined {
  if (campaign.status !== 'running' || campaign.nextRunAt !== undefined) return undefined;
  if (!runs.every((r) => r.status === 'completed' || r.status === 'cancelled')) return undefined;
  return {
    ...campaign,
    status: 'completed',
    completedAt: now.toISOString(),
    version: campaign.version + 1,
    updatedAt: now.toISOString(),
  };
}

/**
 * SMS runs: planning (households being enqueued) → sending → completed. Task runs (lecture,
 * video): awaiting_attendance from the reminder on → completed once attendance is recorded.
 * Either may be cancelled with its campaign.
 */
export const RunStatus = z.enum(['planning', 'sending', 'awaiting_attendance', 'completed', 'cancelled']);
export type RunStatus = z.infer<typeof RunStatus>;

export const CampaignRun = z.object({
  campaignId: z.string(),
  /** The occurrence in compact Shanghai local time, e.g. `20261201T0900`: unique within the campaign. */
  runId: z.string(),
  occurrenceAt: z.iso.datetime(),
  /** The campaign version this run was started from, and what it said then. */
  campaignVersion: z.int(),
  title: z.string(),
  communityIds: z.array(EntityId),
  channel: CampaignChannel,
  status: RunStatus,
  createdAt: z.iso.datetime(),
  completedAt: z.optional(z.iso.datetime()),
  counts: RunCounts,
  /** Planning progress: the community being listed and the registry cursor within it. */
  planning: z.optional(
    z.object({
      communityIndex: z.int().check(z.minimum(0)),
      cursor: z.optional(z.string()),
      /**
       * Pages enqueued so far. It numbers the batches, so a replayed page gets the same batch ids,
       * and each checkpoint is conditional on it, so two planners cannot both advance the run.
       */
      page: z.int().check(z.minimum(0)),
    }),
  ),
  reminder: z.optional(z.object({ sentAt: z.iso.datetime(), to: z.literal('assignee') })),
  /** Attendance per community, recorded after a lecture or screening. */
  attendance: z.optional(z.record(EntityId, z.int().check(z.minimum(0)))),
  /**
   * WeChat-group runs, once their tasks are created: the polling round that may go on (a poll
   * request of another round is a duplicate and steps aside) and when polling began.
   */
  groupPoll: z.optional(z.object({ round: z.int().check(z.minimum(0)), since: z.iso.datetime() })),
  /** A completed WeChat-group run: the groups its mass-send reached and their grids' households. */
  groupReach: z.optional(
    z.object({ groups: z.int().check(z.minimum(0)), households: z.int().check(z.minimum(0)) }),
  ),
});
export type CampaignRun = z.infer<typeof CampaignRun>;

/** Names a run across campaigns: in delivery records, leases and SMS correlation ids. */
export const runKeyOf = (campaignId: string, runId: string): string => `${campaignId}#${runId}`;

/** The runId of an occurrence: its Shanghai wall-clock time, compact and sortable. */
export function runIdOf(occurrenceAt: Date): string {
  return shanghaiLocal(occurrenceAt).dateTime.replace(/[-:]/g, '');
}

/** The household-level work item: who in a run still has to be tried. */
export const OutreachBatch = z.object({
  kind: z.literal('outreach.batch'),
  campaignId: z.string().check(z.minLength(1)),
  runId: z.string().check(z.minLength(1)),
  /** Unique within the run; the run's tallies count each batch once. */
  batchId: z.string().check(z.minLength(1)),
  householdIds: z.array(z.string().check(z.minLength(1))).check(z.minLength(1), z.maxLength(100)),
});
export type OutreachBatch = z.infer<typeof OutreachBatch>;

/** Asks the planner to (continue to) enqueue a run's households. */
export const PlanRun = z.object({
  kind: z.literal('outreach.plan'),
  campaignId: z.string().check(z.minLength(1)),
  runId: z.string().check(z.minLength(1)),
  /** Names one planning effort: its continuations carry it on, a duplicate request has another. */
  token: z.string().check(z.minLength(1)),
});
export type PlanRun = z.infer<typeof PlanRun>;

/** Asks the planner to poll a WeChat-group run's tasks at the platform (round `round`). */
export const PollGroupRun = z.object({
  kind: z.literal('outreach.poll_groups'),
  campaignId: z.string().check(z.minLength(1)),
  runId: z.string().check(z.minLength(1)),
  round: z.int().check(z.minimum(0)),
  /** A round continued in another invocation: the tasks' page to go on from, and the open ones so far. */
  cursor: z.optional(z.string().check(z.minLength(1))),
  open: z.optional(z.int().check(z.minimum(0))),
});
export type PollGroupRun = z.infer<typeof PollGroupRun>;

/** What the outreach-plan queue carries. */
export const PlanQueueMessage = z.discriminatedUnion('kind', [PlanRun, PollGroupRun]);
export type PlanQueueMessage = z.infer<typeof PlanQueueMessage>;

/**
 * Deliveries of an outreach batch before its queue dead-letters it; on the last one a household
 * whose send keeps failing is counted `failed` rather than retried, so the run can complete.
 */
export const OUTREACH_DELIVERY_ATTEMPTS = 5;
