/**
 * The JSON answers of the own API as zod schemas, for the OpenAPI document (openapi-document.ts).
 * The services produce their answers as TypeScript types; these schemas are composed from the
 * domain's own zod schemas (stages, categories, the timeline, routing, catalogue, policies), and
 * each is tied to the type its service returns by a compile-time check at the end of this module:
 * a field a service adds or retypes fails `tsc` until it is described here. The tests check real
 * answers against the generated JSON Schema (object schemas here are closed: no field undescribed).
 * `Fits` compares top-level fields only, so nested objects (a row, a reason, an estimate) have
 * checks of their own, unions one per member (`FitsByCode`), and enums are compared both ways.
 */
import { CaseNotice, CaseState, Routing, Stage, TimelineEvent } from '../../domain/case.ts';
import type { ActionName } from '../../domain/case-lifecycle.ts';
import { Catalog } from '../../domain/catalog.ts';
import { CategoryCode } from '../../domain/categories.ts';
import type { ChannelRow } from '../../domain/channel-statistics.ts';
import type {
  Open311Receipt,
  Open311Request,
  Open311Service,
  Open311ServiceDefinition,
} from '../../domain/open311/georeport.ts';
import { PartnerId } from '../../domain/open311/partner-key.ts';
import { EntityId, RoutingRule } from '../../domain/organisation.ts';
import {
  Assignee,
  Campaign,
  CampaignRun,
  CampaignStatus,
  RunStatus,
} from '../../domain/outreach/campaign.ts';
import type { CampaignEffect } from '../../domain/outreach/campaign-effect.ts';
import type { RiskReason, RiskReasonDetail, RiskRow, Trend } from '../../domain/outreach/fraud-risk.ts';
import type { OutreachSmsPreview } from '../../domain/outreach/outreach-message.ts';
import { Channel } from '../../domain/report.ts';
import { ServiceLevel } from '../../domain/service-levels.ts';
import { KeywordTable } from '../../domain/sms/classify-report.ts';
import { Role, type Staff } from '../../domain/staff.ts';
import { TIMED_STAGES } from '../../domain/unit-assessment.ts';
import { LocalDate, LocalTime } from '../../domain/working-calendar.ts';
import type { ModelSummary } from '../../ports/classifier-models.ts';
import type { PolicyReader } from '../../ports/policies.ts';
import * as z from '../../schema.ts';
import type { ClassifierStatus } from '../../services/administer-classifier.ts';
import type { PartnerView } from '../../services/administer-partners.ts';
import { PoliciesBody } from '../../services/administer-policies.ts';
import type { CalendarEntry, listCampaigns } from '../../services/campaigns/campaign-calendar.ts';
import type { RiskRanking } from '../../services/campaigns/fraud-risk-ranking.ts';
import type { CommunityEstimate, OutreachEstimate } from '../../services/campaigns/outreach-estimate.ts';
import type {
  OutreachTask,
  OutreachTasks,
  recordAttendance,
  TaskRunView,
} from '../../services/campaigns/outreach-tasks.ts';
import type { CampaignView } from '../../services/campaigns/plan-campaigns.ts';
import type { CampaignPreview } from '../../services/campaigns/preview-campaign.ts';
import type { CaseDetail, CaseSummary, StaffStats } from '../../services/case-queries.ts';
import type { CasePhoto, PhotoUploadTicket } from '../../services/report-photos.ts';
import type { PublicStatus } from '../../services/report-status.ts';
import type { SubmissionReceipt } from '../../services/submit-report.ts';
import {
  type Assessment,
  type AssessmentRow,
  SortKey,
  type TrendPoint,
} from '../../services/unit-assessment.ts';

export { Catalog };

const Instant = z.iso.datetime();
/** A tracking code as answers show it, with dashes: K7M-2QX-9PA. */
const DisplayedTrackingCode = z
  .string()
  .check(
    z.regex(
      /^[0-9A-Z]{3}-[0-9A-Z]{3}-[0-9A-Z]{3}$/,
      'a tracking code as XXX-XXX-XXX (digits and capital letters)',
    ),
  );
/** A case id: the tracking code without dashes. */
const CaseId = z.string().check(z.regex(/^[0-9A-Z]{9}$/, 'a case id: 9 digits and capital letters'));

/** `{ error: { code, message, issues? } }`: every error answer of the own API (shared/http/responses.ts). */
export const ErrorBody = z
  .object({
    error: z.object({
      code: z.string().check(z.describe('machine-readable: invalid_request, not_found, version_conflict, …')),
      message: z.string().check(z.describe('in words, for a person')),
      issues: z.optional(z.array(z.object({ path: z.string(), message: z.string() }))),
      currentVersion: z.optional(z.int()).check(z.describe('on version_conflict: the version now')),
      allowedActions: z.optional(z.array(z.string())).check(z.describe('on transition_not_allowed')),
    }),
  })
  .check(z.describe('The error envelope of every route'));

export const SubmissionReceiptBody = z.object({
  trackingCode: DisplayedTrackingCode,
  status: z.literal('received'),
  statusUrl: z.string(),
  reporterToken: z.string().check(z.describe('shown once: the only proof that lets this reporter rate')),
});

