import { Logger } from '@aws-lambda-powertools/logger';
import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import singleEvent from '../../events/sqs/report-submitted.json' with { type: 'json' };
import batchEvent from '../../events/sqs/report-submitted-batch.json' with { type: 'json' };
import { makeHandler } from '../../functions/route-report.ts';
import { createDocumentClient } from '../../shared/adapters/aws-clients.ts';
import { DynamoDbCaseStore } from '../../shared/adapters/dynamodb-case-store.ts';
import { LocalOutbox } from '../../shared/adapters/local-outbox.ts';
import { SqsDispatchQueue } from '../../shared/adapters/sqs-queues.ts';
import { CaseDispatched, type CaseState } from '../../shared/domain/case.ts';
import { unitIds } from '../../shared/organisation/county-structure.ts';
import { demoOrganisation } from '../../shared/organisation/demo-organisation.ts';
import { demoPolicies } from '../../shared/organisation/demo-policies.ts';
import type { StatsChange, StatsStore } from '../../shared/ports/stats-store.ts';
import { lambdaContext } from '../support/lambda-context.ts';

const docMock = mockClient(DynamoDBDocumentClient);
const sqsMock = mockClient(SQSClient);

const queueUrls = Object.fromEntries(
  unitIds.map((id) => [id, `https://sqs.us-east-1.amazonaws.com/000000000000/unit-${id}`]),
);

const recorded: StatsChange[] = [];
const stats: StatsStore = {
  record: async (change) => {
    recorded.push(change);
  },
  snapshot: async () => {
    throw new Error('not used');
  },
};

const outbox = new LocalOutbox();

const handlerWith = (urls: Record<string, string>) =>
  makeHandler({
    logger: new Logger({ logLevel: 'SILENT' }),
    cases: new DynamoDbCaseStore(createDocumentClient(new DynamoDBClient({})), 'cases'),
    directory: { load: async () => demoOrganisation },
    policies: { loadPolicies: async () => demoPolicies },
    dispatch: new SqsDispatchQueue(new SQSClient({}), urls),
    stats,
    sender: outbox,
    notifications: { alreadySent: async () => false, recordSent: async () => undefined },
    now: () => new Date('2026-11-30T02:00:05Z'),
  });
const handler = handlerWith(queueUrls);

const route = (event: SQSEvent) => handler(structuredClone(event), lambdaContext('civicloop-route-report'));

const conditionFailed = () =>
  new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });

const registeredCase = (): CaseState => ({
  trackingCode: 'K7M2QX9PA',
  submissionId: '0b6f1c8e-5d4a-4e8b-9c61-2f1f4f3a9b10',
  stage: 'registered',
  version: 1,
  category: 'fraud',
  communityId: 'chengdong-kangning',
  townshipId: 'chengdong',
  unitId: 'psb-antifraud',
  routing: { kind: 'rule', ruleId: 'fraud-county' },
  channel: 'web',
  submittedAt: '2026-11-29T08:00:00.000Z',
  updatedAt: '2026-11-29T08:00:01.000Z',
  timeline: [
    { stage: 'received', at: '2026-11-29T08:00:00.000Z', by: 'channel:web' },
    {
      stage: 'registered',
      at: '2026-11-29T08:00:01.000Z',
      by: 'system:route-report',
      unitId: 'psb-antifraud',
    },
  ],
});

/** What DynamoDB answers to the dispatch update: the new state with its outbox. */
const dispatchedItem = () => ({
  pk: 'CASE#K7M2QX9PA',
  sk: 'STATE',
  ...registeredCase(),
  stage: 'dispatched',
  version: 2,
  effects: {
    v2: [
      { kind: 'dispatch', unitId: 'psb-antifraud', reason: 'routed' },
      { kind: 'notify_reporter', stage: 'dispatched' },
      {
        kind: 'stats',
        at: '2026-11-30T02:00:05.000Z',
        from: { stage: 'registered', unitId: 'psb-antifraud', since: '2026-11-29T08:00:01.000Z' },
        to: { stage: 'dispatched', unitId: 'psb-antifraud' },
      },
    ],
  },
});

