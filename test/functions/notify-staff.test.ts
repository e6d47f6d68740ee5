/**
 * The notify-staff handler from its sample event (events/sqs/), over in-memory ports: each kind
 * of notification goes to its recipients as one card with its console link, a malformed record
 * alone is reported back naming the missing field, a redelivered batch sends nothing more, and a
 * send the platform refuses releases its key and is reported back for redelivery.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { SQSEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import sampleEvent from '../../events/sqs/staff-notifications-with-malformed.json' with { type: 'json' };
import { makeHandler } from '../../functions/notify-staff.ts';
import { demoOrganisation } from '../../infra/demo/demo-organisation.ts';
import { DependencyError } from '../../shared/errors.ts';
import type { NotificationClaim } from '../../shared/ports/staff-notifications.ts';
import type { AppCard } from '../../shared/ports/wecom.ts';
import { lambdaContext } from '../support/lambda-context.ts';

const CONSOLE = 'https://grid.example.gov.cn/console';
const event: SQSEvent = sampleEvent;

function harness(options: { failSends?: number } = {}) {
  const ledger = new Map<string, 'sending' | 'sent'>();
  const sent: { to: readonly string[]; card: AppCard }[] = [];
  let failures = options.failSends ?? 0;
  const handler = makeHandler({
    logger: new Logger({ logLevel: 'SILENT' }),
    directory: { load: async () => demoOrganisation },
    ledger: {
      async claim(key): Promise<NotificationClaim> {
        const state = ledger.get(key);
        if (state === 'sent') return { kind: 'sent' };
        if (state === 'sending') return { kind: 'busy' };
        ledger.set(key, 'sending');
        return { kind: 'claimed' };
      },
      async markSent(key) {
        ledger.set(key, 'sent');
      },
      async release(key) {
        if (ledger.get(key) === 'sending') ledger.delete(key);
      },
    },
    messenger: {
      async sendCard(to, card) {
        if (failures > 0) {
          failures--;
          throw new DependencyError('WeChat Work message/send answered errcode 45009: api freq out of limit');
        }
        sent.push({ to, card });
        return { invalidUsers: [] };
      },
    },
    consoleUrl: CONSOLE,
    now: () => new Date('2026-12-09T02:00:00Z'),
  });
  const invoke = (e: SQSEvent) => handler(e, lambdaContext('civicloop-notify-staff'));
  return { invoke, sent, ledger };
}

describe('notify-staff', () => {
  it('sends each kind to its recipients with a console link, and reports the malformed record alone', async () => {
    const h = harness();
    const result = await h.invoke(event);
    expect(result).toEqual({
      batchItemFailures: [{ itemIdentifier: '7d2e4a10-0000-4000-8000-000000000003' }],
    });
    expect(h.sent.map((s) => s.card.url)).toEqual([
      `${CONSOLE}#/case/K7M2QX9PA`,
      `${CONSOLE}#/case/H3N8WQ2TC`,
      `${CONSOLE}#/tasks`,
    ]);
    expect(h.sent[0]?.to).toEqual(['duty-urban-management', 'duty-county-centre']);
    expect(h.sent[1]?.to.every((u) => u.startsWith('gw-chengdong-kangning-'))).toBe(true);
  });

  it('sends nothing more when the batch is delivered again', async () => {
    const h = harness();
    await h.invoke(event);
    await h.invoke(event);
    expect(h.sent).toHaveLength(3);
  });

  it('reports a refused send for redelivery with its key released, and the redelivery sends it', async () => {
    const h = harness({ failSends: 1 });
    const first = await h.invoke(event);
    expect(first.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual([
      '7d2e4a10-0000-4000-8000-000000000000',
      '7d2e4a10-0000-4000-8000-000000000003',
    ]);
    expect(h.ledger.has('od#K7M2QX9PA#v4')).toBe(false);
    await h.invoke(event);
    expect(h.sent.map((s) => s.card.url)).toEqual([
      `${CONSOLE}#/case/H3N8WQ2TC`,
      `${CONSOLE}#/tasks`,
      `${CONSOLE}#/case/K7M2QX9PA`,
    ]);
  });
});
