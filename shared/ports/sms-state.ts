/**
 * Port: what the SMS channel remembers. Inbound messages by provider id (a gateway's retry is
 * recognised, never a second case or a second reply), the opt-out list (outreach and case
 * updates alike), the per-phone hourly report count that stops floods, and the per-phone daily
 * count of case updates that caps what one number can be sent. Every write is idempotent per
 * message id.
 */
import type { InboundSms } from '../domain/sms/inbound-sms.ts';
import type { SentSms } from './sms-sender.ts';

/** What `SmsInbox.claim` found for one inbound message. */
export type InboxClaim =
  /** This delivery now holds the message's lease and processes it. */
  | {
      kind: 'claimed';
      /** Names this delivery's lease; `markSending` and `release` only act while it still holds it. */
      token: string;
      /**
       * An earlier delivery that held the lease began sending the reply and never recorded the
       * result (it crashed, or lost the sender's answer): the reply may have gone out.
       */
      sendUnconfirmed: boolean;
    }
  /** Another delivery holds a live lease: it is being processed right now. */
  | { kind: 'held' }
  /** Finished for good: answered (or deliberately left unanswered) already. */
  | { kind: 'done' };

/** How a message was finished: the reply sent, none needed, or a send that may have gone out. */
export type InboxResult =
  | { kind: 'replied'; reply: SentSms }
  | { kind: 'no_reply' }
  | { kind: 'unconfirmed' };

export interface SmsInbox {
  /**
   * One conditional write: takes the message's lease for `leaseMs` when the message is new or
   * its last lease lapsed (a delivery that crashed); otherwise says who has it.
   */
  claim(sms: InboundSms, now: Date, leaseMs: number): Promise<InboxClaim>;
  /**
   * Records, before the reply is sent, that this delivery is sending it; `false` when the lease
   * was taken over meanwhile (then this delivery must not send).
   */
  markSending(sms: InboundSms, token: string, at: Date): Promise<boolean>;
  /**
   * Gives the lease back after a failure so the provider's retry need not wait for it to lapse.
   * `sendFailed`: the sender definitely did not send, so the mark is cleared and a retry may send.
   */
  release(sms: InboundSms, token: string, options: { sendFailed: boolean }): Promise<void>;
  /** Marks it finished for good, recording the reply's provider id, encoding and part count. */
  finish(sms: InboundSms, result: InboxResult): Promise<void>;
}

export interface OptOutList {
  /** `new` the first time this phone opts out (confirm once), `already` after. */
  optOut(phone: string, at: string): Promise<'new' | 'already'>;
  isOptedOut(phone: string): Promise<boolean>;
}

export interface ReportRateLimit {
  /** Whether this message may create a report: at most `limit` distinct messages per phone per hour. */
  admit(phone: string, messageId: string, hour: string, limit: number): Promise<boolean>;
}

/** What `NotificationCap.admitNotification` decided for one case update. */
export type CapDecision =
  /** Send it; `firstOfDay`: it is the first this phone is sent that day (it says how to stop). */
  | { kind: 'admitted'; firstOfDay: boolean }
  /** The phone has had its `limit` case updates that day. */
  | { kind: 'capped' };

export interface NotificationCap {
  /**
   * Admits the case update `notificationId` to `phone` on `day` (YYYY-MM-DD, Asia/Shanghai) when
   * fewer than `limit` others were admitted that day. The same id again gets the same answer
   * (a retried update is counted once, and is still the day's first if it was).
   */
  admitNotification(phone: string, notificationId: string, day: string, limit: number): Promise<CapDecision>;
}

export interface NotificationLog {
  /** Whether the notification with this key (case + version + stage) already went out. */
  alreadySent(key: string): Promise<boolean>;
  recordSent(key: string, at: string, sent: SentSms): Promise<void>;
}
