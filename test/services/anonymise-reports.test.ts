/**
 * The retention job on the emulators (dynalite with the real cases table and its indexes): cases
 * made by the real router and transitions, then the clock moved on. A case done longer than the
 * retention period loses its reporter's phone, address, words and token hash and keeps its
 * timeline, statistics and public status; one not yet due, an open one, and one awaiting its
 * return visit are untouched; a second run does nothing; a crash between the two writes is
 * finished by the next run; many due cases are worked off page by page within the budget; done
 * cases written before the retention index existed are put into it by the backfill.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { DeleteCommand, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoOrganisation } from '../../infra/demo/demo-organisation.ts';
import { DynamoDbReportRetention } from '../../shared/adapters/dynamodb-report-retention.ts';
import type { CaseState } from '../../shared/domain/case.ts';
import type { Actor, CaseAction } from '../../shared/domain/case-lifecycle.ts';
import { ANONYMISED_DESCRIPTION } from '../../shared/domain/report-retention.ts';
import { hashReporterToken } from '../../shared/domain/reporter-token.ts';
import type { Staff } from '../../shared/domain/staff.ts';
import { generateTrackingCode } from '../../shared/domain/tracking-code.ts';
import type { ReportRetention } from '../../shared/ports/report-retention.ts';
import { unitIds } from '../../shared/reference/county-structure.ts';
import {
  type AnonymiseBudget,
  type AnonymiseDeps,
  anonymiseReports,
} from '../../shared/services/anonymise-reports.ts';
import { getReportStatus } from '../../shared/services/report-status.ts';
import { routeReport } from '../../shared/services/route-report.ts';
import { applyCaseAction } from '../../shared/services/transition-case.ts';
import { type CaseWork, emulatedCaseWork } from '../support/case-work.ts';
import { injectFault } from '../support/faults.ts';

let work: CaseWork;
let table = '';
const DAY = 86_400_000;
const T0 = new Date('2025-03-03T02:00:00.000Z');

const supervisor: Staff = { role: 'county_supervisor', userId: 'u-supervisor', name: 'S' };
const handlerOf = (unitId: string): Staff => ({
  role: 'unit_handler',
  userId: `u-${unitId}`,
  name: 'H',
  unitId,
});
const staff = (s: Staff): Actor => ({ kind: 'staff', staff: s });
const reporter: Actor = { kind: 'reporter' };

const PHONE = '+8613700002222';
const ADDRESS = '东关街12号3单元';
const DESCRIPTION = '楼下路灯不亮，我是张秀英，晚上请打我电话';

const at = (days: number) => new Date(T0.getTime() + days * DAY);

/** A report with every personal field, routed by the real router at the clock's time. */
async function report(): Promise<string> {
  const code = generateTrackingCode(randomBytes);
  await routeReport(
    {
      kind: 'report.submitted',
      trackingCode: code,
      submissionId: randomUUID(),
      submittedAt: work.clock.now.toISOString(),
      channel: 'web',
      report: {
        category: 'road',
        communityId: 'dongquan-weijiazhuang',
        description: DESCRIPTION,
        contactPhone: PHONE,
        address: ADDRESS,
        location: { lat: 37.201_234_5, lng: 112.175_678_9 },
      },
      reporterTokenHash: hashReporterToken(`token-${code}`),
    },
    work.deps,
  );
  return code;
}

async function currentCase(code: string): Promise<CaseState> {
  const state = await work.deps.cases.getCase(code);
  if (!state) throw new Error(`no case ${code}`);
  return state;
}

/** Takes `action` an hour later; by default as a handler of the unit that has the case. */
async function act(code: string, action: CaseAction, as?: Actor): Promise<void> {
  work.clock.now = new Date(work.clock.now.getTime() + 3_600_000);
  const state = await currentCase(code);
  await applyCaseAction(state, action, state.version, as ?? staff(handlerOf(state.unitId)), work.deps);
}

/** A report taken through the loop to `closed`, starting at `start`, each step with a note. */
async function closedCase(start: Date): Promise<string> {
  work.clock.now = start;
  const code = await report();
  await act(code, { action: 'accept', note: '已联系张秀英，电话13700002222' });
  await act(code, { action: 'resolve', note: '已更换灯泡' });
  await act(code, { action: 'verify', note: '现场核实' }, staff(supervisor));
  await act(code, { action: 'close' }, staff(supervisor));
  return code;
}

const item = async (code: string, sk: 'STATE' | 'REPORT') =>
  (await work.db.send(new GetCommand({ TableName: table, Key: { pk: `CASE#${code}`, sk } }))).Item;

