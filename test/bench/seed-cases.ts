/**
 * A county's case history, made for the cost bench (report-cost.ts): cases that went through the
 * closed loop the way the system records it — routed and dispatched at once by the router, then
 * accepted, returned, escalated when a deadline passed, resolved, verified, closed, rated or put on
 * the return-visit list, sometimes reopened — each step planned by the domain's own
 * `planTransition` and applied as the case store applies it. The statistics those cases left are
 * folded the way the stats store adds them: `statsChangesOfCase` + `statsBucketOf` per change, into
 * the day bucket of the unit the change went to, with the change's id in `applied`; and fraud
 * reports into the fraud-report ledger. Pure: report-cost-process.ts writes the items.
 */
import { createHash } from 'node:crypto';
import type { CaseReport, CaseState, Routing } from '../../shared/domain/case.ts';
import {
  type Actor,
  type CaseAction,
  type LifecycleContext,
  planTransition,
  type TransitionPlan,
} from '../../shared/domain/case-lifecycle.ts';
import {
  type CounterDeltas,
  statsBucketOf,
  statsChangesOfCase,
  statsEventId,
} from '../../shared/domain/case-statistics.ts';
import { type CategoryCode, categoryCodes } from '../../shared/domain/categories.ts';
import type { Organisation } from '../../shared/domain/organisation.ts';
import { shanghaiDay } from '../../shared/domain/outreach/shanghai-time.ts';
import { type RoutingDecision, resolveResponsibleUnit } from '../../shared/domain/routing.ts';
import { generateTrackingCode } from '../../shared/domain/tracking-code.ts';
import type { Policies } from '../../shared/ports/policies.ts';
import { lifecycleContext } from '../../shared/services/lifecycle-context.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export interface SeededCase {
  report: CaseReport;
  state: CaseState;
}

export interface HistoryContext {
  org: Organisation;
  policies: Policies;
  random: () => number;
  /** Draws a fresh (unique) tracking code. */
  newTrackingCode: () => string;
  newId: () => string;
}

const ROUTER: Actor = { kind: 'system', name: 'route-report' };
const SWEEPER: Actor = { kind: 'system', name: 'sweep-cases' };
const REPORTER: Actor = { kind: 'reporter' };
const SUPERVISOR: Actor = {
  kind: 'staff',
  staff: { role: 'county_supervisor', userId: 'seed-supervisor', name: '县综治中心值班长' },
};
const handlerOf = (unitId: string): Actor => ({
  kind: 'staff',
  staff: { role: 'unit_handler', userId: `seed-handler-${unitId}`, name: `${unitId} 承办人`, unitId },
});

const descriptions = [
  '顺城路路灯不亮，晚上很危险',
  '垃圾站满了三天没人清运',
  '邻居装修噪音扰民，协商无果',
  '有人冒充客服让我下载会议软件共享屏幕',
  '村口道路塌陷，车辆无法通行',
  '超市卖过期牛奶',
  '独居老人家中断暖，需要帮助',
  '古庙墙体开裂，有倒塌风险',
  '校车超载，孩子们站着坐车',
];
const resolutionNotes = [
  '已到现场处理完毕，拍照留档。',
  '已联系责任单位整改，复查合格。',
  '双方已调解，签订调解协议。',
  '已安排维修，今日完成。',
];

function pick<T>(items: readonly T[], random: () => number): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error('picked from an empty list');
  return item;
}

/** An exponentially distributed wait with this mean (how long people take to get round to things). */
const exponential = (mean: number, random: () => number) => -Math.log(1 - random()) * mean;

/** The state after a plan, as DynamoDbCaseStore.applyTransition writes it. */
function applied(current: CaseState, plan: TransitionPlan): CaseState {
  const transfers = (current.transfers ?? 0) + (plan.transfer ? 1 : 0);
  const next: CaseState = {
    ...current,
    ...plan.set,
    stage: plan.to,
    version: plan.from.version + 1,
    updatedAt: plan.event.at,
    timeline: [...current.timeline, plan.event],
    ...(transfers > 0 ? { transfers } : {}),
  };
  for (const attribute of plan.remove) delete next[attribute];
  return next;
}

