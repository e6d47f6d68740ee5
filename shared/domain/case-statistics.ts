/**
 * The statistics as counters: what one stage change adds to the county's figures, and how a set
 * of counters folds back into the figures the console shows. Every change becomes a handful of
 * named numeric deltas (never a member of a growing set), so the counters can be bucketed by
 * day and unit, summed over any range, and rebuilt from the cases' own timelines. Pure: the
 * store decides where the deltas are written and how a replay is recognised.
 */
import { type CaseState, Stage } from './case.ts';
import type { Effect } from './case-lifecycle.ts';
import { CategoryCode } from './categories.ts';
import { channelCounter } from './channel-statistics.ts';
import { shanghaiDay } from './outreach/shanghai-time.ts';
import type { Channel } from './report.ts';
import { assessmentDeltas } from './unit-assessment.ts';
import { type WorkingCalendar, workingTimeBetween } from './working-calendar.ts';

/** One stage change as the statistics see it: the stats effect, with the case it belongs to. */
export type StatsChange = Extract<Effect, { kind: 'stats' }> & {
  trackingCode: string;
  /** The case version the change produced; with the code it names the change for replays. */
  version: number;
  communityId: string;
  category: CategoryCode;
  /**
   * How the case came in: counted once, with the change that takes it out of `received` (see
   * channel-statistics.ts). Absent only from changes recorded before channels were counted.
   */
  channel?: Channel;
};

export type CounterDeltas = Record<string, number>;

/**
 * Counter names. `unit` and `community` are the cases currently in a stage there (entries minus
 * exits, so a sum over all time); `stageMs`/`stageVisits` are the summed and counted ended stage
 * visits; `ratingSum`/`ratings` the reporters' scores per unit; `escalations` the SLA escalations
 * per unit. Ids contain hyphens only, so `|` separates safely.
 */
export const counterName = {
  unit: (unitId: string, stage: Stage) => `u|${unitId}|${stage}`,
  community: (communityId: string, stage: Stage) => `c|${communityId}|${stage}`,
  stageMs: (stage: Stage) => `ms|${stage}`,
  stageVisits: (stage: Stage) => `n|${stage}`,
  ratingSum: (unitId: string) => `rs|${unitId}`,
  ratings: (unitId: string) => `rn|${unitId}`,
  escalations: (unitId: string) => `esc|${unitId}`,
  /** New fraud reports per community, for the outreach risk ranking. */
  fraudReports: (communityId: string) => `fr|${communityId}`,
  /** Cases in a stage per category, like `community` (entries minus exits). */
  category: (category: CategoryCode, stage: Stage) => `k|${category}|${stage}`,
  /**
   * Entries only, for figures over a date range (where entries minus exits would be a net flow):
   * cases that came into a stage at a unit, in a community, of a category.
   */
  unitEntries: (unitId: string, stage: Stage) => `eu|${unitId}|${stage}`,
  communityEntries: (communityId: string, stage: Stage) => `ec|${communityId}|${stage}`,
  categoryEntries: (category: CategoryCode, stage: Stage) => `ek|${category}|${stage}`,
} as const;

/**
 * The bucket new fraud reports are counted in (with everything else their creation changes),
 * on the day the resident submitted them: the outreach risk ranking reads this one bucket's days
 * for every community at once, and counting it there costs the report no extra write.
 */
export const FRAUD_INTAKE_BUCKET = '~fraud-intake';

/** Where a change is counted and what it adds there. */
export interface StatsBucketChange {
  /** The unit the case moved to, or the fraud-intake bucket. */
  bucketId: string;
  /** Asia/Shanghai day, YYYY-MM-DD. */
  day: string;
  deltas: CounterDeltas;
}

/** A change goes to the day bucket of the unit it moved to; a new fraud report to the fraud-intake bucket. */
export function statsBucketOf(change: StatsChange): StatsBucketChange {
  const deltas = statsDeltas(change);
  if (change.from.stage === 'received' && change.category === 'fraud') {
    deltas[counterName.fraudReports(change.communityId)] = 1;
    return { bucketId: FRAUD_INTAKE_BUCKET, day: shanghaiDay(change.from.since), deltas };
  }
  return { bucketId: change.to.unitId, day: shanghaiDay(change.at), deltas };
}

/**
 * Days this old are folded into each unit's balance: by then no automatic retry can still add to
 * them (an outbox entry is parked after about three hours), so only a person's re-run is late.
 */
export const SETTLE_AFTER_DAYS = 3;

/** The last day (Asia/Shanghai) that may be settled at `now`. */
export const settledThrough = (now: Date): string =>
  new Date(now.getTime() + 8 * 3_600_000 - SETTLE_AFTER_DAYS * 86_400_000).toISOString().slice(0, 10);

/** The identity of a change: a replay of the same effect carries the same one. */
export const statsEventId = (change: Pick<StatsChange, 'trackingCode' | 'version'>): string =>
  `${change.trackingCode}#${change.version}`;

