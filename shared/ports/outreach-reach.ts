/**
 * Port: outreach reach counted for the statistics by channel (channel-statistics.ts). The sender
 * of a channel says what one piece of work reached (a batch of SMS, the groups a mass-send went
 * to), under an id that names that work; counting the same id again adds nothing, so a
 * redelivered batch or a repeated poll is counted once.
 */
import type { CounterDeltas } from '../domain/case-statistics.ts';

export interface OutreachReachCounter {
  /** Adds `deltas` to the day (Asia/Shanghai) of `at`, once per `id`. */
  recordReach(id: string, at: Date, deltas: CounterDeltas): Promise<void>;
}
