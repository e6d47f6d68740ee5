/**
 * Port: the counters behind `GET /api/stats`, kept up to date as cases change. Each change adds
 * a few numbers to the bucket of its day (never a member to a growing set), and the store
 * recognises a replayed change, so a redelivered or re-run effect changes nothing. Reading sums
 * a bounded number of buckets: one settled balance per unit plus the days not yet folded into it.
 */
import type { CounterDeltas, StatsChange, StatsSnapshot } from '../domain/case-statistics.ts';

export type { StatsChange, StatsSnapshot };

export interface StatsStore {
  /** Adds a change's deltas once; recording the same change again changes nothing. */
  record(change: StatsChange): Promise<void>;
  /** The figures over everything recorded, summed across the given units' buckets. */
  snapshot(unitIds: readonly string[]): Promise<StatsSnapshot>;
  /**
   * Folds the days up to `throughDay` (Asia/Shanghai, inclusive) into each unit's balance, so
   * reading stays a fixed number of items. Exact when repeated or run concurrently.
   */
  settle(unitIds: readonly string[], throughDay: string): Promise<SettleReport>;
  /**
   * Sets each unit's balance to the sum of all its days up to `throughDay`, freezing any not
   * frozen yet: after the day counters were rebuilt from the cases, old days a settled balance
   * would otherwise never read again.
   */
  rebuildBalances(unitIds: readonly string[], throughDay: string): Promise<void>;
  /**
   * The counters of the days `from`..`to` (Asia/Shanghai, inclusive), month by month (the first
   * and last clipped to the range), summed across the given units' buckets: settled months from
   * their month aggregates, the rest from their days.
   */
  countersByMonth(unitIds: readonly string[], from: string, to: string): Promise<MonthCounters[]>;
}

export interface MonthCounters {
  /** YYYY-MM. */
  month: string;
  /** The days of the month inside the range, inclusive. */
  from: string;
  to: string;
  counters: CounterDeltas;
}

export interface SettleReport {
  /** Unit → days folded into its balance by this call. */
  settled: Record<string, number>;
}
