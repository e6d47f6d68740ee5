/**
 * The assessment's definitions, each from a case driven through the real lifecycle table
 * (planTransition) on Pingyao's calendar and service levels, and the live effects checked
 * against the replay of the case's history (what the rebuild and the tests' recount use).
 */
import { describe, expect, it } from 'vitest';
import { demoOrganisation } from '../../infra/demo/demo-organisation.ts';
import type { CaseState } from '../../shared/domain/case.ts';
import { type Actor, type CaseAction, planTransition } from '../../shared/domain/case-lifecycle.ts';
import {
  addCounters,
  type CounterDeltas,
  type StatsChange,
  statsChangesOfCase,
  statsDeltas,
} from '../../shared/domain/case-statistics.ts';
import type { Staff } from '../../shared/domain/staff.ts';
import {
  assessmentDeltas,
  assessmentOf,
  hourBucketOf,
  p90OfHistogram,
  rankByScore,
  scoreOf,
  WORKING_HOUR_BOUNDS,
} from '../../shared/domain/unit-assessment.ts';
import { defaultPolicies } from '../../shared/reference/default-policies.ts';
import { lifecycleContext } from '../../shared/services/lifecycle-context.ts';

const cal = defaultPolicies.calendar;
const HOUR = 3_600_000;
const supervisor: Actor = { kind: 'staff', staff: { role: 'county_supervisor', userId: 'sup', name: 'S' } };
const system: Actor = { kind: 'system', name: 'sweep-cases' };
const reporter: Actor = { kind: 'reporter' };
const handlerOf = (c: CaseState): Actor => {
  const staff: Staff = { role: 'unit_handler', userId: `h-${c.unitId}`, name: 'H', unitId: c.unitId };
  return { kind: 'staff', staff };
};

/** A case and the stats changes its transitions emitted live, in order. */
interface Driven {
  c: CaseState;
  live: StatsChange[];
}

/** A road report in Chengdong routed to `unitId` at `at` (as the router writes it: version 2). */
function routed(at: string, unitId = 'transport', code = 'K7M2QX9PA'): Driven {
  const registered: CaseState = {
    trackingCode: code,
    submissionId: '0b6f1c8e-5d4a-4e8b-9c61-2f1f4f3a9b10',
    stage: 'registered',
    version: 1,
    category: 'road',
    communityId: 'chengdong-kangning',
    townshipId: 'chengdong',
    unitId,
    routing: { kind: 'rule', ruleId: 'road' },
    channel: 'web',
    submittedAt: at,
    updatedAt: at,
    timeline: [
      { stage: 'received', at, by: 'channel:web' },
      { stage: 'registered', at, by: 'system:route-report', action: 'register', unitId },
    ],
  };
  const router: Actor = { kind: 'system', name: 'route-report' };
  const driven = step({ c: registered, live: [] }, { action: 'dispatch' }, router, at);
  const [first] = driven.live;
  if (!first) throw new Error('no stats change');
  // The router counts registration and dispatch as one change from `received`.
  driven.live = [{ ...first, from: { stage: 'received', unitId, since: at, heldSince: at } }];
  return driven;
}

/** Applies an action as the transition service would, keeping the stats change it emitted. */
function step(d: Driven, action: CaseAction, actor: Actor, at: string): Driven {
  const result = planTransition(
    d.c,
    action,
    actor,
    lifecycleContext(d.c.category, demoOrganisation, defaultPolicies),
    new Date(at),
  );
  if (!result.ok) throw new Error(`${action.action} refused: ${JSON.stringify(result)}`);
  const { plan } = result;
  const next: CaseState = {
    ...d.c,
    ...plan.set,
    stage: plan.to,
    version: d.c.version + 1,
    updatedAt: at,
    timeline: [...d.c.timeline, plan.event],
    ...(plan.transfer ? { transfers: (d.c.transfers ?? 0) + 1 } : {}),
  };
  for (const key of plan.remove) delete next[key];
  const effect = plan.effects.find((e) => e.kind === 'stats');
  if (effect?.kind !== 'stats') throw new Error('no stats effect');
  const change: StatsChange = {
    ...effect,
    trackingCode: next.trackingCode,
    version: next.version,
    communityId: next.communityId,
    category: next.category,
    channel: next.channel,
  };
  return { c: next, live: [...d.live, change] };
}

