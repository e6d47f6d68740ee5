/**
 * The local runtime's S3 endpoint: a small HTTP bridge in front of fauxqs's S3 that gives the
 * browser and the functions S3's behaviour where fauxqs differs, so the photo adapter keeps plain
 * AWS semantics (shared/adapters/s3-photo-store.ts):
 *
 * - POST policy. fauxqs stores any presigned POST ("policy signature validation is skipped"), so
 *   an oversize upload or one declaring another type would be stored. The bridge reads the form's
 *   base64 policy and applies its conditions as S3 does — expiration, `eq` and `starts-with` on
 *   fields (bucket, key, Content-Type), `content-length-range` on the file — and answers S3's
 *   errors (400 EntityTooLarge / EntityTooSmall, 403 AccessDenied "Invalid according to Policy")
 *   before fauxqs sees the upload. The signature itself is not verified (the local credentials
 *   are fixed and public).
 * - CORS. The bucket lets the site's origin POST (infra/constructs/civic-bucket.ts); fauxqs sends
 *   no CORS headers, so the bridge answers preflights and adds them for a loopback origin (the
 *   local site), and for no other.
 *
 * Every other request (the SDK's Get/Head/Put/List/Delete, presigned GETs) passes through.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import * as z from '../../shared/schema.ts';
import { readBody } from './http-bodies.ts';

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'host', 'content-length']);

const PolicyDocument = z.object({
  expiration: z.string(),
  conditions: z.array(
    z.union([z.record(z.string(), z.string()), z.array(z.union([z.string(), z.number()]))]),
  ),
});

export interface PolicyRefusal {
  status: number;
  code: string;
  message: string;
}

/**
 * Whether S3 would take this POST: `fields` as posted (names compared case-insensitively, as S3
 * does), the bucket from the URL, the file's size. Undefined when it would.
 */
export function refusalOfPost(
  fields: ReadonlyMap<string, string>,
  bucket: string,
  fileSize: number,
  now: Date,
): PolicyRefusal | undefined {
  const denied = (message: string): PolicyRefusal => ({ status: 403, code: 'AccessDenied', message });
  const encoded = fields.get('policy');
  if (encoded === undefined) return denied('Bucket POST must contain a field named Policy');
  let parsed: z.infer<typeof PolicyDocument>;
  try {
    parsed = PolicyDocument.parse(JSON.parse(Buffer.from(encoded, 'base64').toString('utf8')));
  } catch {
    return { status: 400, code: 'InvalidPolicyDocument', message: 'Invalid Policy: Invalid JSON.' };
  }
  if (!(Date.parse(parsed.expiration) > now.getTime()))
    return denied('Invalid according to Policy: Policy expired.');
  const fieldValue = (name: string) =>
    name.toLowerCase() === 'bucket' ? bucket : fields.get(name.toLowerCase());
  for (const condition of parsed.conditions) {
    if (!Array.isArray(condition)) {
      for (const [name, expected] of Object.entries(condition)) {
        if (fieldValue(name) !== expected) {
          return denied(
            `Invalid according to Policy: Policy Condition failed: ["eq", "$${name}", "${expected}"]`,
          );
        }
      }
      continue;
    }
    const [operator, subject, operand] = condition;
    if (operator === 'content-length-range') {
      const [min, max] = [Number(subject), Number(operand)];
      if (fileSize > max) {
        return {
          status: 400,
          code: 'EntityTooLarge',
          message: 'Your proposed upload exceeds the maximum allowed size',
        };
      }
      if (fileSize < min) {
        return {
          status: 400,
          code: 'EntityTooSmall',
          message: 'Your proposed upload is smaller than the minimum allowed size',
        };
      }
      continue;
    }
    const name = String(subject).replace(/^\$/, '');
    const value = fieldValue(name) ?? '';
    const holds =
      operator === 'eq'
        ? value === String(operand)
        : operator === 'starts-with' && value.startsWith(String(operand));
    if (!holds) {
      return denied(
        `Invalid according to Policy: Policy Condition failed: ["${operator}", "$${name}", "${operand}"]`,
      );
    }
  }
  return undefined;
}

