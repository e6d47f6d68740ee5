/**
 * The outreach answers the OpenAPI document describes field by field, held to it with the values
 * the local runtime's conformance test does not reach: a preview estimated from the household
 * registry and the directory at once, outreach tasks with runs and attendance, both kinds of
 * attendance answer (the task for a grid worker, the campaign for outreach staff), a completed
 * campaign's effect, the calendar, and the risk ranking with reports, its reasons' numbers among
 * them. The use cases run on dynalite; their answers go through JSON as the handlers send them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoOrganisation } from '../../infra/demo/demo-organisation.ts';
import type { Household } from '../../shared/domain/household.ts';
import type { Staff } from '../../shared/domain/staff.ts';
import { listCampaigns } from '../../shared/services/campaigns/campaign-calendar.ts';
import { fraudRiskRanking } from '../../shared/services/campaigns/fraud-risk-ranking.ts';
import { listOutreachTasks, recordAttendance } from '../../shared/services/campaigns/outreach-tasks.ts';
import { createCampaign, getCampaign } from '../../shared/services/campaigns/plan-campaigns.ts';
import type { CampaignApiDeps } from '../../shared/services/campaigns/planner-context.ts';
import { previewCampaign } from '../../shared/services/campaigns/preview-campaign.ts';
import { importHouseholds } from '../../shared/services/import-households.ts';
import { startDueRuns } from '../../shared/services/start-due-runs.ts';
import { type EmulatedTables, emulatedTables } from '../support/emulated-tables.ts';
import { expectResponseMatchesOpenApi } from '../support/openapi-conformance.ts';
import { DAY_MS, householdsOf, type OutreachWorld, outreachWorld, smsPlan } from '../support/outreach.ts';

let env: EmulatedTables;
let world: OutreachWorld;
let deps: CampaignApiDeps;
let ids = 0;

const officer: Staff = { role: 'outreach_staff', userId: 'u-1', name: '反诈宣传民警' };
const GUCHENG = 'chengxi-gucheng';
const DONGYING = 'duancun-dongying';
const REGISTERED = 'chengxi-fengyi';
const gridGucheng: Staff = { role: 'grid_worker', userId: 'u-6', name: '古城网格员', communityId: GUCHENG };

const csvOf = (households: Household[]) =>
  [
    'household_id,community_id,grid_id,phone,phone2,head_name',
    ...households.map((h) => `${h.householdId},${h.communityId},,${h.phones[0]},,`),
  ].join('\n');

/** Fails unless `answer`, sent as JSON with status 200, is one the document describes for `routeKey`. */
function expectDocumented(routeKey: string, answer: unknown, status = 200): void {
  const body: unknown = JSON.parse(JSON.stringify(answer));
  expectResponseMatchesOpenApi(routeKey, { status, contentType: 'application/json; charset=utf-8', body });
}

beforeAll(async () => {
  env = await emulatedTables();
  world = outreachWorld(env);
  world.clock.set('2027-06-01T09:00');
  deps = {
    campaigns: world.store,
    directory: { load: async () => demoOrganisation },
    // Fraud reports in Gucheng recently and before: a rate, a trend and a ratio to describe.
    fraudReports: {
      dailyCounts: async () => ({
        '2027-05-25': { [GUCHENG]: 4, [DONGYING]: 1 },
        '2027-04-01': { [GUCHENG]: 1 },
      }),
    },
    households: world.registry,
    reach: world.store,
    capWindowMs: 7 * DAY_MS,
    quietHours: { start: '21:00', end: '08:00' },
    newId: () => `cmp-doc-${++ids}`,
    now: () => world.clock.now,
  };
  await importHouseholds(csvOf(householdsOf('doc', REGISTERED, 12, 70)), demoOrganisation, world.registry, {
    optOuts: world.sms,
    now: () => world.clock.now,
  });
});
afterAll(async () => {
  await env?.stop();
});

