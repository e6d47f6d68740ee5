/**
 * The case export's edge, driven by its sample events (events/http/export-cases*.json) over
 * dynalite with the demo organisation: the file starts with a BOM and a header in the request's
 * language, fields are quoted (RFC 4180, CRLF) and formulas defused, personal columns come only
 * on request and only to roles that work cases (the phone only where the case view shows it),
 * and a few hundred cases come back across chunks, each row exactly once, each chunk within its
 * bound, the first alone with the BOM and header, the chunks joined equal to one file.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import exportEvent from '../../events/http/export-cases.json' with { type: 'json' };
import adminPersonalEvent from '../../events/http/export-cases-admin-personal.json' with { type: 'json' };
import { makeHandler } from '../../functions/list-cases.ts';
import { demoOrganisation } from '../../infra/demo/demo-organisation.ts';
import { DynamoDbCaseBatchReader } from '../../shared/adapters/dynamodb-case-search.ts';
import { DynamoDbCaseStore } from '../../shared/adapters/dynamodb-case-store.ts';
import { DynamoDbStatsStore } from '../../shared/adapters/dynamodb-stats-store.ts';
import type { CaseState } from '../../shared/domain/case.ts';
import { formatTrackingCode } from '../../shared/domain/tracking-code.ts';
import type { CaseExportDeps } from '../../shared/services/case-export.ts';
import { type EmulatedTables, emulatedTables } from '../support/emulated-tables.ts';
import { lambdaContext } from '../support/lambda-context.ts';
import { casesIn, dispatchedCase, seedCases } from '../support/seeded-cases.ts';
import { type TestStaffTokens, testStaffTokens } from '../support/staff-tokens.ts';

let env: EmulatedTables;
let tokens: TestStaffTokens;
let deps: CaseExportDeps;

const NOW = new Date('2026-11-30T08:00:00.000Z');
const START = '2026-11-20T01:00:00.000Z';
const CHENGDONG = { townshipId: 'chengdong', communityId: 'chengdong-kangning', unitId: 'transport' };
const CHENGXI = { townshipId: 'chengxi', communityId: 'chengxi-gucheng', unitId: 'transport' };

/** The tricky one: a description that is a formula with a comma, quotes and a line break. */
const TRICKY: CaseState = {
  ...dispatchedCase('K7M2QX9PA', { ...CHENGDONG, unitId: 'centre-chengdong' }, '2026-11-20T09:20:00.000Z'),
  timer: { kind: 'accept_due', at: '2026-11-21T01:00:00.000Z' },
};
const TRICKY_DESCRIPTION = '=HYPERLINK("http://x","路灯坏了")\n第二行, 逗号';
const OURS = 250;

beforeAll(async () => {
  tokens = await testStaffTokens();
  env = await emulatedTables();
  const casesTable = env.tables.cases ?? '';
  const store = new DynamoDbCaseStore(env.db, casesTable);
  const seeded: CaseState[] = [
    TRICKY,
    ...casesIn('CD', OURS - 1, CHENGDONG, START),
    // Another township's: never in a Chengdong dispatcher's export.
    ...casesIn('CX', 20, CHENGXI, START),
  ];
  await seedCases(store, seeded, (state) => ({
    description: state === TRICKY ? TRICKY_DESCRIPTION : '小区路灯坏了',
    contactPhone: '+8613812345678',
  }));
  deps = {
    cases: store,
    batch: new DynamoDbCaseBatchReader(env.db, casesTable),
    directory: { load: async () => demoOrganisation },
    stats: new DynamoDbStatsStore(env.db, env.tables.stats ?? ''),
    cursorKey: async () => 'k'.repeat(48),
    now: () => NOW,
  };
}, 120_000);
afterAll(async () => {
  await env?.stop();
});