/** POST /api/photo-uploads: the presigned form (report-photos.ts). */
export const PhotoUploadTicketBody = z.object({
  uploadId: z.string().check(z.describe('what the report names the photo by, in `photos`')),
  url: z.string().check(z.describe("the bucket's URL: post the fields, then the file as `file`")),
  fields: z
    .record(z.string(), z.string())
    .check(z.describe('the policy, its signature, the key and Content-Type')),
  maxBytes: z.int(),
  expiresInSeconds: z.int(),
});

/** GET /api/cases/{id}/photos: the case's photos as short-lived URLs. */
export const CasePhotosBody = z.object({
  photos: z.array(
    z.object({
      source: z
        .enum(['resident', 'before', 'after'])
        .check(z.describe("the resident's, or the unit's evidence")),
      number: z
        .int()
        .check(z.minimum(0), z.describe("a resident photo's place in the report; 0 for evidence")),
      public: z.boolean().check(z.describe('a result photo shown on the public status')),
      url: z.string().check(z.describe('a presigned GET')),
      expiresInSeconds: z.int(),
    }),
  ),
});

export const PublicStatusBody = z
  .object({
    trackingCode: DisplayedTrackingCode,
    stage: Stage,
    category: CategoryCode,
    unit: z.nullable(z.object({ id: EntityId, zh: z.string(), en: z.string() })),
    submittedAt: Instant,
    updatedAt: Instant,
    timeline: z.array(z.object({ stage: Stage, at: Instant })),
    mergedInto: z.optional(z.object({ trackingCode: DisplayedTrackingCode, stage: Stage })),
    resolution: z.optional(z.object({ note: z.string(), at: Instant })),
    photos: z
      .optional(
        z
          .array(
            z.object({
              url: z
                .string()
                .check(z.describe('/photos/{trackingCode}/{n}: redirects to a short-lived URL of the photo')),
            }),
          )
          .check(z.maxLength(3)),
      )
      .check(z.describe('the result photos the unit made public, while the resolution stands')),
    anonymisedAt: z.optional(Instant),
  })
  .check(z.describe('A report as anyone holding its tracking code sees it: no personal data, no staff'));

export const StaffBody = z.object({
  role: Role,
  userId: z.string(),
  name: z.string(),
  unitId: z.optional(EntityId),
  townshipId: z.optional(EntityId),
  communityId: z.optional(EntityId),
  gridId: z.optional(EntityId),
});

export const SessionBody = z.object({
  idToken: z.string().check(z.describe('a Cognito ID token (JWT): send it as `Authorization: Bearer …`')),
  expiresIn: z.int().check(z.describe('seconds')),
  staff: StaffBody,
});

const ActionNameBody = z.enum([
  'accept',
  'return',
  'reassign',
  'resolve',
  'verify',
  'reject_resolution',
  'close',
  'reopen',
  'merge',
  'record_return_visit',
  'recategorise',
  'dispatch',
  'escalate',
  'flag_unrated',
  'rate',
]);

/**
 * A case's list row without its description, for the answers that extend it: zod/mini's
 * `z.extend` keeps the checks of the object it extends, a `z.describe` among them, so extending
 * CaseSummaryBody would put the list row's description on the full case too.
 */
const CaseSummaryFields = z.extend(
  z.pick(CaseState, {
    stage: true,
    version: true,
    category: true,
    communityId: true,
    townshipId: true,
    unitId: true,
    submittedAt: true,
    updatedAt: true,
    returnVisit: true,
  }),
  {
    id: CaseId,
    trackingCode: DisplayedTrackingCode,
    dueAt: z.optional(Instant),
    overdue: z.boolean(),
    escalated: z.boolean(),
    transfers: z.int().check(z.nonnegative()),
    rating: z.optional(z.int().check(z.minimum(1), z.maximum(5))),
  },
);
export const CaseSummaryBody = CaseSummaryFields.check(
  z.describe('A case as a list row: enough to triage, nothing personal'),
);

export const CasePageBody = z.object({
  cases: z.array(CaseSummaryBody),
  cursor: z
    .optional(z.string())
    .check(z.describe('pass it back as `cursor` for the next page; absent on the last')),
});

export const CaseDetailBody = z
  .extend(CaseSummaryFields, {
    routing: Routing,
    timeline: z.array(TimelineEvent),
    resolvedBy: z.optional(z.string()),
    escalation: CaseState.shape.escalation,
    ratingDetail: CaseState.shape.rating,
    possibleDuplicates: z.array(CaseId),
    notices: z.array(CaseNotice),
    mergedInto: z.optional(CaseId),
    duplicates: z.array(CaseId),
    report: z.nullable(
      z.object({
        description: z.string(),
        address: z.optional(z.string()),
        location: z.optional(z.object({ lat: z.number(), lng: z.number() })),
        contactPhone: z.optional(z.string()).check(z.describe('only for staff who may call the reporter')),
      }),
    ),
    allowedActions: z.array(ActionNameBody),
    classification: CaseState.shape.classification.check(
      z.describe(
        'why the SMS classifier chose the intake category; only for staff who may correct it and the unit holding the case',
      ),
    ),
  })
  .check(z.describe('One case in full, with the actions the caller may take now'));