describe('the outreach answers as the OpenAPI document describes them', () => {
  it('describes a preview estimated from the registry for one community and the directory for another', async () => {
    const preview = await previewCampaign(
      officer,
      smsPlan({ communityIds: [REGISTERED, GUCHENG], firstRunAt: '2027-06-02T10:00' }),
      deps,
    );
    expect(preview.estimateSource).toBe('mixed');
    expect(preview.estimate?.communities.map((c) => c.source).sort()).toEqual(['directory', 'registry']);
    expectDocumented('POST /api/campaign-previews', preview);
    // A field the document does not describe is refused: the schemas are closed.
    expect(() =>
      expectDocumented('POST /api/campaign-previews', {
        ...preview,
        message: { ...preview.message, cost: 1 },
      }),
    ).toThrow();
  });

  it('describes an SMS campaign with its preview and estimate, and the calendar', async () => {
    const created = await createCampaign(
      officer,
      { ...smsPlan({ communityIds: [REGISTERED], firstRunAt: '2027-06-04T10:00' }), schedule: true },
      deps,
    );
    expect(created.preview?.estimatedMessages).toBe(12);
    expectDocumented('GET /api/campaigns/{id}', created);
    const list = await listCampaigns(officer, {}, deps);
    expect(list.calendar.length).toBeGreaterThan(0);
    expectDocumented('GET /api/campaigns', list);
  });

  it('describes the tasks with their runs, the attendance answers of a grid worker and of outreach staff, and the effect', async () => {
    const { campaign } = await createCampaign(
      officer,
      {
        ...smsPlan({
          title: '反诈讲座',
          firstRunAt: '2027-06-03T19:30',
          communityIds: [GUCHENG, DONGYING],
          channel: {
            kind: 'lecture',
            venue: '古城社区活动室',
            durationMinutes: 60,
            assignee: { role: 'police_officer', name: '王警官', phone: '13911114444' },
          },
        }),
        schedule: true,
      },
      deps,
    );
    world.clock.set('2027-06-02T10:00');
    await startDueRuns(world.tickDeps);
    const runId = (await getCampaign(officer, campaign.campaignId, deps)).runs[0]?.runId ?? '';

    world.clock.set('2027-06-03T21:30');
    const tasks = await listOutreachTasks(gridGucheng, {}, deps);
    expect(tasks.tasks[0]?.runs[0]?.status).toBe('awaiting_attendance');
    expectDocumented('GET /api/outreach/tasks', tasks);

    const attendance = `POST /api/campaigns/{id}/runs/{runId}/attendance`;
    const task = await recordAttendance(
      gridGucheng,
      campaign.campaignId,
      runId,
      { counts: { [GUCHENG]: 30 } },
      deps,
    );
    expect('campaign' in task).toBe(false);
    expectDocumented(attendance, task);
    const view = await recordAttendance(
      officer,
      campaign.campaignId,
      runId,
      { counts: { [DONGYING]: 12 } },
      deps,
    );
    expect('campaign' in view && view.runs[0]?.status).toBe('completed');
    expectDocumented(attendance, view);

    // Held everywhere it was planned: the campaign is completed and shows its effect so far.
    const completed = await getCampaign(officer, campaign.campaignId, deps);
    expect(completed.effect?.after.complete).toBe(false);
    expect(completed.effect?.comparison?.communities).toBeGreaterThan(0);
    expectDocumented('GET /api/campaigns/{id}', completed);
  });

  it('describes the risk ranking, each reason with its numbers', async () => {
    const ranking = await fraudRiskRanking(officer, deps);
    const gucheng = ranking.communities.find((c) => c.communityId === GUCHENG);
    expect(gucheng?.reports90).toBe(5);
    expect(new Set(ranking.communities.flatMap((c) => c.reasons.map((r) => r.code))).size).toBeGreaterThan(2);
    expectDocumented('GET /api/outreach/risk', ranking);
  });
});
