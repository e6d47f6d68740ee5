/**
 * The local stand-in for the WAF rate-based rules: counts each client address's requests per
 * limit group (infra/client-limits.ts) over the trailing window, as WAF does, and says when an
 * address is over. The gateway asks before it reads the body or invokes a function, so a refused
 * request leaves nothing behind.
 *
 * Hand-written rather than a rate-limiting library because the whole of it is a list of
 * timestamps per key, and tests need to move its clock without sleeping. Exact where WAF is not:
 * WAF re-evaluates about every 10 seconds, so in AWS a burst may overshoot a limit briefly.
 */
import type { ClientLimit } from '../client-limits.ts';
import { limitForRoute } from '../client-limits.ts';

export type ClientLimitDecision =
  | { admitted: true }
  | { admitted: false; limit: ClientLimit; retryAfterSeconds: number };

export interface ClientLimiter {
  /** Counts the request if it is admitted; a refused request is not counted. */
  admit(routeKey: string, address: string): ClientLimitDecision;
}

/** `::ffff:10.0.0.1` (an IPv4 client on a dual-stack socket) is the IPv4 address itself. */
const unmapped = (address: string): string =>
  /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address)?.[1] ?? address;

export function createClientLimiter(
  limits: readonly ClientLimit[],
  now: () => number = Date.now,
): ClientLimiter {
  /** Admission times (ms) per `group address`, oldest first, all within the group's window. */
  const admitted = new Map<string, number[]>();
  const longestWindowMs = Math.max(0, ...limits.map((limit) => limit.windowSeconds * 1000));
  let lastSweep = now();

  // Forget addresses that have gone quiet, so a long-running `npm start` does not grow.
  const sweep = (at: number) => {
    if (at - lastSweep < longestWindowMs) return;
    lastSweep = at;
    for (const [key, times] of admitted) {
      const newest = times.at(-1);
      if (newest === undefined || at - newest >= longestWindowMs) admitted.delete(key);
    }
  };

  return {
    admit(routeKey, address) {
      const limit = limitForRoute(routeKey, limits);
      if (!limit) return { admitted: true };
      const at = now();
      sweep(at);
      const windowMs = limit.windowSeconds * 1000;
      const key = `${limit.name} ${unmapped(address)}`;
      const times = (admitted.get(key) ?? []).filter((time) => at - time < windowMs);
      const [oldest] = times;
      if (times.length >= limit.limit && oldest !== undefined) {
        admitted.set(key, times);
        // The moment the oldest counted request leaves the window, one more is admitted.
        return {
          admitted: false,
          limit,
          retryAfterSeconds: Math.max(1, Math.ceil((oldest + windowMs - at) / 1000)),
        };
      }
      times.push(at);
      admitted.set(key, times);
      return { admitted: true };
    },
  };
}
