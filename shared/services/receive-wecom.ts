/**
 * A grid worker's message to the civicloop app in WeChat Work (企业微信 / 政务微信, issue 16 item
 * 3): the platform's callback verified (msg_signature), decrypted (EncodingAESKey), checked for
 * its receiver (our corp id), for a timestamp within a few minutes of ours and for a replay, then
 * answered as the SMS channel answers a resident:
 * - a text is an appeal the worker forwards: it goes onto the intake queue as a report of the
 *   worker's grid's community (channel `wecom`), classified like a text message, and the worker
 *   gets the tracking code back as an app message at once, to post in the grid's group;
 * - `CX <code>` (查询 …) answers the case's public status, as on SMS;
 * - a location is an appeal at that place (its label as the description);
 * - the resident's phone in an appeal's text ("电话 138…" or a bare mobile) becomes the report's
 *   contact phone when the county's phone policy accepts it, as on the web form, and is taken out
 *   of the description (shared/domain/wecom/appeal-phone.ts); the resident is then texted like a
 *   web reporter. Every appeal records the worker (`forwardedBy`), who is sent each later status
 *   change to relay in the group (case-effects.ts, `relay_to_worker`);
 * - a photo joins the worker's latest appeal of the last 15 minutes, up to three
 *   (shared/domain/wecom/worker-photos.ts): a place is taken with one conditional write and the
 *   photo is queued for attach-wecom-photos, which downloads it off this request;
 * - anything else (a voice message, a file) is answered with what the app accepts; events
 *   (entering the app) are acknowledged and ignored.
 * A sender who is no grid worker in the registry is told so politely and nothing is queued.
 *
 * The callback must be answered within the platform's five seconds, so the case itself is made
 * from the queue (route-report), as for every channel; the request does a few small things: one
 * conditional write (the replay memory), one enqueue, one write of the worker's latest appeal (or,
 * for a photo, one conditional update taking its place), one app message. A delivery that fails
 * after remembering its message forgets it again and fails, so the platform's retry does the work;
 * the report's tracking code and submission id are derived from the MsgId (HMAC, as for SMS), so
 * a retry queues the same report and the router makes one case. The app message may then be sent
 * twice, never not at all.
 */
import { gridOfWorker } from '../domain/organisation.ts';
import { DEFAULT_PHONE_POLICY, type PhonePolicy } from '../domain/phone-number.ts';
import type { ReportSubmitted } from '../domain/report.ts';
import type { KeywordTable } from '../domain/sms/classify-report.ts';
import { classifyWithModel, type LoadedModel } from '../domain/sms/report-classifier.ts';
import { parseSmsCommand } from '../domain/sms/sms-command.ts';
import { renderSmsReply, SMS_SIGNATURE, type SmsReply } from '../domain/sms/sms-replies.ts';
import { formatTrackingCode } from '../domain/tracking-code.ts';
import { takeAppealPhone } from '../domain/wecom/appeal-phone.ts';
import { CallbackCryptoError, type CallbackKeys, openCallback } from '../domain/wecom/callback-crypto.ts';
import {
  type AppMessage,
  CallbackXmlError,
  parseAppMessage,
  parseCallbackEnvelope,
} from '../domain/wecom/callback-message.ts';
import { MAX_FORWARDED_PHOTOS, PHOTO_JOIN_WINDOW_MS } from '../domain/wecom/worker-photos.ts';
import { NotFoundError } from '../errors.ts';
import type { IntakeQueue } from '../ports/intake-queue.ts';
import type { SecretReader } from '../ports/secret.ts';
import type {
  WecomCallbackMemory,
  WecomMessenger,
  WecomPhotoQueue,
  WorkerAppealTrail,
} from '../ports/wecom.ts';
import * as z from '../schema.ts';
import { idsForMessage } from './receive-sms.ts';
import { getReportStatus, type ReportStatusDeps } from './report-status.ts';

/** How far a callback's timestamp may be from our clock (either way) before it is refused. */
export const CALLBACK_WINDOW_SECONDS = 300;
/** How long a taken callback is remembered: far beyond the window and the platform's retries. */
const REMEMBER_MS = 24 * 3600_000;
const MAX_APPEAL_CHARS = 1000;

