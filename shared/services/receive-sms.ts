/**
 * A resident's text message, from any gateway, through the same pipeline as the web form: a new
 * report (classified by keywords and the county's trained model, placed by the household registry
 * or a community named in the text), a status query, a rating from the reporting phone, an
 * opt-out, or a request for help.
 * Every message gets an answer, and never two, in the language it was written in; greetings and
 * messages without words get the help text, not a case.
 *
 * A report nothing can place is held (per phone) and the resident is asked once where they
 * live; their next report-like message is the answer. It places the report when it names one
 * community or village (placeAnswer), and otherwise the report goes to the county centre's
 * triage: one question, never a loop. The answer's text is added to the report, so a resident
 * who sends more details or a further problem instead of a place loses nothing and the
 * dispatcher reads it all in one case; commands (CX, 评价, 退订, 帮助, greetings) in between are
 * answered as always and leave the report waiting. The report keeps the tracking code of the
 * message it came in and the language it was written in. A report nobody answers is never
 * dropped: the held item carries its intake message (with the phone), and the sweeper sends it on
 * to triage at its due time (two daytime hours, place-answer-wait.ts; forward-held-sms-reports.ts).
 * Answer and sweep each decide with one conditional write on the held item, so a report answered
 * at the moment it is swept is one case either way; an answer that lost to the sweep is answered
 * with the report's code and makes no case of its own. A message older than the held report (a
 * provider's late retry of the answer to the report before it) never answers it.
 *
 * Gateways deliver at least once, and retry when they did not see an answer in time, so two
 * deliveries of one message can run at once, or one after another's crash. The provider's
 * message id is the key to all of it:
 * - The report's tracking code is derived from it with a server-side key (HMAC), so the router
 *   sees the same report again while nobody can compute a code from a provider's message ids
 *   (Aliyun's are serial numbers).
 * - Processing starts with a lease on the message (one conditional write, `SmsInbox.claim`).
 *   A delivery that finds a live lease does nothing and says so (`in_progress`): the caller
 *   answers "not yet" and the provider delivers again later. A lease outlives any invocation
 *   that can hold it (INBOX_LEASE_MS), so a lapsed lease means its holder is gone: the next
 *   delivery takes it over. A finished message is never processed again.
 * - The reply is sent at most once. No sender takes an idempotency token, so a crash or a lost
 *   answer between sending and recording could otherwise send it twice. Before calling the
 *   sender the delivery records, under its lease, that it is sending (`markSending`); a delivery
 *   that takes over a message so marked does not send again but finishes it as
 *   `reply_unconfirmed` (logged by the caller, recorded on the message). A resident may then miss
 *   a reply, which their next text makes good; a second reply would be the same message twice.
 *   When the sender definitely did not send (its provider answered with an error), the mark is
 *   cleared and the retry sends.
 * - The other effects are idempotent per message id (rate limit, intake), so a taken-over
 *   message simply runs them again.
 * Messages of one push are processed independently (`receiveSmsBatch`): one that fails does not
 * stop the others, and only unfinished ones make the caller ask the provider to deliver again.
 */
import { createHmac } from 'node:crypto';
import { outreachPhoneOf } from '../domain/outreach/outreach-eligibility.ts';
import { type ReportSubmitted, UNPLACED_COMMUNITY } from '../domain/report.ts';
import { findCommunityInText, type KeywordTable } from '../domain/sms/classify-report.ts';
import type { InboundSms } from '../domain/sms/inbound-sms.ts';
import { placeAnswer } from '../domain/sms/place-answer.ts';
import { HELD_ITEM_BACKSTOP_MS, placeAnswerDueAt } from '../domain/sms/place-answer-wait.ts';
import { classifyWithModel, type LoadedModel } from '../domain/sms/report-classifier.ts';
import { parseSmsCommand } from '../domain/sms/sms-command.ts';
import {
  type ReplyLanguage,
  renderSmsReply,
  replyLanguageFor,
  type SmsReply,
} from '../domain/sms/sms-replies.ts';
import { generateTrackingCode } from '../domain/tracking-code.ts';
import { CaseStateError, DependencyError, NotFoundError } from '../errors.ts';
import type { HouseholdRegistry } from '../ports/household-registry.ts';
import type { IntakeQueue } from '../ports/intake-queue.ts';
import {
  type DecidedSmsReport,
  heldRefOf,
  type PendingSmsReport,
  type PendingSmsReports,
  type WaitingSmsReport,
} from '../ports/pending-sms-reports.ts';
import type { SecretReader } from '../ports/secret.ts';
import type { SentSms, SmsSender } from '../ports/sms-sender.ts';
import type { OptOutList, ReportRateLimit, SmsInbox } from '../ports/sms-state.ts';
import { rateCase } from './rate-report.ts';
import { getReportStatus } from './report-status.ts';
import type { TransitionDeps } from './transition-case.ts';