const routingOf = (decision: RoutingDecision): Routing =>
  decision.kind === 'rule'
    ? { kind: 'rule', ruleId: decision.ruleId }
    : { kind: decision.kind, reason: decision.reason };

interface CaseInput {
  category: CategoryCode;
  communityId: string;
  submittedAt: number;
  /** Reassigned to this unit right after routing (how a unit no rule names gets its cases). */
  reassignTo?: string;
  /** Mean of the waits between steps. */
  pace: { accept: number; resolve: number; review: number; visit: number };
  /** Nothing happens at or after this instant. */
  cutoff: number;
}

/** One case from submission until `cutoff`: every step the loop would have taken by then. */
export function caseHistory(input: CaseInput, ctx: HistoryContext): SeededCase {
  const { org, policies, random } = ctx;
  const trackingCode = ctx.newTrackingCode();
  const submissionId = ctx.newId();
  const submittedAt = new Date(input.submittedAt).toISOString();
  const lifecycle: LifecycleContext = lifecycleContext(input.category, org, policies);

  // The router: registered and dispatched in one write, a few seconds after submission.
  let t = input.submittedAt + 2_000 + random() * 30_000;
  const decision = resolveResponsibleUnit({ category: input.category, communityId: input.communityId }, org);
  const routedAt = new Date(t).toISOString();
  const registered: CaseState = {
    trackingCode,
    submissionId,
    stage: 'registered',
    version: 1,
    category: input.category,
    communityId: input.communityId,
    townshipId: decision.kind === 'county_triage' ? undefined : decision.townshipId,
    unitId: decision.unitId,
    routing: routingOf(decision),
    channel: 'web',
    submittedAt,
    updatedAt: routedAt,
    timeline: [
      { stage: 'received', at: submittedAt, by: 'channel:web' },
      {
        stage: 'registered',
        at: routedAt,
        by: 'system:route-report',
        action: 'register',
        unitId: decision.unitId,
      },
    ],
  };
  const dispatch = planTransition(registered, { action: 'dispatch' }, ROUTER, lifecycle, new Date(t));
  if (!dispatch.ok) throw new Error(`a seeded case could not be dispatched: ${dispatch.reason}`);
  let state: CaseState = {
    ...registered,
    ...dispatch.plan.set,
    stage: dispatch.plan.to,
    version: 2,
    timeline: [...registered.timeline, dispatch.plan.event],
  };

  /** Takes `action` at `at` if it is before the cutoff and the lifecycle allows it. */
  const step = (action: CaseAction, actor: Actor, at: number): boolean => {
    if (at >= input.cutoff) return false;
    const planned = planTransition(state, action, actor, lifecycle, new Date(at));
    if (!planned.ok) return false;
    state = applied(state, planned.plan);
    t = at;
    return true;
  };
  // Read through a call: TypeScript would otherwise narrow `state.stage` across the steps that change it.
  const stage = () => state.stage;
  /** The sweeper escalates a deadline that passes before `at` (a few minutes late, as it sweeps). */
  const escalateIfLate = (at: number) => {
    const timer = state.timer;
    if (!timer || timer.kind === 'rating_window') return;
    // The sweeper comes round a few minutes after the deadline; a unit that acts first is not escalated.
    const sweptAt = Date.parse(timer.at) + 60_000 + random() * 5 * MINUTE;
    if (sweptAt >= at) return;
    const reason = timer.kind === 'accept_due' ? 'accept_overdue' : 'resolve_overdue';
    step({ action: 'escalate', reason }, SWEEPER, sweptAt);
  };

  if (input.reassignTo && input.reassignTo !== state.unitId) {
    if (
      !step(
        { action: 'reassign', unitId: input.reassignTo, note: '转交相关单位办理' },
        SUPERVISOR,
        t + exponential(input.pace.review, random),
      )
    )
      return { report: reportOf(trackingCode, submissionId, random), state };
  }

  for (let round = 0; round < 2; round++) {
    // Accepted, or (now and then) sent back to the centre, which accepts it next.
    for (let hand = 0; hand < 3; hand++) {
      const at = t + exponential(input.pace.accept, random);
      escalateIfLate(at);
      if (stage() === 'dispatched' && hand < 2 && random() < 0.05) {
        if (!step({ action: 'return', note: '不属于本单位职责，退回' }, handlerOf(state.unitId), at)) break;
        continue;
      }
      step({ action: 'accept' }, handlerOf(state.unitId), at);
      break;
    }
    if (stage() !== 'in_progress') break;

    let resolvedOnce = false;
    for (let attempt = 0; attempt < 2; attempt++) {
      const at = t + exponential(input.pace.resolve, random);
      escalateIfLate(at);
      if (!step({ action: 'resolve', note: pick(resolutionNotes, random) }, handlerOf(state.unitId), at))
        break;
      // 核查: now and then the supervisor sends the resolution back.
      const reviewAt = t + exponential(input.pace.review, random);
      if (attempt === 0 && random() < 0.08) {
        step({ action: 'reject_resolution', note: '现场复核未整改到位' }, SUPERVISOR, reviewAt);
        if (stage() !== 'in_progress') break;
        continue;
      }
      resolvedOnce = step({ action: 'verify' }, SUPERVISOR, reviewAt);
      break;
    }
    if (!resolvedOnce) break;
    if (!step({ action: 'close' }, SUPERVISOR, t + exponential(input.pace.review, random))) break;

    // The reporter rates within the window, or the window ends and the case goes to a visit.
    const windowMs = policies.ratingWindowDays * DAY;
    if (random() < 0.55) {
      const score = pick([5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 4, 4, 4, 4, 4, 3, 3, 2, 2, 1], random);
      step({ action: 'rate', score }, REPORTER, t + random() * windowMs * 0.9);
    } else {
      step({ action: 'flag_unrated' }, SWEEPER, t + windowMs + 60_000 + random() * 5 * MINUTE);
    }
    if (state.returnVisit?.status !== 'pending') break;
    const outcome = random() < 0.15 ? 'unresolved' : 'satisfied';
    step(
      {
        action: 'record_return_visit',
        outcome,
        note: outcome === 'unresolved' ? '居民反映问题仍未解决' : '居民表示满意',
      },
      SUPERVISOR,
      t + exponential(input.pace.visit, random),
    );
    if (stage() !== 'dispatched') break; // reopened: once more round the loop
  }
  return { report: reportOf(trackingCode, submissionId, random), state };
}

