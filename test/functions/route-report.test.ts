import { Logger } from '@aws-lambda-powertools/logger';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { SQSEvent } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import singleEvent from '../../events/sqs/report-submitted.json' with { type: 'json' };
import batchEvent from '../../events/sqs/report-submitted-batch.json' with { type: 'json' };
import { makeHandler } from '../../functions/route-report.ts';
import { SqsDispatchQueue } from '../../shared/adapters/sqs-queues.ts';
import { CaseDispatched } from '../../shared/domain/case.ts';
import type { Staff } from '../../shared/domain/staff.ts';
import { getCaseDetail } from '../../shared/services/case-queries.ts';
import { sweepCases } from '../../shared/services/sweep-cases.ts';
import { type CaseWork, emulatedCaseWork } from '../support/case-work.ts';
import { type InjectedFault, injectFault } from '../support/faults.ts';
import { lambdaContext } from '../support/lambda-context.ts';
import { drain } from '../support/queues.ts';

let work: CaseWork;
let faults: InjectedFault[] = [];

beforeAll(async () => {
  work = await emulatedCaseWork();
});
afterAll(async () => {
  await work?.stop();
});
afterEach(() => {
  for (const f of faults) f.remove();
  faults = [];
});

const handlerWith = (overrides: Partial<CaseWork['deps']> = {}) =>
  makeHandler({ logger: new Logger({ logLevel: 'SILENT' }), ...work.deps, ...overrides });

/** The sample event with its tracking code and submission replaced, so every test has its own case. */
let serial = 0;
function freshEvent(event: SQSEvent = singleEvent): { event: SQSEvent; codes: string[] } {
  const copy = structuredClone(event);
  const codes: string[] = [];
  for (const record of copy.Records) {
    const suffix = String(++serial).padStart(4, '0');
    record.body = record.body
      .replace(/"trackingCode":"([0-9A-Z]{5})[0-9A-Z]{4}"/, (_m, head: string) => {
        codes.push(`${head}${suffix}`);
        return `"trackingCode":"${head}${suffix}"`;
      })
      .replace(/"submissionId":"([0-9a-f-]{32})[0-9a-f]{4}"/, `"submissionId":"$1${suffix}"`);
  }
  return { event: copy, codes };
}

const route = (event: SQSEvent, handler = handlerWith()) =>
  handler(event, lambdaContext('civicloop-route-report'));

async function delivered(unitId: string) {
  return (await drain(work.sqs, work.queueUrl(unitId))).map((m) =>
    CaseDispatched.parse(JSON.parse(m.Body ?? '')),
  );
}

async function stateItem(code: string) {
  const { Item } = await work.db.send(
    new GetCommand({
      TableName: work.tables.cases,
      Key: { pk: `CASE#${code}`, sk: 'STATE' },
      ConsistentRead: true,
    }),
  );
  return Item;
}

const outboxEntries = (item: Record<string, unknown> | undefined) =>
  Object.keys(item ?? {}).filter((k) => k.startsWith('ob_'));

