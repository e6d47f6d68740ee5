/** GET /api/reports/{trackingCode} — the public status of a report; no personal data. */
import type { Logger } from '@aws-lambda-powertools/logger';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import * as z from 'zod';
import { createDocumentClient } from '../shared/adapters/aws-clients.ts';
import { DynamoDbCaseStore } from '../shared/adapters/dynamodb-case-store.ts';
import { DynamoDbDirectory } from '../shared/adapters/dynamodb-directory.ts';
import { loadConfig, TableName } from '../shared/config.ts';
import { httpEdge } from '../shared/http/http-edge.ts';
import { type HttpResponse, jsonResponse } from '../shared/http/responses.ts';
import { createLogger } from '../shared/logger.ts';
import { cachedDirectory } from '../shared/services/cached-directory.ts';
import { getReportStatus, type ReportStatusDeps } from '../shared/services/report-status.ts';

export interface ReportStatusHandlerDeps extends ReportStatusDeps {
  logger: Logger;
}

export const makeHandler = (deps: ReportStatusHandlerDeps) =>
  middy<APIGatewayProxyEventV2, HttpResponse>()
    .use(httpEdge({ logger: deps.logger }))
    .handler(async (event) => {
      const status = await getReportStatus(event.pathParameters?.trackingCode ?? '', deps);
      return jsonResponse(200, status);
    });

const Config = z.object({ CASES_TABLE: TableName, DIRECTORY_TABLE: TableName });

const config = loadConfig(Config);
const db = createDocumentClient();
export const handler = makeHandler({
  logger: createLogger('get-report-status'),
  cases: new DynamoDbCaseStore(db, config.CASES_TABLE),
  directory: cachedDirectory(new DynamoDbDirectory(db, config.DIRECTORY_TABLE), 60_000),
});
