/**
 * JSON over the local runtime's own HTTP pages and stand-ins (the phone and grid-worker
 * simulators, the AWS JSON protocol): a request body read with a size bound, an answer written
 * uncached.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** The request's JSON body; throws when it is larger than `maxBytes` or not JSON. */
export async function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.byteLength;
    if (size > maxBytes) throw new RangeError('too large');
    chunks.push(buffer);
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

export function writeJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}
