/**
 * The unit assessment (考核评价): what each stage change adds to the counters the county assesses
 * its units and townships by, and how summed counters fold back into their figures, a composite
 * score and a ranking. Pure, like case-statistics.ts, whose day and month buckets carry these
 * counters beside the stage counts.
 *
 * Definitions. Each measure counts transitions of the lifecycle (case-lifecycle.ts) on the
 * Asia/Shanghai day they happened; a row is a unit (`unit` level) or a township (`township`
 * level: the changes of cases reported in that township's communities, whichever unit held them).
 * - received: the case reached the unit to be handled — the router's dispatch, a return to it (a
 *   township centre, or the county centre), a reassignment to it. Counted for the receiving unit.
 * - reopened: a done case (closed or evaluated) sent back to its unit: `reopen`, or a return visit
 *   that found it unresolved. Counted for that unit; not also counted as received.
 * - accepted / accepted on time: `accept`, and of those the ones at or before the accept deadline
 *   the case carried (the timer, or the deadline already escalated; recorded on the event as
 *   `due`). The rate's denominator is acceptances with a recorded deadline.
 * - resolved / resolved on time: `resolve`, each resolution (a rejected one and its redo count
 *   twice), against the resolve deadline, which runs from the case's arrival at the unit.
 * - returned: `return` by the unit (not its own). reassigned away: `reassign` taking a case
 *   from the unit. Both counted for the unit that lost the case.
 * - escalated: the sweeper's `escalate` of the unit's case, split into accept- and
 *   resolve-overdue (the case waited in `dispatched` or in `in_progress`).
 * - verification failures: `reject_resolution` of the unit's resolution; verified: `verify`.
 * - working time per stage: each stay of a case in one stage at one unit, from entering the stage
 *   at that unit to the change that ended the stay (a new stage or a new unit), in working time
 *   on the county's calendar (office hours on working days, 调休 included); counted for the unit
 *   on the day the stay ended. Stages timed: dispatched (waiting for acceptance), in_progress
 *   (handling), resolved (awaiting verification), verified (awaiting closing), closed (awaiting
 *   the rating). Mean from the summed milliseconds; 90th percentile from a histogram of working
 *   hours (WORKING_HOUR_BOUNDS): its nearest-rank bucket is exact, the value inside it is
 *   interpolated, so the figure is off by at most that bucket's width (at most ⅓ of its upper
 *   bound from 2 h up, ½ below; beyond 360 h only "more than 360 h" is known).
 * - satisfaction: the reporters' ratings of the unit's closed cases (count, mean 1–5, share
 *   satisfied = score 4 or 5, unsatisfied = 1 or 2), and the return visits to its cases (the
 *   resident satisfied, or the case unresolved and reopened).
 */
import type { Stage } from './case.ts';
import type { CounterDeltas, StatsChange } from './case-statistics.ts';

/** The counted measures; each is a counter per unit and per township. */
export const AssessmentCount = [
  'received',
  'reopened',
  'accepted',
  'acceptedTimed',
  'acceptedOnTime',
  'resolved',
  'resolvedTimed',
  'resolvedOnTime',
  'returned',
  'reassignedAway',
  'escalatedAccept',
  'escalatedResolve',
  'verified',
  'verificationFailed',
  'ratings',
  'ratingSum',
  'satisfied',
  'unsatisfied',
  'visitsSatisfied',
  'visitsUnresolved',
] as const;
export type AssessmentCount = (typeof AssessmentCount)[number];

/** Stages whose stays are timed per unit. */
export const TIMED_STAGES = ['dispatched', 'in_progress', 'resolved', 'verified', 'closed'] as const;
export type TimedStage = (typeof TIMED_STAGES)[number];
const isTimed = (stage: Stage): stage is TimedStage => (TIMED_STAGES as readonly Stage[]).includes(stage);

/**
 * Upper bounds (working hours, inclusive) of the stay histogram's buckets; a last bucket takes
 * everything longer. A working day is 9 h on the default calendar, so the bounds run from a
 * quarter of an hour to 40 working days, about ⅓ apart from 2 h up (one overflow bucket beyond).
 */
