/**
 * Who may do what with cases, as one table: every role × every staff case endpoint × a case of
 * their own scope, one outside it, and one that does not exist → the status and error code the
 * API answers. Each cell is its own test on the local runtime (real handlers, dynalite, fauxqs),
 * asserting the status AND the code, so a 409 for a stale version can never pass for a refusal.
 * Transitions are sent with the version read just before, so what they test is access alone.
 * Below the table: page cursors (tampered, another user's, another list's; chains that never
 * leave the caller's scope), merge targets out of scope, and statistics narrowed to the caller.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime.ts';
import {
  CaseDetail,
  CasePage,
  ErrorBody,
  eventually,
  type StaffApi,
  staffApi,
} from '../support/staff-api.ts';

// ─── the table ────────────────────────────────────────────────────────────────────────────────

const roles = [
  'unit_handler',
  'centre_dispatcher',
  'grid_worker',
  'county_supervisor',
  'admin',
  'outreach_staff',
] as const;
type Role = (typeof roles)[number];

/** The demo login of each role, and what is "their own" and "foreign" below. */
const loginOf: Record<Role, string> = {
  unit_handler: 'handler.antifraud', // the anti-fraud centre (psb-antifraud)
  centre_dispatcher: 'dispatcher.chengdong', // Chengdong sub-district
  grid_worker: 'grid.kangning', // Kangning community, in Chengdong
  county_supervisor: 'supervisor',
  admin: 'admin',
  outreach_staff: 'outreach.police',
};

const endpoints = [
  'GET /api/cases?list=queue',
  'GET /api/cases?list=problems',
  'GET /api/cases?list=transfers',
  'GET /api/cases?list=return_visits',
  'GET /api/cases/{id}',
  'GET /api/cases/{id} (awaiting a return visit)',
  'POST /api/cases/{id}/transitions accept',
  'POST /api/cases/{id}/transitions reassign',
  'POST /api/cases/{id}/transitions record_return_visit',
  'GET /api/stats',
] as const;
type Endpoint = (typeof endpoints)[number];

/**
 * What a cell expects. `200 listed` / `200 not listed`: the case is (not) on any page of the list
 * (for statistics: the figures of its unit or community are (not) in the answer); `200 phone` /
 * `200 no phone`: the case with / without the reporter's phone; `—`: the cell does not apply.
 * Otherwise the status and the error code (and the field a 400 names).
 */
type Cell =
  | '200'
  | '200 listed'
  | '200 not listed'
  | '200 phone'
  | '200 no phone'
  | '400 invalid_request communityId'
  | '403 forbidden'
  | '404 not_found'
  | '409 transition_not_allowed'
  | '—';

type Row = readonly [Role, Endpoint, own: Cell, foreign: Cell, nonexistent: Cell];

const FORBIDDEN = ['403 forbidden', '403 forbidden', '403 forbidden'] as const;
const LIST_SCOPED = ['200 listed', '200 not listed', '400 invalid_request communityId'] as const;
const LIST_COUNTY = ['200 listed', '200 listed', '400 invalid_request communityId'] as const;

/**
 * Own: the unit handler's case of the anti-fraud centre in Kangning (Chengdong). Foreign: the
 * transport bureau's case in Weijiazhuang (Dongquan). For the lists, a case of that kind on that
 * list (a transferred one, one awaiting its return visit); for a transition, a fresh case of that
 * kind; nonexistent: a tracking code no case has (for the lists, a community that does not exist).
 */
