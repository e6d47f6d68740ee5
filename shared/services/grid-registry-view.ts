/**
 * The five-level registry as staff read it (GET /api/registry/grids): per township, its grids,
 * micro-grids and groups in figures; for one township, each grid with its micro-grids, its group's
 * owner and admins, and the member count read from the platform beside the grid's households.
 *
 * Who sees what, decided here and nowhere else: the county (supervisors, admins, the county
 * centre's dispatchers) every township; a township centre's dispatcher their own township (another
 * one is a 403); everyone else none (403): units and grid workers have their own lists.
 */
import { EntityId, Grid, type Organisation } from '../domain/organisation.ts';
import type { Staff } from '../domain/staff.ts';
import { ForbiddenError, ValidationError } from '../errors.ts';
import type { DirectoryReader } from '../ports/directory.ts';
import * as z from '../schema.ts';

export const RegistryQuery = z.object({
  townshipId: z
    .optional(EntityId)
    .check(z.describe("the township whose grids are listed; a township centre's own by default")),
});

const TownshipFigures = z.object({
  id: z.string(),
  zh: z.string(),
  en: z.string(),
  grids: z.int(),
  microGrids: z.int(),
  /** Grids with a WeChat group on record. */
  groups: z.int(),
  /** Groups whose member count has been read from the platform. */
  counted: z.int(),
  households: z.int(),
  /** Members of the counted groups. */
  members: z.int(),
});

export const RegistryAnswer = z.object({
  scope: z.enum(['county', 'township']),
  townships: z.array(TownshipFigures),
  /** The township whose grids are listed; absent when the county asked for none. */
  townshipId: z.optional(z.string()),
  grids: z.array(
    z.extend(Grid, {
      communityZh: z.string(),
      communityEn: z.string(),
    }),
  ),
});
export type RegistryAnswer = z.infer<typeof RegistryAnswer>;

export interface RegistryViewDeps {
  directory: DirectoryReader;
}

type Scope = { kind: 'county' } | { kind: 'township'; townshipId: string };

function scopeOf(staff: Staff, org: Organisation): Scope {
  switch (staff.role) {
    case 'county_supervisor':
    case 'admin':
      return { kind: 'county' };
    case 'centre_dispatcher':
      return staff.unitId === org.countyCentreUnitId
        ? { kind: 'county' }
        : { kind: 'township', townshipId: staff.townshipId };
    case 'unit_handler':
    case 'grid_worker':
    case 'outreach_staff':
      throw new ForbiddenError('The grid registry is for the county and the township centres.');
  }
}

export async function readGridRegistry(
  staff: Staff,
  rawQuery: unknown,
  deps: RegistryViewDeps,
): Promise<RegistryAnswer> {
  const parsed = RegistryQuery.safeParse(rawQuery ?? {});
  if (!parsed.success)
    throw new ValidationError(
      'townshipId: use lower-case letters, digits and hyphens',
      parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    );
  const org = await deps.directory.load();
  const scope = scopeOf(staff, org);
  const asked = parsed.data.townshipId;
  if (asked !== undefined && !org.townships.some((t) => t.id === asked))
    throw new ValidationError('townshipId: no such township', [
      { path: 'townshipId', message: 'no such township' },
    ]);
  if (scope.kind === 'township' && asked !== undefined && asked !== scope.townshipId)
    throw new ForbiddenError("A township centre sees its own township's grids.");
  const listed = scope.kind === 'township' ? scope.townshipId : asked;

  const communities = new Map(org.communities.map((c) => [c.id, c]));
  const visible = org.townships.filter((t) => scope.kind === 'county' || t.id === scope.townshipId);
  const townships = visible.map((t) => {
    const grids = org.grids.filter((g) => communities.get(g.communityId)?.townshipId === t.id);
    const counted = grids.filter((g) => g.group?.memberCount !== undefined);
    return {
      id: t.id,
      zh: t.zh,
      en: t.en,
      grids: grids.length,
      microGrids: grids.reduce((n, g) => n + (g.microGrids?.length ?? 0), 0),
      groups: grids.filter((g) => g.group).length,
      counted: counted.length,
      households: grids.reduce((n, g) => n + g.households, 0),
      members: counted.reduce((n, g) => n + (g.group?.memberCount ?? 0), 0),
    };
  });
  const grids =
    listed === undefined
      ? []
      : org.grids.flatMap((g) => {
          const community = communities.get(g.communityId);
          return community?.townshipId === listed
            ? [{ ...g, communityZh: community.zh, communityEn: community.en }]
            : [];
        });
  return {
    scope: scope.kind,
    townships,
    ...(listed === undefined ? {} : { townshipId: listed }),
    grids,
  };
}
