/**
 * POST /api/photo-uploads — a presigned S3 form for one resident photo: the browser posts the
 * resized JPEG straight to the bucket (never through a function), under `uploads/<id>.jpg`, at
 * most MAX_PHOTO_BYTES, declared image/jpeg, within ten minutes. The report then names the id.
 * Counted against the per-client limits like the intake (infra/client-limits.ts).
 */
import { randomBytes } from 'node:crypto';
import type { Logger } from '@aws-lambda-powertools/logger';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { httpEdge } from '../shared/http/http-edge.ts';
import { type HttpResponse, jsonResponse } from '../shared/http/responses.ts';
import { createLogger } from '../shared/logger.ts';
import type { PhotoStore } from '../shared/ports/photo-store.ts';
import { issuePhotoUpload } from '../shared/services/report-photos.ts';
import { onFirstInvocation } from './wiring/on-first-invocation.ts';
import { photoStore } from './wiring/photos.ts';

export interface PresignPhotoUploadHandlerDeps {
  logger: Logger;
  photos: PhotoStore;
  randomBytes: (n: number) => Uint8Array;
}

export const makeHandler = (deps: PresignPhotoUploadHandlerDeps) =>
  middy<APIGatewayProxyEventV2, HttpResponse>()
    .use(httpEdge({ logger: deps.logger }))
    .handler(async () => jsonResponse(201, await issuePhotoUpload(deps)));

export const handler = onFirstInvocation(() =>
  makeHandler({
    logger: createLogger('presign-photo-upload'),
    photos: photoStore(),
    randomBytes: (n) => randomBytes(n),
  }),
);