const matrix: readonly Row[] = [
  ['unit_handler', 'GET /api/cases?list=queue', ...LIST_SCOPED],
  ['centre_dispatcher', 'GET /api/cases?list=queue', ...LIST_SCOPED],
  ['grid_worker', 'GET /api/cases?list=queue', ...LIST_SCOPED],
  ['county_supervisor', 'GET /api/cases?list=queue', ...LIST_COUNTY],
  ['admin', 'GET /api/cases?list=queue', ...LIST_COUNTY],
  ['outreach_staff', 'GET /api/cases?list=queue', ...FORBIDDEN],

  ['unit_handler', 'GET /api/cases?list=problems', ...LIST_SCOPED],
  ['centre_dispatcher', 'GET /api/cases?list=problems', ...LIST_SCOPED],
  ['grid_worker', 'GET /api/cases?list=problems', ...LIST_SCOPED],
  ['county_supervisor', 'GET /api/cases?list=problems', ...LIST_COUNTY],
  ['admin', 'GET /api/cases?list=problems', ...LIST_COUNTY],
  ['outreach_staff', 'GET /api/cases?list=problems', ...FORBIDDEN],

  ['unit_handler', 'GET /api/cases?list=transfers', ...LIST_SCOPED],
  ['centre_dispatcher', 'GET /api/cases?list=transfers', ...LIST_SCOPED],
  ['grid_worker', 'GET /api/cases?list=transfers', ...LIST_SCOPED],
  ['county_supervisor', 'GET /api/cases?list=transfers', ...LIST_COUNTY],
  ['admin', 'GET /api/cases?list=transfers', ...LIST_COUNTY],
  ['outreach_staff', 'GET /api/cases?list=transfers', ...FORBIDDEN],

  ['unit_handler', 'GET /api/cases?list=return_visits', ...LIST_SCOPED],
  ['centre_dispatcher', 'GET /api/cases?list=return_visits', ...LIST_SCOPED],
  ['grid_worker', 'GET /api/cases?list=return_visits', ...LIST_SCOPED],
  ['county_supervisor', 'GET /api/cases?list=return_visits', ...LIST_COUNTY],
  ['admin', 'GET /api/cases?list=return_visits', ...LIST_COUNTY],
  ['outreach_staff', 'GET /api/cases?list=return_visits', ...FORBIDDEN],

  ['unit_handler', 'GET /api/cases/{id}', '200 phone', '404 not_found', '404 not_found'],
  ['centre_dispatcher', 'GET /api/cases/{id}', '200 phone', '404 not_found', '404 not_found'],
  ['grid_worker', 'GET /api/cases/{id}', '200 no phone', '404 not_found', '404 not_found'],
  ['county_supervisor', 'GET /api/cases/{id}', '200 phone', '200 phone', '404 not_found'],
  ['admin', 'GET /api/cases/{id}', '200 no phone', '200 no phone', '404 not_found'],
  ['outreach_staff', 'GET /api/cases/{id}', ...FORBIDDEN],

  [
    'unit_handler',
    'GET /api/cases/{id} (awaiting a return visit)',
    '200 phone',
    '404 not_found',
    '404 not_found',
  ],
  [
    'centre_dispatcher',
    'GET /api/cases/{id} (awaiting a return visit)',
    '200 phone',
    '404 not_found',
    '404 not_found',
  ],
  [
    'grid_worker',
    'GET /api/cases/{id} (awaiting a return visit)',
    '200 phone',
    '404 not_found',
    '404 not_found',
  ],
  [
    'county_supervisor',
    'GET /api/cases/{id} (awaiting a return visit)',
    '200 phone',
    '200 phone',
    '404 not_found',
  ],
  ['admin', 'GET /api/cases/{id} (awaiting a return visit)', '200 no phone', '200 no phone', '404 not_found'],
  ['outreach_staff', 'GET /api/cases/{id} (awaiting a return visit)', ...FORBIDDEN],

  ['unit_handler', 'POST /api/cases/{id}/transitions accept', '200', '404 not_found', '404 not_found'],
  [
    'centre_dispatcher',
    'POST /api/cases/{id}/transitions accept',
    '409 transition_not_allowed',
    '404 not_found',
    '404 not_found',
  ],
  [
    'grid_worker',
    'POST /api/cases/{id}/transitions accept',
    '409 transition_not_allowed',
    '404 not_found',
    '404 not_found',
  ],
  [
    'county_supervisor',
    'POST /api/cases/{id}/transitions accept',
    '409 transition_not_allowed',
    '409 transition_not_allowed',
    '404 not_found',
  ],
  [
    'admin',
    'POST /api/cases/{id}/transitions accept',
    '409 transition_not_allowed',
    '409 transition_not_allowed',
    '404 not_found',
  ],
  ['outreach_staff', 'POST /api/cases/{id}/transitions accept', ...FORBIDDEN],

  [
    'unit_handler',
    'POST /api/cases/{id}/transitions reassign',
    '409 transition_not_allowed',
    '404 not_found',
    '404 not_found',
  ],
  ['centre_dispatcher', 'POST /api/cases/{id}/transitions reassign', '200', '404 not_found', '404 not_found'],
  [
    'grid_worker',
    'POST /api/cases/{id}/transitions reassign',
    '409 transition_not_allowed',
    '404 not_found',
    '404 not_found',
  ],
  ['county_supervisor', 'POST /api/cases/{id}/transitions reassign', '200', '200', '404 not_found'],
  [
    'admin',
    'POST /api/cases/{id}/transitions reassign',
    '409 transition_not_allowed',
    '409 transition_not_allowed',
    '404 not_found',
  ],
  ['outreach_staff', 'POST /api/cases/{id}/transitions reassign', ...FORBIDDEN],

  [
    'unit_handler',
    'POST /api/cases/{id}/transitions record_return_visit',
    '409 transition_not_allowed',
    '404 not_found',
    '404 not_found',
  ],
  [
    'centre_dispatcher',
    'POST /api/cases/{id}/transitions record_return_visit',
    '200',
    '404 not_found',
    '404 not_found',
  ],
  [
    'grid_worker',
    'POST /api/cases/{id}/transitions record_return_visit',
    '200',
    '404 not_found',
    '404 not_found',
  ],
  [
    'county_supervisor',
    'POST /api/cases/{id}/transitions record_return_visit',
    '200',
    '200',
    '404 not_found',
  ],
  [
    'admin',
    'POST /api/cases/{id}/transitions record_return_visit',
    '409 transition_not_allowed',
    '409 transition_not_allowed',
    '404 not_found',
  ],
  ['outreach_staff', 'POST /api/cases/{id}/transitions record_return_visit', ...FORBIDDEN],

  ['unit_handler', 'GET /api/stats', '200 listed', '200 not listed', '—'],
  ['centre_dispatcher', 'GET /api/stats', '200 listed', '200 not listed', '—'],
  ['grid_worker', 'GET /api/stats', '200 listed', '200 not listed', '—'],
  ['county_supervisor', 'GET /api/stats', '200 listed', '200 listed', '—'],
  ['admin', 'GET /api/stats', '200 listed', '200 listed', '—'],
  ['outreach_staff', 'GET /api/stats', '403 forbidden', '403 forbidden', '—'],
];