const as = (who: 'handler' | Actor) => (d: Driven) => (who === 'handler' ? handlerOf(d.c) : who);
/** Steps in a row: [action, who, at]. */
function drive(d: Driven, ...steps: Array<[CaseAction, 'handler' | Actor, string]>): Driven {
  return steps.reduce((acc, [action, who, at]) => step(acc, action, as(who)(acc), at), d);
}

const countersOf = (changes: StatsChange[]): CounterDeltas =>
  changes.map(assessmentDeltas).reduce(addCounters, {});
const unitFigures = (d: Driven, unitId: string) => assessmentOf(countersOf(d.live), 'unit', unitId, 9);

// Monday 23 November 2026, 10:00 in Pingyao. Road: accept within 2 working days (due Wednesday
// 25th 17:30), resolve within 10 working days of the arrival (due Monday 7 December 17:30).
const MONDAY_10 = '2026-11-23T02:00:00.000Z';

describe('the assessment measures, from the lifecycle’s transitions', () => {
  it('counts the router’s dispatch as received by the unit and by the case’s township', () => {
    const d = routed(MONDAY_10);
    expect(unitFigures(d, 'transport').received).toBe(1);
    expect(assessmentOf(countersOf(d.live), 'township', 'chengdong', 9).received).toBe(1);
    expect(unitFigures(d, 'urban-management').received).toBe(0);
  });

  it('counts an acceptance on time up to the deadline instant, and a late one after it', () => {
    const onTime = drive(routed(MONDAY_10), [{ action: 'accept' }, 'handler', '2026-11-25T09:30:00.000Z']);
    expect(onTime.c.timeline.at(-1)?.due).toBe('2026-11-25T09:30:00.000Z');
    expect(unitFigures(onTime, 'transport')).toMatchObject({
      accepted: 1,
      acceptedOnTime: 1,
      acceptedOnTimeRate: 1,
    });
    const late = drive(routed(MONDAY_10), [{ action: 'accept' }, 'handler', '2026-11-25T09:30:00.001Z']);
    expect(unitFigures(late, 'transport')).toMatchObject({
      accepted: 1,
      acceptedOnTime: 0,
      acceptedOnTimeRate: 0,
    });
  });

  it('judges an acceptance after an escalation against the deadline that was escalated', () => {
    const d = drive(
      routed(MONDAY_10),
      [{ action: 'escalate', reason: 'accept_overdue' }, system, '2026-11-26T01:00:00.000Z'],
      [{ action: 'accept' }, 'handler', '2026-11-26T02:00:00.000Z'],
    );
    expect(d.c.timer?.kind).toBe('resolve_due');
    expect(unitFigures(d, 'transport')).toMatchObject({
      accepted: 1,
      acceptedOnTime: 0,
      escalated: 1,
      escalatedAcceptOverdue: 1,
      escalatedResolveOverdue: 0,
    });
  });

  it('counts each resolution against the resolve deadline from the arrival, a redo after a failed verification too', () => {
    const d = drive(
      routed(MONDAY_10),
      [{ action: 'accept' }, 'handler', '2026-11-24T02:00:00.000Z'],
      [{ action: 'resolve', note: '已修' }, 'handler', '2026-12-07T09:00:00.000Z'],
      [{ action: 'reject_resolution', note: '没修好' }, supervisor, '2026-12-07T09:10:00.000Z'],
      [{ action: 'resolve', note: '修好了' }, 'handler', '2026-12-08T02:00:00.000Z'],
      [{ action: 'verify' }, supervisor, '2026-12-08T03:00:00.000Z'],
    );
    expect(unitFigures(d, 'transport')).toMatchObject({
      resolved: 2,
      resolvedOnTime: 1,
      resolvedOnTimeRate: 0.5,
      verified: 1,
      verificationFailures: 1,
      verificationFailureRate: 0.5,
    });
  });

  it('counts a return against the unit that returned it and as received by the township centre', () => {
    const d = drive(routed(MONDAY_10), [
      { action: 'return', note: '不归我们管' },
      'handler',
      '2026-11-23T03:00:00.000Z',
    ]);
    expect(d.c.unitId).toBe('centre-chengdong');
    expect(unitFigures(d, 'transport')).toMatchObject({ received: 1, returned: 1 });
    expect(unitFigures(d, 'centre-chengdong')).toMatchObject({ received: 1, returned: 0 });
  });

  it('counts a reassignment away from the unit that lost the case, and times the stay it had', () => {
    const d = drive(routed(MONDAY_10), [
      { action: 'reassign', unitId: 'urban-management' },
      supervisor,
      '2026-11-23T04:00:00.000Z',
    ]);
    const transport = unitFigures(d, 'transport');
    expect(transport).toMatchObject({ received: 1, reassignedAway: 1 });
    expect(transport.stages.dispatched).toMatchObject({ stays: 1, meanWorkingHours: 2 });
    expect(unitFigures(d, 'urban-management')).toMatchObject({ received: 1, reassignedAway: 0 });
  });

  it('counts a reopening, a return visit that finds the case unresolved, and one that finds the resident satisfied', () => {
    const closed = drive(
      routed(MONDAY_10),
      [{ action: 'accept' }, 'handler', '2026-11-23T03:00:00.000Z'],
      [{ action: 'resolve', note: '已修' }, 'handler', '2026-11-23T05:00:00.000Z'],
      [{ action: 'verify' }, supervisor, '2026-11-23T06:00:00.000Z'],
      [{ action: 'close' }, supervisor, '2026-11-23T07:00:00.000Z'],
      [{ action: 'rate', score: 1 }, reporter, '2026-11-24T07:00:00.000Z'],
    );
    const visitedBad = drive(closed, [
      { action: 'record_return_visit', outcome: 'unresolved', note: '还是坏的' },
      supervisor,
      '2026-11-25T02:00:00.000Z',
    ]);
    expect(unitFigures(visitedBad, 'transport')).toMatchObject({
      received: 1,
      reopened: 1,
      satisfaction: {
        ratings: 1,
        mean: 1,
        satisfiedShare: 0,
        unsatisfied: 1,
        returnVisits: { satisfied: 0, unresolved: 1 },
      },
    });
    const visitedGood = drive(closed, [
      { action: 'record_return_visit', outcome: 'satisfied', note: '满意' },
      supervisor,
      '2026-11-25T02:00:00.000Z',
    ]);
    expect(unitFigures(visitedGood, 'transport')).toMatchObject({
      reopened: 0,
      satisfaction: { returnVisits: { satisfied: 1, unresolved: 0 } },
    });
    const reopened = drive(visitedGood, [
      { action: 'reopen', note: '又坏了' },
      supervisor,
      '2026-11-26T02:00:00.000Z',
    ]);
    expect(unitFigures(reopened, 'transport').reopened).toBe(1);
  });

  it('averages ratings and counts 4 and 5 as satisfied', () => {
    const rated = (score: number, code: string) =>
      drive(
        routed(MONDAY_10, 'transport', code),
        [{ action: 'accept' }, 'handler', '2026-11-23T03:00:00.000Z'],
        [{ action: 'resolve', note: '已修' }, 'handler', '2026-11-23T05:00:00.000Z'],
        [{ action: 'verify' }, supervisor, '2026-11-23T06:00:00.000Z'],
        [{ action: 'close' }, supervisor, '2026-11-23T07:00:00.000Z'],
        [{ action: 'rate', score }, reporter, '2026-11-24T07:00:00.000Z'],
      ).live;
    const counters = countersOf([
      ...rated(5, 'AAAAAAAA1'),
      ...rated(4, 'AAAAAAAA2'),
      ...rated(3, 'AAAAAAAA3'),
      ...rated(2, 'AAAAAAAA4'),
    ]);
    expect(assessmentOf(counters, 'unit', 'transport', 9).satisfaction).toMatchObject({
      ratings: 4,
      mean: 3.5,
      satisfiedShare: 0.5,
      unsatisfied: 1,
    });
  });

  it('times a stay in working time: a Friday afternoon to Monday morning is two office hours', () => {
    // Friday 27 November 16:30 → Monday 30 November 09:30 (local): 1 h on Friday, 1 h on Monday.
    const d = drive(routed('2026-11-27T08:30:00.000Z'), [
      { action: 'accept' },
      'handler',
      '2026-11-30T01:30:00.000Z',
    ]);
    expect(d.live.at(-1)?.workingMs).toBe(2 * HOUR);
    const stays = unitFigures(d, 'transport').stages.dispatched;
    expect(stays).toMatchObject({ stays: 1, meanWorkingHours: 2, meanWorkingDays: 2 / 9 });
    expect(stays.p90Bucket).toEqual({ fromHours: 1, toHours: 2 });
  });

  it('records live exactly what the replay of the case’s history recounts', () => {
    const d = drive(
      routed(MONDAY_10),
      [{ action: 'reassign', unitId: 'urban-management' }, supervisor, '2026-11-23T04:00:00.000Z'],
      [{ action: 'escalate', reason: 'accept_overdue' }, system, '2026-11-26T01:00:00.000Z'],
      [{ action: 'accept' }, 'handler', '2026-11-26T02:00:00.000Z'],
      [{ action: 'return', note: '不归我们管' }, 'handler', '2026-11-26T03:00:00.000Z'],
      [{ action: 'accept' }, 'handler', '2026-11-27T03:00:00.000Z'],
      [{ action: 'resolve', note: '已调解' }, 'handler', '2026-11-30T03:00:00.000Z'],
      [{ action: 'reject_resolution', note: '未核实' }, supervisor, '2026-11-30T04:00:00.000Z'],
      [{ action: 'resolve', note: '已调解' }, 'handler', '2026-12-01T03:00:00.000Z'],
      [{ action: 'verify' }, supervisor, '2026-12-01T04:00:00.000Z'],
      [{ action: 'close' }, supervisor, '2026-12-01T05:00:00.000Z'],
      [{ action: 'rate', score: 2 }, reporter, '2026-12-02T05:00:00.000Z'],
      [
        { action: 'record_return_visit', outcome: 'unresolved', note: '仍不满意' },
        supervisor,
        '2026-12-03T05:00:00.000Z',
      ],
    );
    const replay = statsChangesOfCase(d.c, cal);
    expect(replay.map(statsDeltas)).toEqual(d.live.map(statsDeltas));
    expect(unitFigures(d, 'centre-chengdong')).toMatchObject({
      received: 1,
      accepted: 1,
      resolved: 2,
      reopened: 1,
    });
    expect(unitFigures(d, 'urban-management')).toMatchObject({ received: 1, returned: 1, escalated: 1 });
  });
});

