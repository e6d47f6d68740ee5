/**
 * The unit assessment end to end on the emulators: many cases routed by the real router and moved
 * through the real lifecycle (transitions, the sweeper's escalations, rating windows, settling)
 * with a seeded random mix — acceptances early and late, returns, reassignments, failed
 * verifications, ratings, return visits, reopenings — over ten weeks across month boundaries and
 * the National Day holidays, the sweeper settling days into months as it goes. Then the figures the
 * API answers (getAssessment, getStats: what GET /api/assessment and /api/stats return) must equal
 * a brute-force recount written independently from the cases' timelines: its own deadlines from
 * the service levels, its own stays, its own exact 90th percentile.
 */
import { randomUUID } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoOrganisation } from '../../infra/demo/demo-organisation.ts';
import type { CaseState, Stage } from '../../shared/domain/case.ts';
import type { Actor, CaseAction } from '../../shared/domain/case-lifecycle.ts';
import type { CategoryCode } from '../../shared/domain/categories.ts';
import { shanghaiDay } from '../../shared/domain/outreach/shanghai-time.ts';
import { deadlineAfter, serviceLevelFor } from '../../shared/domain/service-levels.ts';
import type { Staff } from '../../shared/domain/staff.ts';
import { TIMED_STAGES } from '../../shared/domain/unit-assessment.ts';
import { workingTimeBetween } from '../../shared/domain/working-calendar.ts';
import { CaseStateError } from '../../shared/errors.ts';
import { defaultPolicies } from '../../shared/reference/default-policies.ts';
import { getStats } from '../../shared/services/case-queries.ts';
import { routeReport } from '../../shared/services/route-report.ts';
import { sweepCases } from '../../shared/services/sweep-cases.ts';
import { applyCaseAction } from '../../shared/services/transition-case.ts';
import { type Assessment, getAssessment } from '../../shared/services/unit-assessment.ts';
import { type CaseWork, emulatedCaseWork } from '../support/case-work.ts';

const HOUR = 3_600_000;
const cal = defaultPolicies.calendar;
const START = Date.parse('2026-09-24T00:00:00.000Z');
const END = Date.parse('2026-12-05T00:00:00.000Z');
const CASES = 70;

/** mulberry32: a small seeded generator, so every run drives the same mix. */
function seeded(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return {
    chance: (p: number) => next() < p,
    pick: <T>(items: readonly T[]): T => {
      const item = items[Math.floor(next() * items.length)];
      if (item === undefined) throw new Error('nothing to pick from');
      return item;
    },
    between: (lo: number, hi: number) => lo + next() * (hi - lo),
  };
}

const rng = seeded(20261206);
let work: CaseWork;
const codes: string[] = [];
let cases: CaseState[] = [];

const supervisorStaff: Staff = { role: 'county_supervisor', userId: 'u-supervisor', name: 'S' };
const supervisor: Actor = { kind: 'staff', staff: supervisorStaff };
const handlerOf = (unitId: string): Actor => ({
  kind: 'staff',
  staff: { role: 'unit_handler', userId: `u-${unitId}`, name: 'H', unitId },
});

const categories: CategoryCode[] = [
  'road',
  'sanitation',
  'dispute',
  'fraud',
  'heritage',
  'other',
  'assistance',
];
const communities = demoOrganisation.communities.filter((c) =>
  ['chengdong', 'dongquan', 'gucheng', 'nancheng'].includes(c.townshipId),
);

/** What happens next to a case, and when: hours from now. */
function nextMove(c: CaseState): { action: CaseAction; actor: Actor; afterHours: number } | undefined {
  const owner = handlerOf(c.unitId);
  switch (c.stage) {
    case 'dispatched':
      if (c.unitId !== demoOrganisation.countyCentreUnitId && rng.chance(0.12))
        return {
          action: { action: 'return', note: '不属本单位' },
          actor: owner,
          afterHours: rng.between(0.5, 30),
        };
      if (rng.chance(0.1)) {
        const to = rng.pick(['transport', 'urban-management', 'civil-affairs', 'centre-dongquan']);
        if (to !== c.unitId)
          return {
            action: { action: 'reassign', unitId: to },
            actor: supervisor,
            afterHours: rng.between(1, 20),
          };
      }
      return { action: { action: 'accept' }, actor: owner, afterHours: rng.pick([0.5, 3, 12, 30, 60, 110]) };
    case 'in_progress':
      if (c.unitId !== demoOrganisation.countyCentreUnitId && rng.chance(0.06))
        return {
          action: { action: 'return', note: '需要其他单位' },
          actor: owner,
          afterHours: rng.between(1, 40),
        };
      return {
        action: { action: 'resolve', note: '已处理' },
        actor: owner,
        afterHours: rng.pick([4, 30, 90, 200, 320]),
      };
    case 'resolved':
      return rng.chance(0.2)
        ? {
            action: { action: 'reject_resolution', note: '核查未通过' },
            actor: supervisor,
            afterHours: rng.between(1, 30),
          }
        : { action: { action: 'verify' }, actor: supervisor, afterHours: rng.between(1, 50) };
    case 'verified':
      return { action: { action: 'close' }, actor: supervisor, afterHours: rng.between(1, 30) };
    case 'closed':
    case 'evaluated':
      if (c.returnVisit?.status === 'pending')
        return {
          action: {
            action: 'record_return_visit',
            outcome: rng.chance(0.5) ? 'satisfied' : 'unresolved',
            note: '已回访',
          },
          actor: supervisor,
          afterHours: rng.between(2, 40),
        };
      if (c.stage === 'closed' && c.timer?.kind === 'rating_window' && rng.chance(0.75))
        return {
          action: { action: 'rate', score: rng.pick([1, 2, 3, 4, 5, 5, 4]) },
          actor: { kind: 'reporter' },
          afterHours: rng.between(1, 60),
        };
      if (c.stage === 'evaluated' && rng.chance(0.1))
        return {
          action: { action: 'reopen', note: '再次反映' },
          actor: supervisor,
          afterHours: rng.between(5, 50),
        };
      return undefined;
    default:
      return undefined;
  }
}

