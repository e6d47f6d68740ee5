/**
 * The local grid worker page (issue 16 item 6, last part): a developer plays a grid worker in
 * WeChat Work, beside the phone simulator. An appeal typed there (text, a location, a photo) is
 * written as the platform writes the app's messages, signed and encrypted with `sealCallback`
 * exactly as the platform does, and posted to the runtime's own `/api/wecom/callback`; the app
 * messages the worker received (the tracking code, status relays, staff notifications) are read
 * from the WeChat Work simulator's record, and a pending enterprise mass-send to the worker's
 * group is confirmed as the owner does in the app. Mounted by the runtime on its HTTP gateway:
 *   GET  /_local/wecom                 the page
 *   GET  /_local/wecom/state?user=     what that worker sent, received, and has to confirm
 *   POST /_local/wecom/send            { userId, kind: text | location | image, … } one app message
 *   POST /_local/wecom/confirm         { userId, msgid } the owner confirms a mass-send
 * Only the demo's grid workers can be played: no one's data beyond the demo's.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  imageMessageXml,
  locationMessageXml,
  textMessageXml,
} from '../../shared/domain/wecom/callback-message.ts';
import * as z from '../../shared/schema.ts';
import { issuesOf } from '../../shared/validation.ts';
import type { GridWorkerState } from '../../shared/web/grid-worker/grid-worker-config.ts';
import { renderGridWorkerPage } from '../../shared/web/grid-worker-page.ts';
import { readJsonBody, writeJson } from './http-bodies.ts';
import type { ExtraRoute } from './http-gateway.ts';
import { type SealedCallback, sealCallback, type WecomSimulator } from './wecom-simulator.ts';

/** A photo as a phone sends it, base64 in the JSON; the platform's own image limit is 2 MB. */
const MAX_PHOTO_BYTES = 2 * 1024 * 1024;
const MAX_BODY_BYTES = Math.ceil((MAX_PHOTO_BYTES * 4) / 3) + 16 * 1024;

export interface PlayableWorker {
  userId: string;
  gridId: string;
  /** The grid's name, as the demo directory has it. */
  name: string;
}

export interface GridWorkerSimulatorOptions {
  wecom: Pick<WecomSimulator, 'sent' | 'massSends' | 'confirmMassSend' | 'addMedia'>;
  /** The app's callback secrets and agent id, read each time (they can be rotated). */
  keys: () => { token: string; encodingAesKey: string; corpId: string; agentId: string };
  workers: readonly PlayableWorker[];
  /** Posts a sealed callback to the runtime's own `/api/wecom/callback`: its status and body. */
  deliver: (sealed: SealedCallback) => Promise<{ status: number; body: string }>;
  now?: () => Date;
}

/** What the page sent for a worker, with the callback's answer. */
export interface PlayedAppeal {
  msgId: string;
  kind: 'text' | 'location' | 'image';
  summary: string;
  at: string;
  /** The callback's HTTP status: 200 accepted; anything else refused or failed. */
  status: number;
}

const Lat = z.coerce.number().check(z.minimum(-90), z.maximum(90));
const Lng = z.coerce.number().check(z.minimum(-180), z.maximum(180));
const SendRequest = z.discriminatedUnion('kind', [
  z.object({
    userId: z.string().check(z.minLength(1)),
    kind: z.literal('text'),
    content: z
      .string()
      .check(z.trim(), z.minLength(1, 'type the appeal'), z.maxLength(2048, 'at most 2048 characters')),
  }),
  z.object({
    userId: z.string().check(z.minLength(1)),
    kind: z.literal('location'),
    lat: Lat,
    lng: Lng,
    label: z._default(z.string().check(z.trim(), z.maxLength(200)), ''),
  }),
  z.object({
    userId: z.string().check(z.minLength(1)),
    kind: z.literal('image'),
    photo: z.base64('a base64 JPEG or PNG').check(z.minLength(1, 'choose a photo')),
    contentType: z.enum(['image/jpeg', 'image/png'], 'a JPEG or PNG photo'),
  }),
]);
const ConfirmRequest = z.object({
  userId: z.string().check(z.minLength(1)),
  msgid: z.string().check(z.minLength(1)),
});

/** The callback's refusal, `{ code }` JSON, or its first characters. */
function reasonOf(body: string): string {
  const parsed = z.object({ code: z.string() }).safeParse(safeJson(body));
  return parsed.success ? parsed.data.code : body.slice(0, 200);
}
function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The request's JSON checked against `schema`; undefined once a 400 has been answered. */
async function parsedBody<T extends z.core.$ZodType>(
  req: IncomingMessage,
  res: ServerResponse,
  schema: T,
): Promise<z.output<T> | undefined> {
  let raw: unknown;
  try {
    raw = await readJsonBody(req, MAX_BODY_BYTES);
  } catch {
    writeJson(res, 400, { code: 'malformed_body', message: 'send JSON (a photo up to 2 MB)' });
    return undefined;
  }
  const parsed = z.safeParse(schema, raw);
  if (parsed.success) return parsed.data;
  writeJson(res, 400, { code: 'invalid_request', issues: issuesOf(parsed.error) });
  return undefined;
}

