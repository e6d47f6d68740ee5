/**
 * Port: SMS reports waiting for the resident to say where they live. A report nothing could place
 * is held here, per phone, while its one question ("请回复您所在的社区或村") is out; the phone's
 * next report-like message answers it. Kept under a keyed hash of the phone number, never the
 * number itself, and for a day at most.
 */
import type { SmsProvider } from '../domain/sms/inbound-sms.ts';
import type { ReplyLanguage } from '../domain/sms/sms-replies.ts';

export interface PendingSmsReport {
  /** The message the report came in: its ids give the report its tracking code. */
  provider: SmsProvider;
  providerMessageId: string;
  receivedAt: string;
  /** The report as the resident wrote it (normalised). */
  text: string;
  /** The language the report was written in, which the answer's reply keeps. */
  lang: ReplyLanguage;
  /** The message that answered the question (`provider#id`), once one did: its retries answer the same way. */
  answeredBy?: string;
}

export interface PendingSmsReports {
  /** The report held for this phone, unless none is or it has expired. */
  find(phoneKey: string, now: Date): Promise<PendingSmsReport | undefined>;
  /**
   * Holds `report` for this phone until `expiresAt`: one conditional write, refused (`false`)
   * while another report is held unanswered.
   */
  hold(phoneKey: string, report: PendingSmsReport, now: Date, expiresAt: Date): Promise<boolean>;
  /**
   * Records that the message `answeredBy` (`provider#id`) answered `report`: one conditional
   * write, `false` when another message answered it first (or another report is held now).
   */
  answer(
    phoneKey: string,
    report: Pick<PendingSmsReport, 'provider' | 'providerMessageId'>,
    answeredBy: string,
  ): Promise<boolean>;
}
