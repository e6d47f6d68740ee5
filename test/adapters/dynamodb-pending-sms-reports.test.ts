/**
 * Reports waiting for their place, on dynalite: one held per phone (a second waiting one is
 * refused), decided once — by the answer or by the sweep, whichever writes first — then forwarded,
 * which drops the phone and the words and takes the report out of the due index; replaced only
 * once forwarded (remembering the report before) or expired; the phone number only inside the
 * intake message, never in a key.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbPendingSmsReports } from '../../shared/adapters/dynamodb-pending-sms-reports.ts';
import type { ReportSubmitted } from '../../shared/domain/report.ts';
import { heldRefOf, type WaitingSmsReport } from '../../shared/ports/pending-sms-reports.ts';
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
const hours = (from: Date, n: number) => new Date(from.getTime() + n * 3_600_000);
const week = (from: Date) => hours(from, 7 * 24);
const SECRET = 'a-server-side-secret-of-32-chars!';
const PHONE = '+8613900000299';
let phones = 0;
const phoneKey = () => pendingKeyFor(`+86139000002${String(phones++).padStart(2, '0')}`, SECRET);

const intake = (code: string, description: string, communityId = 'unplaced'): ReportSubmitted => ({
  kind: 'report.submitted',
  trackingCode: code,
  submissionId: crypto.randomUUID(),
  submittedAt: t0.toISOString(),
  channel: 'sms',
  report: { category: 'road', communityId, description, contactPhone: PHONE },
});

let codes = 0;
/** A report held at t0, due two hours later. */
const report = (text = '路灯坏了', dueAt = hours(t0, 2)): WaitingSmsReport => {
  const code = `K7M2QX${String(100 + codes++).slice(-3)}`;
  return {
    stage: 'waiting',
    provider: 'aliyun',
    providerMessageId: crypto.randomUUID(),
    receivedAt: t0.toISOString(),
    trackingCode: code,
    lang: 'zh',
    dueAt: dueAt.toISOString(),
    message: intake(code, text),
  };
};

const dueCodes = async (now: Date) => {
  const page = await pending.duePage(now, 100);
  return page.due.map((d) => d.report.trackingCode);
};

