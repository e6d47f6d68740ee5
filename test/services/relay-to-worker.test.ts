/**
 * One change of a forwarded appeal's case sent to its worker (shared/services/relay-to-worker.ts):
 * the relay line with the platform's duplicate check; a worker the platform no longer knows is
 * final, a platform failure thrown for the queue to retry.
 */
import { describe, expect, it } from 'vitest';
import type { WorkerRelay } from '../../shared/domain/wecom/worker-relays.ts';
import { DependencyError, UndeliverableError } from '../../shared/errors.ts';
import { relayToWorker } from '../../shared/services/relay-to-worker.ts';

const relay: WorkerRelay = {
  kind: 'wecom.relay',
  worker: 'gw-chengdong-kangning-g1',
  trackingCode: 'K7M2QX9PA',
  version: 3,
  stage: 'in_progress',
  action: 'accept',
  unitZh: '交通局',
};

describe('a relay to the worker', () => {
  it('is sent as the relay line, with the platform holding back a repeat for four hours', async () => {
    const sent: unknown[] = [];
    const outcome = await relayToWorker(relay, {
      messenger: { sendText: async (...call) => void sent.push(call) },
    });
    expect(outcome).toEqual({ outcome: 'relayed' });
    expect(sent).toEqual([
      [
        'gw-chengdong-kangning-g1',
        '【进展】查询码K7M-2QX-9PA：交通局已受理，正在办理。请转告群里的居民。',
        { duplicateCheckSeconds: 14_400 },
      ],
    ]);
  });

  it('is done when the platform no longer knows the worker', async () => {
    const outcome = await relayToWorker(relay, {
      messenger: {
        sendText: async () => {
          throw new UndeliverableError('WeChat Work refused the recipient (invaliduser)');
        },
      },
    });
    expect(outcome).toEqual({ outcome: 'unknown_worker' });
  });

  it('throws when the platform fails, so the queue retries it', async () => {
    const failing = relayToWorker(relay, {
      messenger: {
        sendText: async () => {
          throw new DependencyError('WeChat Work message/send answered HTTP 502');
        },
      },
    });
    await expect(failing).rejects.toThrow(DependencyError);
  });
});
