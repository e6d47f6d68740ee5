/**
 * A DirectoryReader that keeps the organisation in memory for a short while. The directory is
 * read on every routed report and changes rarely; a warm function re-reads it at most once per
 * `ttlMs`, so an admin's rule change takes effect within that time.
 */
import type { Organisation } from '../domain/organisation.ts';
import type { DirectoryReader } from '../ports/directory.ts';

export function cachedDirectory(
  source: DirectoryReader,
  ttlMs: number,
  now: () => number = Date.now,
): DirectoryReader {
  let cached: { org: Promise<Organisation>; until: number } | undefined;
  return {
    load() {
      const t = now();
      if (cached && t < cached.until) return cached.org;
      const org = source.load();
      cached = { org, until: t + ttlMs };
      // A failed read must not be served from the cache.
      org.catch(() => {
        if (cached?.org === org) cached = undefined;
      });
      return org;
    },
  };
}