/** What a change adds to the counters. A case enters `received` uncounted, so leaving it subtracts nothing. */
export function statsDeltas(change: StatsChange): CounterDeltas {
  const deltas: CounterDeltas = {};
  const add = (name: string, value: number) => {
    if (value !== 0) deltas[name] = (deltas[name] ?? 0) + value;
  };
  const { from, to, communityId, category } = change;
  const counted = from.stage !== 'received';
  // A recategorised case leaves its old category's count and joins the new one's.
  const previous = change.fromCategory ?? category;
  if (from.stage === to.stage && previous !== category && counted) {
    add(counterName.category(previous, from.stage), -1);
    add(counterName.category(category, to.stage), 1);
  }
  if (from.stage !== to.stage || from.unitId !== to.unitId) {
    if (counted) add(counterName.unit(from.unitId, from.stage), -1);
    add(counterName.unit(to.unitId, to.stage), 1);
    add(counterName.unitEntries(to.unitId, to.stage), 1);
  }
  if (from.stage !== to.stage) {
    if (counted) add(counterName.community(communityId, from.stage), -1);
    add(counterName.community(communityId, to.stage), 1);
    if (counted) add(counterName.category(previous, from.stage), -1);
    add(counterName.category(category, to.stage), 1);
    add(counterName.communityEntries(communityId, to.stage), 1);
    add(counterName.categoryEntries(category, to.stage), 1);
    add(counterName.stageMs(from.stage), Math.max(0, Date.parse(change.at) - Date.parse(from.since)));
    add(counterName.stageVisits(from.stage), 1);
  }
  if (change.rating !== undefined) {
    add(counterName.ratingSum(to.unitId), change.rating);
    add(counterName.ratings(to.unitId), 1);
  }
  if (change.escalated) add(counterName.escalations(to.unitId), 1);
  // Every case leaves `received` exactly once (registered, dispatched at once, or merged): its intake.
  if (!counted && change.channel) add(channelCounter.intake(change.channel, communityId), 1);
  for (const [name, value] of Object.entries(assessmentDeltas(change))) add(name, value);
  return deltas;
}

/** Adds `b` into `a` (in place) and returns it. */
export function addCounters(a: CounterDeltas, b: Readonly<CounterDeltas>): CounterDeltas {
  for (const [name, value] of Object.entries(b)) a[name] = (a[name] ?? 0) + value;
  return a;
}

export interface StatsSnapshot {
  byStage: Partial<Record<Stage, number>>;
  byUnit: Record<string, Partial<Record<Stage, number>>>;
  byCommunity: Record<string, Partial<Record<Stage, number>>>;
  byCategory: Partial<Record<CategoryCode, Partial<Record<Stage, number>>>>;
  /** Cases ever escalated as overdue, per unit. */
  overdueByUnit: Record<string, number>;
  /** Mean milliseconds spent in each stage, over stage visits that have ended. */
  meanMsInStage: Partial<Record<Stage, number>>;
  /**
   * Mean working milliseconds (the county's calendar) of the stays that ended in each timed stage,
   * over all units (see unit-assessment.ts); changes recorded before working time was kept are
   * not in it.
   */
  meanWorkingMsInStage: Partial<Record<Stage, number>>;
  satisfaction: {
    ratings: number;
    mean: number | null;
    byUnit: Record<string, { ratings: number; mean: number }>;
  };
}

/** The console's figures from the summed counters of every bucket. */
export function snapshotOf(counters: Readonly<CounterDeltas>): StatsSnapshot {
  const snapshot: StatsSnapshot = {
    byStage: {},
    byUnit: {},
    byCommunity: {},
    byCategory: {},
    overdueByUnit: {},
    meanMsInStage: {},
    meanWorkingMsInStage: {},
    satisfaction: { ratings: 0, mean: null, byUnit: {} },
  };
  const ms: Partial<Record<Stage, number>> = {};
  const visits: Partial<Record<Stage, number>> = {};
  const workingMs: Partial<Record<Stage, number>> = {};
  const stays: Partial<Record<Stage, number>> = {};
  const ratingSums: Record<string, number> = {};
  const ratingCounts: Record<string, number> = {};
  for (const [name, value] of Object.entries(counters)) {
    if (value === 0) continue;
    const [kind, a, b] = name.split('|');
    if (!a) continue;
    if (kind === 'k' && b) {
      const category = CategoryCode.safeParse(a);
      const stage = Stage.safeParse(b);
      if (!category.success || !stage.success) continue;
      snapshot.byCategory[category.data] = { ...snapshot.byCategory[category.data], [stage.data]: value };
    } else if ((kind === 'u' || kind === 'c') && b) {
      const stage = Stage.safeParse(b);
      if (!stage.success) continue;
      const table = kind === 'u' ? snapshot.byUnit : snapshot.byCommunity;
      table[a] = { ...table[a], [stage.data]: value };
      if (kind === 'u') snapshot.byStage[stage.data] = (snapshot.byStage[stage.data] ?? 0) + value;
    } else if (kind === 'ms' || kind === 'n') {
      const stage = Stage.safeParse(a);
      if (stage.success) (kind === 'ms' ? ms : visits)[stage.data] = value;
    } else if (kind === 'rs') ratingSums[a] = value;
    else if (kind === 'rn') ratingCounts[a] = value;
    else if (kind === 'esc') snapshot.overdueByUnit[a] = value;
    else if (kind === 'au' && b && (b.startsWith('wt:') || b.startsWith('wn:'))) {
      const stage = Stage.safeParse(b.slice(3));
      if (!stage.success) continue;
      const table = b.startsWith('wt:') ? workingMs : stays;
      table[stage.data] = (table[stage.data] ?? 0) + value;
    }
  }
  for (const stage of Stage.options) {
    const n = visits[stage];
    if (n) snapshot.meanMsInStage[stage] = (ms[stage] ?? 0) / n;
    const m = stays[stage];
    if (m) snapshot.meanWorkingMsInStage[stage] = (workingMs[stage] ?? 0) / m;
  }
  let total = 0;
  let sum = 0;
  for (const [unitId, count] of Object.entries(ratingCounts)) {
    const unitSum = ratingSums[unitId] ?? 0;
    snapshot.satisfaction.byUnit[unitId] = { ratings: count, mean: unitSum / count };
    total += count;
    sum += unitSum;
  }
  snapshot.satisfaction.ratings = total;
  snapshot.satisfaction.mean = total ? sum / total : null;
  return snapshot;
}

