/**
 * `stats rebuild`, run as a real CLI process against the local runtime (its endpoints written to a
 * runtime file named by CIVICLOOP_RUNTIME_FILE, as in cli.test.ts): the counters of reports routed
 * by the runtime itself, wiped and rebuilt from the cases.
 */
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import type { LocalRuntime } from '../../infra/local/runtime.ts';
import { createDocumentClient } from '../../shared/adapters/aws-clients.ts';
import { DynamoDbStatsStore } from '../../shared/adapters/dynamodb-stats-store.ts';
import type { StatsSnapshot } from '../../shared/domain/case-statistics.ts';
import { unitIds } from '../../shared/reference/county-structure.ts';
import { type CliRuntime, startCliRuntime } from '../support/cli-runtime.ts';
import { partitionSize, plantLegacyStatistics, wipeCounters } from '../support/stats-items.ts';

const Receipt = z.object({ trackingCode: z.string() });
const REPORTS = 3;

let rt: LocalRuntime;
let cli: CliRuntime['cli'];
let db: ReturnType<typeof createDocumentClient>;
let statsTable: string;
let live: StatsSnapshot;

const snapshot = () => new DynamoDbStatsStore(db, statsTable).snapshot(unitIds);

beforeAll(async () => {
  ({ rt, cli } = await startCliRuntime());
  db = createDocumentClient(rt.dynamoClient);
  statsTable = rt.resources.tables.stats ?? '';
  for (let i = 0; i < REPORTS; i++) {
    const response = await fetch(`${rt.url}/api/reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        category: 'road',
        communityId: 'dongquan-weijiazhuang',
        description: `路面塌陷 ${i}`,
      }),
    });
    Receipt.parse(await response.json());
  }
  // The runtime routes them in the background; poll (bounded) until their statistics are counted.
  for (let poll = 0; poll < 100; poll++) {
    live = await snapshot();
    if (live.byStage.dispatched === REPORTS) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  expect(live.byStage).toEqual({ dispatched: REPORTS });
});
afterAll(async () => {
  await rt?.stop();
});

describe('stats rebuild', () => {
  it('rebuilds wiped counters from the cases, with its progress on stderr', async () => {
    expect(await wipeCounters(db, statsTable)).toBeGreaterThan(0);
    expect((await snapshot()).byStage).toEqual({});

    const { stdout, stderr } = await cli('stats', 'rebuild');
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^rebuilding the statistics in \S+ from the cases in \S+$/m);
    expect(stderr).toMatch(/^page 1: \d+ case\(s\) read, \d+ change\(s\) recorded$/m);
    expect(stderr).toMatch(
      new RegExp(
        `^statistics rebuilt: ${REPORTS} case\\(s\\) read, ${REPORTS} change\\(s\\) recorded in \\d+ page\\(s\\)$`,
        'm',
      ),
    );
    expect(await snapshot()).toEqual(live);
  });

  it('says an earlier run is complete, rebuilds again with --restart, and changes nothing either way', async () => {
    const again = await cli('stats', 'rebuild');
    expect(again.stderr).toMatch(
      /already complete \(.+: 3 case\(s\) read, 3 change\(s\) recorded\); --restart/,
    );
    expect(again.stderr).not.toMatch(/^page /m);

    const restarted = await cli('stats', 'rebuild', '--restart');
    expect(restarted.stderr).toMatch(/^statistics rebuilt: 3 case\(s\) read/m);
    expect(await snapshot()).toEqual(live);
  });

  it('drops the legacy statistics with --drop-legacy, only once every case could be read (exit 1 until then)', async () => {
    const planted = await plantLegacyStatistics(db, statsTable, ['RB0000001', 'RB0000002']);
    const junk = { pk: 'CASE#RB9999999', sk: 'STATE', stage: 'lost' };
    await db.send(new PutCommand({ TableName: rt.resources.tables.cases, Item: junk }));

    await expect(cli('stats', 'rebuild', '--restart', '--drop-legacy')).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringMatching(
        /skipped CASE#RB9999999: not a readable case[\s\S]*1 case item\(s\) could not be read and are not counted; the legacy statistics are kept/,
      ),
    });
    expect(await partitionSize(db, statsTable, 'STATS')).toBe(planted);

    await db.send(
      new DeleteCommand({ TableName: rt.resources.tables.cases, Key: { pk: junk.pk, sk: junk.sk } }),
    );
    const { stderr } = await cli('stats', 'rebuild', '--restart', '--drop-legacy');
    expect(stderr).toMatch(new RegExp(`^dropped ${planted} legacy statistics item\\(s\\)$`, 'm'));
    expect(await partitionSize(db, statsTable, 'STATS')).toBe(0);
    expect(await snapshot()).toEqual(live);
  });

  it('exits 2 on a stray argument', async () => {
    await expect(cli('stats', 'rebuild', 'now')).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('stats rebuild [--restart] [--drop-legacy]'),
    });
  });
});