export interface ReceiveSmsDeps extends TransitionDeps {
  inbox: SmsInbox;
  optOuts: OptOutList;
  rateLimit: ReportRateLimit;
  /** Reports waiting for the resident to say where they live. */
  pendingReports: PendingSmsReports;
  households: Pick<HouseholdRegistry, 'findByPhone' | 'markOptedOut'>;
  intake: IntakeQueue;
  sender: SmsSender;
  /** The admin-edited keyword table (cached by the caller). */
  keywords: () => Promise<KeywordTable>;
  /**
   * The county's trained classifier model in use, if any (shared/services/active-classifier-model.ts);
   * without one (a fresh county, or none wired) reports are classified by the keywords alone.
   */
  classifierModel?: () => Promise<LoadedModel | undefined>;
  /** Reports one phone may make per hour before it gets one polite reply and no more cases. */
  reportsPerHour: number;
  /** The server-side key SMS reports' tracking codes are derived with (see `idsForMessage`). */
  trackingCodeSecret: SecretReader;
}

export type SmsOutcome =
  /** Finished by an earlier delivery: nothing done. */
  | 'duplicate_delivery'
  /** Another delivery holds the message's lease: nothing done, deliver again later. */
  | 'in_progress'
  /** An earlier delivery began sending the reply and vanished: finished without sending again. */
  | 'reply_unconfirmed'
  | 'report_queued'
  /** A report nothing could place: held, and the resident asked where they live. */
  | 'place_asked'
  | 'rate_limited'
  | 'status'
  | 'rated'
  | 'rate_refused'
  | 'opted_out'
  | 'already_opted_out'
  | 'help';

const MAX_REPORT_CHARS = 500;

/**
 * A stable tracking code and submission id from the provider's message id (the idempotency key),
 * keyed with `secret` (HMAC-SHA256): the same message always gets the same code, but without the
 * secret the code of a message cannot be computed from its id, however predictable the ids are.
 * Changing the secret changes the code of a message retried across the change (a second case at
 * worst); rotate it when no delivery is outstanding.
 */
export function idsForMessage(
  // Any channel's provider and message id: WeChat Work appeals are keyed the same way (receive-wecom.ts).
  sms: { provider: string; providerMessageId: string },
  secret: string,
): { trackingCode: string; submissionId: string } {
  const digest = createHmac('sha256', secret)
    .update(['civicloop', 'sms-report', sms.provider, sms.providerMessageId].join('\u0000'), 'utf8')
    .digest();
  const trackingCode = generateTrackingCode((n) => digest.subarray(0, n));
  const hex = digest.subarray(9, 25).toString('hex');
  // Shaped as a version-4-style UUID so the message schema accepts it.
  const submissionId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  return { trackingCode, submissionId };
}

/**
 * The household whose outreach phone this is is marked opted out in the registry, so the
 * community's counter (what campaign previews estimate from) counts it. Another phone of the
 * household opting out stops texts to that phone only, as the sender's rule has it.
 */
async function markHouseholdOptedOut(phone: string, deps: ReceiveSmsDeps): Promise<void> {
  const household = await deps.households.findByPhone(phone);
  if (household && outreachPhoneOf(household) === phone)
    await deps.households.markOptedOut(household.householdId);
}

/**
 * The key a phone's pending report is kept under: keyed with the server secret (HMAC-SHA256), as
 * a plain hash of a phone number is undone by hashing the ten billion candidates.
 */
