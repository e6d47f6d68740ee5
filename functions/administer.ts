/**
 * The admin API: `GET|PUT /api/admin/routing-rules`, `GET|PUT /api/admin/policies` (SLAs,
 * working calendar, rating window) and `GET|PUT /api/admin/keywords` (the SMS classifier's table). Admins only (403 for other staff). A PUT replaces the whole
 * set after validating it; warm functions pick the change up within their one-minute cache.
 * `GET|POST /api/admin/partners`, `DELETE /api/admin/partners/{partnerId}` manage Open311 partner keys.
 * `GET /api/admin/classifier` shows the trained model in use and the stored versions, `POST
 * /api/admin/classifier/rollback` switches to an earlier version or to keywords only.
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
import {
  type ClassifierAdminDeps,
  classifierStatus,
  switchClassifier,
} from '../shared/services/administer-classifier.ts';
import {
  createPartner,
  listPartners,
  type PartnerAdminDeps,
  revokePartner,
} from '../shared/services/administer-partners.ts';
import {
  type AdministerDeps,
  readKeywords,
  readPolicies,
  readRoutingRules,
  replaceKeywords,
  replacePolicies,
  replaceRoutingRules,
} from '../shared/services/administer-policies.ts';
import { adminServices } from './wiring/admin.ts';
import { onFirstInvocation } from './wiring/on-first-invocation.ts';
import { partnerAdminServices } from './wiring/open311.ts';
import { staffTokenServices } from './wiring/staff-tokens.ts';

export interface AdministerHandlerDeps extends AdministerDeps, ClassifierAdminDeps {
  /** Open311 partner keys; a handler built without them (a test of other routes) answers their routes 404. */
  partnerAdmin?: PartnerAdminDeps;
  logger: Logger;
  staffTokens: StaffTokenVerifier;
}

interface AdminRequest {
  event: APIGatewayProxyEventV2WithJWTAuthorizer;
  staff: Staff;
  deps: AdministerHandlerDeps;
}

function partnerAdminOf(deps: AdministerHandlerDeps): PartnerAdminDeps {
  if (!deps.partnerAdmin) throw new NotFoundError('Open311 partner management is not configured here');
  return deps.partnerAdmin;
}

const routes: RouteTable<(request: AdminRequest) => Promise<HttpResponse>> = {
  'GET /api/admin/routing-rules': async ({ staff, deps }) =>
    jsonResponse(200, await readRoutingRules(staff, deps)),
  'PUT /api/admin/routing-rules': async ({ event, staff, deps }) => {
    const result = await replaceRoutingRules(staff, readRequestBody(event), deps);
    deps.logger.info('routing rules replaced', { rules: result.rules.length, by: staff.userId });
    return jsonResponse(200, result);
  },
  'GET /api/admin/keywords': async ({ staff, deps }) => jsonResponse(200, await readKeywords(staff, deps)),
  'PUT /api/admin/keywords': async ({ event, staff, deps }) => {
    const result = await replaceKeywords(staff, readRequestBody(event), deps);
    deps.logger.info('keyword table replaced', { by: staff.userId });
    return jsonResponse(200, result);
  },
  'GET /api/admin/classifier': async ({ staff, deps }) =>
    jsonResponse(200, await classifierStatus(staff, deps)),
  'POST /api/admin/classifier/rollback': async ({ event, staff, deps }) => {
    const result = await switchClassifier(staff, readRequestBody(event), deps);
    deps.logger.info('classifier switched', { version: result.active?.version ?? null, by: staff.userId });
    return jsonResponse(200, result);
  },
  'GET /api/admin/partners': async ({ staff, deps }) =>
    jsonResponse(200, await listPartners(staff, partnerAdminOf(deps))),
  'POST /api/admin/partners': async ({ event, staff, deps }) => {
    // The answer holds the partner's API key, shown this once and stored only as a hash.
    const result = await createPartner(staff, readRequestBody(event), partnerAdminOf(deps));
    deps.logger.info('open311 partner created', { partnerId: result.partner.partnerId, by: staff.userId });
    return jsonResponse(201, result);
  },
  'DELETE /api/admin/partners/{partnerId}': async ({ event, staff, deps }) => {
    const result = await revokePartner(staff, event.pathParameters?.partnerId ?? '', partnerAdminOf(deps));
    deps.logger.info('open311 partner revoked', { partnerId: result.partner.partnerId, by: staff.userId });
    return jsonResponse(200, result);
  },
  'GET /api/admin/policies': async ({ staff, deps }) => jsonResponse(200, await readPolicies(staff, deps)),
  'PUT /api/admin/policies': async ({ event, staff, deps }) => {
    const result = await replacePolicies(staff, readRequestBody(event), deps);
    deps.logger.info('policies replaced', { by: staff.userId });
    return jsonResponse(200, result);
  },
};

export const makeHandler = (deps: AdministerHandlerDeps) =>
  middy<APIGatewayProxyEventV2WithJWTAuthorizer, HttpResponse>()
    .use(httpEdge({ logger: deps.logger, staffTokens: deps.staffTokens }))
    .use(limitBodySize(64 * 1024))
    .handler(async (event) => {
      const staff = staffOf(event);
      const route = routeFor(routes, event.routeKey, (key) => new NotFoundError(`No admin route ${key}`));
      return route({ event, staff, deps });
    });

export const handler = onFirstInvocation(() =>
  makeHandler({
    logger: createLogger('administer'),
    ...adminServices(),
    partnerAdmin: partnerAdminServices(),
    ...staffTokenServices(),
  }),
);
