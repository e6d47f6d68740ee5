/**
 * A stand-in for WeChat Work (企业微信 / 政务微信) in the local runtime, beside the phone simulator
 * (issue 16 item 6, first part): the two platform calls the product makes so far, `gettoken` and
 * `message/send`, answered as the platform does (errcode/errmsg JSON, 40001 for a wrong secret,
 * 42001 for an expired token, 40014 for an unknown one), every app message sent recorded; and
 * `sealCallback`, which signs and encrypts a callback exactly as the platform does, for the tests
 * and (later) the browser page where a person plays the grid worker. Faults the real platform
 * produces can be injected: tokens expired early, rate limiting (45009) for the next calls.
 * `media/get` answers the photos a test adds (`addMedia`, a JPEG by default) as files, and
 * message/send honours its duplicate check (an identical text within the interval is held back).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import jpeg from 'jpeg-js';
import { callbackSignature, encryptCallbackMessage } from '../../shared/domain/wecom/callback-crypto.ts';
import { callbackEnvelopeXml } from '../../shared/domain/wecom/callback-message.ts';
import * as z from '../../shared/schema.ts';
import { demoGroupChats } from '../demo/demo-organisation.ts';
import { readBody } from './http-bodies.ts';
import { massSendSimulator, type SimulatedMassSend } from './wecom-mass-send-simulator.ts';

export interface SentAppMessage {
  touser: string;
  agentid: number;
  content: string;
  /** A text card's fields (staff notifications); `content` then holds its title and description. */
  card?: { title: string; description: string; url: string; btntxt?: string };
  sentAt: string;
}

export interface WecomSimulator {
  /** The base URL the functions call (WECOM_API_BASE_URL). */
  endpoint: string;
  /** Every app message accepted, oldest first. */
  readonly sent: readonly SentAppMessage[];
  /** How many tokens gettoken issued. */
  tokensIssued(): number;
  /** Expires every token issued so far: the next call with one gets 42001. */
  expireTokens(): void;
  /** The next `count` API calls are answered 45009 (over the frequency limit). */
  rateLimitNext(count: number): void;
  /** Adds or changes a customer group chat (externalcontact/groupchat/get answers it). */
  setGroupChat(chat: SimulatedGroupChat): void;
  /** How many groupchat/get calls were answered with a group. */
  groupChatReads(): number;
  /**
   * Temporary media a user sent the app, answered by media/get as the platform does (the file,
   * or 40007 for an unknown id); default: a small JPEG photo. Returns the media id.
   */
  addMedia(bytes?: Uint8Array, contentType?: string): string;
  /** Messages message/send's duplicate check held back (identical text, same user, in its interval). */
  duplicatesHeldBack(): number;
  /** Enterprise mass-sends to customer groups (add_msg_template), oldest first, with each group's status. */
  readonly massSends: readonly SimulatedMassSend[];
  /** The group owner confirms a mass-send in the app: its groups are sent (those under their monthly limit). */
  confirmMassSend(msgid: string, userId: string): SimulatedMassSend;
  /** Mass-send calls answered (add_msg_template, get_groupmsg_task, …_send_result, remind_…). */
  massSendCalls(): number;
  stop(): Promise<void>;
}

export interface WecomSimulatorOptions {
  /** The corp id and app secret a gettoken must bring (read each time: they can be rotated). */
  corpId: () => string;
  appSecret: () => string;
  tokenTtlSeconds?: number;
  /** The customer group chats the platform holds; default: the demo grids' groups. */
  groupChats?: readonly SimulatedGroupChat[];
  /**
   * Whether the corp's address book holds this userid; text cards to others come back in
   * `invaliduser` (81013 when none is known). Default: every userid is a member.
   */
  knownUser?: (userId: string) => boolean;
  now?: () => number;
}

/** A grid's customer group chat on the platform's side. */
export interface SimulatedGroupChat {
  chatId: string;
  ownerUserId: string;
  adminUserIds: string[];
  /** Members, the owner and admins included (a customer group holds at most 500). */
  memberCount: number;
}

