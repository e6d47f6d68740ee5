/**
 * The grid-registry function with its sample events: who reads which township's grids (status and
 * error code for every role), the query's validation, and the admin import through the API — its
 * report, its refusal for everyone else, a body that is not `{ csv }`. The directory is the real
 * DynamoDB adapter on the emulator, seeded with the demo organisation.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import registryEvent from '../../events/http/get-grid-registry.json' with { type: 'json' };
import importEvent from '../../events/http/import-grid-groups.json' with { type: 'json' };
import { makeHandler } from '../../functions/grid-registry.ts';
import { demoOrganisation } from '../../infra/demo/demo-organisation.ts';
import { DynamoDbDirectory } from '../../shared/adapters/dynamodb-directory.ts';
import { DynamoDbGridRegistry } from '../../shared/adapters/dynamodb-grid-registry.ts';
import { RegistryAnswer } from '../../shared/services/grid-registry-view.ts';
import { GridGroupImportAnswer } from '../../shared/services/import-grid-groups.ts';
import { type EmulatedTables, emulatedTables } from '../support/emulated-tables.ts';
import { lambdaContext } from '../support/lambda-context.ts';
import { type TestStaffTokens, testStaffTokens } from '../support/staff-tokens.ts';

let env: EmulatedTables;
let tokens: TestStaffTokens;
let directory: DynamoDbDirectory;
let grids: DynamoDbGridRegistry;

beforeAll(async () => {
  tokens = await testStaffTokens();
  env = await emulatedTables();
  directory = new DynamoDbDirectory(env.db, env.tables.directory ?? '');
  grids = new DynamoDbGridRegistry(env.db, env.tables.directory ?? '');
  await directory.write(demoOrganisation);
});
afterAll(async () => {
  await env?.stop();
});

const logger = new Logger({ logLevel: 'SILENT' });
const invoke = async (event: APIGatewayProxyEventV2WithJWTAuthorizer) =>
  makeHandler({ logger, directory, grids, staffTokens: tokens.staffTokens })(
    await tokens.signed(structuredClone(event)),
    lambdaContext('civicloop-grid-registry'),
  );

/** A sample request, asked by someone with these claims (and this query). */
function asWho(
  sample: APIGatewayProxyEventV2WithJWTAuthorizer,
  claims: Record<string, string>,
  query?: Record<string, string>,
): APIGatewayProxyEventV2WithJWTAuthorizer {
  const base: APIGatewayProxyEventV2WithJWTAuthorizer = structuredClone(sample);
  return {
    ...base,
    ...(query ? { rawQueryString: new URLSearchParams(query).toString(), queryStringParameters: query } : {}),
    requestContext: {
      ...base.requestContext,
      authorizer: { jwt: { claims: { sub: 'u-1', ...claims }, scopes: null } },
    },
  };
}

const ErrorBody = z.object({ error: z.object({ code: z.string(), message: z.string() }) });
const bodyOf = (response: { body?: string }): unknown => JSON.parse(response.body ?? 'null');
const supervisor = { 'custom:role': 'county_supervisor' };
const chengdongDispatcher = {
  'custom:role': 'centre_dispatcher',
  'custom:unitId': 'centre-chengdong',
  'custom:townshipId': 'chengdong',
};

