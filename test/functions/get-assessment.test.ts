/**
 * The get-assessment function with its sample events: who sees which rows (status and error code
 * for every role), the query's validation naming each field, and the CSV export Excel opens.
 * The counters are real ones, recorded through the DynamoDB stats store on the emulator.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import exportEvent from '../../events/http/export-assessment.json' with { type: 'json' };
import supervisorEvent from '../../events/http/get-assessment.json' with { type: 'json' };
import gridWorkerEvent from '../../events/http/get-assessment-grid-worker.json' with { type: 'json' };
import invalidEvent from '../../events/http/get-assessment-invalid.json' with { type: 'json' };
import unitEvent from '../../events/http/get-assessment-unit.json' with { type: 'json' };
import { makeHandler } from '../../functions/get-assessment.ts';
import { demoOrganisation } from '../../infra/demo/demo-organisation.ts';
import { DynamoDbStatsStore } from '../../shared/adapters/dynamodb-stats-store.ts';
import type { StatsChange } from '../../shared/domain/case-statistics.ts';
import { defaultPolicies } from '../../shared/reference/default-policies.ts';
import type { AssessmentDeps } from '../../shared/services/unit-assessment.ts';
import { type EmulatedTables, emulatedTables } from '../support/emulated-tables.ts';
import { lambdaContext } from '../support/lambda-context.ts';
import { type TestStaffTokens, testStaffTokens } from '../support/staff-tokens.ts';

let env: EmulatedTables;
let deps: AssessmentDeps;
let tokens: TestStaffTokens;

/** A November change of a Chengdong road case: routed, accepted on time or late, rated. */
const change = (code: string, version: number, extra: Partial<StatsChange>): StatsChange => ({
  kind: 'stats',
  trackingCode: code,
  version,
  communityId: 'chengdong-kangning',
  townshipId: 'chengdong',
  category: 'road',
  at: '2026-11-10T02:00:00.000Z',
  from: { stage: 'received', unitId: 'transport', since: '2026-11-10T02:00:00.000Z' },
  to: { stage: 'dispatched', unitId: 'transport' },
  action: 'dispatch',
  ...extra,
});

