/**
 * The closed loop (六闭环) end to end on the local runtime: a form post becomes an evaluated case
 * through the staff API, two staff acting at once never both win, each role sees only its own
 * cases, the sweeper escalates once, and only the reporter can rate.
 */
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
import { CaseEscalated } from '../../shared/domain/case.ts';
import { unitIds } from '../../shared/reference/county-structure.ts';
import { sweepCases } from '../../shared/services/sweep-cases.ts';
import { drain, receiveMatching } from '../support/queues.ts';

let rt: LocalRuntime;
const tokens = new Map<string, string>();

beforeAll(async () => {
  rt = await startLocalRuntime({ port: 0, memory: true, quiet: true });
  for (const user of [
    'handler.transport',
    'handler.antifraud',
    'dispatcher.dongquan',
    'dispatcher.chengdong',
    'grid.kangning',
    'supervisor',
    'admin',
    'outreach.police',
  ]) {
    tokens.set(user, await rt.signInAs(user));
  }
});
afterAll(async () => {
  await rt?.stop();
});

const Receipt = z.object({ trackingCode: z.string(), reporterToken: z.string() });
const Detail = z.object({
  id: z.string(),
  stage: z.string(),
  version: z.number(),
  unitId: z.string(),
  allowedActions: z.array(z.string()),
  timeline: z.array(z.object({ stage: z.string(), action: z.string().optional(), by: z.string() })),
  report: z.object({ description: z.string(), contactPhone: z.string().optional() }).nullable(),
});
const ErrorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    currentVersion: z.number().optional(),
    allowedActions: z.array(z.string()).optional(),
    issues: z.array(z.object({ path: z.string() })).optional(),
  }),
});
const List = z.object({
  cases: z.array(z.object({ id: z.string(), stage: z.string() })),
  cursor: z.string().optional(),
});

const api = async (path: string, init: { user?: string; method?: string; body?: unknown } = {}) => {
  const headers: Record<string, string> = { accept: 'application/json' };
  const token = init.user ? tokens.get(init.user) : undefined;
  if (init.user && !token) throw new Error(`no token for ${init.user}`);
  if (token) headers.authorization = `Bearer ${token}`;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${rt.url}${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  return { status: response.status, body: (await response.json()) as unknown };
};

const submit = async (report: Record<string, string>) => {
  const response = await fetch(`${rt.url}/api/reports`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(report),
  });
  return Receipt.parse(await response.json());
};

/** Waits (bounded) until the router has dispatched the case, by draining the unit's queue for it. */
const dispatched = async (unitId: string, code: string) => {
  const id = code.replaceAll('-', '');
  const message = await receiveMatching(rt.sqsClient, rt.queueUrl(unitQueueName(unitId)), (b) =>
    b.includes(id),
  );
  if (!message) throw new Error(`${code} never reached ${unitId}`);
  return id;
};

const detail = async (user: string, id: string) =>
  Detail.parse((await api(`/api/cases/${id}`, { user })).body);

const act = (user: string, id: string, body: Record<string, unknown>) =>
  api(`/api/cases/${id}/transitions`, { user, body });

const roadReport = {
  category: 'road',
  communityId: 'dongquan-weijiazhuang',
  description: '村口路面塌陷',
  contactPhone: '13700002222',
};

