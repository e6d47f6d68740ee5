/**
 * Likely duplicates of a case, worked out when staff open it (not when the report is routed, which
 * would cost every report a query most cases never need, and would go stale as reports arrive):
 * open cases of the same category from the last days in the same community, or — when the
 * resident gave a location — within about 250 m anywhere in the same township. Offered to staff;
 * merging stays their decision.
 */
import type { CaseState } from '../domain/case.ts';
import { distanceMetres } from '../domain/geo.ts';
import type { CaseStore } from '../ports/case-store.ts';

/** How far back an open report of the same kind counts as a likely duplicate. */
const DUPLICATE_WINDOW_DAYS = 7;
/** Reports of the same category this close together are probably about the same thing. */
const DUPLICATE_RADIUS_M = 250;

export async function likelyDuplicates(
  c: CaseState,
  cases: Pick<CaseStore, 'listCases'>,
): Promise<CaseState[]> {
  const filter = {
    category: c.category,
    since: new Date(Date.parse(c.submittedAt) - DUPLICATE_WINDOW_DAYS * 86_400_000).toISOString(),
  };
  const found = new Map<string, CaseState>();
  const sameCommunity = await cases.listCases(
    { kind: 'community', communityId: c.communityId, open: true },
    filter,
    20,
  );
  for (const other of sameCommunity.cases) found.set(other.trackingCode, other);
  const here = c.location;
  if (here && c.townshipId) {
    const nearby = await cases.listCases(
      { kind: 'township', townshipId: c.townshipId, open: true },
      filter,
      50,
    );
    for (const other of nearby.cases) {
      if (other.location && distanceMetres(here, other.location) <= DUPLICATE_RADIUS_M)
        found.set(other.trackingCode, other);
    }
  }
  found.delete(c.trackingCode);
  return [...found.values()];
}
