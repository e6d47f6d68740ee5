/**
 * `npm start`: runs the whole system locally. Flags: `--memory` (no persistence), `--port N`
 * (or PORT; 0 picks a free one), `--quiet` (the functions' log lines go to `<data>/functions.log`
 * instead of the terminal, which keeps the banner, warnings and errors), `--no-limits` (no
 * per-client limits, e.g. to load-test from one machine), `--data-dir DIR` (default `.data`).
 * Writes `<data>/local-runtime.json` so the CLI can find the queues.
 *
 * While it runs, typing `logins` (and Enter) prints the demo logins again. It stops cleanly — the
 * HTTP servers, pollers and emulators closed, exit code 0 — on SIGINT (Ctrl-C) and SIGTERM, and,
 * started by `npm start`, when npm goes away: npm passes SIGTERM to the shell it runs the script
 * in, which does not pass it on, so without that this process would outlive npm with its ports.
 */
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { clientLimits } from '../client-limits.ts';
import { demoLoginsText } from '../demo/demo-staff.ts';
import { startLocalRuntime } from './runtime.ts';

const { values } = parseArgs({
  options: {
    memory: { type: 'boolean', default: false },
    port: { type: 'string' },
    quiet: { type: 'boolean', default: false },
    'data-dir': { type: 'string' },
    // The limits deployed in AWS apply locally too, unless `--no-limits`.
    limits: { type: 'boolean', default: true },
  },
  allowNegative: true,
});

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const dataDir = resolve(values['data-dir'] ?? join(repoRoot, '.data'));
const port = Number(values.port ?? process.env.PORT ?? 3000);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port/PORT must be a port number, got ${values.port ?? process.env.PORT}`);
  process.exit(2);
}
mkdirSync(dataDir, { recursive: true });

/** What this program says on the terminal, whatever happens to the functions' log lines. */
const terminalWrite = process.stdout.write.bind(process.stdout);
const say = (text: string) => terminalWrite(`${text}\n`);

// Quiet: everything else written to stdout — the functions' INFO lines, one per request — goes to
// the log file. Powertools writes WARN and ERROR to stderr, which stays on the terminal.
const functionLog = values.quiet ? join(dataDir, 'functions.log') : undefined;
if (functionLog) {
  const file = createWriteStream(functionLog, { flags: 'a' });
  Object.defineProperty(process.stdout, 'write', {
    configurable: true,
    value: (chunk: string | Uint8Array, ...rest: unknown[]) => {
      const done = rest.find((arg) => typeof arg === 'function');
      return file.write(chunk, () => {
        if (typeof done === 'function') done();
      });
    },
  });
}

const runtime = await startLocalRuntime({
  port,
  memory: values.memory,
  dataDir,
  clientLimits: values.limits ? clientLimits : undefined,
  onError: (error) => console.error('[local runtime]', error instanceof Error ? error.message : error),
});

const runtimeFile = join(dataDir, 'local-runtime.json');
writeFileSync(
  runtimeFile,
  JSON.stringify(
    {
      apiUrl: runtime.url,
      region: runtime.region,
      sqsEndpoint: runtime.sqsEndpoint,
      dynamoEndpoint: runtime.dynamoEndpoint,
      queues: runtime.resources.queues,
      tables: runtime.resources.tables,
    },
    null,
    2,
  ),
);

const logins = demoLoginsText;

say(`
civicloop is running locally (${values.memory ? 'in memory' : `data in ${dataDir}`})

  Resident report page   ${runtime.url}/
  English                ${runtime.url}/?lang=en
  Catalogue (API)        ${runtime.url}/api/catalog
  Submit a report (API)  POST ${runtime.url}/api/reports
  Report status (API)    ${runtime.url}/api/reports/{trackingCode}

  DynamoDB (dynalite)    ${runtime.dynamoEndpoint}
  SQS (fauxqs)           ${runtime.sqsEndpoint}

  A unit's queue:        npm run cli -- queue pull --unit psb-antifraud

  Per-client limits      ${values.limits ? 'as in AWS (README: Abuse limits); --no-limits lifts them' : 'off'}
  Function logs          ${functionLog ? `${functionLog} (--quiet); warnings and errors here` : 'here (--quiet sends them to a file)'}

  SMS gateways (Aliyun)  POST ${runtime.url}/api/sms/inbound/aliyun/${runtime.secrets.value('smsGatewaySecret')}
  Secrets                ${values.memory ? 'generated for this run' : `generated once, in ${join(dataDir, 'secrets.json')}`}

  Staff console          ${runtime.url}/console
  Phone simulator (SMS)  ${runtime.url}/_local/phone
  Grid worker (WeChat)   ${runtime.url}/_local/wecom
${logins()}

Type "logins" and Enter to see the logins again. Press Ctrl-C to stop.`);

// Lines typed while it runs. Not a terminal-mode reader: Ctrl-C stays the terminal's SIGINT.
const commands = createInterface({ input: process.stdin, terminal: false });
commands.on('line', (line) => {
  const command = line.trim().toLowerCase();
  if (command === 'logins') say(logins());
  else if (command === 'help' || command === '?') say('Commands: logins (the demo logins), help.');
  else if (command !== '') say(`Unknown command "${command}". Commands: logins, help.`);
});

const STOP_TIMEOUT_MS = 15_000;
let stopping = false;
const shutdown = async (why: string) => {
  if (stopping) return;
  stopping = true;
  say(`\n${why}: stopping…`);
  commands.close();
  // A stop that hangs (an emulator that will not close) must not keep the process alive.
  const timeout = setTimeout(() => {
    console.error(`[local runtime] did not stop within ${STOP_TIMEOUT_MS / 1000} s; exiting`);
    process.exit(1);
  }, STOP_TIMEOUT_MS);
  timeout.unref();
  try {
    await runtime.stop();
  } catch (error) {
    console.error('[local runtime] stopping failed:', error instanceof Error ? error.message : error);
    process.exit(1);
  }
  say('stopped.');
  process.exit(0);
};
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => void shutdown(signal));
}
// Under npm, the parent is npm's shell; when npm is gone, so is it, and this process has been
// handed to another parent. (Run directly, e.g. under nohup, a changed parent means nothing.)
if (process.env.npm_lifecycle_event === 'start') {
  const startedBy = process.ppid;
  setInterval(() => {
    if (process.ppid !== startedBy) void shutdown('npm exited');
  }, 500).unref();
}