export const WORKING_HOUR_BOUNDS = [
  0.25, 0.5, 1, 2, 3, 4.5, 6.75, 9, 13.5, 18, 27, 36, 45, 67.5, 90, 135, 180, 270, 360,
] as const;

const MS_PER_HOUR = 3_600_000;

/** The histogram bucket of a stay: the first whose bound it does not exceed. */
export function hourBucketOf(workingMs: number): number {
  const hours = workingMs / MS_PER_HOUR;
  const i = WORKING_HOUR_BOUNDS.findIndex((bound) => hours <= bound);
  return i === -1 ? WORKING_HOUR_BOUNDS.length : i;
}

export type AssessmentLevel = 'unit' | 'township';

/** Counter names: `au|<unit>|<measure>` and `at|<township>|<measure>`; stays `…|wt:<stage>` etc. */
const prefix = (level: AssessmentLevel, id: string) => `${level === 'unit' ? 'au' : 'at'}|${id}|`;
export const assessmentCounter = {
  count: (level: AssessmentLevel, id: string, measure: AssessmentCount) => `${prefix(level, id)}${measure}`,
  stayMs: (level: AssessmentLevel, id: string, stage: TimedStage) => `${prefix(level, id)}wt:${stage}`,
  stays: (level: AssessmentLevel, id: string, stage: TimedStage) => `${prefix(level, id)}wn:${stage}`,
  stayBucket: (level: AssessmentLevel, id: string, stage: TimedStage, bucket: number) =>
    `${prefix(level, id)}wh:${stage}:${bucket}`,
};

/** The measures a change counts, each for the unit named (see the definitions above). */
function measuresOf(change: StatsChange): Array<[unitId: string, measure: AssessmentCount, value: number]> {
  const { action, from, to } = change;
  const out: Array<[string, AssessmentCount, number]> = [];
  const count = (unitId: string, measure: AssessmentCount, value = 1) => {
    out.push([unitId, measure, value]);
  };
  switch (action) {
    case 'dispatch':
    case 'return':
    case 'reassign':
      count(to.unitId, 'received');
      if (action === 'return') count(from.unitId, 'returned');
      if (action === 'reassign') count(from.unitId, 'reassignedAway');
      break;
    case 'reopen':
      count(to.unitId, 'reopened');
      break;
    case 'record_return_visit':
      if (to.stage === 'dispatched') {
        count(from.unitId, 'visitsUnresolved');
        count(to.unitId, 'reopened');
      } else count(from.unitId, 'visitsSatisfied');
      break;
    case 'accept':
    case 'resolve': {
      const accept = action === 'accept';
      count(from.unitId, accept ? 'accepted' : 'resolved');
      if (change.due === undefined) break;
      count(from.unitId, accept ? 'acceptedTimed' : 'resolvedTimed');
      // At the deadline instant itself it is still on time (service-levels.ts, isOverdue).
      if (Date.parse(change.at) <= Date.parse(change.due))
        count(from.unitId, accept ? 'acceptedOnTime' : 'resolvedOnTime');
      break;
    }
    case 'escalate':
      count(from.unitId, from.stage === 'dispatched' ? 'escalatedAccept' : 'escalatedResolve');
      break;
    case 'verify':
      count(from.unitId, 'verified');
      break;
    case 'reject_resolution':
      count(from.unitId, 'verificationFailed');
      break;
    case 'rate': {
      const score = change.rating;
      if (score === undefined) break;
      count(to.unitId, 'ratings');
      count(to.unitId, 'ratingSum', score);
      if (score >= 4) count(to.unitId, 'satisfied');
      if (score <= 2) count(to.unitId, 'unsatisfied');
      break;
    }
  }
  return out;
}

/**
 * What a change adds to the assessment counters, for each unit concerned and for the case's
 * township. Nothing for a change recorded before changes carried their action.
 */
