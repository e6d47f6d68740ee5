import { Logger } from '@aws-lambda-powertools/logger';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as z from 'zod';
import formEvent from '../../events/http/submit-report-form.json' with { type: 'json' };
import invalidEvent from '../../events/http/submit-report-invalid.json' with { type: 'json' };
import jsonEvent from '../../events/http/submit-report-json.json' with { type: 'json' };
import idempotentEvent from '../../events/http/submit-report-json-idempotent.json' with { type: 'json' };
import malformedEvent from '../../events/http/submit-report-malformed-json.json' with { type: 'json' };
import unknownCommunityEvent from '../../events/http/submit-report-unknown-community.json' with {
  type: 'json',
};
import unsupportedEvent from '../../events/http/submit-report-unsupported-type.json' with { type: 'json' };
import { makeHandler } from '../../functions/submit-report.ts';
import { demoOrganisation } from '../../infra/demo/demo-organisation.ts';
import { DynamoDbSubmissionLedger } from '../../shared/adapters/dynamodb-submission-ledger.ts';
import { SqsIntakeQueue } from '../../shared/adapters/sqs-queues.ts';
import { PhonePolicySetting } from '../../shared/domain/phone-number.ts';
import { ReportSubmitted } from '../../shared/domain/report.ts';
import { hashReporterToken } from '../../shared/domain/reporter-token.ts';
import { pageText } from '../../shared/web/page-text.ts';
import { type EmulatedTables, emulatedTables } from '../support/emulated-tables.ts';
import { lambdaContext } from '../support/lambda-context.ts';
import { captureOutput } from '../support/logs.ts';

let env: EmulatedTables;
beforeAll(async () => {
  env = await emulatedTables();
});
afterAll(async () => {
  await env?.stop();
});

const sqsMock = mockClient(SQSClient);
const QUEUE_URL = 'https://sqs.us-east-1.amazonaws.com/000000000000/intake';

const handlerWith = (logger = new Logger({ logLevel: 'SILENT' })) =>
  makeHandler({
    logger,
    ledger: new DynamoDbSubmissionLedger(env.db, env.tables.idempotency ?? ''),
    directory: { load: async () => demoOrganisation },
    intake: new SqsIntakeQueue(new SQSClient({}), QUEUE_URL),
    now: () => new Date('2026-11-29T08:00:00Z'),
    randomBytes: (n) => new Uint8Array(n).fill(7),
    newId: () => '0b6f1c8e-5d4a-4e8b-9c61-2f1f4f3a9b10',
  });

const invoke = (event: APIGatewayProxyEventV2, handler = handlerWith()) =>
  handler(structuredClone(event), lambdaContext('civicloop-submit-report'));

const ErrorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});

const bodyOf = (response: { body?: string }): unknown => JSON.parse(response.body ?? 'null');

const sentMessages = () =>
  sqsMock
    .commandCalls(SendMessageCommand)
    .map((call) => ReportSubmitted.parse(JSON.parse(call.args[0].input.MessageBody ?? '')));

beforeEach(() => {
  sqsMock.reset();
  sqsMock.on(SendMessageCommand).resolves({ MessageId: 'm-1' });
});

