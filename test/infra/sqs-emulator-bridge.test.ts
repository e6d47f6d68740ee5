/**
 * The bridge in front of fauxqs (infra/local/sqs-emulator-bridge.ts): its body encoding on its
 * own, then the emulators as the local runtime starts them — persistent, through the bridge —
 * spoken to with the plain SDK, which checks the MD5s itself.
 */
import { createHash } from 'node:crypto';
import diagnostics from 'node:diagnostics_channel';
import { mkdtempSync, rmSync } from 'node:fs';
import { ClientRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ChangeMessageVisibilityBatchCommand,
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  type Message,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { startFauxqs } from 'fauxqs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Emulators, startEmulators } from '../../infra/local/emulators.ts';
import { fromEmulatorBody, toEmulatorBody } from '../../infra/local/sqs-emulator-bridge.ts';
import { queueDepth } from '../support/queues.ts';

/** What fauxqs accepts in a body (the XML character set SQS documents, minus the astral planes). */
const ACCEPTED_BY_FAUXQS = /^[\t\n\r\x20-\uD7FF\uE000-\uFFFD]*$/;
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');
const clientFor = (endpoint: string) => new SQSClient({ endpoint, region: 'us-east-1', credentials });

describe('the body encoding', () => {
  const bodies = [
    JSON.stringify({ description: '🚧 路口有坑', address: '𠮷野家门口 👨‍👩‍👧' }),
    '𠀀𪚥𰻞 — CJK extension characters in a name',
    // Private-use characters, including the block the encoding uses and its escape character.
    '\ue000 \ue7ff \ue800 \ue800\ue000 \uf8ff 🚧\ue800',
  ];

  it.each(bodies)('stores %j as characters fauxqs accepts and reads it back exactly', (body) => {
    const stored = toEmulatorBody(body);
    expect(stored).toMatch(ACCEPTED_BY_FAUXQS);
    expect(fromEmulatorBody(stored)).toBe(body);
  });

  it('leaves a body without characters above U+FFFF or in its private-use block unchanged', () => {
    const body = JSON.stringify({ description: '路灯不亮，“安全账户”', n: 1, tab: '\t' });
    expect(toEmulatorBody(body)).toBe(body);
    expect(fromEmulatorBody(body)).toBe(body);
  });

  it('leaves a lone surrogate as it is, so the emulator refuses it as SQS refuses invalid Unicode', () => {
    expect(toEmulatorBody('a\ud83db')).toBe('a\ud83db');
    expect(toEmulatorBody('a\udea7b')).toBe('a\udea7b');
  });
});

describe('the local SQS endpoint', () => {
  let dataDir: string;
  let emulators: Emulators | undefined;
  let openClient: SQSClient | undefined;
  let queueUrl: string;

  /** The emulators on the test's data directory, and an SDK client on their SQS endpoint. */
  const start = async (): Promise<SQSClient> => {
    emulators = await startEmulators({ dataDir });
    openClient = clientFor(emulators.sqsEndpoint);
    return openClient;
  };
  const stop = async () => {
    openClient?.destroy();
    openClient = undefined;
    await emulators?.stop();
    emulators = undefined;
  };
  const startWithQueue = async (): Promise<SQSClient> => {
    const client = await start();
    ({ QueueUrl: queueUrl = '' } = await client.send(
      new CreateQueueCommand({ QueueName: `bridge-${crypto.randomUUID()}` }),
    ));
    return client;
  };
  const receiveAll = async (sqs: SQSClient, visibilityTimeout: number): Promise<Message[]> => {
    const all: Message[] = [];
    for (;;) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 1,
          VisibilityTimeout: visibilityTimeout,
        }),
      );
      if (Messages.length === 0) return all;
      all.push(...Messages);
    }
  };

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'civicloop-sqs-bridge-'));
  });
  afterEach(stop);
  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('delivers emoji and rare characters exactly as sent, one at a time or in a batch, with the MD5 SQS reports', async () => {
    const sqs = await startWithQueue();
    const one = JSON.stringify({ description: '🚧 路口有坑', address: '𠮷野家门口' });
    const batch = ['👍 已处理', '\ue800 private use, then 😀', 'plain'];
    const sent = await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: one }));
    expect(sent.MD5OfMessageBody).toBe(md5(one));
    const sentBatch = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: batch.map((MessageBody, n) => ({ Id: String(n), MessageBody })),
      }),
    );
    expect(sentBatch.Failed ?? []).toEqual([]);
    expect(sentBatch.Successful?.map((s) => s.MD5OfMessageBody)).toEqual(batch.map(md5));

    const received = await receiveAll(sqs, 30);
    expect(received.map((m) => m.Body).sort()).toEqual([one, ...batch].sort());
    for (const message of received) expect(message.MD5OfBody).toBe(md5(message.Body ?? ''));
  });

  it('is one hop that request counters in the process (the bench) see once per SQS call', async () => {
    const sqs = await startWithQueue();
    // What test/bench/aws-requests.ts listens to: every node:http request the process makes.
    const targets: unknown[] = [];
    const record = (message: unknown) => {
      const request =
        typeof message === 'object' && message !== null && 'request' in message && message.request;
      if (request instanceof ClientRequest) targets.push(request.getHeader('x-amz-target'));
    };
    diagnostics.subscribe('http.client.request.created', record);
    try {
      await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: '🚧' }));
    } finally {
      diagnostics.unsubscribe('http.client.request.created', record);
    }
    expect(targets).toEqual(['AmazonSQS.SendMessage']);
  });

  it('refuses a lone surrogate, as SQS does', async () => {
    const sqs = await startWithQueue();
    await expect(
      sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'broken \ud83d text' })),
    ).rejects.toMatchObject({ name: expect.stringMatching(/InvalidMessageContents/) });
  });

  it('makes messages visible again at once when their visibility is set to 0, and keeps them across a restart', async () => {
    const sqs = await startWithQueue();
    const bodies = Array.from({ length: 12 }, (_, n) => `case ${n} 🚧`);
    for (const body of bodies)
      await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
    expect(await queueDepth(sqs, queueUrl)).toBe(12);

    // Hidden for ten minutes: only the visibility change can bring them back within this test.
    const taken = await receiveAll(sqs, 600);
    expect(taken).toHaveLength(12);
    const [single, ...rest] = taken;
    await sqs.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: queueUrl,
        ReceiptHandle: single?.ReceiptHandle,
        VisibilityTimeout: 0,
      }),
    );
    for (let i = 0; i < rest.length; i += 10) {
      const changed = await sqs.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: queueUrl,
          Entries: rest
            .slice(i, i + 10)
            .map((m, n) => ({ Id: String(n), ReceiptHandle: m.ReceiptHandle, VisibilityTimeout: 0 })),
        }),
      );
      expect(changed.Failed ?? []).toEqual([]);
    }
    expect(await queueDepth(sqs, queueUrl)).toBe(12);
    expect((await receiveAll(sqs, 600)).map((m) => m.Body).sort()).toEqual([...bodies].sort());

    // The data directory agrees with what the emulator had in memory.
    await stop();
    expect(await queueDepth(await start(), queueUrl)).toBe(12);
  });

  it('is still needed: fauxqs on its own refuses emoji and loses a message made visible again', async () => {
    const raw = await startFauxqs({
      port: 0,
      host: 'localhost',
      logger: false,
      dataDir: join(dataDir, 'raw'),
    });
    const client = new SQSClient({
      endpoint: `http://127.0.0.1:${raw.port}`,
      region: 'us-east-1',
      credentials,
      maxAttempts: 1,
    });
    try {
      const { QueueUrl } = await client.send(new CreateQueueCommand({ QueueName: 'raw' }));
      await expect(
        client.send(new SendMessageCommand({ QueueUrl, MessageBody: '🚧' })),
      ).rejects.toMatchObject({ name: expect.stringMatching(/InvalidMessageContents/) });
      await client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'a case' }));
      const { Messages = [] } = await client.send(
        new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 1, VisibilityTimeout: 600 }),
      );
      await client
        .send(
          new ChangeMessageVisibilityCommand({
            QueueUrl,
            ReceiptHandle: Messages[0]?.ReceiptHandle,
            VisibilityTimeout: 0,
          }),
        )
        .catch(() => undefined);
      // If this ever reads 1, fauxqs has been fixed and the bridge's visibility rewrite can go.
      expect(await queueDepth(client, QueueUrl ?? '')).toBe(0);
    } finally {
      client.destroy();
      await raw.stop();
    }
  });
});
