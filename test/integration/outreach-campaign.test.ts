/**
 * A whole SMS campaign through the local runtime: outreach staff plan and schedule it over the
 * API, the scheduler tick starts the run (once, however often it fires), the planner queues the
 * community's households in batches, the sender texts them — and the outbox is checked message
 * by message: opted-out and capped households get nothing, everyone else exactly one message,
 * and a redelivered batch sends nothing again. And a preview's estimate is what the run sends:
 * households imported from CSV, some opted out by texting R, previewed, run, messages counted.
 */
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import { demoOrganisation } from '../../infra/demo/demo-organisation.ts';
import { inboundSmsEvent, LOCAL_SYSTEM_NUMBER } from '../../infra/local/phone-simulator.ts';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime.ts';
import { type Binding, type Topology, topology } from '../../infra/topology.ts';
import { createDocumentClient } from '../../shared/adapters/aws-clients.ts';
import { DynamoDbHouseholdRegistry } from '../../shared/adapters/dynamodb-household-registry.ts';
import { DynamoDbOutreachStore } from '../../shared/adapters/dynamodb-outreach-store.ts';
import { DynamoDbSmsState } from '../../shared/adapters/dynamodb-sms-state.ts';
import { localOutbox } from '../../shared/adapters/local-outbox.ts';
import type { Household } from '../../shared/domain/household.ts';
import { shanghaiLocal } from '../../shared/domain/outreach/shanghai-time.ts';
import { importHouseholds } from '../../shared/services/import-households.ts';
import { tickOutreach } from '../support/outreach.ts';
import { queueDepth } from '../support/queues.ts';

/** Quiet hours switched off, so the test means the same at any hour CI runs it. */
const neverQuiet: Topology = {
  ...topology,
  functions: topology.functions.map((fn) => ({
    ...fn,
    bindings: fn.bindings.map(
      (b): Binding =>
        b.kind === 'setting' && b.name === 'outreachQuietHours' ? { ...b, local: '00:00-00:00' } : b,
    ),
  })),
};

const COMMUNITY = 'chengdong-kangning';
const household = (n: number): Household => ({
  householdId: `it-hh-${String(n).padStart(4, '0')}`,
  communityId: COMMUNITY,
  phones: [`+86139${String(70_000_000 + n)}`],
});
const HOUSEHOLDS = Array.from({ length: 120 }, (_, i) => household(i + 1));
const OPTED_OUT = [HOUSEHOLDS[3], HOUSEHOLDS[57]].flatMap((h) => (h ? [h] : []));
const CAPPED = HOUSEHOLDS[99];

let rt: LocalRuntime;
let token: string;
let store: DynamoDbOutreachStore;