function reportOf(trackingCode: string, submissionId: string, random: () => number): CaseReport {
  const n = Math.floor(random() * 1e8);
  return {
    trackingCode,
    submissionId,
    description: `${pick(descriptions, random)}（#${n}）`,
    // Half leave a phone number, a third an address, as the bench's web reports do.
    ...(random() < 0.5 ? { contactPhone: `+86139${String(n).padStart(8, '0')}` } : {}),
    ...(random() < 0.33
      ? { address: `${pick(['顺城路', '西大街', '南大街', '东关'], random)}${n % 500}号` }
      : {}),
    reporterTokenHash: createHash('sha256').update(`${trackingCode}${n}`).digest('hex'),
  };
}

const historicPace = { accept: 6 * HOUR, resolve: 2 * DAY, review: 12 * HOUR, visit: 2 * DAY };

/**
 * `count` cases submitted evenly over `[from, to)`, each taken as far as it got by `to` (so none
 * of them changes on or after `to`).
 */
export function* historicCases(
  count: number,
  from: number,
  to: number,
  ctx: HistoryContext,
): Generator<SeededCase> {
  const communities = ctx.org.communities.map((c) => c.id);
  for (let i = 0; i < count; i++) {
    yield caseHistory(
      {
        category: pick(categoryCodes, ctx.random),
        communityId: pick(communities, ctx.random),
        submittedAt: from + ctx.random() * (to - 6 * HOUR - from),
        pace: historicPace,
        cutoff: to,
      },
      ctx,
    );
  }
}

/**
 * Cases submitted today (`[dayStart, now)`) until each unit's bucket of today holds at least
 * `changesPerUnit` changes: today's buckets then look as they do in the middle of a busy day. A
 * unit that no routing rule names (the county centre) gets cases reassigned to it.
 */
