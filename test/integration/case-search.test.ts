/**
 * Staff search on the local runtime (real handlers, dynalite, fauxqs): cases across units and
 * communities are found by tracking code typed any way, by the last digits of the reporter's
 * phone and by words, each only inside the caller's scope (a case outside it is not found, as if
 * it did not exist); phone search is refused (403, `forbidden`) to roles that never see phones; a
 * case moved to another unit is found by the new unit and no longer by the old; re-indexing
 * changes nothing; anonymising a report removes its postings.
 */
import { GetCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime.ts';
import { createDocumentClient } from '../../shared/adapters/aws-clients.ts';
import { DynamoDbCaseSearchIndex } from '../../shared/adapters/dynamodb-case-search.ts';
import { DynamoDbReportRetention } from '../../shared/adapters/dynamodb-report-retention.ts';
import { CaseReport, CaseState } from '../../shared/domain/case.ts';
import { everyPostingOf, monthOf, scopeKey, termPostingKey } from '../../shared/domain/case-search.ts';
import { anonymiseReports } from '../../shared/services/anonymise-reports.ts';
import { indexCaseForSearch } from '../../shared/services/case-search-upkeep.ts';
import { ErrorBody, type StaffApi, staffApi } from '../support/staff-api.ts';

let rt: LocalRuntime;
let api: StaffApi;
let db: ReturnType<typeof createDocumentClient>;
let searchTable = '';
let casesTable = '';

const Row = z.object({
  id: z.string(),
  trackingCode: z.string(),
  stage: z.string(),
  unitId: z.string(),
  communityId: z.string(),
  submittedAt: z.string(),
});
const Page = z.object({ cases: z.array(Row), cursor: z.string().optional() });

const users = [
  'handler.antifraud',
  'handler.transport',
  'dispatcher.chengdong',
  'dispatcher.dongquan',
  'grid.kangning',
  'supervisor',
  'admin',
  'outreach.police',
] as const;
type User = (typeof users)[number];

const search = async (user: User, params: Record<string, string>) => {
  const answer = await api.request(`/api/cases/search?${new URLSearchParams(params)}`, { user });
  return answer;
};
const found = async (user: User, q: string, extra: Record<string, string> = {}) => {
  const answer = await search(user, { q, ...extra });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return Page.parse(answer.body).cases.map((c) => c.id);
};

/** The named cases of the test; fillers only add volume across units and communities. */
const ids = { fraudKangning: '', roadDongquan: '', lampKangning: '', fraudDongquan: '' };
const lampCases: string[] = [];

const readState = async (id: string) =>
  CaseState.parse(
    (await db.send(new GetCommand({ TableName: casesTable, Key: { pk: `CASE#${id}`, sk: 'STATE' } }))).Item,
  );
const readReport = async (id: string) =>
  CaseReport.parse(
    (await db.send(new GetCommand({ TableName: casesTable, Key: { pk: `CASE#${id}`, sk: 'REPORT' } }))).Item,
  );
/** Every posting of one case, read the way only a test may (a Scan of the whole table). */
const postingsOfCase = async (id: string) => {
  const keys: string[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.send(new ScanCommand({ TableName: searchTable, ExclusiveStartKey: start }));
    for (const item of page.Items ?? []) if (String(item.sk).endsWith(`#${id}`)) keys.push(String(item.pk));
    start = page.LastEvaluatedKey;
  } while (start);
  return keys.sort();
};

beforeAll(async () => {
  rt = await startLocalRuntime({ port: 0, memory: true, quiet: true });
  api = staffApi(rt);
  await api.signIn(users);
  db = createDocumentClient(rt.dynamoClient);
  searchTable = rt.resources.tables.search ?? '';
  casesTable = rt.resources.tables.cases ?? '';

  const fillers = [
    { category: 'road', communityId: 'dongquan-weijiazhuang', description: '路灯 维修 请尽快处理' },
    { category: 'sanitation', communityId: 'chengdong-qinhan', description: '垃圾 路灯下 堆了很多' },
    { category: 'dispute', communityId: 'chengdong-kangning', description: '邻居 噪音 纠纷' },
    { category: 'road', communityId: 'chengdong-taihe', description: 'Streetlight 路灯 flickers at night' },
  ];
  for (let i = 0; i < 3; i++)
    for (const filler of fillers) {
      const { id } = await api.dispatchedCase({ ...filler, description: `${filler.description} ${i}` });
      if (filler.description.includes('路灯')) lampCases.push(id);
    }
  const named: Record<
    keyof typeof ids,
    [category: string, communityId: string, description: string, phone?: string]
  > = {
    fraudKangning: ['fraud', 'chengdong-kangning', '有人冒充公安让我转账到安全账户', '138 1234 5678'],
    roadDongquan: ['road', 'dongquan-weijiazhuang', '村口路灯坏了三天 streetlight broken', '13900005678'],
    lampKangning: ['road', 'chengdong-kangning', '小区路灯不亮'],
    fraudDongquan: ['fraud', 'dongquan-weijiazhuang', '接到电话冒充公安，说我涉嫌洗钱'],
  };
  for (const name of ['fraudKangning', 'roadDongquan', 'lampKangning', 'fraudDongquan'] as const) {
    const [category, communityId, description, contactPhone] = named[name];
    const { id } = await api.dispatchedCase({
      category,
      communityId,
      description,
      ...(contactPhone ? { contactPhone } : {}),
    });
    ids[name] = id;
    if (description.includes('路灯')) lampCases.push(id);
  }
}, 120_000);

afterAll(async () => {
  await rt?.stop();
});

describe('by tracking code', () => {
  it('finds a case however its code is typed: lower case, spaces, dashes, full width, O for 0', async () => {
    const code = ids.fraudKangning;
    const typings = [
      code.toLowerCase(),
      `${code.slice(0, 3)} ${code.slice(3, 6)} ${code.slice(6)}`,
      `${code.slice(0, 3)}-${code.slice(3, 6)}-${code.slice(6)}`,
      code.replace(/[0-9A-Z]/g, (ch) => String.fromCodePoint((ch.codePointAt(0) ?? 0) + 0xfee0)),
      code.replaceAll('0', 'O').replaceAll('1', 'l'),
    ];
    for (const typed of typings) expect(await found('supervisor', typed), typed).toEqual([code]);
    expect(await found('handler.antifraud', code.toLowerCase())).toEqual([code]);
  });

  it('answers a code outside the caller scope as an unknown one: 200 and nothing, never a 403', async () => {
    expect(await found('handler.transport', ids.fraudKangning)).toEqual([]);
    expect(await found('dispatcher.dongquan', ids.fraudKangning)).toEqual([]);
    expect(await found('handler.transport', 'ZZZ-ZZZ-ZZZ')).toEqual([]);
  });

  it('answers rows shaped as the lists', async () => {
    const Rows = z.object({ cases: z.array(z.record(z.string(), z.unknown())) });
    const searched = Rows.parse((await search('supervisor', { q: ids.fraudKangning })).body).cases[0];
    const listed = Rows.parse(
      (await api.request('/api/cases?list=queue&limit=100', { user: 'supervisor' })).body,
    ).cases.find((c) => c.id === ids.fraudKangning);
    expect(listed).toBeDefined();
    expect(searched).toEqual(listed);
  });
});

describe('by the last digits of the reporter phone', () => {
  it('finds the cases of a phone ending that the caller may call about, newest first', async () => {
    expect(await found('supervisor', '5678')).toEqual([ids.roadDongquan, ids.fraudKangning]);
    expect(await found('handler.antifraud', '5678')).toEqual([ids.fraudKangning]);
    expect(await found('handler.transport', '5678')).toEqual([ids.roadDongquan]);
    expect(await found('dispatcher.chengdong', '5678')).toEqual([ids.fraudKangning]);
  });

  it('narrows by every digit typed, with spaces or a country code', async () => {
    expect(await found('supervisor', '138 1234 5678')).toEqual([ids.fraudKangning]);
    expect(await found('supervisor', '+86 139-0000-5678')).toEqual([ids.roadDongquan]);
    expect(await found('supervisor', '05678')).toEqual([ids.roadDongquan]);
  });

  it('finds nothing for a grid worker while no return visit is due (the case view shows them no phone either)', async () => {
    expect(await found('grid.kangning', '5678')).toEqual([]);
  });

  it.each([
    ['admin', 'forbidden'],
    ['outreach.police', 'forbidden'],
  ] as const)('refuses %s a phone search: 403 %s', async (user, code) => {
    const asked: Record<string, string>[] = [{ q: '5678' }, { q: '5678', by: 'phone' }];
    for (const params of asked) {
      const answer = await search(user, params);
      expect(answer.status).toBe(403);
      expect(ErrorBody.parse(answer.body).error.code).toBe(code);
    }
  });

  it('answers 400 naming q when by=phone is not a phone number', async () => {
    const answer = await search('supervisor', { q: 'abc', by: 'phone' });
    expect(answer.status).toBe(400);
    const error = ErrorBody.parse(answer.body).error;
    expect(error.code).toBe('invalid_request');
    expect(error.issues?.map((i) => i.path)).toEqual(['q']);
  });
});

describe('by words of the description', () => {
  it('finds Chinese by its character pairs and English by its words, inside the caller scope', async () => {
    expect(await found('supervisor', '冒充公安')).toEqual([ids.fraudDongquan, ids.fraudKangning]);
    expect(await found('handler.antifraud', '冒充公安')).toEqual([ids.fraudDongquan, ids.fraudKangning]);
    expect(await found('dispatcher.dongquan', '冒充公安')).toEqual([ids.fraudDongquan]);
    expect(await found('grid.kangning', '冒充公安')).toEqual([ids.fraudKangning]);
    expect(await found('handler.transport', '冒充公安')).toEqual([]);
    expect(await found('supervisor', 'STREETLIGHT broken')).toEqual([ids.roadDongquan]);
    expect(await found('supervisor', 'ｓｔｒｅｅｔｌｉｇｈｔ 路灯 三天')).toEqual([ids.roadDongquan]);
  });

  it('pages through every match newest first with a cursor sealed for the caller', async () => {
    const seen: string[] = [];
    const submitted: string[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 20; pages++) {
      const answer = await search('supervisor', { q: '路灯', limit: '4', ...(cursor ? { cursor } : {}) });
      expect(answer.status).toBe(200);
      const page = Page.parse(answer.body);
      seen.push(...page.cases.map((c) => c.id));
      submitted.push(...page.cases.map((c) => c.submittedAt));
      cursor = page.cursor;
      if (!cursor) break;
      const stolen = await search('handler.transport', { q: '路灯', cursor });
      expect(stolen.status).toBe(400);
      expect(ErrorBody.parse(stolen.body).error.issues?.map((i) => i.path)).toEqual(['cursor']);
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.sort()).toEqual([...lampCases].sort());
    expect(submitted).toEqual([...submitted].sort().reverse());
  });

  it('answers 400 naming q for a query with nothing to search', async () => {
    const answer = await search('supervisor', { q: '！？ —' });
    expect(answer.status).toBe(400);
    expect(ErrorBody.parse(answer.body).error.issues?.map((i) => i.path)).toEqual(['q']);
  });
});

describe('keeping the postings right', () => {
  it('finds a case reassigned to another unit for the new unit and no longer for the old', async () => {
    const id = ids.fraudKangning;
    expect(await found('handler.antifraud', '安全账户')).toEqual([id]);
    await api.walk(id, [
      ['handler.antifraud', { action: 'return', note: '非诈骗' }],
      ['dispatcher.chengdong', { action: 'reassign', unitId: 'transport' }],
    ]);
    expect(await found('handler.transport', '安全账户')).toEqual([id]);
    expect(await found('handler.antifraud', '安全账户')).toEqual([]);
    expect(await found('handler.antifraud', '5678')).toEqual([]);
    // Gone from the old units' postings, not merely filtered out.
    const state = await readState(id);
    const month = monthOf(state.submittedAt);
    for (const unit of ['psb-antifraud', 'centre-chengdong']) {
      const out = await db.send(
        new QueryCommand({
          TableName: searchTable,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': termPostingKey(scopeKey.unit(unit), month, '安全') },
        }),
      );
      expect(out.Items ?? [], unit).toEqual([]);
    }
  });

  it('writes nothing new when a case is indexed again', async () => {
    const id = ids.lampKangning;
    const before = await postingsOfCase(id);
    expect(before.length).toBeGreaterThan(0);
    const index = new DynamoDbCaseSearchIndex(db, searchTable);
    const [state, report] = await Promise.all([readState(id), readReport(id)]);
    await indexCaseForSearch(state, report, index);
    await indexCaseForSearch(state, report, index);
    expect(await postingsOfCase(id)).toEqual(before);
    expect(await found('grid.kangning', '路灯不亮')).toEqual([id]);
  });

  it('removes every posting of a report when it is anonymised', async () => {
    const id = ids.roadDongquan;
    const original = await readReport(id);
    expect(await postingsOfCase(id)).not.toEqual([]);
    await api.walk(id, [
      ['handler.transport', { action: 'accept' }],
      ['handler.transport', { action: 'resolve', note: '已修好' }],
      ['supervisor', { action: 'verify' }],
      ['supervisor', { action: 'close' }],
    ]);
    const state = await readState(id);
    const aYearOn = new Date(Date.parse(state.updatedAt) + 366 * 86_400_000);
    const run = await anonymiseReports({
      retention: new DynamoDbReportRetention(db, casesTable),
      searchIndex: new DynamoDbCaseSearchIndex(db, searchTable),
      retentionDays: 365,
      now: () => aYearOn,
    });
    expect(run.anonymised).toContain(id);
    expect(await postingsOfCase(id)).toEqual([]);
    expect(everyPostingOf(state, original).length).toBeGreaterThan(0);
    expect(await found('supervisor', '5678')).not.toContain(id);
    expect(await found('supervisor', 'streetlight broken')).toEqual([]);
    // Indexing the anonymised case again puts nothing back.
    await indexCaseForSearch(
      await readState(id),
      await readReport(id),
      new DynamoDbCaseSearchIndex(db, searchTable),
    );
    expect(await postingsOfCase(id)).toEqual([]);
    // A late writer that read the words before they went puts postings back: still never found.
    const anonymised = await readState(id);
    await indexCaseForSearch(
      { ...anonymised, anonymisedAt: undefined },
      original,
      new DynamoDbCaseSearchIndex(db, searchTable),
    );
    expect(await postingsOfCase(id)).not.toEqual([]);
    expect(await found('supervisor', '5678')).not.toContain(id);
    expect(await found('supervisor', 'streetlight broken')).toEqual([]);
  });
});
