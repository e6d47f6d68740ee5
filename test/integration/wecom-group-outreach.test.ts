/**
 * A fraud alert to a community's grid WeChat groups through the local runtime (dynalite, fauxqs,
 * the WeChat Work simulator, the real functions): outreach staff preview and schedule it over the
 * API, the scheduler tick starts the run, plan-outreach creates one mass-send task per grid worker
 * (each naming their group), the grid workers confirm in the app (the simulator), and a polling
 * request — also one delivered twice — marks their groups sent, which the campaign shows per
 * township and grid. The tick firing again creates no second task.
 */
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import { demoOrganisation } from '../../infra/demo/demo-organisation.ts';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime.ts';
import type { WecomSimulator } from '../../infra/local/wecom-simulator.ts';
import { shanghaiLocal } from '../../shared/domain/outreach/shanghai-time.ts';
import { tickOutreach } from '../support/outreach.ts';

const COMMUNITY = 'chengdong-kangning';
const OWNERS = demoOrganisation.grids
  .filter((g) => g.communityId === COMMUNITY && g.group)
  .map((g) => g.group?.ownerUserId ?? '');

let rt: LocalRuntime;
let sim: WecomSimulator;
let token: string;

async function api(method: string, path: string, body?: unknown) {
  const res = await fetch(`${rt.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const tick = () => tickOutreach(rt);

const tasksOfCommunity = () => sim.massSends.filter((m) => OWNERS.includes(m.sender));

const GroupSends = z.object({
  groupSends: z.object({
    counts: z.object({ sent: z.number(), created: z.number() }),
    townships: z.array(
      z.object({
        townshipId: z.string(),
        grids: z.array(z.object({ gridId: z.string(), status: z.string() })),
      }),
    ),
  }),
});

beforeAll(async () => {
  rt = await startLocalRuntime({
    port: 0,
    memory: true,
    quiet: false,
    onError: (e) => console.error('RTERR', e),
  });
  if (!rt.wecom) throw new Error('the local runtime has no WeChat Work simulator');
  sim = rt.wecom;
  token = await rt.signInAs('outreach.police');
});
afterAll(async () => {
  await rt?.stop();
});

describe('a fraud alert to the grids’ WeChat groups', () => {
  let campaignId = '';

  it('is previewed with its groups and owners, and scheduled', async () => {
    expect(OWNERS.length).toBeGreaterThan(1);
    const plan = {
      title: '康宁社区网格群反诈预警',
      communityIds: [COMMUNITY],
      firstRunAt: shanghaiLocal(new Date()).dateTime,
      recurrence: { frequency: 'once' },
      channel: {
        kind: 'wecom_group',
        purpose: 'fraud_alert',
        text: '紧急提醒：近期有人冒充民警要求转账，请勿相信。',
      },
    };
    const preview = await api('POST', '/api/campaign-previews', plan);
    expect(preview.status).toBe(200);
    expect(preview.body.groups).toMatchObject({ groups: OWNERS.length, owners: OWNERS.length, atLimit: [] });

    const created = await api('POST', '/api/campaigns', { ...plan, schedule: true });
    expect(created.status).toBe(201);
    campaignId = z.object({ campaign: z.object({ campaignId: z.string() }) }).parse(created.body)
      .campaign.campaignId;
  });

  it('gives each grid worker one task naming their group, however often the tick fires', async () => {
    await tick();
    await vi.waitFor(() => expect(tasksOfCommunity()).toHaveLength(OWNERS.length), {
      timeout: 30_000,
      interval: 200,
    });
    await tick();

    expect(tasksOfCommunity().map((t) => t.groups.length)).toEqual(OWNERS.map(() => 1));
    expect(new Set(tasksOfCommunity().map((t) => t.sender))).toEqual(new Set(OWNERS));
    const view = GroupSends.parse((await api('GET', `/api/campaigns/${campaignId}`)).body);
    expect(view.groupSends.counts).toMatchObject({ created: OWNERS.length, sent: 0 });
  });

  it('shows the groups of the workers who confirmed as sent, per township and grid, after polling', async () => {
    const confirmed = tasksOfCommunity().slice(0, 2);
    for (const task of confirmed) sim.confirmMassSend(task.msgid, task.sender);
    const runs = z
      .object({ runs: z.array(z.object({ runId: z.string() })) })
      .parse((await api('GET', `/api/campaigns/${campaignId}`)).body).runs;
    const poll = JSON.stringify({
      kind: 'outreach.poll_groups',
      campaignId,
      runId: runs[0]?.runId,
      round: 0,
    });
    // The round's request delivered twice (the chain's own is held back 15 minutes).
    for (let i = 0; i < 2; i++) {
      await rt.sqsClient.send(
        new SendMessageCommand({ QueueUrl: rt.queueUrl('outreach-plan'), MessageBody: poll }),
      );
    }

    await vi.waitFor(
      async () => {
        const view = GroupSends.parse((await api('GET', `/api/campaigns/${campaignId}`)).body);
        expect(view.groupSends.counts).toMatchObject({ sent: 2, created: OWNERS.length - 2 });
      },
      { timeout: 30_000, interval: 300 },
    );
    const view = GroupSends.parse((await api('GET', `/api/campaigns/${campaignId}`)).body);
    const sentGrids = view.groupSends.townships.flatMap((t) => t.grids.filter((g) => g.status === 'sent'));
    expect(sentGrids.map((g) => g.gridId).sort()).toEqual(
      demoOrganisation.grids
        .filter((g) => confirmed.some((t) => t.sender === g.group?.ownerUserId))
        .map((g) => g.id)
        .sort(),
    );
    expect(tasksOfCommunity()).toHaveLength(OWNERS.length);
  });
});