export function assessmentDeltas(change: StatsChange): CounterDeltas {
  const deltas: CounterDeltas = {};
  if (change.action === undefined) return deltas;
  const add = (name: string, value: number) => {
    deltas[name] = (deltas[name] ?? 0) + value;
  };
  const rows = (unitId: string): Array<[AssessmentLevel, string]> => [
    ['unit', unitId],
    ...(change.townshipId ? [['township', change.townshipId] as [AssessmentLevel, string]] : []),
  ];
  for (const [unitId, measure, value] of measuresOf(change)) {
    for (const [level, id] of rows(unitId)) add(assessmentCounter.count(level, id, measure), value);
  }
  const { from, to } = change;
  const stayEnded = from.stage !== to.stage || from.unitId !== to.unitId;
  if (stayEnded && isTimed(from.stage) && change.workingMs !== undefined) {
    const bucket = hourBucketOf(change.workingMs);
    for (const [level, id] of rows(from.unitId)) {
      add(assessmentCounter.stayMs(level, id, from.stage), change.workingMs);
      add(assessmentCounter.stays(level, id, from.stage), 1);
      add(assessmentCounter.stayBucket(level, id, from.stage, bucket), 1);
    }
  }
  return deltas;
}

// ─── figures ────────────────────────────────────────────────────────────────────────────────

export interface StayFigures {
  stays: number;
  meanWorkingHours: number | null;
  meanWorkingDays: number | null;
  /** Nearest-rank 90th percentile, interpolated inside its histogram bucket. */
  p90WorkingHours: number | null;
  p90WorkingDays: number | null;
  /** The bucket the 90th percentile lies in, exactly: (fromHours, toHours]; toHours null above the last bound. */
  p90Bucket: { fromHours: number; toHours: number | null } | null;
}

export interface AssessmentFigures {
  received: number;
  reopened: number;
  accepted: number;
  acceptedOnTime: number;
  /** acceptedOnTime ÷ acceptances with a recorded deadline. */
  acceptedOnTimeRate: number | null;
  resolved: number;
  resolvedOnTime: number;
  resolvedOnTimeRate: number | null;
  returned: number;
  reassignedAway: number;
  escalated: number;
  escalatedAcceptOverdue: number;
  escalatedResolveOverdue: number;
  verified: number;
  verificationFailures: number;
  /** verificationFailures ÷ (verified + verificationFailures). */
  verificationFailureRate: number | null;
  stages: Record<TimedStage, StayFigures>;
  satisfaction: {
    ratings: number;
    mean: number | null;
    /** Ratings of 4 or 5 ÷ ratings. */
    satisfiedShare: number | null;
    unsatisfied: number;
    returnVisits: { satisfied: number; unresolved: number };
  };
}

const ratio = (a: number, b: number): number | null => (b > 0 ? a / b : null);

/** The nearest-rank 90th percentile of a histogram, in working hours. */
export function p90OfHistogram(
  buckets: readonly number[],
): Pick<StayFigures, 'p90WorkingHours' | 'p90Bucket'> {
  const n = buckets.reduce((a, b) => a + b, 0);
  if (n === 0) return { p90WorkingHours: null, p90Bucket: null };
  const rank = Math.ceil(0.9 * n);
  let below = 0;
  for (let i = 0; i < buckets.length; i++) {
    const inBucket = buckets[i] ?? 0;
    if (below + inBucket >= rank) {
      const fromHours = i === 0 ? 0 : (WORKING_HOUR_BOUNDS[i - 1] ?? 0);
      const toHours = WORKING_HOUR_BOUNDS[i] ?? null;
      // Spread evenly over the bucket: the rank-th stay sits this far into it.
      const value =
        toHours === null ? fromHours : fromHours + ((rank - below) / inBucket) * (toHours - fromHours);
      return { p90WorkingHours: value, p90Bucket: { fromHours, toHours } };
    }
    below += inBucket;
  }
  return { p90WorkingHours: null, p90Bucket: null };
}

