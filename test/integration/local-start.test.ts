/**
 * `npm start` as a developer uses it, in a child process: it serves, prints the demo logins again
 * when `logins` is typed, keeps the functions' log lines off the terminal with `--quiet` (they go
 * to a file), and stops cleanly on SIGTERM and SIGINT — servers closed, exit code 0 — also when
 * the signal goes to npm, whose shell does not pass it on. Waits poll with a bound.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../support/staff-api.ts';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

interface Started {
  child: ChildProcessWithoutNullStreams;
  url: string;
  dataDir: string;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const started: Started[] = [];
afterEach(() => {
  for (const { child, dataDir } of started.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
});

/** Starts `command args` and waits (bounded) for the banner; its URL comes from the banner. */
async function start(command: string, args: string[]): Promise<Started> {
  const dataDir = mkdtempSync(join(tmpdir(), 'civicloop-start-'));
  // The functions log as on a developer's machine, not at the level a test suite captures.
  const { CIVICLOOP_CAPTURED_LOG_LEVEL: _captured, ...env } = process.env;
  const child = spawn(command, [...args, '--memory', '--port', '0', '--data-dir', dataDir], {
    cwd: repoRoot,
    env,
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal }));
  });
  const entry: Started = { child, url: '', dataDir, output: () => output, exited };
  started.push(entry);
  entry.url = await eventually(
    'the banner',
    async () => /Resident report page\s+(http:\/\/127\.0\.0\.1:\d+)\//.exec(output)?.[1],
    { attempts: 600, everyMs: 100 },
  );
  await eventually('Press Ctrl-C', async () => (output.includes('Press Ctrl-C') ? true : undefined));
  return entry;
}

const refused = async (url: string): Promise<boolean> =>
  fetch(`${url}/api/catalog`).then(
    () => false,
    () => true,
  );

const exitWithin = async (run: Started, ms: number) =>
  Promise.race([
    run.exited,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no exit within ${ms} ms`)), ms)),
  ]);

describe('npm start', () => {
  it('prints the logins again on `logins`, keeps function logs in a file with --quiet, and stops on SIGTERM with 0', async () => {
    const run = await start(process.execPath, ['infra/local/start.ts', '--quiet']);
    expect(run.output()).toContain('handler.urban-management');

    expect((await fetch(`${run.url}/api/catalog`)).status).toBe(200);
    const log = join(run.dataDir, 'functions.log');
    await eventually('the request in the function log', async () =>
      existsSync(log) && readFileSync(log, 'utf8').includes('"route":"GET /api/catalog"') ? true : undefined,
    );
    expect(run.output()).not.toContain('"route"');

    const banners = run.output().split('Demo logins').length - 1;
    run.child.stdin.write('logins\n');
    await eventually('the logins again', async () =>
      run.output().split('Demo logins').length - 1 > banners ? true : undefined,
    );

    run.child.kill('SIGTERM');
    expect(await exitWithin(run, 20_000)).toEqual({ code: 0, signal: null });
    expect(run.output()).toContain('stopped.');
    expect(await refused(run.url)).toBe(true);
  }, 120_000);

  it('stops on SIGINT (Ctrl-C) with 0', async () => {
    const run = await start(process.execPath, ['infra/local/start.ts']);
    run.child.kill('SIGINT');
    expect(await exitWithin(run, 20_000)).toEqual({ code: 0, signal: null });
    expect(await refused(run.url)).toBe(true);
  }, 120_000);

  it('leaves no server behind when npm itself gets SIGTERM', async () => {
    const run = await start('npm', ['start', '--silent', '--']);
    run.child.kill('SIGTERM');
    await exitWithin(run, 20_000);
    await eventually('the server closed', async () => ((await refused(run.url)) ? true : undefined), {
      attempts: 100,
      everyMs: 100,
    });
    expect(run.output()).toContain('npm exited: stopping…');
  }, 120_000);
});
