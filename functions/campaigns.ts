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
import { campaignApiServices } from '../shared/adapters/outreach-services.ts';
import { NotFoundError } from '../shared/errors.ts';
import { httpEdge } from '../shared/http/http-edge.ts';
import { limitBodySize, readRequestBody } from '../shared/http/request-body.ts';
import { type HttpResponse, jsonResponse } from '../shared/http/responses.ts';
import { staffOf } from '../shared/http/staff-identity.ts';
import { createLogger } from '../shared/logger.ts';
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

export interface CampaignsHandlerDeps extends CampaignApiDeps {
  logger: Logger;
}

export const makeHandler = (deps: CampaignsHandlerDeps) =>
  middy<APIGatewayProxyEventV2WithJWTAuthorizer, HttpResponse>()
    .use(httpEdge({ logger: deps.logger }))
    .use(limitBodySize(32 * 1024))
    .handler(async (event) => {
      const staff = staffOf(event);
      const id = event.pathParameters?.id ?? '';
      switch (event.routeKey) {
        case 'GET /api/outreach/risk':
          return jsonResponse(200, await fraudRiskRanking(staff, deps));
        case 'GET /api/outreach/tasks':
          return jsonResponse(200, await listOutreachTasks(staff, event.queryStringParameters, deps));
        case 'GET /api/campaigns':
          return jsonResponse(200, await listCampaigns(staff, event.queryStringParameters, deps));
        case 'POST /api/campaign-previews':
          return jsonResponse(200, await previewCampaign(staff, readRequestBody(event), deps));
        case 'POST /api/campaigns': {
          const view = await createCampaign(staff, readRequestBody(event), deps);
          deps.logger.info('campaign created', {
            campaignId: view.campaign.campaignId,
            status: view.campaign.status,
          });
          return jsonResponse(201, view, { location: `/api/campaigns/${view.campaign.campaignId}` });
        }
        case 'GET /api/campaigns/{id}':
          return jsonResponse(200, await getCampaign(staff, id, deps));
        case 'PUT /api/campaigns/{id}': {
          const view = await updateCampaign(staff, id, readRequestBody(event), deps);
          deps.logger.info('campaign edited', { campaignId: id, version: view.campaign.version });
          return jsonResponse(200, view);
        }
        case 'POST /api/campaigns/{id}/actions': {
          const view = await actOnCampaign(staff, id, readRequestBody(event), deps);
          deps.logger.info('campaign changed', { campaignId: id, status: view.campaign.status });
          return jsonResponse(200, view);
        }
        case 'POST /api/campaigns/{id}/runs/{runId}/attendance': {
          const runId = event.pathParameters?.runId ?? '';
          const answer = await recordAttendance(staff, id, runId, readRequestBody(event), deps);
          deps.logger.info('attendance recorded', { campaignId: id, runId, role: staff.role });
          return jsonResponse(200, answer);
        }
        default:
          throw new NotFoundError(`No campaign route ${event.routeKey}`);
      }
    });

export const handler = makeHandler({ logger: createLogger('campaigns'), ...campaignApiServices() });
