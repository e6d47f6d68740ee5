/**
 * The outreach scheduler and planner, on dynalite: a due occurrence becomes exactly one run
 * however often (or however concurrently) the tick fires; the planner queues every household of
 * the run's communities once, page by page, resuming from its checkpoint when it runs out of time;
 * lectures and screenings remind their assignee the day before, once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Campaign, CampaignPlan } from '../../shared/domain/outreach/campaign.ts';
import { applyCampaignAction, newCampaign } from '../../shared/domain/outreach/campaign-lifecycle.ts';
import type { Staff } from '../../shared/domain/staff.ts';
import { planOutreachRun } from '../../shared/services/plan-outreach-run.ts';
import { startDueRuns } from '../../shared/services/start-due-runs.ts';
import { type EmulatedTables, emulatedTables } from '../support/emulated-tables.ts';
import { householdsOf, type OutreachWorld, outreachWorld, smsPlan } from '../support/outreach.ts';

let env: EmulatedTables;
let world: OutreachWorld;

beforeAll(async () => {
  env = await emulatedTables();
  world = outreachWorld(env);
});
afterAll(async () => {
  await env?.stop();
});

const officer: Staff = { role: 'outreach_staff', userId: 'u-1', name: '反诈宣传民警' };
const unlimited = { remainingMs: () => 60_000, reserveMs: 1_000 };

/** Creates and schedules a campaign the way the API does, at the world's current time. */
async function scheduled(campaignId: string, plan: CampaignPlan): Promise<Campaign> {
  const draft = newCampaign(plan, campaignId, officer, world.clock.now);
  const campaign = applyCampaignAction(draft, { action: 'schedule', expectedVersion: 1 }, world.clock.now);
  await world.store.create(campaign);
  return campaign;
}

describe('startDueRuns', () => {
  it('creates a run exactly once when the tick fires twice, or three times at once', async () => {
    world.clock.set('2026-12-07T09:00');
    await scheduled('cmp-tick-a', smsPlan({ firstRunAt: '2026-12-07T10:00' }));
    world.planRequests.length = 0;

    world.clock.set('2026-12-07T09:59');
    expect((await startDueRuns(world.tickDeps)).runsStarted).toEqual([]);

    world.clock.set('2026-12-07T10:00');
    const reports = await Promise.all([startDueRuns(world.tickDeps), startDueRuns(world.tickDeps)]);
    const again = await startDueRuns(world.tickDeps);

    expect(reports.flatMap((r) => r.runsStarted).concat(again.runsStarted)).toEqual([
      'cmp-tick-a#20261207T1000',
    ]);
    expect(await world.store.listRuns('cmp-tick-a')).toHaveLength(1);
    const campaign = await world.store.get('cmp-tick-a');
    expect(campaign).toMatchObject({ status: 'running', lastRunAt: '2026-12-07T02:00:00.000Z' });
    expect(campaign?.nextRunAt).toBeUndefined();
  });

  it('runs a monthly series on the last day of each month, one run per month', async () => {
    world.clock.set('2027-01-01T09:00');
    await scheduled(
      'cmp-tick-b',
      smsPlan({
        firstRunAt: '2027-01-31T10:00',
        recurrence: { frequency: 'monthly', interval: 1, monthDay: 'last_day', count: 3 },
      }),
    );
    for (const at of ['2027-01-31T10:00', '2027-02-28T10:00', '2027-03-31T10:00']) {
      world.clock.set(at);
      await startDueRuns(world.tickDeps);
      await startDueRuns(world.tickDeps);
    }
    const runs = await world.store.listRuns('cmp-tick-b');
    expect(runs.map((r) => r.runId).sort()).toEqual(['20270131T1000', '20270228T1000', '20270331T1000']);
    expect((await world.store.get('cmp-tick-b'))?.nextRunAt).toBeUndefined();
  });

  it('reminds a lecture’s police officer at 10:00 the day before, once, with the when and where', async () => {
    world.clock.set('2026-12-01T09:00');
    await scheduled(
      'cmp-tick-c',
      smsPlan({
        firstRunAt: '2026-12-10T15:00',
        communityIds: ['chengdong-kangning'],
        channel: {
          kind: 'lecture',
          venue: '康宁社区活动室',
          durationMinutes: 60,
          assignee: { role: 'police_officer', name: '王警官', phone: '+8613911112222' },
        },
      }),
    );
    world.clock.set('2026-12-09T09:59');
    expect((await startDueRuns(world.tickDeps)).remindersSent).toBe(0);
    world.clock.set('2026-12-09T10:00');
    expect((await startDueRuns(world.tickDeps)).remindersSent).toBe(1);
    expect((await startDueRuns(world.tickDeps)).remindersSent).toBe(0);

    const reminders = world.outbox.messages('+8613911112222');
    expect(reminders).toHaveLength(1);
    expect(reminders[0]?.body).toBe(
      '【平遥综治】王警官您好：12月10日15:00在康宁社区活动室有反诈以案说法讲座（康宁社区），约60分钟。结束后请在系统登记到场人数。',
    );
    const [run] = await world.store.listRuns('cmp-tick-c');
    expect(run).toMatchObject({ status: 'awaiting_attendance', runId: '20261210T1500' });
  });
});

