/**
 * The local runtime's SQS endpoint: a small HTTP bridge in front of fauxqs that gives every SQS
 * client on the laptop — the functions (through AWS_ENDPOINT_URL_SQS), the queue pollers, the CLI
 * and the tests — SQS's behaviour where fauxqs differs, so the adapters keep plain AWS semantics
 * and nothing in shared/ knows about the emulator:
 *
 * - Bodies. SQS accepts any valid Unicode; fauxqs refuses characters above U+FFFF with
 *   InvalidMessageContents (emoji, and the CJK extension characters some family and village names
 *   use). The bridge stores each such character — a UTF-16 surrogate pair — as two private-use
 *   characters and turns them back when the message is received, so a consumer gets exactly the
 *   body that was sent, with the MD5 SQS would report (the SDK checks it on send and on receive).
 *   A lone surrogate is not valid Unicode: it passes unchanged and fauxqs refuses it, as SQS does.
 * - Visibility 0. SQS makes the message visible again at once. fauxqs with a data directory loses
 *   it: its write-through sets the receive count to NULL, the NOT NULL constraint fails after the
 *   message has left the in-flight set, and the SDK's retry of the batch loses the next one. The
 *   bridge asks for one millisecond instead, which fauxqs handles like any visibility timeout
 *   running out (the message is back on the next receive, and stays in its data directory).
 *
 * Only those actions of the AWS JSON protocol are rewritten; every other request passes through.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import * as z from '../../shared/schema.ts';
import { readBody } from './http-bodies.ts';

/** fauxqs accepts U+E000–U+FFFD; this block of it carries the surrogates (see toEmulatorBody). */
const SHIFT = 0xe000 - 0xd800;
const ESCAPE = '\ue800';

/**
 * The body as fauxqs stores it: each surrogate of a well-formed pair moves to U+E000–U+E7FF, and
 * a character that was already in U+E000–U+E800 gets ESCAPE in front, so fromEmulatorBody can
 * always tell the two apart.
 */
export const toEmulatorBody = (body: string): string =>
  body.replace(/[\ud800-\udbff][\udc00-\udfff]|[\ue000-\ue800]/g, (match) =>
    match.length === 2
      ? String.fromCharCode(match.charCodeAt(0) + SHIFT, match.charCodeAt(1) + SHIFT)
      : ESCAPE + match,
  );

/** The body as it was sent: the inverse of toEmulatorBody. */
export const fromEmulatorBody = (stored: string): string =>
  stored.replace(
    /\ue800([\ue000-\ue800])|[\ue000-\ue7ff]/g,
    (match, escaped: string | undefined) => escaped ?? String.fromCharCode(match.charCodeAt(0) - SHIFT),
  );

/** What fauxqs is asked for when a client asks for visibility 0 (fauxqs reads it in seconds). */
export const EMULATOR_IMMEDIATE_VISIBILITY_SECONDS = 0.001;

const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');

// Only the fields the bridge touches; everything else in a request or response is kept as sent.
const SendMessage = z.looseObject({ MessageBody: z.string() });
const SendMessageBatch = z.looseObject({
  Entries: z.array(z.looseObject({ Id: z.string(), MessageBody: z.string() })),
});
const SendMessageResult = z.looseObject({ MD5OfMessageBody: z.string() });
const SendMessageBatchResult = z.looseObject({
  Successful: z.optional(z.array(z.looseObject({ Id: z.string(), MD5OfMessageBody: z.string() }))),
});
const ReceiveMessageResult = z.looseObject({
  Messages: z.optional(z.array(z.looseObject({ Body: z.string(), MD5OfBody: z.string() }))),
});
const VisibilityChange = z.looseObject({ VisibilityTimeout: z.number() });
const VisibilityChangeBatch = z.looseObject({ Entries: z.array(VisibilityChange) });

const visibleAtOnce = <T extends { VisibilityTimeout: number }>(change: T): T =>
  change.VisibilityTimeout === 0
    ? { ...change, VisibilityTimeout: EMULATOR_IMMEDIATE_VISIBILITY_SECONDS }
    : change;

/** A request as the bridge forwards it, and how to put the emulator's answer back into SQS terms. */
interface Bridged {
  request: unknown;
  response?: (result: unknown) => unknown;
}

