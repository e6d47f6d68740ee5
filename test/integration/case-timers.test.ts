/**
 * The sweeper's timers on the local runtime (dynalite, the real tables and queues): escalation is
 * once per deadline, so a case overdue a second time is escalated again, once; a timer the
 * lifecycle will not act on is taken off; and cases that used to jam the sweep for ever — 150 of
 * them at once — neither fail on every sweep nor keep a fresh overdue case from being escalated.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime.ts';
import { unitQueueName } from '../../infra/topology.ts';
import { createDocumentClient } from '../../shared/adapters/aws-clients.ts';
import { DynamoDbCaseStore } from '../../shared/adapters/dynamodb-case-store.ts';
import { DynamoDbDirectory } from '../../shared/adapters/dynamodb-directory.ts';
import { DynamoDbPolicies } from '../../shared/adapters/dynamodb-policies.ts';
import { DynamoDbSmsState } from '../../shared/adapters/dynamodb-sms-state.ts';
import { DynamoDbStatsStore } from '../../shared/adapters/dynamodb-stats-store.ts';
import { localOutbox } from '../../shared/adapters/local-outbox.ts';
import { SqsDispatchQueue } from '../../shared/adapters/sqs-queues.ts';
import { CaseEscalated, type CaseState, type TimelineEvent } from '../../shared/domain/case.ts';
import { generateTrackingCode } from '../../shared/domain/tracking-code.ts';
import { unitIds } from '../../shared/reference/county-structure.ts';
import { sweepCases } from '../../shared/services/sweep-cases.ts';
import { sweepDueTimers } from '../../shared/services/sweep-due-timers.ts';
import { drain, receiveMatching } from '../support/queues.ts';

let rt: LocalRuntime;
let store: DynamoDbCaseStore;
let token = '';

beforeAll(async () => {
  rt = await startLocalRuntime({ port: 0, memory: true, quiet: true });
  store = new DynamoDbCaseStore(createDocumentClient(rt.dynamoClient), rt.resources.tables.cases ?? '');
  token = await rt.signInAs('dispatcher.dongquan');
});
afterAll(async () => {
  await rt?.stop();
});

const DAY = 86_400_000;

/** What the scheduled function gets, with the clock moved to `now`. */
const sweepDeps = (now: Date) => {
  const db = createDocumentClient(rt.dynamoClient);
  const tables = rt.resources.tables;
  return {
    cases: store,
    directory: new DynamoDbDirectory(db, tables.directory ?? ''),
    policies: new DynamoDbPolicies(db, tables.directory ?? ''),
    stats: new DynamoDbStatsStore(db, tables.stats ?? ''),
    dispatch: new SqsDispatchQueue(
      rt.sqsClient,
      Object.fromEntries(unitIds.map((u) => [u, rt.queueUrl(unitQueueName(u))])),
    ),
    sender: localOutbox(),
    notifications: new DynamoDbSmsState(db, tables.sms ?? ''),
    now: () => now,
  };
};

const Detail = z.object({
  id: z.string(),
  stage: z.string(),
  version: z.number(),
  timeline: z.array(z.object({ stage: z.string(), action: z.string().optional() })),
  escalation: z.object({ reason: z.string(), deadline: z.string().optional() }).optional(),
  dueAt: z.string().optional(),
});

