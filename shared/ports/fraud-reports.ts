/**
 * Port: the fraud-report ledger — which fraud-category cases were submitted in which community on
 * which Asia/Shanghai day. It is written as cases are created and read by day range, so the risk
 * ranking and the campaign-effect reports never scan the cases. Recording is keyed by tracking
 * code, so a replayed creation counts once.
 */
import type { DailyFraudCounts } from '../domain/outreach/fraud-risk.ts';

/** Fraud-category reports per community per Shanghai day; the domain owns the shape it computes on. */
export type { DailyFraudCounts };

export interface FraudReportLedger {
  /** Adds the case to the day's reports for its community; recording the same code again changes nothing. */
  record(communityId: string, day: string, trackingCode: string): Promise<void>;
}

export interface FraudReportReader {
  /** Counts for every day from `fromDay` to `toDay` (both inclusive); days and communities with none are absent. */
  dailyCounts(fromDay: string, toDay: string /*inclusive*/): Promise<DailyFraudCounts>;
}
