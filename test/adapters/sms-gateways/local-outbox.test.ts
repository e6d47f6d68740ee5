/** The local outbox: what the phone simulator reads the system's replies from. */
import { afterEach, describe, expect, it } from 'vitest';
import { LocalOutbox, localOutbox } from '../../../shared/adapters/local-outbox.ts';

describe('LocalOutbox', () => {
  afterEach(() => {
    localOutbox().clear();
  });

  it('records every message with its parts and answers like a provider', async () => {
    let n = 0;
    const outbox = new LocalOutbox({ now: () => new Date('2026-11-29T08:00:00Z'), newId: () => `id-${++n}` });
    const sent = await outbox.send({
      to: '+8613800138000',
      body: '中'.repeat(71),
      purpose: 'reply',
      correlationId: 'c1',
    });
    await outbox.send({ to: '+8613900139000', body: 'OK', purpose: 'notification', correlationId: 'c2' });
    expect(sent).toEqual({ providerMessageId: 'id-1', encoding: 'UCS-2', parts: 2 });
    expect(outbox.messages('+8613800138000')).toEqual([
      {
        to: '+8613800138000',
        body: '中'.repeat(71),
        purpose: 'reply',
        correlationId: 'c1',
        providerMessageId: 'id-1',
        encoding: 'UCS-2',
        parts: 2,
        sentAt: '2026-11-29T08:00:00.000Z',
      },
    ]);
    expect(outbox.messages()).toHaveLength(2);
  });

  it('keeps only the newest entries beyond its capacity', async () => {
    const outbox = new LocalOutbox({ capacity: 2 });
    for (const body of ['1', '2', '3'])
      await outbox.send({ to: '+8613800138000', body, purpose: 'reply', correlationId: body });
    expect(outbox.messages().map((m) => m.body)).toEqual(['2', '3']);
  });

  it('shares one list between every localOutbox() in the process', async () => {
    await localOutbox().send({ to: '+8613800138000', body: 'hi', purpose: 'reply', correlationId: 'c' });
    expect(
      localOutbox()
        .messages('+8613800138000')
        .map((m) => m.body),
    ).toEqual(['hi']);
  });
});