export interface ReceiveWecomDeps extends ReportStatusDeps {
  /** Callback Token, EncodingAESKey and the corp id (the receiver id), from the secrets. */
  callbackKeys: () => Promise<CallbackKeys>;
  memory: WecomCallbackMemory;
  intake: IntakeQueue;
  messenger: WecomMessenger;
  keywords: () => Promise<KeywordTable>;
  classifierModel?: () => Promise<LoadedModel | undefined>;
  trackingCodeSecret: SecretReader;
  /** Each worker's latest appeal, which their photos join. */
  appeals: WorkerAppealTrail;
  /** Forwarded photos, fetched off the request by attach-wecom-photos. */
  photoQueue: WecomPhotoQueue;
  /** The contact phones the county texts (the web form's setting); absent: mainland mobiles. */
  phonePolicy?: PhonePolicy;
  now: () => Date;
}

/** The query string every callback carries (URL-decoded by the HTTP API). */
export const CallbackQuery = z.object({
  msg_signature: z.string().check(z.regex(/^[0-9a-fA-F]{40}$/, 'must be a SHA-1 signature (40 hex digits)')),
  timestamp: z.string().check(z.regex(/^\d{1,12}$/, 'must be seconds since 1970')),
  nonce: z.string().check(z.minLength(1), z.maxLength(64)),
});
export type CallbackQuery = z.infer<typeof CallbackQuery>;
export const VerificationQuery = z.extend(CallbackQuery, {
  echostr: z.string().check(z.minLength(1), z.maxLength(1024)),
});
export type VerificationQuery = z.infer<typeof VerificationQuery>;

export type CallbackRefusal =
  | 'bad_signature'
  | 'wrong_receiver'
  | 'undecryptable'
  | 'bad_aes_key'
  | 'bad_plaintext'
  | 'stale_timestamp'
  | 'malformed_xml';

/** A callback refused before anything was stored; the reason is safe to log (no content). */
export class WecomCallbackRefusedError extends Error {
  readonly reason: CallbackRefusal;
  constructor(reason: CallbackRefusal, detail: string) {
    super(`WeChat Work callback refused: ${reason} (${detail})`);
    this.name = 'WecomCallbackRefusedError';
    this.reason = reason;
  }
}

export type WecomOutcome =
  | 'report_queued'
  | 'photo_queued'
  | 'photo_refused'
  | 'status'
  | 'help'
  | 'unsupported'
  | 'unknown_worker'
  | 'event_ignored'
  /** Taken by an earlier delivery: nothing done. */
  | 'duplicate_delivery';

function refusedBy(error: unknown): never {
  if (error instanceof CallbackCryptoError) {
    throw new WecomCallbackRefusedError(error.failure.reason, String(error.failure.code));
  }
  if (error instanceof CallbackXmlError) throw new WecomCallbackRefusedError('malformed_xml', error.message);
  throw error;
}

const signed = (query: CallbackQuery) => ({
  signature: query.msg_signature,
  timestamp: query.timestamp,
  nonce: query.nonce,
});

/** GET: the URL verification. Answers the decrypted echostr, as the platform expects. */
export async function verifyCallbackUrl(query: VerificationQuery, deps: ReceiveWecomDeps): Promise<string> {
  try {
    return openCallback(signed(query), query.echostr, await deps.callbackKeys()).message;
  } catch (error) {
    return refusedBy(error);
  }
}

/** The appeal's words without the SMS channel's signature (an app message needs none). */
const appText = (reply: SmsReply): string => renderSmsReply(reply, 'zh').slice(SMS_SIGNATURE.length);

