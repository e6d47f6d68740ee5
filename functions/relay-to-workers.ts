/**
 * Relay queue consumer (issue 16 item 3): each change of a forwarded appeal's case is sent to
 * the grid worker who forwarded it as a WeChat Work app message, to post in the grid's group
 * (shared/services/relay-to-worker.ts). A failed record is reported back and redelivered; the
 * platform's duplicate check makes a repeat reach the worker once. Logged with code and stage.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { WorkerRelay } from '../shared/domain/wecom/worker-relays.ts';
import { createLogger } from '../shared/logger.ts';
import { queueEdge } from '../shared/queue/queue-edge.ts';
import { type RelayToWorkerDeps, relayToWorker } from '../shared/services/relay-to-worker.ts';
import { onFirstInvocation } from './wiring/on-first-invocation.ts';
import { relayToWorkerServices } from './wiring/wecom-photos.ts';

export interface RelayToWorkersHandlerDeps extends RelayToWorkerDeps {
  logger: Logger;
}

export const makeHandler = (deps: RelayToWorkersHandlerDeps) =>
  queueEdge({
    logger: deps.logger,
    message: { schema: WorkerRelay, what: 'The relay to the worker' },
    identify: (relay) => ({ trackingCode: relay.trackingCode, version: relay.version, stage: relay.stage }),
    handle: async (relay) => ({ ...(await relayToWorker(relay, deps)) }),
    log: {
      handled: 'case change relayed to the worker',
      failed: { message: 'relay to the worker will be retried', level: 'warn' },
    },
  });

export const handler = onFirstInvocation(() =>
  makeHandler({ logger: createLogger('relay-to-workers'), ...relayToWorkerServices() }),
);
