/**
 * What staff read, decided before anything is read: the partition a list is read from is the
 * caller's own scope (never a wider one filtered afterwards), and the statistics hold only the
 * figures of that scope. The stores are stand-ins that record what they were asked for.
 */
import { describe, expect, it } from 'vitest';
import { demoOrganisation } from '../../infra/demo/demo-organisation.ts';
import { type CounterDeltas, counterName, snapshotOf } from '../../shared/domain/case-statistics.ts';
import type { Staff } from '../../shared/domain/staff.ts';
import type { CaseListing, CaseStore, ListFilter, PageRequest } from '../../shared/ports/case-store.ts';
import type { StatsStore } from '../../shared/ports/stats-store.ts';
import { defaultPolicies } from '../../shared/reference/default-policies.ts';
import { getStats, listCases } from '../../shared/services/case-queries.ts';

const staff = {
  unit: { role: 'unit_handler', userId: 'u1', name: 'u1', unitId: 'psb-antifraud' },
  dispatcher: {
    role: 'centre_dispatcher',
    userId: 'd1',
    name: 'd1',
    unitId: 'centre-chengdong',
    townshipId: 'chengdong',
  },
  grid: { role: 'grid_worker', userId: 'g1', name: 'g1', communityId: 'chengdong-kangning' },
  supervisor: { role: 'county_supervisor', userId: 's1', name: 's1' },
  admin: { role: 'admin', userId: 'a1', name: 'a1' },
  outreach: { role: 'outreach_staff', userId: 'o1', name: 'o1' },
} satisfies Record<string, Staff>;

function recordingCases() {
  const asked: { listing: CaseListing; filter: ListFilter; page?: PageRequest }[] = [];
  const cases: Pick<CaseStore, 'listCases'> = {
    listCases: async (listing, filter, _limit, page) => {
      asked.push({ listing, filter, page });
      return { cases: [] };
    },
  };
  return { asked, cases };
}

const noStats: StatsStore = {
  record: async () => undefined,
  snapshot: async () => snapshotOf({}),
  settle: async () => ({ settled: {} }),
  rebuildBalances: async () => undefined,
  countersByMonth: async () => [],
};

async function listingFor(who: Staff, query: Record<string, string>) {
  const { asked, cases } = recordingCases();
  await listCases(who, query, {
    cases: { ...unusedCases, ...cases },
    directory: { load: async () => demoOrganisation },
    stats: noStats,
    now: () => new Date('2026-12-01T00:00:00Z'),
    cursorKey: async () => 'a-test-secret-of-at-least-32-characters',
  });
  return asked;
}

const unused = () => Promise.reject(new Error('not used by the lists'));
const unusedCases: CaseStore = {
  saveReport: unused,
  getReport: unused,
  createCase: unused,
  getCase: unused,
  applyTransition: unused,
  settleEffects: unused,
  claimEntry: unused,
  saveTrainingExample: unused,
  pendingEffects: unused,
  listCases: unused,
  linkDuplicate: unused,
  dueTimerPage: unused,
  dropTimer: unused,
  writeDuplicateLink: unused,
};