/** Only the local site (any port on loopback) may post from a browser, as only the site's origin may in AWS. */
export const isLocalSiteOrigin = (origin: string | undefined): origin is string =>
  origin !== undefined && /^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?$/.test(origin);

const errorXml = (refusal: PolicyRefusal) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${refusal.code}</Code><Message>${refusal.message.replace(/[<&]/g, (c) => (c === '<' ? '&lt;' : '&amp;'))}</Message></Error>`;

/** A form POST to a bucket (`/<bucket>` or `/<bucket>/`): its refusal, if S3 would refuse it. */
async function checkFormPost(req: IncomingMessage, body: Buffer): Promise<PolicyRefusal | undefined> {
  const bucket = decodeURIComponent(new URL(req.url ?? '/', 'http://bridge').pathname.split('/')[1] ?? '');
  const form = await new Request('http://bridge/', {
    method: 'POST',
    headers: { 'content-type': req.headers['content-type'] ?? '' },
    body: new Uint8Array(body),
  }).formData();
  const fields = new Map<string, string>();
  let fileSize = -1;
  form.forEach((value, name) => {
    if (typeof value === 'string') fields.set(name.toLowerCase(), value);
    else if (name.toLowerCase() === 'file') fileSize = value.size;
  });
  if (fileSize < 0) {
    return {
      status: 400,
      code: 'InvalidArgument',
      message: 'POST requires exactly one file upload per request.',
    };
  }
  return refusalOfPost(fields, bucket, fileSize, new Date());
}

export interface S3Bridge {
  endpoint: string;
  stop(): Promise<void>;
}

/** Serves the bridge on loopback (port 0: any free port) in front of fauxqs's S3 at `upstream`. */
export async function startS3Bridge(options: { upstream: string; port?: number }): Promise<S3Bridge> {
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const origin = req.headers.origin;
    const cors: Record<string, string> = isLocalSiteOrigin(origin)
      ? { 'access-control-allow-origin': origin, vary: 'Origin' }
      : {};
    try {
      if (req.method === 'OPTIONS') {
        res.writeHead(isLocalSiteOrigin(origin) ? 200 : 403, {
          ...cors,
          'access-control-allow-methods': 'POST',
          'access-control-allow-headers': req.headers['access-control-request-headers'] ?? '',
          'access-control-max-age': '3000',
          'content-length': '0',
        });
        res.end();
        return;
      }
      const body = await readBody(req);
      const isFormPost =
        req.method === 'POST' &&
        (req.headers['content-type'] ?? '').toLowerCase().startsWith('multipart/form-data');
      const refusal = isFormPost ? await checkFormPost(req, body) : undefined;
      if (refusal) {
        const xml = errorXml(refusal);
        res.writeHead(refusal.status, {
          ...cors,
          'content-type': 'application/xml',
          'content-length': String(Buffer.byteLength(xml)),
        });
        res.end(xml);
        return;
      }
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        if (typeof value === 'string' && !HOP_BY_HOP.has(name)) headers.set(name, value);
      }
      const upstream = await fetch(new URL(req.url ?? '/', options.upstream), {
        method: req.method,
        headers,
        body: body.byteLength > 0 ? new Uint8Array(body) : undefined,
      });
      const out = Buffer.from(await upstream.arrayBuffer());
      const outHeaders: Record<string, string> = {};
      upstream.headers.forEach((value, name) => {
        if (!HOP_BY_HOP.has(name) && name !== 'content-encoding') outHeaders[name] = value;
      });
      res.writeHead(upstream.status, { ...outHeaders, ...cors, 'content-length': String(out.byteLength) });
      res.end(req.method === 'HEAD' ? undefined : out);
    } catch {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const xml = errorXml({ status: 503, code: 'ServiceUnavailable', message: 'emulator bridge' });
      res.writeHead(503, { ...cors, 'content-type': 'application/xml' });
      res.end(xml);
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the S3 bridge is not on TCP');
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