describe('the closed loop through the staff API', () => {
  it('takes a report from intake to an evaluated case, recording every step', async () => {
    const receipt = await submit(roadReport);
    const id = await dispatched('transport', receipt.trackingCode);

    let c = await detail('handler.transport', id);
    expect(c).toMatchObject({ stage: 'dispatched', unitId: 'transport' });
    expect(c.allowedActions).toEqual(['accept', 'return', 'merge']);
    expect(c.report?.contactPhone).toBe('+8613700002222');

    for (const [user, body] of [
      ['handler.transport', { action: 'accept' }],
      ['handler.transport', { action: 'resolve', note: '已回填路面' }],
      ['dispatcher.dongquan', { action: 'verify', note: '现场核查通过' }],
      ['dispatcher.dongquan', { action: 'close' }],
    ] as const) {
      const response = await act(user, id, { ...body, expectedVersion: c.version });
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      c = Detail.parse(response.body);
    }
    expect(c.stage).toBe('closed');

    const rated = await api(`/api/reports/${id}/rating`, {
      body: { token: receipt.reporterToken, score: 5, comment: '很及时' },
    });
    expect(rated.status).toBe(200);
    c = await detail('supervisor', id);
    expect(c.stage).toBe('evaluated');
    expect(c.timeline.map((e) => e.stage)).toEqual([
      'received',
      'registered',
      'dispatched',
      'in_progress',
      'resolved',
      'verified',
      'closed',
      'evaluated',
    ]);
    const by = Object.fromEntries(c.timeline.map((e) => [e.stage, e.by]));
    expect(by.in_progress).toBe(by.resolved);
    expect(by.verified).not.toBe(by.resolved);
    expect(by.evaluated).toBe('reporter');
  });

  it('answers 409 when two staff resolve the same case at once: exactly one wins and the history has no gap', async () => {
    const receipt = await submit({ ...roadReport, description: '路灯不亮' });
    const id = await dispatched('transport', receipt.trackingCode);
    const accepted = Detail.parse(
      (await act('handler.transport', id, { action: 'accept', expectedVersion: 2 })).body,
    );

    const attempts = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        act('handler.transport', id, {
          action: 'resolve',
          note: `办结 ${i}`,
          expectedVersion: accepted.version,
        }),
      ),
    );
    const statuses = attempts.map((a) => a.status).sort();
    expect(statuses).toEqual([200, 409, 409, 409, 409]);
    for (const loser of attempts.filter((a) => a.status === 409)) {
      expect(ErrorBody.parse(loser.body).error).toMatchObject({
        code: 'version_conflict',
        currentVersion: accepted.version + 1,
      });
    }
    const c = await detail('supervisor', id);
    expect(c.version).toBe(accepted.version + 1);
    expect(c.timeline.filter((e) => e.stage === 'resolved')).toHaveLength(1);
  });

  it('answers 409 naming the allowed actions when the stage does not allow the action', async () => {
    const receipt = await submit({ ...roadReport, description: '桥面裂缝' });
    const id = await dispatched('transport', receipt.trackingCode);
    const response = await act('handler.transport', id, {
      action: 'resolve',
      note: '先办结',
      expectedVersion: 2,
    });
    expect(response.status).toBe(409);
    expect(ErrorBody.parse(response.body).error).toMatchObject({
      code: 'transition_not_allowed',
      allowedActions: ['accept', 'return', 'merge'],
    });
  });

  it('lets a unit return a case that is not its own to the township centre, which reassigns it', async () => {
    const receipt = await submit({
      ...roadReport,
      category: 'road',
      description: '邻居占道堆放杂物引发纠纷',
    });
    const id = await dispatched('transport', receipt.trackingCode);
    const returned = await act('handler.transport', id, {
      action: 'return',
      note: '属于邻里纠纷',
      expectedVersion: 2,
    });
    expect(returned.status).toBe(200);
    // The case has left the handler's scope: the answer is its summary, with nothing left to do.
    expect(returned.body).toMatchObject({
      stage: 'dispatched',
      unitId: 'centre-dongquan',
      allowedActions: [],
    });
    await dispatched('centre-dongquan', receipt.trackingCode);

    const transfers = List.parse(
      (await api('/api/cases?list=transfers', { user: 'dispatcher.dongquan' })).body,
    );
    expect(transfers.cases.map((t) => t.id)).toContain(id);
    const reassigned = await act('dispatcher.dongquan', id, {
      action: 'reassign',
      unitId: 'centre-dongquan',
      expectedVersion: 3,
    });
    expect(reassigned.status).toBe(400); // already theirs: the field is named
    expect(ErrorBody.parse(reassigned.body).error).toMatchObject({
      code: 'invalid_request',
      issues: [{ path: 'unitId' }],
    });
    const accepted = await act('dispatcher.dongquan', id, { action: 'accept', expectedVersion: 3 });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    expect(Detail.parse(accepted.body)).toMatchObject({ stage: 'in_progress', unitId: 'centre-dongquan' });
    // The transport handler no longer sees it.
    const gone = await api(`/api/cases/${id}`, { user: 'handler.transport' });
    expect(gone.status).toBe(404);
    expect(ErrorBody.parse(gone.body).error.code).toBe('not_found');
  });
});