/** Rewrites one SQS JSON-protocol request (`action` from its X-Amz-Target); unknown shapes pass. */
export function bridgeRequest(action: string, request: unknown): Bridged {
  switch (action) {
    case 'SendMessage': {
      const parsed = SendMessage.safeParse(request);
      if (!parsed.success) return { request };
      const md5OfBody = md5(parsed.data.MessageBody);
      return {
        request: { ...parsed.data, MessageBody: toEmulatorBody(parsed.data.MessageBody) },
        response: (result) => {
          const sent = SendMessageResult.safeParse(result);
          return sent.success ? { ...sent.data, MD5OfMessageBody: md5OfBody } : result;
        },
      };
    }
    case 'SendMessageBatch': {
      const parsed = SendMessageBatch.safeParse(request);
      if (!parsed.success) return { request };
      const md5ById = new Map(parsed.data.Entries.map((e) => [e.Id, md5(e.MessageBody)]));
      return {
        request: {
          ...parsed.data,
          Entries: parsed.data.Entries.map((e) => ({ ...e, MessageBody: toEmulatorBody(e.MessageBody) })),
        },
        response: (result) => {
          const sent = SendMessageBatchResult.safeParse(result);
          if (!sent.success || !sent.data.Successful) return result;
          return {
            ...sent.data,
            Successful: sent.data.Successful.map((s) => ({
              ...s,
              MD5OfMessageBody: md5ById.get(s.Id) ?? s.MD5OfMessageBody,
            })),
          };
        },
      };
    }
    case 'ReceiveMessage':
      return {
        request,
        response: (result) => {
          const received = ReceiveMessageResult.safeParse(result);
          if (!received.success || !received.data.Messages) return result;
          return {
            ...received.data,
            Messages: received.data.Messages.map((m) => {
              const body = fromEmulatorBody(m.Body);
              return body === m.Body ? m : { ...m, Body: body, MD5OfBody: md5(body) };
            }),
          };
        },
      };
    case 'ChangeMessageVisibility': {
      const parsed = VisibilityChange.safeParse(request);
      return { request: parsed.success ? visibleAtOnce(parsed.data) : request };
    }
    case 'ChangeMessageVisibilityBatch': {
      const parsed = VisibilityChangeBatch.safeParse(request);
      return {
        request: parsed.success
          ? { ...parsed.data, Entries: parsed.data.Entries.map(visibleAtOnce) }
          : request,
      };
    }
    default:
      return { request };
  }
}

const JSON_PROTOCOL = 'application/x-amz-json-1.0';
/** Headers about one connection, or that the body changed: not passed on in either direction. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'upgrade',
  'expect',
  'host',
  'content-length',
]);

/** The SQS action of a JSON-protocol request, e.g. `SendMessage`; undefined for anything else. */
function sqsAction(headers: IncomingHttpHeaders): string | undefined {
  const target = headers['x-amz-target'];
  if (!headers['content-type']?.includes(JSON_PROTOCOL) || typeof target !== 'string') return undefined;
  return target.startsWith('AmazonSQS.') ? target.slice('AmazonSQS.'.length) : undefined;
}

const parseJson = (buffer: Buffer): unknown => {
  try {
    return JSON.parse(buffer.toString('utf8'));
  } catch {
    return undefined;
  }
};

export interface SqsBridge {
  /** The endpoint SQS clients use (AWS_ENDPOINT_URL_SQS). */
  endpoint: string;
  stop(): Promise<void>;
}

/** Serves the bridge on `host:port` (0: any free port) in front of the fauxqs at `upstream`. */
export async function startSqsBridge(options: {
  upstream: string;
  port?: number;
  host?: string;
}): Promise<SqsBridge> {
  const server = createServer(async (req, res) => {
    // A client that gives up (a poller stopping mid long-poll) ends the emulator's wait too.
    const abort = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) abort.abort();
    });
    try {
      const action = sqsAction(req.headers);
      let body = await readBody(req);
      let answer: Bridged['response'];
      if (action !== undefined) {
        const request = parseJson(body);
        if (request !== undefined) {
          const bridged = bridgeRequest(action, request);
          body = Buffer.from(JSON.stringify(bridged.request), 'utf8');
          answer = bridged.response;
        }
      }
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        if (typeof value === 'string' && !HOP_BY_HOP.has(name)) headers.set(name, value);
      }
      // fetch, not node:http: in-process counters of the SDK's HTTP requests (the bench's
      // aws-requests.ts) then see each call once, as the client made it. Queue URLs name the
      // emulator's port as a result; no client reads its endpoint from them (aws-clients.ts).
      const upstream = await fetch(new URL(req.url ?? '/', options.upstream), {
        method: req.method,
        headers,
        body: body.byteLength > 0 ? new Uint8Array(body) : undefined,
        signal: abort.signal,
      });
      const raw = Buffer.from(await upstream.arrayBuffer());
      const result = answer && upstream.status === 200 ? parseJson(raw) : undefined;
      const out = answer && result !== undefined ? Buffer.from(JSON.stringify(answer(result)), 'utf8') : raw;
      const outHeaders: Record<string, string> = {};
      upstream.headers.forEach((value, name) => {
        // fetch has already undone any content encoding, and the length is this body's.
        if (!HOP_BY_HOP.has(name) && name !== 'content-encoding') outHeaders[name] = value;
      });
      res.writeHead(upstream.status, { ...outHeaders, 'content-length': String(out.byteLength) });
      res.end(out);
    } catch {
      if (res.headersSent || abort.signal.aborted) {
        res.destroy();
        return;
      }
      res.writeHead(502, { 'content-type': JSON_PROTOCOL });
      res.end(JSON.stringify({ __type: 'com.amazonaws.sqs#ServiceUnavailable', message: 'emulator bridge' }));
    }
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the SQS bridge is not on TCP');
  return {
    endpoint: `http://${host}:${address.port}`,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