export function mountGridWorkerSimulator(options: GridWorkerSimulatorOptions): ExtraRoute {
  const now = options.now ?? (() => new Date());
  const workers = new Map(options.workers.map((w) => [w.userId, w]));
  const played = new Map<string, PlayedAppeal[]>();
  // Message ids as the platform's: 64-bit numbers, increasing.
  let lastMsgId = BigInt(now().getTime()) * 1000n;

  const stateOf = (userId: string): GridWorkerState & { worker: unknown } => ({
    worker: workers.get(userId),
    appeals: played.get(userId) ?? [],
    // message/send's touser may name several users, `a|b`.
    messages: options.wecom.sent
      .filter((m) => m.touser.split('|').includes(userId))
      .map((m) => ({ content: m.content, sentAt: m.sentAt, ...(m.card ? { card: m.card } : {}) })),
    massSends: options.wecom.massSends
      .filter((t) => t.sender === userId)
      .map((t) => ({
        msgid: t.msgid,
        text: t.text,
        createdAt: t.createdAt,
        status: t.status,
        groups: t.groups.map((g) => ({ chatId: g.chatId, status: g.status })),
      })),
  });

  const send = async (request: z.infer<typeof SendRequest>): Promise<PlayedAppeal> => {
    const keys = options.keys();
    const at = now();
    lastMsgId += 1n;
    const common = {
      corpId: keys.corpId,
      fromUser: request.userId,
      createTime: Math.floor(at.getTime() / 1000),
      msgId: String(lastMsgId),
      agentId: keys.agentId,
    };
    let xml: string;
    let summary: string;
    switch (request.kind) {
      case 'text':
        xml = textMessageXml({ ...common, content: request.content });
        summary = request.content;
        break;
      case 'location':
        xml = locationMessageXml({ ...common, lat: request.lat, lng: request.lng, label: request.label });
        summary = `📍 ${request.label || `${request.lat}, ${request.lng}`}`;
        break;
      case 'image': {
        const bytes = Buffer.from(request.photo, 'base64');
        const mediaId = options.wecom.addMedia(new Uint8Array(bytes), request.contentType);
        xml = imageMessageXml({ ...common, picUrl: `https://wework.qpic.cn/local/${mediaId}`, mediaId });
        summary = `🖼 ${Math.ceil(bytes.byteLength / 1024)} KB`;
        break;
      }
    }
    const answer = await options.deliver(sealCallback(xml, keys, { timestamp: common.createTime }));
    const appeal: PlayedAppeal = {
      msgId: common.msgId,
      kind: request.kind,
      summary,
      at: at.toISOString(),
      status: answer.status,
    };
    played.set(request.userId, [...(played.get(request.userId) ?? []), appeal]);
    if (answer.status !== 200) throw new CallbackRefused(answer.status, reasonOf(answer.body));
    return appeal;
  };

  const knownWorker = (res: ServerResponse, userId: string): boolean => {
    if (workers.has(userId)) return true;
    writeJson(res, 404, { code: 'unknown_worker', message: 'not a demo grid worker' });
    return false;
  };

  return async (req, res, url) => {
    if (url.pathname !== '/_local/wecom' && !url.pathname.startsWith('/_local/wecom/')) return false;
    const route = `${req.method} ${url.pathname}`;
    if (route === 'GET /_local/wecom') {
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
        'content-security-policy':
          "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src data:",
      });
      res.end(renderGridWorkerPage({ workers: options.workers }));
      return true;
    }
    if (route === 'GET /_local/wecom/state') {
      const userId = url.searchParams.get('user') ?? '';
      if (knownWorker(res, userId)) writeJson(res, 200, stateOf(userId));
      return true;
    }
    if (route === 'POST /_local/wecom/send') {
      const request = await parsedBody(req, res, SendRequest);
      if (!request || !knownWorker(res, request.userId)) return true;
      if (request.kind === 'image' && Buffer.from(request.photo, 'base64').byteLength > MAX_PHOTO_BYTES) {
        writeJson(res, 400, {
          code: 'invalid_request',
          issues: [{ path: 'photo', message: 'at most 2 MB' }],
        });
        return true;
      }
      try {
        writeJson(res, 202, await send(request));
      } catch (error) {
        if (error instanceof CallbackRefused)
          writeJson(res, 502, { code: 'callback_refused', status: error.status, reason: error.reason });
        else writeJson(res, 502, { code: 'callback_failed', message: 'the callback could not be reached' });
      }
      return true;
    }
    if (route === 'POST /_local/wecom/confirm') {
      const request = await parsedBody(req, res, ConfirmRequest);
      if (!request || !knownWorker(res, request.userId)) return true;
      try {
        const task = options.wecom.confirmMassSend(request.msgid, request.userId);
        writeJson(res, 200, { msgid: task.msgid, status: task.status });
      } catch (error) {
        // An unknown msgid, or one this worker is not the sender of.
        writeJson(res, 404, { code: 'not_found', message: error instanceof Error ? error.message : '' });
      }
      return true;
    }
    writeJson(res, 404, { message: 'Not Found' });
    return true;
  };
}

/** The runtime's callback answered something other than 200. */
class CallbackRefused extends Error {
  readonly status: number;
  readonly reason: string;

  constructor(status: number, reason: string) {
    super(`the callback answered ${status}: ${reason}`);
    this.status = status;
    this.reason = reason;
  }
}