describe('the partition a list is read from', () => {
  const unit = { kind: 'unit', unitId: 'psb-antifraud' } as const;
  const township = { kind: 'township', townshipId: 'chengdong' } as const;
  const community = { kind: 'community', communityId: 'chengdong-kangning' } as const;
  const county = { kind: 'county' } as const;
  it.each([
    [staff.unit, 'transfers', { kind: 'transfers', scope: unit }],
    [staff.unit, 'return_visits', { kind: 'return_visits', scope: unit }],
    [staff.unit, 'queue', { kind: 'unit', unitId: 'psb-antifraud', open: true }],
    [staff.dispatcher, 'transfers', { kind: 'transfers', scope: township }],
    [staff.dispatcher, 'return_visits', { kind: 'return_visits', scope: township }],
    [staff.dispatcher, 'queue', { kind: 'township', townshipId: 'chengdong', open: true }],
    [staff.grid, 'transfers', { kind: 'transfers', scope: community }],
    [staff.grid, 'return_visits', { kind: 'return_visits', scope: community }],
    [staff.grid, 'queue', { kind: 'community', communityId: 'chengdong-kangning', open: true }],
    [staff.supervisor, 'transfers', { kind: 'transfers', scope: county }],
    [staff.admin, 'return_visits', { kind: 'return_visits', scope: county }],
    [staff.supervisor, 'queue', { kind: 'county', open: true }],
  ] as const)('%o reading %s reads %o', async (who, list, listing) => {
    const asked = await listingFor(who, { list });
    expect(asked).toEqual([
      {
        listing,
        filter: { stage: undefined, overdue: undefined, communityId: undefined },
        page: {
          cursor: undefined,
          seal: { key: 'a-test-secret-of-at-least-32-characters', caller: who.userId },
        },
      },
    ]);
  });

  it('narrows a centre, and the county, to a community of theirs they ask for', async () => {
    const kangning = { kind: 'community', communityId: 'chengdong-kangning' } as const;
    for (const who of [staff.dispatcher, staff.supervisor]) {
      const asked = await listingFor(who, { list: 'transfers', communityId: 'chengdong-kangning' });
      expect(asked.map((a) => a.listing)).toEqual([{ kind: 'transfers', scope: kangning }]);
    }
  });

  it('reads nothing for a community outside the caller’s area', async () => {
    expect(
      await listingFor(staff.dispatcher, { list: 'queue', communityId: 'dongquan-weijiazhuang' }),
    ).toEqual([]);
    expect(
      await listingFor(staff.grid, { list: 'return_visits', communityId: 'chengdong-shuncheng' }),
    ).toEqual([]);
  });

  it('keeps a unit in its own lane and filters it by community', async () => {
    const asked = await listingFor(staff.unit, { list: 'queue', communityId: 'dongquan-weijiazhuang' });
    expect(asked.map((a) => [a.listing, a.filter.communityId])).toEqual([
      [{ kind: 'unit', unitId: 'psb-antifraud', open: true }, 'dongquan-weijiazhuang'],
    ]);
  });

  it('refuses outreach staff before reading anything, whatever they ask', async () => {
    await expect(listingFor(staff.outreach, { list: 'transfers', limit: '1' })).rejects.toMatchObject({
      code: 'forbidden',
    });
  });
});

