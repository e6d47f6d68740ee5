/**
 * The civicloop command line. `npm run cli -- <command>`:
 *   queue pull --unit <unitId> [--wait <s>] [--peek] [--json] [--max <n>] [--outputs <cdk-outputs.json>]
 *   logins — the local runtime's demo logins, as `npm start` prints them
 *   directory seed [--outputs <cdk-outputs.json>]
 *   households import <file.csv> [--outputs <cdk-outputs.json>]
 *   groups import <file.csv> [--outputs <cdk-outputs.json>] — micro-grids and grid groups; see groups-import.ts
 *   stats rebuild [--restart] [--drop-legacy] [--outputs <cdk-outputs.json>] — see stats-rebuild.ts
 *   cases reindex [--outputs <cdk-outputs.json>] — see cases-reindex.ts
 *   cases export [--list …] [--status …] [--stage …] [--overdue] [--community …] [--lang zh|en]
 *     [--personal] > file.csv — the caller's cases as CSV through the staff API; see cases-export.ts
 *   search reindex [--restart] [--outputs <cdk-outputs.json>] — see search-reindex.ts
 *   classifier train [--activate] | status | rollback [--version <n> | --keywords-only]
 *     [--outputs <cdk-outputs.json>] — the report classifier's models; see classifier.ts
 *   assessment [--from … --to …] [--level unit|township] [--sort …] [--json] — the unit
 *     assessment through the staff API, signed in like the campaign commands; see assessment.ts
 *   partners create <name>|list|revoke <partnerId> — Open311 partner API keys through the admin
 *     API, signed in like the campaign commands; see partners.ts
 *   campaign create|list|cancel … [--outputs <cdk-outputs.json>] — through the staff API, signed in
 *     as CIVICLOOP_USERNAME (or --user) with CIVICLOOP_PASSWORD; see campaigns.ts
 * `--data-dir DIR` reaches a local runtime started with `npm start -- --data-dir DIR`.
 * Exit codes: 0 done, 1 failed, 2 bad usage (the usage text is printed).
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultPolicies } from '../../shared/reference/default-policies.ts';
import { demoOrganisation } from '../demo/demo-organisation.ts';
import { demoLoginsText } from '../demo/demo-staff.ts';
import { assessmentCommand, assessmentOptions, assessmentUsage } from './assessment.ts';
import { campaignCommand, campaignOptions, campaignUsage } from './campaigns.ts';
import { casesExportCommand, casesExportOptions, casesExportUsage } from './cases-export.ts';
import { casesReindex } from './cases-reindex.ts';
import { classifierCommand, classifierOptions, classifierUsage } from './classifier.ts';
import { directorySeed } from './directory-seed.ts';
import { groupsImport } from './groups-import.ts';
import { householdsImport } from './households-import.ts';
import { partnersCommand, partnersUsage } from './partners.ts';
import { queuePull } from './queue-pull.ts';
import { searchReindex } from './search-reindex.ts';
import { statsRebuild } from './stats-rebuild.ts';
import { resolveTarget, TargetError } from './targets.ts';

const usage = `usage: npm run cli -- queue pull --unit <unitId> [--wait <seconds>] [--peek] [--json] [--max <n>]
       npm run cli -- logins
       npm run cli -- directory seed
       npm run cli -- households import <file.csv>
       npm run cli -- groups import <file.csv>
       npm run cli -- stats rebuild [--restart] [--drop-legacy]
       npm run cli -- cases reindex
${casesExportUsage}
       npm run cli -- search reindex [--restart]
${classifierUsage}
${assessmentUsage}
${campaignUsage}
${partnersUsage}
  add --outputs cdk-outputs.json to act on the deployed stack (default: the local runtime;
  --data-dir DIR for one started with npm start -- --data-dir DIR)`;

const io = { out: (line: string) => console.log(line), err: (line: string) => console.error(line) };

/** Writes to stdout and waits while it drains, so a large export never piles up in memory. */
const writeStdout = (text: string): Promise<void> =>
  new Promise((resolve, reject) => {
    process.stdout.write(text, (error) => (error ? reject(error) : resolve()));
  });

