/**
 * Residents type emoji, and some names need characters beyond U+FFFF (𠮷, 𠀀). SQS carries any
 * valid Unicode; locally fauxqs would refuse them but for the bridge at the runtime's SQS endpoint
 * (infra/local/sqs-emulator-bridge.ts). On the real local runtime: the text survives intake, the
 * router and the unit's queue exactly, and every SQS client the runtime hands out goes through
 * that one bridge.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime.ts';
import { unitQueueName } from '../../infra/topology.ts';
import { createSqsClient } from '../../shared/adapters/aws-clients.ts';
import { SqsDispatchQueue, SqsIntakeQueue, SqsOutreachQueue } from '../../shared/adapters/sqs-queues.ts';
import { CaseDispatched } from '../../shared/domain/case.ts';
import type { OutreachBatch } from '../../shared/domain/outreach/campaign.ts';
import type { ReportSubmitted } from '../../shared/domain/report.ts';
import { drain, receiveMatching } from '../support/queues.ts';

let rt: LocalRuntime;

beforeAll(async () => {
  rt = await startLocalRuntime({ port: 0, memory: true, quiet: true });
});
afterAll(async () => {
  await rt?.stop();
});

const Receipt = z.object({ trackingCode: z.string() });
const Detail = z.object({
  id: z.string(),
  stage: z.string(),
  report: z.object({ description: z.string(), address: z.string().optional() }).nullable(),
});
const Status = z.object({ trackingCode: z.string(), stage: z.string(), category: z.string() });

const description = '🚧 路口有坑，𠮷家的三轮车陷进去了 👨‍👩‍👧';
const address = '魏家庄村口 🏠 𠀀号';

describe('a report written in any Unicode', () => {
  it('keeps emoji and characters beyond U+FFFF exactly, from POST /api/reports to the unit and the case view', async () => {
    const response = await fetch(`${rt.url}/api/reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ category: 'road', communityId: 'dongquan-weijiazhuang', description, address }),
    });
    expect(response.status).toBe(202);
    const { trackingCode } = Receipt.parse(await response.json());
    const id = trackingCode.replaceAll('-', '');

    const message = await receiveMatching(rt.sqsClient, rt.queueUrl(unitQueueName('transport')), (body) =>
      body.includes(id),
    );
    expect(message, 'the case reached the transport bureau').toBeDefined();
    expect(CaseDispatched.parse(JSON.parse(message?.Body ?? ''))).toMatchObject({ description, address });

    const token = await rt.signInAs('handler.transport');
    const view = await fetch(`${rt.url}/api/cases/${id}`, { headers: { authorization: `Bearer ${token}` } });
    expect(view.status).toBe(200);
    expect(Detail.parse(await view.json())).toMatchObject({ id, report: { description, address } });

    const status = await fetch(`${rt.url}/api/reports/${trackingCode}`);
    expect(status.status).toBe(200);
    expect(Status.parse(await status.json())).toMatchObject({ stage: 'dispatched', category: 'road' });
  });

  it('goes through the one bridge from every SQS client: the functions’ intake, unit and outreach adapters alike', async () => {
    // The functions build their clients with createSqsClient, pointed by AWS_ENDPOINT_URL_SQS.
    expect(process.env.AWS_ENDPOINT_URL_SQS).toBe(rt.sqsEndpoint);
    const functionsClient = createSqsClient();
    // Dead-letter queues: real queues of the topology that no function consumes.
    const dlq = (queue: string) => {
      const url = rt.resources.deadLetterQueues[queue];
      if (!url) throw new Error(`no dead-letter queue for ${queue}`);
      return url;
    };
    const report: ReportSubmitted = {
      kind: 'report.submitted',
      trackingCode: 'K7M2QX9PA',
      submissionId: crypto.randomUUID(),
      submittedAt: new Date().toISOString(),
      channel: 'web',
      report: { category: 'road', communityId: 'dongquan-weijiazhuang', description, address },
    };
    const batch: OutreachBatch = {
      kind: 'outreach.batch',
      campaignId: 'campaign-🚨',
      runId: 'run-1',
      batchId: 'batch-𠀀',
      householdIds: ['household-𠮷'],
    };
    await new SqsIntakeQueue(functionsClient, dlq('intake')).enqueue(report);
    await new SqsOutreachQueue(functionsClient, dlq('outreach')).enqueue([batch]);
    const unitQueue = unitQueueName('transport');
    const dispatched: CaseDispatched = {
      kind: 'case.dispatched',
      trackingCode: 'K7M2QX9PA',
      version: 2,
      reason: 'routed',
      unitId: 'transport',
      category: 'road',
      communityId: 'dongquan-weijiazhuang',
      routing: { kind: 'rule', ruleId: 'road-county' },
      description,
      address,
      hasContactPhone: false,
      submittedAt: new Date().toISOString(),
      dispatchedAt: new Date().toISOString(),
    };
    await new SqsDispatchQueue(functionsClient, { transport: dlq(unitQueue) }).dispatch(
      'transport',
      dispatched,
    );
    functionsClient.destroy();

    const bodies = async (queue: string) =>
      (await drain(rt.sqsClient, dlq(queue))).map((m): unknown => JSON.parse(m.Body ?? ''));
    expect(await bodies('intake')).toEqual([report]);
    expect(await bodies('outreach')).toEqual([batch]);
    expect(await bodies(unitQueue)).toEqual([dispatched]);
  });
});
