/**
 * The campaign planner's HTTP edge, fed the sample API Gateway events: 201 with a location for
 * outreach staff, 403 for a handler, 400 naming the fields, a grid worker's outreach tasks (and a
 * handler's 403 for them), and a DynamoDB outage as a 503 that says nothing about the inside.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import createEvent from '../../events/http/create-campaign.json' with { type: 'json' };
import forbiddenEvent from '../../events/http/create-campaign-not-outreach-staff.json' with { type: 'json' };
import riskEvent from '../../events/http/get-fraud-risk.json' with { type: 'json' };
import invalidPreviewEvent from '../../events/http/preview-campaign-invalid.json' with { type: 'json' };
import { makeHandler } from '../../functions/campaigns.ts';
import { demoOrganisation } from '../../infra/demo/demo-organisation.ts';
import { createDocumentClient } from '../../shared/adapters/aws-clients.ts';
import { DynamoDbFraudReports } from '../../shared/adapters/dynamodb-fraud-reports.ts';
import { DynamoDbHouseholdRegistry } from '../../shared/adapters/dynamodb-household-registry.ts';
import { DynamoDbOutreachStore } from '../../shared/adapters/dynamodb-outreach-store.ts';
import { createCampaign } from '../../shared/services/campaigns/plan-campaigns.ts';
import type { CampaignApiDeps } from '../../shared/services/campaigns/planner-context.ts';
import { type EmulatedTables, emulatedTables } from '../support/emulated-tables.ts';
import { lambdaContext } from '../support/lambda-context.ts';
import { type TestStaffTokens, testStaffTokens } from '../support/staff-tokens.ts';

let env: EmulatedTables;
let deps: CampaignApiDeps;
let tokens: TestStaffTokens;

beforeAll(async () => {
  tokens = await testStaffTokens();
  env = await emulatedTables();
  deps = {
    campaigns: new DynamoDbOutreachStore(env.db, env.tables.outreach ?? ''),
    directory: { load: async () => demoOrganisation },
    fraudReports: new DynamoDbFraudReports(env.db, env.tables.stats ?? ''),
    households: new DynamoDbHouseholdRegistry(env.db, env.tables.households ?? ''),
    reach: new DynamoDbOutreachStore(env.db, env.tables.outreach ?? ''),
    capWindowMs: 7 * 86_400_000,
    quietHours: { start: '21:00', end: '08:00' },
    newId: () => 'cmp-events0001',
    now: () => new Date('2026-12-01T02:00:00Z'),
  };
});
afterAll(async () => {
  await env?.stop();
});

const logger = new Logger({ logLevel: 'SILENT' });
/** The sample event with its claims in a bearer token, as it reaches the function in AWS. */
const invoke = async (event: APIGatewayProxyEventV2WithJWTAuthorizer, with_: Partial<CampaignApiDeps> = {}) =>
  makeHandler({ logger, ...deps, staffTokens: tokens.staffTokens, ...with_ })(
    await tokens.signed(structuredClone(event)),
    lambdaContext('civicloop-campaigns'),
  );

const ErrorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});
const View = z.object({
  campaign: z.object({ campaignId: z.string(), status: z.string(), nextRunAt: z.string() }),
  upcoming: z.array(z.string()),
  preview: z.object({ parts: z.number(), estimatedMessages: z.number() }),
});
const bodyOf = (response: { body?: string }): unknown => JSON.parse(response.body ?? 'null');

/** The risk event's request, as GET /api/outreach/tasks by someone with these claims. */
function tasksEvent(claims: Record<string, string>): APIGatewayProxyEventV2WithJWTAuthorizer {
  const path = '/api/outreach/tasks';
  const { requestContext } = riskEvent;
  return {
    ...riskEvent,
    routeKey: `GET ${path}`,
    rawPath: path,
    requestContext: {
      ...requestContext,
      routeKey: `GET ${path}`,
      http: { ...requestContext.http, path },
      authorizer: { ...requestContext.authorizer, jwt: { ...requestContext.authorizer.jwt, claims } },
    },
  };
}