const retention = () => new DynamoDbReportRetention(work.db, table);
const deps = (now: Date, overrides: Partial<AnonymiseDeps> = {}): AnonymiseDeps => ({
  retention: retention(),
  retentionDays: 365,
  now: () => now,
  ...overrides,
});
const snapshot = () => work.deps.stats.snapshot(unitIds);
const status = (code: string) =>
  getReportStatus(code, { cases: work.deps.cases, directory: { load: async () => demoOrganisation } });

/** Every DynamoDB call made while `run` runs: a fault that never fires, used as a probe. */
async function callsDuring<T>(run: () => Promise<T>): Promise<{ result: T; calls: string[] }> {
  const calls: string[] = [];
  const probe = injectFault(work.dynamo, {
    phase: 'before',
    matches: (call) => {
      calls.push(call.commandName);
      return false;
    },
  });
  try {
    return { result: await run(), calls };
  } finally {
    probe.remove();
  }
}

let due = '';
let rated = '';
let notYet = '';
let open = '';
let visit = '';

beforeAll(async () => {
  work = await emulatedCaseWork();
  table = work.tables.cases ?? '';

  due = await closedCase(T0);
  rated = await closedCase(T0);
  await act(rated, { action: 'rate', score: 4, comment: '谢谢，我是张秀英' }, reporter);
  visit = await closedCase(T0);
  await act(visit, { action: 'rate', score: 1, comment: '没修好' }, reporter);
  work.clock.now = T0;
  open = await report();
  await act(open, { action: 'accept', note: '已受理' });
  notYet = await closedCase(at(200));
});
afterAll(async () => {
  await work?.stop();
});

describe('anonymising reports after the retention period', () => {
  it('removes phone, address, words and token hash from a case done a year ago, keeping its timeline, statistics and public status', async () => {
    const before = { state: await currentCase(due), stats: await snapshot(), status: await status(due) };
    expect(before.state.timeline.some((e) => e.note)).toBe(true);

    const run = await anonymiseReports(deps(at(366)));
    expect(run.failed).toEqual([]);
    expect(run.anonymised).toEqual(expect.arrayContaining([due, rated]));
    expect(run.anonymised).not.toContain(notYet);

    const reportItem = await item(due, 'REPORT');
    expect(reportItem).toMatchObject({
      trackingCode: due,
      description: ANONYMISED_DESCRIPTION,
      location: { lat: 37.201, lng: 112.176 },
      anonymisedAt: at(366).toISOString(),
    });
    for (const gone of ['contactPhone', 'address', 'reporterTokenHash'])
      expect(reportItem).not.toHaveProperty(gone);
    expect(JSON.stringify(reportItem)).not.toMatch(/13700002222|张秀英|东关街/);

    const state = await currentCase(due);
    expect(state).toMatchObject({
      stage: 'closed',
      version: before.state.version,
      anonymisedAt: at(366).toISOString(),
    });
    expect(state.timeline.map(({ stage, at, by, action }) => ({ stage, at, by, action }))).toEqual(
      before.state.timeline.map(({ stage, at, by, action }) => ({ stage, at, by, action })),
    );
    expect(state.timeline.some((e) => e.note !== undefined)).toBe(false);
    const stateItem = await item(due, 'STATE');
    expect(stateItem).not.toHaveProperty('retentionPk');
    expect(JSON.stringify(stateItem)).not.toMatch(/13700002222|张秀英|东关街/);

    expect(await snapshot()).toEqual(before.stats);
    // The public status keeps its stage and timeline; the resolution note goes with the other
    // staff notes, as a year-old reply may name the resident's door or neighbour.
    const { resolution, ...publicWithoutNote } = before.status;
    expect(resolution).toMatchObject({ note: '已更换灯泡' });
    expect(await status(due)).toEqual({ ...publicWithoutNote, anonymisedAt: at(366).toISOString() });
  });

  it("keeps a rating's score and drops its comment", async () => {
    const state = await currentCase(rated);
    expect(state.stage).toBe('evaluated');
    expect(state.rating).toEqual({ score: 4, at: expect.any(String) });
    expect((await item(rated, 'REPORT'))?.description).toBe(ANONYMISED_DESCRIPTION);
  });

  it('leaves a case done less than the retention period ago, an open case and one awaiting its return visit untouched', async () => {
    for (const code of [notYet, open, visit]) {
      expect(await item(code, 'REPORT')).toMatchObject({
        description: DESCRIPTION,
        contactPhone: PHONE,
        address: ADDRESS,
      });
      expect((await currentCase(code)).anonymisedAt).toBeUndefined();
    }
    expect(await item(notYet, 'STATE')).toMatchObject({ retentionPk: 'RETENTION' });
    // Never in the index at all: the report path and open work write nothing to it.
    expect(await item(open, 'STATE')).not.toHaveProperty('retentionPk');
    expect(await item(visit, 'STATE')).not.toHaveProperty('retentionPk');
    expect((await currentCase(visit)).returnVisit?.status).toBe('pending');
  });

  it('does nothing on a second run: one read of the index, no writes', async () => {
    const { result, calls } = await callsDuring(() => anonymiseReports(deps(at(366))));
    expect(result).toMatchObject({ anonymised: [], skipped: [], failed: [], unfinished: false });
    expect(calls.filter((c) => c !== 'QueryCommand' && c !== 'GetItemCommand')).toEqual([]);
    expect(calls.filter((c) => c === 'QueryCommand')).toHaveLength(1);
  });

  it('starts the clock again when a done case changes: a return visit recorded later is a year from then', async () => {
    await act(
      visit,
      { action: 'record_return_visit', outcome: 'satisfied', note: '回访满意' },
      staff(supervisor),
    );
    const visited = work.clock.now;
    expect((await anonymiseReports(deps(at(366)))).anonymised).not.toContain(visit);
    const later = new Date(visited.getTime() + 366 * DAY);
    expect((await anonymiseReports(deps(later))).anonymised).toContain(visit);
    expect((await item(visit, 'REPORT'))?.description).toBe(ANONYMISED_DESCRIPTION);
  });
});