describe('statistics narrowed to the reader', () => {
  // Two units, two townships: the anti-fraud centre's cases in Kangning (Chengdong), the
  // transport bureau's in Weijiazhuang (Dongquan), the Chengdong centre's one in Kangning.
  const counters: CounterDeltas = {
    [counterName.unit('psb-antifraud', 'dispatched')]: 3,
    [counterName.unit('transport', 'dispatched')]: 5,
    [counterName.unit('centre-chengdong', 'in_progress')]: 1,
    [counterName.community('chengdong-kangning', 'dispatched')]: 3,
    [counterName.community('chengdong-kangning', 'in_progress')]: 1,
    [counterName.community('dongquan-weijiazhuang', 'dispatched')]: 5,
    [counterName.stageMs('dispatched')]: 1_000,
    [counterName.stageVisits('dispatched')]: 2,
    [counterName.ratingSum('psb-antifraud')]: 8,
    [counterName.ratings('psb-antifraud')]: 2,
    [counterName.ratingSum('transport')]: 1,
    [counterName.ratings('transport')]: 1,
    [counterName.escalations('transport')]: 2,
  };
  const asked: (readonly string[])[] = [];
  const stats: StatsStore = {
    ...noStats,
    snapshot: async (unitIds) => {
      asked.push(unitIds);
      return snapshotOf(counters);
    },
  };
  const read = (who: Staff) =>
    getStats(who, {
      cases: unusedCases,
      directory: { load: async () => demoOrganisation },
      policies: { loadPolicies: async () => defaultPolicies },
      stats,
      now: () => new Date(),
    });

  it('gives a unit its own figures, with its own ratings and no time per stage', async () => {
    expect(await read(staff.unit)).toEqual({
      byStage: { dispatched: 3 },
      byUnit: { 'psb-antifraud': { dispatched: 3 } },
      byCommunity: {},
      overdueByUnit: {},
      byChannel: [],
      satisfaction: { ratings: 2, mean: 4, byUnit: { 'psb-antifraud': { ratings: 2, mean: 4 } } },
    });
  });

  it('gives a centre its township’s units and communities, counting the township’s cases', async () => {
    expect(await read(staff.dispatcher)).toEqual({
      byStage: { dispatched: 3, in_progress: 1 },
      byUnit: { 'centre-chengdong': { in_progress: 1 } },
      byCommunity: { 'chengdong-kangning': { dispatched: 3, in_progress: 1 } },
      overdueByUnit: {},
      byChannel: [],
      satisfaction: { ratings: 0, mean: null, byUnit: {} },
    });
  });

  it('gives a grid worker their community, and no ratings (they are counted per unit)', async () => {
    expect(await read(staff.grid)).toEqual({
      byStage: { dispatched: 3, in_progress: 1 },
      byUnit: {},
      byCommunity: { 'chengdong-kangning': { dispatched: 3, in_progress: 1 } },
      overdueByUnit: {},
      byChannel: [],
    });
  });

  it('gives the county centre and admins everything', async () => {
    for (const who of [staff.supervisor, staff.admin])
      expect(await read(who)).toEqual({
        ...snapshotOf(counters),
        // 1,000 ms over two visits, in human units too.
        timeInStage: { dispatched: { meanSeconds: 0.5, meanHours: 0.5 / 3600 } },
        byChannel: [],
      });
  });

  it('answers a date range from the month counters, counting the cases that came into each stage', async () => {
    const asked: Array<[string, string]> = [];
    const ranged: StatsStore = {
      ...noStats,
      countersByMonth: async (_units, from, to) => {
        asked.push([from, to]);
        return [
          {
            month: '2026-11',
            from,
            to,
            counters: {
              [counterName.unit('transport', 'dispatched')]: -1,
              [counterName.unitEntries('transport', 'dispatched')]: 4,
              [counterName.categoryEntries('road', 'dispatched')]: 4,
              [counterName.category('road', 'dispatched')]: -1,
            },
          },
        ];
      },
    };
    const stats = await getStats(
      staff.supervisor,
      {
        cases: unusedCases,
        directory: { load: async () => demoOrganisation },
        policies: { loadPolicies: async () => defaultPolicies },
        stats: ranged,
        now: () => new Date(),
      },
      { from: '2026-11-03', to: '2026-11-20' },
    );
    expect(asked).toEqual([['2026-11-03', '2026-11-20']]);
    expect(stats).toMatchObject({
      range: { from: '2026-11-03', to: '2026-11-20' },
      byStage: { dispatched: 4 },
      byUnit: { transport: { dispatched: 4 } },
      byCategory: { road: { dispatched: 4 } },
    });
  });

  it('refuses half a range or a backwards one, naming the field', async () => {
    const deps = {
      cases: unusedCases,
      directory: { load: async () => demoOrganisation },
      policies: { loadPolicies: async () => defaultPolicies },
      stats: noStats,
      now: () => new Date(),
    };
    await expect(getStats(staff.supervisor, deps, { from: '2026-11-03' })).rejects.toMatchObject({
      code: 'invalid_request',
      issues: [{ path: 'to' }],
    });
    await expect(
      getStats(staff.supervisor, deps, { from: '2026-11-03', to: '2026-10-01' }),
    ).rejects.toMatchObject({ issues: [{ path: 'to', message: 'must not be before from' }] });
  });

  it('reads every unit’s buckets, since a case leaving a unit is counted out in the next one’s', async () => {
    asked.length = 0;
    await read(staff.unit);
    expect(asked).toEqual([demoOrganisation.units.map((u) => u.id)]);
  });

  it('refuses outreach staff', async () => {
    await expect(read(staff.outreach)).rejects.toMatchObject({ code: 'forbidden' });
  });
});
