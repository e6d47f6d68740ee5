/**
 * The inbound-message lease on dynalite: one delivery at a time holds a message, a lapsed lease
 * is taken over with what the crashed holder left behind (a reply it began sending), a released
 * lease is free at once, and a finished message is never claimed again. And the daily cap on
 * case updates per phone: counted once per update, however often it is retried or raced.
 */
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbSmsState } from '../../shared/adapters/dynamodb-sms-state.ts';
import type { InboundSms } from '../../shared/domain/sms/inbound-sms.ts';
import { type EmulatedTables, emulatedTables } from '../support/emulated-tables.ts';

let env: EmulatedTables;
let inbox: DynamoDbSmsState;
beforeAll(async () => {
  env = await emulatedTables();
  inbox = new DynamoDbSmsState(env.db, env.tables.sms ?? '');
});
afterAll(async () => {
  await env?.stop();
});

const LEASE_MS = 15_000;
const t0 = new Date('2026-12-01T02:00:00.000Z');
const later = (ms: number) => new Date(t0.getTime() + ms);

const message = (): InboundSms => ({
  provider: 'aliyun',
  providerMessageId: crypto.randomUUID(),
  from: '+8613900000101',
  to: '1069',
  body: '帮助',
  receivedAt: t0.toISOString(),
});

const record = async (sms: InboundSms) =>
  (
    await env.db.send(
      new GetCommand({
        TableName: env.tables.sms,
        Key: { pk: `INBOUND#${sms.provider}#${sms.providerMessageId}`, sk: 'INBOUND' },
      }),
    )
  ).Item;

const claimed = async (sms: InboundSms, at: Date) => {
  const claim = await inbox.claim(sms, at, LEASE_MS);
  if (claim.kind !== 'claimed') throw new Error(`expected to claim, found ${claim.kind}`);
  return claim;
};

describe('DynamoDbSmsState inbox', () => {
  it('gives a message to exactly one of many concurrent deliveries', async () => {
    const sms = message();
    const claims = await Promise.all(Array.from({ length: 10 }, () => inbox.claim(sms, t0, LEASE_MS)));
    expect(claims.filter((c) => c.kind === 'claimed')).toHaveLength(1);
    expect(claims.filter((c) => c.kind === 'held')).toHaveLength(9);
  });

  it('lets a delivery take over a lease that lapsed, and tells it a reply was being sent', async () => {
    const sms = message();
    const first = await claimed(sms, t0);
    expect(first.sendUnconfirmed).toBe(false);
    expect(await inbox.markSending(sms, first.token, later(1000))).toBe(true);

    expect(await inbox.claim(sms, later(LEASE_MS - 1), LEASE_MS)).toEqual({ kind: 'held' });
    const second = await claimed(sms, later(LEASE_MS));
    expect(second.sendUnconfirmed).toBe(true);
    // The crashed holder comes back to life: its lease is gone, so it may not send.
    expect(await inbox.markSending(sms, first.token, later(LEASE_MS + 1))).toBe(false);
    expect(await record(sms)).toMatchObject({ status: 'processing', attempts: 2, owner: second.token });
  });

  it('frees a released lease at once, clearing the sending mark only when the send definitely failed', async () => {
    const sms = message();
    const first = await claimed(sms, t0);
    await inbox.markSending(sms, first.token, t0);
    await inbox.release(sms, first.token, { sendFailed: false });
    const second = await claimed(sms, later(1));
    expect(second.sendUnconfirmed).toBe(true);

    await inbox.release(sms, second.token, { sendFailed: true });
    const third = await claimed(sms, later(2));
    expect(third.sendUnconfirmed).toBe(false);
  });

  it('does not let a delivery release a lease another has taken over', async () => {
    const sms = message();
    const first = await claimed(sms, t0);
    await claimed(sms, later(LEASE_MS));
    await inbox.release(sms, first.token, { sendFailed: true });
    expect(await inbox.claim(sms, later(LEASE_MS + 1), LEASE_MS)).toEqual({ kind: 'held' });
  });

  it('never hands out a finished message again, however long after', async () => {
    const sms = message();
    await claimed(sms, t0);
    await inbox.finish(sms, {
      kind: 'replied',
      reply: { providerMessageId: 'm-1', encoding: 'UCS-2', parts: 1 },
    });
    expect(await inbox.claim(sms, later(10 * LEASE_MS), LEASE_MS)).toEqual({ kind: 'done' });
    expect(await record(sms)).toMatchObject({ status: 'done', reply: { providerMessageId: 'm-1' } });
    expect(await record(sms)).not.toHaveProperty('owner');
  });

  it('records a reply that may not have gone out as unconfirmed', async () => {
    const sms = message();
    await claimed(sms, t0);
    await inbox.finish(sms, { kind: 'unconfirmed' });
    expect(await record(sms)).toMatchObject({ status: 'done', reply: null, replyUnconfirmed: true });
  });

  it('takes over a message left processing before leases existed', async () => {
    const sms = message();
    await env.db.send(
      new PutCommand({
        TableName: env.tables.sms,
        Item: {
          pk: `INBOUND#${sms.provider}#${sms.providerMessageId}`,
          sk: 'INBOUND',
          status: 'processing',
          receivedAt: sms.receivedAt,
        },
      }),
    );
    expect((await inbox.claim(sms, t0, LEASE_MS)).kind).toBe('claimed');
  });
});