const targets = ['own', 'foreign', 'nonexistent'] as const;
type Target = (typeof targets)[number];

const cells = matrix.flatMap(([role, endpoint, ...expected]) =>
  targets.flatMap((target, i) => {
    const cell = expected[i];
    return cell === undefined || cell === '—' ? [] : [{ role, endpoint, target, cell }];
  }),
);

// ─── fixtures ─────────────────────────────────────────────────────────────────────────────────

let rt: LocalRuntime;
let api: StaffApi;

const kangningFraud = {
  category: 'fraud',
  communityId: 'chengdong-kangning',
  description: '冒充客服要求退款转账',
  contactPhone: '13700001111',
};
const dongquanRoad = {
  category: 'road',
  communityId: 'dongquan-weijiazhuang',
  description: '村口路面塌陷',
  contactPhone: '13700002222',
};
const NONEXISTENT = 'ZZZZZZZZZ';

/** Where each side's case lives and who works it. */
const sides = {
  own: {
    report: kangningFraud,
    unitId: 'psb-antifraud',
    handler: 'handler.antifraud',
    communityId: 'chengdong-kangning',
    otherUnit: 'transport',
  },
  foreign: {
    report: dongquanRoad,
    unitId: 'transport',
    handler: 'handler.transport',
    communityId: 'dongquan-weijiazhuang',
    otherUnit: 'psb-antifraud',
  },
} as const;
type Side = keyof typeof sides;

/** A dispatched case of that side. */
const openCase = async (side: Side) => (await api.dispatchedCase(sides[side].report)).id;

/** A transferred case still open: the county moves it away and back, or its unit returns it. */
const transferredCase = async (side: Side) => {
  const id = await openCase(side);
  const s = sides[side];
  await api.walk(
    id,
    side === 'own'
      ? [
          ['supervisor', { action: 'reassign', unitId: s.otherUnit }],
          ['supervisor', { action: 'reassign', unitId: s.unitId }],
        ]
      : [[s.handler, { action: 'return', note: '不属于本单位' }]],
  );
  return id;
};

