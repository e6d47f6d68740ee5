/**
 * A resident's text message, from any gateway, through the same pipeline as the web form: a new
 * report (classified by keywords, placed by the household registry or a community named in the
 * text), a status query, a rating from the reporting phone, an opt-out, or a request for help.
 * Every message gets an answer. The provider's message id makes a retried delivery harmless: the
 * report's tracking code is derived from it, so the router sees the same report again, and a
 * message already answered is not answered twice.
 */
import { createHash } from 'node:crypto';
import type { ReportSubmitted } from '../domain/report.ts';
import { classifyReport, findCommunityInText, type KeywordTable } from '../domain/sms/classify-report.ts';
import type { InboundSms } from '../domain/sms/inbound-sms.ts';
import { parseSmsCommand } from '../domain/sms/sms-command.ts';
import { renderSmsReply, replyLanguageFor, type SmsReply } from '../domain/sms/sms-replies.ts';
import { CaseStateError, NotFoundError } from '../errors.ts';
import type { HouseholdRegistry } from '../ports/household-registry.ts';
import type { IntakeQueue } from '../ports/intake-queue.ts';
import type { SmsSender } from '../ports/sms-sender.ts';
import type { OptOutList, ReportRateLimit, SmsInbox } from '../ports/sms-state.ts';
import { rateCase } from './rate-report.ts';
import { getReportStatus } from './report-status.ts';
import type { TransitionDeps } from './transition-case.ts';

export interface ReceiveSmsDeps extends TransitionDeps {
  inbox: SmsInbox;
  optOuts: OptOutList;
  rateLimit: ReportRateLimit;
  households: Pick<HouseholdRegistry, 'findByPhone'>;
  intake: IntakeQueue;
  sender: SmsSender;
  /** The admin-edited keyword table (cached by the caller). */
  keywords: () => Promise<KeywordTable>;
  /** Reports one phone may make per hour before it gets one polite reply and no more cases. */
  reportsPerHour: number;
}

export type SmsOutcome =
  | 'duplicate_delivery'
  | 'report_queued'
  | 'rate_limited'
  | 'status'
  | 'rated'
  | 'rate_refused'
  | 'opted_out'
  | 'already_opted_out'
  | 'help';

/** Community id for a report the system could not place: the router sends it to the county centre. */
export const UNPLACED_COMMUNITY = 'unplaced';
const MAX_REPORT_CHARS = 500;
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A stable tracking code and submission id from the provider's message id (the idempotency key). */
export function idsForMessage(sms: InboundSms): { trackingCode: string; submissionId: string } {
  const digest = createHash('sha256').update(`${sms.provider}:${sms.providerMessageId}`).digest();
  let trackingCode = '';
  for (let i = 0; i < 9; i++) trackingCode += CROCKFORD[(digest[i] ?? 0) & 31];
  const hex = digest.subarray(9, 25).toString('hex');
  // Shaped as a version-4-style UUID so the message schema accepts it.
  const submissionId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  return { trackingCode, submissionId };
}

async function queueReport(sms: InboundSms, text: string, deps: ReceiveSmsDeps): Promise<SmsReply> {
  const hour = sms.receivedAt.slice(0, 13);
  if (!(await deps.rateLimit.admit(sms.from, sms.providerMessageId, hour, deps.reportsPerHour))) {
    return { kind: 'rate_limited' };
  }
  const org = await deps.directory.load();
  const household = await deps.households.findByPhone(sms.from);
  const communityId =
    household?.communityId ?? findCommunityInText(text, org.communities) ?? UNPLACED_COMMUNITY;
  const { category } = classifyReport(text, await deps.keywords(), {
    // Place names must not vote: 朱坑村 is not a pothole (坑), 古城社区 not a heritage report.
    ignore: org.communities.flatMap((c) => [c.zh, c.en]),
  });
  const { trackingCode, submissionId } = idsForMessage(sms);
  const message: ReportSubmitted = {
    kind: 'report.submitted',
    trackingCode,
    submissionId,
    submittedAt: sms.receivedAt,
    channel: 'sms',
    report: { category, communityId, description: text, contactPhone: sms.from },
  };
  await deps.intake.enqueue(message);
  return { kind: 'report_received', code: trackingCode };
}

async function answer(
  sms: InboundSms,
  deps: ReceiveSmsDeps,
): Promise<{ outcome: SmsOutcome; reply?: SmsReply }> {
  const command = parseSmsCommand(sms.body, MAX_REPORT_CHARS);
  switch (command.kind) {
    case 'report': {
      const reply = await queueReport(sms, command.text, deps);
      return { outcome: reply.kind === 'rate_limited' ? 'rate_limited' : 'report_queued', reply };
    }
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
    case 'opt_out':
      // Confirmed once; a repeated opt-out is left unanswered, as asked.
      return (await deps.optOuts.optOut(sms.from, sms.receivedAt)) === 'new'
        ? { outcome: 'opted_out', reply: { kind: 'opted_out' } }
        : { outcome: 'already_opted_out' };
    case 'help':
      return { outcome: 'help', reply: { kind: 'help' } };
    case 'unclear': {
      const reply: SmsReply =
        command.reason === 'too_long'
          ? { kind: 'too_long', max: MAX_REPORT_CHARS }
          : command.reason === 'bad_code'
            ? { kind: 'bad_code' }
            : command.reason === 'bad_score'
              ? { kind: 'bad_score' }
              : { kind: 'empty' };
      return { outcome: 'help', reply };
    }
  }
}

export async function receiveSms(sms: InboundSms, deps: ReceiveSmsDeps): Promise<SmsOutcome> {
  if ((await deps.inbox.begin(sms)) === 'done') return 'duplicate_delivery';
  const { outcome, reply } = await answer(sms, deps);
  const sent = reply
    ? await deps.sender.send({
        to: sms.from,
        body: renderSmsReply(reply, replyLanguageFor(sms.body)),
        purpose: 'reply',
        correlationId: `${sms.provider}:${sms.providerMessageId}`,
      })
    : undefined;
  await deps.inbox.finish(sms, sent);
  return outcome;
}