const staffApi = async (path: string, body?: unknown) => {
  const response = await fetch(`${rt.url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      accept: 'application/json',
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as unknown };
};
const detail = async (id: string) => Detail.parse((await staffApi(`/api/cases/${id}`)).body);

/** A neighbour dispute in Dongquan, through the public API, once it has reached the township centre. */
async function dispute(description: string): Promise<string> {
  const response = await fetch(`${rt.url}/api/reports`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ category: 'dispute', communityId: 'dongquan-weijiazhuang', description }),
  });
  const { trackingCode } = z.object({ trackingCode: z.string() }).parse(await response.json());
  const id = trackingCode.replaceAll('-', '');
  const delivered = await receiveMatching(
    rt.sqsClient,
    rt.queueUrl(unitQueueName('centre-dongquan')),
    (body) => body.includes(id),
  );
  if (!delivered) throw new Error(`${trackingCode} never reached the Dongquan centre`);
  return id;
}

const escalationNotices = async () =>
  (await drain(rt.sqsClient, rt.queueUrl(unitQueueName('county-centre')))).flatMap((m) => {
    const parsed = CaseEscalated.safeParse(JSON.parse(m.Body ?? ''));
    return parsed.success ? [parsed.data] : [];
  });

/**
 * A case as earlier versions of the system left it, written straight to the table: `version`
 * stage changes, each with its event, ending in `stage` with `extra` (a timer, an escalation …).
 */
function storedCase(stage: CaseState['stage'], extra: Partial<CaseState>, at: Date): CaseState {
  const iso = (offsetMs: number) => new Date(at.getTime() + offsetMs).toISOString();
  const event = (s: CaseState['stage'], i: number): TimelineEvent => ({
    stage: s,
    at: iso(i * 60_000),
    by: 'system:route-report',
    unitId: 'centre-dongquan',
  });
  const open: CaseState['stage'][] = ['received', 'registered', 'dispatched', 'in_progress'];
  const path: CaseState['stage'][] =
    stage === 'closed' ? [...open, 'resolved', 'verified', 'closed'] : open.slice(0, open.indexOf(stage) + 1);
  const timeline = path.map(event);
  return {
    trackingCode: generateTrackingCode(randomBytes),
    submissionId: randomUUID(),
    stage,
    version: timeline.length - 1,
    category: 'dispute',
    communityId: 'dongquan-weijiazhuang',
    townshipId: 'dongquan',
    unitId: 'centre-dongquan',
    routing: { kind: 'rule', ruleId: 'dispute-county' },
    channel: 'web',
    submittedAt: iso(0),
    updatedAt: timeline.at(-1)?.at ?? iso(0),
    timeline,
    ...extra,
  };
}

const create = async (state: CaseState) => {
  const result = await store.createCase(state, []);
  expect(result.created).toBe(true);
  return state.trackingCode;
};

describe('escalation once per deadline', () => {
  it('escalates a case overdue again after its acceptance, once per deadline, and tells the county centre each time', async () => {
    const id = await dispute('两户因排水沟发生纠纷');
    await escalationNotices();
    // A dispute must be accepted within a working day and resolved within ten: a month on, both have passed.
    const later = sweepDeps(new Date(Date.now() + 30 * DAY));

    const first = await sweepCases(later);
    expect(first.escalated).toContain(id);
    expect((await sweepCases(later)).escalated).not.toContain(id);

    const escalated = await detail(id);
    expect(escalated.escalation).toMatchObject({ reason: 'accept_overdue' });
    const accepted = await staffApi(`/api/cases/${id}/transitions`, {
      action: 'accept',
      expectedVersion: escalated.version,
    });
    expect(accepted.status).toBe(200);

    const second = await sweepCases(later);
    expect(second.escalated).toContain(id);
    expect(second.failed.map((f) => f.trackingCode)).not.toContain(id);
    const third = await sweepCases(later);
    expect([
      ...third.escalated,
      ...third.timersCleared,
      ...third.failed.map((f) => f.trackingCode),
    ]).not.toContain(id);

    const c = await detail(id);
    expect(c.escalation).toMatchObject({ reason: 'resolve_overdue' });
    expect(c.timeline.filter((e) => e.action === 'escalate')).toHaveLength(2);
    const notices = (await escalationNotices()).filter((n) => n.trackingCode === id);
    expect(notices.map((n) => n.reason).sort()).toEqual(['accept_overdue', 'resolve_overdue']);
  });
});

describe('timers that cannot jam', () => {
  it('gets through 150 cases that used to fail on every sweep and still escalates a fresh overdue case in the same sweep', async () => {
    const longAgo = new Date(Date.now() - 40 * DAY);
    const due = (days: number) => new Date(longAgo.getTime() + days * DAY).toISOString();
    const jammed = {
      // Escalated once (before escalations named their deadline), accepted, overdue again.
      overdueAgain: Array.from({ length: 40 }, () =>
        storedCase(
          'in_progress',
          {
            escalation: { at: due(1), reason: 'accept_overdue' },
            timer: { kind: 'resolve_due', at: due(5) },
          },
          longAgo,
        ),
      ),
      // Rated low, visited, reopened and closed again: the finished visit used to block the flag.
      reclosedAfterVisit: Array.from({ length: 40 }, () =>
        storedCase(
          'closed',
          {
            returnVisit: { status: 'done', reason: 'low_rating', outcome: 'unresolved' },
            timer: { kind: 'rating_window', at: due(6) },
          },
          longAgo,
        ),
      ),
      // Reopened while still on the return-visit list and closed again: nothing to flag.
      stillOnVisitList: Array.from({ length: 35 }, () =>
        storedCase(
          'closed',
          {
            returnVisit: { status: 'pending', reason: 'low_rating' },
            timer: { kind: 'rating_window', at: due(7) },
          },
          longAgo,
        ),
      ),
      // A rejected resolution restored a resolve deadline that was escalated already.
      deadlineEscalatedAlready: Array.from({ length: 35 }, () =>
        storedCase(
          'in_progress',
          {
            escalation: { at: due(9), reason: 'resolve_overdue', deadline: due(8) },
            timer: { kind: 'resolve_due', at: due(8) },
          },
          longAgo,
        ),
      ),
    };
    const all = Object.values(jammed).flat();
    expect(all).toHaveLength(150);
    await Promise.all(all.map(create));
    const fresh = await dispute('新发生的宅基地纠纷');
    await escalationNotices();

    const later = sweepDeps(new Date(Date.now() + 30 * DAY));
    const sweep = await sweepCases(later);

    expect(sweep.escalated).toContain(fresh);
    const codes = (cases: CaseState[]) => cases.map((c) => c.trackingCode).sort();
    expect(sweep.escalated.filter((c) => codes(jammed.overdueAgain).includes(c)).sort()).toEqual(
      codes(jammed.overdueAgain),
    );
    expect(sweep.flaggedUnrated.filter((c) => codes(jammed.reclosedAfterVisit).includes(c)).sort()).toEqual(
      codes(jammed.reclosedAfterVisit),
    );
    const spent = [...jammed.stillOnVisitList, ...jammed.deadlineEscalatedAlready];
    expect(sweep.timersCleared.filter((c) => codes(spent).includes(c)).sort()).toEqual(codes(spent));
    expect(sweep.failed).toEqual([]);

    // Nothing comes back: the next sweep meets none of them.
    const again = await sweepCases(later);
    const touched = [...again.escalated, ...again.flaggedUnrated, ...again.timersCleared];
    expect(touched.filter((c) => c === fresh || codes(all).includes(c))).toEqual([]);
    expect(again.failed).toEqual([]);

    // What the sweep did is the case's history, version by version; a spent timer is simply gone.
    const overdue = await store.getCase(jammed.overdueAgain[0]?.trackingCode ?? '');
    expect(overdue).toMatchObject({ escalation: { reason: 'resolve_overdue', deadline: due(5) } });
    expect(overdue?.timer).toBeUndefined();
    expect(overdue && overdue.timeline.length - overdue.version).toBe(1);
    const spentOne = spent[0];
    const cleared = await store.getCase(spentOne?.trackingCode ?? '');
    expect(cleared).toMatchObject({ version: spentOne?.version, returnVisit: spentOne?.returnVisit });
    expect(cleared?.timer).toBeUndefined();
    const notices = await escalationNotices();
    expect(notices.filter((n) => n.trackingCode === fresh)).toHaveLength(1);
    expect(notices.filter((n) => codes(jammed.overdueAgain).includes(n.trackingCode))).toHaveLength(40);
  });

  it('reads due timers page by page within its budget, soonest first, and carries on at the next sweep', async () => {
    // Long before any other case here: only these are due at the sweep's `now`.
    const start = new Date('2021-03-01T00:00:00.000Z');
    const spent = Array.from({ length: 12 }, (_, i) =>
      storedCase(
        'closed',
        {
          returnVisit: { status: 'pending', reason: 'low_rating' },
          timer: { kind: 'rating_window', at: new Date(start.getTime() + i * DAY).toISOString() },
        },
        start,
      ),
    );
    await Promise.all(spent.map(create));
    const deps = sweepDeps(new Date('2021-06-01T00:00:00.000Z'));
    const budget = { pageSize: 5, maxCases: 10, maxMs: 60_000 };

    const first = await sweepDueTimers(deps, budget);
    expect(first).toMatchObject({ unfinished: true, failed: [] });
    expect(first.timersCleared.sort()).toEqual(
      spent
        .slice(0, 10)
        .map((c) => c.trackingCode)
        .sort(),
    );
    const second = await sweepDueTimers(deps, budget);
    expect(second).toMatchObject({ unfinished: false, failed: [] });
    expect(second.timersCleared.sort()).toEqual(
      spent
        .slice(10)
        .map((c) => c.trackingCode)
        .sort(),
    );
  });

  it('tidies timer index keys left without a timer (a writer that read the case before its timer was taken off)', async () => {
    const state = storedCase(
      'closed',
      { returnVisit: { status: 'done', reason: 'no_rating' } },
      new Date('2021-01-01T00:00:00.000Z'),
    );
    await createDocumentClient(rt.dynamoClient).send(
      new PutCommand({
        TableName: rt.resources.tables.cases ?? '',
        Item: {
          pk: `CASE#${state.trackingCode}`,
          sk: 'STATE',
          ...state,
          timerPk: 'TIMER',
          timerSk: `2021-01-05T00:00:00.000Z#${state.trackingCode}`,
        },
      }),
    );
    const deps = sweepDeps(new Date('2021-01-10T00:00:00.000Z'));
    expect((await sweepDueTimers(deps)).timersCleared).toContain(state.trackingCode);
    const page = await store.dueTimerPage('2021-01-10T00:00:00.000Z', 100);
    expect(page.cases.map((c) => c.trackingCode)).not.toContain(state.trackingCode);
  });
});
