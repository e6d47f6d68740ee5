/**
 * Whether a reporter may be sent a case update (dispatched, resolved, closed) right now. A phone
 * that opted out (R / T / TD / 退订 / 0000 / STOP) gets none: the opt-out covers case updates as
 * well as outreach. A phone gets at most a few a day (Asia/Shanghai), whatever the number of
 * cases naming it: the county pays for every text, and a number typed into the form by someone
 * else must not be flooded. The first update a phone gets each day ends with how to stop them,
 * so every phone is told before its second text, and again whenever it hears from us after a
 * quiet day.
 */
import { shanghaiLocal } from '../domain/outreach/shanghai-time.ts';
import type { NotificationCap, OptOutList } from '../ports/sms-state.ts';

/** Case updates one phone may be sent per day by default: three per case, so one busy day of two. */
export const DEFAULT_REPORTER_TEXTS_PER_DAY = 5;

export type ReporterTextDecision =
  | { kind: 'send'; stopHint: boolean }
  | { kind: 'skip'; reason: 'opted_out' | 'daily_cap' };

export interface ReporterTextGate {
  /** Decides for the update `notificationId` (stable across retries) to `phone` at `at`. */
  clear(phone: string, notificationId: string, at: Date): Promise<ReporterTextDecision>;
}

export function reporterTextGate(deps: {
  optOuts: Pick<OptOutList, 'isOptedOut'>;
  cap: NotificationCap;
  perDay: number;
}): ReporterTextGate {
  return {
    async clear(phone, notificationId, at) {
      // Opted out first: an update that is not sent must not use up the day's allowance.
      if (await deps.optOuts.isOptedOut(phone)) return { kind: 'skip', reason: 'opted_out' };
      const decision = await deps.cap.admitNotification(
        phone,
        notificationId,
        shanghaiLocal(at).date,
        deps.perDay,
      );
      return decision.kind === 'capped'
        ? { kind: 'skip', reason: 'daily_cap' }
        : { kind: 'send', stopHint: decision.firstOfDay };
    },
  };
}