export function pendingKeyFor(phone: string, secret: string): string {
  return createHmac('sha256', secret)
    .update(['civicloop', 'sms-pending-report', phone].join('\u0000'), 'utf8')
    .digest('hex');
}

const refOf = heldRefOf;

interface Answer {
  outcome: SmsOutcome;
  reply?: SmsReply;
  /** The reply's language when it is not the message's own (an answer keeps its report's). */
  lang?: ReplyLanguage;
}

/**
 * Classifies a report into its intake message under the ids of the message it came in
 * (`origin`): the same message always makes the same case, however often this runs.
 */
async function reportMessage(
  origin: Pick<InboundSms, 'provider' | 'providerMessageId' | 'receivedAt' | 'from'>,
  text: string,
  communityId: string,
  deps: ReceiveSmsDeps,
): Promise<ReportSubmitted> {
  const org = await deps.directory.load();
  const { category, explanation } = classifyWithModel(
    text,
    await deps.keywords(),
    await deps.classifierModel?.(),
    {
      // Place names must not vote: 朱坑村 is not a pothole (坑), 古城社区 not a heritage report.
      ignore: org.communities.flatMap((c) => [c.zh, c.en]),
    },
  );
  const { trackingCode, submissionId } = idsForMessage(origin, await deps.trackingCodeSecret());
  const message: ReportSubmitted = {
    kind: 'report.submitted',
    trackingCode,
    submissionId,
    submittedAt: origin.receivedAt,
    channel: 'sms',
    report: { category, communityId, description: text, contactPhone: origin.from },
    classification: explanation,
  };
  return message;
}

async function enqueueReport(
  origin: Pick<InboundSms, 'provider' | 'providerMessageId' | 'receivedAt' | 'from'>,
  text: string,
  communityId: string,
  deps: ReceiveSmsDeps,
): Promise<string> {
  const message = await reportMessage(origin, text, communityId, deps);
  await deps.intake.enqueue(message);
  return message.trackingCode;
}

/**
 * Sends a decided report's intake message on and records it (removing the phone and words from
 * the held item). Idempotent: the router makes one case per tracking code, and whoever records it
 * second is told so and does nothing more.
 */
async function forward(
  phoneKey: string,
  held: Pick<DecidedSmsReport, 'provider' | 'providerMessageId' | 'message'>,
  deps: ReceiveSmsDeps,
): Promise<void> {
  await deps.intake.enqueue(held.message);
  await deps.pendingReports.markForwarded(phoneKey, refOf(held));
}

const receipt = (code: string, lang?: ReplyLanguage): Answer => ({
  outcome: 'report_queued',
  reply: { kind: 'report_received', code },
  ...(lang ? { lang } : {}),
});

/** Whether `sms` was sent after the held report came (provider times, to the second). */
const sentSince = (sms: InboundSms, held: PendingSmsReport) =>
  Date.parse(sms.receivedAt) >= Date.parse(held.receivedAt);

async function queueReport(
  sms: InboundSms,
  text: string,
  phoneKey: string,
  held: PendingSmsReport | undefined,
  deps: ReceiveSmsDeps,
): Promise<Answer> {
  const hour = sms.receivedAt.slice(0, 13);
  if (!(await deps.rateLimit.admit(sms.from, sms.providerMessageId, hour, deps.reportsPerHour))) {
    return { outcome: 'rate_limited', reply: { kind: 'rate_limited' } };
  }
  const org = await deps.directory.load();
  const household = await deps.households.findByPhone(sms.from);
  const communityId = household?.communityId ?? findCommunityInText(text, org.communities);
  if (communityId === undefined) {
    const now = deps.now();
    // What triage gets if no answer comes: the report unplaced, with the phone to text the code to.
    const message = await reportMessage(sms, text, UNPLACED_COMMUNITY, deps);
    const dueAt = placeAnswerDueAt(now);
    const pending: WaitingSmsReport = {
      stage: 'waiting',
      provider: sms.provider,
      providerMessageId: sms.providerMessageId,
      receivedAt: sms.receivedAt,
      trackingCode: message.trackingCode,
      lang: replyLanguageFor(sms.body),
      dueAt: dueAt.toISOString(),
      message,
    };
    // The phone's report before, decided but not yet sent on (its delivery crashed): sent on
    // now, so it can make way for this one.
    let replacing = held;
    if (held?.stage === 'answered' || held?.stage === 'timed_out') {
      await forward(phoneKey, held, deps);
      replacing = { ...held, stage: 'forwarded' };
    }
    const expires = new Date(dueAt.getTime() + HELD_ITEM_BACKSTOP_MS);
    if (await deps.pendingReports.hold(phoneKey, pending, replacing, now, expires)) {
      return { outcome: 'place_asked', reply: { kind: 'ask_place' } };
    }
    // Another report of this phone is waiting for its answer (it came at the same moment
    // through another delivery): this one goes to triage rather than queue behind it.
  }
  const code = await enqueueReport(sms, text, communityId ?? UNPLACED_COMMUNITY, deps);
  return { outcome: 'report_queued', reply: { kind: 'report_received', code } };
}