describe('who sees what', () => {
  /** The answer each login gets, on its own copy of a Kangning fraud case (the anti-fraud centre's). */
  const rows = [
    ['handler.antifraud', { see: 200, move: [200, undefined] }],
    ['handler.transport', { see: 404, move: [404, 'not_found'] }],
    ['dispatcher.chengdong', { see: 200, move: [409, 'transition_not_allowed'] }],
    ['dispatcher.dongquan', { see: 404, move: [404, 'not_found'] }],
    ['grid.kangning', { see: 200, move: [409, 'transition_not_allowed'] }],
    ['supervisor', { see: 200, move: [409, 'transition_not_allowed'] }],
    ['admin', { see: 200, move: [409, 'transition_not_allowed'] }],
  ] as const;
  const cases = new Map<string, string>();
  beforeAll(async () => {
    for (const [user] of rows) {
      const receipt = await submit({
        category: 'fraud',
        communityId: 'chengdong-kangning',
        description: '冒充客服退款',
      });
      cases.set(user, await dispatched('psb-antifraud', receipt.trackingCode));
    }
  });

  it('answers 401 unauthorized, in the API’s error shape, to every staff endpoint without a token', async () => {
    const id = cases.get('admin') ?? '';
    const answers = [
      ...(await Promise.all(['/api/cases', `/api/cases/${id}`, '/api/stats'].map((path) => api(path)))),
      await api(`/api/cases/${id}/transitions`, { body: { action: 'accept', expectedVersion: 2 } }),
    ];
    for (const answer of answers) {
      expect(answer.status).toBe(401);
      expect(ErrorBody.parse(answer.body).error.code).toBe('unauthorized');
    }
  });

  it.each(rows)(
    '%s: sees the Kangning fraud case %o (404 when out of scope, never 403)',
    async (user, expected) => {
      const id = cases.get(user) ?? '';
      const one = await api(`/api/cases/${id}`, { user });
      expect(one.status).toBe(expected.see);
      if (expected.see === 404) expect(ErrorBody.parse(one.body).error.code).toBe('not_found');
      const list = List.parse((await api('/api/cases?limit=100', { user })).body);
      expect(list.cases.some((c) => c.id === id)).toBe(expected.see === 200);
      // The version just read, so the answer is about who may accept, never about a stale version.
      const version = Detail.parse((await api(`/api/cases/${id}`, { user: 'supervisor' })).body).version;
      const move = await act(user, id, { action: 'accept', expectedVersion: version });
      const [status, code] = expected.move;
      expect(move.status, JSON.stringify(move.body)).toBe(status);
      if (code) expect(ErrorBody.parse(move.body).error.code).toBe(code);
      else expect(Detail.parse(move.body)).toMatchObject({ stage: 'in_progress', version: version + 1 });
      expect((await api('/api/stats', { user })).status).toBe(200);
    },
  );

  it('answers 403 to outreach staff on every case route', async () => {
    const id = cases.get('admin') ?? '';
    for (const answer of [
      await api(`/api/cases/${id}`, { user: 'outreach.police' }),
      await api('/api/cases', { user: 'outreach.police' }),
      await api('/api/stats', { user: 'outreach.police' }),
      await act('outreach.police', id, { action: 'accept', expectedVersion: 2 }),
    ]) {
      expect(answer.status).toBe(403);
      expect(ErrorBody.parse(answer.body).error.code).toBe('forbidden');
    }
  });
});

describe('the sweeper', () => {
  it('escalates an overdue case once, however often it runs, and tells the county centre', async () => {
    const receipt = await submit({
      category: 'fraud',
      communityId: 'dongquan-weijiazhuang',
      description: '陌生人要求屏幕共享',
    });
    const id = await dispatched('psb-antifraud', receipt.trackingCode);
    await drain(rt.sqsClient, rt.queueUrl(unitQueueName('county-centre')));
    const db = createDocumentClient(rt.dynamoClient);
    const tables = rt.resources.tables;
    const deps = {
      cases: new DynamoDbCaseStore(db, tables.cases ?? ''),
      directory: new DynamoDbDirectory(db, tables.directory ?? ''),
      policies: new DynamoDbPolicies(db, tables.directory ?? ''),
      stats: new DynamoDbStatsStore(db, tables.stats ?? ''),
      dispatch: new SqsDispatchQueue(
        rt.sqsClient,
        Object.fromEntries(unitIds.map((u) => [u, rt.queueUrl(unitQueueName(u))])),
      ),
      sender: localOutbox(),
      notifications: new DynamoDbSmsState(db, tables.sms ?? ''),
      // Fraud must be accepted within 2 hours; a day later it is overdue.
      now: () => new Date(Date.now() + 86_400_000),
    };
    const first = await sweepCases(deps);
    expect(first.escalated).toContain(id);
    const second = await sweepCases(deps);
    expect(second.escalated).not.toContain(id);

    const notices = (await drain(rt.sqsClient, rt.queueUrl(unitQueueName('county-centre'))))
      .map((m) => CaseEscalated.safeParse(JSON.parse(m.Body ?? '')))
      .flatMap((p) => (p.success && p.data.trackingCode === id ? [p.data] : []));
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ reason: 'accept_overdue', unitId: 'psb-antifraud' });

    const overdue = List.parse((await api('/api/cases?overdue=true&limit=100', { user: 'supervisor' })).body);
    expect(overdue.cases.map((c) => c.id)).toContain(id);
  });
});