/** A row's figures from summed counters; `hoursPerWorkingDay` from the calendar in force. */
export function assessmentOf(
  counters: Readonly<CounterDeltas>,
  level: AssessmentLevel,
  id: string,
  hoursPerWorkingDay: number,
): AssessmentFigures {
  const get = (measure: AssessmentCount) => counters[assessmentCounter.count(level, id, measure)] ?? 0;
  const stages = {} as Record<TimedStage, StayFigures>;
  for (const stage of TIMED_STAGES) {
    const stays = counters[assessmentCounter.stays(level, id, stage)] ?? 0;
    const ms = counters[assessmentCounter.stayMs(level, id, stage)] ?? 0;
    const buckets = Array.from(
      { length: WORKING_HOUR_BOUNDS.length + 1 },
      (_, i) => counters[assessmentCounter.stayBucket(level, id, stage, i)] ?? 0,
    );
    const mean = stays > 0 ? ms / stays / MS_PER_HOUR : null;
    const p90 = p90OfHistogram(buckets);
    stages[stage] = {
      stays,
      meanWorkingHours: mean,
      meanWorkingDays: mean === null ? null : mean / hoursPerWorkingDay,
      p90WorkingHours: p90.p90WorkingHours,
      p90WorkingDays: p90.p90WorkingHours === null ? null : p90.p90WorkingHours / hoursPerWorkingDay,
      p90Bucket: p90.p90Bucket,
    };
  }
  const ratings = get('ratings');
  const escalatedAccept = get('escalatedAccept');
  const escalatedResolve = get('escalatedResolve');
  return {
    received: get('received'),
    reopened: get('reopened'),
    accepted: get('accepted'),
    acceptedOnTime: get('acceptedOnTime'),
    acceptedOnTimeRate: ratio(get('acceptedOnTime'), get('acceptedTimed')),
    resolved: get('resolved'),
    resolvedOnTime: get('resolvedOnTime'),
    resolvedOnTimeRate: ratio(get('resolvedOnTime'), get('resolvedTimed')),
    returned: get('returned'),
    reassignedAway: get('reassignedAway'),
    escalated: escalatedAccept + escalatedResolve,
    escalatedAcceptOverdue: escalatedAccept,
    escalatedResolveOverdue: escalatedResolve,
    verified: get('verified'),
    verificationFailures: get('verificationFailed'),
    verificationFailureRate: ratio(get('verificationFailed'), get('verified') + get('verificationFailed')),
    stages,
    satisfaction: {
      ratings,
      mean: ratio(get('ratingSum'), ratings),
      satisfiedShare: ratio(get('satisfied'), ratings),
      unsatisfied: get('unsatisfied'),
      returnVisits: { satisfied: get('visitsSatisfied'), unresolved: get('visitsUnresolved') },
    },
  };
}

// ─── score and ranking ──────────────────────────────────────────────────────────────────────

/**
 * The composite score, 0–100: a weighted mean of the parts a row has data for (a part without
 * data leaves the weights of the others to share its place), null when it has none.
 * - acceptance on time, weight 20: acceptedOnTimeRate;
 * - resolution on time, weight 30: resolvedOnTimeRate;
 * - satisfaction, weight 30: the mean rating mapped 1 → 0, 5 → 1;
 * - verification, weight 10: 1 − verificationFailureRate;
 * - no escalations, weight 10: 1 − escalated ÷ (received + reopened), floored at 0.
 */
export const SCORE_WEIGHTS = {
  acceptedOnTime: 20,
  resolvedOnTime: 30,
  satisfaction: 30,
  verification: 10,
  escalations: 10,
} as const;

export function scoreOf(f: AssessmentFigures): number | null {
  const arrivals = f.received + f.reopened;
  const parts: Array<[weight: number, value: number | null]> = [
    [SCORE_WEIGHTS.acceptedOnTime, f.acceptedOnTimeRate],
    [SCORE_WEIGHTS.resolvedOnTime, f.resolvedOnTimeRate],
    [SCORE_WEIGHTS.satisfaction, f.satisfaction.mean === null ? null : (f.satisfaction.mean - 1) / 4],
    [SCORE_WEIGHTS.verification, f.verificationFailureRate === null ? null : 1 - f.verificationFailureRate],
    [SCORE_WEIGHTS.escalations, arrivals > 0 ? Math.max(0, 1 - f.escalated / arrivals) : null],
  ];
  let weights = 0;
  let sum = 0;
  for (const [weight, value] of parts) {
    if (value === null) continue;
    weights += weight;
    sum += weight * value;
  }
  return weights > 0 ? Math.round((sum / weights) * 1000) / 10 : null;
}