const reportItem = {
  pk: 'CASE#K7M2QX9PA',
  sk: 'REPORT',
  trackingCode: 'K7M2QX9PA',
  submissionId: '0b6f1c8e-5d4a-4e8b-9c61-2f1f4f3a9b10',
  description: '有人冒充公安局打电话，让我把存款转到“安全账户”。',
  contactPhone: '+8613812345678',
};

const isTransition = (input: { UpdateExpression?: string }) =>
  input.UpdateExpression?.includes('list_append') ?? false;
const transitions = () => docMock.commandCalls(UpdateCommand).filter((c) => isTransition(c.args[0].input));

const dispatchedMessages = () =>
  sqsMock.commandCalls(SendMessageCommand).map((c) => ({
    queueUrl: c.args[0].input.QueueUrl,
    body: CaseDispatched.parse(JSON.parse(c.args[0].input.MessageBody ?? '')),
  }));

beforeEach(() => {
  docMock.reset();
  sqsMock.reset();
  recorded.length = 0;
  outbox.clear();
  docMock.on(PutCommand).resolves({});
  docMock.on(QueryCommand).resolves({ Items: [] });
  docMock.on(GetCommand, { Key: { sk: 'REPORT' } }).resolves({ Item: reportItem });
  docMock
    .on(UpdateCommand)
    .callsFake((input: { UpdateExpression?: string }) =>
      isTransition(input) ? { Attributes: dispatchedItem() } : {},
    );
  sqsMock.on(SendMessageCommand).resolves({ MessageId: 'sent' });
});