describe('percentiles, score and ranking', () => {
  it('puts a stay in the first bucket whose bound it does not exceed', () => {
    expect(hourBucketOf(0)).toBe(0);
    expect(hourBucketOf(2 * HOUR)).toBe(3);
    expect(hourBucketOf(2 * HOUR + 1)).toBe(4);
    expect(hourBucketOf(1000 * HOUR)).toBe(WORKING_HOUR_BOUNDS.length);
  });

  it('finds the nearest-rank 90th percentile’s bucket exactly and interpolates inside it', () => {
    // 10 stays: 8 of at most 1 h, 2 in (9, 13.5]: the 9th is the p90 (rank ⌈0.9·10⌉ = 9).
    const buckets = new Array(WORKING_HOUR_BOUNDS.length + 1).fill(0);
    buckets[2] = 8;
    buckets[8] = 2;
    expect(p90OfHistogram(buckets)).toEqual({
      p90WorkingHours: 9 + 0.5 * 4.5,
      p90Bucket: { fromHours: 9, toHours: 13.5 },
    });
    buckets[WORKING_HOUR_BOUNDS.length] = 20;
    expect(p90OfHistogram(buckets).p90Bucket).toEqual({ fromHours: 360, toHours: null });
    expect(p90OfHistogram(new Array(20).fill(0))).toEqual({ p90WorkingHours: null, p90Bucket: null });
  });

  it('scores only the parts a row has data for, and gives none to a row without any', () => {
    const empty = assessmentOf({}, 'unit', 'transport', 9);
    expect(scoreOf(empty)).toBeNull();
    // All on time, no ratings, no verification, no escalation among 2 arrivals: 100.
    expect(scoreOf({ ...empty, received: 2, acceptedOnTimeRate: 1, resolvedOnTimeRate: 1 })).toBe(100);
    // Half on time everywhere, mean rating 3 (0.5), 1 escalation in 2 arrivals: 50.
    expect(
      scoreOf({
        ...empty,
        received: 2,
        escalated: 1,
        acceptedOnTimeRate: 0.5,
        resolvedOnTimeRate: 0.5,
        verificationFailureRate: 0.5,
        satisfaction: { ...empty.satisfaction, mean: 3 },
      }),
    ).toBe(50);
  });

  it('ranks by score, highest first, equal scores sharing a rank and unscored rows unranked', () => {
    const ranks = rankByScore([
      { id: 'a', score: 70 },
      { id: 'b', score: 90 },
      { id: 'c', score: 70 },
      { id: 'd', score: null },
      { id: 'e', score: 10 },
    ]);
    expect(Object.fromEntries(ranks)).toEqual({ b: 1, a: 2, c: 2, e: 4 });
  });
});
