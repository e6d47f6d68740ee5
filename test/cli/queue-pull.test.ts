/**
 * `queue pull`, the reference department consumer, as a real process against a persistent local
 * runtime — the way `npm start` runs, with fauxqs keeping its messages in a data directory, where
 * a message made visible again used to be lost. A peek leaves the queue as it was however many
 * messages it shows; a pull deletes exactly what it printed. Depth is counted as SQS reports it:
 * ApproximateNumberOfMessages + ApproximateNumberOfMessagesNotVisible.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import type { LocalRuntime } from '../../infra/local/runtime.ts';
import { unitQueueName } from '../../infra/topology.ts';
import { CaseDispatched } from '../../shared/domain/case.ts';
import { type CliRuntime, startCliRuntime } from '../support/cli-runtime.ts';
import { queueDepth } from '../support/queues.ts';

const Receipt = z.object({ trackingCode: z.string() });
const UNIT = 'civil-affairs';
const REPORTS = 13;

let dataDir: string;
let rt: LocalRuntime;
let cli: CliRuntime['cli'];
const codes: string[] = [];

const depth = () => queueDepth(rt.sqsClient, rt.queueUrl(unitQueueName(UNIT)));

const submit = async (description: string) => {
  const response = await fetch(`${rt.url}/api/reports`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ category: 'assistance', communityId: 'dongquan-weijiazhuang', description }),
  });
  return Receipt.parse(await response.json()).trackingCode.replaceAll('-', '');
};

/** The tracking codes a `--json` run printed, in order. */
const printedCodes = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => CaseDispatched.parse(JSON.parse(line)).trackingCode);

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'civicloop-queue-pull-'));
  ({ rt, cli } = await startCliRuntime({ dataDir }));
  for (let n = 1; n <= REPORTS; n++) codes.push(await submit(`独居老人需要探访（${n}）`));
  // The router delivers asynchronously; wait (bounded) until every case is on the unit's queue.
  await vi.waitFor(
    async () => {
      const d = await depth();
      if (d !== REPORTS) throw new Error(`${d} of ${REPORTS} cases on the queue`);
    },
    { timeout: 30_000, interval: 100 },
  );
});
afterAll(async () => {
  await rt?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('queue pull --peek', () => {
  it('shows each of more than ten cases once and leaves the queue exactly as deep as it was', async () => {
    expect(await depth()).toBe(REPORTS);
    const { stdout, stderr } = await cli('queue', 'pull', '--unit', UNIT, '--json', '--peek', '--wait', '1');
    const printed = printedCodes(stdout);
    expect(printed).toHaveLength(REPORTS);
    expect([...printed].sort()).toEqual([...codes].sort());
    expect(stderr).toBe('');
    expect(await depth()).toBe(REPORTS);
  });

  it('can be repeated: a second peek sees every case again, so the first one made them visible', async () => {
    const { stdout } = await cli('queue', 'pull', '--unit', UNIT, '--json', '--peek', '--wait', '1');
    expect([...printedCodes(stdout)].sort()).toEqual([...codes].sort());
    expect(await depth()).toBe(REPORTS);
  });

  it('leaves the queue as it was when it shows only a few (--max)', async () => {
    const { stdout, stderr } = await cli(
      'queue',
      'pull',
      '--unit',
      UNIT,
      '--peek',
      '--max',
      '3',
      '--wait',
      '1',
    );
    expect(stdout.trim().split('\n')).toHaveLength(3);
    expect(stderr).toMatch(/3 case\(s\) from civil-affairs \(peeked, left on the queue\)/);
    expect(await depth()).toBe(REPORTS);
  });
});

describe('queue pull', () => {
  it('deletes exactly the cases it printed, and the next pull gets the rest', async () => {
    const first = printedCodes(
      (await cli('queue', 'pull', '--unit', UNIT, '--json', '--max', '5', '--wait', '1')).stdout,
    );
    expect(first).toHaveLength(5);
    expect(await depth()).toBe(REPORTS - 5);

    const rest = printedCodes((await cli('queue', 'pull', '--unit', UNIT, '--json', '--wait', '1')).stdout);
    expect(rest).toHaveLength(REPORTS - 5);
    expect(rest.filter((code) => first.includes(code))).toEqual([]);
    expect([...first, ...rest].sort()).toEqual([...codes].sort());
    expect(await depth()).toBe(0);
  });
});