export const workerTexts = {
  received: (code: string) =>
    `${appText({ kind: 'report_received', code })}请把查询码转给群里的居民，办理进展会再通知您。`,
  phoneTaken: '居民电话已登记（已从描述中去除），办理进展也会短信告知居民。',
  phoneRefused: '描述中的电话不是可接收短信的手机号，未登记（已从描述中去除）。',
  photoJoined: (code: string, number: number) =>
    `照片已收到（第${number}张），附到查询码${formatTrackingCode(code)}。`,
  photoFull: (code: string) =>
    `查询码${formatTrackingCode(code)}已有${MAX_FORWARDED_PHOTOS}张照片，这张未附上。`,
  photoFirst: `请先发文字描述居民反映的问题，收到查询码后${PHOTO_JOIN_WINDOW_MS / 60_000}分钟内再发照片，照片会附到该诉求。`,
  help: '请直接发来居民反映的问题（文字，或位置；照片在文字之后发），我们会立案并回复查询码；查进度发"CX 查询码"。',
  unsupported: '目前只受理文字、位置和照片消息，请用文字描述居民反映的问题。',
  unknownWorker: '您的企业微信账号尚未登记为网格员，暂不能代居民反映问题。请联系县综治中心登记。',
};

async function queueAppeal(
  message: Extract<AppMessage, { MsgType: 'text' | 'location' }>,
  communityId: string,
  description: string,
  deps: ReceiveWecomDeps,
  contactPhone?: string,
): Promise<string> {
  const org = await deps.directory.load();
  const { category, explanation } = classifyWithModel(
    description,
    await deps.keywords(),
    await deps.classifierModel?.(),
    {
      ignore: org.communities.flatMap((c) => [c.zh, c.en]),
    },
  );
  const { trackingCode, submissionId } = idsForMessage(
    { provider: 'wecom', providerMessageId: `${message.ToUserName}#${message.AgentID}#${message.MsgId}` },
    await deps.trackingCodeSecret(),
  );
  const report: ReportSubmitted = {
    kind: 'report.submitted',
    trackingCode,
    submissionId,
    submittedAt: new Date(Number(message.CreateTime) * 1000).toISOString(),
    channel: 'wecom',
    report: {
      category,
      communityId,
      description,
      ...(contactPhone ? { contactPhone } : {}),
      ...(message.MsgType === 'location'
        ? { location: { lat: message.Location_X, lng: message.Location_Y } }
        : {}),
    },
    // Why it was classified so, for the dispatcher (issue 14 item 6), as for a texted report.
    classification: explanation,
    forwardedBy: message.FromUserName,
  };
  await deps.intake.enqueue(report);
  // The photos the worker sends next join this appeal.
  await deps.appeals.recordAppeal(message.FromUserName, trackingCode, deps.now());
  return trackingCode;
}

async function answerText(
  content: string,
): Promise<
  | { kind: 'appeal'; text: string }
  | { kind: 'status'; code: string }
  | { kind: 'reply'; outcome: WecomOutcome; text: string }
> {
  const command = parseSmsCommand(content, MAX_APPEAL_CHARS);
  switch (command.kind) {
    case 'report':
      return { kind: 'appeal', text: command.text };
    case 'status':
      return { kind: 'status', code: command.code };
    case 'unclear':
      return {
        kind: 'reply',
        outcome: 'help',
        text:
          command.reason === 'too_long'
            ? appText({ kind: 'too_long', max: MAX_APPEAL_CHARS })
            : command.reason === 'bad_code'
              ? appText({ kind: 'bad_code' })
              : workerTexts.help,
      };
    default:
      // Ratings and opt-outs belong to the resident's own phone, not to the worker's app.
      return { kind: 'reply', outcome: 'help', text: workerTexts.help };
  }
}

async function statusText(code: string, deps: ReceiveWecomDeps): Promise<string> {
  try {
    const status = await getReportStatus(code, deps);
    return appText({
      kind: 'status',
      code,
      stage: status.stage,
      unitZh: status.unit?.zh,
      unitEn: status.unit?.en,
    });
  } catch (error) {
    if (error instanceof NotFoundError) return appText({ kind: 'not_found' });
    throw error;
  }
}

/** A photo: a place on the worker's latest appeal and a job for the fetcher, or why not. */
async function placePhoto(
  message: Extract<AppMessage, { MsgType: 'image' }>,
  deps: ReceiveWecomDeps,
): Promise<{ outcome: WecomOutcome; reply: string }> {
  const worker = message.FromUserName;
  const since = new Date(deps.now().getTime() - PHOTO_JOIN_WINDOW_MS);
  const place = await deps.appeals.takePhotoPlace(worker, since, MAX_FORWARDED_PHOTOS);
  if (place.kind === 'no_recent_appeal') return { outcome: 'photo_refused', reply: workerTexts.photoFirst };
  if (place.kind === 'full')
    return { outcome: 'photo_refused', reply: workerTexts.photoFull(place.trackingCode) };
  await deps.photoQueue.enqueue({
    kind: 'wecom.photo',
    trackingCode: place.trackingCode,
    mediaId: message.MediaId,
    number: place.number,
    worker,
  });
  return { outcome: 'photo_queued', reply: workerTexts.photoJoined(place.trackingCode, place.number) };
}