async function currentCase(code: string): Promise<CaseState> {
  const state = await work.deps.cases.getCase(code);
  if (!state) throw new Error(`no case ${code}`);
  return state;
}

interface Planned {
  at: number;
  action: CaseAction;
  actor: Actor;
}

/** Drives the county from START to END: intake, each case's next move when its time comes, a sweep a day. */
async function simulate(): Promise<void> {
  const intakes = Array.from({ length: CASES }, () => START + rng.between(0, END - START - 12 * 24 * HOUR))
    .sort((a, b) => a - b)
    .map((at) => ({ at, category: rng.pick(categories), community: rng.pick(communities).id }));
  const planned = new Map<string, Planned>();
  const moves = new Map<string, number>();
  const plan = async (code: string, from: number) => {
    const made = moves.get(code) ?? 0;
    const move = made < 16 ? nextMove(await currentCase(code)) : undefined;
    if (move)
      planned.set(code, { at: from + move.afterHours * HOUR, action: move.action, actor: move.actor });
  };
  let nextSweep = START + 17 * HOUR; // 01:00 in Pingyao, every day
  let nextIntake = 0;
  for (;;) {
    const intake = intakes[nextIntake];
    let soonest: [string, Planned] | undefined;
    for (const entry of planned) if (!soonest || entry[1].at < soonest[1].at) soonest = entry;
    const t = Math.min(
      intake?.at ?? Number.POSITIVE_INFINITY,
      soonest?.[1].at ?? Number.POSITIVE_INFINITY,
      nextSweep,
    );
    if (t > END) return;
    work.clock.now = new Date(t);
    if (t === nextSweep) {
      nextSweep += 24 * HOUR;
      const sweep = await sweepCases(work.deps);
      expect(sweep.failed).toEqual([]);
      // A closed case nobody rated is now on the return-visit list: someone will visit.
      for (const code of sweep.flaggedUnrated) if (!planned.has(code)) await plan(code, t);
    } else if (intake && t === intake.at) {
      nextIntake++;
      const code = `AS${String(codes.length + 1).padStart(7, '0')}`;
      codes.push(code);
      await routeReport(
        {
          kind: 'report.submitted',
          trackingCode: code,
          submissionId: randomUUID(),
          submittedAt: work.clock.now.toISOString(),
          channel: 'web',
          report: { category: intake.category, communityId: intake.community, description: '请尽快处理' },
        },
        work.deps,
      );
      await plan(code, t);
    } else if (soonest) {
      const [code, move] = soonest;
      planned.delete(code);
      const state = await currentCase(code);
      try {
        await applyCaseAction(state, move.action, state.version, move.actor, work.deps);
        moves.set(code, (moves.get(code) ?? 0) + 1);
      } catch (error) {
        // The sweeper may have moved it meanwhile (a rating window); choose again.
        if (!(error instanceof CaseStateError)) throw error;
      }
      await plan(code, t);
    }
  }
}

beforeAll(async () => {
  work = await emulatedCaseWork();
  await simulate();
  // Days up to three days back are settled, so October and November are month items by now.
  work.clock.now = new Date(END + 24 * HOUR);
  expect((await sweepCases(work.deps)).failed).toEqual([]);
  cases = await Promise.all(codes.map(currentCase));
}, 600_000);

afterAll(async () => {
  await work?.stop();
});

// ─── the brute-force recount, from the timelines alone ─────────────────────────────────────────

