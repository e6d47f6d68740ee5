/**
 * The sender's queue edge, fed the sample SQS event: each record on its own, a malformed one
 * reported back as a partial batch failure (naming the missing field in the log) while the good
 * one is sent.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import batchEvent from '../../events/sqs/outreach-batch-with-malformed.json' with { type: 'json' };
import { makeHandler } from '../../functions/send-outreach.ts';
import { type EmulatedTables, emulatedTables } from '../support/emulated-tables.ts';
import { lambdaContext } from '../support/lambda-context.ts';
import { captureOutput } from '../support/logs.ts';
import { type OutreachWorld, outreachWorld, startedSmsRun } from '../support/outreach.ts';

let env: EmulatedTables;
let world: OutreachWorld;

beforeAll(async () => {
  env = await emulatedTables();
  world = outreachWorld(env);
  world.clock.set('2026-12-08T10:00');
  await world.registry.upsert(
    ['hh-kangning-0001', 'hh-kangning-0002'].map((householdId, i) => ({
      householdId,
      communityId: 'chengdong-kangning',
      phones: [`+861390000100${i}`],
    })),
  );
  await startedSmsRun(world, 'cmp-events0001', 2);
});
afterAll(async () => {
  await env?.stop();
});

describe('the send-outreach function', () => {
  it('sends the good batch and reports only the malformed record for redelivery', async () => {
    const handler = makeHandler({ logger: new Logger({ logLevel: 'INFO' }), ...world.sendDeps });
    const event: SQSEvent = structuredClone(batchEvent);
    const output = captureOutput();
    const response = await handler(event, lambdaContext('civicloop-send-outreach')).finally(() =>
      output.restore(),
    );
    const logged = output.text();

    expect(response.batchItemFailures).toEqual([{ itemIdentifier: event.Records[1]?.messageId }]);
    expect(world.outbox.messages().filter((m) => m.purpose === 'outreach')).toHaveLength(2);
    expect(logged).toMatch(/outreach batch will be retried.*householdIds/);
    expect(logged).not.toMatch(/86139/);
  });
});
