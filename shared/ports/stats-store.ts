/**
 * Port: the counters behind `GET /api/stats`, kept up to date at each write. Every update is a
 * set membership (a case code added to or removed from a set), so replaying one after a crash
 * changes nothing — counters that survive at-least-once delivery without transactions.
 */
import type { Stage } from '../domain/case.ts';
import type { Effect } from '../domain/case-lifecycle.ts';
import type { CategoryCode } from '../domain/categories.ts';

/** A stats effect with the case it belongs to; the category lets fraud reports be counted per community. */
export type StatsChange = Extract<Effect, { kind: 'stats' }> & {
  trackingCode: string;
  communityId: string;
  category: CategoryCode;
};

export interface StatsSnapshot {
  byStage: Partial<Record<Stage, number>>;
  byUnit: Record<string, Partial<Record<Stage, number>>>;
  byCommunity: Record<string, Partial<Record<Stage, number>>>;
  /** Cases ever escalated as overdue, per unit. */
  overdueByUnit: Record<string, number>;
  /** Mean milliseconds spent in each stage, over stage visits that have ended. */
  meanMsInStage: Partial<Record<Stage, number>>;
  satisfaction: {
    ratings: number;
    mean: number | null;
    byUnit: Record<string, { ratings: number; mean: number }>;
  };
}

export interface StatsStore {
  record(change: StatsChange): Promise<void>;
  snapshot(): Promise<StatsSnapshot>;
}