describe('DynamoDbSmsState notification cap', () => {
  const phone = () => `+86139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
  const DAY = '2026-12-01';

  it("admits up to the cap a day, and the day's first is the first admitted", async () => {
    const to = phone();
    const decisions = [];
    for (let i = 0; i < 4; i++)
      decisions.push(await inbox.admitNotification(to, `K7M2QX9PA#${i}#dispatched`, DAY, 3));
    expect(decisions).toEqual([
      { kind: 'admitted', firstOfDay: true },
      { kind: 'admitted', firstOfDay: false },
      { kind: 'admitted', firstOfDay: false },
      { kind: 'capped' },
    ]);
    // Another day, another allowance; another phone is not affected.
    expect(await inbox.admitNotification(to, 'K7M2QX9PA#9#closed', '2026-12-02', 3)).toEqual({
      kind: 'admitted',
      firstOfDay: true,
    });
    expect(await inbox.admitNotification(phone(), 'K7M2QX9PA#9#closed', DAY, 3)).toEqual({
      kind: 'admitted',
      firstOfDay: true,
    });
  });

  it('counts a retried update once and gives it the same answer, even at the cap', async () => {
    const to = phone();
    const first = await inbox.admitNotification(to, 'A#2#dispatched', DAY, 2);
    expect(await inbox.admitNotification(to, 'A#2#dispatched', DAY, 2)).toEqual(first);
    expect(await inbox.admitNotification(to, 'B#2#dispatched', DAY, 2)).toEqual({
      kind: 'admitted',
      firstOfDay: false,
    });
    // Full now: a new update is capped, the retried ones still pass.
    expect(await inbox.admitNotification(to, 'C#2#dispatched', DAY, 2)).toEqual({ kind: 'capped' });
    expect(await inbox.admitNotification(to, 'A#2#dispatched', DAY, 2)).toEqual({
      kind: 'admitted',
      firstOfDay: true,
    });
  });

  it('admits exactly the cap of many updates raced at once, and exactly one is the first', async () => {
    const to = phone();
    const decisions = await Promise.all(
      Array.from({ length: 12 }, (_, i) => inbox.admitNotification(to, `R${i}#2#dispatched`, DAY, 5)),
    );
    const admitted = decisions.filter((d) => d.kind === 'admitted');
    expect(admitted).toHaveLength(5);
    expect(admitted.filter((d) => d.firstOfDay)).toHaveLength(1);
    const { Item } = await env.db.send(
      new GetCommand({ TableName: env.tables.sms, Key: { pk: `NOTIFYCAP#${to}#${DAY}`, sk: 'NOTIFYCAP' } }),
    );
    expect(Item?.ids).toBeInstanceOf(Set);
    expect(Item?.ids.size).toBe(5);
    expect(typeof Item?.expiresAt).toBe('number');
  });
});
