/**
 * A member of staff (or the reporter, or the system) moves a case: look it up within the actor's
 * scope (out of scope is "not found", never "forbidden"), check the version they acted on, plan
 * the move with the lifecycle table, write it with one conditional update, then run its effects.
 */
import * as z from 'zod';
import { type CaseState, isOpen } from '../domain/case.ts';
import {
  type Actor,
  allowedActions,
  type CaseAction,
  canSee,
  planTransition,
  StaffAction,
} from '../domain/case-lifecycle.ts';
import type { Staff } from '../domain/staff.ts';
import { normaliseTrackingCode } from '../domain/tracking-code.ts';
import {
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
import type { NotificationLog } from '../ports/sms-state.ts';
import type { StatsStore } from '../ports/stats-store.ts';
import { parseOrThrow } from '../validation.ts';
import { runPending } from './case-effects.ts';
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
  notifications: NotificationLog;
  now: () => Date;
}

export interface TransitionDeps extends CaseWorkDeps {
  /** Effects that fail after the write stay in the outbox for the sweeper; this hears about it. */
  onEffectsDeferred?: (trackingCode: string, error: unknown) => void;
}

export const TransitionRequest = z
  .object({ expectedVersion: z.number().int().positive() })
  .and(z.preprocess((v) => normaliseMergeTarget(v), StaffAction));
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

/** Applies `action` to a loaded case as `actor`, checking `expectedVersion` first. */
export async function applyCaseAction(
  state: CaseState,
  action: CaseAction,
  expectedVersion: number,
  actor: Actor,
  deps: TransitionDeps,
): Promise<CaseState> {
  const [org, policies] = await Promise.all([deps.directory.load(), deps.policies.loadPolicies()]);
  const ctx = lifecycleContext(state.category, org, policies);
  const now = deps.now();
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
  const applied = await deps.cases.applyTransition(state, planned.plan);
  if (!applied.applied) {
    const current = applied.current;
    throw new VersionConflictError(
      'Someone else changed the case at the same moment; reload and try again',
      current?.version ?? state.version,
      current ? allowedActions(current, actor) : [],
    );
  }
  try {
    await runPending(applied.state, applied.pending, { ...deps, countyCentreUnitId: org.countyCentreUnitId });
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
  if (request.action === 'merge') await checkMergeTarget(state, request.into, staff, deps.cases);
  const { expectedVersion, ...action } = request;
  return applyCaseAction(state, action, expectedVersion, { kind: 'staff', staff }, deps);
}

async function checkMergeTarget(
  state: CaseState,
  into: string,
  staff: Staff,
  cases: CaseStore,
): Promise<void> {
  const target = await cases.getCase(into);
  const invalid = (message: string) => new ValidationError(message, [{ path: 'into', message }]);
  if (!target || !canSee(staff, target)) throw invalid('no case with this code is visible to you');
  if (!isOpen(target.stage)) throw invalid('a case can only be merged into an open case');
  if (target.category !== state.category)
    throw invalid('a case can only be merged into one of the same category');
}