async function api(method: string, path: string, body?: unknown, as = token) {
  const res = await fetch(`${rt.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${as}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const tick = () => tickOutreach(rt);

beforeAll(async () => {
  rt = await startLocalRuntime({
    port: 0,
    memory: true,
    quiet: false,
    topology: neverQuiet,
    onError: (e) => console.error('RTERR', e),
  });
  const db = createDocumentClient(rt.dynamoClient);
  await new DynamoDbHouseholdRegistry(db, rt.resources.tables.households ?? '').upsert(HOUSEHOLDS);
  const sms = new DynamoDbSmsState(db, rt.resources.tables.sms ?? '');
  for (const h of OPTED_OUT) await sms.optOut(h.phones[0] ?? '', new Date().toISOString());
  store = new DynamoDbOutreachStore(db, rt.resources.tables.outreach ?? '');
  // This household had another campaign's SMS two days ago.
  if (CAPPED)
    await store.reserve(
      CAPPED.householdId,
      'earlier#run',
      new Date(Date.now() - 2 * 86_400_000),
      7 * 86_400_000,
    );
  token = await rt.signInAs('outreach.police');
});
afterAll(async () => {
  await rt?.stop();
});

describe('an SMS campaign to one community', () => {
  const body = '警惕冒充公检法的电话，公安机关不会要求转账到安全账户。';
  let campaignId = '';
  let runId = '';

  it('is created, previewed with its part count and scheduled by outreach staff', async () => {
    const plan = {
      title: '康宁社区反诈短信',
      communityIds: [COMMUNITY],
      // "Send now": the current minute, Asia/Shanghai.
      firstRunAt: shanghaiLocal(new Date()).dateTime,
      recurrence: { frequency: 'once' },
      channel: { kind: 'sms', signature: '平遥反诈', body },
    };
    const preview = await api('POST', '/api/campaign-previews', plan);
    expect(preview.status).toBe(200);
    expect(preview.body.message).toMatchObject({
      text: `【平遥反诈】${body}拒收请回复R`,
      encoding: 'UCS-2',
      parts: 1,
    });

    const created = await api('POST', '/api/campaigns', { ...plan, schedule: true });
    expect(created.status).toBe(201);
    const campaign = created.body.campaign as { campaignId: string; status: string };
    expect(campaign.status).toBe('scheduled');
    campaignId = campaign.campaignId;
  });

  it('refuses the same plan from a handler who is not outreach staff', async () => {
    const handler = await rt.signInAs('handler.antifraud');
    const res = await api('GET', '/api/outreach/risk', undefined, handler);
    expect(res.status).toBe(403);
  });

  it('starts exactly one run however often the tick fires', async () => {
    await Promise.all([tick(), tick(), tick()]);
    const runs = await store.listRuns(campaignId);
    expect(runs).toHaveLength(1);
    runId = runs[0]?.runId ?? '';
  });

  it('texts every household once, except the opted-out and the capped, and counts each outcome', async () => {
    const run = await vi.waitFor(
      async () => {
        const r = await store.getRun(campaignId, runId);
        if (r?.status !== 'completed') throw new Error(`run is ${r?.status}`);
        return r;
      },
      { timeout: 60_000, interval: 200 },
    );
    expect(run.counts).toMatchObject({
      enqueued: 120,
      sent: 117,
      optedOut: 2,
      capped: 1,
      failed: 0,
      deferred: 0,
    });

    const outreach = localOutbox()
      .messages()
      .filter((m) => m.purpose === 'outreach' && m.correlationId.startsWith(`${campaignId}#`));
    expect(outreach).toHaveLength(117);
    const skipped = new Set([...OPTED_OUT, CAPPED].map((h) => h?.phones[0]));
    for (const h of HOUSEHOLDS) {
      const phone = h.phones[0] ?? '';
      const toPhone = outreach.filter((m) => m.to === phone);
      if (skipped.has(phone)) {
        expect(toPhone, `${h.householdId} must get nothing`).toHaveLength(0);
      } else {
        expect(toPhone, `${h.householdId} gets one message`).toHaveLength(1);
        expect(toPhone[0]).toMatchObject({ body: `【平遥反诈】${body}拒收请回复R`, parts: 1 });
      }
    }

    const view = await api('GET', `/api/campaigns/${campaignId}`);
    expect((view.body.campaign as { status: string }).status).toBe('completed');
  });

  it('sends nothing again when a batch is redelivered', async () => {
    const before = localOutbox().messages().length;
    await rt.sqsClient.send(
      new SendMessageCommand({
        QueueUrl: rt.queueUrl('outreach'),
        MessageBody: JSON.stringify({
          kind: 'outreach.batch',
          campaignId,
          runId,
          batchId: '0.0',
          householdIds: HOUSEHOLDS.slice(0, 50).map((h) => h.householdId),
        }),
      }),
    );
    const replayed = await vi.waitFor(
      async () => {
        const r = await store.getRun(campaignId, runId);
        // The replayed batch is consumed when the queue is empty again.
        if ((await queueDepth(rt.sqsClient, rt.queueUrl('outreach'))) > 0)
          throw new Error('batch not consumed yet');
        return r;
      },
      { timeout: 30_000, interval: 200 },
    );
    expect(localOutbox().messages().length).toBe(before);
    expect(replayed?.counts.sent).toBe(117);
  });
});

