/**
 * The cost bench adds to dynalite's consumed capacity what DynamoDB bills for the global secondary
 * indexes a write touches. Checked through dynalite on the real cases table (six sparse indexes,
 * ALL projection) with the SDK asking for `ReturnConsumedCapacity: TOTAL`, as the functions do
 * under the bench.
 */
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topology } from '../../infra/topology.ts';
import { type EmulatedTables, emulatedTables } from '../support/emulated-tables.ts';
import { IndexWriteCapacity, indexWrites } from './index-write-capacity.ts';

let env: EmulatedTables;
let table = '';
let capacity: IndexWriteCapacity;
let uninstall: () => void = () => undefined;

beforeAll(async () => {
  env = await emulatedTables();
  table = env.tables.cases ?? '';
  capacity = new IndexWriteCapacity(
    new Map(
      topology.tables.map((t) => [
        `civicloop-${t.name}`,
        t.indexes.map((i) => ({
          name: i.name,
          keys: [i.partitionKey.name, i.sortKey?.name ?? ''].filter(Boolean),
        })),
      ]),
    ),
    (operation) => operation,
  );
  uninstall = capacity.install();
});
afterAll(async () => {
  uninstall();
  await env?.stop();
});

/** Write units DynamoDB would report for one request (the bench's figure), and the tally's rows. */
async function unitsOf(
  send: (db: DynamoDBDocumentClient) => Promise<{ ConsumedCapacity?: { CapacityUnits?: number } }>,
) {
  capacity.reset();
  const out = await send(env.db);
  return { consumed: out.ConsumedCapacity?.CapacityUnits, rows: capacity.snapshot() };
}

const laneKeys = (code: string, lane: 'open' | 'done') => ({
  unitLane: `UNIT#transport#${lane}`,
  countyLane: `COUNTY#${lane}`,
  laneSk: `2026-12-01T00:00:00.000Z#${code}`,
});

describe('index writes added to the capacity dynalite reports', () => {
  it('bills a new item once on the table and once in each index it enters', async () => {
    const { consumed, rows } = await unitsOf((db) =>
      db.send(
        new PutCommand({
          TableName: table,
          Item: { pk: 'CASE#A', sk: 'STATE', ...laneKeys('A', 'open'), note: 'x' },
          ReturnConsumedCapacity: 'TOTAL',
        }),
      ),
    );
    expect(consumed).toBe(3);
    expect(rows.map((r) => [r.target, r.kind, r.units]).sort()).toEqual([
      ['(table)', 'table', 1],
      ['byCounty', 'index put', 1],
      ['byUnit', 'index put', 1],
    ]);
  });

  it('bills a changed attribute once in every index the item stays in, and a moved key twice', async () => {
    const { consumed, rows } = await unitsOf((db) =>
      db.send(
        new UpdateCommand({
          TableName: table,
          Key: { pk: 'CASE#A', sk: 'STATE' },
          UpdateExpression: 'SET unitLane = :lane, note = :note',
          ExpressionAttributeValues: { ':lane': 'UNIT#transport#done', ':note': 'y' },
          ReturnConsumedCapacity: 'TOTAL',
        }),
      ),
    );
    // Table 1, byCounty updated in place 1, byUnit deleted and put again 2.
    expect(consumed).toBe(4);
    expect(rows.find((r) => r.target === 'byUnit')).toMatchObject({ kind: 'index key change', units: 2 });
    expect(rows.find((r) => r.target === 'byCounty')).toMatchObject({ kind: 'index update', units: 1 });
  });

  it('bills nothing in the indexes when the write changes nothing', async () => {
    const { consumed } = await unitsOf((db) =>
      db.send(
        new UpdateCommand({
          TableName: table,
          Key: { pk: 'CASE#A', sk: 'STATE' },
          UpdateExpression: 'SET note = :note',
          ExpressionAttributeValues: { ':note': 'y' },
          ReturnConsumedCapacity: 'TOTAL',
        }),
      ),
    );
    expect(consumed).toBe(1);
  });

  it('bills a removed index key as one delete from that index', async () => {
    const { rows } = await unitsOf((db) =>
      db.send(
        new UpdateCommand({
          TableName: table,
          Key: { pk: 'CASE#A', sk: 'STATE' },
          UpdateExpression: 'REMOVE countyLane',
          ReturnConsumedCapacity: 'TOTAL',
        }),
      ),
    );
    expect(rows.find((r) => r.target === 'byCounty')).toMatchObject({ kind: 'index delete', units: 1 });
  });

  it('bills each index write per KB of the whole item, as an ALL projection stores it', async () => {
    const { consumed } = await unitsOf((db) =>
      db.send(
        new PutCommand({
          TableName: table,
          Item: { pk: 'CASE#B', sk: 'STATE', ...laneKeys('B', 'open'), note: 'x'.repeat(1500) },
          ReturnConsumedCapacity: 'TOTAL',
        }),
      ),
    );
    expect(consumed).toBe(6);
  });

  it('tallies a read with its own units and adds nothing to them', async () => {
    const { consumed, rows } = await unitsOf((db) =>
      db.send(
        new GetCommand({
          TableName: table,
          Key: { pk: 'CASE#B', sk: 'STATE' },
          ConsistentRead: true,
          ReturnConsumedCapacity: 'TOTAL',
        }),
      ),
    );
    expect(consumed).toBe(1);
    expect(rows).toEqual([
      expect.objectContaining({ target: '(table)', kind: 'read', purpose: 'GetItem', units: 1 }),
    ]);
  });

  it('leaves requests that do not ask for capacity alone', async () => {
    const { consumed, rows } = await unitsOf((db) =>
      db.send(new DeleteCommand({ TableName: table, Key: { pk: 'CASE#B', sk: 'STATE' } })),
    );
    expect(consumed).toBeUndefined();
    expect(rows).toEqual([]);
  });
});

describe('indexWrites', () => {
  const indexes = [{ name: 'byTimer', keys: ['timerPk', 'timerSk'] }];
  const unit = () => 1;

  it('writes nothing for an item in the index neither before nor after', () => {
    expect(indexWrites(indexes, { pk: { S: 'a' } }, { pk: { S: 'a' }, x: { S: '1' } }, unit)).toEqual([]);
  });

  it('needs every key of the index for the item to be in it', () => {
    expect(indexWrites(indexes, undefined, { timerPk: { S: 'TIMER' } }, unit)).toEqual([]);
  });
});
