/**
 * The local limiter counts like WAF's rate-based rules: per limit group and client address, over
 * the trailing window, and says how long until the next request would be admitted.
 */
import { describe, expect, it } from 'vitest';
import type { ClientLimit } from '../../infra/client-limits.ts';
import { createClientLimiter } from '../../infra/local/client-limiter.ts';

const limits: ClientLimit[] = [
  { name: 'intake', routes: ['POST /api/reports'], limit: 3, windowSeconds: 60 },
  { name: 'pages', routes: ['GET /', 'GET /api/catalog'], limit: 2, windowSeconds: 300 },
];

const clock = (start = 1_000_000) => {
  let at = start;
  return { now: () => at, advance: (seconds: number) => (at += seconds * 1000) };
};

describe('the local client limiter', () => {
  it('admits up to the limit per address, then refuses with the seconds until the oldest leaves the window', () => {
    const time = clock();
    const limiter = createClientLimiter(limits, time.now);
    for (let i = 0; i < 3; i++) {
      expect(limiter.admit('POST /api/reports', '203.0.113.7')).toEqual({ admitted: true });
      time.advance(10);
    }
    const refused = limiter.admit('POST /api/reports', '203.0.113.7');
    expect(refused).toMatchObject({ admitted: false, retryAfterSeconds: 30 });
    expect(refused.admitted === false && refused.limit.name).toBe('intake');
  });

  it('counts each address and each group on its own, and leaves routes without a limit alone', () => {
    const limiter = createClientLimiter(limits, clock().now);
    for (let i = 0; i < 3; i++) limiter.admit('POST /api/reports', '203.0.113.7');
    expect(limiter.admit('POST /api/reports', '203.0.113.7').admitted).toBe(false);
    expect(limiter.admit('POST /api/reports', '203.0.113.8').admitted).toBe(true);
    expect(limiter.admit('GET /api/catalog', '203.0.113.7').admitted).toBe(true);
    for (let i = 0; i < 100; i++) expect(limiter.admit('GET /api/cases', '203.0.113.7').admitted).toBe(true);
  });

  it('counts the routes of one group together', () => {
    const limiter = createClientLimiter(limits, clock().now);
    expect(limiter.admit('GET /', '198.51.100.1').admitted).toBe(true);
    expect(limiter.admit('GET /api/catalog', '198.51.100.1').admitted).toBe(true);
    expect(limiter.admit('GET /', '198.51.100.1').admitted).toBe(false);
  });

  it('slides: as each request leaves the window, exactly one more is admitted', () => {
    const time = clock();
    const limiter = createClientLimiter(limits, time.now);
    for (let i = 0; i < 3; i++) {
      limiter.admit('POST /api/reports', '203.0.113.7');
      time.advance(20);
    }
    // 60 s after the first: it has left, the other two have not.
    expect(limiter.admit('POST /api/reports', '203.0.113.7').admitted).toBe(true);
    expect(limiter.admit('POST /api/reports', '203.0.113.7')).toMatchObject({
      admitted: false,
      retryAfterSeconds: 20,
    });
  });

  it('does not count refused requests, so a client that keeps trying is not locked out for longer', () => {
    const time = clock();
    const limiter = createClientLimiter(limits, time.now);
    for (let i = 0; i < 3; i++) limiter.admit('POST /api/reports', '203.0.113.7');
    for (let i = 0; i < 50; i++) {
      time.advance(1);
      expect(limiter.admit('POST /api/reports', '203.0.113.7').admitted).toBe(false);
    }
    time.advance(10);
    expect(limiter.admit('POST /api/reports', '203.0.113.7').admitted).toBe(true);
  });

  it('treats an IPv4 client seen on a dual-stack socket as the IPv4 address', () => {
    const limiter = createClientLimiter(limits, clock().now);
    limiter.admit('GET /', '::ffff:192.0.2.1');
    limiter.admit('GET /', '192.0.2.1');
    expect(limiter.admit('GET /', '::FFFF:192.0.2.1').admitted).toBe(false);
  });

  it('starts afresh for an address that has been quiet for a whole window', () => {
    const time = clock();
    const limiter = createClientLimiter(limits, time.now);
    for (let i = 0; i < 2; i++) limiter.admit('GET /', '198.51.100.1');
    expect(limiter.admit('GET /', '198.51.100.1').admitted).toBe(false);
    time.advance(300);
    expect(limiter.admit('GET /', '198.51.100.1').admitted).toBe(true);
    expect(limiter.admit('GET /', '198.51.100.1').admitted).toBe(true);
    expect(limiter.admit('GET /', '198.51.100.1').admitted).toBe(false);
  });
});