/** A closed case the reporter rated low: on its community's return-visit list. */
const visitCase = async (side: Side) => {
  const { id, receipt } = await api.dispatchedCase(sides[side].report);
  const s = sides[side];
  await api.walk(id, [
    [s.handler, { action: 'accept' }],
    [s.handler, { action: 'resolve', note: '已处理' }],
    ['supervisor', { action: 'verify' }],
    ['supervisor', { action: 'close' }],
  ]);
  const rated = await api.request(`/api/reports/${id}/rating`, {
    body: { token: receipt.reporterToken, score: 2 },
  });
  if (rated.status !== 200) throw new Error(`rating ${id}: ${rated.status}`);
  const state = await api.current(id);
  if (state.returnVisit?.status !== 'pending') throw new Error(`${id} is not awaiting a visit`);
  return id;
};

/** The shared cases the read-only cells look at (never changed by a test). */
const shared: Record<'open' | 'transferred' | 'visit', Record<Side, string>> = {
  open: { own: '', foreign: '' },
  transferred: { own: '', foreign: '' },
  visit: { own: '', foreign: '' },
};
/** A fresh case for each transition cell that could change one, made before the tests run. */
const fresh = new Map<string, string>();
const freshKey = (role: Role, endpoint: Endpoint, side: Side) => `${role}|${endpoint}|${side}`;

beforeAll(async () => {
  rt = await startLocalRuntime({ port: 0, memory: true, quiet: true });
  api = staffApi(rt);
  await api.signIn([...Object.values(loginOf), 'handler.transport', 'dispatcher.dongquan']);
  const made = await Promise.all(
    (['own', 'foreign'] as const).map(async (side) => ({
      side,
      open: await openCase(side),
      transferred: await transferredCase(side),
      visit: await visitCase(side),
    })),
  );
  for (const { side, open, transferred, visit } of made) {
    shared.open[side] = open;
    shared.transferred[side] = transferred;
    shared.visit[side] = visit;
  }
  const transitionCells = cells.filter(
    (c) => c.endpoint.startsWith('POST') && c.target !== 'nonexistent' && c.cell !== '403 forbidden',
  );
  await Promise.all(
    transitionCells.map(async ({ role, endpoint, target }) => {
      const side: Side = target === 'own' ? 'own' : 'foreign';
      const id = endpoint.endsWith('record_return_visit') ? await visitCase(side) : await openCase(side);
      fresh.set(freshKey(role, endpoint, side), id);
    }),
  );
}, 180_000);
afterAll(async () => {
  await rt?.stop();
});

// ─── running a cell ───────────────────────────────────────────────────────────────────────────

const listKindOf = (endpoint: Endpoint) => endpoint.replace('GET /api/cases?list=', '');

