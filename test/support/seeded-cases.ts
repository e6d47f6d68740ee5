/**
 * Cases written straight into the cases table for the export's tests (hundreds at a time, no
 * intake): distinct valid tracking codes and dispatched cases placed in a township and community.
 */
import type { CaseState } from '../../shared/domain/case.ts';
import type { CaseStore } from '../../shared/ports/case-store.ts';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A tracking code: a two-character prefix and seven characters, distinct for distinct n. */
export function seededCode(prefix: string, n: number): string {
  let rest = '';
  for (let i = 0, v = n; i < 7; i++, v = Math.floor(v / ALPHABET.length))
    rest += ALPHABET[v % ALPHABET.length];
  return `${prefix}${rest}`;
}

export interface Placement {
  townshipId: string;
  communityId: string;
  unitId: string;
}

/** A case dispatched to `unitId` at `at`, waiting for acceptance. */
export function dispatchedCase(code: string, where: Placement, at: string): CaseState {
  return {
    trackingCode: code,
    submissionId: crypto.randomUUID(),
    stage: 'dispatched',
    version: 2,
    category: 'road',
    communityId: where.communityId,
    townshipId: where.townshipId,
    unitId: where.unitId,
    routing: { kind: 'rule' },
    channel: 'web',
    submittedAt: at,
    updatedAt: at,
    timeline: [{ stage: 'dispatched', at, by: 'system:route-report', unitId: where.unitId }],
  };
}

/** `count` cases one minute apart from `start`, coded `prefix…`. */
export const casesIn = (prefix: string, count: number, where: Placement, start: string): CaseState[] =>
  Array.from({ length: count }, (_, i) =>
    dispatchedCase(seededCode(prefix, i), where, new Date(Date.parse(start) + i * 60_000).toISOString()),
  );

/** Writes the cases 25 at a time (the reports too when `report` gives them). */
export async function seedCases(
  store: Pick<CaseStore, 'createCase' | 'saveReport'>,
  cases: readonly CaseState[],
  report?: (state: CaseState) => { description: string; contactPhone?: string },
): Promise<void> {
  for (let i = 0; i < cases.length; i += 25) {
    await Promise.all(
      cases.slice(i, i + 25).map(async (state) => {
        if (report)
          await store.saveReport({
            trackingCode: state.trackingCode,
            submissionId: state.submissionId,
            ...report(state),
          });
        await store.createCase(state, []);
      }),
    );
  }
}