export const TransitionResultBody = z
  .union([
    CaseDetailBody,
    z.extend(CaseSummaryFields, { allowedActions: z.array(ActionNameBody).check(z.maxLength(0)) }),
  ])
  .check(
    z.describe('The case as it now is; its list row alone when the move took it out of the caller scope'),
  );

export const RoutingRulesAnswer = z.object({ rules: z.array(RoutingRule) });
export const PoliciesAnswer = PoliciesBody;
export const KeywordsAnswer = KeywordTable;

export const PartnerBody = z.object({
  partnerId: PartnerId,
  name: z.string(),
  createdAt: Instant,
  createdBy: z.string(),
  status: z.enum(['active', 'revoked']),
  revokedAt: z.optional(Instant),
});
export const PartnerListBody = z.object({ partners: z.array(PartnerBody) });
export const PartnerCreatedBody = z.object({
  partner: PartnerBody,
  apiKey: z.string().check(z.describe('shown this once, stored only as a hash')),
});
export const PartnerRevokedBody = z.object({ partner: PartnerBody });

const StageCounts = z.partialRecord(Stage, z.number());

/** One township's month of statistics by channel (channel-statistics.ts ChannelRow). */
const ChannelRowBody = z.object({
  month: z.string().check(z.describe('YYYY-MM (Asia/Shanghai)')),
  townshipId: z.string(),
  intake: z
    .record(Channel, z.int())
    .check(
      z.describe(
        'cases that came in, per channel: web (the resident page and Open311 partners), sms, ' +
          "grid_worker (entered by a grid worker), wecom (forwarded in the WeChat Work app); counted on the day a case leaves 'received'",
      ),
    ),
  reach: z.object({
    sms: z.object({ households: z.int().check(z.describe('households sent an outreach SMS')) }),
    wecom: z.object({
      groups: z.int().check(z.describe('grid groups an enterprise mass-send was sent to')),
      households: z.int().check(z.describe('households in those groups (member count at sending)')),
    }),
  }),
});
const StageMeans = z.partialRecord(Stage, z.number()).check(z.describe('milliseconds'));

export const StatsBody = z
  .object({
    byStage: StageCounts,
    byUnit: z.record(z.string(), StageCounts).check(z.describe('unit id → counts by stage')),
    byCommunity: z.record(z.string(), StageCounts).check(z.describe('community id → counts by stage')),
    overdueByUnit: z.record(z.string(), z.number()),
    byCategory: z.optional(z.partialRecord(CategoryCode, StageCounts)),
    meanMsInStage: z.optional(StageMeans),
    meanWorkingMsInStage: z.optional(StageMeans),
    satisfaction: z.optional(
      z.object({
        ratings: z.number(),
        mean: z.nullable(z.number()),
        byUnit: z.record(z.string(), z.object({ ratings: z.number(), mean: z.number() })),
      }),
    ),
    range: z.optional(z.object({ from: z.string(), to: z.string() })),
    byChannel: z
      .array(ChannelRowBody)
      .check(
        z.describe(
          "intake and outreach reach per channel, per township and month: the range's months, or for all-time " +
            'figures the last 12 months (this one included); only townships with something counted, only the ' +
            "caller's communities",
        ),
      ),
    timeInStage: z.optional(
      z.partialRecord(
        Stage,
        z.object({
          meanSeconds: z.number(),
          meanHours: z.number(),
          meanWorkingHours: z.optional(z.number()),
          meanWorkingDays: z.optional(z.number()),
        }),
      ),
    ),
  })
  .check(z.describe('Counts narrowed to the caller; figures the counters cannot narrow are left out'));

const Rate = z.nullable(z.number()).check(z.describe('0 to 1; null without anything to divide by'));
const WorkingHours = z.nullable(z.number());

/** How long cases stayed in one stage at the row, in working time (unit-assessment.ts StayFigures). */
const StayFiguresBody = z.object({
  stays: z.int().check(z.nonnegative()),
  meanWorkingHours: WorkingHours,
  meanWorkingDays: WorkingHours,
  p90WorkingHours: WorkingHours.check(
    z.describe('nearest-rank 90th percentile, interpolated inside its bucket'),
  ),
  p90WorkingDays: WorkingHours,
  p90Bucket: z
    .nullable(
      z.object({
        fromHours: z.number(),
        toHours: z.nullable(z.number()).check(z.describe('null above the last bound')),
      }),
    )
    .check(z.describe('the histogram bucket the 90th percentile lies in: (fromHours, toHours]')),
});

