/**
 * The per-client limits on the local runtime, with the limits AWS deploys (infra/client-limits.ts):
 * over the limit an address gets 429 with Retry-After and the error envelope, before the function
 * runs, so nothing is queued or remembered; another address is not affected; the address is
 * admitted again once its oldest request leaves the window. The limiter's clock is the test's.
 *
 * The router is left out of this runtime so the intake queue keeps exactly what was accepted.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import { clientLimits, limitForRoute, rateLimitedBody } from '../../infra/client-limits.ts';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime.ts';
import { topology } from '../../infra/topology.ts';
import { queueDepth } from '../support/queues.ts';

const intakeLimit = limitForRoute('POST /api/reports');
if (!intakeLimit) throw new Error('POST /api/reports has no client limit');
const windowSeconds = intakeLimit.windowSeconds;

let rt: LocalRuntime;
let now = Date.parse('2026-11-29T08:00:00Z');

beforeAll(async () => {
  rt = await startLocalRuntime({
    port: 0,
    memory: true,
    quiet: true,
    topology: { ...topology, functions: topology.functions.filter((fn) => fn.name !== 'route-report') },
    clientLimits,
    clientLimitClock: () => now,
  });
});
afterAll(async () => {
  await rt?.stop();
});

interface Answer {
  status: number;
  retryAfter: string | undefined;
  body: unknown;
}

/** An HTTP request from a chosen loopback address (Linux routes all of 127.0.0.0/8 locally). */
function send(
  from: string,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const url = new URL(path, rt.url);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        localAddress: from,
        headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const retryAfter = res.headers['retry-after'];
          resolve({
            status: res.statusCode ?? 0,
            retryAfter: Array.isArray(retryAfter) ? retryAfter.join(',') : retryAfter,
            body: text.startsWith('{') ? JSON.parse(text) : text,
          });
        });
      },
    );
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

const report = (description: string) => ({
  category: 'road',
  communityId: 'chengdong-kangning',
  description,
});

const submitFrom = (from: string, description: string, idempotencyKey = crypto.randomUUID()) =>
  send(from, 'POST', '/api/reports', report(description), { 'idempotency-key': idempotencyKey });

const intakeDepth = () => queueDepth(rt.sqsClient, rt.queueUrl('intake'));

const Receipt = z.object({ trackingCode: z.string(), status: z.literal('received') });

describe('per-client limits on the local runtime', () => {
  const limited = '127.0.0.1';
  const limitedKey = crypto.randomUUID();
  let firstCode = '';

  it(`accepts ${intakeLimit.limit} reports from one address within ${windowSeconds / 60} minutes`, async () => {
    for (let i = 0; i < intakeLimit.limit; i++) {
      const answer = await submitFrom(limited, `路灯不亮 ${i}`);
      expect(answer.status, `report ${i + 1}`).toBe(202);
      if (i === 0) firstCode = Receipt.parse(answer.body).trackingCode;
      now += 1000;
    }
    expect(await intakeDepth()).toBe(intakeLimit.limit);
  });

  it('answers the next one with 429, Retry-After and the error envelope, without running the function', async () => {
    const submitReport = rt.functions.get('submit-report');
    if (!submitReport) throw new Error('no submit-report');
    const invoked = vi.spyOn(submitReport, 'invoke');
    try {
      const answer = await submitFrom(limited, '路灯不亮 one too many', limitedKey);
      expect(answer.status).toBe(429);
      expect(answer.body).toEqual(rateLimitedBody);
      // The first report was counted 20 s ago; it leaves the window in 280 s.
      expect(answer.retryAfter).toBe(String(windowSeconds - intakeLimit.limit));
      expect(invoked).not.toHaveBeenCalled();
    } finally {
      invoked.mockRestore();
    }
    expect(await intakeDepth()).toBe(intakeLimit.limit);
  });

  it('keeps refusing within the window, counting down to when the oldest report leaves it', async () => {
    now += 200_000;
    const answer = await submitFrom(limited, '路灯不亮 still too many', limitedKey);
    expect(answer.status).toBe(429);
    expect(answer.retryAfter).toBe(String(windowSeconds - intakeLimit.limit - 200));
    expect(await intakeDepth()).toBe(intakeLimit.limit);
  });

  it('does not hold the limit against another address', async () => {
    const answer = await submitFrom('127.0.0.2', '另一户：路灯不亮');
    expect(answer.status).toBe(202);
    expect(await intakeDepth()).toBe(intakeLimit.limit + 1);
  });

  it("counts each group on its own: the limited address can still read a report's status", async () => {
    const answer = await send(limited, 'GET', `/api/reports/${encodeURIComponent(firstCode)}`);
    // Not routed in this runtime, so not found; what matters is that it was not refused.
    expect(answer.status).toBe(404);
  });

  it('admits the address again once its oldest report leaves the window, and had remembered nothing of the refused ones', async () => {
    now += (windowSeconds - intakeLimit.limit - 200) * 1000;
    // The key of a refused request comes back with another body: had the refused request been
    // recorded, this would be 409 (the key with a different body).
    const answer = await submitFrom(limited, '路灯不亮 after the wait', limitedKey);
    expect(answer.status).toBe(202);
    expect(await intakeDepth()).toBe(intakeLimit.limit + 2);
    // Only one slot came free: the next is refused again until the second-oldest leaves.
    const next = await submitFrom(limited, '路灯不亮 too soon');
    expect(next.status).toBe(429);
    expect(next.retryAfter).toBe('1');
  });
});
