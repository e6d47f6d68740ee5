/**
 * The outreach sender, on dynalite: what is decided at send time (opt-out, quiet hours, the
 * frequency cap), and that no household is ever texted twice in a run however its batch is
 * delivered, crashed or retried — with every outcome counted on the run once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runKeyOf } from '../../shared/domain/outreach/campaign.ts';
import { DependencyError } from '../../shared/errors.ts';
import type { OutboundSms, SentSms } from '../../shared/ports/sms-sender.ts';
import { OutreachRetryError, sendOutreachBatch } from '../../shared/services/send-outreach-batch.ts';
import { startDueRuns } from '../../shared/services/start-due-runs.ts';
import { type EmulatedTables, emulatedTables } from '../support/emulated-tables.ts';
import {
  batchOf,
  DAY_MS,
  householdsOf,
  type OutreachWorld,
  outreachWorld,
  startedSmsRun,
} from '../support/outreach.ts';

let env: EmulatedTables;
let world: OutreachWorld;

beforeAll(async () => {
  env = await emulatedTables();
  world = outreachWorld(env);
});
afterAll(async () => {
  await env?.stop();
});

const once = { deliveryId: 'm-1', finalAttempt: false };
const sentTo = (phone: string | undefined) =>
  world.outbox.messages().filter((m) => m.purpose === 'outreach' && m.to === phone);

describe('sendOutreachBatch', () => {
  it('texts each household the signed message with the opt-out line and counts the parts', async () => {
    world.clock.set('2026-12-01T10:00');
    const households = householdsOf('send-a', 'chengdong-kangning', 3, 1);
    await world.registry.upsert(households);
    const run = await startedSmsRun(world, 'cmp-a', 3);

    const result = await sendOutreachBatch(batchOf(run, '0.0', households), world.sendDeps, once);

    expect(result).toEqual({ status: 'tallied', counts: { sent: 3, parts: 3 } });
    for (const h of households) {
      expect(sentTo(h.phones[0])).toEqual([
        expect.objectContaining({
          body: '【平遥反诈】公安机关不会要求转账到安全账户。拒收请回复R',
          purpose: 'outreach',
          correlationId: `${runKeyOf('cmp-a', run.runId)}#${h.householdId}`,
        }),
      ]);
    }
    const stored = await world.store.getRun('cmp-a', run.runId);
    expect(stored?.counts).toMatchObject({ enqueued: 3, sent: 3, parts: 3 });
    expect(stored?.status).toBe('completed');
  });

  it('honours an opt-out that arrived after the batch was queued', async () => {
    world.clock.set('2026-12-01T10:00');
    const households = householdsOf('send-b', 'chengdong-kangning', 2, 2);
    await world.registry.upsert(households);
    const run = await startedSmsRun(world, 'cmp-b', 2);
    const batch = batchOf(run, '0.0', households); // queued…
    await world.sms.optOut(households[1]?.phones[0] ?? '', world.clock.now.toISOString()); // …then R

    const result = await sendOutreachBatch(batch, world.sendDeps, once);

    expect(result).toEqual({ status: 'tallied', counts: { sent: 1, optedOut: 1, parts: 1 } });
    expect(sentTo(households[1]?.phones[0])).toHaveLength(0);
    expect(sentTo(households[0]?.phones[0])).toHaveLength(1);
  });

  it('caps a household texted by another campaign within 7 days, and not one texted 8 days ago', async () => {
    world.clock.set('2026-12-01T10:00');
    const households = householdsOf('send-c', 'chengdong-kangning', 2, 3);
    await world.registry.upsert(households);
    const [recent, earlier] = households;
    const now = world.clock.now.getTime();
    await world.store.reserve(recent?.householdId ?? '', 'other#run', new Date(now - 6 * DAY_MS), 7 * DAY_MS);
    await world.store.reserve(
      earlier?.householdId ?? '',
      'other#run',
      new Date(now - 8 * DAY_MS),
      7 * DAY_MS,
    );
    const run = await startedSmsRun(world, 'cmp-c', 2);

    const result = await sendOutreachBatch(batchOf(run, '0.0', households), world.sendDeps, once);

    expect(result).toEqual({ status: 'tallied', counts: { sent: 1, capped: 1, parts: 1 } });
    expect(sentTo(recent?.phones[0])).toHaveLength(0);
    expect(sentTo(earlier?.phones[0])).toHaveLength(1);
  });

  it('sends at 20:59 and defers at 21:00 to 08:00 the next morning, when the scheduler resumes it', async () => {
    const households = householdsOf('send-d', 'chengdong-kangning', 2, 4);
    await world.registry.upsert(households);
    world.clock.set('2026-12-01T20:59');
    const run = await startedSmsRun(world, 'cmp-d', 2);
    const [first, second] = households;

    const early = await sendOutreachBatch(batchOf(run, '0.0', first ? [first] : []), world.sendDeps, once);
    expect(early).toMatchObject({ counts: { sent: 1 } });

    world.clock.set('2026-12-01T21:00');
    const late = await sendOutreachBatch(batchOf(run, '0.1', second ? [second] : []), world.sendDeps, {
      deliveryId: 'm-2',
      finalAttempt: false,
    });
    expect(late).toEqual({ status: 'tallied', counts: { deferred: 1 } });
    expect(sentTo(second?.phones[0])).toHaveLength(0);

    // Nothing is due during the night; at 08:00 the parked batch goes back on the queue.
    world.queued.length = 0;
    world.clock.set('2026-12-02T07:59');
    expect((await startDueRuns(world.tickDeps)).batchesResumed).toBe(0);
    world.clock.set('2026-12-02T08:00');
    expect((await startDueRuns(world.tickDeps)).batchesResumed).toBe(1);
    expect(await startDueRuns(world.tickDeps)).toMatchObject({ batchesResumed: 0 });
    const [resumed] = world.queued;
    expect(resumed).toMatchObject({ batchId: '0.1~2026-12-02', householdIds: [second?.householdId] });

    await sendOutreachBatch(resumed ?? batchOf(run, 'none', []), world.sendDeps, {
      deliveryId: 'm-3',
      finalAttempt: false,
    });
    expect(sentTo(second?.phones[0])).toHaveLength(1);
    const stored = await world.store.getRun('cmp-d', run.runId);
    expect(stored?.counts).toMatchObject({ sent: 2, deferred: 1 });
    expect(stored?.status).toBe('completed');
  });

  it('sends nothing twice when the same batch is redelivered, or a second copy of it arrives', async () => {
    world.clock.set('2026-12-01T11:00');
    const households = householdsOf('send-e', 'chengdong-kangning', 3, 5);
    await world.registry.upsert(households);
    const run = await startedSmsRun(world, 'cmp-e', 3);
    const batch = batchOf(run, '0.0', households);

    await sendOutreachBatch(batch, world.sendDeps, once);
    // SQS redelivers the same message (same id), and the planner's replay queued a copy (new id).
    expect(await sendOutreachBatch(batch, world.sendDeps, once)).toEqual({ status: 'duplicate' });
    expect(
      await sendOutreachBatch(batch, world.sendDeps, { deliveryId: 'copy', finalAttempt: false }),
    ).toEqual({
      status: 'duplicate',
    });

    for (const h of households) expect(sentTo(h.phones[0])).toHaveLength(1);
    expect((await world.store.getRun('cmp-e', run.runId))?.counts.sent).toBe(3);
  });

  it('never resends to a household whose send may have gone out before a crash', async () => {
    world.clock.set('2026-12-01T11:00');
    const households = householdsOf('send-f', 'chengdong-kangning', 2, 6);
    await world.registry.upsert(households);
    const run = await startedSmsRun(world, 'cmp-f', 2);
    const [crashed] = households;
    // The previous delivery claimed the household and died before recording the outcome.
    await world.store.claim(runKeyOf('cmp-f', run.runId), crashed?.householdId ?? '', world.clock.now);

    const result = await sendOutreachBatch(batchOf(run, '0.0', households), world.sendDeps, once);

    expect(result).toEqual({ status: 'tallied', counts: { sent: 1, failed: 1, parts: 1 } });
    expect(sentTo(crashed?.phones[0])).toHaveLength(0);
  });

  it('retries a household whose provider call failed, then sends it once on the next delivery', async () => {
    world.clock.set('2026-12-01T11:00');
    const households = householdsOf('send-g', 'chengdong-kangning', 2, 7);
    await world.registry.upsert(households);
    const run = await startedSmsRun(world, 'cmp-g', 2);
    const batch = batchOf(run, '0.0', households);
    let failures = 1;
    const flaky = {
      send: (m: OutboundSms): Promise<SentSms> => {
        if (failures-- > 0) return Promise.reject(new DependencyError('SendTextMessage failed'));
        return world.outbox.send(m);
      },
    };

    await expect(sendOutreachBatch(batch, { ...world.sendDeps, sender: flaky }, once)).rejects.toBeInstanceOf(
      OutreachRetryError,
    );
    expect((await world.store.getRun('cmp-g', run.runId))?.counts.sent).toBe(0);

    await sendOutreachBatch(batch, { ...world.sendDeps, sender: flaky }, once);
    for (const h of households) expect(sentTo(h.phones[0])).toHaveLength(1);
    expect((await world.store.getRun('cmp-g', run.runId))?.counts).toMatchObject({ sent: 2, failed: 0 });
  });

  it('counts a household failed on the last delivery attempt instead of retrying it', async () => {
    world.clock.set('2026-12-01T11:00');
    const households = householdsOf('send-h', 'chengdong-kangning', 1, 8);
    await world.registry.upsert(households);
    const run = await startedSmsRun(world, 'cmp-h', 1);
    const broken = { send: () => Promise.reject(new DependencyError('SendTextMessage failed')) };

    const result = await sendOutreachBatch(
      batchOf(run, '0.0', households),
      { ...world.sendDeps, sender: broken },
      {
        deliveryId: 'm-1',
        finalAttempt: true,
      },
    );

    expect(result).toEqual({ status: 'tallied', counts: { failed: 1 } });
    expect((await world.store.getRun('cmp-h', run.runId))?.status).toBe('completed');
  });

  it('texts nobody once the run has been cancelled, and counts them cancelled', async () => {
    world.clock.set('2026-12-01T11:00');
    const households = householdsOf('send-i', 'chengdong-kangning', 2, 9);
    await world.registry.upsert(households);
    const run = await startedSmsRun(world, 'cmp-i', 2);
    await world.store.setRunStatus('cmp-i', run.runId, ['sending'], 'cancelled');

    const result = await sendOutreachBatch(batchOf(run, '0.0', households), world.sendDeps, once);

    expect(result).toEqual({ status: 'tallied', counts: { cancelled: 2 } });
    for (const h of households) expect(sentTo(h.phones[0])).toHaveLength(0);
  });
});