const logger = new Logger({ logLevel: process.env.DEBUG_EXPORT ? 'DEBUG' : 'SILENT' });
const withQuery = (
  event: APIGatewayProxyEventV2WithJWTAuthorizer,
  query: Record<string, string>,
): APIGatewayProxyEventV2WithJWTAuthorizer => ({
  ...structuredClone(event),
  queryStringParameters: query,
  rawQueryString: new URLSearchParams(query).toString(),
});
const withRole = (
  event: APIGatewayProxyEventV2WithJWTAuthorizer,
  claims: Record<string, string>,
): APIGatewayProxyEventV2WithJWTAuthorizer => {
  const copy = structuredClone(event);
  copy.requestContext.authorizer.jwt.claims = { ...claims, token_use: 'id' };
  return copy;
};
const invoke = async (event: APIGatewayProxyEventV2WithJWTAuthorizer, over: Partial<CaseExportDeps> = {}) =>
  makeHandler({ logger, staffTokens: tokens.staffTokens, ...deps, ...over })(
    await tokens.signed(structuredClone(event)),
    lambdaContext('civicloop-list-cases'),
  );
const ErrorBody = z.object({ error: z.object({ code: z.string(), message: z.string() }) });
const errorOf = (response: { body?: string }) => ErrorBody.parse(JSON.parse(response.body ?? 'null')).error;
const header = (response: { headers?: Record<string, string | number | boolean> }, name: string) =>
  response.headers?.[name] === undefined ? undefined : String(response.headers[name]);

/** Every chunk of an export, following X-Next-Cursor. */
async function allChunks(query: Record<string, string>, over: Partial<CaseExportDeps> = {}) {
  const chunks: { body: string; rows: number; bytes: number }[] = [];
  let cursor: string | undefined;
  do {
    const response = await invoke(withQuery(exportEvent, { ...query, ...(cursor ? { cursor } : {}) }), over);
    expect(response.statusCode).toBe(200);
    const body = response.body ?? '';
    chunks.push({ body, rows: Number(header(response, 'x-export-rows')), bytes: Buffer.byteLength(body) });
    cursor = header(response, 'x-next-cursor');
    if (cursor) expect(header(response, 'link')).toContain('rel="next"');
  } while (cursor);
  return chunks;
}