/** One unit or township with every measure, its score and rank (AssessmentRow). */
const AssessmentRowBody = z.object({
  id: EntityId,
  zh: z.string(),
  en: z.string(),
  rank: z
    .nullable(z.int().check(z.minimum(1)))
    .check(z.describe('1 = best score; equal scores share a rank; null without a score')),
  score: z.nullable(z.number().check(z.minimum(0), z.maximum(100))),
  received: z.int(),
  reopened: z.int(),
  accepted: z.int(),
  acceptedOnTime: z.int(),
  acceptedOnTimeRate: Rate,
  resolved: z.int(),
  resolvedOnTime: z.int(),
  resolvedOnTimeRate: Rate,
  returned: z.int(),
  reassignedAway: z.int(),
  escalated: z.int(),
  escalatedAcceptOverdue: z.int(),
  escalatedResolveOverdue: z.int(),
  verified: z.int(),
  verificationFailures: z.int(),
  verificationFailureRate: Rate,
  stages: z.record(z.enum(TIMED_STAGES), StayFiguresBody).check(z.describe('every timed stage')),
  satisfaction: z.object({
    ratings: z.int(),
    mean: z.nullable(z.number()),
    satisfiedShare: Rate.check(z.describe('ratings of 4 or 5 ÷ ratings')),
    unsatisfied: z.int(),
    returnVisits: z.object({ satisfied: z.int(), unresolved: z.int() }),
  }),
});

const TrendPointBody = z.object({
  month: z.string().check(z.describe('YYYY-MM')),
  received: z.int(),
  acceptedOnTimeRate: Rate,
  resolvedOnTimeRate: Rate,
  escalated: z.int(),
  satisfactionMean: z.nullable(z.number()),
  score: z.nullable(z.number()),
});

export const AssessmentBody = z
  .object({
    level: z.enum(['unit', 'township']),
    range: z.object({
      from: LocalDate,
      to: LocalDate,
      months: z.array(z.string()).check(z.describe('YYYY-MM')),
    }),
    rows: z.array(AssessmentRowBody),
    ranked: z
      .int()
      .check(z.describe('how many rows were ranked (have a score), of all rows, visible or not')),
    sort: z.object({ by: SortKey, order: z.enum(['asc', 'desc']) }),
    trend: z
      .array(z.object({ id: EntityId, points: z.array(TrendPointBody) }))
      .check(z.describe('per row, per month')),
    score: z.object({
      weights: z.object({
        acceptedOnTime: z.number(),
        resolvedOnTime: z.number(),
        satisfaction: z.number(),
        verification: z.number(),
        escalations: z.number(),
      }),
      scale: z.literal('0-100'),
    }),
    sla: z.object({
      levels: z.array(ServiceLevel).check(z.describe('the service levels configured now')),
      calendar: z.object({
        workdayStart: LocalTime,
        workdayEnd: LocalTime,
        hoursPerWorkingDay: z.number(),
      }),
      onTime: z.string().check(z.describe('what "on time" means, in words')),
    }),
    histogram: z.object({ workingHourBounds: z.readonly(z.array(z.number())) }),
  })
  .check(
    z.describe(
      'The unit assessment: rows with every measure, score and rank, the trend per month, and the rules in force',
    ),
  );

/** One fact a risk row's suggestion rests on, with the numbers it was judged on (RiskReasonDetail). */
const RiskReasonBody = z.discriminatedUnion('code', [
  z.object({ code: z.literal('no_reports'), windowDays: z.int() }),
  z.object({ code: z.literal('no_household_count'), reports90: z.int() }),
  z.object({ code: z.literal('above_threshold'), ratePer1000: z.number(), thresholdPer1000: z.number() }),
  z.object({ code: z.literal('below_threshold'), ratePer1000: z.number(), thresholdPer1000: z.number() }),
  z.object({
    code: z.literal('rising'),
    recent30: z.int(),
    earlier60: z.int(),
    trendRatio: z.nullable(z.number()),
    factor: z.number(),
  }),
  z.object({ code: z.literal('too_few_reports'), recent30: z.int(), minimum: z.int() }),
  z.object({
    code: z.literal('not_rising'),
    recent30: z.int(),
    earlier60: z.int(),
    trendRatio: z.nullable(z.number()),
    factor: z.number(),
  }),
  z.object({ code: z.literal('recent_campaign'), lastCampaignAt: Instant, withinDays: z.int() }),
  z.object({ code: z.literal('already_scheduled'), nextCampaignAt: Instant, withinDays: z.int() }),
]);

const RiskRowBody = z.object({
  communityId: EntityId,
  zh: z.string(),
  en: z.string(),
  townshipId: EntityId,
  households: z.int(),
  reports90: z.int().check(z.describe('fraud reports in the trailing 90 days')),
  ratePer1000: z
    .number()
    .check(z.describe('reports90 per 1,000 households; 0 when the household count is unknown')),
  recent30: z.int().check(z.describe('reports in the last 30 days, today included')),
  earlier60: z.int().check(z.describe('reports in the 60 days before those')),
  trend: z.enum(['rising', 'falling', 'steady', 'new']),
  trendRatio: z
    .nullable(z.number())
    .check(z.describe('recent30 against the earlier pace (earlier60 / 2); null when earlier60 is 0')),
  lastCampaignAt: z.optional(Instant),
  nextCampaignAt: z.optional(Instant),
  due: z.boolean().check(z.describe('whether the planner suggests a campaign here now')),
  reason: z.enum(['high_and_rising', 'high_rate', 'rising', 'recent_campaign', 'campaign_planned', 'low']),
  reasons: z
    .array(RiskReasonBody)
    .check(z.minLength(1), z.describe('every fact behind `due`, with its numbers')),
});

