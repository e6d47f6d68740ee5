/**
 * Ports of the staff notifier (issue 16 item 4): the queue notifications wait on, so whoever
 * raises one (the sweeper, a rating, the outreach tick) is never held up by WeChat Work, and the
 * ledger that lets each notification key be sent once however often it is delivered.
 */
import type { StaffNotification } from '../domain/staff-notification.ts';

/** Where a notification waits for the notifier; safe to enqueue twice (the key decides). */
export interface StaffNotificationQueue {
  enqueue(notification: StaffNotification): Promise<void>;
}

/** What a claim on a notification key found. */
export type NotificationClaim =
  /** Ours to send now, until the lease runs out. */
  | { kind: 'claimed' }
  /** Sent before: nothing to do. */
  | { kind: 'sent' }
  /** Another delivery is sending it right now (its lease is live). */
  | { kind: 'busy' };

/**
 * One item per notification key, decided by conditional writes: claimed with a lease before the
 * send, marked sent after it, released when the send failed so a redelivery sends it. A claim
 * whose holder died is taken over once its lease has run out, so nothing is lost, and nothing is
 * sent twice unless a sender died between the platform's answer and marking it sent.
 */
export interface StaffNotificationLedger {
  claim(key: string, now: Date, leaseUntil: Date, forgetAt: Date): Promise<NotificationClaim>;
  markSent(key: string, detail: { recipients: number; invalid: number }, forgetAt: Date): Promise<void>;
  release(key: string): Promise<void>;
}