/**
 * The figures of a date range: the same shape, from the entry counters. Each stage figure counts
 * the cases that came into the stage (at a unit, in a community, of a category) during the range;
 * overdue, time per stage and satisfaction count the escalations, ended stage visits and ratings
 * of the range.
 */
export function rangeSnapshotOf(counters: Readonly<CounterDeltas>): StatsSnapshot {
  const entries: CounterDeltas = {};
  const renamed: Record<string, string> = { eu: 'u', ec: 'c', ek: 'k' };
  for (const [name, value] of Object.entries(counters)) {
    const cut = name.indexOf('|');
    const kind = name.slice(0, cut);
    if (kind === 'u' || kind === 'c' || kind === 'k') continue;
    const as = renamed[kind];
    entries[as ? `${as}${name.slice(cut)}` : name] = value;
  }
  return snapshotOf(entries);
}

/**
 * The changes a case's history contributed, rebuilt from its timeline (version `n` is the event at
 * index `n`; index 0 is intake): what the rebuild of the counters replays, and what tests recount
 * the counters against. Registration and dispatch by the router in the same instant count as one
 * change from `received` to `dispatched` (version 2), exactly as the router records it.
 */
export function statsChangesOfCase(c: CaseState, calendar?: WorkingCalendar): StatsChange[] {
  const events = c.timeline;
  const registered = events[1];
  const dispatched = events[2];
  const routedAtOnce =
    registered?.stage === 'registered' &&
    dispatched?.stage === 'dispatched' &&
    dispatched.at === registered.at &&
    dispatched.by === registered.by;
  const changes: StatsChange[] = [];
  // Intake events name no unit: the case counts from its first owner on.
  const firstOwner = events.find((e) => e.unitId)?.unitId ?? c.unitId;
  let from: StatsChange['from'] = {
    stage: 'received',
    unitId: firstOwner,
    since: c.submittedAt,
    heldSince: c.submittedAt,
  };
  for (let version = routedAtOnce ? 2 : 1; version < events.length; version++) {
    const event = events[version];
    if (!event) break;
    const to = { stage: event.stage, unitId: event.unitId ?? from.unitId };
    const heldSince = from.heldSince ?? from.since;
    changes.push({
      kind: 'stats',
      at: event.at,
      from,
      to,
      trackingCode: c.trackingCode,
      version,
      communityId: c.communityId,
      ...(c.townshipId ? { townshipId: c.townshipId } : {}),
      category: c.category,
      channel: c.channel,
      ...(event.action === 'rate' ? ratingOf(event, c) : {}),
      ...(event.action === 'escalate' ? { escalated: true } : {}),
      ...(event.action ? { action: event.action } : {}),
      ...(event.due ? { due: event.due } : {}),
      ...(calendar
        ? { workingMs: workingTimeBetween(new Date(heldSince), new Date(event.at), calendar) }
        : {}),
    });
    // A stay at a unit ends with a new stage or a new unit; a stage visit only with a new stage.
    const sameStay = from.stage === to.stage && from.unitId === to.unitId;
    from = {
      stage: to.stage,
      unitId: to.unitId,
      since: from.stage === to.stage ? from.since : event.at,
      heldSince: sameStay ? heldSince : event.at,
    };
  }
  return changes;
}

/** A rating event's score; cases rated before events carried it have only their latest on the case. */
function ratingOf(event: CaseState['timeline'][number], c: CaseState): { rating?: number } {
  const score = event.score ?? c.rating?.score;
  return score === undefined ? {} : { rating: score };
}