export const RiskRankingBody = z
  .object({ asOf: LocalDate, windowDays: z.int(), communities: z.array(RiskRowBody) })
  .check(
    z.describe(
      'Communities ranked by fraud reports per 1,000 households, highest first, with why each is due or not',
    ),
  );

const TaskRunBody = z.object({
  runId: z.string(),
  occurrenceAt: Instant,
  status: RunStatus,
  communityIds: z.array(EntityId).check(z.describe("of the run's communities, those in view")),
  attendance: z.record(EntityId, z.int()).check(z.describe('recorded so far, of the communities in view')),
  awaitingAttendance: z
    .array(EntityId)
    .check(z.describe('the communities in view whose attendance the run still waits for')),
});

/** A lecture or screening as the people who hold it see it: no assignee phone (OutreachTask). */
const OutreachTaskBody = z.object({
  campaignId: z.string(),
  title: z.string(),
  kind: z.enum(['lecture', 'video']),
  status: CampaignStatus,
  communityIds: z.array(EntityId).check(z.describe("of the campaign's communities, those in view")),
  venue: z.string(),
  durationMinutes: z.int(),
  assignee: z.pick(Assignee, { role: true, name: true }),
  upcoming: z.array(Instant).check(z.describe('its occurrences in the next 60 days')),
  runs: z.array(TaskRunBody).check(z.describe('the runs that included a community in view, oldest first')),
});

export const OutreachTasksBody = z
  .object({
    communityId: z
      .optional(EntityId)
      .check(z.describe("the community the answer is limited to: a grid worker's own, or the one asked for")),
    from: Instant.check(z.describe('the window of `upcoming`')),
    to: Instant,
    tasks: z.array(OutreachTaskBody),
  })
  .check(z.describe('Lectures and screenings, limited to one community when asked or for a grid worker'));

const CalendarEntryBody = z.object({
  campaignId: z.string(),
  title: z.string(),
  kind: z.enum(['sms', 'lecture', 'video', 'wecom_group']),
  status: CampaignStatus,
  at: Instant,
  communityIds: z.array(EntityId),
});

export const CampaignListBody = z
  .object({
    from: LocalDate,
    to: LocalDate,
    campaigns: z.array(Campaign).check(z.describe('newest first')),
    calendar: z
      .array(CalendarEntryBody)
      .check(z.describe('occurrences of scheduled, running and completed campaigns from `from` to `to`')),
  })
  .check(z.describe('Campaigns and the calendar of their occurrences'));

/** An SMS's composed text and size, and what sending it takes (outreach-message.ts OutreachSmsPreview). */
const SmsPreviewBody = z.object({
  text: z.string().check(z.describe('the full text as sent: signature and body')),
  characters: z.int(),
  encoding: z.enum(['GSM-7', 'UCS-2']),
  parts: z.int().check(z.minimum(1)),
  estimatedMessages: z.int().check(z.nonnegative(), z.describe('one message per household')),
  estimatedParts: z.int().check(z.nonnegative(), z.describe('billable parts: households × parts')),
});

const CommunityEstimateBody = z.discriminatedUnion('source', [
  z.object({
    communityId: EntityId,
    source: z.literal('registry'),
    households: z.int().check(z.describe('households the run would text here')),
    registered: z.int().check(z.describe('households the registry holds for the community')),
    optedOut: z.int(),
    capped: z.int().check(z.describe('held by the frequency cap at the send time')),
  }),
  z.object({
    communityId: EntityId,
    source: z.literal('directory'),
    households: z.int().check(z.describe("the directory's count: no registry is loaded for the community")),
  }),
]);

/** Where an SMS run's message count comes from, per community (outreach-estimate.ts). */
const OutreachEstimateBody = z.object({
  households: z.int().check(z.describe('households the run would text, all communities together')),
  at: Instant.check(z.describe('the send time the frequency cap was judged at')),
  registryCommunities: z.int(),
  directoryCommunities: z.int(),
  communities: z.array(CommunityEstimateBody),
});
const EstimateSourceBody = z.enum(['registry', 'directory', 'mixed']);

const GroupEffectBody = z.object({
  households: z.int(),
  beforeRate: z.nullable(z.number()).check(z.describe('fraud reports per 1,000 households per week')),
  afterRate: z.nullable(z.number()),
  change: z.nullable(z.number()).check(z.describe('afterRate − beforeRate; negative is fewer reports after')),
});

const GroupSendStatusBody = z.enum(['limited', 'created', 'sent', 'not_sent', 'failed', 'unknown']);
const GroupStatusCountsBody = z
  .object({
    limited: z.int().check(z.describe('at their monthly limit when planned: no task')),
    created: z.int().check(z.describe("in their owner's task, awaiting confirmation")),
    sent: z.int().check(z.describe('confirmed by the owner and sent by the platform')),
    not_sent: z.int().check(z.describe('not confirmed within the run, or not sent by the platform')),
    failed: z.int().check(z.describe('refused by the platform')),
    unknown: z.int().check(z.describe("the task's creation was interrupted before its answer")),
  })
  .check(z.describe('groups per status'));