describe("a campaign preview's estimate", () => {
  const community = 'chengxi-fengyi';
  const registered = Array.from({ length: 30 }, (_, i) => ({
    householdId: `est-hh-${String(i + 1).padStart(3, '0')}`,
    phone: `+86139${String(71_000_000 + i + 1)}`,
  }));
  const optingOut = registered.slice(0, 4);
  const body = '冒充客服要求退款、共享屏幕的都是诈骗。';
  const plan = () => ({
    title: '丰义社区反诈短信',
    communityIds: [community],
    firstRunAt: shanghaiLocal(new Date()).dateTime,
    recurrence: { frequency: 'once' },
    channel: { kind: 'sms', signature: '平遥反诈', body },
  });
  const Estimate = z.object({
    estimateSource: z.string(),
    estimate: z.object({
      households: z.number(),
      communities: z.array(z.object({ source: z.string(), households: z.number() }).loose()),
    }),
    message: z.object({ estimatedMessages: z.number() }).loose(),
  });

  it('is the directory figure before the registry is imported for the community', async () => {
    const preview = Estimate.parse((await api('POST', '/api/campaign-previews', plan())).body);
    const directory = demoOrganisation.communities.find((c) => c.id === community)?.households;
    expect(preview).toMatchObject({ estimateSource: 'directory', estimate: { households: directory } });
  });

  it('equals the messages the run then sends, once households are imported and some have texted R', async () => {
    const db = createDocumentClient(rt.dynamoClient);
    const csv = [
      'household_id,community_id,grid_id,phone,phone2,head_name',
      ...registered.map((h) => `${h.householdId},${community},,${h.phone},,`),
    ].join('\n');
    await importHouseholds(
      csv,
      demoOrganisation,
      new DynamoDbHouseholdRegistry(db, rt.resources.tables.households ?? ''),
      { optOuts: new DynamoDbSmsState(db, rt.resources.tables.sms ?? '') },
    );
    const receive = rt.functions.get('receive-sms');
    if (!receive) throw new Error('no receive-sms function');
    for (const h of optingOut)
      await receive.invoke(
        inboundSmsEvent({
          from: h.phone,
          to: LOCAL_SYSTEM_NUMBER,
          body: 'R',
          inboundMessageId: crypto.randomUUID(),
          at: new Date(),
        }),
      );

    const preview = Estimate.parse((await api('POST', '/api/campaign-previews', plan())).body);
    expect(preview).toMatchObject({
      estimateSource: 'registry',
      estimate: {
        households: registered.length - optingOut.length,
        communities: [{ source: 'registry', registered: 30, optedOut: 4, capped: 0 }],
      },
      message: { estimatedMessages: registered.length - optingOut.length },
    });

    const created = await api('POST', '/api/campaigns', { ...plan(), schedule: true });
    expect(created.status).toBe(201);
    const { campaignId } = z
      .object({ campaign: z.object({ campaignId: z.string() }) })
      .parse(created.body).campaign;
    await tick();
    const run = await vi.waitFor(
      async () => {
        const [r] = await store.listRuns(campaignId);
        if (r?.status !== 'completed') throw new Error(`run is ${r?.status}`);
        return r;
      },
      { timeout: 60_000, interval: 200 },
    );
    const sent = localOutbox()
      .messages()
      .filter((m) => m.purpose === 'outreach' && m.correlationId.startsWith(`${campaignId}#`));
    expect(sent).toHaveLength(preview.estimate.households);
    expect(run.counts).toMatchObject({ sent: preview.estimate.households, optedOut: optingOut.length });

    // Right after, the frequency cap holds every household the run reached.
    const after = Estimate.parse((await api('POST', '/api/campaign-previews', plan())).body);
    expect(after.estimate.communities).toEqual([
      expect.objectContaining({
        source: 'registry',
        households: 0,
        capped: registered.length - optingOut.length,
      }),
    ]);
  });
});