describe('who reads the grid registry', () => {
  it("gives a township centre's dispatcher their own township's grids, micro-grids and groups", async () => {
    const response = await invoke(registryEvent);
    expect(response.statusCode).toBe(200);
    const body = RegistryAnswer.parse(bodyOf(response));
    expect(body.scope).toBe('township');
    expect(body.townshipId).toBe('chengdong');
    expect(body.townships.map((t) => t.id)).toEqual(['chengdong']);
    expect(body.townships[0]).toMatchObject({ grids: 28, groups: 28, counted: 0 });
    expect(body.grids).toHaveLength(28);
    const g1 = body.grids.find((g) => g.id === 'chengdong-kangning-g1');
    expect(g1?.group?.ownerUserId).toBe('gw-chengdong-kangning-g1');
    expect(g1?.microGrids?.length).toBeGreaterThanOrEqual(4);
  });

  it('answers 403 forbidden when a township centre asks for another township', async () => {
    const response = await invoke(asWho(registryEvent, chengdongDispatcher, { townshipId: 'dongquan' }));
    expect(response.statusCode).toBe(403);
    expect(ErrorBody.parse(bodyOf(response)).error.code).toBe('forbidden');
  });

  it('gives the county supervisor every township in figures, and any one township listed', async () => {
    const all = RegistryAnswer.parse(bodyOf(await invoke(asWho(registryEvent, supervisor))));
    expect(all.scope).toBe('county');
    expect(all.townships).toHaveLength(demoOrganisation.townships.length);
    expect(all.grids).toEqual([]);
    const dongquan = await invoke(asWho(registryEvent, supervisor, { townshipId: 'dongquan' }));
    expect(dongquan.statusCode).toBe(200);
    expect(RegistryAnswer.parse(bodyOf(dongquan))).toMatchObject({ townshipId: 'dongquan', grids: [] });
  });

  it('treats the county centre’s dispatcher as the county', async () => {
    const response = await invoke(
      asWho(
        registryEvent,
        {
          'custom:role': 'centre_dispatcher',
          'custom:unitId': demoOrganisation.countyCentreUnitId,
          'custom:townshipId': 'chengdong',
        },
        { townshipId: 'dongquan' },
      ),
    );
    expect(response.statusCode).toBe(200);
    expect(RegistryAnswer.parse(bodyOf(response)).scope).toBe('county');
  });

  it.each([
    ['a unit handler', { 'custom:role': 'unit_handler', 'custom:unitId': 'transport' }],
    ['a grid worker', { 'custom:role': 'grid_worker', 'custom:communityId': 'chengdong-kangning' }],
    ['outreach staff', { 'custom:role': 'outreach_staff' }],
  ])('answers 403 forbidden to %s', async (_who, claims) => {
    const response = await invoke(asWho(registryEvent, claims));
    expect(response.statusCode).toBe(403);
    expect(ErrorBody.parse(bodyOf(response)).error.code).toBe('forbidden');
  });

  it('answers 400 naming townshipId for a township that does not exist', async () => {
    const response = await invoke(asWho(registryEvent, supervisor, { townshipId: 'atlantis' }));
    expect(response.statusCode).toBe(400);
    expect(bodyOf(response)).toMatchObject({
      error: { code: 'invalid_request', issues: [{ path: 'townshipId', message: 'no such township' }] },
    });
  });
});

describe('the admin import through the API', () => {
  it('imports the sample file and reports what changed; the same file again changes nothing', async () => {
    const first = await invoke(importEvent);
    expect(first.statusCode).toBe(200);
    expect(GridGroupImportAnswer.parse(bodyOf(first))).toMatchObject({
      grids: 2,
      changed: 2,
      groups: { added: 0, changed: 2 },
      rejected: [],
    });
    const again = GridGroupImportAnswer.parse(bodyOf(await invoke(importEvent)));
    expect(again).toMatchObject({ grids: 2, changed: 0, unchanged: 2 });
    const g2 = (await directory.load()).grids.find((g) => g.id === 'chengdong-kangning-g2');
    expect(g2?.microGrids).toEqual([
      { id: 'kangning-g2-m1', zh: '康宁二区', households: 347, wecomUserId: 'wang.fang' },
    ]);
  });

  it('answers 403 forbidden to anyone but an admin, and imports nothing', async () => {
    const response = await invoke(asWho(importEvent, supervisor));
    expect(response.statusCode).toBe(403);
    expect(ErrorBody.parse(bodyOf(response)).error.code).toBe('forbidden');
  });

  it('answers 400 naming csv when the body has no file', async () => {
    const event = asWho(importEvent, { 'custom:role': 'admin' });
    const response = await invoke({ ...event, body: JSON.stringify({ file: 'x' }) });
    expect(response.statusCode).toBe(400);
    expect(bodyOf(response)).toMatchObject({ error: { code: 'invalid_request', issues: [{ path: 'csv' }] } });
  });

  it('answers 400 naming the header when the file has no header line', async () => {
    const event = asWho(importEvent, { 'custom:role': 'admin' });
    const response = await invoke({
      ...event,
      body: JSON.stringify({ csv: 'chengdong-kangning-g1,wr1,gw-1\n' }),
    });
    expect(response.statusCode).toBe(400);
    expect(bodyOf(response)).toMatchObject({
      error: { code: 'invalid_request', issues: [{ path: 'header' }] },
    });
  });
});
