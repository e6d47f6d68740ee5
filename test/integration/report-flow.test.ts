/**
 * The walking skeleton end to end, on the real local runtime: the same handlers, dynalite and
 * fauxqs in this process, real SQS batch semantics between them.
 */
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime.ts';
import { unitQueueName } from '../../infra/topology.ts';
import { createDocumentClient } from '../../shared/adapters/aws-clients.ts';
import { CaseDispatched, CaseState } from '../../shared/domain/case.ts';
import { Catalog } from '../../shared/domain/catalog.ts';
import { receiveMatching } from '../support/queues.ts';

let rt: LocalRuntime;

beforeAll(async () => {
  rt = await startLocalRuntime({ port: 0, memory: true, quiet: true });
});
afterAll(async () => {
  await rt?.stop();
});

const Receipt = z.object({ trackingCode: z.string(), status: z.literal('received'), statusUrl: z.string() });
const ErrorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});
const Status = z.object({
  trackingCode: z.string(),
  stage: z.string(),
  category: z.string(),
  unit: z.object({ id: z.string(), zh: z.string(), en: z.string() }).nullable(),
  timeline: z.array(z.object({ stage: z.string(), at: z.string() })),
});

const postReport = (body: string, headers: Record<string, string>) =>
  fetch(`${rt.url}/api/reports`, { method: 'POST', body, headers });

const postJson = (report: unknown, headers: Record<string, string> = {}) =>
  postReport(JSON.stringify(report), { 'content-type': 'application/json', ...headers });

const canonical = (code: string) => code.replaceAll('-', '');

const routedTo = async (unitId: string, trackingCode: string) => {
  const message = await receiveMatching(rt.sqsClient, rt.queueUrl(unitQueueName(unitId)), (body) =>
    body.includes(canonical(trackingCode)),
  );
  return message ? CaseDispatched.parse(JSON.parse(message.Body ?? '')) : undefined;
};

const countCases = async () => {
  const db = createDocumentClient(rt.dynamoClient);
  const table = rt.resources.tables.cases;
  const out = await db.send(new ScanCommand({ TableName: table, Select: 'COUNT' }));
  return out.Count ?? 0;
};

const status = async (trackingCode: string) => {
  const response = await fetch(`${rt.url}/api/reports/${encodeURIComponent(trackingCode)}`);
  return { status: response.status, body: await response.json() };
};

