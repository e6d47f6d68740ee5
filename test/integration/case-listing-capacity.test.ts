/**
 * Listing a page of a unit's open cases reads the same DynamoDB capacity whether the table holds
 * 1,000 cases or 100,000: the list is an index query on the unit's own partition, never a scan.
 * Measured with the ConsumedCapacity dynalite reports, through the real adapter.
 */
import { BatchWriteItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '../../shared/adapters/aws-clients.ts';
import { indexKeysOf } from '../../shared/adapters/case-table-layout.ts';
import { DynamoDbCaseStore } from '../../shared/adapters/dynamodb-case-store.ts';
import type { CaseState } from '../../shared/domain/case.ts';
import { type EmulatedTables, emulatedTables } from '../support/emulated-tables.ts';

let env: EmulatedTables;
let dynamo: DynamoDBClient;
let table = '';
const consumed: { CapacityUnits: number }[] = [];

const caseFor = (i: number, unitId: string): CaseState => ({
  trackingCode: `A${String(i).padStart(8, '0')}`,
  submissionId: '0b6f1c8e-5d4a-4e8b-9c61-2f1f4f3a9b10',
  stage: 'dispatched',
  version: 2,
  category: 'road',
  communityId: 'dongquan-weijiazhuang',
  townshipId: 'dongquan',
  unitId,
  routing: { kind: 'rule', ruleId: 'road-county' },
  channel: 'web',
  submittedAt: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
  updatedAt: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
  timeline: [{ stage: 'dispatched', at: '2026-01-01T00:00:00.000Z', by: 'system:route-report', unitId }],
});

/** Writes cases straight to the table in parallel batches (fixture data, not the code under test). */
async function seed(from: number, to: number, unitOf: (i: number) => string) {
  const items = [];
  for (let i = from; i < to; i++) {
    const c = caseFor(i, unitOf(i));
    items.push({ pk: `CASE#${c.trackingCode}`, sk: 'STATE', ...c, ...indexKeysOf(c) });
  }
  const { marshall } = await import('@aws-sdk/util-dynamodb');
  const batches = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  const inFlight = 16;
  for (let i = 0; i < batches.length; i += inFlight) {
    await Promise.all(
      batches.slice(i, i + inFlight).map((batch) =>
        dynamo.send(
          new BatchWriteItemCommand({
            RequestItems: {
              [table]: batch.map((item) => ({
                PutRequest: { Item: marshall(item, { removeUndefinedValues: true }) },
              })),
            },
          }),
        ),
      ),
    );
  }
}

const otherUnits = ['psb', 'urban-management', 'heritage', 'education', 'civil-affairs', 'market-regulation'];

beforeAll(async () => {
  env = await emulatedTables();
  dynamo = env.dynamo;
  table = env.tables.cases ?? '';
  captureConsumedCapacity(dynamo);
}, 120_000);
afterAll(async () => {
  await env?.stop();
});

async function firstPageCapacity(): Promise<number> {
  consumed.length = 0;
  const page = await new DynamoDbCaseStore(createDocumentClient(dynamo), table).listCases(
    { kind: 'unit', unitId: 'transport', open: true },
    {},
    20,
  );
  expect(page.cases).toHaveLength(20);
  expect(page.cases.every((c) => c.unitId === 'transport')).toBe(true);
  expect(consumed).toHaveLength(1);
  return consumed[0]?.CapacityUnits ?? Number.NaN;
}

/** Asks for, and keeps, the capacity every index query consumed (the adapter itself does not ask). */
function captureConsumedCapacity(client: DynamoDBClient) {
  client.middlewareStack.add(
    (next) => async (args) => {
      const input = args.input;
      if (typeof input === 'object' && input !== null && 'IndexName' in input)
        Object.assign(input, { ReturnConsumedCapacity: 'TOTAL' });
      const result = await next(args);
      const output: unknown = result.output;
      if (typeof output === 'object' && output !== null && 'ConsumedCapacity' in output) {
        const capacity = output.ConsumedCapacity;
        if (typeof capacity === 'object' && capacity !== null && 'CapacityUnits' in capacity) {
          consumed.push({ CapacityUnits: Number(capacity.CapacityUnits) });
        }
      }
      return result;
    },
    { step: 'initialize', name: 'captureConsumedCapacity' },
  );
}

describe('listing a unit’s open cases', () => {
  it('costs the same read capacity with 1,000 or 100,000 cases in the table', async () => {
    // 1,000 cases: 100 of them the transport bureau's.
    await seed(0, 1_000, (i) => (i % 10 === 0 ? 'transport' : (otherUnits[i % otherUnits.length] ?? 'psb')));
    const small = await firstPageCapacity();
    // 99,000 more, none of them transport's.
    await seed(1_000, 100_000, (i) => otherUnits[i % otherUnits.length] ?? 'psb');
    const large = await firstPageCapacity();
    expect(small).toBeGreaterThan(0);
    expect(large).toBe(small);
  }, 600_000);
});