/**
 * The resident's answer to "where do you live": places the held report if it names one community
 * or village, else sends it to triage. The report it makes is recorded on the held report first
 * (one conditional write, while it is still waiting), so a retry of this message sends the same
 * report on and no other message (nor the sweep) decides it again; `undefined` when it was no
 * longer waiting.
 */
async function answerPending(
  sms: InboundSms,
  text: string,
  held: WaitingSmsReport,
  phoneKey: string,
  deps: ReceiveSmsDeps,
): Promise<Answer | undefined> {
  const org = await deps.directory.load();
  const communityId = placeAnswer(text, org.communities) ?? UNPLACED_COMMUNITY;
  const message = await reportMessage(
    { ...held, from: sms.from },
    `${held.message.report.description}\n${text}`,
    communityId,
    deps,
  );
  if (!(await deps.pendingReports.answer(phoneKey, refOf(held), refOf(sms), message, deps.now()))) {
    return undefined;
  }
  await forward(phoneKey, { ...held, message }, deps);
  return receipt(held.trackingCode, held.lang);
}

/**
 * A report-like message, as it stands to the phone's held report: the held report itself again,
 * the answer (or a retry of it), an answer that came as the sweep sent the report on, or a new
 * report.
 */
async function report(sms: InboundSms, text: string, deps: ReceiveSmsDeps, again = false): Promise<Answer> {
  const phoneKey = pendingKeyFor(sms.from, await deps.trackingCodeSecret());
  const held = await deps.pendingReports.find(phoneKey, deps.now());
  if (held === undefined) return queueReport(sms, text, phoneKey, held, deps);
  const ref = refOf(sms);
  if (refOf(held) === ref) {
    // This very report delivered again: asked already, or decided meanwhile (so sent on).
    if (held.stage === 'waiting') return { outcome: 'place_asked', reply: { kind: 'ask_place' } };
    if (held.stage !== 'forwarded') await forward(phoneKey, held, deps);
    return receipt(held.trackingCode);
  }
  if ((held.stage === 'answered' || held.stage === 'forwarded') && held.answeredBy === ref) {
    // This message answered it: a retry, after a crash or a lost answer. Finish what it began.
    if (held.stage === 'answered') await forward(phoneKey, held, deps);
    return receipt(held.trackingCode, held.lang);
  }
  if (held.previous?.answeredBy === ref) {
    // It answered the report held before this one: a late retry, never an answer to this one.
    return receipt(held.previous.trackingCode);
  }
  if (held.stage === 'waiting' && sentSince(sms, held)) {
    const answered = await answerPending(sms, text, held, phoneKey, deps);
    if (answered) return answered;
    // Decided meanwhile (the sweep, at its due time): judged again as it now stands.
    if (!again) return report(sms, text, deps, true);
  }
  if (
    (held.stage === 'timed_out' || (held.stage === 'forwarded' && held.answeredBy === undefined)) &&
    sentSince(sms, held) &&
    Date.parse(sms.receivedAt) <= Date.parse(held.decidedAt)
  ) {
    // Sent while the report was waiting, but the sweep sent it on first: the answer to it all
    // the same. It gets the report's code and makes no case of its own; triage has the phone.
    if (held.stage === 'timed_out') await forward(phoneKey, held, deps);
    return receipt(held.trackingCode, held.lang);
  }
  return queueReport(sms, text, phoneKey, held, deps);
}

