/**
 * Staff and what they may see. Roles and scope come from identity-token claims (Cognito in AWS,
 * the local runtime's issuer on a laptop); handlers read them the same way in both. A member of
 * staff's name is the standard `name` claim (Cognito's `name` attribute), else the older
 * `custom:displayName`, else their user id; what they do is recorded with that name and their own
 * unit (`TimelineActor`), for staff to read, never residents.
 */
import * as z from '../schema.ts';
import { EntityId } from './organisation.ts';

export const Role = z.enum([
  'unit_handler',
  'centre_dispatcher',
  'grid_worker',
  'county_supervisor',
  'admin',
  // Community police and outreach staff: plan and run anti-fraud campaigns; no case access.
  'outreach_staff',
]);
export type Role = z.infer<typeof Role>;

/**
 * The claims every staff token carries. Custom claims are strings in Cognito, hence `custom:`
 * names and string values: `custom:unitId` for handlers and dispatchers (their centre),
 * `custom:townshipId` for dispatchers, `custom:communityId` and `custom:gridId` for grid workers.
 */
export const StaffClaims = z.object({
  sub: z.string().check(z.minLength(1)),
  /** The person's name (Cognito's standard `name` attribute), shown to other staff. */
  name: z.optional(z.string().check(z.minLength(1), z.maxLength(64))),
  'custom:role': Role,
  'custom:displayName': z.optional(z.string().check(z.minLength(1))),
  'custom:unitId': z.optional(EntityId),
  'custom:townshipId': z.optional(EntityId),
  'custom:communityId': z.optional(EntityId),
  'custom:gridId': z.optional(EntityId),
});
export type StaffClaims = z.infer<typeof StaffClaims>;

/** A signed-in member of staff, with the scope their role gives them. */
export type Staff =
  | { role: 'unit_handler'; userId: string; name: string; unitId: string }
  | { role: 'centre_dispatcher'; userId: string; name: string; unitId: string; townshipId: string }
  | { role: 'grid_worker'; userId: string; name: string; communityId: string; gridId?: string }
  | { role: 'county_supervisor'; userId: string; name: string }
  | { role: 'admin'; userId: string; name: string }
  | { role: 'outreach_staff'; userId: string; name: string };

/** Claims → Staff; undefined when the claims lack what the role needs (a misconfigured user). */
export function staffFromClaims(claims: StaffClaims): Staff | undefined {
  const userId = claims.sub;
  const name = claims.name ?? claims['custom:displayName'] ?? userId;
  switch (claims['custom:role']) {
    case 'unit_handler': {
      const unitId = claims['custom:unitId'];
      return unitId ? { role: 'unit_handler', userId, name, unitId } : undefined;
    }
    case 'centre_dispatcher': {
      const unitId = claims['custom:unitId'];
      const townshipId = claims['custom:townshipId'];
      return unitId && townshipId
        ? { role: 'centre_dispatcher', userId, name, unitId, townshipId }
        : undefined;
    }
    case 'grid_worker': {
      const communityId = claims['custom:communityId'];
      return communityId
        ? { role: 'grid_worker', userId, name, communityId, gridId: claims['custom:gridId'] }
        : undefined;
    }
    case 'county_supervisor':
      return { role: 'county_supervisor', userId, name };
    case 'admin':
      return { role: 'admin', userId, name };
    case 'outreach_staff':
      return { role: 'outreach_staff', userId, name };
  }
}

/**
 * Who did something to a case, as staff see it in its history: their name and role then, and
 * their own place in the organisation — a handler's or dispatcher's unit (a dispatcher's township
 * centre, whatever the case's unit), the county centre for a supervisor, a grid worker's
 * community — which the catalogue names. Personal data: staff endpoints only.
 */
export const TimelineActor = z.object({
  name: z.string().check(z.minLength(1)),
  role: Role,
  unitId: z.optional(EntityId),
  communityId: z.optional(EntityId),
});
export type TimelineActor = z.infer<typeof TimelineActor>;

/** The actor record of `staff`; `countyCentreUnitId` is a supervisor's own unit. */
export function timelineActor(staff: Staff, countyCentreUnitId: string | undefined): TimelineActor {
  const base = { name: staff.name, role: staff.role };
  switch (staff.role) {
    case 'unit_handler':
    case 'centre_dispatcher':
      return { ...base, unitId: staff.unitId };
    case 'grid_worker':
      return { ...base, communityId: staff.communityId };
    case 'county_supervisor':
      return countyCentreUnitId ? { ...base, unitId: countyCentreUnitId } : base;
    case 'admin':
    case 'outreach_staff':
      return base;
  }
}