describe('GET /api/cases/export', () => {
  it('answers a dispatcher a CSV file: BOM, English header, CRLF, their township only', async () => {
    const response = await invoke(exportEvent);
    expect(response.statusCode).toBe(200);
    expect(header(response, 'content-type')).toBe('text/csv; charset=utf-8');
    expect(header(response, 'content-disposition')).toBe(
      'attachment; filename="cases-queue-open-2026-11-30.csv"',
    );
    const body = response.body ?? '';
    expect(body.startsWith('\uFEFFTracking code,Category,Community,Township,Unit,Stage,Reported at,')).toBe(
      true,
    );
    expect(body.split('\r\n')[0]).toBe(
      '\uFEFFTracking code,Category,Community,Township,Unit,Stage,Reported at,Accept by,Resolve by,Overdue,Resolved at,Rating,Description,Reporter phone',
    );
    expect(body.endsWith('\r\n')).toBe(true);
    expect(body).not.toMatch(/(^|\n)CX/);
  });

  it('writes the header in Chinese when asked for zh', async () => {
    const response = await invoke(withQuery(exportEvent, { lang: 'zh' }));
    expect(response.statusCode).toBe(200);
    expect((response.body ?? '').split('\r\n')[0]).toBe(
      '\uFEFF查询码,类别,社区（村）,乡镇（街道）,承办单位,阶段,反映时间,受理时限,办结时限,是否超期,办结时间,评分',
    );
  });

  it('quotes a field with a comma, quote or line break and defuses a formula with a leading apostrophe', async () => {
    const body = (await invoke(exportEvent)).body ?? '';
    const row = `${formatTrackingCode('K7M2QX9PA')},"Roads`;
    const line = body.slice(body.indexOf(row));
    expect(line).toContain(`"'=HYPERLINK(""http://x"",""路灯坏了"")\n第二行, 逗号"`);
    // Dates in Asia/Shanghai; the phone (the dispatcher's own township's case) defused too.
    expect(line).toContain('2026-11-20 17:20,2026-11-21 09:00,,yes,,,');
    expect(line.split('\r\n')[0]).toMatch(/,'\+8613812345678$/);
  });

  it('leaves the personal columns out unless asked for', async () => {
    const response = await invoke(withQuery(exportEvent, { lang: 'en' }));
    expect(response.statusCode).toBe(200);
    expect((response.body ?? '').split('\r\n')[0]).toMatch(/,Rating$/);
    expect(response.body).not.toMatch(/13812345678|路灯/);
  });

  it('refuses an admin the personal columns: 403 forbidden', async () => {
    const response = await invoke(adminPersonalEvent);
    expect(response.statusCode).toBe(403);
    expect(errorOf(response).code).toBe('forbidden');
  });

  it('refuses outreach staff any export: 403 forbidden', async () => {
    const response = await invoke(
      withRole(withQuery(exportEvent, {}), { sub: crypto.randomUUID(), 'custom:role': 'outreach_staff' }),
    );
    expect(response.statusCode).toBe(403);
    expect(errorOf(response).code).toBe('forbidden');
  });

  it("gives a grid worker descriptions but no phone while no return visit is due (the case view's rule)", async () => {
    const response = await invoke(
      withRole(withQuery(exportEvent, { personal: 'true', lang: 'en' }), {
        sub: crypto.randomUUID(),
        'custom:role': 'grid_worker',
        'custom:communityId': 'chengdong-kangning',
      }),
    );
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('小区路灯坏了');
    expect(response.body).not.toContain('13812345678');
  });

  it('answers 400 naming cursor for a cursor not sealed for this caller', async () => {
    const response = await invoke(withQuery(exportEvent, { cursor: 'forged.cursor' }));
    expect(response.statusCode).toBe(400);
    expect(JSON.stringify(JSON.parse(response.body ?? 'null'))).toContain('cursor');
  });

  it('exports a few hundred cases across chunks: every row once, each chunk bounded, the chunks one file', async () => {
    const pageSize = 40;
    const chunkBytes = 6_000;
    const query = { list: 'queue', status: 'open', lang: 'en', personal: 'true' };
    const chunks = await allChunks(query, { exportLimits: { pageSize, chunkBytes } });
    expect(chunks.length).toBeGreaterThan(3);
    const rowBytes = Math.max(
      ...chunks.flatMap((c) => c.body.split('\r\n').map((l) => Buffer.byteLength(l) + 2)),
    );
    for (const chunk of chunks) {
      // The bound: a chunk stops after the page that passes it, so at most one page beyond it.
      expect(chunk.bytes).toBeLessThan(chunkBytes + pageSize * rowBytes);
      expect(chunk.rows).toBeLessThanOrEqual(Math.ceil(chunkBytes / 100) + pageSize);
    }
    expect(chunks.slice(1).every((c) => !c.body.startsWith('\uFEFF') && !c.body.startsWith('Tracking'))).toBe(
      true,
    );
    const joined = chunks.map((c) => c.body).join('');
    const codes = joined
      .split('\r\n')
      .slice(1)
      .map((line) => line.split(',')[0] ?? '')
      .filter((c) => /^[A-Z0-9]{3}-[A-Z0-9]{3}-[A-Z0-9]{3}$/.test(c));
    expect(codes).toHaveLength(OURS);
    expect(new Set(codes).size).toBe(OURS);
    expect(codes.some((c) => c.startsWith('CX'))).toBe(false);
    expect(chunks.reduce((n, c) => n + c.rows, 0)).toBe(OURS);
    // The same export in one chunk is the same file.
    const whole = await allChunks(query, { exportLimits: { pageSize: 100, chunkBytes: 10_000_000 } });
    expect(whole).toHaveLength(1);
    expect(whole[0]?.body).toBe(joined);
  });
});