beforeAll(async () => {
  tokens = await testStaffTokens();
  env = await emulatedTables();
  const stats = new DynamoDbStatsStore(env.db, env.tables.stats ?? '');
  const accepted = (unitId: string, code: string, onTime: boolean) =>
    change(code, 3, {
      at: '2026-11-11T02:00:00.000Z',
      from: { stage: 'dispatched', unitId, since: '2026-11-10T02:00:00.000Z' },
      to: { stage: 'in_progress', unitId },
      action: 'accept',
      due: onTime ? '2026-11-12T09:30:00.000Z' : '2026-11-10T09:30:00.000Z',
      workingMs: 9 * 3_600_000,
    });
  for (const [unitId, code, onTime] of [
    ['transport', 'ASSESS001', true],
    ['transport', 'ASSESS002', true],
    ['urban-management', 'ASSESS003', false],
    ['centre-chengdong', 'ASSESS004', true],
  ] as const) {
    await stats.record(
      change(code, 2, {
        from: { stage: 'received', unitId, since: '2026-11-10T02:00:00.000Z' },
        to: { stage: 'dispatched', unitId },
      }),
    );
    await stats.record(accepted(unitId, code, onTime));
  }
  deps = {
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
const invoke = async (event: APIGatewayProxyEventV2WithJWTAuthorizer, signed = true) =>
  makeHandler({ logger, ...deps, staffTokens: tokens.staffTokens })(
    signed ? await tokens.signed(structuredClone(event)) : structuredClone(event),
    lambdaContext('civicloop-get-assessment'),
  );

/** The supervisor's sample request, asked by someone with these claims and this query. */
function asWho(
  claims: Record<string, string>,
  query: Record<string, string> = {},
): APIGatewayProxyEventV2WithJWTAuthorizer {
  const base: APIGatewayProxyEventV2WithJWTAuthorizer = structuredClone(supervisorEvent);
  const { requestContext } = base;
  return {
    ...base,
    rawQueryString: new URLSearchParams({ from: '2026-11-01', to: '2026-11-30', ...query }).toString(),
    queryStringParameters: { from: '2026-11-01', to: '2026-11-30', ...query },
    requestContext: {
      ...requestContext,
      authorizer: { jwt: { claims: { sub: 'u-1', ...claims }, scopes: null } },
    },
  };
}

const ErrorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});
const Rows = z.object({
  level: z.enum(['unit', 'township']),
  ranked: z.number(),
  rows: z.array(
    z.object({
      id: z.string(),
      rank: z.number().nullable(),
      score: z.number().nullable(),
      received: z.number(),
      acceptedOnTimeRate: z.number().nullable(),
    }),
  ),
  trend: z.array(
    z.object({ id: z.string(), points: z.array(z.object({ month: z.string(), received: z.number() })) }),
  ),
  sla: z.object({
    levels: z.array(z.object({ category: z.string() })),
    calendar: z.object({ hoursPerWorkingDay: z.number() }),
  }),
});
const bodyOf = (response: { body?: string }): unknown => JSON.parse(response.body ?? 'null');
const rowsOf = (response: { body?: string }) => Rows.parse(bodyOf(response));

describe('who sees which assessment rows', () => {
  it('gives the county supervisor every unit, ranked by score, with the trend and the SLAs in force', async () => {
    const response = await invoke(supervisorEvent);
    expect(response.statusCode).toBe(200);
    const body = rowsOf(response);
    expect(body.rows).toHaveLength(demoOrganisation.units.length);
    expect(body.rows.slice(0, 3).map((r) => [r.id, r.rank])).toEqual([
      ['centre-chengdong', 1],
      ['transport', 1],
      ['urban-management', 3],
    ]);
    expect(body.ranked).toBe(3);
    expect(body.trend.find((t) => t.id === 'transport')?.points).toEqual([
      expect.objectContaining({ month: '2026-11', received: 1 * 2 }),
    ]);
    expect(body.sla.calendar.hoursPerWorkingDay).toBe(9);
    expect(body.sla.levels.map((l) => l.category)).toContain('road');
  });

  it('gives an admin every unit too', async () => {
    const response = await invoke(asWho({ 'custom:role': 'admin' }));
    expect(response.statusCode).toBe(200);
    expect(rowsOf(response).rows).toHaveLength(demoOrganisation.units.length);
  });

  it('gives a unit handler their own unit’s row and rank, and no other unit’s figures', async () => {
    const response = await invoke(unitEvent);
    expect(response.statusCode).toBe(200);
    const body = rowsOf(response);
    expect(body.rows.map((r) => [r.id, r.rank, r.received])).toEqual([['transport', 1, 2]]);
    expect(body.ranked).toBe(3);
    expect(body.trend.map((t) => t.id)).toEqual(['transport']);
  });

  it('answers 403 forbidden when a unit handler asks for the township rows', async () => {
    const response = await invoke(
      asWho({ 'custom:role': 'unit_handler', 'custom:unitId': 'transport' }, { level: 'township' }),
    );
    expect(response.statusCode).toBe(403);
    expect(ErrorBody.parse(bodyOf(response)).error.code).toBe('forbidden');
  });

  it('gives a township centre its centre’s unit row, or its township’s row', async () => {
    const dispatcher = {
      'custom:role': 'centre_dispatcher',
      'custom:unitId': 'centre-chengdong',
      'custom:townshipId': 'chengdong',
    };
    const units = await invoke(asWho(dispatcher));
    expect(units.statusCode).toBe(200);
    expect(rowsOf(units).rows.map((r) => r.id)).toEqual(['centre-chengdong']);
    const townships = await invoke(asWho(dispatcher, { level: 'township' }));
    expect(townships.statusCode).toBe(200);
    const body = rowsOf(townships);
    expect(body.rows.map((r) => [r.id, r.received])).toEqual([['chengdong', 4]]);
    expect(body.level).toBe('township');
  });

  it('answers 403 forbidden to a grid worker', async () => {
    const response = await invoke(gridWorkerEvent);
    expect(response.statusCode).toBe(403);
    expect(ErrorBody.parse(bodyOf(response)).error.code).toBe('forbidden');
  });

  it('answers 403 forbidden to outreach staff', async () => {
    const response = await invoke(asWho({ 'custom:role': 'outreach_staff' }));
    expect(response.statusCode).toBe(403);
    expect(ErrorBody.parse(bodyOf(response)).error.code).toBe('forbidden');
  });

  it('answers 401 unauthorized without a sign-in token', async () => {
    const { authorization: _none, ...headers } = supervisorEvent.headers;
    const response = await invoke({ ...structuredClone(supervisorEvent), headers }, false);
    expect(response.statusCode).toBe(401);
    expect(ErrorBody.parse(bodyOf(response)).error.code).toBe('unauthorized');
  });
});

describe('the query', () => {
  it('answers 400 naming every bad field', async () => {
    const response = await invoke(invalidEvent);
    expect(response.statusCode).toBe(400);
    const { error } = ErrorBody.parse(bodyOf(response));
    expect(error.code).toBe('invalid_request');
    // `from` is no date (30 November is the last) and `level` no level; each named once.
    expect(error.issues?.map((i) => i.path).sort()).toEqual(['from', 'level']);
  });

  it('refuses a range over 24 months, naming `to`', async () => {
    const response = await invoke(
      asWho({ 'custom:role': 'admin' }, { from: '2025-01-01', to: '2027-01-01' }),
    );
    expect(response.statusCode).toBe(400);
    expect(ErrorBody.parse(bodyOf(response)).error.issues).toEqual([
      { path: 'to', message: 'a range spans at most 24 calendar months' },
    ]);
  });

  it('sorts by the measure asked for', async () => {
    const response = await invoke(
      asWho({ 'custom:role': 'admin' }, { sort: 'acceptedOnTimeRate', order: 'asc' }),
    );
    expect(
      rowsOf(response)
        .rows.slice(0, 3)
        .map((r) => r.id),
    ).toEqual(['urban-management', 'centre-chengdong', 'transport']);
  });
});

describe('the CSV export', () => {
  it('is UTF-8 with a byte-order mark and an English header when asked in English', async () => {
    const response = await invoke(exportEvent);
    expect(response.statusCode).toBe(200);
    expect(response.headers?.['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers?.['content-disposition']).toBe(
      'attachment; filename="assessment-township-2026-11-01_2026-11-30.csv"',
    );
    const body = response.body ?? '';
    expect(body.startsWith('\uFEFF')).toBe(true);
    const [header, ...rows] = body.slice(1).trimEnd().split('\r\n');
    expect(header?.split(',').slice(0, 5)).toEqual(['ID', 'Name', 'Rank', 'Score', 'Received']);
    expect(rows).toHaveLength(demoOrganisation.townships.length);
    expect(rows[0]?.startsWith('chengdong,Chengdong')).toBe(true);
  });

  it('has a Chinese header by default', async () => {
    const event: APIGatewayProxyEventV2WithJWTAuthorizer = {
      ...structuredClone(exportEvent),
      queryStringParameters: { from: '2026-11-01', to: '2026-11-30' },
    };
    const response = await invoke(event);
    expect((response.body ?? '').slice(1).split(',').slice(0, 4)).toEqual([
      '编号',
      '名称',
      '排名',
      '综合得分',
    ]);
  });
});
