/**
 * The admin API: `GET|PUT /api/admin/routing-rules`, `GET|PUT /api/admin/policies` (SLAs,
 * working calendar, rating window) and `GET|PUT /api/admin/keywords` (the SMS classifier's table). Admins only (403 for other staff). A PUT replaces the whole
 * set after validating it; warm functions pick the change up within their one-minute cache.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import * as z from 'zod';
import { createDocumentClient } from '../shared/adapters/aws-clients.ts';
import { DynamoDbDirectory } from '../shared/adapters/dynamodb-directory.ts';
import { DynamoDbPolicies } from '../shared/adapters/dynamodb-policies.ts';
import { loadConfig, TableName } from '../shared/config.ts';
import { NotFoundError } from '../shared/errors.ts';
import { httpEdge } from '../shared/http/http-edge.ts';
import { limitBodySize, readRequestBody } from '../shared/http/request-body.ts';
import { type HttpResponse, jsonResponse } from '../shared/http/responses.ts';
import { staffOf } from '../shared/http/staff-identity.ts';
import { createLogger } from '../shared/logger.ts';
import {
  type AdministerDeps,
  readKeywords,
  readPolicies,
  readRoutingRules,
  replaceKeywords,
  replacePolicies,
  replaceRoutingRules,
} from '../shared/services/administer-policies.ts';

export interface AdministerHandlerDeps extends AdministerDeps {
  logger: Logger;
}

export const makeHandler = (deps: AdministerHandlerDeps) =>
  middy<APIGatewayProxyEventV2WithJWTAuthorizer, HttpResponse>()
    .use(httpEdge({ logger: deps.logger }))
    .use(limitBodySize(64 * 1024))
    .handler(async (event) => {
      const staff = staffOf(event);
      switch (event.routeKey) {
        case 'GET /api/admin/routing-rules':
          return jsonResponse(200, await readRoutingRules(staff, deps));
        case 'PUT /api/admin/routing-rules': {
          const result = await replaceRoutingRules(staff, readRequestBody(event), deps);
          deps.logger.info('routing rules replaced', { rules: result.rules.length, by: staff.userId });
          return jsonResponse(200, result);
        }
        case 'GET /api/admin/keywords':
          return jsonResponse(200, await readKeywords(staff, deps));
        case 'PUT /api/admin/keywords': {
          const result = await replaceKeywords(staff, readRequestBody(event), deps);
          deps.logger.info('keyword table replaced', { by: staff.userId });
          return jsonResponse(200, result);
        }
        case 'GET /api/admin/policies':
          return jsonResponse(200, await readPolicies(staff, deps));
        case 'PUT /api/admin/policies': {
          const result = await replacePolicies(staff, readRequestBody(event), deps);
          deps.logger.info('policies replaced', { by: staff.userId });
          return jsonResponse(200, result);
        }
        default:
          throw new NotFoundError(`No admin route ${event.routeKey}`);
      }
    });

const config = loadConfig(z.object({ DIRECTORY_TABLE: TableName }));
const db = createDocumentClient();
export const handler = makeHandler({
  logger: createLogger('administer'),
  // Admins must see what is stored now, so these are read uncached.
  directory: new DynamoDbDirectory(db, config.DIRECTORY_TABLE),
  policies: new DynamoDbPolicies(db, config.DIRECTORY_TABLE),
});
