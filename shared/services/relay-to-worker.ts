/**
 * One change of a forwarded appeal's case told to the grid worker who forwarded it (issue 16
 * item 3), from the relay queue: the line of shared/domain/wecom/worker-relays.ts as a WeChat
 * Work app message, with the platform's duplicate check, so a redelivered relay (SQS is at least
 * once, the case's outbox too) reaches the worker once. A worker the platform no longer knows
 * (left the corp) is final: nothing to retry.
 */
import { RELAY_DUPLICATE_CHECK_SECONDS, relayText, type WorkerRelay } from '../domain/wecom/worker-relays.ts';
import { UndeliverableError } from '../errors.ts';
import type { WecomMessenger } from '../ports/wecom.ts';

export interface RelayToWorkerDeps {
  messenger: WecomMessenger;
}

export async function relayToWorker(
  relay: WorkerRelay,
  deps: RelayToWorkerDeps,
): Promise<{ outcome: 'relayed' | 'unknown_worker' }> {
  const text = relayText({
    code: relay.trackingCode,
    stage: relay.stage,
    action: relay.action,
    ...(relay.unitZh ? { unitZh: relay.unitZh } : {}),
  });
  try {
    await deps.messenger.sendText(relay.worker, text, {
      duplicateCheckSeconds: RELAY_DUPLICATE_CHECK_SECONDS,
    });
  } catch (error) {
    if (error instanceof UndeliverableError) return { outcome: 'unknown_worker' };
    throw error;
  }
  return { outcome: 'relayed' };
}
