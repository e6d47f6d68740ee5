/**
 * What the planner shows of outreach to the grids' WeChat groups, on dynalite and the local
 * WeChat Work simulator: the preview names the groups already at their monthly limit (a notice at
 * 3, a fraud alert at 4), the campaign shows its run's groups per township with each grid's
 * status, and a completed campaign's effect counts the groups reached and their households beside
 * SMS — each answer as the OpenAPI document describes it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveWecomSimulator, type WecomSimulator } from '../../infra/local/wecom-simulator.ts';
import { DynamoDbHouseholdRegistry } from '../../shared/adapters/dynamodb-household-registry.ts';
import type { Organisation } from '../../shared/domain/organisation.ts';
import type { Staff } from '../../shared/domain/staff.ts';
import { getCampaign } from '../../shared/services/campaigns/plan-campaigns.ts';
import type { CampaignApiDeps } from '../../shared/services/campaigns/planner-context.ts';
import { previewCampaign } from '../../shared/services/campaigns/preview-campaign.ts';
import { planGroupRun, pollGroupRun } from '../../shared/services/group-mass-send-run.ts';
import { type EmulatedTables, emulatedTables } from '../support/emulated-tables.ts';
import {
  APP_SECRET,
  CORP_ID,
  chatsOf,
  type GroupWorld,
  groupOrganisation,
  groupWorld,
  HOUR_MS,
  plannedGroupRun,
  plenty,
} from '../support/group-outreach.ts';
import { expectResponseMatchesOpenApi } from '../support/openapi-conformance.ts';

const officer: Staff = { role: 'outreach_staff', userId: 'u-1', name: '反诈宣传民警' };
const preview = groupOrganisation('preview');
const shown = groupOrganisation('shown');

let env: EmulatedTables;
let sim: WecomSimulator;
let world: GroupWorld;

function apiDeps(org: Organisation): CampaignApiDeps {
  return {
    campaigns: world.store,
    directory: { load: async () => org },
    fraudReports: { dailyCounts: async () => ({}) },
    households: new DynamoDbHouseholdRegistry(env.db, env.tables.households ?? ''),
    reach: world.store,
    capWindowMs: 7 * 86_400_000,
    quietHours: { start: '21:00', end: '08:00' },
    groupSends: { slots: world.groups, log: world.groups },
    newId: () => 'cmp-unused',
    now: () => world.clock.now,
  };
}

function expectDocumented(routeKey: string, answer: unknown): void {
  const body: unknown = JSON.parse(JSON.stringify(answer));
  expectResponseMatchesOpenApi(routeKey, {
    status: 200,
    contentType: 'application/json; charset=utf-8',
    body,
  });
}

beforeAll(async () => {
  env = await emulatedTables();
  sim = await serveWecomSimulator({
    corpId: () => CORP_ID,
    appSecret: () => APP_SECRET,
    groupChats: [...chatsOf(preview), ...chatsOf(shown)],
    now: () => world.clock.now.getTime(),
  });
  world = groupWorld(env, sim.endpoint);
});
afterAll(async () => {
  await sim?.stop();
  await env?.stop();
});

const plan = (purpose: 'notice' | 'fraud_alert') => ({
  title: '网格群提醒',
  communityIds: [...new Set(preview.grids.map((g) => g.communityId))],
  firstRunAt: '2026-12-08T10:00',
  channel: { kind: 'wecom_group', purpose, text: '近期冒充客服退款诈骗高发，请勿点击陌生链接。' },
});

describe('the preview of a WeChat-group campaign', () => {
  it('names the groups already at their monthly limit: at 3 for a notice, at 4 for a fraud alert', async () => {
    for (let i = 0; i < 3; i++) await world.groups.reserve('wr-preview-k1', '2026-12', `other-${i}#r`, 4);
    for (let i = 0; i < 4; i++) await world.groups.reserve('wr-preview-w1', '2026-12', `other-${i}#r`, 4);
    // November's mass-sends do not count in December.
    for (let i = 0; i < 4; i++) await world.groups.reserve('wr-preview-k2', '2026-11', `other-${i}#r`, 4);

    const notice = await previewCampaign(officer, plan('notice'), apiDeps(preview));
    const alert = await previewCampaign(officer, plan('fraud_alert'), apiDeps(preview));

    expect(notice.groups).toMatchObject({
      purpose: 'notice',
      month: '2026-12',
      groups: 4,
      owners: 3,
      households: 1070,
      atLimit: [
        { gridId: 'preview-k1', zh: '测试网格k1', taken: 3 },
        { gridId: 'preview-w1', zh: '测试网格w1', taken: 4 },
      ],
    });
    expect(notice.warnings).toContain(
      '2 of 4 groups are at their monthly limit for 2026-12 (3 mass-sends: the 4th is kept for fraud alerts) and will not receive it',
    );
    expect(alert.groups?.atLimit.map((g) => g.gridId)).toEqual(['preview-w1']);
    expectDocumented('POST /api/campaign-previews', notice);
  });
});

describe('a WeChat-group campaign as the planner shows it', () => {
  it('counts its run’s groups per township with each grid’s status, and its reach once completed', async () => {
    const { run, request } = await plannedGroupRun(world, 'cmp-g-shown', shown, 'fraud_alert');
    const deps = world.deps(shown);
    await planGroupRun(request, deps, plenty);
    const task = sim.massSends.find((t) => t.sender === 'gw-shown-a');
    sim.confirmMassSend(task?.msgid ?? '', 'gw-shown-a');
    world.clock.advance(HOUR_MS);
    await pollGroupRun(
      { kind: 'outreach.poll_groups', campaignId: 'cmp-g-shown', runId: run.runId, round: 0 },
      deps,
    );

    const running = await getCampaign(officer, 'cmp-g-shown', apiDeps(shown));

    expect(running.groupSends).toMatchObject({
      runId: run.runId,
      groups: 4,
      counts: { sent: 2, created: 2 },
      householdsReached: 550,
    });
    const east = running.groupSends?.townships.find((t) => t.townshipId === 'chengdong');
    expect(east?.counts).toMatchObject({ sent: 2, created: 1 });
    expect(east?.grids.map((g) => [g.gridId, g.status])).toEqual([
      ['shown-k1', 'sent'],
      ['shown-k2', 'sent'],
      ['shown-k3', 'created'],
    ]);
    expectDocumented('GET /api/campaigns/{id}', running);

    world.clock.advance(72 * HOUR_MS);
    await pollGroupRun(
      { kind: 'outreach.poll_groups', campaignId: 'cmp-g-shown', runId: run.runId, round: 1 },
      deps,
    );
    const completed = await getCampaign(officer, 'cmp-g-shown', apiDeps(shown));

    expect(completed.campaign.status).toBe('completed');
    expect(completed.groupSends?.counts).toMatchObject({ sent: 2, not_sent: 2, created: 0 });
    expect(completed.effect?.reach).toEqual({ smsHouseholds: 0, groups: 2, groupHouseholds: 550 });
    expectDocumented('GET /api/campaigns/{id}', completed);
    world.clock.set('2026-12-07T10:00');
  });
});
