/** A local runtime and the real CLI process pointed at it, the way a department runs the CLI. */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime.ts';

const run = promisify(execFile);

export interface CliRuntime {
  rt: LocalRuntime;
  /** The endpoints file written as `npm start` writes `<data dir>/local-runtime.json`. */
  runtimeFile: string;
  cli(...args: string[]): Promise<{ stdout: string; stderr: string }>;
  /** The same, with extra environment variables (e.g. CIVICLOOP_USERNAME / CIVICLOOP_PASSWORD). */
  cliWithEnv(env: Record<string, string>, ...args: string[]): Promise<{ stdout: string; stderr: string }>;
}

/**
 * Starts a runtime and writes the endpoints file the CLI reads (as `npm start` does): in memory,
 * or persistent under `dataDir` as `npm start` runs it (the emulators behave differently then).
 */
export async function startCliRuntime(options: { dataDir?: string } = {}): Promise<CliRuntime> {
  const rt = await startLocalRuntime(
    options.dataDir
      ? { port: 0, dataDir: options.dataDir, quiet: true }
      : { port: 0, memory: true, quiet: true },
  );
  const runtimeFile = join(mkdtempSync(join(tmpdir(), 'civicloop-cli-')), 'local-runtime.json');
  writeFileSync(
    runtimeFile,
    JSON.stringify({
      apiUrl: rt.url,
      region: rt.region,
      sqsEndpoint: rt.sqsEndpoint,
      dynamoEndpoint: rt.dynamoEndpoint,
      queues: rt.resources.queues,
      tables: rt.resources.tables,
    }),
  );
  const cliWithEnv = (env: Record<string, string>, ...args: string[]) =>
    run(process.execPath, ['infra/cli/main.ts', ...args], {
      env: { ...process.env, ...env, CIVICLOOP_RUNTIME_FILE: runtimeFile },
    });
  return { rt, runtimeFile, cli: (...args) => cliWithEnv({}, ...args), cliWithEnv };
}