describe('the campaigns function', () => {
  it('creates and schedules a campaign for outreach staff: 201, its location, next runs and cost', async () => {
    const response = await invoke(createEvent);
    expect(response.statusCode).toBe(201);
    expect(response.headers?.location).toBe('/api/campaigns/cmp-events0001');
    const view = View.parse(bodyOf(response));
    expect(view.campaign).toMatchObject({ status: 'scheduled', nextRunAt: '2026-12-08T02:00:00.000Z' });
    expect(view.upcoming).toHaveLength(4);
    expect(view.preview.parts).toBe(1);
  });

  it('answers 403 when a case handler tries to create one', async () => {
    const response = await invoke(forbiddenEvent);
    expect(response.statusCode).toBe(403);
    expect(ErrorBody.parse(bodyOf(response)).error.code).toBe('forbidden');
  });

  it('answers 400 naming the message field when a preview body is not allowed', async () => {
    const response = await invoke(invalidPreviewEvent);
    expect(response.statusCode).toBe(400);
    const paths = ErrorBody.parse(bodyOf(response)).error.issues?.map((i) => i.path);
    expect(paths).toContain('channel.body');
  });

  it('ranks the county’s communities for outreach staff', async () => {
    const response = await invoke(riskEvent);
    expect(response.statusCode).toBe(200);
    const ranking = z
      .object({ windowDays: z.number(), communities: z.array(z.object({ communityId: z.string() })) })
      .parse(bodyOf(response));
    expect(ranking.windowDays).toBe(90);
    expect(ranking.communities).toHaveLength(demoOrganisation.communities.length);
  });

  it('lists a grid worker’s outreach tasks without the assignee’s phone, and answers 403 to a case handler', async () => {
    await createCampaign(
      { role: 'outreach_staff', userId: 'u-outreach', name: '反诈宣传民警' },
      {
        title: '康宁社区以案说法',
        communityIds: ['chengdong-kangning'],
        firstRunAt: '2026-12-10T15:00',
        channel: {
          kind: 'lecture',
          venue: '康宁社区活动室',
          assignee: { role: 'police_officer', name: '王警官', phone: '13800001111' },
        },
        schedule: true,
      },
      { ...deps, newId: () => 'cmp-lecture0001' },
    );
    const response = await invoke(
      tasksEvent({
        sub: '7a7c15dd-1a06-4a48-a04b-2711f5a6c665',
        'custom:role': 'grid_worker',
        'custom:communityId': 'chengdong-kangning',
      }),
    );
    expect(response.statusCode).toBe(200);
    const tasks = z
      .object({
        communityId: z.string(),
        tasks: z.array(
          z.object({ campaignId: z.string(), assignee: z.object({}).loose(), upcoming: z.array(z.string()) }),
        ),
      })
      .parse(bodyOf(response));
    expect(tasks).toMatchObject({
      communityId: 'chengdong-kangning',
      tasks: [
        {
          campaignId: 'cmp-lecture0001',
          assignee: { role: 'police_officer', name: '王警官' },
          upcoming: ['2026-12-10T07:00:00.000Z'],
        },
      ],
    });
    expect(response.body).not.toContain('00001111');

    const refused = await invoke(
      tasksEvent({ sub: 'be82ee10', 'custom:role': 'unit_handler', 'custom:unitId': 'psb-antifraud' }),
    );
    expect(refused.statusCode).toBe(403);
    expect(ErrorBody.parse(bodyOf(refused)).error.code).toBe('forbidden');
  });

  it('turns a DynamoDB outage into a 503 that leaks nothing', async () => {
    const db = createDocumentClient(new DynamoDBClient({ region: 'us-east-1' }));
    const mock = mockClient(db);
    mock.on(QueryCommand).rejects(new Error('InternalServerError: table civicloop-outreach on partition 7'));
    const response = await invoke(riskEvent, {
      campaigns: new DynamoDbOutreachStore(db, 'civicloop-outreach'),
    });
    expect(response.statusCode).toBe(503);
    expect(response.body).not.toMatch(/civicloop-outreach|partition|InternalServerError/);
    mock.restore();
  });
});