interface Recount {
  counts: Record<string, number>;
  stays: Record<string, number[]>;
  ratings: number[];
}
const emptyRecount = (): Recount => ({ counts: {}, stays: {}, ratings: [] });

/** Each row's measures over the days `from`..`to`, recounted from every case's history. */
function recount(level: 'unit' | 'township', from: string, to: string): Map<string, Recount> {
  const rows = new Map<string, Recount>();
  const row = (c: CaseState, unitId: string) => {
    const id = level === 'unit' ? unitId : (c.townshipId ?? '');
    const r = rows.get(id) ?? emptyRecount();
    rows.set(id, r);
    return r;
  };
  for (const c of cases) {
    const level_ = serviceLevelFor(c.category, defaultPolicies.serviceLevels);
    let unit = c.timeline.find((e) => e.unitId)?.unitId ?? c.unitId;
    let stage: Stage = 'received';
    let stayStart = c.submittedAt;
    let arrival = c.submittedAt;
    for (const event of c.timeline.slice(1)) {
      const day = shanghaiDay(event.at);
      const inRange = day >= from && day <= to;
      const next = event.unitId ?? unit;
      const at = Date.parse(event.at);
      const count = (unitId: string, measure: string, by = 1) => {
        if (!inRange) return;
        const r = row(c, unitId);
        r.counts[measure] = (r.counts[measure] ?? 0) + by;
      };
      const deadline = (kind: 'accept' | 'resolve') =>
        deadlineAfter(new Date(arrival), kind === 'accept' ? level_.accept : level_.resolve, cal).getTime();
      switch (event.action) {
        case 'dispatch':
        case 'return':
        case 'reassign':
          count(next, 'received');
          if (event.action === 'return') count(unit, 'returned');
          if (event.action === 'reassign') count(unit, 'reassignedAway');
          break;
        case 'reopen':
          count(next, 'reopened');
          break;
        case 'record_return_visit':
          if (event.stage === 'dispatched') {
            count(next, 'reopened');
            count(unit, 'visitsUnresolved');
          } else count(unit, 'visitsSatisfied');
          break;
        case 'accept':
          count(unit, 'accepted');
          if (at <= deadline('accept')) count(unit, 'acceptedOnTime');
          break;
        case 'resolve':
          count(unit, 'resolved');
          if (at <= deadline('resolve')) count(unit, 'resolvedOnTime');
          break;
        case 'escalate':
          count(unit, stage === 'dispatched' ? 'escalatedAccept' : 'escalatedResolve');
          break;
        case 'verify':
          count(unit, 'verified');
          break;
        case 'reject_resolution':
          count(unit, 'verificationFailed');
          break;
        case 'rate':
          if (inRange && event.score !== undefined) row(c, next).ratings.push(event.score);
          break;
      }
      // The case reached a unit anew: the SLA clocks run from here.
      if (event.stage === 'dispatched' && event.action !== 'escalate' && event.action !== 'link_duplicate')
        arrival = event.at;
      if (event.stage !== stage || next !== unit) {
        if (inRange && (TIMED_STAGES as readonly Stage[]).includes(stage)) {
          const r = row(c, unit);
          const key = stage;
          r.stays[key] = [
            ...(r.stays[key] ?? []),
            workingTimeBetween(new Date(stayStart), new Date(event.at), cal) / HOUR,
          ];
        }
        stayStart = event.at;
      }
      stage = event.stage;
      unit = next;
    }
  }
  return rows;
}

/** The exact nearest-rank 90th percentile of a list. */
const p90 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.ceil(0.9 * values.length) - 1] ?? 0;

function expectRowsToMatch(assessment: Assessment, expected: Map<string, Recount>) {
  let compared = 0;
  for (const row of assessment.rows) {
    const r = expected.get(row.id) ?? emptyRecount();
    const n = (measure: string) => r.counts[measure] ?? 0;
    expect({ id: row.id, figures: row }).toMatchObject({
      id: row.id,
      figures: {
        received: n('received'),
        reopened: n('reopened'),
        accepted: n('accepted'),
        acceptedOnTime: n('acceptedOnTime'),
        // Every acceptance and resolution here carries the deadline it answered.
        acceptedOnTimeRate: n('accepted') ? n('acceptedOnTime') / n('accepted') : null,
        resolvedOnTimeRate: n('resolved') ? n('resolvedOnTime') / n('resolved') : null,
        resolved: n('resolved'),
        resolvedOnTime: n('resolvedOnTime'),
        returned: n('returned'),
        reassignedAway: n('reassignedAway'),
        escalatedAcceptOverdue: n('escalatedAccept'),
        escalatedResolveOverdue: n('escalatedResolve'),
        verified: n('verified'),
        verificationFailures: n('verificationFailed'),
        satisfaction: {
          ratings: r.ratings.length,
          satisfiedShare: r.ratings.length ? r.ratings.filter((s) => s >= 4).length / r.ratings.length : null,
          returnVisits: { satisfied: n('visitsSatisfied'), unresolved: n('visitsUnresolved') },
        },
      },
    });
    if (r.ratings.length)
      expect(row.satisfaction.mean).toBeCloseTo(r.ratings.reduce((a, b) => a + b, 0) / r.ratings.length, 9);
    for (const stage of TIMED_STAGES) {
      const stays = r.stays[stage] ?? [];
      const figures = row.stages[stage];
      expect(figures.stays).toBe(stays.length);
      if (stays.length === 0) continue;
      expect(figures.meanWorkingHours).toBeCloseTo(stays.reduce((a, b) => a + b, 0) / stays.length, 6);
      // The histogram's bucket holds the exact percentile.
      const exact = p90(stays);
      const bucket = figures.p90Bucket;
      expect(bucket).not.toBeNull();
      if (bucket) {
        expect(exact).toBeLessThanOrEqual(bucket.toHours ?? Number.POSITIVE_INFINITY);
        if (bucket.fromHours > 0) expect(exact).toBeGreaterThan(bucket.fromHours);
      }
    }
    compared += row.received;
  }
  return compared;
}

