import { describe, expect, it } from 'vitest';
import type { CaseState } from '../../shared/domain/case.ts';
import {
  addCounters,
  settledThrough,
  snapshotOf,
  statsChangesOfCase,
  statsDeltas,
} from '../../shared/domain/case-statistics.ts';

const base: CaseState = {
  trackingCode: 'K7M2QX9PA',
  submissionId: '0b6f1c8e-5d4a-4e8b-9c61-2f1f4f3a9b10',
  stage: 'dispatched',
  version: 2,
  category: 'road',
  communityId: 'dongquan-weijiazhuang',
  townshipId: 'dongquan',
  unitId: 'transport',
  routing: { kind: 'rule', ruleId: 'road-county' },
  channel: 'web',
  submittedAt: '2026-11-29T08:00:00.000Z',
  updatedAt: '2026-11-29T08:00:05.000Z',
  timeline: [
    { stage: 'received', at: '2026-11-29T08:00:00.000Z', by: 'channel:web' },
    {
      stage: 'registered',
      at: '2026-11-29T08:00:05.000Z',
      by: 'system:route-report',
      action: 'register',
      unitId: 'transport',
    },
    {
      stage: 'dispatched',
      at: '2026-11-29T08:00:05.000Z',
      by: 'system:route-report',
      action: 'dispatch',
      unitId: 'transport',
    },
  ],
};

const recount = (c: CaseState) => snapshotOf(statsChangesOfCase(c).map(statsDeltas).reduce(addCounters, {}));

describe('what a stage change adds to the counters', () => {
  it('counts a new case into its stage without taking it out of the uncounted `received`', () => {
    const changes = statsChangesOfCase(base);
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({
      version: 2,
      from: { stage: 'received' },
      to: { stage: 'dispatched' },
    });
    expect(changes.map(statsDeltas)).toEqual([
      {
        'u|transport|dispatched': 1,
        'c|dongquan-weijiazhuang|dispatched': 1,
        'k|road|dispatched': 1,
        'eu|transport|dispatched': 1,
        'ec|dongquan-weijiazhuang|dispatched': 1,
        'ek|road|dispatched': 1,
        'ms|received': 5_000,
        'n|received': 1,
        // The router's dispatch is the unit's (and the township's) received case.
        'au|transport|received': 1,
        'at|dongquan|received': 1,
        // Its intake, under the channel it came in by (channel-statistics.ts): with this change only.
        'in|web|dongquan-weijiazhuang': 1,
      },
    ]);
  });

  it('moves a reassigned case from one unit to the other and leaves the stage visit open', () => {
    const reassigned: CaseState = {
      ...base,
      version: 3,
      unitId: 'urban-management',
      timeline: [
        ...base.timeline,
        {
          stage: 'dispatched',
          at: '2026-11-29T09:00:00.000Z',
          by: 'u1',
          action: 'reassign',
          unitId: 'urban-management',
        },
      ],
    };
    const snapshot = recount(reassigned);
    expect(snapshot.byUnit).toEqual({ 'urban-management': { dispatched: 1 } });
    expect(snapshot.byCommunity).toEqual({ 'dongquan-weijiazhuang': { dispatched: 1 } });
    expect(snapshot.meanMsInStage).toEqual({ received: 5_000 });
  });

  it('keeps every rating of a case rated again after it was reopened', () => {
    const events = [
      ['in_progress', 'accept'],
      ['resolved', 'resolve'],
      ['verified', 'verify'],
      ['closed', 'close'],
      ['evaluated', 'rate', 1],
      ['dispatched', 'reopen'],
      ['in_progress', 'accept'],
      ['resolved', 'resolve'],
      ['verified', 'verify'],
      ['closed', 'close'],
      ['evaluated', 'rate', 5],
    ] as const;
    const timeline = [
      ...base.timeline,
      ...events.map(([stage, action, score], i) => ({
        stage,
        action,
        at: `2026-11-30T${String(10 + i)}:00:00.000Z`,
        by: 'u1',
        unitId: 'transport',
        ...(score ? { score } : {}),
      })),
    ];
    const rated: CaseState = {
      ...base,
      stage: 'evaluated',
      version: timeline.length - 1,
      timeline,
      rating: { score: 5, at: '2026-11-30T10:00:00.000Z' },
    };
    expect(recount(rated).satisfaction.byUnit.transport).toEqual({ ratings: 2, mean: 3 });
    expect(recount(rated).byUnit).toEqual({ transport: { evaluated: 1 } });
  });

  it('settles days up to three days back, counted in Shanghai', () => {
    // 23:30 UTC on 3 December is already 4 December in Shanghai.
    expect(settledThrough(new Date('2026-12-03T23:30:00Z'))).toBe('2026-12-01');
  });
});
