/**
 * The statistics rebuild on the emulators: cases made by the real router, transitions and sweeper
 * (so their live effects counted them), then the counters rebuilt from the cases alone must give
 * the very same figures — from nothing, over the live counters, and after a crash part-way.
 */
import { randomUUID } from 'node:crypto';
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbCaseScan } from '../../shared/adapters/dynamodb-case-scan.ts';
import {
  DynamoDbLegacyStatistics,
  DynamoDbRebuildCheckpoints,
} from '../../shared/adapters/dynamodb-stats-rebuild.ts';
import type { CaseState } from '../../shared/domain/case.ts';
import type { Actor, CaseAction } from '../../shared/domain/case-lifecycle.ts';
import type { StatsSnapshot } from '../../shared/domain/case-statistics.ts';
import { settledThrough } from '../../shared/domain/case-statistics.ts';
import type { CategoryCode } from '../../shared/domain/categories.ts';
import type { Staff } from '../../shared/domain/staff.ts';
import type { CaseScan } from '../../shared/ports/statistics-rebuild.ts';
import { unitIds } from '../../shared/reference/county-structure.ts';
import { defaultPolicies } from '../../shared/reference/default-policies.ts';
import {
  type RebuildEvent,
  type RebuildOptions,
  type RebuildStatisticsDeps,
  rebuildStatistics,
} from '../../shared/services/rebuild-statistics.ts';
import { routeReport } from '../../shared/services/route-report.ts';
import { sweepCases } from '../../shared/services/sweep-cases.ts';
import { applyCaseAction, transitionCase } from '../../shared/services/transition-case.ts';
import { type CaseWork, emulatedCaseWork } from '../support/case-work.ts';
import { type InjectedFault, injectFault } from '../support/faults.ts';
import { partitionSize, plantLegacyStatistics, wipeCounters } from '../support/stats-items.ts';

let work: CaseWork;
let statsTable: string;
/** The figures the live effects produced, before any rebuild. */
let live: StatsSnapshot;
const codes: string[] = [];

const supervisor: Staff = { role: 'county_supervisor', userId: 'u-supervisor', name: 'S' };
const handlerOf = (unitId: string): Staff => ({
  role: 'unit_handler',
  userId: `u-${unitId}`,
  name: 'H',
  unitId,
});
const staff = (s: Staff): Actor => ({ kind: 'staff', staff: s });

const hoursLater = (hours: number) => {
  work.clock.now = new Date(work.clock.now.getTime() + hours * 3_600_000);
};

async function currentCase(code: string): Promise<CaseState> {
  const state = await work.deps.cases.getCase(code);
  if (!state) throw new Error(`no case ${code}`);
  return state;
}

async function report(category: CategoryCode, communityId: string): Promise<string> {
  const code = `RB${String(codes.length + 1).padStart(7, '0')}`;
  codes.push(code);
  await routeReport(
    {
      kind: 'report.submitted',
      trackingCode: code,
      submissionId: randomUUID(),
      submittedAt: work.clock.now.toISOString(),
      channel: 'web',
      report: { category, communityId, description: '路灯不亮' },
    },
    work.deps,
  );
  return code;
}

/** Takes `action` on the case as it is now; by default as a handler of the unit that has it. */
async function act(code: string, action: CaseAction, as?: Actor): Promise<void> {
  hoursLater(5);
  const state = await currentCase(code);
  await applyCaseAction(state, action, state.version, as ?? staff(handlerOf(state.unitId)), work.deps);
}

const snapshot = () => work.deps.stats.snapshot(unitIds);

const deps = (overrides: Partial<RebuildStatisticsDeps> = {}): RebuildStatisticsDeps => ({
  cases: new DynamoDbCaseScan(work.db, work.tables.cases ?? ''),
  stats: work.deps.stats,
  unitIds,
  calendar: defaultPolicies.calendar,
  checkpoints: new DynamoDbRebuildCheckpoints(work.db, statsTable),
  legacy: new DynamoDbLegacyStatistics(work.db, statsTable),
  now: () => work.clock.now,
  ...overrides,
});

/** A scan that counts the pages it is asked for. */
const countingScan = (inner: CaseScan) => {
  const scan = {
    pages: 0,
    page: (limit: number, cursor?: string) => {
      scan.pages++;
      return inner.page(limit, cursor);
    },
  };
  return scan;
};

