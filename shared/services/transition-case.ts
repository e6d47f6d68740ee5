/**
 * A member of staff (or the reporter, or the system) moves a case: look it up within the actor's
 * scope (out of scope is "not found", never "forbidden"), check the version they acted on, plan
 * the move with the lifecycle table, write it with one conditional update, then run its effects.
 */
import { isDeepStrictEqual } from 'node:util';
import type { CaseState } from '../domain/case.ts';
import {
  type Actor,
  allowedActions,
  type CaseAction,
  canSee,
  type DuplicateLinkPlan,
  type LifecycleContext,
  type PlanResult,
  planDuplicateLink,
  planDuplicateUnlink,
  planTransition,
  StaffRequestAction,
} from '../domain/case-lifecycle.ts';
import { newOutboxEntries } from '../domain/effect-outbox.ts';
import type { Staff } from '../domain/staff.ts';
import { normaliseTrackingCode } from '../domain/tracking-code.ts';
import {
  CaseConflictError,
  CaseStateError,
  NotFoundError,
  TransitionNotAllowedError,
  ValidationError,
  VersionConflictError,
} from '../errors.ts';
import type { CaseStore } from '../ports/case-store.ts';
import type { DirectoryReader } from '../ports/directory.ts';
import type { DispatchQueue } from '../ports/dispatch-queue.ts';
import type { PolicyReader } from '../ports/policies.ts';
import type { SmsSender } from '../ports/sms-sender.ts';
import type { StatsStore } from '../ports/stats-store.ts';
import * as z from '../schema.ts';
import { parseOrThrow } from '../validation.ts';
import { type CaseEffectsDeps, runOutbox } from './case-effects.ts';
import { lifecycleContext } from './lifecycle-context.ts';

/** What every service that changes cases works with. */
export interface CaseWorkDeps {
  cases: CaseStore;
  directory: DirectoryReader;
  policies: PolicyReader;
  dispatch: DispatchQueue;
  stats: StatsStore;
  /** Texts the reporter when their case moves (dispatched, resolved, closed). */
  sender: SmsSender;
  now: () => Date;
}

export interface TransitionDeps extends CaseWorkDeps, Pick<CaseEffectsDeps, 'onEffectFailed'> {
  /** Effects that fail after the write stay in the outbox for the sweeper; this hears about it. */
  onEffectsDeferred?: (trackingCode: string, error: unknown) => void;
}

export const TransitionRequest = z.intersection(
  z.object({ expectedVersion: z.int().check(z.positive()) }),
  z.preprocess((v) => normaliseMergeTarget(v), StaffRequestAction),
);
export type TransitionRequest = z.infer<typeof TransitionRequest>;

/** `into` arrives as a resident would write it (`k7m-2qx-9pa`); the schema wants the stored form. */
function normaliseMergeTarget(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || !('into' in value) || typeof value.into !== 'string')
    return value;
  return { ...value, into: normaliseTrackingCode(value.into) ?? value.into };
}

const notFound = () => new NotFoundError('No case with this id is visible to you');

/** Loads a case the staff member may see, or throws NotFoundError. */
export async function visibleCase(
  code: string,
  staff: Staff,
  cases: Pick<CaseStore, 'getCase'>,
): Promise<CaseState> {
  const canonical = normaliseTrackingCode(code);
  const state = canonical ? await cases.getCase(canonical) : undefined;
  if (!state || !canSee(staff, state)) throw notFound();
  return state;
}

/**
 * The plan for `action`, or the error the caller answers: a stale `expectedVersion` first, then a
 * stage or actor that does not allow it, then fields that do not make sense.
 */
function plannedOrThrow(
  state: CaseState,
  action: CaseAction,
  expectedVersion: number,
  actor: Actor,
  ctx: LifecycleContext,
  now: Date,
): Extract<PlanResult, { ok: true }> {
  const planned = planTransition(state, action, actor, ctx, now);
  if (state.version !== expectedVersion) {
    throw new VersionConflictError(
      `The case changed since you loaded it (now version ${state.version}); reload and try again`,
      state.version,
      allowedActions(state, actor),
    );
  }
  if (!planned.ok) {
    if (planned.reason === 'invalid') {
      throw new ValidationError(planned.message, [{ path: planned.path, message: planned.message }]);
    }
    const verb =
      planned.reason === 'stage'
        ? `is not possible while the case is ${state.stage}`
        : 'is not yours to take';
    throw new TransitionNotAllowedError(
      `"${action.action}" ${verb}; allowed now: ${planned.allowed.join(', ') || 'nothing'}`,
      state.version,
      planned.allowed,
    );
  }
  return planned;
}

/** Applies `action` to a loaded case as `actor`, checking `expectedVersion` first. */
export async function applyCaseAction(
  state: CaseState,
  action: CaseAction,
  expectedVersion: number,
  actor: Actor,
  deps: TransitionDeps,
): Promise<CaseState> {
  const [org, policies] = await Promise.all([deps.directory.load(), deps.policies.loadPolicies()]);
  const ctx = lifecycleContext(state.category, org, policies, state.communityId);
  const now = deps.now();
  const planned = plannedOrThrow(state, action, expectedVersion, actor, ctx, now);
  const entries = newOutboxEntries(state.version + 1, planned.plan.effects, now);
  const applied = await deps.cases.applyTransition(state, planned.plan, entries);
  if (!applied.applied) {
    const current = applied.current;
    throw new VersionConflictError(
      'Someone else changed the case at the same moment; reload and try again',
      current?.version ?? state.version,
      current ? allowedActions(current, actor) : [],
    );
  }
  try {
    await runOutbox({ state: applied.state, entries: applied.pending }, entries, {
      ...deps,
      countyCentreUnitId: org.countyCentreUnitId,
    });
  } catch (error) {
    // The change is recorded; its effects stay in the outbox and the sweeper retries them.
    deps.onEffectsDeferred?.(applied.state.trackingCode, error);
  }
  return applied.state;
}

