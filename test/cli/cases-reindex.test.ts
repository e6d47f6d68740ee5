/**
 * `cases reindex`, run as a real CLI process against the local runtime: cases stored with the
 * index keys of the old layout (a county-wide return-visit index, transfers keyed by their last
 * update) get the current keys, so they appear on their scope's lists; a second run changes nothing.
 */
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import type { LocalRuntime } from '../../infra/local/runtime.ts';
import { createDocumentClient } from '../../shared/adapters/aws-clients.ts';
import { type CliRuntime, startCliRuntime } from '../support/cli-runtime.ts';
import { CasePage, type StaffApi, staffApi } from '../support/staff-api.ts';

let rt: LocalRuntime;
let cli: CliRuntime['cli'];
let api: StaffApi;
let db: ReturnType<typeof createDocumentClient>;
let table = '';
const ids = { visit: '', transferred: '', plain: '' };

const report = { category: 'fraud', communityId: 'chengdong-kangning', description: '冒充客服退款' };
const Stored = z.object({
  submittedAt: z.string(),
  updatedAt: z.string(),
  laneSk: z.string(),
  transferSk: z.string().optional(),
  visitPk: z.string().optional(),
});
const stored = async (id: string) =>
  Stored.parse(
    (await db.send(new GetCommand({ TableName: table, Key: { pk: `CASE#${id}`, sk: 'STATE' } }))).Item,
  );

/** Rewrites a case's keys as the layout before return visits moved into the lanes wrote them. */
async function oldLayout(id: string) {
  const item = await stored(id);
  await db.send(
    new UpdateCommand({
      TableName: table,
      Key: { pk: `CASE#${id}`, sk: 'STATE' },
      UpdateExpression: `SET laneSk = :lane${item.transferSk ? ', transferSk = :updated' : ''}${
        id === ids.visit ? ', visitPk = :visit, visitSk = :updated' : ''
      }`,
      ExpressionAttributeValues: {
        ':lane': `${item.submittedAt}#${id}`,
        ...(item.transferSk || id === ids.visit ? { ':updated': `${item.updatedAt}#${id}` } : {}),
        ...(id === ids.visit ? { ':visit': 'VISIT' } : {}),
      },
    }),
  );
}

const visitList = async () =>
  CasePage.parse(
    (await api.request('/api/cases?list=return_visits', { user: 'grid.kangning' })).body,
  ).cases.map((c) => c.id);

beforeAll(async () => {
  ({ rt, cli } = await startCliRuntime());
  db = createDocumentClient(rt.dynamoClient);
  table = rt.resources.tables.cases ?? '';
  api = staffApi(rt);
  await api.signIn(['handler.antifraud', 'supervisor', 'grid.kangning']);
  const visit = await api.dispatchedCase(report);
  ids.visit = visit.id;
  await api.walk(ids.visit, [
    ['handler.antifraud', { action: 'accept' }],
    ['handler.antifraud', { action: 'resolve', note: '已处理' }],
    ['supervisor', { action: 'verify' }],
    ['supervisor', { action: 'close' }],
  ]);
  const rated = await api.request(`/api/reports/${ids.visit}/rating`, {
    body: { token: visit.receipt.reporterToken, score: 1 },
  });
  expect(rated.status).toBe(200);
  ids.transferred = (await api.dispatchedCase(report)).id;
  await api.walk(ids.transferred, [['supervisor', { action: 'reassign', unitId: 'transport' }]]);
  ids.plain = (await api.dispatchedCase(report)).id;
  expect(await visitList()).toContain(ids.visit);
  for (const id of Object.values(ids)) await oldLayout(id);
});
afterAll(async () => {
  await rt?.stop();
});

describe('cases reindex', () => {
  it('gives cases stored in the old layout the current keys, once', async () => {
    // In the old layout the visit waits in the county-wide index: not on the community's list.
    expect(await visitList()).not.toContain(ids.visit);

    const first = await cli('cases', 'reindex');
    expect(first.stderr).toContain('done: 3 case(s) read, 2 re-keyed');
    expect(await visitList()).toContain(ids.visit);
    const visit = await stored(ids.visit);
    expect(visit.laneSk).toBe(`~visit#${visit.submittedAt}#${ids.visit}`);
    expect(visit.visitPk).toBeUndefined();
    const transferred = await stored(ids.transferred);
    expect(transferred.transferSk).toBe(`${transferred.submittedAt}#${ids.transferred}`);

    const second = await cli('cases', 'reindex');
    expect(second.stderr).toContain('done: 3 case(s) read, 0 re-keyed');
  });
});