beforeAll(async () => {
  work = await emulatedCaseWork();
  statsTable = work.tables.stats ?? '';
  work.clock.now = new Date('2026-11-02T01:00:00.000Z');

  // The whole loop, rated.
  const closed = await report('road', 'dongquan-weijiazhuang');
  await act(closed, { action: 'accept' });
  await act(closed, { action: 'resolve', note: '已回填路面' });
  await act(closed, { action: 'verify' }, staff(supervisor));
  await act(closed, { action: 'close' }, staff(supervisor));
  await act(closed, { action: 'rate', score: 4 }, { kind: 'reporter' });

  // Reassigned, accepted there, then returned to the township centre.
  const moved = await report('fraud', 'chengdong-kangning');
  hoursLater(20);
  await act(moved, { action: 'reassign', unitId: 'transport' }, staff(supervisor));
  await act(moved, { action: 'accept' });
  await act(moved, { action: 'return', note: '不归我们管' });

  // A rejected resolution, an unhappy rating, a reopening.
  const reopened = await report('road', 'dongquan-weijiazhuang');
  await act(reopened, { action: 'accept' });
  await act(reopened, { action: 'resolve', note: '已修' });
  await act(reopened, { action: 'reject_resolution', note: '没修好' }, staff(supervisor));
  await act(reopened, { action: 'resolve', note: '这次修好了' });
  await act(reopened, { action: 'verify' }, staff(supervisor));
  await act(reopened, { action: 'close' }, staff(supervisor));
  await act(reopened, { action: 'rate', score: 2 }, { kind: 'reporter' });
  await act(reopened, { action: 'reopen', note: '居民仍不满意' }, staff(supervisor));

  // A duplicate merged into its original (a link event on the original).
  const original = await report('assistance', 'dongquan-weijiazhuang');
  const duplicate = await report('assistance', 'dongquan-weijiazhuang');
  hoursLater(1);
  await transitionCase(
    duplicate,
    { action: 'merge', into: original, expectedVersion: (await currentCase(duplicate)).version },
    supervisor,
    work.deps,
  );

  // Ten days on, the sweeper escalates what nobody took on, and settles the older days.
  hoursLater(240);
  const sweep = await sweepCases(work.deps);
  expect(sweep.failed).toEqual([]);
  expect(sweep.escalated.length).toBeGreaterThan(0);
  expect(sweep.statisticsSettled).toBeGreaterThan(0);
  await act(original, { action: 'accept' });

  live = await snapshot();
  // Figures worth comparing: several stages, ratings, escalations, durations.
  expect(Object.keys(live.byStage).length).toBeGreaterThanOrEqual(4);
  expect(live.satisfaction).toMatchObject({ ratings: 2, mean: 3 });
  expect(Object.values(live.overdueByUnit).reduce((a, b) => a + b, 0)).toBe(sweep.escalated.length);
  expect(live.meanMsInStage.in_progress).toBeGreaterThan(0);
});
afterAll(async () => {
  await work?.stop();
});

