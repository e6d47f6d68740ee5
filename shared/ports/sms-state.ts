/**
 * Port: what the SMS channel remembers. Inbound messages by provider id (a gateway's retry is
 * recognised, never a second case or a second reply), the opt-out list for outreach, and the
 * per-phone hourly report count that stops floods. Every write is idempotent per message id.
 */
import type { InboundSms } from '../domain/sms/inbound-sms.ts';
import type { SentSms } from './sms-sender.ts';

export interface SmsInbox {
  /** `new` the first time; `unfinished` when a delivery crashed before replying; `done` after. */
  begin(sms: InboundSms): Promise<'new' | 'unfinished' | 'done'>;
  /** Marks it answered, recording the reply's provider id, encoding and part count (what it cost). */
  finish(sms: InboundSms, reply?: SentSms): Promise<void>;
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

export interface NotificationLog {
  /** Whether the notification with this key (case + version + stage) already went out. */
  alreadySent(key: string): Promise<boolean>;
  recordSent(key: string, at: string, sent: SentSms): Promise<void>;
}
