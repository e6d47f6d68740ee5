/**
 * Port: SMS reports waiting for the resident to say where they live. A report nothing could place
 * is held here, per phone, while its one question ("请回复您所在的社区或村") is out; the phone's
 * next report-like message answers it, and if none does by its due time the sweeper sends it on to
 * triage. Kept under a keyed hash of the phone number; the number itself is in the held report's
 * intake message only until the report has gone on (then it is removed).
 *
 * A held report goes through one conditional write per step, each deciding who acts:
 * `waiting` → `answered` (the resident's answer, placed) or `timed_out` (the sweep, at the due
 * time) → `forwarded` (its intake message went on, and the phone and words are gone).
 * Whoever wins the first step owns the intake message; the forwarding is idempotent (the router
 * makes one case per tracking code), so a crash between the steps is finished by a retry of the
 * answer, by the next report from the phone, or by the next sweep.
 */
import type { ReportSubmitted } from '../domain/report.ts';
import type { SmsProvider } from '../domain/sms/inbound-sms.ts';
import type { ReplyLanguage } from '../domain/sms/sms-replies.ts';

interface HeldReportBase {
  /** The message the report came in: its ids gave the report its tracking code. */
  provider: SmsProvider;
  providerMessageId: string;
  receivedAt: string;
  trackingCode: string;
  /** The language the report was written in, which the answer's reply keeps. */
  lang: ReplyLanguage;
  /** When the sweep sends it on unanswered (placeAnswerDueAt). */
  dueAt: string;
  /**
   * The report this phone had held before this one, once forwarded: a provider's late retry of
   * the message that answered it is recognised (and answered with its code), never taken as the
   * answer to this newer report.
   */
  previous?: { ref: string; trackingCode: string; answeredBy?: string };
}

export type PendingSmsReport = HeldReportBase &
  (
    | {
        stage: 'waiting';
        /** What triage gets if nobody answers: the report unplaced, with the reporter's phone. */
        message: ReportSubmitted;
      }
    | {
        stage: 'answered';
        /** The report with the answer added and placed where the answer said. */
        message: ReportSubmitted;
        /** The message that answered (`provider#id`): its retries answer the same way. */
        answeredBy: string;
        decidedAt: string;
      }
    | { stage: 'timed_out'; message: ReportSubmitted; decidedAt: string }
    | { stage: 'forwarded'; answeredBy?: string; decidedAt: string }
  );

export type WaitingSmsReport = Extract<PendingSmsReport, { stage: 'waiting' }>;
/** Decided (answered or timed out), its intake message not yet known to have gone on. */
export type DecidedSmsReport = Extract<PendingSmsReport, { stage: 'answered' | 'timed_out' }>;

/** `provider#id`: message ids are unique per provider only. */
export const heldRefOf = (sms: { provider: SmsProvider; providerMessageId: string }): string =>
  `${sms.provider}#${sms.providerMessageId}`;

export interface DueSmsReport {
  phoneKey: string;
  report: PendingSmsReport;
}

export interface PendingSmsReports {
  /** The report held for this phone, unless none is or its item has expired. */
  find(phoneKey: string, now: Date): Promise<PendingSmsReport | undefined>;
  /**
   * Holds `report` for this phone until it is decided (the item expires at `expiresAt`, a
   * backstop): one conditional write, refused (`false`) unless nothing is held, the item expired,
   * or the item is `replacing` as it was read and already forwarded (then it becomes `previous`).
   */
  hold(
    phoneKey: string,
    report: WaitingSmsReport,
    replacing: PendingSmsReport | undefined,
    now: Date,
    expiresAt: Date,
  ): Promise<boolean>;
  /**
   * Records the resident's answer (`answeredBy`, `provider#id`) and the report it makes: one
   * conditional write, `false` unless the report `ref` names is still waiting.
   */
  answer(
    phoneKey: string,
    ref: string,
    answeredBy: string,
    message: ReportSubmitted,
    at: Date,
  ): Promise<boolean>;
  /**
   * The sweep's decision that nobody answered: one conditional write, the report as decided, or
   * `undefined` when the report `ref` names is no longer waiting (answered meanwhile, or replaced).
   */
  timeOut(phoneKey: string, ref: string, at: Date): Promise<DecidedSmsReport | undefined>;
  /**
   * Records that the decided report's intake message went on, removing it (the phone and words)
   * and the report from the due index: one conditional write, `false` when it was recorded already.
   */
  markForwarded(phoneKey: string, ref: string): Promise<boolean>;
  /**
   * Held reports due by `now` and not yet forwarded, soonest first, from a sparse index (read
   * eventually consistent: the conditional writes decide). `unreadable`: phone keys of items
   * that are not a held report this code can read.
   */
  duePage(
    now: Date,
    limit: number,
    cursor?: string,
  ): Promise<{ due: DueSmsReport[]; unreadable: string[]; cursor?: string }>;
}