describe('a resident report, end to end', () => {
  it('goes from POST /api/reports to the anti-fraud centre queue, and its status shows it dispatched there', async () => {
    const response = await postJson({
      category: 'fraud',
      communityId: 'chengdong-kangning',
      description: '有人冒充客服让我下载会议软件共享屏幕',
      contactPhone: '13900001111',
    });
    expect(response.status).toBe(202);
    const receipt = Receipt.parse(await response.json());
    expect(receipt.trackingCode).toMatch(/^[0-9A-Z]{3}-[0-9A-Z]{3}-[0-9A-Z]{3}$/);

    const routed = await routedTo('psb-antifraud', receipt.trackingCode);
    expect(routed).toMatchObject({
      category: 'fraud',
      communityId: 'chengdong-kangning',
      hasContactPhone: true,
    });

    const { status: code, body } = await status(receipt.trackingCode);
    expect(code).toBe(200);
    const view = Status.parse(body);
    expect(view.stage).toBe('dispatched');
    expect(view.unit?.id).toBe('psb-antifraud');
    expect(view.timeline.map((t) => t.stage)).toEqual(['received', 'registered', 'dispatched']);
    expect(JSON.stringify(body)).not.toMatch(/13900001111|会议软件/);
  });

  it('takes a form post from a browser without JavaScript and routes a street-light report in Chengdong to urban management', async () => {
    const form = new URLSearchParams({
      category: 'road',
      communityId: 'chengdong-kangning',
      description: '顺城路路灯不亮',
      contactPhone: '',
      lang: 'zh',
    });
    const response = await postReport(form.toString(), {
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'text/html,application/xhtml+xml',
    });
    expect(response.status).toBe(202);
    const html = await response.text();
    const code = /[0-9A-Z]{3}-[0-9A-Z]{3}-[0-9A-Z]{3}/.exec(html)?.[0];
    expect(code).toBeDefined();
    expect(await routedTo('urban-management', code ?? '')).toMatchObject({
      category: 'road',
      hasContactPhone: false,
    });
  });

  it('replays the first answer for a repeated Idempotency-Key and makes one case', async () => {
    const key = crypto.randomUUID();
    const report = { category: 'education', communityId: 'dongquan-weijiazhuang', description: '校车超载' };
    const first = Receipt.parse(await (await postJson(report, { 'idempotency-key': key })).json());
    const again = await postJson(report, { 'idempotency-key': key });
    expect(again.status).toBe(202);
    expect(Receipt.parse(await again.json()).trackingCode).toBe(first.trackingCode);

    expect(await routedTo('education', first.trackingCode)).toBeDefined();
    const duplicate = await receiveMatching(
      rt.sqsClient,
      rt.queueUrl(unitQueueName('education')),
      () => true,
      2,
    );
    expect(duplicate).toBeUndefined();
  });

  it('answers 409 when an Idempotency-Key is reused for a different report', async () => {
    const key = crypto.randomUUID();
    await postJson(
      { category: 'market', communityId: 'dongquan-weijiazhuang', description: '超市卖过期牛奶' },
      { 'idempotency-key': key },
    );
    const reused = await postJson(
      { category: 'market', communityId: 'dongquan-weijiazhuang', description: '另一件事' },
      { 'idempotency-key': key },
    );
    expect(reused.status).toBe(409);
    expect(ErrorBody.parse(await reused.json()).error.code).toBe('idempotency_conflict');
  });

  it('stores nothing for a bad, oversized or wrongly typed request', async () => {
    const before = await countCases();
    const bad = await postJson({ category: 'nope', communityId: 'chengdong-kangning', description: '' });
    expect(bad.status).toBe(400);
    expect((ErrorBody.parse(await bad.json()).error.issues ?? []).map((i) => i.path).sort()).toEqual([
      'category',
      'description',
    ]);
    const big = await postJson({
      category: 'other',
      communityId: 'chengdong-kangning',
      description: 'x'.repeat(17_000),
    });
    expect(big.status).toBe(413);
    const typed = await postReport('hello', { 'content-type': 'text/plain' });
    expect(typed.status).toBe(415);
    // A good report afterwards is the only new case once it has been routed.
    const ok = Receipt.parse(
      await (
        await postJson({
          category: 'heritage',
          communityId: 'dongquan-mengshan',
          description: '古庙墙体开裂',
        })
      ).json(),
    );
    expect(await routedTo('heritage', ok.trackingCode)).toBeDefined();
    expect((await countCases()) - before).toBe(2); // its STATE and REPORT items
  });

  it('makes one case when the same intake message is delivered twice', async () => {
    const message = {
      kind: 'report.submitted',
      trackingCode: 'D0P1CATE9',
      submissionId: crypto.randomUUID(),
      submittedAt: new Date().toISOString(),
      channel: 'web',
      report: { category: 'sanitation', communityId: 'dongquan-weijiazhuang', description: '垃圾站满了' },
    };
    const intake = rt.queueUrl('intake');
    await rt.sqsClient.send(
      new SendMessageCommand({ QueueUrl: intake, MessageBody: JSON.stringify(message) }),
    );
    await rt.sqsClient.send(
      new SendMessageCommand({ QueueUrl: intake, MessageBody: JSON.stringify(message) }),
    );
    expect(await routedTo('urban-management', 'D0P1CATE9')).toBeDefined();
    const view = Status.parse((await status('D0P-1CA-TE9')).body);
    expect(view.timeline.filter((t) => t.stage === 'registered')).toHaveLength(1);
    expect(view.timeline.filter((t) => t.stage === 'dispatched')).toHaveLength(1);
    const db = createDocumentClient(rt.dynamoClient);
    const items = await db.send(new ScanCommand({ TableName: rt.resources.tables.cases }));
    const states = (items.Items ?? [])
      .filter((i) => i.pk === 'CASE#D0P1CATE9' && i.sk === 'STATE')
      .map((i) => CaseState.parse(i));
    expect(states).toHaveLength(1);
    expect(states[0]?.version).toBe(2);
  });

  it('answers 400 naming communityId for a community the form does not offer, and stores nothing', async () => {
    const before = await countCases();
    const response = await postJson({ category: 'road', communityId: 'atlantis', description: '路面塌陷' });
    expect(response.status).toBe(400);
    const { error } = ErrorBody.parse(await response.json());
    expect(error.code).toBe('invalid_request');
    expect((error.issues ?? []).map((i) => i.path)).toEqual(['communityId']);
    expect(await countCases()).toBe(before);
  });

  it('sends a report on the intake queue from a community it does not know to the county centre for triage, never nowhere', async () => {
    // Only the web path knows the list; whatever else reaches intake is still placed somewhere.
    const message = {
      kind: 'report.submitted',
      trackingCode: 'ATRANT1S9',
      submissionId: crypto.randomUUID(),
      submittedAt: new Date().toISOString(),
      channel: 'sms',
      report: { category: 'road', communityId: 'atlantis', description: '路面塌陷' },
    };
    await rt.sqsClient.send(
      new SendMessageCommand({ QueueUrl: rt.queueUrl('intake'), MessageBody: JSON.stringify(message) }),
    );
    expect(await routedTo('county-centre', 'ATRANT1S9')).toMatchObject({
      routing: { kind: 'county_triage', reason: 'unknown_community' },
    });
  });

  it('answers 404 for a tracking code nobody was given, and for one that cannot be a code', async () => {
    expect((await status('ZZZ-ZZZ-ZZZ')).status).toBe(404);
    expect((await status('not a code')).status).toBe(404);
  });

  it('serves the catalogue the form is built from', async () => {
    const response = await fetch(`${rt.url}/api/catalog`);
    expect(response.status).toBe(200);
    const catalog = Catalog.parse(await response.json());
    expect(catalog.categories).toHaveLength(11);
    expect(catalog.townships).toHaveLength(16);
    expect(catalog.townships.flatMap((t) => t.communities)).toHaveLength(193);
    expect(JSON.stringify(catalog)).not.toContain('households');
  });
});