async function answer(sms: InboundSms, deps: ReceiveSmsDeps): Promise<Answer> {
  const command = parseSmsCommand(sms.body, MAX_REPORT_CHARS);
  switch (command.kind) {
    case 'report':
      return report(sms, command.text, deps);
    case 'status':
      try {
        const status = await getReportStatus(command.code, deps);
        return {
          outcome: 'status',
          reply: {
            kind: 'status',
            code: command.code,
            stage: status.stage,
            unitZh: status.unit?.zh,
            unitEn: status.unit?.en,
          },
        };
      } catch (error) {
        if (error instanceof NotFoundError) return { outcome: 'status', reply: { kind: 'not_found' } };
        throw error;
      }
    case 'rate':
      try {
        await rateCase(
          command.code,
          { kind: 'phone', phone: sms.from },
          command.score,
          command.comment,
          deps,
        );
        return { outcome: 'rated', reply: { kind: 'rated', score: command.score } };
      } catch (error) {
        // Not this phone's case, or not closed yet: the same answer either way.
        if (error instanceof NotFoundError || error instanceof CaseStateError) {
          return { outcome: 'rate_refused', reply: { kind: 'rate_refused' } };
        }
        throw error;
      }
    case 'opt_out': {
      const first = (await deps.optOuts.optOut(sms.from, sms.receivedAt)) === 'new';
      // Also on a repeat: a delivery that crashed between the two writes is finished by the next.
      await markHouseholdOptedOut(sms.from, deps);
      // Confirmed once; a repeated opt-out is left unanswered, as asked.
      return first
        ? { outcome: 'opted_out', reply: { kind: 'opted_out' } }
        : { outcome: 'already_opted_out' };
    }
    case 'help':
      return { outcome: 'help', reply: { kind: 'help' } };
    case 'unclear': {
      // Nothing but blanks, emoji or punctuation: what a new user needs is the help text.
      const reply: SmsReply =
        command.reason === 'too_long'
          ? { kind: 'too_long', max: MAX_REPORT_CHARS }
          : command.reason === 'bad_code'
            ? { kind: 'bad_code' }
            : command.reason === 'bad_score'
              ? { kind: 'bad_score' }
              : { kind: 'help' };
      return { outcome: 'help', reply };
    }
  }
}

/**
 * How long a delivery owns a message. Longer than any invocation of the functions that take it
 * (receive-sms and sms-webhooks time out after 10 s, infra/topology.ts; a test holds them to
 * it), so a live delivery never loses its lease; far shorter than the providers' retry interval
 * (a minute for Lambda's asynchronous retries and for Aliyun), so a crashed delivery's message
 * is free again by the time it is delivered again.
 */
export const INBOX_LEASE_MS = 15_000;

/** Messages of one push processed at once; one phone's messages always in order. */
const PUSH_CONCURRENCY = 8;

/**
 * Whether a failed send certainly sent nothing: the provider answered with an error (the AWS
 * SDK puts the answer's HTTP status on the error). A timeout, a dropped connection or an answer
 * without a message id may have sent it.
 */
export function sendDefinitelyFailed(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    const metadata: unknown = Reflect.get(e, '$metadata');
    if (typeof metadata === 'object' && metadata !== null) {
      const status: unknown = Reflect.get(metadata, 'httpStatusCode');
      if (typeof status === 'number' && status >= 400) return true;
    }
  }
  return false;
}

