/**
 * A stand-in for WeChat Work (企业微信 / 政务微信) in the local runtime, beside the phone simulator
 * (issue 16 item 6, first part): the two platform calls the product makes so far, `gettoken` and
 * `message/send`, answered as the platform does (errcode/errmsg JSON, 40001 for a wrong secret,
 * 42001 for an expired token, 40014 for an unknown one), every app message sent recorded; and
 * `sealCallback`, which signs and encrypts a callback exactly as the platform does, for the tests
 * and (later) the browser page where a person plays the grid worker. Faults the real platform
 * produces can be injected: tokens expired early, rate limiting (45009) for the next calls.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import * as z from 'zod';
import { callbackSignature, encryptCallbackMessage } from '../../shared/domain/wecom/callback-crypto.ts';
import { callbackEnvelopeXml } from '../../shared/domain/wecom/callback-message.ts';

export interface SentAppMessage {
  touser: string;
  agentid: number;
  content: string;
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
  stop(): Promise<void>;
}

export interface WecomSimulatorOptions {
  /** The corp id and app secret a gettoken must bring (read each time: they can be rotated). */
  corpId: () => string;
  appSecret: () => string;
  tokenTtlSeconds?: number;
  now?: () => number;
}

const SendBody = z.object({
  touser: z.string().min(1),
  msgtype: z.literal('text'),
  agentid: z.number().int(),
  text: z.object({ content: z.string().min(1).max(2048) }),
});

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8');
}

export async function serveWecomSimulator(options: WecomSimulatorOptions): Promise<WecomSimulator> {
  const now = options.now ?? Date.now;
  const ttl = options.tokenTtlSeconds ?? 7200;
  const tokens = new Map<string, number>();
  const sent: SentAppMessage[] = [];
  let issued = 0;
  let rateLimited = 0;

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
      const expires = tokens.get(url.searchParams.get('access_token') ?? '');
      if (expires === undefined) return { errcode: 40014, errmsg: 'invalid access_token' };
      if (expires <= now()) return { errcode: 42001, errmsg: 'access_token expired' };
      let raw: unknown;
      try {
        raw = JSON.parse(await readBody(req));
      } catch {
        return { errcode: 47001, errmsg: 'data format error' };
      }
      const body = SendBody.safeParse(raw);
      if (!body.success) return { errcode: 47001, errmsg: 'data format error' };
      sent.push({
        touser: body.data.touser,
        agentid: body.data.agentid,
        content: body.data.text.content,
        sentAt: new Date(now()).toISOString(),
      });
      return { errcode: 0, errmsg: 'ok', invaliduser: '', msgid: randomUUID() };
    }
    return { errcode: 404, errmsg: 'not a WeChat Work call this simulator answers' };
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
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
