/**
 * A case: the report once the system has taken responsibility for it. The state item is small
 * (stage, version, owner, timeline of stage changes); the report's text and the resident's
 * contact details live in a separate write-once item, so stage changes stay cheap.
 */
import * as z from 'zod';
import { CategoryCode } from './categories.ts';
import { EntityId } from './organisation.ts';
import { Channel, Location, PhoneNumber } from './report.ts';
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
]);
export type Stage = z.infer<typeof Stage>;

export const TimelineEvent = z.object({
  stage: Stage,
  at: z.iso.datetime(),
  /** Who made the change: `system:<function>` or a staff user id. */
  by: z.string(),
  unitId: EntityId.optional(),
  note: z.string().optional(),
});
export type TimelineEvent = z.infer<typeof TimelineEvent>;

export const Routing = z.object({
  kind: z.enum(['rule', 'township_triage', 'county_triage']),
  ruleId: z.string().optional(),
  reason: z.string().optional(),
});
export type Routing = z.infer<typeof Routing>;

export const CaseState = z.object({
  trackingCode: TrackingCode,
  submissionId: z.uuid(),
  stage: Stage,
  version: z.number().int().positive(),
  category: CategoryCode,
  communityId: EntityId,
  townshipId: EntityId.optional(),
  unitId: EntityId,
  routing: Routing,
  channel: Channel,
  submittedAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  timeline: z.array(TimelineEvent),
});
export type CaseState = z.infer<typeof CaseState>;

/** Written once; holds everything personal or long. */
export const CaseReport = z.object({
  trackingCode: TrackingCode,
  submissionId: z.uuid(),
  description: z.string(),
  contactPhone: PhoneNumber.optional(),
  location: Location.optional(),
  address: z.string().optional(),
});
export type CaseReport = z.infer<typeof CaseReport>;

/** Router → a unit's queue. Consumers may see it more than once; the tracking code is the key. */
export const CaseDispatched = z.object({
  kind: z.literal('case.dispatched'),
  trackingCode: TrackingCode,
  unitId: EntityId,
  category: CategoryCode,
  communityId: EntityId,
  townshipId: EntityId.optional(),
  routing: Routing,
  description: z.string(),
  address: z.string().optional(),
  location: Location.optional(),
  hasContactPhone: z.boolean(),
  submittedAt: z.iso.datetime(),
  dispatchedAt: z.iso.datetime(),
});
export type CaseDispatched = z.infer<typeof CaseDispatched>;