describe('route-report', () => {
  it('creates the case dispatched to the anti-fraud centre in one write, delivers it once and texts the reporter', async () => {
    const { event, codes } = freshEvent();
    const [code] = codes;
    work.outbox.clear();
    expect(await route(event)).toEqual({ batchItemFailures: [] });

    const [message, ...more] = await delivered('psb-antifraud');
    expect(more).toHaveLength(0);
    expect(message).toMatchObject({
      trackingCode: code,
      unitId: 'psb-antifraud',
      version: 2,
      hasContactPhone: true,
    });
    expect(JSON.stringify(message)).not.toContain('13812345678');

    const item = await stateItem(code ?? '');
    expect(item).toMatchObject({ stage: 'dispatched', version: 2, unitId: 'psb-antifraud' });
    expect(item?.timeline.map((e: { stage: string }) => e.stage)).toEqual([
      'received',
      'registered',
      'dispatched',
    ]);
    // The small state item never carries the text or the phone number, and nothing is left to do.
    expect(JSON.stringify(item)).not.toMatch(/安全账户|13812345678/);
    expect(outboxEntries(item)).toEqual([]);
    expect(item?.outboxPk).toBeUndefined();

    expect(work.outbox.messages().map((m) => `${m.to} ${m.body}`)).toEqual([
      expect.stringMatching(/^\+8613812345678 【平遥综治】您的反映.{11}已交县公安局反诈中心办理/),
    ]);
    const stats = await work.deps.stats.snapshot(['psb-antifraud']);
    expect(stats.byUnit['psb-antifraud']?.dispatched).toBeGreaterThanOrEqual(1);
  });

  it('reports only the bad record of a batch as failed and routes the others', async () => {
    const { event, codes } = freshEvent(batchEvent);
    const result = await route(event);
    expect(result).toEqual({
      batchItemFailures: [{ itemIdentifier: 'a1b2c3d4-0000-4000-8000-000000000003' }],
    });
    const states = await Promise.all(codes.map(stateItem));
    expect(states.map((s) => s?.stage)).toEqual(['dispatched', 'dispatched']);
    await drain(work.sqs, work.queueUrl('psb-antifraud'));
  });

  it('fails the record and creates nothing when the report cannot be saved', async () => {
    const { event, codes } = freshEvent();
    faults.push(
      injectFault(work.dynamo, {
        phase: 'before',
        matches: (c) =>
          c.commandName === 'PutItemCommand' && JSON.stringify(c.input).includes('"sk":"REPORT"'),
      }),
    );
    expect((await route(event)).batchItemFailures).toHaveLength(1);
    expect(await stateItem(codes[0] ?? '')).toBeUndefined();
    expect(await delivered('psb-antifraud')).toEqual([]);
  });

  it('records the case even when the unit queue refuses the delivery, and the sweeper delivers it once, later', async () => {
    const { event, codes } = freshEvent();
    const [code = ''] = codes;
    faults.push(
      injectFault(work.sqs, {
        phase: 'before',
        matches: (c) =>
          c.commandName === 'SendMessageCommand' && String(c.input.QueueUrl).includes('psb-antifraud'),
      }),
    );
    expect(await route(event)).toEqual({ batchItemFailures: [] });
    expect(await delivered('psb-antifraud')).toEqual([]);
    const waiting = await stateItem(code);
    expect(outboxEntries(waiting)).toEqual(['ob_v2e0']);

    const realNow = work.clock.now;
    work.clock.now = new Date(realNow.getTime() + 5 * 60_000);
    try {
      await sweepCases(work.deps);
      await sweepCases(work.deps);
    } finally {
      work.clock.now = realNow;
    }
    expect((await delivered('psb-antifraud')).map((m) => m.trackingCode)).toEqual([code]);
    expect(outboxEntries(await stateItem(code))).toEqual([]);
  });

  it('stops at the existing case when the message comes again: one case, one delivery, counted once', async () => {
    const { event, codes } = freshEvent();
    const [code = ''] = codes;
    const before = await work.deps.stats.snapshot(['psb-antifraud']);
    await route(event);
    await route(structuredClone(event));
    await Promise.all([route(structuredClone(event)), route(structuredClone(event))]);
    expect((await delivered('psb-antifraud')).map((m) => m.trackingCode)).toEqual([code]);
    const after = await work.deps.stats.snapshot(['psb-antifraud']);
    expect(
      (after.byUnit['psb-antifraud']?.dispatched ?? 0) - (before.byUnit['psb-antifraud']?.dispatched ?? 0),
    ).toBe(1);
  });

  it('refuses a tracking code that belongs to another submission, leaving it for the DLQ', async () => {
    const { event } = freshEvent();
    await route(event);
    const other = structuredClone(event);
    for (const r of other.Records)
      r.body = r.body.replace(
        /"submissionId":"[^"]+"/,
        '"submissionId":"11111111-2222-4333-8444-555555555555"',
      );
    expect((await route(other)).batchItemFailures).toHaveLength(1);
    expect(await delivered('psb-antifraud')).toHaveLength(1);
  });

  it('sends a case for a unit without a queue to the county centre rather than nowhere', async () => {
    const { event, codes } = freshEvent();
    const partial = handlerWith({
      dispatch: new SqsDispatchQueue(work.sqs, { 'county-centre': work.queueUrl('county-centre') }),
    });
    await route(event, partial);
    expect(await stateItem(codes[0] ?? '')).toMatchObject({
      unitId: 'county-centre',
      routing: { kind: 'county_triage', reason: 'unit_has_no_queue' },
    });
    expect((await delivered('county-centre')).map((m) => m.trackingCode)).toEqual(codes);
  });

  it('offers open reports of the same category in the same community as likely duplicates when staff open a case', async () => {
    const first = freshEvent();
    const second = freshEvent();
    await route(first.event);
    await route(second.event);
    await delivered('psb-antifraud');
    const supervisor: Staff = { role: 'county_supervisor', userId: 'supervisor-1', name: '县综治中心' };
    const detail = await getCaseDetail(supervisor, second.codes[0] ?? '', work.deps);
    expect(detail.possibleDuplicates).toContain(first.codes[0]);
    expect(detail.possibleDuplicates).not.toContain(second.codes[0]);
  });
});