export async function receiveSms(sms: InboundSms, deps: ReceiveSmsDeps): Promise<SmsOutcome> {
  const claim = await deps.inbox.claim(sms, deps.now(), INBOX_LEASE_MS);
  if (claim.kind === 'done') return 'duplicate_delivery';
  if (claim.kind === 'held') return 'in_progress';
  if (claim.sendUnconfirmed) {
    // Everything before the send had finished when the mark was written; only the reply is in
    // doubt, and sending it again could make it two.
    await deps.inbox.finish(sms, { kind: 'unconfirmed' });
    return 'reply_unconfirmed';
  }
  let sendFailed = false;
  try {
    const { outcome, reply, lang } = await answer(sms, deps);
    if (!reply) {
      await deps.inbox.finish(sms, { kind: 'no_reply' });
      return outcome;
    }
    // Our lease was taken over (we outlived it): the other delivery answers; we must not.
    if (!(await deps.inbox.markSending(sms, claim.token, deps.now()))) return 'in_progress';
    let sent: SentSms;
    try {
      sent = await deps.sender.send({
        to: sms.from,
        body: renderSmsReply(reply, lang ?? replyLanguageFor(sms.body)),
        purpose: 'reply',
        correlationId: `${sms.provider}:${sms.providerMessageId}`,
      });
    } catch (error) {
      sendFailed = sendDefinitelyFailed(error);
      throw error;
    }
    // If this write fails the mark stays: the retry finishes the message without sending.
    await deps.inbox.finish(sms, { kind: 'replied', reply: sent });
    return outcome;
  } catch (error) {
    // Best effort: when DynamoDB itself is failing, the lease simply lapses.
    await deps.inbox.release(sms, claim.token, { sendFailed }).catch(() => undefined);
    throw error;
  }
}

/** One message of a push: finished, or to be delivered again (someone else has it, or it failed). */
export type SmsDeliveryResult =
  | { sms: InboundSms; status: 'finished'; outcome: SmsOutcome }
  | { sms: InboundSms; status: 'in_progress' }
  | { sms: InboundSms; status: 'failed'; error: unknown };

/**
 * Every message of a push, each on its own: a failure is caught and reported, not thrown, so
 * the messages after it are processed all the same. Different phones' messages run
 * concurrently (gateways such as Aliyun wait well under a second for the answer); one phone's
 * run in the order it sent them. Results are in the order of `messages`.
 */
export async function receiveSmsBatch(
  messages: readonly InboundSms[],
  deps: ReceiveSmsDeps,
): Promise<SmsDeliveryResult[]> {
  const results: SmsDeliveryResult[] = [];
  const byPhone = new Map<string, number[]>();
  messages.forEach((sms, index) => {
    byPhone.set(sms.from, [...(byPhone.get(sms.from) ?? []), index]);
  });
  const phones = [...byPhone.values()];
  const worker = async () => {
    for (let indexes = phones.shift(); indexes; indexes = phones.shift()) {
      for (const index of indexes) {
        const sms = messages[index];
        if (!sms) continue;
        try {
          const outcome = await receiveSms(sms, deps);
          results[index] =
            outcome === 'in_progress' ? { sms, status: 'in_progress' } : { sms, status: 'finished', outcome };
        } catch (error) {
          results[index] = { sms, status: 'failed', error };
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(PUSH_CONCURRENCY, phones.length) }, worker));
  return results;
}

/** Some messages of a delivery are not finished: the provider should deliver it again. */
export class SmsRedeliveryNeededError extends DependencyError {}

/**
 * Throws when any message is unfinished, so the caller answers the provider with a failure (a
 * 503 at the HTTP edge, a failed invocation for SNS) and the provider delivers again; the
 * messages that were finished are then recognised and skipped. `holderRetriedOnItsOwn`: the
 * provider retries the delivery that holds an `in_progress` message by itself if it fails, so
 * this one need not stand in for it.
 */
export function requireAllFinished(
  results: readonly SmsDeliveryResult[],
  options: { holderRetriedOnItsOwn: boolean },
): void {
  const unfinished = results.filter(
    (r) => r.status === 'failed' || (r.status === 'in_progress' && !options.holderRetriedOnItsOwn),
  );
  if (unfinished.length === 0) return;
  const failures = unfinished.flatMap((r) => (r.status === 'failed' ? [r.error] : []));
  throw new SmsRedeliveryNeededError(
    `${unfinished.length} of ${results.length} text message(s) not finished yet; deliver again`,
    { cause: failures.length > 0 ? new AggregateError(failures) : undefined },
  );
}