describe('a run that stops half-way', () => {
  it('finishes a case whose report was anonymised when the run died before marking it', async () => {
    const code = await closedCase(at(10));
    const fault = injectFault(work.dynamo, {
      phase: 'before',
      matches: (c) =>
        c.commandName === 'UpdateItemCommand' &&
        JSON.stringify(c.input).includes(code) &&
        JSON.stringify(c.input).includes('anonymisedAt'),
    });
    const crashed = await anonymiseReports(deps(at(400)));
    fault.remove();
    expect(fault.fired).toBe(1);
    expect(crashed.failed).toEqual([{ trackingCode: code, error: 'DependencyError' }]);
    // Half done: the report is anonymised, the case still waits in the index.
    expect(await item(code, 'REPORT')).not.toHaveProperty('contactPhone');
    expect(await item(code, 'STATE')).toMatchObject({ retentionPk: 'RETENTION' });

    const { result, calls } = await callsDuring(() => anonymiseReports(deps(at(400))));
    expect(result.anonymised).toEqual([code]);
    // The report is not written again: it was already anonymised.
    expect(calls.filter((c) => c === 'PutItemCommand')).toEqual([]);
    expect(await currentCase(code)).toMatchObject({ anonymisedAt: at(400).toISOString() });
    expect(await item(code, 'STATE')).not.toHaveProperty('retentionPk');
  });

  it('finishes a case whose report write landed but whose answer was lost', async () => {
    const code = await closedCase(at(11));
    const fault = injectFault(work.dynamo, {
      phase: 'after',
      matches: (c) => c.commandName === 'PutItemCommand' && JSON.stringify(c.input).includes(code),
    });
    const crashed = await anonymiseReports(deps(at(400)));
    fault.remove();
    expect(crashed.failed).toEqual([{ trackingCode: code, error: 'DependencyError' }]);
    expect((await anonymiseReports(deps(at(400)))).anonymised).toEqual([code]);
    expect(await item(code, 'REPORT')).toMatchObject({ description: ANONYMISED_DESCRIPTION });
  });

  it('leaves a case alone that was reopened after the index listed it', async () => {
    const code = await closedCase(at(12));
    const listed = retention();
    const reopening: ReportRetention = {
      duePage: (...args) => listed.duePage(...args),
      // The index still lists it (it lags), but the case is reopened before the job rereads it.
      current: async (trackingCode) => {
        if (trackingCode === code)
          await act(code, { action: 'reopen', note: '居民再次反映' }, staff(supervisor));
        return listed.current(trackingCode);
      },
      replaceReport: (...args) => listed.replaceReport(...args),
      markAnonymised: (...args) => listed.markAnonymised(...args),
      dropFromIndex: (...args) => listed.dropFromIndex(...args),
      backfillProgress: () => listed.backfillProgress(),
      doneCasesPage: (...args) => listed.doneCasesPage(...args),
      startClock: (...args) => listed.startClock(...args),
      saveBackfillProgress: (...args) => listed.saveBackfillProgress(...args),
    };
    const run = await anonymiseReports(deps(at(400), { retention: reopening }));
    expect(run.skipped).toContain(code);
    expect(await item(code, 'REPORT')).toMatchObject({ contactPhone: PHONE });
    expect((await currentCase(code)).stage).toBe('dispatched');
  });

  it('takes out of the index an anonymised case that a late writer put back into it', async () => {
    const code = await closedCase(at(13));
    expect((await anonymiseReports(deps(at(400)))).anonymised).toEqual([code]);
    // A writer that read the case before it was marked writes its keys back afterwards.
    await work.db.send(
      new UpdateCommand({
        TableName: table,
        Key: { pk: `CASE#${code}`, sk: 'STATE' },
        UpdateExpression: 'SET retentionPk = :pk, retentionSk = :sk',
        ExpressionAttributeValues: { ':pk': 'RETENTION', ':sk': `${at(13).toISOString()}#${code}` },
      }),
    );
    expect((await anonymiseReports(deps(at(400)))).skipped).toEqual([code]);
    expect(await item(code, 'STATE')).not.toHaveProperty('retentionPk');
    const { result, calls } = await callsDuring(() => anonymiseReports(deps(at(400))));
    expect(result.skipped).toEqual([]);
    expect(calls.filter((c) => c !== 'QueryCommand' && c !== 'GetItemCommand')).toEqual([]);
  });
});

