/**
 * Reports waiting for their place, on dynalite: one held per phone (a second unanswered one is
 * refused), the same report held again as a retry, answered by one message only (its retries
 * included), replaced once answered or expired; kept under the caller's key with no phone
 * number anywhere in the item.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbPendingSmsReports } from '../../shared/adapters/dynamodb-pending-sms-reports.ts';
import type { PendingSmsReport } from '../../shared/ports/pending-sms-reports.ts';
import { pendingKeyFor } from '../../shared/services/receive-sms.ts';
import { type EmulatedTables, emulatedTables } from '../support/emulated-tables.ts';

let env: EmulatedTables;
let pending: DynamoDbPendingSmsReports;
beforeAll(async () => {
  env = await emulatedTables();
  pending = new DynamoDbPendingSmsReports(env.db, env.tables.sms ?? '');
});
afterAll(async () => {
  await env?.stop();
});

const t0 = new Date('2026-12-01T02:00:00.000Z');
const day = (from: Date) => new Date(from.getTime() + 86_400_000);
const SECRET = 'a-server-side-secret-of-32-chars!';
let phones = 0;
const phoneKey = () => pendingKeyFor(`+86139000002${String(phones++).padStart(2, '0')}`, SECRET);

const report = (text = '路灯坏了'): PendingSmsReport => ({
  provider: 'aliyun',
  providerMessageId: crypto.randomUUID(),
  receivedAt: t0.toISOString(),
  text,
  lang: 'zh',
});

describe('DynamoDbPendingSmsReports', () => {
  it('holds one report per phone and gives it back until it expires', async () => {
    const key = phoneKey();
    const held = report();
    expect(await pending.hold(key, held, t0, day(t0))).toBe(true);
    expect(await pending.find(key, t0)).toEqual(held);
    expect(await pending.find(key, day(t0))).toBeUndefined();
  });

  it('refuses a second report while one waits unanswered, and takes the same one again', async () => {
    const key = phoneKey();
    const first = report();
    expect(await pending.hold(key, first, t0, day(t0))).toBe(true);
    expect(await pending.hold(key, report('井盖丢了'), t0, day(t0))).toBe(false);
    expect(await pending.hold(key, first, t0, day(t0))).toBe(true);
    expect((await pending.find(key, t0))?.text).toBe('路灯坏了');
  });

  it('is answered by one message only, again by that message, and replaced once answered', async () => {
    const key = phoneKey();
    const first = report();
    await pending.hold(key, first, t0, day(t0));
    expect(await pending.answer(key, first, 'aliyun#2')).toBe(true);
    expect(await pending.answer(key, first, 'aliyun#2')).toBe(true);
    expect(await pending.answer(key, first, 'aliyun#3')).toBe(false);
    expect((await pending.find(key, t0))?.answeredBy).toBe('aliyun#2');
    // The answered report itself is not held again (a late retry of its message).
    expect(await pending.hold(key, first, t0, day(t0))).toBe(false);
    const next = report('井盖丢了');
    expect(await pending.hold(key, next, t0, day(t0))).toBe(true);
    expect(await pending.answer(key, first, 'aliyun#4')).toBe(false);
    expect(await pending.find(key, t0)).toEqual(next);
  });

  it('tells the same message id apart across providers', async () => {
    const key = phoneKey();
    const first = report();
    await pending.hold(key, first, t0, day(t0));
    expect(await pending.answer(key, { ...first, provider: 'tencent' }, 'aliyun#9')).toBe(false);
  });

  it('replaces a report that expired unanswered', async () => {
    const key = phoneKey();
    await pending.hold(key, report(), t0, day(t0));
    const next = report('井盖丢了');
    expect(await pending.hold(key, next, day(t0), day(day(t0)))).toBe(true);
    expect(await pending.find(key, day(t0))).toEqual(next);
  });

  it('keeps no phone number: the key is a keyed hash, and the item holds none', async () => {
    const phone = '+8613900000299';
    const key = pendingKeyFor(phone, SECRET);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(pendingKeyFor(phone, 'another-secret-of-thirty-two-chars')).not.toBe(key);
    await pending.hold(key, report(), t0, day(t0));
    const { Item } = await env.db.send(
      new GetCommand({ TableName: env.tables.sms, Key: { pk: `PENDING#${key}`, sk: 'PENDING' } }),
    );
    expect(Item).toBeDefined();
    expect(JSON.stringify(Item)).not.toContain('13900000299');
    expect(Item?.expiresAt).toBe(Math.floor(day(t0).getTime() / 1000));
  });
});