/** A WeChat-group run's groups per township and grid (group-mass-send.ts GroupSendSummary). */
const RunGroupSendsBody = z.object({
  runId: z.string(),
  groups: z.int(),
  counts: GroupStatusCountsBody,
  householdsReached: z.int().check(z.describe("the grids' households of the groups it was sent to")),
  townships: z.array(
    z.object({
      townshipId: EntityId,
      zh: z.string(),
      counts: GroupStatusCountsBody,
      householdsReached: z.int(),
      grids: z.array(
        z.object({
          gridId: EntityId,
          zh: z.string(),
          communityId: EntityId,
          status: GroupSendStatusBody,
          households: z.int(),
        }),
      ),
    }),
  ),
});

/** What a WeChat-group plan reaches and which groups are at their monthly limit (GroupSendPreview). */
const GroupSendPreviewBody = z.object({
  purpose: z.enum(['fraud_alert', 'notice']),
  month: z
    .string()
    .check(z.describe('YYYY-MM, Asia/Shanghai: the month of the first run, the limit judged in it')),
  groups: z.int(),
  households: z.int().check(z.describe("the groups' grids' households")),
  gridsWithoutGroup: z.int(),
  owners: z.int().check(z.describe('grid workers who each get one task to confirm')),
  textBytes: z.int().check(z.describe("the text's UTF-8 size; the platform takes 4,000")),
  atLimit: z
    .array(
      z.object({
        gridId: EntityId,
        zh: z.string(),
        communityId: EntityId,
        townshipId: EntityId,
        taken: z.int(),
      }),
    )
    .check(z.describe('groups that would not receive it: 4 mass-sends this month (3 for a notice)')),
});

const CampaignReachBody = z.object({
  smsHouseholds: z.int().check(z.describe('households texted')),
  groups: z.int().check(z.describe('WeChat groups the mass-send was sent to')),
  groupHouseholds: z.int().check(z.describe("those groups' grids' households")),
});

/** A completed campaign against the communities without one (campaign-effect.ts CampaignEffect). */
const CampaignEffectBody = z.object({
  weeks: z.int(),
  before: z.object({ from: LocalDate, to: LocalDate }),
  after: z.object({ from: LocalDate, to: LocalDate, complete: z.boolean() }),
  campaign: GroupEffectBody,
  comparison: z
    .nullable(z.extend(GroupEffectBody, { communities: z.int() }))
    .check(z.describe('the communities without a campaign in the period; null when there are none')),
  difference: z
    .nullable(z.number())
    .check(z.describe("campaign.change − comparison.change: beyond the county's own drift")),
  weekly: z.array(
    z.object({
      weekStart: LocalDate,
      campaignRate: z.nullable(z.number()),
      comparisonRate: z.nullable(z.number()),
    }),
  ),
  reach: z
    .optional(CampaignReachBody)
    .check(z.describe('how far its runs reached, SMS beside WeChat groups')),
});

export const CampaignViewBody = z
  .object({
    campaign: Campaign,
    allowedActions: z.array(z.string()),
    rrule: z.string().check(z.describe('the recurrence as an RFC 5545 RRULE')),
    upcoming: z.array(z.string()).check(z.describe('the next occurrences not started (up to 10)')),
    runs: z.array(CampaignRun),
    preview: z
      .optional(SmsPreviewBody)
      .check(z.describe("an SMS campaign's text and size, its messages estimated for the next run")),
    estimate: z
      .optional(OutreachEstimateBody)
      .check(z.describe('where preview.estimatedMessages comes from, per community')),
    estimateSource: z.optional(EstimateSourceBody),
    households: z.number(),
    groupSends: z
      .optional(RunGroupSendsBody)
      .check(z.describe("a WeChat-group campaign's latest run: its groups per township, each grid's status")),
    effect: z
      .optional(CampaignEffectBody)
      .check(z.describe('a completed campaign against comparison communities')),
  })
  .check(z.describe('One campaign with its runs, outcomes and, for SMS, the preview of its next run'));

export const CampaignPreviewBody = z
  .object({
    households: z.int().check(z.describe("the directory's household count of the communities")),
    rrule: z.string().check(z.describe('the recurrence as an RFC 5545 RRULE')),
    upcoming: z.array(Instant).check(z.describe('the occurrences not started')),
    estimateSource: z
      .optional(EstimateSourceBody)
      .check(z.describe('SMS only: where estimatedMessages comes from')),
    estimate: z.optional(OutreachEstimateBody),
    message: z.optional(SmsPreviewBody).check(z.describe('SMS only')),
    groups: z.optional(GroupSendPreviewBody).check(z.describe('WeChat-group campaigns only')),
    warnings: z.array(z.string()).check(z.describe('about the plan, in words')),
  })
  .check(
    z.describe("A plan's reach and occurrences and, for SMS, its full text, size and estimated messages"),
  );

export const AttendanceAnswer = z
  .union([CampaignViewBody, OutreachTaskBody])
  .check(z.describe('The campaign (outreach staff) or the task (grid worker) after the attendance'));

