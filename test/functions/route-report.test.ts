import { Logger } from '@aws-lambda-powertools/logger';
import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import singleEvent from '../../events/sqs/report-submitted.json' with { type: 'json' };
import batchEvent from '../../events/sqs/report-submitted-batch.json' with { type: 'json' };
import { makeHandler } from '../../functions/route-report.ts';
import { createDocumentClient } from '../../shared/adapters/aws-clients.ts';
import { DynamoDbCaseStore } from '../../shared/adapters/dynamodb-case-store.ts';
import { SqsDispatchQueue } from '../../shared/adapters/sqs-queues.ts';
import { CaseDispatched, type CaseState } from '../../shared/domain/case.ts';
import { unitIds } from '../../shared/organisation/county-structure.ts';
import { demoOrganisation } from '../../shared/organisation/demo-organisation.ts';
import { lambdaContext } from '../support/lambda-context.ts';

const docMock = mockClient(DynamoDBDocumentClient);
const sqsMock = mockClient(SQSClient);

const queueUrls = Object.fromEntries(
  unitIds.map((id) => [id, `https://sqs.us-east-1.amazonaws.com/000000000000/unit-${id}`]),
);

const handler = makeHandler({
  logger: new Logger({ logLevel: 'SILENT' }),
  cases: new DynamoDbCaseStore(createDocumentClient(new DynamoDBClient({})), 'cases'),
  directory: { load: async () => demoOrganisation },
  dispatch: new SqsDispatchQueue(new SQSClient({}), queueUrls),
  now: () => new Date('2026-11-29T08:00:05Z'),
});

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

const dispatchedMessages = () =>
  sqsMock.commandCalls(SendMessageCommand).map((c) => ({
    queueUrl: c.args[0].input.QueueUrl,
    body: CaseDispatched.parse(JSON.parse(c.args[0].input.MessageBody ?? '')),
  }));

beforeEach(() => {
  docMock.reset();
  sqsMock.reset();
  docMock.on(PutCommand).resolves({});
  docMock
    .on(UpdateCommand)
    .resolves({ Attributes: { ...registeredCase(), stage: 'dispatched', version: 2 } });
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
      hasContactPhone: true,
    });
    expect(JSON.stringify(sent?.body)).not.toContain('13812345678');

    const update = docMock.commandCalls(UpdateCommand)[0]?.args[0].input;
    expect(update?.ConditionExpression).toBe('#stage = :from AND #version = :expected');
    expect(update?.ExpressionAttributeValues).toMatchObject({
      ':from': 'registered',
      ':expected': 1,
      ':to': 'dispatched',
    });
  });

  it('reports only the bad record of a batch as failed and routes the others', async () => {
    const result = await route(batchEvent);
    expect(result).toEqual({
      batchItemFailures: [{ itemIdentifier: 'a1b2c3d4-0000-4000-8000-000000000003' }],
    });
    expect(
      dispatchedMessages()
        .map((m) => m.body.unitId)
        .sort(),
    ).toEqual(['psb-antifraud', 'transport']);
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
  });

  it('leaves the case registered when the unit queue rejects it, and dispatches it on redelivery without a second case', async () => {
    sqsMock
      .on(SendMessageCommand)
      .rejectsOnce(new Error('ServiceUnavailable'))
      .resolves({ MessageId: 'sent' });
    expect((await route(singleEvent)).batchItemFailures).toHaveLength(1);
    expect(docMock.commandCalls(UpdateCommand)).toHaveLength(0);

    // Redelivery: the case exists (the create is refused) and is still registered.
    docMock.on(PutCommand, { Item: { sk: 'STATE' } }).rejects(conditionFailed());
    docMock.on(GetCommand).resolves({ Item: { pk: 'CASE#K7M2QX9PA', sk: 'STATE', ...registeredCase() } });
    expect(await route(singleEvent)).toEqual({ batchItemFailures: [] });
    expect(dispatchedMessages()).toHaveLength(2);
    expect(docMock.commandCalls(UpdateCommand)).toHaveLength(1);
  });

  it('fails the record when recording the dispatch fails, and records it on redelivery', async () => {
    docMock.on(UpdateCommand).rejectsOnce(new Error('InternalServerError'));
    expect((await route(singleEvent)).batchItemFailures).toHaveLength(1);

    docMock.on(PutCommand, { Item: { sk: 'STATE' } }).rejects(conditionFailed());
    docMock.on(GetCommand).resolves({ Item: { pk: 'CASE#K7M2QX9PA', sk: 'STATE', ...registeredCase() } });
    docMock
      .on(UpdateCommand)
      .resolves({ Attributes: { ...registeredCase(), stage: 'dispatched', version: 2 } });
    expect(await route(singleEvent)).toEqual({ batchItemFailures: [] });
    expect(docMock.commandCalls(UpdateCommand).length).toBe(2);
  });

  it('does nothing for a redelivered report whose case is already dispatched', async () => {
    docMock.on(PutCommand, { Item: { sk: 'STATE' } }).rejects(conditionFailed());
    docMock.on(GetCommand).resolves({
      Item: { pk: 'CASE#K7M2QX9PA', sk: 'STATE', ...registeredCase(), stage: 'dispatched', version: 2 },
    });
    expect(await route(singleEvent)).toEqual({ batchItemFailures: [] });
    expect(sqsMock.commandCalls(SendMessageCommand)).toHaveLength(0);
    expect(docMock.commandCalls(UpdateCommand)).toHaveLength(0);
  });

  it('refuses a tracking code that belongs to another submission, leaving it for the DLQ', async () => {
    docMock.on(PutCommand, { Item: { sk: 'REPORT' } }).rejects(conditionFailed());
    expect((await route(singleEvent)).batchItemFailures).toHaveLength(1);
    expect(docMock.commandCalls(PutCommand, { Item: { sk: 'STATE' } })).toHaveLength(0);
    expect(sqsMock.commandCalls(SendMessageCommand)).toHaveLength(0);
  });

  it('sends a case for a unit without a queue to the county centre rather than nowhere', async () => {
    const partial = makeHandler({
      logger: new Logger({ logLevel: 'SILENT' }),
      cases: new DynamoDbCaseStore(createDocumentClient(new DynamoDBClient({})), 'cases'),
      directory: { load: async () => demoOrganisation },
      dispatch: new SqsDispatchQueue(new SQSClient({}), {
        'county-centre': 'https://sqs.us-east-1.amazonaws.com/0/unit-county-centre',
      }),
      now: () => new Date('2026-11-29T08:00:05Z'),
    });
    expect(await partial(structuredClone(singleEvent), lambdaContext())).toEqual({ batchItemFailures: [] });
    expect(dispatchedMessages()[0]?.body).toMatchObject({
      unitId: 'county-centre',
      routing: { kind: 'county_triage', reason: 'unit_has_no_queue' },
    });
  });
});
