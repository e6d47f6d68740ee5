/**
 * A case: the report once the system has taken responsibility for it. The state item is small
 * (stage, version, owner, timeline of stage changes); the report's text and the resident's
 * contact details live in a separate write-once item, so stage changes stay cheap.
 */
import * as z from '../schema.ts';
import { CategoryCode } from './categories.ts';
import { EntityId, WecomUserId } from './organisation.ts';
import { Channel, Location, PhoneNumber } from './report.ts';
import { ClassificationExplanation } from './sms/classification-explanation.ts';
import { TimelineActor } from './staff.ts';
import { TrackingCode } from './tracking-code.ts';

export const Stage = z.enum([
  'received',
  'registered',
  'dispatched',
  'in_progress',
  'resolved',
  'verified',
  'closed',
  'evaluated',
  // A duplicate folded into its original; terminal.
  'merged',
]);
export type Stage = z.infer<typeof Stage>;

/** Stages in which a case still needs work from someone; the rest are done. */
export const openStages: readonly Stage[] = [
  'received',
  'registered',
  'dispatched',
  'in_progress',
  'resolved',
  'verified',
];
export const isOpen = (stage: Stage): boolean => openStages.includes(stage);

export const TimelineEvent = z.object({
  stage: Stage,
  at: z.iso.datetime(),
  /** Who made the change: `system:<function>`, `reporter`, or a staff user id. */
  by: z.string(),
  /**
   * A member of staff's change: their name and their own unit or community, as they were then
   * (absent on older events and on the system's and reporter's). Never in public answers.
   */
  actor: z.optional(TimelineActor),
  /** The action that made it (absent on the intake events). */
  action: z.optional(z.string()),
  unitId: z.optional(EntityId),
  note: z.optional(z.string()),
  /** The reporter's score, on a rating. */
  score: z.optional(z.int().check(z.minimum(1), z.maximum(5))),
  /** The new category, on a recategorisation. */
  category: z.optional(CategoryCode),
  /**
   * On an acceptance or a resolution: the SLA deadline it answered (the one running then, or the
   * one already escalated), so the unit assessment can tell on time from late by the history alone.
   */
  due: z.optional(z.iso.datetime()),
});
export type TimelineEvent = z.infer<typeof TimelineEvent>;

export const Routing = z.object({
  kind: z.enum(['rule', 'township_triage', 'county_triage']),
  ruleId: z.optional(z.string()),
  reason: z.optional(z.string()),
});
export type Routing = z.infer<typeof Routing>;

/** What staff see on a case when something it triggered could not be carried out (a text, a delivery). */
export const CaseNotice = z.object({
  at: z.iso.datetime(),
  /** The effect: `notify_reporter`, `dispatch`, … */
  effect: z.string(),
  /** Refused for good, sent with no answer back, or retried until a person has to look. */
  outcome: z.enum(['undeliverable', 'unconfirmed', 'parked']),
  message: z.string(),
});
export type CaseNotice = z.infer<typeof CaseNotice>;