const GroupChatBody = z.object({ chat_id: z.string().check(z.minLength(1)), need_name: z.optional(z.int()) });

/** groupchat/get's group_chat as the platform answers it: every member listed. */
function groupChatAnswer(chat: SimulatedGroupChat, at: number): Record<string, unknown> {
  const joined = Math.floor(at / 1000) - 86_400;
  const staff = [chat.ownerUserId, ...chat.adminUserIds];
  const member_list = Array.from({ length: chat.memberCount }, (_, i) => {
    const userid = staff[i];
    return userid === undefined
      ? { userid: `wm${chat.chatId.slice(-8)}${i}`, type: 2, join_time: joined, join_scene: 3, unionid: '' }
      : { userid, type: 1, join_time: joined, join_scene: 1 };
  });
  return {
    chat_id: chat.chatId,
    name: '',
    owner: chat.ownerUserId,
    create_time: joined,
    member_list,
    admin_list: chat.adminUserIds.map((userid) => ({ userid })),
  };
}

const SendBody = z.object({
  touser: z.string().check(z.minLength(1)),
  msgtype: z.literal('text'),
  agentid: z.int(),
  text: z.object({ content: z.string().check(z.minLength(1), z.maxLength(2048)) }),
  enable_duplicate_check: z.optional(z.int()),
  duplicate_check_interval: z.optional(z.int().check(z.minimum(1), z.maximum(14_400))),
});

/** What media/get answers for a media id nobody set: a small grey JPEG, as a phone would send. */
const defaultPhoto = (): Uint8Array =>
  new Uint8Array(jpeg.encode({ width: 16, height: 16, data: Buffer.alloc(16 * 16 * 4, 200) }, 80).data);
/** A text card (staff notifications): the platform's limits, 128 bytes of title, 512 of description. */
const CardBody = z.object({
  touser: z.string().check(z.minLength(1)),
  msgtype: z.literal('textcard'),
  agentid: z.int(),
  textcard: z.object({
    title: z.string().check(
      z.minLength(1),
      z.refine((t) => Buffer.byteLength(t) <= 128),
    ),
    description: z.string().check(
      z.minLength(1),
      z.refine((d) => Buffer.byteLength(d) <= 512),
    ),
    url: z.url(),
    btntxt: z.optional(z.string().check(z.maxLength(4))),
  }),
});