describe('many due cases', () => {
  it('works them off page by page within the budget, and the next run carries on', async () => {
    const codes: string[] = [];
    for (let i = 0; i < 23; i++) codes.push(await closedCase(at(20)));
    const budget: AnonymiseBudget = { pageSize: 4, maxCases: 10, maxMs: 60_000 };

    const first = await callsDuring(() => anonymiseReports(deps(at(400)), budget));
    expect(first.result.anonymised).toHaveLength(10);
    expect(first.result.unfinished).toBe(true);
    expect(first.calls.filter((c) => c === 'QueryCommand')).toHaveLength(3);

    const rest = await anonymiseReports(deps(at(400)), { ...budget, maxCases: 1_000 });
    expect(rest.unfinished).toBe(false);
    expect([...first.result.anonymised, ...rest.anonymised].sort()).toEqual([...codes].sort());
    for (const code of codes) expect(await item(code, 'REPORT')).not.toHaveProperty('contactPhone');
  });

  it('stops reading pages once its time is up', async () => {
    const codes: string[] = [];
    for (let i = 0; i < 6; i++) codes.push(await closedCase(at(30)));
    let ticks = 0;
    const run = await anonymiseReports(
      deps(at(400)),
      { pageSize: 2, maxCases: 1_000, maxMs: 1 },
      () => ticks++,
    );
    expect(run.anonymised).toHaveLength(4);
    expect(run.unfinished).toBe(true);
    expect((await anonymiseReports(deps(at(400)))).anonymised).toHaveLength(2);
  });
});

describe('cases done before the retention index existed', () => {
  /** A done case as an earlier version wrote it: no retention keys. */
  async function legacyCase(start: Date): Promise<string> {
    const code = await closedCase(start);
    await work.db.send(
      new UpdateCommand({
        TableName: table,
        Key: { pk: `CASE#${code}`, sk: 'STATE' },
        UpdateExpression: 'REMOVE retentionPk, retentionSk',
      }),
    );
    return code;
  }

  it('indexes them once, resuming across runs, and anonymises them when due', async () => {
    const legacy = [await legacyCase(at(40)), await legacyCase(at(41)), await legacyCase(at(42))];
    await work.db.send(
      new DeleteCommand({ TableName: table, Key: { pk: 'RETENTION#BACKFILL', sk: 'PROGRESS' } }),
    );

    // The first run runs out of time after one page of the done lane.
    let ticks = 0;
    const first = await anonymiseReports(
      deps(at(60)),
      { pageSize: 2, maxCases: 1_000, maxMs: 1 },
      () => ticks++,
    );
    expect(first.backfill.complete).toBe(false);
    expect((await retention().backfillProgress()).after).toBeDefined();

    const rest = await anonymiseReports(deps(at(60)), { pageSize: 2, maxCases: 1_000, maxMs: 60_000 });
    expect(rest.backfill.complete).toBe(true);
    expect(first.backfill.indexed + rest.backfill.indexed).toBe(legacy.length);
    for (const code of legacy) expect(await item(code, 'STATE')).toMatchObject({ retentionPk: 'RETENTION' });

    // Complete: later runs read its progress and nothing of the done lane.
    const { result, calls } = await callsDuring(() => anonymiseReports(deps(at(60))));
    expect(result.backfill).toEqual({ indexed: 0, complete: true });
    expect(calls.filter((c) => c === 'QueryCommand')).toHaveLength(1);

    const dueRun = await anonymiseReports(deps(at(500)));
    expect(dueRun.anonymised).toEqual(expect.arrayContaining(legacy));
  });
});
