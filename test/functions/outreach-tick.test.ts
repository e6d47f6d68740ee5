/**
 * The scheduler's edge, fed the sample EventBridge event, and the planner's, fed the sample
 * planning request: a due campaign becomes a run and a planning request; planning that request
 * queues the households.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { ScheduledEvent, SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import tickEvent from '../../events/eventbridge/scheduled-tick.json' with { type: 'json' };
import planEvent from '../../events/sqs/outreach-plan.json' with { type: 'json' };
import { makeHandler as makeTickHandler } from '../../functions/outreach-tick.ts';
import { makeHandler as makePlanHandler } from '../../functions/plan-outreach.ts';
import { applyCampaignAction, newCampaign } from '../../shared/domain/outreach/campaign-lifecycle.ts';
import { type EmulatedTables, emulatedTables } from '../support/emulated-tables.ts';
import { lambdaContext } from '../support/lambda-context.ts';
import { householdsOf, type OutreachWorld, outreachWorld, smsPlan } from '../support/outreach.ts';

let env: EmulatedTables;
let world: OutreachWorld;
const logger = new Logger({ logLevel: 'SILENT' });

beforeAll(async () => {
  env = await emulatedTables();
  world = outreachWorld(env);
  world.clock.set('2026-12-07T09:00');
  const staff = { role: 'outreach_staff', userId: 'u-1', name: '民警' } as const;
  const draft = newCampaign(
    smsPlan({ firstRunAt: '2026-12-08T10:00' }),
    'cmp-events0001',
    staff,
    world.clock.now,
  );
  await world.store.create(
    applyCampaignAction(draft, { action: 'schedule', expectedVersion: 1 }, world.clock.now),
  );
  await world.registry.upsert(householdsOf('tick', 'chengdong-kangning', 60, 40));
});
afterAll(async () => {
  await env?.stop();
});

describe('the outreach-tick and plan-outreach functions', () => {
  it('starts the due run on the scheduled event, and the planner queues its households', async () => {
    world.clock.set('2026-12-08T10:00');
    const tick = makeTickHandler({ logger, ...world.tickDeps });
    // JSON widens the literal fields; the sample holds EventBridge's exact values.
    const scheduled: ScheduledEvent = {
      ...structuredClone(tickEvent),
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
    };
    const report = await tick(scheduled, lambdaContext('civicloop-outreach-tick'));
    expect(report.runsStarted).toEqual(['cmp-events0001#20261208T1000']);
    expect(world.planRequests).toEqual([
      expect.objectContaining({ campaignId: 'cmp-events0001', runId: '20261208T1000' }),
    ]);

    // The sample request carries its own token; the planner takes the run's lease with it.
    const plan = makePlanHandler({ logger, reserveMs: 1_000, ...world.planDeps });
    const event: SQSEvent = structuredClone(planEvent);
    const response = await plan(event, lambdaContext('civicloop-plan-outreach', 120_000));
    expect(response.batchItemFailures).toEqual([]);
    const ids = world.queued.flatMap((b) => b.householdIds).filter((id) => id.startsWith('tick-'));
    expect(ids).toHaveLength(60);
    expect((await world.store.getRun('cmp-events0001', '20261208T1000'))?.status).toBe('sending');
  });
});
