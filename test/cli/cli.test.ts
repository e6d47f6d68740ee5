/**
 * The CLI, run as a real process against the local runtime the way a department would use it:
 * `queue pull` (the reference department consumer), `directory seed` and `logins`; `--data-dir`
 * finds a runtime started with `npm start -- --data-dir DIR`.
 */
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import type { LocalRuntime } from '../../infra/local/runtime.ts';
import { unitQueueName } from '../../infra/topology.ts';
import { CaseDispatched } from '../../shared/domain/case.ts';
import { type CliRuntime, startCliRuntime } from '../support/cli-runtime.ts';
import { queueDepth } from '../support/queues.ts';

const Receipt = z.object({ trackingCode: z.string() });

let rt: LocalRuntime;
let cli: CliRuntime['cli'];
let runtimeFile = '';

beforeAll(async () => {
  ({ rt, cli, runtimeFile } = await startCliRuntime());
});
afterAll(async () => {
  await rt?.stop();
});

const submit = async (description: string) => {
  const response = await fetch(`${rt.url}/api/reports`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ category: 'assistance', communityId: 'dongquan-weijiazhuang', description }),
  });
  return Receipt.parse(await response.json()).trackingCode.replaceAll('-', '');
};

describe('queue pull', () => {
  it('prints each routed case as one JSON line with --json, and --peek leaves them on the queue', async () => {
    const codes = [await submit('独居老人需要探访'), await submit('低保申请没人受理')];
    const { stdout } = await cli(
      'queue',
      'pull',
      '--unit',
      'civil-affairs',
      '--json',
      '--peek',
      '--wait',
      '5',
      '--max',
      '2',
    );
    const printed = stdout
      .trim()
      .split('\n')
      .map((line) => CaseDispatched.parse(JSON.parse(line)));
    expect(printed.map((c) => c.trackingCode).sort()).toEqual([...codes].sort());
    expect(printed.every((c) => c.unitId === 'civil-affairs')).toBe(true);
    expect(await queueDepth(rt.sqsClient, rt.queueUrl(unitQueueName('civil-affairs')))).toBe(2);
  });

  it('deletes what it printed without --peek, so a second pull finds nothing', async () => {
    const { stdout, stderr } = await cli('queue', 'pull', '--unit', 'civil-affairs', '--wait', '2');
    expect(stdout.trim().split('\n')).toHaveLength(2);
    expect(stdout).toMatch(/assistance/);
    expect(stderr).toMatch(/2 case\(s\) from civil-affairs/);
    const again = await cli('queue', 'pull', '--unit', 'civil-affairs', '--wait', '1', '--json');
    expect(again.stdout.trim()).toBe('');
  });

  it('fails with a clear message for a unit that has no queue', async () => {
    await expect(cli('queue', 'pull', '--unit', 'no-such-unit', '--wait', '0')).rejects.toMatchObject({
      stderr: expect.stringContaining('unit no-such-unit has no queue'),
    });
  });
});

describe('directory seed', () => {
  it('writes the demo organisation into the directory table and says what it wrote', async () => {
    const { stderr } = await cli('directory', 'seed');
    expect(stderr).toMatch(
      /seeded 26 units, 16 townships, 193 communities, 28 grids, \d+ routing rules, 11 service levels/,
    );
  });
});

describe('logins', () => {
  it('lists the demo logins npm start prints: a handler for urban management and a dispatcher per township centre', async () => {
    const { stdout } = await cli('logins');
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('Demo logins (local only, password civicloop-demo):');
    expect(stdout).toMatch(/^ {4}handler\.urban-management +unit_handler +城市管理局办理员$/m);
    expect(lines.filter((line) => /^ {4}dispatcher\.\S+ +centre_dispatcher /.test(line))).toHaveLength(16);
  });

  it('refuses logins with anything after it, printing the usage', async () => {
    await expect(cli('logins', 'all')).rejects.toMatchObject({
      stderr: expect.stringContaining('npm run cli -- logins'),
    });
  });
});

describe('--data-dir', () => {
  // The CLI as a person runs it: no CIVICLOOP_RUNTIME_FILE, only the flag.
  const { CIVICLOOP_RUNTIME_FILE: _, ...env } = process.env;
  const cliIn = (dataDir: string, ...args: string[]) =>
    promisify(execFile)(process.execPath, ['infra/cli/main.ts', ...args, '--data-dir', dataDir], { env });

  it('reaches the runtime whose data directory it names', async () => {
    const code = await submit('楼道灯坏了，老人晚上看不见');
    const { stdout } = await cliIn(
      dirname(runtimeFile),
      'queue',
      'pull',
      '--unit',
      'civil-affairs',
      '--wait',
      '5',
      '--json',
    );
    expect(stdout).toContain(code);
  });

  it('names the file it looked for when no runtime was started there', async () => {
    const nowhere = join(dirname(runtimeFile), 'not-started');
    await expect(
      cliIn(nowhere, 'queue', 'pull', '--unit', 'civil-affairs', '--wait', '0'),
    ).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining(`no ${join(nowhere, 'local-runtime.json')}`),
    });
  });
});
