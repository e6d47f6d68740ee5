/**
 * `search reindex`, run as a real CLI process against the local runtime: cases stored before
 * search existed (their postings deleted here) get their postings and are found again; a second
 * run says the index is built and writes nothing; `--restart` writes the same postings again.
 */
import { BatchWriteCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import type { LocalRuntime } from '../../infra/local/runtime.ts';
import { createDocumentClient } from '../../shared/adapters/aws-clients.ts';
import { type CliRuntime, startCliRuntime } from '../support/cli-runtime.ts';
import { eventually, type StaffApi, staffApi } from '../support/staff-api.ts';

let rt: LocalRuntime;
let cli: CliRuntime['cli'];
let api: StaffApi;
let db: ReturnType<typeof createDocumentClient>;
let table = '';
const ids: string[] = [];

/** The postings in the table, as pk|sk (a Scan: tests only). */
async function postings(): Promise<string[]> {
  const out = await db.send(new ScanCommand({ TableName: table }));
  return (out.Items ?? [])
    .map((item) => `${String(item.pk)}|${String(item.sk)}`)
    .filter((key) => !key.startsWith('~'))
    .sort();
}

const found = async (q: string) =>
  z
    .object({ cases: z.array(z.object({ id: z.string() })) })
    .parse(
      (await api.request(`/api/cases/search?${new URLSearchParams({ q })}`, { user: 'supervisor' })).body,
    )
    .cases.map((c) => c.id);

let indexed: string[] = [];

beforeAll(async () => {
  ({ rt, cli } = await startCliRuntime());
  db = createDocumentClient(rt.dynamoClient);
  table = rt.resources.tables.search ?? '';
  api = staffApi(rt);
  await api.signIn(['supervisor']);
  for (const description of ['冒充客服退款诈骗', '路灯不亮 streetlight out'])
    ids.push(
      (await api.dispatchedCase({ category: 'fraud', communityId: 'chengdong-kangning', description })).id,
    );
  // The postings are written by each case's outbox after its delivery, so a case can be
  // dispatched before it is found: wait until both are, then take the postings as complete.
  await eventually('both cases found', async () =>
    (await found('客服退款')).length === 1 && (await found('streetlight')).length === 1 ? true : undefined,
  );
  indexed = await postings();
  // As if the cases were stored before search existed.
  const requests = indexed.map((key) => {
    const [pk, sk] = key.split('|');
    return { DeleteRequest: { Key: { pk, sk } } };
  });
  for (let i = 0; i < requests.length; i += 25)
    await db.send(new BatchWriteCommand({ RequestItems: { [table]: requests.slice(i, i + 25) } }));
}, 60_000);
afterAll(async () => {
  await rt?.stop();
});

describe('search reindex', () => {
  it('writes the postings of cases stored before search, once, and again with --restart', async () => {
    expect(indexed.length).toBeGreaterThan(0);
    expect(await found('客服退款')).toEqual([]);

    const first = await cli('search', 'reindex');
    expect(first.stderr).toContain(
      `search index built: 2 case(s) read, ${indexed.length} posting(s) written`,
    );
    expect(await postings()).toEqual(indexed);
    expect(await found('客服退款')).toEqual([ids[0]]);
    expect(await found('streetlight')).toEqual([ids[1]]);

    const second = await cli('search', 'reindex');
    expect(second.stderr).toContain('the search index was already built');

    const again = await cli('search', 'reindex', '--restart');
    expect(again.stderr).toContain(
      `search index built: 2 case(s) read, ${indexed.length} posting(s) written`,
    );
    expect(await postings()).toEqual(indexed);
  });
});