const read = (query: Record<string, string>) =>
  getAssessment(supervisorStaff, query, { ...work.deps, now: () => work.clock.now });

describe('the assessment against a recount from the cases’ histories', () => {
  it('drove a mix worth checking', () => {
    expect(cases).toHaveLength(CASES);
    const actions = new Set(cases.flatMap((c) => c.timeline.map((e) => e.action)));
    for (const action of [
      'accept',
      'return',
      'reassign',
      'escalate',
      'reject_resolution',
      'rate',
      'reopen',
      'record_return_visit',
      'verify',
    ])
      expect(actions).toContain(action);
  });

  it('answers every unit’s figures over ten weeks across month boundaries exactly', async () => {
    const assessment = await read({ from: '2026-09-25', to: '2026-12-04' });
    expect(assessment.range.months).toEqual(['2026-09', '2026-10', '2026-11', '2026-12']);
    const expected = recount('unit', '2026-09-25', '2026-12-04');
    const on = [...expected.values()].filter(
      (r) => (r.counts.acceptedOnTime ?? 0) < (r.counts.accepted ?? 0),
    );
    expect(on.length).toBeGreaterThan(0); // some acceptances were late
    expect(expectRowsToMatch(assessment, expected)).toBeGreaterThan(CASES / 2);
    // The trend's months add up to the rows.
    for (const series of assessment.trend) {
      const row = assessment.rows.find((r) => r.id === series.id);
      expect(series.points.reduce((n, p) => n + p.received, 0)).toBe(row?.received);
    }
  });

  it('reads settled months from their month items', async () => {
    const months = await Promise.all(
      ['transport', 'urban-management', 'centre-chengdong'].map((unitId) =>
        work.db.send(
          new GetCommand({
            TableName: work.tables.stats ?? '',
            Key: { pk: `COUNTS#${unitId}`, sk: 'MONTH#2026-10' },
          }),
        ),
      ),
    );
    expect(months.filter((m) => m.Item).length).toBeGreaterThan(0);
  });

  it('answers one month, and the township rows, exactly', async () => {
    const november = await read({ from: '2026-11-01', to: '2026-11-30' });
    expectRowsToMatch(november, recount('unit', '2026-11-01', '2026-11-30'));
    const townships = await read({ from: '2026-10-08', to: '2026-11-20', level: 'township' });
    expect(expectRowsToMatch(townships, recount('township', '2026-10-08', '2026-11-20'))).toBeGreaterThan(0);
  });

  it('answers GET /api/stats over a range with the cases that came into each stage, by category', async () => {
    const stats = await getStats(
      supervisorStaff,
      { ...work.deps, now: () => work.clock.now },
      {
        from: '2026-10-01',
        to: '2026-10-31',
      },
    );
    const entered: Record<string, Record<string, number>> = {};
    for (const c of cases) {
      let stage: Stage = 'received';
      for (const event of c.timeline.slice(1)) {
        const day = shanghaiDay(event.at);
        // A registration and a dispatch in the same instant are one change into `dispatched`.
        const routedAtOnce = event.stage === 'registered';
        if (event.stage !== stage && !routedAtOnce && day >= '2026-10-01' && day <= '2026-10-31') {
          const byStage = entered[c.category] ?? {};
          byStage[event.stage] = (byStage[event.stage] ?? 0) + 1;
          entered[c.category] = byStage;
        }
        stage = event.stage;
      }
    }
    expect(stats.range).toEqual({ from: '2026-10-01', to: '2026-10-31' });
    expect(stats.byCategory).toEqual(entered);
    expect(stats.timeInStage?.in_progress?.meanWorkingDays).toBeGreaterThan(0);
  });
});