export const CaseState = z.object({
  trackingCode: TrackingCode,
  submissionId: z.uuid(),
  stage: Stage,
  version: z.int().check(z.positive()),
  category: CategoryCode,
  communityId: EntityId,
  townshipId: z.optional(EntityId),
  unitId: EntityId,
  routing: Routing,
  channel: Channel,
  submittedAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  timeline: z.array(TimelineEvent),
  /** Staff user who resolved it: verification must be someone else. */
  resolvedBy: z.optional(z.string()),
  /** The SLA clock running now, if any. */
  timer: z.optional(
    z.object({ kind: z.enum(['accept_due', 'resolve_due', 'rating_window']), at: z.iso.datetime() }),
  ),
  /**
   * Set by the sweeper when an SLA deadline passed; the county centre sees it. Once per deadline:
   * a later deadline (a new acceptance, a return) that passes too is escalated again.
   */
  escalation: z.optional(
    z.object({
      at: z.iso.datetime(),
      reason: z.enum(['accept_overdue', 'resolve_overdue']),
      /** The deadline that passed (the timer's `at`); absent on escalations stored before it was kept. */
      deadline: z.optional(z.iso.datetime()),
    }),
  ),
  rating: z.optional(
    z.object({
      score: z.int().check(z.minimum(1), z.maximum(5)),
      comment: z.optional(z.string()),
      at: z.iso.datetime(),
    }),
  ),
  /** On the return-visit list (回访清单) while pending. */
  returnVisit: z.optional(
    z.object({
      status: z.enum(['pending', 'done']),
      reason: z.enum(['low_rating', 'no_rating']),
      outcome: z.optional(z.string()),
    }),
  ),
  /** Where it was reported, when the resident gave a location (not personal: a place, for duplicates). */
  location: z.optional(Location),
  /** Open cases of the same kind nearby, offered to staff at intake. */
  possibleDuplicates: z.optional(z.array(TrackingCode)),
  mergedInto: z.optional(TrackingCode),
  /** Reports merged into this one (a DynamoDB string set). */
  duplicates: z.optional(z.array(TrackingCode)),
  /**
   * Merge attempts holding each duplicate's place in `duplicates`: in flight, or the one that
   * completed. A failed attempt takes back only its own hold (see `planDuplicateLink`).
   */
  duplicateLinks: z.optional(z.record(TrackingCode, z.int().check(z.nonnegative()))),
  /** Times this case was returned or reassigned (流转清单). */
  transfers: z.optional(z.int().check(z.nonnegative())),
  /** Effects that failed for good or were parked, oldest first (a few per case at most). */
  notices: z.optional(z.array(CaseNotice)),
  /** When the retention rule removed the reporter's data (shared/domain/report-retention.ts). */
  anonymisedAt: z.optional(z.iso.datetime()),
  /**
   * Keys of the result photos the unit chose to show on the public status, in the order attached
   * (at most MAX_PUBLIC_PHOTOS, shared/domain/photos.ts); removed when the resolution is undone
   * (rejected, returned, reopened) and with the photos on anonymisation.
   */
  publicPhotos: z.optional(z.array(z.string())),
  /**
   * Why the classifier chose the intake category (SMS), as it was then: for the staff who may act
   * on the category, never in public answers; removed with the report's words on anonymisation.
   */
  classification: z.optional(ClassificationExplanation),
  /**
   * The WeChat Work userid of the grid worker who forwarded the appeal (a staff id, not the
   * resident's): every later status change is relayed to them (`relay_to_worker`).
   */
  forwardedBy: z.optional(WecomUserId),
});
export type CaseState = z.infer<typeof CaseState>;

/** Written once, and rewritten once more without the personal parts when the retention period runs out. */
export const CaseReport = z.object({
  trackingCode: TrackingCode,
  submissionId: z.uuid(),
  description: z.string(),
  contactPhone: z.optional(PhoneNumber),
  location: z.optional(Location),
  address: z.optional(z.string()),
  /** SHA-256 of the private token the reporter got at submission; proves who may rate. */
  reporterTokenHash: z.optional(z.string()),
  /** Set when the retention rule replaced the description and removed the contact details. */
  anonymisedAt: z.optional(z.iso.datetime()),
});
export type CaseReport = z.infer<typeof CaseReport>;

/**
 * → a unit's queue, whenever a case reaches a unit (routed, returned, reassigned, reopened).
 * Consumers may see one more than once; tracking code + version identify it.
 */
export const CaseDispatched = z.object({
  kind: z.literal('case.dispatched'),
  trackingCode: TrackingCode,
  version: z.int().check(z.positive()),
  reason: z.enum(['routed', 'returned', 'reassigned', 'reopened']),
  unitId: EntityId,
  category: CategoryCode,
  communityId: EntityId,
  townshipId: z.optional(EntityId),
  routing: Routing,
  description: z.string(),
  address: z.optional(z.string()),
  location: z.optional(Location),
  hasContactPhone: z.boolean(),
  submittedAt: z.iso.datetime(),
  dispatchedAt: z.iso.datetime(),
});
export type CaseDispatched = z.infer<typeof CaseDispatched>;

/** → the county centre's queue when a case missed its SLA (督办). */
export const CaseEscalated = z.object({
  kind: z.literal('case.escalated'),
  trackingCode: TrackingCode,
  version: z.int().check(z.positive()),
  unitId: EntityId,
  category: CategoryCode,
  communityId: EntityId,
  stage: Stage,
  reason: z.enum(['accept_overdue', 'resolve_overdue']),
  escalatedAt: z.iso.datetime(),
});
export type CaseEscalated = z.infer<typeof CaseEscalated>;

/** Everything a unit's queue carries. */
export const UnitQueueMessage = z.discriminatedUnion('kind', [CaseDispatched, CaseEscalated]);
export type UnitQueueMessage = z.infer<typeof UnitQueueMessage>;