/** One stored classifier model version (ports/classifier-models.ts ModelSummary). */
const ModelSummaryBody = z.object({
  version: z.int().check(z.positive()),
  trainedAt: Instant,
  examples: z.int().check(z.describe('labelled examples it was trained on')),
  perCategory: z.partialRecord(CategoryCode, z.int()),
  measured: z
    .object({ precision: z.number(), coverage: z.number(), folds: z.int() })
    .check(z.describe('cross-validated on the training examples at the calibrated threshold')),
  keywordsOnly: z
    .object({ precision: z.number(), coverage: z.number() })
    .check(z.describe('the keyword table alone on the same examples')),
  threshold: z.number(),
  features: z.int(),
  storedBytes: z.int().check(z.describe('compressed')),
  examplesDigest: z
    .string()
    .check(z.describe('SHA-256 of the examples, so an unchanged set is not retrained')),
});

export const ClassifierStatusBody = z
  .object({
    active: z
      .nullable(
        z.extend(ModelSummaryBody, {
          since: Instant,
          by: z.string().check(z.describe('the admin who switched to it')),
        }),
      )
      .check(z.describe('the model in use; null: keywords only')),
    versions: z.array(ModelSummaryBody).check(z.describe('newest first, at most 20')),
  })
  .check(z.describe('The SMS classifier model in use and its stored versions'));

// ─── Open311 GeoReport v2 (functions/open311.ts): the spec's shapes, as our JSON answers fill them ───

export const Open311ServiceBody = z.object({
  service_code: CategoryCode,
  service_name: z.string(),
  description: z.string(),
  metadata: z
    .literal(true)
    .check(z.describe('every service has the community attribute: fetch its definition')),
  type: z.literal('realtime'),
  keywords: z.string(),
  group: z.string(),
});

export const Open311ServiceDefinitionBody = z.object({
  service_code: CategoryCode,
  attributes: z.array(
    z.object({
      variable: z.literal(true),
      code: z.string(),
      datatype: z.literal('singlevaluelist'),
      required: z.literal(false),
      datatype_description: z.string(),
      order: z.int(),
      description: z.string(),
      values: z
        .array(z.object({ key: EntityId, name: z.string() }))
        .check(z.describe("the county's communities and villages")),
    }),
  ),
});

/** A case as a public service request: no words of the report, no address, phone or name. */
export const Open311RequestBody = z.object({
  service_request_id: DisplayedTrackingCode,
  status: z.enum(['open', 'closed']),
  status_notes: z
    .optional(z.string())
    .check(z.describe('the public resolution note, or the case it was merged into')),
  service_name: z.string(),
  service_code: CategoryCode,
  agency_responsible: z.optional(z.string()),
  requested_datetime: z.iso.datetime({ offset: true }),
  updated_datetime: z.iso.datetime({ offset: true }),
  expected_datetime: z
    .optional(z.iso.datetime({ offset: true }))
    .check(z.describe('the resolution deadline')),
  lat: z.optional(z.number()).check(z.describe('rounded to 3 decimals; only for problems in a public place')),
  long: z.optional(z.number()),
  media_url: z
    .optional(z.string())
    .check(
      z.describe('the first result photo the unit made public, while the resolution stands: a redirect'),
    ),
});

export const Open311ReceiptBody = z.object({
  service_request_id: DisplayedTrackingCode.check(z.describe('our tracking code')),
  service_notice: z.string(),
});

export const Open311DiscoveryBody = z.object({
  changeset: z.string(),
  contact: z.string(),
  key_service: z.string(),
  endpoints: z.array(
    z.object({
      specification: z.string(),
      url: z.string(),
      changeset: z.string(),
      type: z.literal('production'),
      formats: z.array(z.string()),
    }),
  ),
});

// ─── each schema against the type its service answers with: a drift fails tsc ────────────────

/** True when every field of `Actual` is described and fits: extends for types, no keys left over. */
type Fits<Actual extends Documented, Documented> = [Exclude<keyof Actual, keyof Documented>] extends [never]
  ? true
  : false;
type Assert<T extends true> = T;
/** Fits for each member of a union told apart by `code`: a field added to one kind fails too. */
type FitsByCode<Actual extends { code: string }, Documented extends { code: string }> = {
  [C in Actual['code']]: [
    Exclude<keyof Extract<Actual, { code: C }>, keyof Extract<Documented, { code: C }>>,
  ] extends [never]
    ? true
    : false;
}[Actual['code']];
/** Both ways: a literal the service gains, or one it drops, fails. */
type SameValues<Actual, Documented> = [Actual] extends [Documented]
  ? [Documented] extends [Actual]
    ? true
    : false
  : false;
