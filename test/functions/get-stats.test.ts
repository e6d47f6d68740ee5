/**
 * The get-stats function with its sample range event: the figures of a date range from the real
 * counters on the emulator (entries per stage, by category, time in human units), and a bad range
 * answered 400 naming the field.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import exportEvent from '../../events/http/export-stats.json' with { type: 'json' };
import rangeEvent from '../../events/http/get-stats-range.json' with { type: 'json' };
import { makeHandler } from '../../functions/get-stats.ts';
import { demoOrganisation } from '../../infra/demo/demo-organisation.ts';
import { DynamoDbCaseStore } from '../../shared/adapters/dynamodb-case-store.ts';
import { DynamoDbStatsStore } from '../../shared/adapters/dynamodb-stats-store.ts';
import type { StatsChange } from '../../shared/domain/case-statistics.ts';
import { defaultPolicies } from '../../shared/reference/default-policies.ts';
import type { StatsQueryDeps } from '../../shared/services/case-queries.ts';
import { type EmulatedTables, emulatedTables } from '../support/emulated-tables.ts';
import { lambdaContext } from '../support/lambda-context.ts';
import { type TestStaffTokens, testStaffTokens } from '../support/staff-tokens.ts';

let env: EmulatedTables;
let deps: StatsQueryDeps;
let tokens: TestStaffTokens;

/** A road case routed on 10 November, accepted the next day after 9 office hours. */
const changes: StatsChange[] = [
  {
    kind: 'stats',
    trackingCode: 'STATSR001',
    version: 2,
    communityId: 'chengdong-kangning',
    townshipId: 'chengdong',
    category: 'road',
    at: '2026-11-10T02:00:00.000Z',
    from: { stage: 'received', unitId: 'transport', since: '2026-11-10T02:00:00.000Z' },
    to: { stage: 'dispatched', unitId: 'transport' },
    action: 'dispatch',
  },
  {
    kind: 'stats',
    trackingCode: 'STATSR001',
    version: 3,
    communityId: 'chengdong-kangning',
    townshipId: 'chengdong',
    category: 'road',
    at: '2026-11-11T02:00:00.000Z',
    from: { stage: 'dispatched', unitId: 'transport', since: '2026-11-10T02:00:00.000Z' },
    to: { stage: 'in_progress', unitId: 'transport' },
    action: 'accept',
    workingMs: 9 * 3_600_000,
  },
];

beforeAll(async () => {
  tokens = await testStaffTokens();
  env = await emulatedTables();
  const stats = new DynamoDbStatsStore(env.db, env.tables.stats ?? '');
  for (const change of changes) await stats.record(change);
  deps = {
    cases: new DynamoDbCaseStore(env.db, env.tables.cases ?? ''),
    stats,
    directory: { load: async () => demoOrganisation },
    policies: { loadPolicies: async () => defaultPolicies },
    now: () => new Date('2026-12-01T02:00:00.000Z'),
  };
});
afterAll(async () => {
  await env?.stop();
});

const logger = new Logger({ logLevel: 'SILENT' });
const invoke = async (event: APIGatewayProxyEventV2WithJWTAuthorizer) =>
  makeHandler({ logger, ...deps, staffTokens: tokens.staffTokens })(
    await tokens.signed(structuredClone(event)),
    lambdaContext('civicloop-get-stats'),
  );
const bodyOf = (response: { body?: string }): unknown => JSON.parse(response.body ?? 'null');

describe('GET /api/stats over a date range', () => {
  it('counts the cases that came into each stage, by unit and category, with time per stage in hours and working days', async () => {
    const response = await invoke(rangeEvent);
    expect(response.statusCode).toBe(200);
    const stats = z
      .object({
        range: z.object({ from: z.string(), to: z.string() }),
        byStage: z.record(z.string(), z.number()),
        byCategory: z.record(z.string(), z.record(z.string(), z.number())),
        timeInStage: z.record(z.string(), z.record(z.string(), z.number())),
      })
      .parse(bodyOf(response));
    expect(stats.range).toEqual({ from: '2026-11-01', to: '2026-11-30' });
    expect(stats.byStage).toEqual({ dispatched: 1, in_progress: 1 });
    expect(stats.byCategory).toEqual({ road: { dispatched: 1, in_progress: 1 } });
    expect(stats.timeInStage.dispatched).toEqual({
      meanSeconds: 86_400,
      meanHours: 24,
      meanWorkingHours: 9,
      meanWorkingDays: 1,
    });
  });

  it('is empty for a range without changes', async () => {
    const event: APIGatewayProxyEventV2WithJWTAuthorizer = {
      ...structuredClone(rangeEvent),
      queryStringParameters: { from: '2026-10-01', to: '2026-10-31' },
    };
    const response = await invoke(event);
    expect(response.statusCode).toBe(200);
    expect(bodyOf(response)).toMatchObject({ byStage: {}, byCategory: {} });
  });

  it('answers 400 naming `to` when only `from` is given', async () => {
    const event: APIGatewayProxyEventV2WithJWTAuthorizer = {
      ...structuredClone(rangeEvent),
      queryStringParameters: { from: '2026-11-01' },
    };
    const response = await invoke(event);
    expect(response.statusCode).toBe(400);
    expect(bodyOf(response)).toMatchObject({
      error: {
        code: 'invalid_request',
        issues: [{ path: 'to', message: 'give both from and to (YYYY-MM-DD), or neither for this month' }],
      },
    });
  });
});

describe('GET /api/stats/export', () => {
  const exportOf = (query: Record<string, string>): APIGatewayProxyEventV2WithJWTAuthorizer => ({
    ...structuredClone(exportEvent),
    queryStringParameters: query,
  });

  it('answers the range figures as CSV: BOM, Chinese header, a row per stage total, unit and category, CRLF', async () => {
    const response = await invoke(exportEvent);
    expect(response.statusCode).toBe(200);
    expect(response.headers?.['content-disposition']).toBe(
      'attachment; filename="stats-2026-11-01_2026-11-30.csv"',
    );
    const lines = (response.body ?? '').split('\r\n');
    expect(lines[0]).toBe(
      '\uFEFF维度,编号,名称,已接收,已立案,已派遣,办理中,已办结,已核查,已结案,已评价,已合并,总计,超时督办,评价数,平均评分,' +
        '月份,网页受理,短信受理,网格员录入,政务微信受理,短信触达户数,微信群触达群数,微信群触达户数',
    );
    expect(lines[1]).toBe('合计,,,0,0,1,1,0,0,0,0,0,2,,0,');
    expect(lines).toContain('类别,road,道路交通与路灯,0,0,1,1,0,0,0,0,0,2');
    expect(lines.some((l) => l.startsWith('单位,transport,'))).toBe(true);
    expect(lines).toContain('平均工时（小时）,,,,,9,,,,,,');
    expect(lines.at(-1)).toBe('');
  });

  it('writes the header in English for lang=en', async () => {
    const response = await invoke(exportOf({ from: '2026-11-01', to: '2026-11-30', lang: 'en' }));
    expect(response.statusCode).toBe(200);
    expect((response.body ?? '').split('\r\n')[0]).toMatch(/^\uFEFFDimension,ID,Name,Received,/);
  });

  it('answers 400 naming `lang` for a language it does not write', async () => {
    const response = await invoke(exportOf({ lang: 'fr' }));
    expect(response.statusCode).toBe(400);
    expect(bodyOf(response)).toMatchObject({
      error: { code: 'invalid_request', issues: [{ path: 'lang' }] },
    });
  });
});
