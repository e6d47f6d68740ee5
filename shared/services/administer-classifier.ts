/**
 * The classifier's admin (issue 14): which model classifies now, what it was trained on and
 * measured at, the stored versions, and switching — back to an earlier version (a rollback), to any
 * stored one, or to keywords only. Admins only. A switch names the version the admin saw in use
 * (`expectedVersion`, `null` for keywords only), so two admins switching at once cannot both win.
 */
import type { Staff } from '../domain/staff.ts';
import { ForbiddenError, NotFoundError, VersionConflictError } from '../errors.ts';
import type { ActiveModel, ClassifierModels, ModelSummary } from '../ports/classifier-models.ts';
import * as z from '../schema.ts';
import { parseOrThrow } from '../validation.ts';

export interface ClassifierAdminDeps {
  classifierModels: ClassifierModels;
  now: () => Date;
}

export interface ClassifierStatus {
  /** The model in use, or null: keywords only. */
  active: (ModelSummary & { since: string; by: string }) | null;
  versions: ModelSummary[];
}

const LISTED_VERSIONS = 20;

function requireAdmin(staff: Staff): void {
  if (staff.role !== 'admin') throw new ForbiddenError('Only admins manage the classifier');
}

export async function classifierStatus(staff: Staff, deps: ClassifierAdminDeps): Promise<ClassifierStatus> {
  requireAdmin(staff);
  const [pointer, versions] = await Promise.all([
    deps.classifierModels.active(),
    deps.classifierModels.list(LISTED_VERSIONS),
  ]);
  return { active: await activeSummary(pointer, versions, deps), versions };
}

async function activeSummary(
  pointer: ActiveModel | undefined,
  versions: ModelSummary[],
  deps: ClassifierAdminDeps,
): Promise<ClassifierStatus['active']> {
  if (pointer?.version === undefined) return null;
  const summary =
    versions.find((v) => v.version === pointer.version) ??
    (await deps.classifierModels.load(pointer.version))?.summary;
  return summary ? { ...summary, since: pointer.changedAt, by: pointer.changedBy } : null;
}

export const SwitchRequest = z
  .strictObject({
    /** The version in use when the admin looked (null: keywords only). */
    expectedVersion: z.nullable(z.int().check(z.positive())),
    /** Switch to this version; omitted: the newest version older than the one in use. */
    version: z.optional(z.int().check(z.positive())),
    /** Switch to keywords only. */
    keywordsOnly: z.optional(z.literal(true)),
  })
  .check(
    z.refine((r) => !(r.version !== undefined && r.keywordsOnly), {
      message: 'name a version or keywordsOnly, not both',
      path: ['version'],
    }),
  );

/** `POST /api/admin/classifier/rollback`. */
export async function switchClassifier(
  staff: Staff,
  body: unknown,
  deps: ClassifierAdminDeps,
): Promise<ClassifierStatus> {
  requireAdmin(staff);
  const request = parseOrThrow(SwitchRequest, body, 'The classifier switch');
  const pointer = await deps.classifierModels.active();
  const current = pointer?.version ?? null;
  if (current !== request.expectedVersion) {
    throw new VersionConflictError(
      `The classifier in use changed since you looked (now ${current === null ? 'keywords only' : `version ${current}`})`,
      current ?? 0,
      [],
    );
  }
  let target: number | undefined;
  if (!request.keywordsOnly) {
    target = request.version ?? (await previousVersion(current, deps));
    if (target === undefined) throw new NotFoundError('There is no earlier version to roll back to');
    if (!(await deps.classifierModels.load(target)))
      throw new NotFoundError(`No classifier version ${target}`);
  }
  const at = deps.now().toISOString();
  if (!(await deps.classifierModels.activate(target, pointer, staff.userId, at))) {
    throw new VersionConflictError(
      'Someone switched the classifier at the same moment; reload and try again',
      current ?? 0,
      [],
    );
  }
  return classifierStatus(staff, deps);
}

async function previousVersion(
  current: number | null,
  deps: ClassifierAdminDeps,
): Promise<number | undefined> {
  const versions = await deps.classifierModels.list(LISTED_VERSIONS);
  return versions.find((v) => current === null || v.version < current)?.version;
}