describe('POST /api/reports', () => {
  it('answers 202 with a readable tracking code once the report is on the intake queue', async () => {
    const response = await invoke(jsonEvent);
    expect(response.statusCode).toBe(202);
    expect(bodyOf(response)).toEqual({
      trackingCode: '777-777-777',
      status: 'received',
      statusUrl: '/api/reports/777777777',
      // Shown once, stored only as a hash: the proof that lets this reporter rate the outcome.
      reporterToken: expect.stringMatching(/^[\w-]{24}$/),
    });
    const [message] = sentMessages();
    expect(message).toMatchObject({
      kind: 'report.submitted',
      trackingCode: '777777777',
      channel: 'web',
      report: { category: 'fraud', communityId: 'chengdong-kangning', contactPhone: '+8613812345678' },
      reporterTokenHash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(sqsMock.commandCalls(SendMessageCommand)[0]?.args[0].input.QueueUrl).toBe(QUEUE_URL);
  });

  it('accepts a plain HTML form post (base64-encoded, as the HTTP API delivers it) and answers with a page', async () => {
    const response = await invoke(formEvent);
    expect(response.statusCode).toBe(202);
    expect(response.headers?.['content-type']).toMatch(/text\/html/);
    expect(response.body).toContain('777-777-777');
    expect(sentMessages()[0]?.report).toEqual({
      category: 'road',
      communityId: 'chengdong-kangning',
      description: '南大街路灯不亮已经一周了',
      address: '南大街与顺城路口',
    });
  });

  it('answers 400 naming every bad field, and queues nothing', async () => {
    const response = await invoke(invalidEvent);
    expect(response.statusCode).toBe(400);
    const body = ErrorBody.parse(bodyOf(response));
    expect(body.error.code).toBe('invalid_request');
    const paths = (body.error.issues ?? []).map((i) => i.path).sort();
    expect(paths).toEqual(['category', 'communityId', 'contactPhone', 'description']);
    expect(sqsMock.commandCalls(SendMessageCommand)).toHaveLength(0);
  });

  it('answers 400 naming communityId for a community the form does not offer, and queues nothing', async () => {
    const response = await invoke(unknownCommunityEvent);
    expect(response.statusCode).toBe(400);
    const body = ErrorBody.parse(bodyOf(response));
    expect(body.error.code).toBe('invalid_request');
    expect(body.error.message).toContain('communityId');
    expect((body.error.issues ?? []).map((i) => i.path)).toEqual(['communityId']);
    expect(sqsMock.commandCalls(SendMessageCommand)).toHaveLength(0);
  });

  it('gives a browser without JavaScript its form back with the values kept and the problems named', async () => {
    const event = structuredClone(formEvent);
    event.body = Buffer.from(
      new URLSearchParams({
        category: 'road',
        communityId: 'chengdong-kangning',
        description: '',
        address: '南大街',
        lang: 'en',
      }).toString(),
    ).toString('base64');
    const response = await invoke(event);
    expect(response.statusCode).toBe(400);
    expect(response.headers?.['content-type']).toMatch(/text\/html/);
    expect(response.body).toContain('南大街');
    expect(response.body).toMatch(/<html[^>]+lang="en"/);
    expect(sqsMock.commandCalls(SendMessageCommand)).toHaveLength(0);
  });

  it('shows a browser without JavaScript the rating key once, with the warning to keep it', async () => {
    const response = await invoke(formEvent);
    expect(response.statusCode).toBe(202);
    const token = /id="reporter-token">([\w-]{24})</.exec(response.body ?? '')?.[1] ?? '';
    expect(token).not.toBe('');
    expect(response.body).toContain(pageText.zh.receiptTokenWarning);
    expect(response.body).toContain(`#rate=777777777&amp;token=${token}`);
    // The key it shows is the one whose hash goes with the report.
    expect(sentMessages()[0]?.reporterTokenHash).toBe(hashReporterToken(token));
  });

  describe('the contact phone, held to the numbers the county texts', () => {
    const withPhone = (contactPhone: unknown, extra: Record<string, unknown> = {}) => {
      const event = structuredClone(jsonEvent);
      event.body = JSON.stringify({
        category: 'fraud',
        communityId: 'chengdong-kangning',
        description: '有人冒充公安局让我转账',
        contactPhone,
        ...extra,
      });
      return event;
    };

    it.each([['138 1234 5678'], ['0086-138-1234-5678'], ['+86 13812345678']])(
      'takes %s as a mainland mobile and queues it in E.164',
      async (typed) => {
        const response = await invoke(withPhone(typed));
        expect(response.statusCode).toBe(202);
        expect(sentMessages()[0]?.report.contactPhone).toBe('+8613812345678');
      },
    );

    it.each([
      ['a foreign number', '+1 415 555 0100'],
      ['a premium-rate number', '+44 909 879 0000'],
      ['a landline', '010-6512-3456'],
      ['not a string', 13812345678],
    ])('answers 400 naming contactPhone in words for %s, and queues nothing', async (_what, phone) => {
      const response = await invoke(withPhone(phone));
      expect(response.statusCode).toBe(400);
      const body = ErrorBody.parse(bodyOf(response));
      expect(body.error.code).toBe('invalid_request');
      expect(body.error.issues).toEqual([
        { path: 'contactPhone', message: 'enter a mobile number we can text: 11 digits starting with 13–19' },
      ]);
      expect(sqsMock.commandCalls(SendMessageCommand)).toHaveLength(0);
    });

    it('still names every other bad field with it', async () => {
      const response = await invoke(withPhone('+1 415 555 0100', { description: '', category: 'nope' }));
      const paths = (ErrorBody.parse(bodyOf(response)).error.issues ?? []).map((i) => i.path).sort();
      expect(paths).toEqual(['category', 'contactPhone', 'description']);
    });

    it('takes what the deployment configures instead', async () => {
      const handler = makeHandler({
        logger: new Logger({ logLevel: 'SILENT' }),
        ledger: new DynamoDbSubmissionLedger(env.db, env.tables.idempotency ?? ''),
        directory: { load: async () => demoOrganisation },
        intake: new SqsIntakeQueue(new SQSClient({}), QUEUE_URL),
        phonePolicy: PhonePolicySetting.parse('+86 1[3-9]XXXXXXXXX, +852 [5679]XXXXXXX'),
        now: () => new Date('2026-11-29T08:00:00Z'),
        randomBytes: (n) => new Uint8Array(n).fill(7),
        newId: () => '0b6f1c8e-5d4a-4e8b-9c61-2f1f4f3a9b10',
      });
      expect((await invoke(withPhone('+852 5123 4567'), handler)).statusCode).toBe(202);
      expect(sentMessages()[0]?.report.contactPhone).toBe('+85251234567');
      const refused = await invoke(withPhone('+1 415 555 0100'), handler);
      expect(ErrorBody.parse(bodyOf(refused)).error.issues).toEqual([
        {
          path: 'contactPhone',
          message:
            'enter a mobile number we can text: 11 digits starting with 13–19, or +852 and 8 digits starting with 5, 6, 7 or 9',
        },
      ]);
    });
  });

  it('answers 400 to malformed JSON without echoing it', async () => {
    const response = await invoke(malformedEvent);
    expect(response.statusCode).toBe(400);
    expect(bodyOf(response)).toMatchObject({ error: { code: 'malformed_body' } });
    expect(response.body).not.toContain('"category": "fraud"');
    expect(sqsMock.commandCalls(SendMessageCommand)).toHaveLength(0);
  });

  it('answers 413 to a body over 16 KB before parsing it', async () => {
    const event = structuredClone(jsonEvent);
    event.body = JSON.stringify({
      category: 'other',
      communityId: 'chengdong-kangning',
      description: '长'.repeat(6000),
    });
    const response = await invoke(event);
    expect(response.statusCode).toBe(413);
    expect(bodyOf(response)).toMatchObject({ error: { code: 'payload_too_large' } });
    expect(sqsMock.commandCalls(SendMessageCommand)).toHaveLength(0);
  });

  it('answers 415 to an unsupported content type', async () => {
    const response = await invoke(unsupportedEvent);
    expect(response.statusCode).toBe(415);
    expect(bodyOf(response)).toMatchObject({ error: { code: 'unsupported_media_type' } });
    expect(sqsMock.commandCalls(SendMessageCommand)).toHaveLength(0);
  });

  it('answers 503 without a stack trace when the queue is down, so the resident can retry', async () => {
    sqsMock
      .on(SendMessageCommand)
      .rejects(new Error('ServiceUnavailable: internal detail at /var/task/index.mjs:1:1'));
    const response = await invoke(jsonEvent);
    expect(response.statusCode).toBe(503);
    expect(response.body).not.toMatch(/var\/task|internal detail|at /);
  });

  describe('with an Idempotency-Key', () => {
    const keyed = (key: string, body?: Record<string, unknown>) => {
      const event = structuredClone(idempotentEvent);
      event.headers['idempotency-key'] = key;
      if (body) event.body = JSON.stringify(body);
      return event;
    };
    const sample = JSON.parse(idempotentEvent.body ?? '{}');

    it('answers a retry with the same receipt and queues the same submission, which the router makes one case', async () => {
      const key = '1b6f8a52-2c1e-4a39-9a76-3c8a8f7e1d01';
      const first = await invoke(keyed(key));
      const again = await invoke(keyed(key));
      expect(first.statusCode).toBe(202);
      expect(again.statusCode).toBe(202);
      expect(bodyOf(again)).toEqual(bodyOf(first));
      const [a, b] = sentMessages();
      expect(b?.trackingCode).toBe(a?.trackingCode);
      expect(b?.submissionId).toBe(a?.submissionId);
      // Derived from the key, not from this process's random bytes.
      expect(bodyOf(first)).not.toMatchObject({ trackingCode: '777-777-777' });
    });

    it('answers 409 idempotency_conflict for the same key with another report, and queues nothing for it', async () => {
      const key = '2c7f9b63-2c1e-4a39-9a76-3c8a8f7e1d02';
      expect((await invoke(keyed(key))).statusCode).toBe(202);
      const other = await invoke(keyed(key, { ...sample, description: '另一件事' }));
      expect(other.statusCode).toBe(409);
      expect(ErrorBody.parse(bodyOf(other)).error.code).toBe('idempotency_conflict');
      expect(sentMessages()).toHaveLength(1);
    });

    it('answers 400 naming the header for a key that is not a random secret', async () => {
      const response = await invoke(keyed('1'));
      expect(response.statusCode).toBe(400);
      const { error } = ErrorBody.parse(bodyOf(response));
      expect(error.code).toBe('invalid_request');
      expect(error.issues?.map((i) => i.path)).toEqual(['Idempotency-Key']);
      expect(sentMessages()).toHaveLength(0);
    });

    it('stores only hashes: no tracking code, no reporter token, no key', async () => {
      const key = '3d8a0c74-2c1e-4a39-9a76-3c8a8f7e1d03';
      const receipt = bodyOf(await invoke(keyed(key)));
      const { Items = [] } = await env.db.send(new ScanCommand({ TableName: env.tables.idempotency }));
      const stored = JSON.stringify(Items);
      const { trackingCode, reporterToken } = z
        .object({ trackingCode: z.string(), reporterToken: z.string() })
        .parse(receipt);
      expect(stored).not.toContain(reporterToken);
      expect(stored).not.toContain(trackingCode.replaceAll('-', ''));
      expect(stored).not.toContain(key);
      expect(Items.length).toBeGreaterThan(0);
    });
  });

  it('never writes the phone number or the description to the logs', async () => {
    const output = captureOutput();
    try {
      await invoke(jsonEvent, handlerWith(new Logger({ logLevel: 'DEBUG' })));
      await invoke(invalidEvent, handlerWith(new Logger({ logLevel: 'DEBUG' })));
    } finally {
      output.restore();
    }
    const logs = output.text();
    expect(logs).toContain('report queued');
    expect(logs).not.toMatch(/13812345678|12345"|冒充公安局/);
  });
});