describe('rebuilding the statistics from the cases', () => {
  it('changes nothing when run over the live counters, however often', async () => {
    const first = await rebuildStatistics(deps(), { restart: true });
    expect(first).toMatchObject({ status: 'rebuilt', checkpoint: { casesRead: codes.length } });
    expect(first.checkpoint.completedAt).toBeDefined();
    expect(first.checkpoint.changesRecorded).toBeGreaterThan(codes.length);
    expect(await snapshot()).toEqual(live);

    const again = await rebuildStatistics(deps(), { restart: true });
    expect(again.status).toBe('rebuilt');
    expect(await snapshot()).toEqual(live);
  });

  it('says a finished rebuild is complete and reads no case again, unless restarted', async () => {
    const scan = countingScan(deps().cases);
    const done = await rebuildStatistics(deps({ cases: scan }));
    expect(done.status).toBe('already_complete');
    expect(scan.pages).toBe(0);
    const restarted = await rebuildStatistics(deps({ cases: scan }), { restart: true });
    expect(restarted.status).toBe('rebuilt');
    expect(scan.pages).toBeGreaterThan(0);
  });

  it('recounts exactly what the live effects counted, from no counters at all', async () => {
    expect(await wipeCounters(work.db, statsTable)).toBeGreaterThan(0);
    expect((await snapshot()).byStage).toEqual({});

    const result = await rebuildStatistics(deps(), { restart: true, pageSize: 3 });
    expect(result.status).toBe('rebuilt');
    expect(result.checkpoint.casesRead).toBe(codes.length);
    expect(await snapshot()).toEqual(live);
  });

  it('recounts exactly after an upgrade whose sweeper settled balances before the rebuild ran', async () => {
    await wipeCounters(work.db, statsTable);
    // The new sweeper runs within minutes of the deploy: empty balances, their days long past.
    await work.deps.stats.settle(unitIds, settledThrough(work.clock.now));
    const result = await rebuildStatistics(deps(), { restart: true, pageSize: 4 });
    expect(result.status).toBe('rebuilt');
    expect(await snapshot()).toEqual(live);
  });

  it('resumes after a crash part-way — even one whose last write landed — and counts every change once', async () => {
    await wipeCounters(work.db, statsTable);
    let pagesSaved = 0;
    const onProgress = (event: RebuildEvent) => {
      if (event.kind === 'page') pagesSaved++;
    };
    // Two pages in, a counter update takes effect but its answer is lost: the run dies there.
    const fault: InjectedFault = injectFault(work.dynamo, {
      phase: 'after',
      matches: (c) =>
        pagesSaved >= 2 &&
        c.commandName === 'UpdateItemCommand' &&
        JSON.stringify(c.input).includes('COUNTS#'),
    });
    const options: RebuildOptions = { restart: true, pageSize: 2, onProgress };
    await expect(rebuildStatistics(deps(), options)).rejects.toThrow(/updating statistics failed/);
    fault.remove();
    expect(fault.fired).toBe(1);
    const interrupted = await deps().checkpoints.load();
    expect(interrupted?.completedAt).toBeUndefined();
    expect(interrupted?.pages).toBe(2);
    expect(interrupted?.casesRead).toBeLessThan(codes.length);

    const events: RebuildEvent[] = [];
    const resumed = await rebuildStatistics(deps(), { pageSize: 2, onProgress: (e) => events.push(e) });
    expect(events[0]).toMatchObject({ kind: 'started', resumed: true, checkpoint: { pages: 2 } });
    expect(resumed.status).toBe('rebuilt');
    // Every case read once across both runs: the resumed run began where the first one stopped.
    expect(resumed.checkpoint.casesRead).toBe(codes.length);
    expect(await snapshot()).toEqual(live);
  });

  it('stops, without writing, when another run moved the checkpoint meanwhile', async () => {
    const real = deps().checkpoints;
    const scan = countingScan(deps().cases);
    const racing = {
      load: async () => {
        const seen = await real.load();
        // Another run saves first, between this run's read and its write.
        if (seen) await real.save({ ...seen, revision: seen.revision + 1 }, seen.revision);
        return seen;
      },
      save: real.save.bind(real),
    };
    const result = await rebuildStatistics(deps({ checkpoints: racing, cases: scan }), { restart: true });
    expect(result.status).toBe('superseded');
    expect(scan.pages).toBe(0);
  });

  it('drops the old layout once complete, but keeps it while a case could not be read', async () => {
    const planted = await plantLegacyStatistics(work.db, statsTable, codes);
    const junk = { pk: 'CASE#RB9999999', sk: 'STATE', stage: 'lost', version: 'one' };
    await work.db.send(new PutCommand({ TableName: work.tables.cases, Item: junk }));

    const unreadable: string[] = [];
    const kept = await rebuildStatistics(deps(), {
      restart: true,
      dropLegacy: true,
      onProgress: (e) => {
        if (e.kind === 'page') unreadable.push(...e.unreadable);
      },
    });
    expect(kept).toMatchObject({ status: 'rebuilt', checkpoint: { unreadable: 1, casesRead: codes.length } });
    expect(unreadable).toEqual(['CASE#RB9999999']);
    expect(kept.legacyDropped).toBeUndefined();
    expect(await partitionSize(work.db, statsTable, 'STATS')).toBe(planted);
    expect(await snapshot()).toEqual(live);

    // Once the item is dealt with, a restarted rebuild reads every case and drops the old layout.
    await work.db.send(
      new DeleteCommand({ TableName: work.tables.cases, Key: { pk: junk.pk, sk: junk.sk } }),
    );
    const dropped = await rebuildStatistics(deps(), { restart: true, dropLegacy: true });
    expect(dropped).toMatchObject({
      status: 'rebuilt',
      legacyDropped: planted,
      checkpoint: { unreadable: 0 },
    });
    expect(await partitionSize(work.db, statsTable, 'STATS')).toBe(0);
  });
});
