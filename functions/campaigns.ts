/**
 * The campaign planner's API (staff): `GET|POST /api/campaigns`, `GET|PUT /api/campaigns/{id}`,
 * `POST /api/campaigns/{id}/actions` (schedule, cancel), `POST /api/campaigns/{id}/runs/{runId}/attendance`,
 * `POST /api/campaign-previews` (part count and estimated messages before scheduling),
 * `GET /api/outreach/risk` (communities ranked by fraud reports per 1,000 households) and
 * `GET /api/outreach/tasks` (the lectures and screenings in a grid worker's community).
 * Outreach staff and the county supervisor plan; admins may look; a grid worker sees their
 * community's tasks and records its attendance; everyone else gets 403.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import type { Staff } from '../shared/domain/staff.ts';
import { NotFoundError } from '../shared/errors.ts';
import { httpEdge } from '../shared/http/http-edge.ts';
import { limitBodySize, readRequestBody } from '../shared/http/request-body.ts';
import { type HttpResponse, jsonResponse } from '../shared/http/responses.ts';
import { type RouteTable, routeFor } from '../shared/http/route-table.ts';
import { staffOf } from '../shared/http/staff-identity.ts';
import { createLogger } from '../shared/logger.ts';
import type { StaffTokenVerifier } from '../shared/ports/staff-tokens.ts';
import { listCampaigns } from '../shared/services/campaigns/campaign-calendar.ts';
import { fraudRiskRanking } from '../shared/services/campaigns/fraud-risk-ranking.ts';
import { listOutreachTasks, recordAttendance } from '../shared/services/campaigns/outreach-tasks.ts';
import {
  actOnCampaign,
  createCampaign,
  getCampaign,
  updateCampaign,
} from '../shared/services/campaigns/plan-campaigns.ts';
import type { CampaignApiDeps } from '../shared/services/campaigns/planner-context.ts';
import { previewCampaign } from '../shared/services/campaigns/preview-campaign.ts';
import { onFirstInvocation } from './wiring/on-first-invocation.ts';
import { campaignApiServices } from './wiring/outreach.ts';
import { staffTokenServices } from './wiring/staff-tokens.ts';

export interface CampaignsHandlerDeps extends CampaignApiDeps {
  logger: Logger;
  staffTokens: StaffTokenVerifier;
}

interface CampaignRequest {
  event: APIGatewayProxyEventV2WithJWTAuthorizer;
  staff: Staff;
  /** The `{id}` path parameter ('' on routes without one). */
  id: string;
  deps: CampaignsHandlerDeps;
}

const routes: RouteTable<(request: CampaignRequest) => Promise<HttpResponse>> = {
  'GET /api/outreach/risk': async ({ staff, deps }) => jsonResponse(200, await fraudRiskRanking(staff, deps)),
  'GET /api/outreach/tasks': async ({ event, staff, deps }) =>
    jsonResponse(200, await listOutreachTasks(staff, event.queryStringParameters, deps)),
  'GET /api/campaigns': async ({ event, staff, deps }) =>
    jsonResponse(200, await listCampaigns(staff, event.queryStringParameters, deps)),
  'POST /api/campaign-previews': async ({ event, staff, deps }) =>
    jsonResponse(200, await previewCampaign(staff, readRequestBody(event), deps)),
  'POST /api/campaigns': async ({ event, staff, deps }) => {
    const view = await createCampaign(staff, readRequestBody(event), deps);
    deps.logger.info('campaign created', {
      campaignId: view.campaign.campaignId,
      status: view.campaign.status,
    });
    return jsonResponse(201, view, { location: `/api/campaigns/${view.campaign.campaignId}` });
  },
  'GET /api/campaigns/{id}': async ({ staff, id, deps }) =>
    jsonResponse(200, await getCampaign(staff, id, deps)),
  'PUT /api/campaigns/{id}': async ({ event, staff, id, deps }) => {
    const view = await updateCampaign(staff, id, readRequestBody(event), deps);
    deps.logger.info('campaign edited', { campaignId: id, version: view.campaign.version });
    return jsonResponse(200, view);
  },
  'POST /api/campaigns/{id}/actions': async ({ event, staff, id, deps }) => {
    const view = await actOnCampaign(staff, id, readRequestBody(event), deps);
    deps.logger.info('campaign changed', { campaignId: id, status: view.campaign.status });
    return jsonResponse(200, view);
  },
  'POST /api/campaigns/{id}/runs/{runId}/attendance': async ({ event, staff, id, deps }) => {
    const runId = event.pathParameters?.runId ?? '';
    const answer = await recordAttendance(staff, id, runId, readRequestBody(event), deps);
    deps.logger.info('attendance recorded', { campaignId: id, runId, role: staff.role });
    return jsonResponse(200, answer);
  },
};

export const makeHandler = (deps: CampaignsHandlerDeps) =>
  middy<APIGatewayProxyEventV2WithJWTAuthorizer, HttpResponse>()
    .use(httpEdge({ logger: deps.logger, staffTokens: deps.staffTokens }))
    .use(limitBodySize(32 * 1024))
    .handler(async (event) => {
      const staff = staffOf(event);
      const route = routeFor(routes, event.routeKey, (key) => new NotFoundError(`No campaign route ${key}`));
      return route({ event, staff, id: event.pathParameters?.id ?? '', deps });
    });

export const handler = onFirstInvocation(() =>
  makeHandler({ logger: createLogger('campaigns'), ...campaignApiServices(), ...staffTokenServices() }),
);
