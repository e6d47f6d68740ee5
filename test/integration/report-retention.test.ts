/**
 * The retention rule where residents and staff meet it, on the local runtime: a report posted to
 * the public API and taken through the loop by staff is, once its retention period has run,
 * still followed by its tracking code (same stages, a note that the reporter's data was
 * removed), still opened by staff (the marker where the words were, no phone, no address, no
 * notes), and still counted the same in the statistics.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime.ts';
import { unitQueueName } from '../../infra/topology.ts';
import { createDocumentClient } from '../../shared/adapters/aws-clients.ts';
import { DynamoDbReportRetention } from '../../shared/adapters/dynamodb-report-retention.ts';
import { ANONYMISED_DESCRIPTION } from '../../shared/domain/report-retention.ts';
import { anonymiseReports } from '../../shared/services/anonymise-reports.ts';
import { receiveMatching } from '../support/queues.ts';
import { type StaffApi, staffApi } from '../support/staff-api.ts';

let rt: LocalRuntime;
let staff: StaffApi;

beforeAll(async () => {
  rt = await startLocalRuntime({ port: 0, memory: true, quiet: true });
  staff = staffApi(rt);
  await staff.signIn(['handler.transport', 'supervisor']);
});
afterAll(async () => {
  await rt?.stop();
});

const Receipt = z.object({ trackingCode: z.string() });
const Status = z.object({
  trackingCode: z.string(),
  stage: z.string(),
  updatedAt: z.string(),
  timeline: z.array(z.object({ stage: z.string(), at: z.string() })),
  anonymisedAt: z.string().optional(),
});
const Detail = z.object({
  version: z.number(),
  stage: z.string(),
  timeline: z.array(
    z.object({ stage: z.string(), action: z.string().optional(), note: z.string().optional() }),
  ),
  report: z
    .object({
      description: z.string(),
      address: z.string().optional(),
      contactPhone: z.string().optional(),
      location: z.object({ lat: z.number(), lng: z.number() }).optional(),
    })
    .nullable(),
});

const api = (path: string, user?: string, body?: unknown) => staff.request(path, { user, body });

const detail = async (id: string) => Detail.parse((await api(`/api/cases/${id}`, 'supervisor')).body);
const act = async (user: string, id: string, body: Record<string, unknown>) => {
  const { version } = await detail(id);
  const answer = await api(`/api/cases/${id}/transitions`, user, { ...body, expectedVersion: version });
  expect(answer.status).toBe(200);
};

describe('a case past its retention period', () => {
  it('keeps its public status, its staff view and its statistics, without the reporter', async () => {
    const posted = await fetch(`${rt.url}/api/reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        category: 'road',
        communityId: 'dongquan-weijiazhuang',
        description: '村口路面塌陷，我叫赵志刚',
        contactPhone: '13700003333',
        address: '东关村二组14号',
        location: { lat: 37.205_55, lng: 112.171_11 },
      }),
    });
    expect(posted.status).toBe(202);
    const { trackingCode } = Receipt.parse(await posted.json());
    const id = trackingCode.replaceAll('-', '');
    const routed = await receiveMatching(rt.sqsClient, rt.queueUrl(unitQueueName('transport')), (b) =>
      b.includes(id),
    );
    expect(routed).toBeDefined();

    await act('handler.transport', id, { action: 'accept', note: '已电话联系赵志刚' });
    await act('handler.transport', id, { action: 'resolve', note: '已回填' });
    await act('supervisor', id, { action: 'verify' });
    await act('supervisor', id, { action: 'close', note: '赵先生确认' });

    const before = {
      status: Status.parse((await api(`/api/reports/${trackingCode}`)).body),
      detail: await detail(id),
      stats: (await api('/api/stats', 'supervisor')).body,
    };
    expect(before.detail.report).toMatchObject({ contactPhone: '+8613700003333', address: '东关村二组14号' });

    const aYearOn = new Date(Date.parse(before.status.updatedAt) + 366 * 86_400_000);
    const run = await anonymiseReports({
      retention: new DynamoDbReportRetention(
        createDocumentClient(rt.dynamoClient),
        rt.resources.tables.cases ?? '',
      ),
      retentionDays: 365,
      now: () => aYearOn,
    });
    expect(run.anonymised).toContain(id);

    const status = await api(`/api/reports/${trackingCode}`);
    expect(status.status).toBe(200);
    expect(Status.parse(status.body)).toEqual({ ...before.status, anonymisedAt: aYearOn.toISOString() });

    const after = await detail(id);
    expect(after.stage).toBe('closed');
    expect(after.version).toBe(before.detail.version);
    expect(after.report).toEqual({
      description: ANONYMISED_DESCRIPTION,
      location: { lat: 37.206, lng: 112.171 },
    });
    expect(after.timeline.map((e) => [e.stage, e.action])).toEqual(
      before.detail.timeline.map((e) => [e.stage, e.action]),
    );
    expect(after.timeline.some((e) => e.note !== undefined)).toBe(false);
    expect(JSON.stringify(after)).not.toMatch(/13700003333|赵|东关村/);

    expect((await api('/api/stats', 'supervisor')).body).toEqual(before.stats);
  });
});
