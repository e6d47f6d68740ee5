import { describe, expect, it } from 'vitest';
import { indexKeysOf, stateIndexKeyNames } from '../../shared/adapters/case-table-layout.ts';
import type { CaseState } from '../../shared/domain/case.ts';

const base: CaseState = {
  trackingCode: 'K7M2QX9PA',
  submissionId: '0b6f1c8e-5d4a-4e8b-9c61-2f1f4f3a9b10',
  stage: 'dispatched',
  version: 2,
  category: 'fraud',
  communityId: 'chengdong-kangning',
  townshipId: 'chengdong',
  unitId: 'psb-antifraud',
  routing: { kind: 'rule', ruleId: 'fraud-county' },
  channel: 'web',
  submittedAt: '2026-11-29T08:00:00.000Z',
  updatedAt: '2026-11-30T09:00:00.000Z',
  timeline: [{ stage: 'received', at: '2026-11-29T08:00:00.000Z', by: 'channel:web' }],
};
const byAge = '2026-11-29T08:00:00.000Z#K7M2QX9PA';

describe('the index keys of a case', () => {
  it('put an open case in its four open lanes, newest submission first', () => {
    expect(indexKeysOf(base)).toEqual({
      unitLane: 'UNIT#psb-antifraud#open',
      townshipLane: 'TOWNSHIP#chengdong#open',
      communityLane: 'COMMUNITY#chengdong-kangning#open',
      countyLane: 'COUNTY#open',
      laneSk: byAge,
    });
  });

  it('put a closed case awaiting its return visit at the front of its four done lanes', () => {
    const keys = indexKeysOf({
      ...base,
      stage: 'evaluated',
      returnVisit: { status: 'pending', reason: 'low_rating' },
    });
    expect(keys).toMatchObject({ unitLane: 'UNIT#psb-antifraud#done', countyLane: 'COUNTY#done' });
    expect(keys.laneSk).toBe(`~visit#${byAge}`);
    // '~' sorts after every date, so a newest-first query meets these cases first.
    expect(`~visit#${byAge}` > '9999').toBe(true);
  });

  it('keep a case reopened before its visit, or visited, in the plain lanes', () => {
    const pending = { status: 'pending', reason: 'low_rating' } as const;
    expect(indexKeysOf({ ...base, stage: 'dispatched', returnVisit: pending }).laneSk).toBe(byAge);
    expect(
      indexKeysOf({
        ...base,
        stage: 'evaluated',
        returnVisit: { ...pending, status: 'done', outcome: 'satisfied' },
      }).laneSk,
    ).toBe(byAge);
  });

  it('list an open transferred case county-wide by submission, which no transition changes', () => {
    expect(indexKeysOf({ ...base, transfers: 2 })).toMatchObject({
      transferPk: 'TRANSFER',
      transferSk: byAge,
    });
    expect(indexKeysOf({ ...base, transfers: 2, stage: 'closed' }).transferPk).toBeUndefined();
  });

  it('remove the keys of the retired county-wide return-visit index on every write', () => {
    expect(stateIndexKeyNames).toEqual(expect.arrayContaining(['visitPk', 'visitSk']));
    expect(
      indexKeysOf({ ...base, stage: 'evaluated', returnVisit: { status: 'pending', reason: 'no_rating' } }),
    ).not.toHaveProperty('visitPk');
  });
});
