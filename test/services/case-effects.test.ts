/**
 * The outbox on the emulators: every entry attempted on its own, outcomes recorded in one write,
 * failures shown to staff, retries backing off, texts never sent twice; and a reporter's texts
 * held to the opt-out list and the daily cap per phone, the day's first saying how to stop them.
 */
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbSmsState } from '../../shared/adapters/dynamodb-sms-state.ts';
import { CaseDispatched } from '../../shared/domain/case.ts';
import type { ReportSubmitted } from '../../shared/domain/report.ts';
import type { Staff } from '../../shared/domain/staff.ts';
import { DependencyError, UndeliverableError } from '../../shared/errors.ts';
import type { CaseStore } from '../../shared/ports/case-store.ts';
import type { OutboundSms, SentSms, SmsSender } from '../../shared/ports/sms-sender.ts';
import { reporterTextGate } from '../../shared/services/reporter-texts.ts';
import { routeReport } from '../../shared/services/route-report.ts';
import { sweepCases } from '../../shared/services/sweep-cases.ts';
import { transitionCase } from '../../shared/services/transition-case.ts';
import { type CaseWork, emulatedCaseWork } from '../support/case-work.ts';
import { drain } from '../support/queues.ts';

let work: CaseWork;
beforeAll(async () => {
  work = await emulatedCaseWork();
});
afterAll(async () => {
  await work?.stop();
});

/** A sender that fails for the numbers it is told to, as the provider would, and sends the rest. */
class ScriptedSender implements SmsSender {
  readonly failures = new Map<string, () => Error>();
  readonly inner: SmsSender;

  constructor(inner: SmsSender) {
    this.inner = inner;
  }
  async send(message: OutboundSms): Promise<SentSms> {
    const failure = this.failures.get(message.to);
    if (failure) throw failure();
    return this.inner.send(message);
  }
}

let serial = 0;
function report(phone?: string, category: 'road' | 'fraud' = 'road'): ReportSubmitted {
  serial++;
  const suffix = String(serial).padStart(4, '0');
  return {
    kind: 'report.submitted',
    trackingCode: `EF7AB${suffix}`,
    submissionId: `5a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b${suffix}`,
    submittedAt: work.clock.now.toISOString(),
    channel: 'web',
    report: {
      category,
      // Outside the city, roads are the transport bureau's.
      communityId: 'dongquan-weijiazhuang',
      description: '路灯不亮',
      ...(phone ? { contactPhone: phone } : {}),
    },
  };
}

