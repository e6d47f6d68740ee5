/**
 * The classifier's label source on the local runtime (issue 14 item 1): a report filed under the
 * wrong category is recategorised by its township's dispatcher through the staff API; the case
 * moves to the new category's owner, its timeline names the new category, and its text and label —
 * nothing else — become a training example in its month's partition. Only a dispatcher may do it
 * (an admin, who sees every case, is 409 `transition_not_allowed`; a unit handler or a grid worker
 * who cannot see the case is 404 `not_found`; a stale version is 409 `version_conflict`). Once the case is closed and its retention
 * period has run, the example goes with the reporter's words.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime.ts';
import { unitQueueName } from '../../infra/topology.ts';
import { createDocumentClient } from '../../shared/adapters/aws-clients.ts';
import { DynamoDbReportRetention } from '../../shared/adapters/dynamodb-report-retention.ts';
import { DynamoDbTrainingExamples } from '../../shared/adapters/dynamodb-training-examples.ts';
import { anonymiseReports } from '../../shared/services/anonymise-reports.ts';
import { receiveMatching } from '../support/queues.ts';
import { eventually, type StaffApi, staffApi } from '../support/staff-api.ts';

let rt: LocalRuntime;
let examples: DynamoDbTrainingExamples;
let staff: StaffApi;
const users = ['dispatcher.dongquan', 'handler.transport', 'grid.kangning', 'supervisor', 'admin'];

beforeAll(async () => {
  rt = await startLocalRuntime({ port: 0, memory: true, quiet: true });
  staff = staffApi(rt);
  await staff.signIn(users);
  examples = new DynamoDbTrainingExamples(
    createDocumentClient(rt.dynamoClient),
    rt.resources.tables.cases ?? '',
  );
});
afterAll(async () => {
  await rt?.stop();
});

const Receipt = z.object({ trackingCode: z.string() });
const Detail = z.object({
  version: z.number(),
  stage: z.string(),
  category: z.string(),
  unitId: z.string(),
  timeline: z.array(z.object({ action: z.string().optional(), category: z.string().optional() })),
});
const ErrorBody = z.object({ error: z.object({ code: z.string() }) });

const api = (path: string, user?: string, body?: unknown) => staff.request(path, { user, body });
const detail = async (id: string) => Detail.parse((await api(`/api/cases/${id}`, 'supervisor')).body);
const act = async (user: string, id: string, body: Record<string, unknown>) => {
  const { version } = await detail(id);
  return api(`/api/cases/${id}/transitions`, user, { ...body, expectedVersion: version });
};

describe('a recategorised case', () => {
  it('moves to the new owner, becomes a labelled example, and loses it when anonymised', async () => {
    const description = '村口那段路塌了一个大坑，三轮车差点翻进去';
    const posted = await fetch(`${rt.url}/api/reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        category: 'other',
        communityId: 'dongquan-weijiazhuang',
        description,
        contactPhone: '13700004444',
      }),
    });
    expect(posted.status).toBe(202);
    const { trackingCode } = Receipt.parse(await posted.json());
    const id = trackingCode.replaceAll('-', '');
    await eventually('the case at the township centre', async () =>
      (await api(`/api/cases/${id}`, 'supervisor')).status === 200 ? true : undefined,
    );
    const before = await detail(id);
    expect(before).toMatchObject({ category: 'other', unitId: 'centre-dongquan' });

    // Who may not: an admin (sees it, not theirs to correct); a handler or grid worker who cannot see it.
    const byAdmin = await act('admin', id, { action: 'recategorise', category: 'road' });
    expect(byAdmin.status).toBe(409);
    expect(ErrorBody.parse(byAdmin.body).error.code).toBe('transition_not_allowed');
    for (const user of ['handler.transport', 'grid.kangning']) {
      const refused = await act(user, id, { action: 'recategorise', category: 'road' });
      expect(refused.status).toBe(404);
      expect(ErrorBody.parse(refused.body).error.code).toBe('not_found');
    }
    const stale = await api(`/api/cases/${id}/transitions`, 'dispatcher.dongquan', {
      action: 'recategorise',
      category: 'road',
      expectedVersion: before.version - 1,
    });
    expect(stale.status).toBe(409);
    expect(ErrorBody.parse(stale.body).error.code).toBe('version_conflict');
    const badCategory = await act('dispatcher.dongquan', id, { action: 'recategorise', category: 'roads' });
    expect(badCategory.status).toBe(400);

    const done = await act('dispatcher.dongquan', id, {
      action: 'recategorise',
      category: 'road',
      note: '是路面塌陷',
    });
    expect(done.status).toBe(200);
    const after = await detail(id);
    expect(after).toMatchObject({ category: 'road', unitId: 'transport', stage: 'dispatched' });
    expect(after.timeline.at(-1)).toMatchObject({ action: 'recategorise', category: 'road' });
    const delivered = await receiveMatching(rt.sqsClient, rt.queueUrl(unitQueueName('transport')), (b) =>
      b.includes(id),
    );
    expect(delivered).toBeDefined();

    const month = new Date().toISOString().slice(0, 7);
    const example = await eventually('the labelled example', async () =>
      (await examples.examplesOfMonth(month)).find((e) => e.trackingCode === id),
    );
    expect(example).toEqual({ trackingCode: id, text: description, label: 'road' });

    for (const [user, body] of [
      ['handler.transport', { action: 'accept' }],
      ['handler.transport', { action: 'resolve', note: '已回填' }],
      ['supervisor', { action: 'verify' }],
      ['supervisor', { action: 'close' }],
    ] as const) {
      expect((await act(user, id, body)).status).toBe(200);
    }
    const aYearOn = new Date(Date.now() + 400 * 86_400_000);
    const run = await anonymiseReports({
      retention: new DynamoDbReportRetention(
        createDocumentClient(rt.dynamoClient),
        rt.resources.tables.cases ?? '',
      ),
      retentionDays: 365,
      now: () => aYearOn,
    });
    expect(run.anonymised).toContain(id);
    expect((await examples.examplesOfMonth(month)).some((e) => e.trackingCode === id)).toBe(false);
  });
});
