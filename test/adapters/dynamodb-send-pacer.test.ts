/** The shared send pacer on dynalite: at most N sends per second across every sender, waiting for the next second. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbSendPacer } from '../../shared/adapters/dynamodb-send-pacer.ts';
import { type EmulatedTables, emulatedTables } from '../support/emulated-tables.ts';

let env: EmulatedTables;
beforeAll(async () => {
  env = await emulatedTables();
});
afterAll(async () => {
  await env?.stop();
});

describe('DynamoDbSendPacer', () => {
  it('admits the configured number per second and makes the next sender wait for the next second', async () => {
    let now = Date.parse('2026-12-01T02:00:00.250Z');
    const waits: number[] = [];
    const options = {
      messagesPerSecond: 2,
      now: () => now,
      // The clock moves by what the pacer waits, as it would in a real sender.
      sleep: async (ms: number) => {
        waits.push(ms);
        now += ms;
      },
    };
    // Two senders share the limit through the table.
    const a = new DynamoDbSendPacer(env.db, env.tables.outreach ?? '', options);
    const b = new DynamoDbSendPacer(env.db, env.tables.outreach ?? '', options);

    await a.acquire();
    await b.acquire();
    expect(waits).toEqual([]);
    await a.acquire();
    expect(waits).toEqual([750]);
    expect(new Date(now).toISOString()).toBe('2026-12-01T02:00:01.000Z');
    await b.acquire();
    expect(waits).toEqual([750]);
  });
});