/** The case store of a process that dies before it can record what its effects did. */
function withoutSettling(cases: CaseStore): CaseStore {
  return new Proxy(cases, {
    get(target, property) {
      if (property === 'settleEffects')
        return async () => Promise.reject(new Error('the process died before recording the outcome'));
      const value: unknown = Reflect.get(target, property);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

const supervisor: Staff = { role: 'county_supervisor', userId: 'sup-1', name: '县综治中心' };

async function caseItem(code: string) {
  const { Item } = await work.db.send(
    new GetCommand({
      TableName: work.tables.cases,
      Key: { pk: `CASE#${code}`, sk: 'STATE' },
      ConsistentRead: true,
    }),
  );
  return Item ?? {};
}
const entriesOf = (item: Record<string, unknown>) =>
  Object.keys(item)
    .filter((k) => k.startsWith('ob_'))
    .sort();
const deliveredCodes = async (unitId: string) =>
  (await drain(work.sqs, work.queueUrl(unitId))).map((m) => CaseDispatched.parse(JSON.parse(m.Body ?? '')));

/** Runs the sweeper at `minutesLater` past the current clock, then puts the clock back. */
async function sweepAt(minutesLater: number, deps = work.deps) {
  const real = work.clock.now;
  work.clock.now = new Date(real.getTime() + minutesLater * 60_000);
  try {
    return await sweepCases(deps);
  } finally {
    work.clock.now = real;
  }
}

describe('an outbox that cannot jam', () => {
  it('records a text to a number that can never receive it as a notice, and delivers and counts the rest', async () => {
    const sender = new ScriptedSender(work.outbox);
    const phone = '+8613900000001';
    sender.failures.set(
      phone,
      () => new UndeliverableError('SendTextMessage refused the message (ValidationException)'),
    );
    const deps = { ...work.deps, sender };
    const message = report(phone);
    const before = await work.deps.stats.snapshot(['transport']);
    await routeReport(message, deps);

    const item = await caseItem(message.trackingCode);
    expect(entriesOf(item)).toEqual([]);
    expect(item.outboxPk).toBeUndefined();
    expect(item.notices).toEqual([
      expect.objectContaining({ effect: 'notify_reporter', outcome: 'undeliverable' }),
    ]);
    expect((await deliveredCodes('transport')).map((m) => m.trackingCode)).toEqual([message.trackingCode]);
    const after = await work.deps.stats.snapshot(['transport']);
    expect((after.byUnit.transport?.dispatched ?? 0) - (before.byUnit.transport?.dispatched ?? 0)).toBe(1);

    // A later version is not held up by it: a reassignment reaches its new unit.
    await transitionCase(
      message.trackingCode,
      { action: 'reassign', unitId: 'urban-management', expectedVersion: 2 },
      supervisor,
      deps,
    );
    expect((await deliveredCodes('urban-management')).map((m) => [m.trackingCode, m.version])).toEqual([
      [message.trackingCode, 3],
    ]);
    expect(await deliveredCodes('transport')).toEqual([]);
  });

  it('backs a failing text off on its own, never resending the delivery, and sends it once when the provider recovers', async () => {
    const sender = new ScriptedSender(work.outbox);
    const phone = '+8613900000002';
    sender.failures.set(phone, () => new DependencyError('SendTextMessage failed (ThrottlingException)'));
    const deps = { ...work.deps, sender };
    const message = report(phone);
    await routeReport(message, deps);
    expect((await deliveredCodes('transport')).map((m) => m.trackingCode)).toEqual([message.trackingCode]);
    const waiting = await caseItem(message.trackingCode);
    expect(entriesOf(waiting)).toEqual(['ob_v2e1']);
    expect(waiting.ob_v2e1).toMatchObject({ attempts: 1, effect: { kind: 'notify_reporter' } });
    expect(waiting.ob_v2e1.inFlight).toBeUndefined();

    // Not due yet (one minute of backoff): a sweep leaves it alone.
    await sweepAt(0.5, deps);
    expect((await caseItem(message.trackingCode)).ob_v2e1).toMatchObject({ attempts: 1 });

    sender.failures.delete(phone);
    await sweepAt(2, deps);
    expect(entriesOf(await caseItem(message.trackingCode))).toEqual([]);
    expect(work.outbox.messages(phone)).toHaveLength(1);
    // The unit's delivery had succeeded: the sweeper did not send it again.
    expect(await deliveredCodes('transport')).toEqual([]);
  });

  it('parks a text that keeps failing, with a notice for staff and an alarm in the log', async () => {
    const sender = new ScriptedSender(work.outbox);
    const phone = '+8613900000003';
    sender.failures.set(phone, () => new DependencyError('SendTextMessage failed (InternalServerException)'));
    const parked: string[] = [];
    const deps = {
      ...work.deps,
      sender,
      onEffectFailed: (
        code: string,
        _entry: unknown,
        outcome: { kind: string; notice?: { outcome: string } },
      ) => {
        if (outcome.notice?.outcome === 'parked') parked.push(code);
      },
    };
    const message = report(phone);
    await routeReport(message, deps);
    await deliveredCodes('transport');
    for (let minutes = 2; minutes < 24 * 60; minutes *= 2) await sweepAt(minutes, deps);
    const item = await caseItem(message.trackingCode);
    expect(entriesOf(item)).toEqual([]);
    expect(item.notices).toEqual([expect.objectContaining({ effect: 'notify_reporter', outcome: 'parked' })]);
    expect(parked).toEqual([message.trackingCode]);
    expect(work.outbox.messages(phone)).toHaveLength(0);
  });

  it('does not resend a text whose attempt was interrupted: it may have arrived', async () => {
    const phone = '+8613900000004';
    const crashing: SmsSender = {
      send: async () => {
        throw new Error('the process died here');
      },
    };
    const message = report(phone);
    // The writer dies during its own attempt: the entry stays as it wrote it, in flight.
    await routeReport(message, {
      ...work.deps,
      sender: crashing,
      cases: withoutSettling(work.deps.cases),
    }).catch(() => undefined);
    await deliveredCodes('transport');
    expect((await caseItem(message.trackingCode)).ob_v2e1).toMatchObject({
      attempts: 1,
      inFlight: expect.any(String),
    });

    await sweepAt(2);
    const item = await caseItem(message.trackingCode);
    expect(entriesOf(item)).toEqual([]);
    expect(item.notices).toEqual([
      expect.objectContaining({ effect: 'notify_reporter', outcome: 'unconfirmed' }),
    ]);
    expect(work.outbox.messages(phone)).toHaveLength(0);
    // The delivery and the statistics were re-run by the sweeper: the unit got the case.
    expect((await deliveredCodes('transport')).map((m) => m.trackingCode)).toEqual([message.trackingCode]);
  });

  it('still delivers a fresh case when 150 others are stuck backing off', async () => {
    const sender = new ScriptedSender(work.outbox);
    const deps = { ...work.deps, sender };
    const stuck = Array.from({ length: 150 }, (_, i) => `+86139100${String(i).padStart(5, '0')}`);
    for (const phone of stuck)
      sender.failures.set(phone, () => new DependencyError('SendTextMessage failed'));
    for (const phone of stuck) await routeReport(report(phone), deps);
    await deliveredCodes('transport');
    // A fresh case whose delivery failed at routing: due a minute later, behind 150 older entries.
    const fresh = report();
    await routeReport(fresh, {
      ...deps,
      dispatch: { serves: () => true, dispatch: async () => Promise.reject(new DependencyError('SQS down')) },
    });
    const report1 = await sweepAt(1.5, deps);
    expect((await deliveredCodes('transport')).map((m) => m.trackingCode)).toContain(fresh.trackingCode);
    expect(entriesOf(await caseItem(fresh.trackingCode))).toEqual([]);
    expect(report1.failed).toEqual([]);
  });

  it('runs and clears what an older release left in the outbox as one list per version', async () => {
    const message = report();
    await routeReport(message, work.deps);
    await deliveredCodes('transport');
    // As the previous layout stored a pending dispatch: a list under effects.v2.
    await work.db.send(
      new UpdateCommand({
        TableName: work.tables.cases,
        Key: { pk: `CASE#${message.trackingCode}`, sk: 'STATE' },
        UpdateExpression: 'SET effects = :effects, outboxPk = :pk, outboxSk = :sk',
        ExpressionAttributeValues: {
          ':effects': { v2: [{ kind: 'dispatch', unitId: 'transport', reason: 'routed' }] },
          ':pk': 'OUTBOX',
          ':sk': `2026-01-01T00:00:00.000Z#${message.trackingCode}`,
        },
      }),
    );
    await sweepAt(0);
    const item = await caseItem(message.trackingCode);
    expect(item.effects).toBeUndefined();
    expect(item.outboxPk).toBeUndefined();
    expect((await deliveredCodes('transport')).map((m) => m.trackingCode)).toEqual([message.trackingCode]);
  });
});

describe("a reporter's texts", () => {
  const sms = () => new DynamoDbSmsState(work.db, work.tables.sms ?? '');
  const gated = (perDay = 5) => ({
    ...work.deps,
    reporterTexts: reporterTextGate({ optOuts: sms(), cap: sms(), perDay }),
  });
  const textsTo = (phone: string) =>
    work.outbox
      .messages(phone)
      .filter((m) => m.purpose === 'notification')
      .map((m) => m.body);

  it('sends nothing to a phone that opted out, and the update is done, not a failure staff must see', async () => {
    const phone = '+8613900000501';
    await sms().optOut(phone, work.clock.now.toISOString());
    const message = report(phone);
    await routeReport(message, gated());
    expect(textsTo(phone)).toEqual([]);
    const item = await caseItem(message.trackingCode);
    expect(entriesOf(item)).toEqual([]);
    expect(item.notices).toBeUndefined();
    // The delivery to the unit is not held up.
    expect((await deliveredCodes('transport')).map((m) => m.trackingCode)).toEqual([message.trackingCode]);
  });

  it("ends the first update a phone gets each day with how to stop them, and the day's others not", async () => {
    const phone = '+8613900000502';
    await routeReport(report(phone), gated());
    await routeReport(report(phone), gated());
    const [first, second] = textsTo(phone);
    expect(first).toMatch(/办理。回复TD退订$/);
    expect(second).not.toContain('退订');
    await drain(work.sqs, work.queueUrl('transport'));
  });

  it('stops at the daily cap per phone, without a notice, and starts again the next day in Shanghai', async () => {
    const phone = '+8613900000503';
    const real = work.clock.now;
    // 23:30 in Shanghai; 30 minutes later is the next day there (still the same day in UTC).
    work.clock.now = new Date('2026-12-01T15:30:00.000Z');
    try {
      const messages = [report(phone), report(phone), report(phone)];
      for (const message of messages) await routeReport(message, gated(2));
      expect(textsTo(phone)).toHaveLength(2);
      const capped = await caseItem(messages[2]?.trackingCode ?? '');
      expect(capped.notices).toBeUndefined();
      expect(entriesOf(capped)).toEqual([]);

      work.clock.now = new Date('2026-12-01T16:00:00.000Z');
      await routeReport(report(phone), gated(2));
      expect(textsTo(phone)).toHaveLength(3);
      expect(textsTo(phone)[2]).toMatch(/回复TD退订$/);
    } finally {
      work.clock.now = real;
      await drain(work.sqs, work.queueUrl('transport'));
    }
  });
});