/** What one verified message does, and the app message that answers it (if any). */
async function handle(
  parsed: ReturnType<typeof parseAppMessage>,
  deps: ReceiveWecomDeps,
): Promise<{ outcome: WecomOutcome; reply?: string }> {
  if (parsed.kind === 'unsupported') return { outcome: 'unsupported', reply: workerTexts.unsupported };
  const { message } = parsed;
  if (message.MsgType === 'event') return { outcome: 'event_ignored' };
  const org = await deps.directory.load();
  const grid = gridOfWorker(org.grids, message.FromUserName);
  if (!grid) return { outcome: 'unknown_worker', reply: workerTexts.unknownWorker };
  if (message.MsgType === 'image') return placePhoto(message, deps);
  if (message.MsgType === 'location') {
    const place = message.Label?.trim() || `${message.Location_X},${message.Location_Y}`;
    const code = await queueAppeal(message, grid.communityId, `位置：${place}`, deps);
    return { outcome: 'report_queued', reply: workerTexts.received(code) };
  }
  const answer = await answerText(message.Content);
  if (answer.kind === 'appeal') {
    const phone = takeAppealPhone(answer.text, deps.phonePolicy ?? DEFAULT_PHONE_POLICY);
    // A phone alone is no appeal: ask for the problem (the number is not kept).
    if (phone.description === '') return { outcome: 'help', reply: workerTexts.help };
    const code = await queueAppeal(message, grid.communityId, phone.description, deps, phone.contactPhone);
    const note = phone.contactPhone ? workerTexts.phoneTaken : phone.refused ? workerTexts.phoneRefused : '';
    return { outcome: 'report_queued', reply: `${workerTexts.received(code)}${note}` };
  }
  if (answer.kind === 'status') return { outcome: 'status', reply: await statusText(answer.code, deps) };
  return { outcome: answer.outcome, reply: answer.text };
}

/** POST: one callback. Throws WecomCallbackRefusedError before anything is stored when refused. */
export async function receiveWecomCallback(
  query: CallbackQuery,
  body: string,
  deps: ReceiveWecomDeps,
): Promise<WecomOutcome> {
  const keys = await deps.callbackKeys();
  let parsed: ReturnType<typeof parseAppMessage>;
  try {
    const envelope = parseCallbackEnvelope(body);
    const opened = openCallback(signed(query), envelope.Encrypt, keys);
    parsed = parseAppMessage(opened.message);
  } catch (error) {
    return refusedBy(error);
  }
  const skew = Math.abs(deps.now().getTime() / 1000 - Number(query.timestamp));
  if (skew > CALLBACK_WINDOW_SECONDS) {
    throw new WecomCallbackRefusedError('stale_timestamp', `${Math.round(skew)} s from our clock`);
  }
  const msgId =
    parsed.kind === 'message' ? ('MsgId' in parsed.message ? parsed.message.MsgId : undefined) : parsed.MsgId;
  const key = msgId
    ? `${keys.receiverId}#msg#${msgId}`
    : `${keys.receiverId}#nonce#${query.nonce}#${query.timestamp}`;
  if (!(await deps.memory.remember(key, new Date(deps.now().getTime() + REMEMBER_MS)))) {
    return 'duplicate_delivery';
  }
  try {
    const { outcome, reply } = await handle(parsed, deps);
    const to = parsed.kind === 'message' ? parsed.message.FromUserName : parsed.FromUserName;
    if (reply) await deps.messenger.sendText(to, reply);
    return outcome;
  } catch (error) {
    // Best effort: when DynamoDB itself is failing, the platform's retry is refused as a replay
    // only if this write had gone through; then the error log is where the message is found.
    await deps.memory.forget(key).catch(() => undefined);
    throw error;
  }
}