describe('route-report', () => {
  it('registers the case, sends it to the anti-fraud centre queue, then marks it dispatched', async () => {
    const result = await route(singleEvent);
    expect(result).toEqual({ batchItemFailures: [] });

    const puts = docMock.commandCalls(PutCommand).map((c) => c.args[0].input);
    expect(puts.map((p) => p.Item?.sk)).toEqual(['REPORT', 'STATE']);
    expect(puts[0]?.Item).toMatchObject({
      description: expect.stringContaining('安全账户'),
      contactPhone: '+8613812345678',
    });
    expect(puts[1]?.Item).toMatchObject({ stage: 'registered', version: 1, unitId: 'psb-antifraud' });
    // The small state item never carries the text or the phone number.
    expect(JSON.stringify(puts[1]?.Item)).not.toMatch(/安全账户|13812345678/);

    const [sent] = dispatchedMessages();
    expect(sent?.queueUrl).toBe(queueUrls['psb-antifraud']);
    expect(sent?.body).toMatchObject({
      trackingCode: 'K7M2QX9PA',
      unitId: 'psb-antifraud',
      version: 2,
      hasContactPhone: true,
    });
    expect(JSON.stringify(sent?.body)).not.toContain('13812345678');

    const [update] = transitions();
    expect(update?.args[0].input.ExpressionAttributeValues).toMatchObject({
      ':from': 'registered',
      ':expected': 1,
    });
    expect(recorded.map((r) => `${r.from.stage}→${r.to.stage}`)).toEqual(['registered→dispatched']);
    // The reporter left a phone: they are told which unit has it.
    expect(outbox.messages().map((m) => `${m.to} ${m.body}`)).toEqual([
      expect.stringMatching(/^\+8613812345678 【平遥综治】您的反映K7M-2QX-9PA已交县公安局反诈中心办理/),
    ]);
  });

  it('reports only the bad record of a batch as failed and routes the others', async () => {
    const result = await route(batchEvent);
    expect(result).toEqual({
      batchItemFailures: [{ itemIdentifier: 'a1b2c3d4-0000-4000-8000-000000000003' }],
    });
    expect(transitions()).toHaveLength(2);
  });

  it('fails the record and dispatches nothing when the report cannot be saved', async () => {
    docMock.on(PutCommand, { Item: { sk: 'REPORT' } }).rejects(new Error('ProvisionedThroughputExceeded'));
    const result = await route(singleEvent);
    expect(result.batchItemFailures).toHaveLength(1);
    expect(docMock.commandCalls(PutCommand, { Item: { sk: 'STATE' } })).toHaveLength(0);
    expect(sqsMock.commandCalls(SendMessageCommand)).toHaveLength(0);
  });

  it('fails the record and dispatches nothing when the case cannot be created', async () => {
    docMock.on(PutCommand, { Item: { sk: 'STATE' } }).rejects(new Error('InternalServerError'));
    const result = await route(singleEvent);
    expect(result.batchItemFailures).toHaveLength(1);
    expect(sqsMock.commandCalls(SendMessageCommand)).toHaveLength(0);
    expect(transitions()).toHaveLength(0);
  });

  it('keeps the delivery in the case outbox when the unit queue rejects it, and reports the record failed', async () => {
    sqsMock.on(SendMessageCommand).rejects(new Error('ServiceUnavailable'));
    expect((await route(singleEvent)).batchItemFailures).toHaveLength(1);
    // Dispatched and recorded; the effect was not cleared, so the sweeper (or the redelivery) sends it.
    expect(transitions()).toHaveLength(1);
    const clears = docMock
      .commandCalls(UpdateCommand)
      .filter((c) => c.args[0].input.UpdateExpression?.startsWith('REMOVE'));
    expect(clears.map((c) => c.args[0].input.ExpressionAttributeNames?.['#v'])).not.toContain('v2');
  });

  it('dispatches a case a crash left registered when the message comes again, without a second case', async () => {
    docMock.on(PutCommand, { Item: { sk: 'STATE' } }).rejects(conditionFailed());
    docMock
      .on(GetCommand, { Key: { sk: 'STATE' } })
      .resolves({ Item: { pk: 'CASE#K7M2QX9PA', sk: 'STATE', ...registeredCase() } });
    expect(await route(singleEvent)).toEqual({ batchItemFailures: [] });
    expect(dispatchedMessages()).toHaveLength(1);
    expect(transitions()).toHaveLength(1);
  });

  it('does nothing for a redelivered report whose case is already dispatched', async () => {
    docMock.on(PutCommand, { Item: { sk: 'STATE' } }).rejects(conditionFailed());
    docMock.on(GetCommand, { Key: { sk: 'STATE' } }).resolves({
      Item: { pk: 'CASE#K7M2QX9PA', sk: 'STATE', ...registeredCase(), stage: 'dispatched', version: 2 },
    });
    expect(await route(singleEvent)).toEqual({ batchItemFailures: [] });
    expect(sqsMock.commandCalls(SendMessageCommand)).toHaveLength(0);
    expect(transitions()).toHaveLength(0);
  });

  it('refuses a tracking code that belongs to another submission, leaving it for the DLQ', async () => {
    docMock.on(PutCommand, { Item: { sk: 'REPORT' } }).rejects(conditionFailed());
    expect((await route(singleEvent)).batchItemFailures).toHaveLength(1);
    expect(docMock.commandCalls(PutCommand, { Item: { sk: 'STATE' } })).toHaveLength(0);
    expect(sqsMock.commandCalls(SendMessageCommand)).toHaveLength(0);
  });

  it('offers open reports of the same category in the same community as likely duplicates', async () => {
    docMock.on(QueryCommand).resolves({
      Items: [
        {
          pk: 'CASE#R4D8WNC3E',
          sk: 'STATE',
          ...registeredCase(),
          trackingCode: 'R4D8WNC3E',
          stage: 'dispatched',
        },
      ],
    });
    await route(singleEvent);
    const query = docMock.commandCalls(QueryCommand)[0]?.args[0].input;
    expect(query).toMatchObject({
      IndexName: 'byCommunity',
      ExpressionAttributeValues: { ':pk': 'COMMUNITY#chengdong-kangning#open', ':category': 'fraud' },
    });
    expect(docMock.commandCalls(PutCommand, { Item: { sk: 'STATE' } })[0]?.args[0].input.Item).toMatchObject({
      possibleDuplicates: ['R4D8WNC3E'],
    });
  });

  it('sends a case for a unit without a queue to the county centre rather than nowhere', async () => {
    const partial = handlerWith({
      'county-centre': 'https://sqs.us-east-1.amazonaws.com/0/unit-county-centre',
    });
    await partial(structuredClone(singleEvent), lambdaContext());
    expect(docMock.commandCalls(PutCommand, { Item: { sk: 'STATE' } })[0]?.args[0].input.Item).toMatchObject({
      unitId: 'county-centre',
      routing: { kind: 'county_triage', reason: 'unit_has_no_queue' },
    });
  });
});
