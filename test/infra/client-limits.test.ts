/**
 * The description of the per-client limits against the topology it protects: every public route
 * is counted in exactly one group, no group names a route that is not public, and every limit is
 * one AWS WAF's rate-based rules can express.
 */
import { describe, expect, it } from 'vitest';
import { clientLimits, limitForRoute, rateLimitedBody } from '../../infra/client-limits.ts';
import { topology } from '../../infra/topology.ts';

const httpRoutes = topology.functions.flatMap((fn) =>
  fn.triggers.flatMap((trigger) =>
    trigger.kind === 'http' ? [{ key: `${trigger.method} ${trigger.path}`, auth: trigger.auth }] : [],
  ),
);
const publicRoutes = httpRoutes.filter((route) => route.auth === 'public').map((route) => route.key);

describe('the per-client limits', () => {
  it.each(publicRoutes)('count the public route %s in exactly one group', (routeKey) => {
    expect(clientLimits.filter((limit) => limit.routes.includes(routeKey))).toHaveLength(1);
  });

  it('name only public routes of the topology', () => {
    for (const limit of clientLimits) {
      for (const routeKey of limit.routes) expect(publicRoutes, limit.name).toContain(routeKey);
    }
  });

  it('leave staff routes to their authoriser', () => {
    const staffRoutes = httpRoutes.filter((route) => route.auth === 'staff');
    expect(staffRoutes.length).toBeGreaterThan(0);
    for (const route of staffRoutes) expect(limitForRoute(route.key)).toBeUndefined();
  });

  it('limit intake, status, rating, sign-in and the SMS webhooks each in a group of their own', () => {
    const groupOf = (routeKey: string) => limitForRoute(routeKey)?.name;
    expect(groupOf('POST /api/reports')).toBe('intake');
    expect(groupOf('GET /api/reports/{trackingCode}')).toBe('report-status');
    expect(groupOf('POST /api/reports/{trackingCode}/rating')).toBe('rating');
    expect(groupOf('POST /api/session')).toBe('sign-in');
    expect(groupOf('POST /api/sms/inbound/twilio')).toBe('sms-webhooks');
  });

  it('are what AWS WAF can enforce: at least 10 requests, a 1, 2, 5 or 10 minute window, a rule name', () => {
    for (const limit of clientLimits) {
      expect(limit.limit, limit.name).toBeGreaterThanOrEqual(10);
      expect([60, 120, 300, 600], limit.name).toContain(limit.windowSeconds);
      expect(limit.name).toMatch(/^[A-Za-z0-9-]{1,64}$/);
    }
    expect(new Set(clientLimits.map((limit) => limit.name)).size).toBe(clientLimits.length);
  });

  it('answer in the API error envelope with the rate_limited code', () => {
    expect(rateLimitedBody.error.code).toBe('rate_limited');
    expect(rateLimitedBody.error.message.length).toBeGreaterThan(0);
  });
});
