/**
 * Photo queue consumer (issue 16 item 3): each photo a grid worker forwarded in WeChat Work is
 * downloaded from the platform's temporary media, checked and stripped of its metadata, and
 * stored as the case's photo (shared/services/attach-wecom-photo.ts). A failed record is
 * reported back and redelivered; a repeat writes the same key again. Logged with the code and
 * the photo's number only.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { WecomPhotoJob } from '../shared/domain/wecom/worker-photos.ts';
import { createLogger } from '../shared/logger.ts';
import { queueEdge } from '../shared/queue/queue-edge.ts';
import { type AttachWecomPhotoDeps, attachWecomPhoto } from '../shared/services/attach-wecom-photo.ts';
import { onFirstInvocation } from './wiring/on-first-invocation.ts';
import { attachWecomPhotoServices } from './wiring/wecom-photos.ts';

export interface AttachWecomPhotosHandlerDeps extends AttachWecomPhotoDeps {
  logger: Logger;
}

export const makeHandler = (deps: AttachWecomPhotosHandlerDeps) =>
  queueEdge({
    logger: deps.logger,
    message: { schema: WecomPhotoJob, what: 'The forwarded photo' },
    identify: (job) => ({ trackingCode: job.trackingCode, number: job.number }),
    handle: async (job) => ({ ...(await attachWecomPhoto(job, deps)) }),
    log: {
      handled: 'forwarded photo handled',
      failed: { message: 'forwarded photo will be retried', level: 'warn' },
    },
  });

export const handler = onFirstInvocation(() =>
  makeHandler({ logger: createLogger('attach-wecom-photos'), ...attachWecomPhotoServices() }),
);