/** Every id on every page of a list (following cursors, bounded). */
async function everyListed(
  user: string,
  query: string,
): Promise<{ status: number; body: unknown; ids: string[] }> {
  const ids: string[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 50; page++) {
    const answer = await api.request(
      `/api/cases?${query}&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      { user },
    );
    if (answer.status !== 200) return { ...answer, ids };
    const parsed = CasePage.parse(answer.body);
    ids.push(...parsed.cases.map((c) => c.id));
    cursor = parsed.cursor;
    if (!cursor) return { ...answer, ids };
  }
  throw new Error(`the list ${query} did not end within 50 pages`);
}

/** `expected`: the status, the error code and (for a 400) the one field it names, e.g. `400 invalid_request cursor`. */
function expectRefusal(answer: { status: number; body: unknown }, expected: string) {
  const [status, code, path] = expected.split(' ');
  expect(answer.status, JSON.stringify(answer.body)).toBe(Number(status));
  const error = ErrorBody.parse(answer.body).error;
  expect(error.code).toBe(code);
  if (path) expect(error.issues?.map((i) => i.path)).toEqual([path]);
}

const Stats = z.object({
  byUnit: z.record(z.string(), z.unknown()),
  byCommunity: z.record(z.string(), z.unknown()),
});

async function runCell(role: Role, endpoint: Endpoint, target: Target, cell: Cell): Promise<void> {
  const user = loginOf[role];
  const side: Side = target === 'own' ? 'own' : 'foreign';
  const refused = !cell.startsWith('200');

  if (endpoint.startsWith('GET /api/cases?list=')) {
    const kind = listKindOf(endpoint);
    const id =
      kind === 'transfers'
        ? shared.transferred[side]
        : kind === 'return_visits'
          ? shared.visit[side]
          : shared.open[side];
    // The problem list is read by community; the others in the caller's whole scope.
    const community =
      target === 'nonexistent'
        ? 'no-such-community'
        : kind === 'problems'
          ? sides[side].communityId
          : undefined;
    const listed = await everyListed(user, `list=${kind}${community ? `&communityId=${community}` : ''}`);
    if (refused) return expectRefusal(listed, cell);
    expect(listed.status).toBe(200);
    expect(listed.ids.includes(id), `${id} on ${user}'s ${kind} list`).toBe(cell === '200 listed');
    return;
  }

  if (endpoint.startsWith('GET /api/cases/{id}')) {
    const kind = endpoint.endsWith('(awaiting a return visit)') ? 'visit' : 'open';
    const id = target === 'nonexistent' ? NONEXISTENT : shared[kind][side];
    const answer = await api.request(`/api/cases/${id}`, { user });
    if (refused) return expectRefusal(answer, cell);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    const detail = CaseDetail.parse(answer.body);
    expect(detail.id).toBe(id);
    expect(detail.report?.description).toBe(sides[side].report.description);
    if (cell === '200 phone') expect(detail.report?.contactPhone).toMatch(/^\+86137/);
    else expect(detail.report && 'contactPhone' in detail.report).toBe(false);
    return;
  }

  if (endpoint.startsWith('POST')) {
    const action = endpoint.split(' ').at(-1) ?? '';
    const id =
      target === 'nonexistent'
        ? NONEXISTENT
        : (fresh.get(freshKey(role, endpoint, side)) ?? shared.open[side]);
    const before = target === 'nonexistent' ? undefined : await api.current(id);
    const body =
      action === 'reassign'
        ? { action, unitId: sides[side].otherUnit }
        : action === 'record_return_visit'
          ? { action, outcome: 'satisfied', note: '电话回访，群众满意' }
          : { action };
    const answer = await api.act(user, id, { ...body, expectedVersion: before?.version ?? 1 });
    if (refused) {
      expectRefusal(answer, cell);
      // Refused means untouched.
      if (before) expect((await api.current(id)).version).toBe(before.version);
      return;
    }
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect((await api.current(id)).version).toBe((before?.version ?? 0) + 1);
    return;
  }

  // GET /api/stats: the figures of the side's unit (or, for area roles, its community).
  const byCommunity = role === 'centre_dispatcher' || role === 'grid_worker';
  const key = byCommunity ? sides[side].communityId : sides[side].unitId;
  // The counters follow the cases through their outbox: wait until the county sees the figure.
  await eventually(`statistics of ${key}`, async () => {
    const all = Stats.parse((await api.request('/api/stats', { user: 'supervisor' })).body);
    return (byCommunity ? all.byCommunity : all.byUnit)[key] === undefined ? undefined : true;
  });
  const answer = await api.request('/api/stats', { user });
  if (refused) return expectRefusal(answer, cell);
  expect(answer.status).toBe(200);
  const stats = Stats.parse(answer.body);
  expect((byCommunity ? stats.byCommunity : stats.byUnit)[key] !== undefined).toBe(cell === '200 listed');
}

describe(`the access matrix (${cells.length} cells)`, () => {
  it.each(cells)('$role · $endpoint · $target case → $cell', async ({ role, endpoint, target, cell }) => {
    await runCell(role, endpoint, target, cell);
  });
});

// ─── cursors ──────────────────────────────────────────────────────────────────────────────────

const CursorBody = z.object({ pk: z.string() });

/** The tracking code of the case a cursor resumes after (its first part is the key, base64url JSON). */
const codeInCursor = (cursor: string) =>
  CursorBody.parse(
    JSON.parse(Buffer.from(cursor.split('.')[0] ?? '', 'base64url').toString('utf8')),
  ).pk.replace(/^CASE#/, '');

const firstCursor = async (user: string, query: string) => {
  const answer = await api.request(`/api/cases?${query}&limit=1`, { user });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  const cursor = CasePage.parse(answer.body).cursor;
  if (!cursor) throw new Error(`${user}'s ${query} has a single page`);
  return cursor;
};

const withCursor = (user: string, query: string, cursor: string) =>
  api.request(`/api/cases?${query}&limit=1&cursor=${encodeURIComponent(cursor)}`, { user });

describe('page cursors', () => {
  it('answers 400 naming the cursor when it was tampered with, forged or is not one at all', async () => {
    const cursor = await firstCursor('handler.antifraud', 'list=queue');
    const [key = '', mac = ''] = cursor.split('.');
    const flip = (s: string, i: number) => `${s.slice(0, i)}${s[i] === 'A' ? 'B' : 'A'}${s.slice(i + 1)}`;
    // Another case's position with the original signature: the signature no longer matches.
    const otherKey = Buffer.from(
      Buffer.from(key, 'base64url').toString('utf8').replaceAll(codeInCursor(cursor), shared.open.foreign),
    ).toString('base64url');
    expect(otherKey).not.toBe(key);
    for (const forged of [
      `${key}.${flip(mac, mac.length - 1)}`,
      `${flip(key, 3)}.${mac}`,
      `${otherKey}.${mac}`,
      key,
      `${key}.${mac}.${mac}`,
      'not-a-cursor',
      Buffer.from(JSON.stringify({ pk: `CASE#${shared.open.foreign}`, sk: 'STATE' })).toString('base64url'),
    ]) {
      expectRefusal(
        await withCursor('handler.antifraud', 'list=queue', forged),
        '400 invalid_request cursor',
      );
    }
    expect((await withCursor('handler.antifraud', 'list=queue', cursor)).status).toBe(200);
  });

  it('answers 400 to a cursor another user was given, even one of the same role and list', async () => {
    const handlers = await firstCursor('handler.antifraud', 'list=queue');
    expectRefusal(
      await withCursor('handler.transport', 'list=queue', handlers),
      '400 invalid_request cursor',
    );
    const chengdong = await firstCursor('dispatcher.chengdong', 'list=queue');
    expectRefusal(
      await withCursor('dispatcher.dongquan', 'list=queue', chengdong),
      '400 invalid_request cursor',
    );
    expectRefusal(await withCursor('supervisor', 'list=queue', chengdong), '400 invalid_request cursor');
  });

  it('answers 400 to a cursor given out for another list or another filter', async () => {
    const queue = await firstCursor('dispatcher.chengdong', 'list=queue');
    for (const other of [
      'list=transfers',
      'list=return_visits',
      'list=queue&status=done',
      'list=queue&stage=dispatched',
      'list=queue&overdue=true',
      'list=problems&communityId=chengdong-kangning',
    ]) {
      expectRefusal(await withCursor('dispatcher.chengdong', other, queue), '400 invalid_request cursor');
    }
  });

  /** The scope a scoped role's rows and cursors must stay in. */
  const inScope: Record<
    string,
    (c: { unitId: string; townshipId?: string; communityId: string }) => boolean
  > = {
    'handler.antifraud': (c) => c.unitId === 'psb-antifraud',
    'dispatcher.chengdong': (c) => c.townshipId === 'chengdong' || c.unitId === 'centre-chengdong',
    'grid.kangning': (c) => c.communityId === 'chengdong-kangning',
  };

  it.each(
    Object.keys(inScope).flatMap((user) =>
      ['queue', 'queue&status=done', 'transfers', 'return_visits'].map((list) => ({ user, list })),
    ),
  )('a chain of one-case pages of $user’s $list list never leaves their scope', async ({ user, list }) => {
    const check = inScope[user];
    if (!check) throw new Error(`no scope for ${user}`);
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; ; page++) {
      expect(page, 'the chain ends').toBeLessThan(200);
      const answer = cursor
        ? await withCursor(user, `list=${list}`, cursor)
        : await api.request(`/api/cases?list=${list}&limit=1`, { user });
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      const parsed = CasePage.parse(answer.body);
      expect(parsed.cases.length).toBeLessThanOrEqual(1);
      for (const row of parsed.cases) {
        expect(check(row), `${row.id} on ${user}'s list`).toBe(true);
        seen.push(row.id);
      }
      cursor = parsed.cursor;
      if (!cursor) break;
      // The position a cursor carries is a case of the caller's scope too.
      const at = await api.current(codeInCursor(cursor));
      expect(check(at), `${at.id} in ${user}'s cursor`).toBe(true);
    }
    expect(new Set(seen).size).toBe(seen.length);
    const kind = list.startsWith('queue') ? 'open' : list === 'transfers' ? 'transferred' : 'visit';
    if (list !== 'queue&status=done') expect(seen).toContain(shared[kind].own);
    expect(seen).not.toContain(shared[kind].foreign);
  });

  it('answers 403 to outreach staff before reading any list', async () => {
    for (const list of ['queue', 'transfers', 'return_visits']) {
      expectRefusal(
        await api.request(`/api/cases?list=${list}&limit=1`, { user: 'outreach.police' }),
        '403 forbidden',
      );
    }
  });
});

// ─── merge targets ────────────────────────────────────────────────────────────────────────────

describe('merging into a case out of scope', () => {
  it.each([
    ['handler.antifraud', 'a case of another unit'],
    ['dispatcher.chengdong', 'a case of another township'],
  ] as const)(
    '%s merging into %s is a 400 naming `into`, the same as an unknown code',
    async (user, _target) => {
      const duplicate = await openCase('own');
      const target = shared.open.foreign;
      const targetBefore = await api.current(target);
      const answers = [];
      for (const into of [target, NONEXISTENT]) {
        const before = await api.current(duplicate);
        const answer = await api.act(user, duplicate, {
          action: 'merge',
          into,
          expectedVersion: before.version,
        });
        expectRefusal(answer, '400 invalid_request into');
        answers.push(ErrorBody.parse(answer.body).error.message);
        expect((await api.current(duplicate)).version).toBe(before.version);
      }
      // Nothing tells an existing case out of scope from one that does not exist.
      expect(answers[0]).toBe(answers[1]);
      expect((await api.current(target)).version).toBe(targetBefore.version);
    },
  );
});

// ─── statistics ───────────────────────────────────────────────────────────────────────────────

const ScopedStats = z.object({
  byStage: z.record(z.string(), z.number()),
  byUnit: z.record(z.string(), z.unknown()),
  byCommunity: z.record(z.string(), z.unknown()),
  overdueByUnit: z.record(z.string(), z.number()),
  meanMsInStage: z.record(z.string(), z.number()).optional(),
  satisfaction: z.object({ ratings: z.number(), byUnit: z.record(z.string(), z.unknown()) }).optional(),
});

describe('statistics narrowed to the caller', () => {
  const chengdongCommunity = (id: string) => id.startsWith('chengdong-');
  it.each([
    {
      user: 'handler.antifraud',
      units: (id: string) => id === 'psb-antifraud',
      communities: (_: string) => false,
      satisfaction: true,
    },
    {
      user: 'dispatcher.chengdong',
      units: (id: string) => id === 'centre-chengdong',
      communities: chengdongCommunity,
      satisfaction: true,
    },
    {
      user: 'grid.kangning',
      units: (_: string) => false,
      communities: (id: string) => id === 'chengdong-kangning',
      satisfaction: false,
    },
  ])(
    '$user reads only the figures of their scope, and no county-wide ones',
    async ({ user, units, communities, satisfaction }) => {
      // Wait until the rated own case is counted, so there is something to leak.
      await eventually('the rating counted', async () => {
        const all = ScopedStats.parse((await api.request('/api/stats', { user: 'supervisor' })).body);
        return all.satisfaction?.byUnit['psb-antifraud'] && all.satisfaction.byUnit.transport
          ? true
          : undefined;
      });
      const answer = await api.request('/api/stats', { user });
      expect(answer.status).toBe(200);
      const stats = ScopedStats.parse(answer.body);
      expect(Object.keys(stats.byUnit).every(units)).toBe(true);
      expect(Object.keys(stats.overdueByUnit).every(units)).toBe(true);
      expect(Object.keys(stats.byCommunity).every(communities)).toBe(true);
      expect(stats.meanMsInStage).toBeUndefined();
      if (satisfaction) expect(Object.keys(stats.satisfaction?.byUnit ?? {}).every(units)).toBe(true);
      else expect(stats.satisfaction).toBeUndefined();
      // The stage counts are the scope's: never more than the county's.
      const county = ScopedStats.parse((await api.request('/api/stats', { user: 'supervisor' })).body);
      const total = (s: Record<string, number>) => Object.values(s).reduce((a, b) => a + b, 0);
      expect(total(stats.byStage)).toBeGreaterThan(0);
      expect(total(stats.byStage)).toBeLessThan(total(county.byStage));
    },
  );
});