/** `POST /api/cases/{id}/transitions` for a member of staff. */
export async function transitionCase(
  code: string,
  body: unknown,
  staff: Staff,
  deps: TransitionDeps,
): Promise<CaseState> {
  const request = parseOrThrow(TransitionRequest, body, 'The transition');
  const state = await visibleCase(code, staff, deps.cases);
  if (request.action === 'merge') return mergeCase(state, request, staff, deps);
  const { expectedVersion, ...action } = request;
  return applyCaseAction(state, action, expectedVersion, { kind: 'staff', staff }, deps);
}

// ─── merging ───────────────────────────────────────────────────────────────────────────────────
//
// A merge changes two cases, without a transaction. The original goes first: the duplicate joins
// its set as a new version of the original (with a timeline event), written on the condition that
// the original is still at the version and open stage read (planDuplicateLink). Then the duplicate
// moves to `merged`, on the condition of its own version, which any link into it would have
// changed. So of A→B and B→A (or A→B, B→C, C→A) started at once, at most one completes: each pair
// of them conditions on the same version of one case, and each changes it. If the duplicate's move
// fails, the attempt takes back its hold on the link (a further version of the original, with its
// own event, so the history stays gapless); the duplicate leaves the set unless another attempt
// still holds it. So a failed merge leaves no link behind, a completed one always keeps its own,
// and the loser gets the duplicate's 409. Only a crash between the two writes can leave a link
// with no merge; the original's timeline shows it.

type MergeRequest = Extract<TransitionRequest, { action: 'merge' }>;
type LinkWrite = Awaited<ReturnType<CaseStore['writeDuplicateLink']>>;

/** Attempts at linking an original that others keep changing, and at taking a hold back. */
const LINK_ATTEMPTS = 3;
const UNLINK_ATTEMPTS = 20;

async function mergeCase(
  duplicate: CaseState,
  request: MergeRequest,
  staff: Staff,
  deps: TransitionDeps,
): Promise<CaseState> {
  const actor: Actor = { kind: 'staff', staff };
  const { expectedVersion, ...action } = request;
  // Everything the duplicate's own move would refuse is refused before the original is touched.
  const [org, policies] = await Promise.all([deps.directory.load(), deps.policies.loadPolicies()]);
  const ctx = lifecycleContext(duplicate.category, org, policies);
  plannedOrThrow(duplicate, action, expectedVersion, actor, ctx, deps.now());

  const original = await linkOriginal(duplicate, action.into, staff, deps, org.countyCentreUnitId);
  try {
    return await applyCaseAction(duplicate, action, expectedVersion, actor, deps);
  } catch (error) {
    if (!(error instanceof CaseStateError)) {
      // The write may have landed with its answer lost: then the merge is complete.
      const reread = await deps.cases.getCase(duplicate.trackingCode).catch(() => undefined);
      if (reread === undefined) throw error; // cannot tell: the link stays rather than orphan a merge
      if (reread.mergedInto === action.into) return reread;
    }
    await unlinkOriginal(original, duplicate.trackingCode, actor, deps, error, org.countyCentreUnitId);
    throw error;
  }
}

/** Writes the original's half; 400 for an original that cannot take it, 409 if it changed meanwhile. */
async function linkOriginal(
  duplicate: CaseState,
  into: string,
  staff: Staff,
  deps: TransitionDeps,
  countyCentreUnitId: string,
): Promise<CaseState> {
  let original = await deps.cases.getCase(into);
  for (let attempt = 0; ; attempt++) {
    const link = planDuplicateLink(original, duplicate, staff, deps.now(), countyCentreUnitId);
    if (!link.ok && attempt === 0) {
      throw new ValidationError(link.message, [{ path: link.path, message: link.message }]);
    }
    if (!link.ok || attempt === LINK_ATTEMPTS) {
      const why = link.ok ? '' : ` (${link.message})`;
      throw new VersionConflictError(
        `The case it is to be merged into changed at the same moment${why}; reload and try again`,
        duplicate.version,
        allowedActions(duplicate, { kind: 'staff', staff }),
      );
    }
    const written = await writeLink(link.original, link.plan, deps);
    if (written.applied) return written.state;
    original = written.current;
  }
}

async function unlinkOriginal(
  original: CaseState,
  duplicate: string,
  actor: Actor,
  deps: TransitionDeps,
  failure: unknown,
  countyCentreUnitId: string,
): Promise<void> {
  let current: CaseState | undefined = original;
  for (let attempt = 0; attempt < UNLINK_ATTEMPTS && current; attempt++) {
    const plan = planDuplicateUnlink(current, duplicate, actor, deps.now(), countyCentreUnitId);
    if (!plan) return;
    const written = await writeLink(current, plan, deps);
    if (written.applied) return;
    current = written.current;
  }
  if (!current) return;
  throw new CaseConflictError(
    `The merge of ${duplicate} failed and its link on ${original.trackingCode} could not be taken back`,
    { cause: failure },
  );
}

/** One write of the original's half; an answer lost after the write landed is read off the timeline. */
async function writeLink(
  original: CaseState,
  plan: DuplicateLinkPlan,
  deps: TransitionDeps,
): Promise<LinkWrite> {
  try {
    return await deps.cases.writeDuplicateLink(original, plan);
  } catch (error) {
    const current = await deps.cases.getCase(original.trackingCode).catch(() => undefined);
    if (current?.timeline.some((event) => isDeepStrictEqual(event, plan.event))) {
      return { applied: true, state: current };
    }
    throw error;
  }
}
