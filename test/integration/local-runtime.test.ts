/**
 * The local runtime keeps SQS's and Lambda's promises: partial batch failures are redelivered
 * after the visibility timeout and end in the DLQ after maxReceiveCount; successes are deleted;
 * schedules tick. Exercised with small fixture functions on a fixture topology.
 */
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime.ts';
import type { Topology } from '../../infra/topology.ts';
import { drain, queueDepth, receiveMatching } from '../support/queues.ts';

const fixtureTopology: Topology = {
  tables: [],
  queues: [
    { name: 'work', visibilityTimeoutSeconds: 1, maxReceiveCount: 2, retentionDays: 1, consumer: 'function' },
    { name: 'out', visibilityTimeoutSeconds: 30, maxReceiveCount: 5, retentionDays: 1, consumer: 'external' },
    {
      name: 'ticks',
      visibilityTimeoutSeconds: 30,
      maxReceiveCount: 5,
      retentionDays: 1,
      consumer: 'external',
    },
  ],
  functions: [
    {
      name: 'flaky',
      entry: 'test/fixtures/flaky-consumer.ts',
      description: 'fails "fail" records',
      timeoutSeconds: 5,
      memoryMb: 128,
      triggers: [{ kind: 'queue', queue: 'work', batchSize: 10, maxBatchingWindowSeconds: 0 }],
      bindings: [{ kind: 'queue', queue: 'out', access: 'send', env: 'OUT_QUEUE_URL' }],
    },
  ],
};

const Forwarded = z.object({ body: z.string(), receiveCount: z.string() });

let rt: LocalRuntime;
beforeAll(async () => {
  rt = await startLocalRuntime({
    port: 0,
    memory: true,
    quiet: true,
    topology: fixtureTopology,
    pollerConcurrency: 1,
  });
});
afterAll(async () => {
  await rt?.stop();
});

describe('the local runtime', () => {
  it('deletes the records a consumer handled and redelivers only the failed one, until the DLQ takes it', async () => {
    const work = rt.queueUrl('work');
    for (const body of ['one', 'fail', 'two']) {
      await rt.sqsClient.send(new SendMessageCommand({ QueueUrl: work, MessageBody: body }));
    }
    const forwarded = [];
    for (const name of ['one', 'two']) {
      const message = await receiveMatching(rt.sqsClient, rt.queueUrl('out'), (b) => b.includes(`"${name}"`));
      forwarded.push(Forwarded.parse(JSON.parse(message?.Body ?? '{}')));
    }
    expect(forwarded.map((f) => f.receiveCount)).toEqual(['1', '1']);

    const dead = await receiveMatching(
      rt.sqsClient,
      rt.resources.deadLetterQueues.work ?? '',
      (b) => b === 'fail',
      15,
    );
    expect(dead?.Body).toBe('fail');
    expect(await queueDepth(rt.sqsClient, work)).toBe(0);
    expect(await drain(rt.sqsClient, rt.queueUrl('out'))).toEqual([]);
  });

  it('answers HTTP requests for routes it does not have with 404', async () => {
    const response = await fetch(`${rt.url}/api/nothing-here`);
    expect(response.status).toBe(404);
  });
});

describe('the local runtime schedules', () => {
  it('invokes a scheduled function on its interval', async () => {
    const ticking = await startLocalRuntime({
      port: 0,
      memory: true,
      quiet: true,
      topology: {
        tables: [],
        queues: [
          {
            name: 'out',
            visibilityTimeoutSeconds: 30,
            maxReceiveCount: 5,
            retentionDays: 1,
            consumer: 'external',
          },
        ],
        functions: [
          {
            name: 'ticker',
            entry: 'test/fixtures/ticker.ts',
            description: 'ticks',
            timeoutSeconds: 5,
            memoryMb: 128,
            // A fraction of a minute, for the test only; deployed schedules are whole minutes.
            triggers: [{ kind: 'schedule', everyMinutes: 0.005 }],
            bindings: [{ kind: 'queue', queue: 'out', access: 'send', env: 'OUT_QUEUE_URL' }],
          },
        ],
      },
    });
    try {
      const tick = await receiveMatching(
        ticking.sqsClient,
        ticking.queueUrl('out'),
        (b) => b === 'Scheduled Event',
      );
      expect(tick).toBeDefined();
    } finally {
      await ticking.stop();
    }
  });
});
