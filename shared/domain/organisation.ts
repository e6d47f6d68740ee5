/**
 * The county's organisation as data: the units that own cases (county centre, township and
 * sub-district centres, county departments), the communities residents live in, the grids below
 * them, and the routing rules that say which unit owns which category where.
 */
import * as z from '../schema.ts';
import { CategoryCode } from './categories.ts';

/** Lower-case slug ids keep queue names, URLs and DynamoDB keys readable and safe. */
export const EntityId = z
  .string()
  .check(
    z.minLength(1),
    z.maxLength(64),
    z.regex(/^[a-z0-9][a-z0-9-]*$/, 'use lower-case letters, digits and hyphens'),
  );
export type EntityId = z.infer<typeof EntityId>;

export const UnitKind = z.enum(['county_centre', 'township_centre', 'department']);
export type UnitKind = z.infer<typeof UnitKind>;

export const Unit = z.object({
  id: EntityId,
  kind: UnitKind,
  zh: z.string().check(z.minLength(1)),
  en: z.string().check(z.minLength(1)),
  /** Township centres: the township or sub-district they serve. */
  townshipId: z.optional(EntityId),
  /**
   * The WeChat Work userids of the unit's handlers (centres: their dispatchers), who get its
   * staff notifications (overdue cases, escalations) as app messages. Kept here with the grid
   * workers' ids rather than on the staff accounts: the notifier reads the directory at send
   * time, so a person taken off the list stops receiving them (shared/services/notify-staff.ts).
   */
  // Lazy: WecomUserId is declared further down, with the grid it was made for.
  wecomUserIds: z.optional(z.array(z.lazy(() => WecomUserId)).check(z.maxLength(100))),
});
export type Unit = z.infer<typeof Unit>;

export const TownshipKind = z.enum(['subdistrict', 'town', 'township']);
export const Township = z.object({
  id: EntityId,
  kind: TownshipKind,
  zh: z.string().check(z.minLength(1)),
  en: z.string().check(z.minLength(1)),
  /** The township-level comprehensive-governance centre (综治中心) that triages here. */
  centreUnitId: EntityId,
});
export type Township = z.infer<typeof Township>;

export const Community = z.object({
  id: EntityId,
  townshipId: EntityId,
  kind: z.enum(['community', 'village']),
  zh: z.string().check(z.minLength(1)),
  en: z.string().check(z.minLength(1)),
  households: z.int().check(z.positive()),
});
export type Community = z.infer<typeof Community>;

/** A WeChat Work (企业微信 / 政务微信) userid, as the platform's address book holds it. */
export const WecomUserId = z
  .string()
  .check(z.regex(/^[A-Za-z0-9_.@-]{1,64}$/, 'must be a WeChat Work userid: 1-64 letters, digits, _ . @ -'));
export type WecomUserId = z.infer<typeof WecomUserId>;

/**
 * The fifth level below the grid (微网格): a few buildings or a hamlet, looked after by a
 * micro-grid worker who is an admin of the grid's WeChat group. A grid has a handful, so the list
 * stays small and travels with its grid.
 */
export const MicroGrid = z.object({
  id: EntityId,
  zh: z.string().check(z.trim(), z.minLength(1), z.maxLength(40)),
  households: z.int().check(z.nonnegative()),
  /** The micro-grid worker's WeChat Work userid (an admin of the grid's group). */
  wecomUserId: z.optional(WecomUserId),
});
export type MicroGrid = z.infer<typeof MicroGrid>;

/**
 * The grid's WeChat group (one per grid, one representative per household): a customer group
 * chat in WeChat Work owned by the grid worker, micro-grid workers as its admins. The member count
 * is read from the platform (externalcontact/groupchat/get), never typed in.
 */
export const GridGroup = z.object({
  /** WeChat Work's customer group chat id (chat_id). */
  chatId: z
    .string()
    .check(
      z.regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be a WeChat Work group chat id: 1-64 letters, digits, _ -'),
    ),
  /** The group owner: the grid worker, who confirms enterprise mass-sends in the app. */
  ownerUserId: WecomUserId,
  adminUserIds: z._default(z.array(WecomUserId).check(z.maxLength(50)), []),
  memberCount: z.optional(z.int().check(z.nonnegative())),
  /** When memberCount was last read from the platform (UTC). */
  memberCountAt: z.optional(z.iso.datetime()),
});
export type GridGroup = z.infer<typeof GridGroup>;

export const Grid = z.object({
  id: EntityId,
  communityId: EntityId,
  zh: z.string().check(z.minLength(1)),
  households: z.int().check(z.positive()),
  /**
   * The grid worker's WeChat Work user id (企业微信 / 政务微信 userid): an appeal they forward to
   * the civicloop app becomes a case in this grid's community (shared/services/receive-wecom.ts).
   */
  wecomUserId: z.optional(WecomUserId),
  microGrids: z.optional(z.array(MicroGrid).check(z.maxLength(60))),
  group: z.optional(GridGroup),
});
export type Grid = z.infer<typeof Grid>;

/**
 * The grid a WeChat Work user works in: as its grid worker, or as one of its micro-grid workers
 * (both forward residents' appeals from the grid's group).
 */
export function gridOfWorker(grids: readonly Grid[], wecomUserId: string): Grid | undefined {
  return grids.find(
    (g) => g.wecomUserId === wecomUserId || g.microGrids?.some((m) => m.wecomUserId === wecomUserId),
  );
}

/** Where a routing rule applies. More specific areas win: community > township > county. */
export const RuleArea = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('county') }),
  z.object({ kind: z.literal('township'), townshipId: EntityId }),
  z.object({ kind: z.literal('community'), communityId: EntityId }),
]);
export type RuleArea = z.infer<typeof RuleArea>;

/** Who owns matching reports: a named unit, or the centre of the report's own township. */
export const RuleOwner = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('unit'), unitId: EntityId }),
  z.object({ kind: z.literal('township_centre') }),
]);
export type RuleOwner = z.infer<typeof RuleOwner>;

export const RoutingRule = z.object({
  id: EntityId,
  category: CategoryCode,
  area: RuleArea,
  owner: RuleOwner,
});
export type RoutingRule = z.infer<typeof RoutingRule>;

export const Organisation = z.object({
  countyCentreUnitId: EntityId,
  units: z.array(Unit),
  townships: z.array(Township),
  communities: z.array(Community),
  grids: z.array(Grid),
  routingRules: z.array(RoutingRule),
});
export type Organisation = z.infer<typeof Organisation>;