export async function serveWecomSimulator(options: WecomSimulatorOptions): Promise<WecomSimulator> {
  const now = options.now ?? Date.now;
  const ttl = options.tokenTtlSeconds ?? 7200;
  const tokens = new Map<string, number>();
  const sent: SentAppMessage[] = [];
  let issued = 0;
  let rateLimited = 0;
  const groupChats = new Map(
    (options.groupChats ?? demoGroupChats()).map((chat) => [chat.chatId, { ...chat }]),
  );
  let groupChatReads = 0;
  const massSend = massSendSimulator({ now, groupOwner: (chatId) => groupChats.get(chatId)?.ownerUserId });
  const media = new Map<string, { bytes: Uint8Array; contentType: string }>();
  let heldBack = 0;

  /** The platform's answer to a call whose access token is unknown or expired; none for a good one. */
  const tokenRefusal = (url: URL): { errcode: number; errmsg: string } | undefined => {
    const expires = tokens.get(url.searchParams.get('access_token') ?? '');
    if (expires === undefined) return { errcode: 40014, errmsg: 'invalid access_token' };
    if (expires <= now()) return { errcode: 42001, errmsg: 'access_token expired' };
    return undefined;
  };

  /** A POST's JSON body behind a good token, or the platform's refusal (token, or not JSON: 47001). */
  const authenticatedBody = async (
    req: IncomingMessage,
    url: URL,
  ): Promise<{ body: unknown } | { refusal: { errcode: number; errmsg: string } }> => {
    const refusal = tokenRefusal(url);
    if (refusal) return { refusal };
    try {
      return { body: JSON.parse((await readBody(req)).toString('utf8')) };
    } catch {
      return { refusal: { errcode: 47001, errmsg: 'data format error' } };
    }
  };

  const answer = async (req: IncomingMessage, url: URL): Promise<unknown> => {
    if (rateLimited > 0) {
      rateLimited--;
      return { errcode: 45009, errmsg: 'api freq out of limit' };
    }
    if (url.pathname === '/cgi-bin/gettoken') {
      if (
        url.searchParams.get('corpid') !== options.corpId() ||
        url.searchParams.get('corpsecret') !== options.appSecret()
      )
        return { errcode: 40001, errmsg: 'invalid credential' };
      const token = randomBytes(48).toString('base64url');
      tokens.set(token, now() + ttl * 1000);
      issued++;
      return { errcode: 0, errmsg: 'ok', access_token: token, expires_in: ttl };
    }
    if (url.pathname === '/cgi-bin/message/send' && req.method === 'POST') {
      const got = await authenticatedBody(req, url);
      if ('refusal' in got) return got.refusal;
      const raw = got.body;
      const card = CardBody.safeParse(raw);
      if (card.success) {
        // touser: up to 1,000 userids joined by '|', as the platform takes them.
        const users = card.data.touser.split('|');
        if (users.length > 1000) return { errcode: 40058, errmsg: 'too many users' };
        const known = options.knownUser ?? (() => true);
        const invalid = users.filter((u) => !known(u));
        if (invalid.length === users.length)
          return { errcode: 81013, errmsg: 'user & party & tag all invalid' };
        const { title, description } = card.data.textcard;
        sent.push({
          touser: users.filter(known).join('|'),
          agentid: card.data.agentid,
          content: `${title}\n${description}`,
          card: card.data.textcard,
          sentAt: new Date(now()).toISOString(),
        });
        return { errcode: 0, errmsg: 'ok', invaliduser: invalid.join('|'), msgid: randomUUID() };
      }
      const body = SendBody.safeParse(raw);
      if (!body.success) return { errcode: 47001, errmsg: 'data format error' };
      // The duplicate check: the same text to the same user within the interval is not sent again.
      const interval = (body.data.duplicate_check_interval ?? 1800) * 1000;
      const repeat =
        body.data.enable_duplicate_check === 1 &&
        sent.some(
          (m) =>
            m.touser === body.data.touser &&
            m.content === body.data.text.content &&
            Date.parse(m.sentAt) > now() - interval,
        );
      if (repeat) {
        heldBack++;
        return { errcode: 0, errmsg: 'ok', invaliduser: '', msgid: randomUUID() };
      }
      sent.push({
        touser: body.data.touser,
        agentid: body.data.agentid,
        content: body.data.text.content,
        sentAt: new Date(now()).toISOString(),
      });
      return { errcode: 0, errmsg: 'ok', invaliduser: '', msgid: randomUUID() };
    }
    if (url.pathname === '/cgi-bin/externalcontact/groupchat/get' && req.method === 'POST') {
      const got = await authenticatedBody(req, url);
      if ('refusal' in got) return got.refusal;
      const raw = got.body;
      const body = GroupChatBody.safeParse(raw);
      if (!body.success) return { errcode: 47001, errmsg: 'data format error' };
      const chat = groupChats.get(body.data.chat_id);
      if (chat === undefined) return { errcode: 40050, errmsg: 'invalid chatid' };
      groupChatReads++;
      return { errcode: 0, errmsg: 'ok', group_chat: groupChatAnswer(chat, now()) };
    }
    if (massSend.handles(url.pathname) && req.method === 'POST') {
      const got = await authenticatedBody(req, url);
      if ('refusal' in got) return got.refusal;
      const raw = got.body;
      return massSend.answer(url.pathname, raw);
    }
    return { errcode: 404, errmsg: 'not a WeChat Work call this simulator answers' };
  };

  /** media/get: the file with its type, or errcode JSON (a bad token, an unknown media id). */
  const mediaFile = (
    url: URL,
  ):
    | { file: { bytes: Uint8Array; contentType: string } }
    | { error: { errcode: number; errmsg: string } } => {
    if (rateLimited > 0) {
      rateLimited--;
      return { error: { errcode: 45009, errmsg: 'api freq out of limit' } };
    }
    const refusal = tokenRefusal(url);
    if (refusal) return { error: refusal };
    const file = media.get(url.searchParams.get('media_id') ?? '');
    return file ? { file } : { error: { errcode: 40007, errmsg: 'invalid media_id' } };
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/cgi-bin/media/get' && req.method === 'GET') {
      const got = mediaFile(url);
      if ('file' in got) {
        res.writeHead(200, {
          'content-type': got.file.contentType,
          'content-length': String(got.file.bytes.length),
          'content-disposition': 'attachment; filename="photo.jpg"',
        });
        res.end(got.file.bytes);
      } else {
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify(got.error));
      }
      return;
    }
    answer(req, url).then(
      (body) => {
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify(body));
      },
      () => {
        res.writeHead(500);
        res.end();
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  if (address === null || typeof address === 'string')
    throw new Error('the WeChat Work simulator is not on TCP');
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    sent,
    tokensIssued: () => issued,
    expireTokens() {
      for (const token of tokens.keys()) tokens.set(token, 0);
    },
    rateLimitNext(count) {
      rateLimited = count;
    },
    setGroupChat(chat) {
      groupChats.set(chat.chatId, { ...chat });
    },
    groupChatReads: () => groupChatReads,
    addMedia(bytes = defaultPhoto(), contentType = 'image/jpeg') {
      const mediaId = `3${randomBytes(24).toString('base64url')}`;
      media.set(mediaId, { bytes, contentType });
      return mediaId;
    },
    duplicatesHeldBack: () => heldBack,
    massSends: massSend.massSends,
    confirmMassSend: (msgid, userId) => massSend.confirm(msgid, userId),
    massSendCalls: () => massSend.calls(),
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export interface SealedCallback {
  /** The query string the platform adds to the callback URL. */
  query: { msg_signature: string; timestamp: string; nonce: string };
  /** The POST body: the envelope with the encrypted message. */
  body: string;
}

/** A callback as the platform sends it: `message` encrypted for the corp, the envelope signed. */
export function sealCallback(
  message: string,
  keys: { token: string; encodingAesKey: string; corpId: string; agentId: string },
  at: { timestamp: number; nonce?: string },
): SealedCallback {
  const encrypted = encryptCallbackMessage(message, {
    encodingAesKey: keys.encodingAesKey,
    receiverId: keys.corpId,
  });
  const timestamp = String(at.timestamp);
  const nonce = at.nonce ?? String(randomBytes(4).readUInt32BE());
  return {
    query: { msg_signature: callbackSignature(keys.token, timestamp, nonce, encrypted), timestamp, nonce },
    body: callbackEnvelopeXml(keys.corpId, encrypted, keys.agentId),
  };
}

/** The GET the platform sends when the callback URL is saved: a signed, encrypted echostr. */
export function sealVerification(
  echo: string,
  keys: { token: string; encodingAesKey: string; corpId: string },
  at: { timestamp: number; nonce: string },
): { msg_signature: string; timestamp: string; nonce: string; echostr: string } {
  const echostr = encryptCallbackMessage(echo, {
    encodingAesKey: keys.encodingAesKey,
    receiverId: keys.corpId,
  });
  const timestamp = String(at.timestamp);
  return {
    msg_signature: callbackSignature(keys.token, timestamp, at.nonce, echostr),
    timestamp,
    nonce: at.nonce,
    echostr,
  };
}
