/**
 * Short-lived in-memory caches for what every request reads and admins rarely change: the
 * organisation (directory) and the case-handling policies. A warm function re-reads them at most
 * once per `ttlMs`, so an admin's change takes effect within that time.
 */
import type { Organisation } from '../domain/organisation.ts';
import type { DirectoryReader } from '../ports/directory.ts';
import type { Policies, PolicyReader } from '../ports/policies.ts';

/** `load`, remembered for `ttlMs`; a failed load is forgotten at once so the next call retries. */
export function memoiseFor<T>(
  load: () => Promise<T>,
  ttlMs: number,
  now: () => number = Date.now,
): () => Promise<T> {
  let cached: { value: Promise<T>; until: number } | undefined;
  return () => {
    const t = now();
    if (cached && t < cached.until) return cached.value;
    const value = load();
    cached = { value, until: t + ttlMs };
    value.catch(() => {
      if (cached?.value === value) cached = undefined;
    });
    return value;
  };
}

export function cachedDirectory(source: DirectoryReader, ttlMs: number, now?: () => number): DirectoryReader {
  const load: () => Promise<Organisation> = memoiseFor(() => source.load(), ttlMs, now);
  return { load };
}

export function cachedPolicies(source: PolicyReader, ttlMs: number, now?: () => number): PolicyReader {
  const loadPolicies: () => Promise<Policies> = memoiseFor(() => source.loadPolicies(), ttlMs, now);
  return { loadPolicies };
}
