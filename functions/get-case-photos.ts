/**
 * GET /api/cases/{id}/photos — a case's photos as presigned URLs good for five minutes, for
 * staff who may see the case (the case view's own rule: 404 outside the caller's scope).
 * POST /api/cases/{id}/photos — the unit working the case attaches an uploaded photo as evidence
 * (before / after, an after photo optionally public); 403 for anyone else who can see the case.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { httpEdge } from '../shared/http/http-edge.ts';
import { limitBodySize, readRequestBody } from '../shared/http/request-body.ts';
import { type HttpResponse, jsonResponse } from '../shared/http/responses.ts';
import { staffOf } from '../shared/http/staff-identity.ts';
import { createLogger } from '../shared/logger.ts';
import type { PublicPhotoRecorder } from '../shared/ports/case-store.ts';
import type { PhotoStore } from '../shared/ports/photo-store.ts';
import type { StaffTokenVerifier } from '../shared/ports/staff-tokens.ts';
import { type CaseQueryDeps, getCaseDetail } from '../shared/services/case-queries.ts';
import { attachEvidencePhoto, casePhotos } from '../shared/services/report-photos.ts';
import { caseReadServices } from './wiring/case-reads.ts';
import { onFirstInvocation } from './wiring/on-first-invocation.ts';
import { photoStore } from './wiring/photos.ts';
import { publicPhotoRecorder } from './wiring/public-photos.ts';
import { staffTokenServices } from './wiring/staff-tokens.ts';

const MAX_BODY_BYTES = 1024;

export interface GetCasePhotosHandlerDeps extends CaseQueryDeps {
  logger: Logger;
  staffTokens: StaffTokenVerifier;
  photos: PhotoStore;
  /** Records a public result photo on the case item. */
  publicPhotos: PublicPhotoRecorder;
}

export const makeHandler = (deps: GetCasePhotosHandlerDeps) =>
  middy<APIGatewayProxyEventV2WithJWTAuthorizer, HttpResponse>()
    .use(httpEdge({ logger: deps.logger, staffTokens: deps.staffTokens }))
    .use(limitBodySize(MAX_BODY_BYTES))
    .handler(async (event) => {
      // The case view's scope rule decides; its id is the tracking code as stored (no dashes).
      const detail = await getCaseDetail(staffOf(event), event.pathParameters?.id ?? '', deps);
      if (event.requestContext.http.method === 'POST') {
        const body = readRequestBody(event);
        return jsonResponse(201, {
          photos: await attachEvidencePhoto(
            detail.id,
            detail.allowedActions,
            body,
            deps.photos,
            deps.publicPhotos,
          ),
        });
      }
      return jsonResponse(200, { photos: await casePhotos(detail.id, deps.photos) });
    });

export const handler = onFirstInvocation(() =>
  makeHandler({
    logger: createLogger('get-case-photos'),
    ...caseReadServices(),
    ...staffTokenServices(),
    photos: photoStore(),
    publicPhotos: publicPhotoRecorder(),
  }),
);