type Checks = [
  Assert<Fits<SubmissionReceipt, z.output<typeof SubmissionReceiptBody>>>,
  Assert<Fits<PhotoUploadTicket, z.output<typeof PhotoUploadTicketBody>>>,
  Assert<Fits<{ photos: CasePhoto[] }, z.output<typeof CasePhotosBody>>>,
  Assert<Fits<PublicStatus, z.output<typeof PublicStatusBody>>>,
  Assert<Fits<Staff, z.output<typeof StaffBody>>>,
  Assert<Fits<CaseSummary, z.output<typeof CaseSummaryBody>>>,
  Assert<Fits<CaseDetail, z.output<typeof CaseDetailBody>>>,
  Assert<Fits<ActionName, z.output<typeof ActionNameBody>>>,
  Assert<Fits<PartnerView, z.output<typeof PartnerBody>>>,
  Assert<Fits<StaffStats, z.output<typeof StatsBody>>>,
  Assert<Fits<ChannelRow, z.output<typeof ChannelRowBody>>>,
  Assert<Fits<ChannelRow['reach']['wecom'], z.output<typeof ChannelRowBody>['reach']['wecom']>>,
  Assert<Fits<Assessment, z.output<typeof AssessmentBody>>>,
  Assert<Fits<AssessmentRow, z.output<typeof AssessmentRowBody>>>,
  Assert<Fits<AssessmentRow['stages']['dispatched'], z.output<typeof StayFiguresBody>>>,
  Assert<Fits<AssessmentRow['satisfaction'], z.output<typeof AssessmentRowBody>['satisfaction']>>,
  Assert<Fits<TrendPoint, z.output<typeof TrendPointBody>>>,
  Assert<Fits<RiskRanking, z.output<typeof RiskRankingBody>>>,
  Assert<Fits<RiskRow, z.output<typeof RiskRowBody>>>,
  Assert<FitsByCode<RiskReasonDetail, z.output<typeof RiskReasonBody>>>,
  Assert<SameValues<RiskReasonDetail['code'], z.output<typeof RiskReasonBody>['code']>>,
  Assert<SameValues<Trend, z.output<typeof RiskRowBody>['trend']>>,
  Assert<SameValues<RiskReason, z.output<typeof RiskRowBody>['reason']>>,
  Assert<Fits<Assessment['sla'], z.output<typeof AssessmentBody>['sla']>>,
  Assert<Fits<Assessment['score']['weights'], z.output<typeof AssessmentBody>['score']['weights']>>,
  Assert<Fits<CampaignView, z.output<typeof CampaignViewBody>>>,
  Assert<Fits<CampaignPreview, z.output<typeof CampaignPreviewBody>>>,
  Assert<Fits<ClassifierStatus, z.output<typeof ClassifierStatusBody>>>,
  Assert<Fits<Open311Service, z.output<typeof Open311ServiceBody>>>,
  Assert<Fits<Open311ServiceDefinition, z.output<typeof Open311ServiceDefinitionBody>>>,
  Assert<
    Fits<
      Open311ServiceDefinition['attributes'][number],
      z.output<typeof Open311ServiceDefinitionBody>['attributes'][number]
    >
  >,
  Assert<Fits<Open311Request, z.output<typeof Open311RequestBody>>>,
  Assert<Fits<Open311Receipt, z.output<typeof Open311ReceiptBody>>>,
  Assert<Fits<OutreachTasks, z.output<typeof OutreachTasksBody>>>,
  Assert<Fits<OutreachTask, z.output<typeof OutreachTaskBody>>>,
  Assert<Fits<TaskRunView, z.output<typeof TaskRunBody>>>,
  Assert<Fits<Awaited<ReturnType<typeof listCampaigns>>, z.output<typeof CampaignListBody>>>,
  Assert<Fits<CalendarEntry, z.output<typeof CalendarEntryBody>>>,
  Assert<SameValues<CalendarEntry['kind'], z.output<typeof CalendarEntryBody>['kind']>>,
  Assert<SameValues<OutreachTask['kind'], z.output<typeof OutreachTaskBody>['kind']>>,
  Assert<Fits<Awaited<ReturnType<typeof recordAttendance>>, z.output<typeof AttendanceAnswer>>>,
  Assert<
    Fits<
      NonNullable<ClassifierStatus['active']>,
      NonNullable<z.output<typeof ClassifierStatusBody>['active']>
    >
  >,
  Assert<Fits<ModelSummary, z.output<typeof ModelSummaryBody>>>,
  Assert<Fits<OutreachSmsPreview, z.output<typeof SmsPreviewBody>>>,
  Assert<Fits<OutreachEstimate, z.output<typeof OutreachEstimateBody>>>,
  Assert<
    Fits<
      Extract<CommunityEstimate, { source: 'registry' }>,
      Extract<z.output<typeof CommunityEstimateBody>, { source: 'registry' }>
    >
  >,
  Assert<
    Fits<
      Extract<CommunityEstimate, { source: 'directory' }>,
      Extract<z.output<typeof CommunityEstimateBody>, { source: 'directory' }>
    >
  >,
  Assert<Fits<CampaignEffect, z.output<typeof CampaignEffectBody>>>,
  Assert<Fits<CampaignEffect['campaign'], z.output<typeof GroupEffectBody>>>,
  Assert<
    Fits<
      NonNullable<CampaignEffect['comparison']>,
      NonNullable<z.output<typeof CampaignEffectBody>['comparison']>
    >
  >,
  Assert<Fits<CampaignEffect['weekly'][number], z.output<typeof CampaignEffectBody>['weekly'][number]>>,
  Assert<Fits<Awaited<ReturnType<PolicyReader['loadPolicies']>>, z.output<typeof PoliciesAnswer>>>,
];
export type ResponseSchemaChecks = Checks;
