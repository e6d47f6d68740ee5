/**
 * The cases table's retention index (declared with the others in case-table-layout.ts): done
 * cases whose retention clock runs, in one partition, oldest clock first. Never an open case, so
 * the report path writes nothing to it; anonymising a case takes it out. No SDK import, like the
 * layout it belongs to.
 */
import type { CaseState } from '../domain/case.ts';
import { retentionClockStart } from '../domain/report-retention.ts';

/** Partition key and sort key of the `byRetention` index. */
export const retentionIndexKeys = ['retentionPk', 'retentionSk'] as const;
export const RETENTION_PK = 'RETENTION';

export function retentionKeysOf(state: CaseState): { retentionPk: string; retentionSk: string } | undefined {
  const start = retentionClockStart(state);
  return start === undefined
    ? undefined
    : { retentionPk: RETENTION_PK, retentionSk: `${start}#${state.trackingCode}` };
}
