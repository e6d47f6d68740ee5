/**
 * The search function's edge, driven by its sample events (events/http/search-cases-*.json) over
 * dynalite: a unit handler's words find their unit's case and not another unit's; a dispatcher's
 * code typed in lower case with spaces finds a case of their township; an admin's phone search is
 * refused with 403 `forbidden`; rows carry no phone and no words.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import codeEvent from '../../events/http/search-cases-code.json' with { type: 'json' };
import phoneAdminEvent from '../../events/http/search-cases-phone-admin.json' with { type: 'json' };
import wordsEvent from '../../events/http/search-cases-words.json' with { type: 'json' };
import { makeHandler } from '../../functions/search-cases.ts';
import {
  DynamoDbCaseBatchReader,
  DynamoDbCaseSearchIndex,
} from '../../shared/adapters/dynamodb-case-search.ts';
import { DynamoDbCaseStore } from '../../shared/adapters/dynamodb-case-store.ts';
import { openCursor, sealCursor } from '../../shared/adapters/page-cursor.ts';
import type { CaseReport, CaseState } from '../../shared/domain/case.ts';
import { indexCaseForSearch } from '../../shared/services/case-search-upkeep.ts';
import { type EmulatedTables, emulatedTables } from '../support/emulated-tables.ts';
import { lambdaContext } from '../support/lambda-context.ts';
import { type TestStaffTokens, testStaffTokens } from '../support/staff-tokens.ts';

let env: EmulatedTables;
let tokens: TestStaffTokens;
let handler: ReturnType<typeof makeHandler>;

const NOW = new Date('2026-11-30T08:00:00.000Z');

const caseOf = (code: string, unitId: string, submittedAt: string): CaseState => ({
  trackingCode: code,
  submissionId: crypto.randomUUID(),
  stage: 'dispatched',
  version: 2,
  category: 'road',
  communityId: 'chengdong-kangning',
  townshipId: 'chengdong',
  unitId,
  routing: { kind: 'rule' },
  channel: 'web',
  submittedAt,
  updatedAt: submittedAt,
  timeline: [{ stage: 'dispatched', at: submittedAt, by: 'system:route-report', unitId }],
});

beforeAll(async () => {
  tokens = await testStaffTokens();
  env = await emulatedTables();
  const casesTable = env.tables.cases ?? '';
  const store = new DynamoDbCaseStore(env.db, casesTable);
  const index = new DynamoDbCaseSearchIndex(env.db, env.tables.search ?? '');
  const seeded: [CaseState, string][] = [
    [caseOf('K7M2QX9PA', 'transport', '2026-11-20T01:00:00.000Z'), '东门路灯坏了，晚上很黑'],
    [caseOf('A1B2C3D4E', 'urban-management', '2026-11-21T01:00:00.000Z'), '小区路灯坏了'],
  ];
  for (const [state, description] of seeded) {
    const report: CaseReport = {
      trackingCode: state.trackingCode,
      submissionId: state.submissionId,
      description,
      contactPhone: '+8613812345678',
    };
    await store.saveReport(report);
    await store.createCase(state, []);
    await indexCaseForSearch(state, report, index);
  }
  handler = makeHandler({
    logger: new Logger({ logLevel: 'SILENT' }),
    staffTokens: tokens.staffTokens,
    cases: store,
    batch: new DynamoDbCaseBatchReader(env.db, casesTable),
    index,
    cursorKey: async () => 'k'.repeat(48),
    cursors: { seal: sealCursor, open: openCursor },
    now: () => NOW,
  });
});
afterAll(async () => {
  await env?.stop();
});

const invoke = async (event: APIGatewayProxyEventV2WithJWTAuthorizer) =>
  handler(await tokens.signed(structuredClone(event)), lambdaContext('civicloop-search-cases'));
const bodyOf = (response: { body?: string }): unknown => JSON.parse(response.body ?? 'null');
const Page = z.object({ cases: z.array(z.object({ id: z.string(), unitId: z.string() })) });
const ErrorBody = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

describe('GET /api/cases/search', () => {
  it("finds a unit handler's case by its words, and not another unit's with the same words", async () => {
    const response = await invoke(wordsEvent);
    expect(response.statusCode).toBe(200);
    expect(Page.parse(bodyOf(response)).cases.map((c) => c.id)).toEqual(['K7M2QX9PA']);
    expect(response.body).not.toMatch(/13812345678|路灯/);
  });

  it("finds a case of the dispatcher's township by a code typed in lower case with spaces", async () => {
    const response = await invoke(codeEvent);
    expect(response.statusCode).toBe(200);
    expect(Page.parse(bodyOf(response)).cases.map((c) => c.id)).toEqual(['K7M2QX9PA']);
  });

  it('refuses an admin a phone search: 403 forbidden', async () => {
    const response = await invoke(phoneAdminEvent);
    expect(response.statusCode).toBe(403);
    expect(ErrorBody.parse(bodyOf(response)).error.code).toBe('forbidden');
  });
});