describe('DynamoDbPendingSmsReports', () => {
  it('holds one report per phone and gives it back until its item expires', async () => {
    const key = phoneKey();
    const held = report();
    expect(await pending.hold(key, held, undefined, t0, week(t0))).toBe(true);
    expect(await pending.find(key, t0)).toEqual(held);
    expect(await pending.find(key, week(t0))).toBeUndefined();
  });

  it('refuses a second report while one waits, and a decided one until it is forwarded', async () => {
    const key = phoneKey();
    const first = report();
    expect(await pending.hold(key, first, undefined, t0, week(t0))).toBe(true);
    expect(await pending.hold(key, report('井盖丢了'), first, t0, week(t0))).toBe(false);
    expect(
      await pending.answer(
        key,
        heldRefOf(first),
        'aliyun#2',
        intake(first.trackingCode, '路灯坏了\n康宁', 'chengdong-kangning'),
        t0,
      ),
    ).toBe(true);
    const answered = await pending.find(key, t0);
    expect(answered).toMatchObject({ stage: 'answered', answeredBy: 'aliyun#2' });
    expect(await pending.hold(key, report('井盖丢了'), answered, t0, week(t0))).toBe(false);
  });

  it('is decided once: by the answer or by the sweep, whichever writes first', async () => {
    const answeredFirst = phoneKey();
    const a = report();
    await pending.hold(answeredFirst, a, undefined, t0, week(t0));
    expect(await pending.answer(answeredFirst, heldRefOf(a), 'aliyun#2', a.message, t0)).toBe(true);
    expect(await pending.timeOut(answeredFirst, heldRefOf(a), hours(t0, 2))).toBeUndefined();
    expect(await pending.answer(answeredFirst, heldRefOf(a), 'aliyun#3', a.message, t0)).toBe(false);

    const sweptFirst = phoneKey();
    const b = report();
    await pending.hold(sweptFirst, b, undefined, t0, week(t0));
    expect(await pending.timeOut(sweptFirst, heldRefOf(b), hours(t0, 2))).toMatchObject({
      stage: 'timed_out',
      trackingCode: b.trackingCode,
      message: b.message,
      decidedAt: hours(t0, 2).toISOString(),
    });
    expect(await pending.timeOut(sweptFirst, heldRefOf(b), hours(t0, 2))).toBeUndefined();
    expect(await pending.answer(sweptFirst, heldRefOf(b), 'aliyun#4', b.message, t0)).toBe(false);
    // Message ids are unique per provider only.
    expect(await pending.timeOut(sweptFirst, `tencent#${b.providerMessageId}`, t0)).toBeUndefined();
  });

  it('lists due reports from the index until they are forwarded, then drops the phone and words', async () => {
    const key = phoneKey();
    const held = report('楼道堆满杂物', hours(t0, 5));
    await pending.hold(key, held, undefined, t0, week(t0));
    expect(await dueCodes(hours(t0, 4))).not.toContain(held.trackingCode);
    expect(await dueCodes(hours(t0, 5))).toContain(held.trackingCode);
    // Decided but not yet forwarded (a sweep that died in between): still due.
    await pending.timeOut(key, heldRefOf(held), hours(t0, 5));
    expect(await dueCodes(hours(t0, 5))).toContain(held.trackingCode);
    expect(await pending.markForwarded(key, heldRefOf(held))).toBe(true);
    expect(await pending.markForwarded(key, heldRefOf(held))).toBe(false);
    expect(await dueCodes(hours(t0, 6))).not.toContain(held.trackingCode);
    const { Item } = await env.db.send(
      new GetCommand({ TableName: env.tables.sms, Key: { pk: `PENDING#${key}`, sk: 'PENDING' } }),
    );
    expect(Item).toMatchObject({ stage: 'forwarded', trackingCode: held.trackingCode });
    expect(JSON.stringify(Item)).not.toContain('13900000299');
    expect(JSON.stringify(Item)).not.toContain('楼道');
    expect(Item?.duePk).toBeUndefined();
  });

  it('replaces a forwarded report as it was read, remembering who answered it', async () => {
    const key = phoneKey();
    const first = report();
    await pending.hold(key, first, undefined, t0, week(t0));
    await pending.answer(key, heldRefOf(first), 'aliyun#7', first.message, t0);
    await pending.markForwarded(key, heldRefOf(first));
    const forwarded = await pending.find(key, t0);
    const next = report('井盖丢了');
    // Not on a copy read before it was forwarded.
    expect(await pending.hold(key, next, { ...first }, t0, week(t0))).toBe(false);
    expect(await pending.hold(key, next, forwarded, t0, week(t0))).toBe(true);
    expect(await pending.find(key, t0)).toEqual({
      ...next,
      previous: { ref: heldRefOf(first), trackingCode: first.trackingCode, answeredBy: 'aliyun#7' },
    });
  });

  it('replaces a report whose item expired, whatever it was', async () => {
    const key = phoneKey();
    await pending.hold(key, report(), undefined, t0, hours(t0, 9));
    const next = report('井盖丢了');
    expect(await pending.hold(key, next, undefined, hours(t0, 9), week(t0))).toBe(true);
    expect(await pending.find(key, hours(t0, 9))).toEqual(next);
  });

  it('keys the item by a keyed hash of the phone, which is only in the intake message', async () => {
    const key = pendingKeyFor(PHONE, SECRET);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(pendingKeyFor(PHONE, 'another-secret-of-thirty-two-chars')).not.toBe(key);
    await pending.hold(key, report(), undefined, t0, week(t0));
    const { Item } = await env.db.send(
      new GetCommand({ TableName: env.tables.sms, Key: { pk: `PENDING#${key}`, sk: 'PENDING' } }),
    );
    expect(Item?.message?.report?.contactPhone).toBe(PHONE);
    const { message: _message, ...rest } = Item ?? {};
    expect(JSON.stringify(rest)).not.toContain('13900000299');
    expect(Item?.expiresAt).toBe(Math.floor(week(t0).getTime() / 1000));
  });
});
