/**
 * The layout of the cases table: its sparse secondary indexes and the keys a case state puts in
 * them. Shared by the DynamoDB adapter (which writes the keys) and the topology (which declares
 * the indexes), with no SDK import so infrastructure code can read it cheaply.
 */
import { type CaseState, isOpen } from '../domain/case.ts';
import { retentionIndexKeys, retentionKeysOf } from './retention-index.ts';

/** The case table's secondary indexes: name → [partition key, sort key]. */
export const caseIndexes = {
  byUnit: ['unitLane', 'laneSk'],
  byTownship: ['townshipLane', 'laneSk'],
  byCommunity: ['communityLane', 'laneSk'],
  byCounty: ['countyLane', 'laneSk'],
  byTimer: ['timerPk', 'timerSk'],
  byVisit: ['visitPk', 'visitSk'],
  byTransfer: ['transferPk', 'transferSk'],
  byOutbox: ['outboxPk', 'outboxSk'],
  byRetention: retentionIndexKeys,
} as const;

type IndexKeyName = (typeof caseIndexes)[keyof typeof caseIndexes][number];
/** Keys derived from the case's state; the outbox keys are managed with its pending effects instead. */
export const stateIndexKeyNames: readonly IndexKeyName[] = [
  ...new Set(Object.values(caseIndexes).flat()),
].filter((name) => name !== 'outboxPk' && name !== 'outboxSk');

/** Index keys for a state; absent keys take the case out of that (sparse) index. */
export function indexKeysOf(state: CaseState): Partial<Record<IndexKeyName, string>> {
  const lane = isOpen(state.stage) ? 'open' : 'done';
  const code = state.trackingCode;
  return {
    unitLane: `UNIT#${state.unitId}#${lane}`,
    townshipLane: `TOWNSHIP#${state.townshipId ?? 'none'}#${lane}`,
    communityLane: `COMMUNITY#${state.communityId}#${lane}`,
    countyLane: `COUNTY#${lane}`,
    laneSk: `${state.submittedAt}#${code}`,
    ...(state.timer ? { timerPk: 'TIMER', timerSk: `${state.timer.at}#${code}` } : {}),
    ...(state.returnVisit?.status === 'pending'
      ? { visitPk: 'VISIT', visitSk: `${state.updatedAt}#${code}` }
      : {}),
    ...(state.transfers && isOpen(state.stage)
      ? { transferPk: 'TRANSFER', transferSk: `${state.updatedAt}#${code}` }
      : {}),
    ...retentionKeysOf(state),
  };
}
