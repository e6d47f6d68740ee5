/**
 * Request and answer bodies of the local runtime's own HTTP servers (the gateway, the emulator
 * bridges, the simulators, the AWS JSON protocol stand-ins): a body read whole, with a size bound
 * where a stranger's request could be large, and JSON answers written uncached.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** The request's body; throws a RangeError once it is larger than `maxBytes`. */
export async function readBody(req: IncomingMessage, maxBytes = Number.POSITIVE_INFINITY): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.byteLength;
    if (size > maxBytes) throw new RangeError('too large');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

/** The request's JSON body; throws when it is larger than `maxBytes` or not JSON. */
export async function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  return JSON.parse((await readBody(req, maxBytes)).toString('utf8'));
}

export function writeJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}