/**
 * Rank numbers by score, highest first (1 = best); equal scores share a rank (1, 2, 2, 4); rows
 * without a score are not ranked.
 */
export function rankByScore(rows: ReadonlyArray<{ id: string; score: number | null }>): Map<string, number> {
  const scored = rows.filter((r): r is { id: string; score: number } => r.score !== null);
  scored.sort((a, b) => b.score - a.score || a.id.localeCompare(b.id));
  const ranks = new Map<string, number>();
  scored.forEach((row, i) => {
    const previous = scored[i - 1];
    ranks.set(row.id, previous && previous.score === row.score ? (ranks.get(previous.id) ?? i + 1) : i + 1);
  });
  return ranks;
}

// ─── columns ────────────────────────────────────────────────────────────────────────────────

/**
 * The measures a row is sorted by (`sort=`), in the CSV's order after id and name. Spelt out
 * rather than built from TIMED_STAGES: the staff console imports this module into the browser,
 * where flatMap (ES2019) is younger than the browsers served.
 */
export const ASSESSMENT_COLUMNS = [
  'rank',
  'score',
  'received',
  'reopened',
  'accepted',
  'acceptedOnTime',
  'acceptedOnTimeRate',
  'resolved',
  'resolvedOnTime',
  'resolvedOnTimeRate',
  'returned',
  'reassignedAway',
  'escalated',
  'verificationFailures',
  'verificationFailureRate',
  'ratings',
  'satisfactionMean',
  'satisfiedShare',
  'returnVisitsSatisfied',
  'returnVisitsUnresolved',
  'dispatchedMeanWorkingHours',
  'dispatchedP90WorkingHours',
  'in_progressMeanWorkingHours',
  'in_progressP90WorkingHours',
  'resolvedMeanWorkingHours',
  'resolvedP90WorkingHours',
  'verifiedMeanWorkingHours',
  'verifiedP90WorkingHours',
  'closedMeanWorkingHours',
  'closedP90WorkingHours',
] as const satisfies ReadonlyArray<
  | keyof AssessmentFigures
  | 'rank'
  | 'score'
  | 'ratings'
  | 'satisfactionMean'
  | 'satisfiedShare'
  | 'returnVisitsSatisfied'
  | 'returnVisitsUnresolved'
  | `${TimedStage}${'Mean' | 'P90'}WorkingHours`
>;
export type AssessmentColumn = (typeof ASSESSMENT_COLUMNS)[number];

/** A row's figures with its score and rank. */
export interface ScoredFigures extends AssessmentFigures {
  /** 1 = best score; equal scores share a rank; null without a score. */
  rank: number | null;
  score: number | null;
}

/** A row's value in a column (what the rows sort by, the CSV and the console show). */
export function columnValue(row: ScoredFigures, key: AssessmentColumn): number | null {
  switch (key) {
    case 'rank':
      return row.rank;
    case 'score':
      return row.score;
    case 'satisfactionMean':
      return row.satisfaction.mean;
    case 'satisfiedShare':
      return row.satisfaction.satisfiedShare;
    case 'ratings':
      return row.satisfaction.ratings;
    case 'returnVisitsSatisfied':
      return row.satisfaction.returnVisits.satisfied;
    case 'returnVisitsUnresolved':
      return row.satisfaction.returnVisits.unresolved;
    case 'received':
    case 'reopened':
    case 'accepted':
    case 'acceptedOnTime':
    case 'acceptedOnTimeRate':
    case 'resolved':
    case 'resolvedOnTime':
    case 'resolvedOnTimeRate':
    case 'returned':
    case 'reassignedAway':
    case 'escalated':
    case 'verificationFailures':
    case 'verificationFailureRate':
      return row[key];
  }
  for (const stage of TIMED_STAGES) {
    if (key === `${stage}MeanWorkingHours`) return row.stages[stage].meanWorkingHours;
    if (key === `${stage}P90WorkingHours`) return row.stages[stage].p90WorkingHours;
  }
  return null;
}
