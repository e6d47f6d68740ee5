/**
 * `npm start`: runs the whole system locally. Flags: `--memory` (no persistence), `--port N`
 * (or PORT), `--quiet`, `--no-limits` (no per-client limits, e.g. to load-test from one
 * machine). Writes `.data/local-runtime.json` so the CLI can find the queues.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { clientLimits } from '../client-limits.ts';
import { demoPassword, demoStaff } from '../demo/demo-staff.ts';
import { startLocalRuntime } from './runtime.ts';

const { values } = parseArgs({
  options: {
    memory: { type: 'boolean', default: false },
    port: { type: 'string' },
    quiet: { type: 'boolean', default: false },
    // The limits deployed in AWS apply locally too, unless `--no-limits`.
    limits: { type: 'boolean', default: true },
  },
  allowNegative: true,
});

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const dataDir = join(repoRoot, '.data');
const port = Number(values.port ?? process.env.PORT ?? 3000);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port/PORT must be a port number, got ${values.port ?? process.env.PORT}`);
  process.exit(2);
}

const runtime = await startLocalRuntime({
  port,
  memory: values.memory,
  dataDir,
  quiet: values.quiet,
  clientLimits: values.limits ? clientLimits : undefined,
  onError: (error) => console.error('[local runtime]', error instanceof Error ? error.message : error),
});

mkdirSync(dataDir, { recursive: true });
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

console.log(`
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

  SMS gateways (Aliyun)  POST ${runtime.url}/api/sms/inbound/aliyun/${runtime.secrets.value('smsGatewaySecret')}
  Secrets                ${values.memory ? 'generated for this run' : `generated once, in ${join(dataDir, 'secrets.json')}`}

  Staff console          ${runtime.url}/console
  Phone simulator (SMS)  ${runtime.url}/_local/phone
  Demo logins (local only, password ${demoPassword}):
${demoStaff.map((s) => `    ${s.username.padEnd(22)} ${s.claims['custom:role']}`).join('\n')}
Press Ctrl-C to stop.
`);

let stopping = false;
const shutdown = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping…`);
  await runtime.stop();
  process.exit(0);
};
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