describe('planOutreachRun', () => {
  it('queues every household of every community once, in batches, and hands the run to the sender', async () => {
    world.clock.set('2026-12-14T09:00');
    await world.registry.upsert(householdsOf('plan-a', 'dongquan-weijiazhuang', 120, 20));
    await world.registry.upsert(householdsOf('plan-b', 'chengdong-kangning', 30, 21));
    await scheduled(
      'cmp-plan-a',
      smsPlan({
        firstRunAt: '2026-12-14T10:00',
        communityIds: ['dongquan-weijiazhuang', 'chengdong-kangning'],
      }),
    );
    world.clock.set('2026-12-14T10:00');
    world.planRequests.length = 0;
    world.queued.length = 0;
    await startDueRuns(world.tickDeps);
    const [request] = world.planRequests;
    if (!request) throw new Error('no planning request');

    const result = await planOutreachRun(
      request,
      { ...world.planDeps, pageSize: 50, batchSize: 20 },
      unlimited,
    );

    const planned = world.queued.filter((b) => b.campaignId === 'cmp-plan-a');
    const ids = planned.flatMap((b) => b.householdIds).filter((id) => id.startsWith('plan-'));
    expect(result).toMatchObject({ status: 'planned' });
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.filter((id) => id.startsWith('plan-a'))).toHaveLength(120);
    expect(ids.filter((id) => id.startsWith('plan-b'))).toHaveLength(30);
    expect(planned.every((b) => b.householdIds.length <= 20)).toBe(true);
    const run = await world.store.getRun('cmp-plan-a', request.runId);
    expect(run?.status).toBe('sending');
    expect(run?.counts.enqueued).toBe(planned.reduce((n, b) => n + b.householdIds.length, 0));
  });

  it('stops when time runs short, asks for a continuation, and resumes where it stopped', async () => {
    world.clock.set('2026-12-15T09:00');
    await world.registry.upsert(householdsOf('plan-c', 'gutao-xiguan', 90, 22));
    await scheduled(
      'cmp-plan-c',
      smsPlan({ firstRunAt: '2026-12-15T10:00', communityIds: ['gutao-xiguan'] }),
    );
    world.clock.set('2026-12-15T10:00');
    world.planRequests.length = 0;
    world.queued.length = 0;
    await startDueRuns(world.tickDeps);
    const [request] = world.planRequests;
    if (!request) throw new Error('no planning request');
    world.planRequests.length = 0;

    // Enough time for two pages, then the invocation is nearly over.
    let pages = 0;
    const shortLived = { remainingMs: () => (pages++ < 2 ? 60_000 : 500), reserveMs: 1_000 };
    const first = await planOutreachRun(request, { ...world.planDeps, pageSize: 20 }, shortLived);
    expect(first).toMatchObject({ status: 'continued' });
    expect(world.planRequests).toEqual([request]);

    // A duplicate request with another token steps aside while the lease is held…
    expect(await planOutreachRun({ ...request, token: 'other' }, world.planDeps, unlimited)).toEqual({
      status: 'held',
    });
    // …and the continuation finishes the job.
    const second = await planOutreachRun(request, { ...world.planDeps, pageSize: 20 }, unlimited);
    expect(second).toMatchObject({ status: 'planned' });

    const ids = world.queued.flatMap((b) => b.householdIds).filter((id) => id.startsWith('plan-c'));
    expect(ids).toHaveLength(90);
    expect(new Set(ids).size).toBe(90);
    expect(await planOutreachRun(request, world.planDeps, unlimited)).toEqual({ status: 'not_planning' });
  });
});