const isParseArgsError = (error: unknown): error is Error =>
  error instanceof Error && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS');

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      unit: { type: 'string' },
      wait: { type: 'string', default: '5' },
      peek: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      max: { type: 'string' },
      outputs: { type: 'string' },
      'data-dir': { type: 'string' },
      restart: { type: 'boolean', default: false },
      'drop-legacy': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
      ...campaignOptions,
      ...classifierOptions,
      ...assessmentOptions,
      ...casesExportOptions,
    },
  });
}

async function main(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    if (!isParseArgsError(error)) throw error;
    io.err(error.message);
    io.err(usage);
    return 2;
  }
  const { values, positionals } = parsed;
  const [group, command] = positionals;
  // The runtime file `npm start -- --data-dir DIR` wrote, for every command that reads it.
  const dataDir = values['data-dir'];
  if (dataDir !== undefined) process.env.CIVICLOOP_RUNTIME_FILE = join(dataDir, 'local-runtime.json');
  if (!values.help && group === 'assessment' && positionals.length === 1) {
    return assessmentCommand(values, process.env, io);
  }
  if (!values.help && group === 'partners') {
    return partnersCommand(command, positionals.slice(2), values, process.env, io);
  }
  if (!values.help && group === 'campaign') {
    return campaignCommand(command, positionals.slice(2), values, process.env, io);
  }
  if (!values.help && group === 'classifier') {
    return classifierCommand(resolveTarget(values.outputs), command, values, io);
  }
  if (!values.help && group === 'logins' && command === undefined) {
    io.out(demoLoginsText());
    return 0;
  }
  if (!values.help && group === 'directory' && command === 'seed') {
    await directorySeed(resolveTarget(values.outputs), demoOrganisation, defaultPolicies, io);
    return 0;
  }
  if (!values.help && group === 'households' && command === 'import') {
    const file = positionals[2];
    if (!file || positionals.length > 3) {
      io.err(usage);
      return 2;
    }
    return householdsImport(resolveTarget(values.outputs), file, io);
  }
  if (!values.help && group === 'groups' && command === 'import') {
    const file = positionals[2];
    if (!file || positionals.length > 3) {
      io.err(usage);
      return 2;
    }
    return groupsImport(resolveTarget(values.outputs), file, io);
  }
  if (!values.help && group === 'stats' && command === 'rebuild') {
    if (positionals.length > 2) {
      io.err(usage);
      return 2;
    }
    return statsRebuild(
      resolveTarget(values.outputs),
      { restart: values.restart, dropLegacy: values['drop-legacy'] },
      io,
    );
  }
  if (!values.help && group === 'cases' && command === 'export') {
    if (positionals.length > 2) {
      io.err(usage);
      return 2;
    }
    return casesExportCommand(values, process.env, { write: writeStdout, err: io.err });
  }
  if (!values.help && group === 'cases' && command === 'reindex') {
    if (positionals.length > 2) {
      io.err(usage);
      return 2;
    }
    return casesReindex(resolveTarget(values.outputs), io);
  }
  if (!values.help && group === 'search' && command === 'reindex') {
    if (positionals.length > 2) {
      io.err(usage);
      return 2;
    }
    return searchReindex(resolveTarget(values.outputs), { restart: values.restart }, io);
  }
  if (values.help || group !== 'queue' || command !== 'pull') {
    io.err(usage);
    return values.help ? 0 : 2;
  }
  if (!values.unit) {
    io.err('--unit is required (e.g. --unit psb-antifraud)');
    return 2;
  }
  const waitSeconds = Number(values.wait);
  const max = values.max === undefined ? undefined : Number(values.max);
  if (!Number.isFinite(waitSeconds) || waitSeconds < 0) {
    io.err('--wait must be a number of seconds ≥ 0');
    return 2;
  }
  if (max !== undefined && (!Number.isInteger(max) || max < 1)) {
    io.err('--max must be a whole number ≥ 1');
    return 2;
  }
  const target = resolveTarget(values.outputs);
  const printed = await queuePull(
    target,
    { unitId: values.unit, waitSeconds, peek: values.peek, json: values.json, max },
    io,
  );
  if (!values.json)
    io.err(`${printed} case(s) from ${values.unit}${values.peek ? ' (peeked, left on the queue)' : ''}`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    io.err(
      error instanceof TargetError || error instanceof TypeError
        ? error.message
        : `failed: ${error instanceof Error ? error.message : String(error)}`,
    );
    process.exit(1);
  },
);