describe('rating', () => {
  it('accepts a rating only from the reporter, only once the case is closed', async () => {
    const receipt = await submit({ ...roadReport, description: '排水沟堵塞' });
    const id = await dispatched('transport', receipt.trackingCode);
    const early = await api(`/api/reports/${id}/rating`, {
      body: { token: receipt.reporterToken, score: 4 },
    });
    expect(early.status).toBe(409);

    let version = 2;
    for (const [user, body] of [
      ['handler.transport', { action: 'accept' }],
      ['handler.transport', { action: 'resolve', note: '已清理' }],
      ['supervisor', { action: 'verify' }],
      ['supervisor', { action: 'close' }],
    ] as const) {
      version = Detail.parse((await act(user, id, { ...body, expectedVersion: version })).body).version;
    }
    const stranger = await api(`/api/reports/${id}/rating`, {
      body: { token: 'not-the-reporters-token', score: 1 },
    });
    expect(stranger.status).toBe(404);
    const reporter = await api(`/api/reports/${id}/rating`, {
      body: { token: receipt.reporterToken, score: 2, comment: '只清了一半' },
    });
    expect(reporter.status).toBe(200);

    const visits = List.parse((await api('/api/cases?list=return_visits', { user: 'grid.kangning' })).body);
    expect(visits.cases.map((c) => c.id)).not.toContain(id); // another community's grid worker
    const countyVisits = List.parse(
      (await api('/api/cases?list=return_visits', { user: 'dispatcher.dongquan' })).body,
    );
    expect(countyVisits.cases.map((c) => c.id)).toContain(id);
  });
});

describe('the admin API', () => {
  it('lets only the admin read and replace routing rules and policies', async () => {
    const refused = await api('/api/admin/routing-rules', { user: 'supervisor' });
    expect(refused.status).toBe(403);
    expect(ErrorBody.parse(refused.body).error.code).toBe('forbidden');
    const rules = await api('/api/admin/routing-rules', { user: 'admin' });
    expect(rules.status).toBe(200);
    const policies = await api('/api/admin/policies', { user: 'admin' });
    expect(policies.status).toBe(200);
    const bad = await api('/api/admin/policies', {
      user: 'admin',
      method: 'PUT',
      body: { ratingWindowDays: 0 },
    });
    expect(bad.status).toBe(400);
    const paths = ErrorBody.extend({
      error: ErrorBody.shape.error.extend({ issues: z.array(z.object({ path: z.string() })) }),
    })
      .parse(bad.body)
      .error.issues.map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['serviceLevels', 'calendar', 'ratingWindowDays']));
    const same = await api('/api/admin/policies', { user: 'admin', method: 'PUT', body: policies.body });
    expect(same.status).toBe(200);
  });
});

describe('likely duplicates and merging', () => {
  it('offers an open report of the same kind within 250 m as a likely duplicate, and merging keeps both reporters informed', async () => {
    // Two street-light reports about 90 m apart, from neighbouring Chengdong communities.
    const first = await submit({
      category: 'road',
      communityId: 'chengdong-kangning',
      description: '路灯不亮',
    });
    const firstId = await dispatched('urban-management', first.trackingCode);
    const withLocation = async (communityId: string, lat: number, lng: number, description: string) => {
      const response = await fetch(`${rt.url}/api/reports`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ category: 'road', communityId, description, location: { lat, lng } }),
      });
      return Receipt.parse(await response.json());
    };
    const near = await withLocation('chengdong-kangning', 37.2001, 112.1801, '南门口路灯坏了');
    const nearId = await dispatched('urban-management', near.trackingCode);
    const neighbour = await withLocation('chengdong-shuncheng', 37.2009, 112.1801, '顺城路口路灯也不亮');
    const neighbourId = await dispatched('urban-management', neighbour.trackingCode);

    const DupDetail = Detail.extend({ possibleDuplicates: z.array(z.string()) });
    const offered = DupDetail.parse(
      (await api(`/api/cases/${neighbourId}`, { user: 'dispatcher.chengdong' })).body,
    );
    expect(offered.possibleDuplicates).toContain(nearId);
    expect(
      DupDetail.parse((await api(`/api/cases/${nearId}`, { user: 'dispatcher.chengdong' })).body)
        .possibleDuplicates,
    ).toContain(firstId);

    const merged = await act('dispatcher.chengdong', neighbourId, {
      action: 'merge',
      into: near.trackingCode,
      expectedVersion: 2,
    });
    expect(merged.status, JSON.stringify(merged.body)).toBe(200);
    const status = await api(`/api/reports/${neighbourId}`);
    expect(status.body).toMatchObject({
      stage: 'merged',
      mergedInto: { trackingCode: near.trackingCode, stage: 'dispatched' },
    });
    const original = z
      .object({ duplicates: z.array(z.string()) })
      .parse((await api(`/api/cases/${nearId}`, { user: 'supervisor' })).body);
    expect(original.duplicates).toEqual([neighbourId]);
  });
});