export function* todaysCases(
  changesPerUnit: number,
  dayStart: number,
  now: number,
  ctx: HistoryContext,
): Generator<SeededCase> {
  const today = shanghaiDay(new Date(now));
  const { org, random } = ctx;
  const routedTo = new Map<string, { category: CategoryCode; communityId: string }[]>();
  for (const category of categoryCodes) {
    for (const community of org.communities) {
      const { unitId } = resolveResponsibleUnit({ category, communityId: community.id }, org);
      routedTo.set(unitId, [...(routedTo.get(unitId) ?? []), { category, communityId: community.id }]);
    }
  }
  const anyPair = [...routedTo.values()].flat();
  const window = Math.max(MINUTE, now - dayStart);
  // Units no rule names first: their reassigned cases also add a change to the unit they came from.
  const units = [...org.units].sort((a, b) => Number(routedTo.has(a.id)) - Number(routedTo.has(b.id)));
  for (const unit of units) {
    let changes = 0;
    for (let guard = 0; changes < changesPerUnit && guard < 10 * changesPerUnit; guard++) {
      const pairs = routedTo.get(unit.id);
      const { category, communityId } = pick(pairs ?? anyPair, random);
      const submittedAt = dayStart + random() * window * 0.8;
      const left = now - submittedAt;
      const seeded = caseHistory(
        {
          category,
          communityId,
          submittedAt,
          ...(pairs ? {} : { reassignTo: unit.id }),
          pace: { accept: left / 6, resolve: left / 3, review: left / 6, visit: left / 3 },
          cutoff: now,
        },
        ctx,
      );
      changes += bucketChanges(seeded.state).filter((c) => c.unitId === unit.id && c.day === today).length;
      yield seeded;
    }
  }
}

/** The changes of a case the statistics count, and the bucket each one goes to. */
function bucketChanges(
  state: CaseState,
): { unitId: string; day: string; id: string; deltas: CounterDeltas }[] {
  return statsChangesOfCase(state).flatMap((change) => {
    const { bucketId, day, deltas } = statsBucketOf(change);
    // The store writes nothing for a change without deltas (a satisfied return visit).
    if (Object.keys(deltas).length === 0) return [];
    return [{ unitId: bucketId, day, id: statsEventId(change), deltas }];
  });
}

export interface DayBucket {
  unitId: string;
  day: string;
  counters: CounterDeltas;
  applied: Set<string>;
}

/**
 * The statistics a set of cases left behind: day buckets per unit and the fraud-intake bucket
 * (counters and `applied`), as the stats store would have written them.
 */
export class StatsFold {
  readonly buckets = new Map<string, DayBucket>();
  changes = 0;

  add(state: CaseState): void {
    for (const change of bucketChanges(state)) {
      const key = `${change.unitId}|${change.day}`;
      let bucket = this.buckets.get(key);
      if (!bucket) {
        bucket = { unitId: change.unitId, day: change.day, counters: {}, applied: new Set() };
        this.buckets.set(key, bucket);
      }
      if (bucket.applied.has(change.id)) continue;
      bucket.applied.add(change.id);
      for (const [name, value] of Object.entries(change.deltas)) {
        bucket.counters[name] = (bucket.counters[name] ?? 0) + value;
      }
      this.changes++;
    }
  }

  /** Changes in each unit's bucket of `day`. */
  changesOn(day: string): Map<string, number> {
    const counts = new Map<string, number>();
    for (const bucket of this.buckets.values()) {
      if (bucket.day === day) counts.set(bucket.unitId, bucket.applied.size);
    }
    return counts;
  }
}

/** Unique tracking codes from a seeded generator (45 random bits; a repeat is drawn again). */
export function trackingCodes(random: () => number): () => string {
  const used = new Set<string>();
  const bytes = (n: number) => Uint8Array.from({ length: n }, () => Math.floor(random() * 256));
  return () => {
    for (;;) {
      const code = generateTrackingCode(bytes);
      if (!used.has(code)) {
        used.add(code);
        return code;
      }
    }
  };
}

export const HISTORY_DAY_MS = DAY;
