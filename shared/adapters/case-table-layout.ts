/**
 * The layout of the cases table: its sparse secondary indexes and the keys a case state puts in
 * them. Shared by the DynamoDB adapter (which writes the keys) and the topology (which declares
 * the indexes), with no SDK import so infrastructure code can read it cheaply.
 *
 * Every list is read inside the reader's own scope: a case sits in four lanes (its unit, township,
 * community and the county), each split open/done, so a list's key condition is always the
 * caller's lane. The return-visit list is the front of each done lane: a closed case awaiting its
 * visit sorts there under `VISIT_LANE_PREFIX`, so "return visits in my scope" is one key
 * condition on that lane (and done lanes show those cases first). The transfer list of a unit,
 * township or community is its open lane, filtered to transferred cases (bounded by that scope's
 * open work); the county's transfers have their own sparse index, as the county lane is the one
 * too large to filter.
 */
import { type CaseState, isOpen } from '../domain/case.ts';
import { awaitsReturnVisit } from '../domain/case-lifecycle.ts';
import { retentionIndexKeys, retentionKeysOf } from './retention-index.ts';

/** The case table's secondary indexes: name → [partition key, sort key]. */
export const caseIndexes = {
  byUnit: ['unitLane', 'laneSk'],
  byTownship: ['townshipLane', 'laneSk'],
  byCommunity: ['communityLane', 'laneSk'],
  byCounty: ['countyLane', 'laneSk'],
  byTimer: ['timerPk', 'timerSk'],
  byTransfer: ['transferPk', 'transferSk'],
  byOutbox: ['outboxPk', 'outboxSk'],
  byRetention: retentionIndexKeys,
} as const;

/**
 * Keys of indexes that no longer exist (the county-wide return-visit index, replaced by the lanes'
 * visit prefix). No state sets them, so every write removes them from the items that still have them.
 */
const retiredIndexKeyNames = ['visitPk', 'visitSk'] as const;

type IndexKeyName = (typeof caseIndexes)[keyof typeof caseIndexes][number];
type StateKeyName = IndexKeyName | (typeof retiredIndexKeyNames)[number];
/** Keys derived from the case's state; the outbox keys are managed with its pending effects instead. */
export const stateIndexKeyNames: readonly StateKeyName[] = [
  ...new Set(Object.values(caseIndexes).flat()),
  ...retiredIndexKeyNames,
].filter((name) => name !== 'outboxPk' && name !== 'outboxSk');

/** Lane sort keys of closed cases awaiting a return visit start with this; it sorts after any date. */
export const VISIT_LANE_PREFIX = '~visit#';

export const laneKey = {
  unit: (unitId: string, open: boolean) => `UNIT#${unitId}#${open ? 'open' : 'done'}`,
  township: (townshipId: string, open: boolean) => `TOWNSHIP#${townshipId}#${open ? 'open' : 'done'}`,
  community: (communityId: string, open: boolean) => `COMMUNITY#${communityId}#${open ? 'open' : 'done'}`,
  county: (open: boolean) => `COUNTY#${open ? 'open' : 'done'}`,
} as const;

/** The partition of the county's transfer list. */
export const TRANSFER_PK = 'TRANSFER';

/** Index keys for a state; absent keys take the case out of that (sparse) index. */
export function indexKeysOf(state: CaseState): Partial<Record<StateKeyName, string>> {
  const open = isOpen(state.stage);
  const code = state.trackingCode;
  // Keyed by submission, which never changes: a transition rewrites an entry, never moves it.
  const byAge = `${state.submittedAt}#${code}`;
  return {
    unitLane: laneKey.unit(state.unitId, open),
    townshipLane: laneKey.township(state.townshipId ?? 'none', open),
    communityLane: laneKey.community(state.communityId, open),
    countyLane: laneKey.county(open),
    laneSk: awaitsReturnVisit(state) ? `${VISIT_LANE_PREFIX}${byAge}` : byAge,
    ...(state.timer ? { timerPk: 'TIMER', timerSk: `${state.timer.at}#${code}` } : {}),
    ...(state.transfers && open ? { transferPk: TRANSFER_PK, transferSk: byAge } : {}),
    ...retentionKeysOf(state),
  };
}
