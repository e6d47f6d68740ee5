/**
 * Bundle size and module-load time of every function, as deployed: each entry is bundled with the
 * esbuild options CDK's NodejsFunction passes for `infra/constructs/civic-function.ts` (CommonJS,
 * minified, node24, the options of infra/constructs/handler-bundling.ts, UTF-8, external source
 * map, the AWS SDK bundled but for the credential sources Lambda never reaches), into a temporary
 * directory. A target may ask to be bundled plainly instead (the baseline: a plain handler bundled
 * the usual way, esbuild's CommonJS defaults for `platform: 'node'`). Load time is what `require`
 * of the bundle (as Lambda loads it) adds to an empty Node process, measured by spawning Node
 * repeatedly: it approximates the module-init part of a cold start, without Lambda's own init or
 * the network. It is measured without --enable-source-maps, which the deployed functions set: Node
 * 24 reads a bundle's map only when it formats a stack trace (a bundle with a 40 MB map imported
 * as fast with the flag as without), so timing both ways would double the run time to show noise.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';
import { type SideModule, sideModules } from '../../functions/wiring/side-modules.ts';
import {
  handlerExternals,
  handlerMainFields,
  handlerSupported,
  importMetaUrlBanner,
  importMetaUrlDefine,
  sideModuleBuildOptions,
} from '../../infra/constructs/handler-bundling.ts';
import { functionEnvironment } from '../../infra/local/function-host.ts';
import type { ProvisionedResources } from '../../infra/local/provision.ts';
import { type Topology, unitQueueName } from '../../infra/topology.ts';
import { unitIds } from '../../shared/reference/county-structure.ts';
import { type BrowserPage, pageAssetFiles, writePageAssets } from '../../shared/web/page-assets.ts';
import { median } from './table.ts';

export interface BundleTarget {
  name: string;
  /** Entry path relative to the repository root. */
  entry: string;
  /** Environment the module's cold-start configuration parse needs. */
  env: Record<string, string>;
  /** Files CDK copies beside the bundle (the topology's `copyFiles`), paths from the repository root. */
  copyFiles?: { from: string; to: string }[];
  /** Pages whose script and stylesheet CDK builds beside the bundle (the topology's `pageAssets`). */
  pageAssets?: BrowserPage[];
  /** Side modules CDK builds beside the bundle (`sideModulesOf` the topology's entry), loaded on rare paths only. */
  sideModules?: SideModule[];
  /** Bundled with esbuild's CommonJS defaults (the baseline) instead of the way CDK bundles the functions. */
  plain?: boolean;
}

export const compositionGroups = ['AWS SDK', 'Powertools', 'zod', 'middy', 'own code', 'other'] as const;
export type CompositionGroup = (typeof compositionGroups)[number];

export interface BuiltBundle {
  target: BundleTarget;
  file: string;
  bytes: number;
  gzipBytes: number;
  mapBytes: number;
  /** Bytes of the files copied or built beside the bundle, which deploy with it but are not loaded at import. */
  copiedBytes: number;
  composition: Record<CompositionGroup, number>;
  /** Bytes of the largest packages in "other", to name them. */
  otherPackages: Map<string, number>;
}

export interface BundleMeasurement extends BuiltBundle {
  /** Load time above an empty `node`: median and fastest of the runs (the least disturbed). */
  loadMs: number;
  loadMinMs: number;
  /**
   * CPU time (user + system, every thread) the load adds to an empty `node`, median of the runs:
   * what the load costs, much less disturbed than the wall time when other work shares the machine.
   */
  loadCpuMs: number;
}

export interface BundleFailure {
  target: BundleTarget;
  error: string;
}

export interface BundleReport {
  measured: BundleMeasurement[];
  failed: BundleFailure[];
  runs: number;
  emptyNodeMs: number;
  emptyNodeMinMs: number;
  emptyNodeCpuMs: number;
}

/** Syntactically valid values for every binding, the names CDK would set; nothing is contacted. */
export function placeholderEnvironment(topology: Topology): Record<string, string> {
  const resources: ProvisionedResources = { tables: {}, queues: {}, deadLetterQueues: {} };
  for (const table of topology.tables) resources.tables[table.name] = `civicloop-${table.name}`;
  const queueUrl = (name: string) => `https://sqs.us-east-1.amazonaws.com/000000000000/civicloop-${name}`;
  for (const queue of topology.queues) resources.queues[queue.name] = queueUrl(queue.name);
  for (const unitId of unitIds) resources.queues[unitQueueName(unitId)] ??= queueUrl(unitQueueName(unitId));
  resources.buckets = Object.fromEntries(
    (topology.buckets ?? []).map((b) => [b.name, `civicloop-${b.name}`]),
  );
  return {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    POWERTOOLS_SERVICE_NAME: 'civicloop',
    POWERTOOLS_LOG_LEVEL: 'INFO',
    // The baseline handler's own two bindings.
    TABLE_NAME: 'civicloop-baseline',
    QUEUE_URL: queueUrl('baseline'),
    ...functionEnvironment(topology, resources, unitIds),
  };
}

/** The package an input path belongs to (`@scope/name` or `name`), or undefined for own code. */
export function packageOf(inputPath: string): string | undefined {
  const parts = inputPath.split('/');
  const at = parts.lastIndexOf('node_modules');
  if (at < 0) return undefined;
  const first = parts[at + 1] ?? '';
  return first.startsWith('@') ? `${first}/${parts[at + 2] ?? ''}` : first;
}

export function groupOf(pkg: string | undefined): CompositionGroup {
  if (pkg === undefined) return 'own code';
  if (/^@(aws-sdk|smithy|aws-crypto|aws)\//.test(pkg)) return 'AWS SDK';
  if (pkg.startsWith('@aws-lambda-powertools/')) return 'Powertools';
  if (pkg === 'zod') return 'zod';
  if (pkg.startsWith('@middy/')) return 'middy';
  return 'other';
}

function composition(metafile: Metafile, bytes: number) {
  const groups: Record<CompositionGroup, number> = {
    'AWS SDK': 0,
    Powertools: 0,
    zod: 0,
    middy: 0,
    'own code': 0,
    other: 0,
  };
  const otherPackages = new Map<string, number>();
  // One entry, one output: the bundle itself (the other output is its source map).
  const output = Object.entries(metafile.outputs).find(([path]) => !path.endsWith('.map'))?.[1];
  let attributed = 0;
  for (const [path, input] of Object.entries(output?.inputs ?? {})) {
    const pkg = packageOf(path);
    const group = groupOf(pkg);
    groups[group] += input.bytesInOutput;
    attributed += input.bytesInOutput;
    if (group === 'other') {
      const name = pkg ?? path;
      otherPackages.set(name, (otherPackages.get(name) ?? 0) + input.bytesInOutput);
    }
  }
  // esbuild's own glue (module wrappers, the banner) belongs to no input.
  groups.other += Math.max(0, bytes - attributed);
  return { groups, otherPackages };
}

export async function buildBundle(
  target: BundleTarget,
  repoRoot: string,
  outRoot: string,
  /**
   * Keep line breaks (identifiers and syntax still minified), so a CPU profile's line ticks can be
   * mapped back to the source through the map; for profiling only, never for the timings.
   */
  options: { keepLines?: boolean } = {},
): Promise<BuiltBundle | BundleFailure> {
  const outDir = join(outRoot, target.name);
  mkdirSync(outDir, { recursive: true });
  // CommonJS either way; Node reads a .js without a package.json beside it as CommonJS, as Lambda does.
  const outfile = join(outDir, 'index.js');
  try {
    const result = await build({
      absWorkingDir: repoRoot,
      entryPoints: [target.entry],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node24',
      ...(options.keepLines
        ? { minifyIdentifiers: true, minifySyntax: true, minifyWhitespace: false }
        : { minify: true }),
      sourcemap: true,
      sourcesContent: false,
      // The plain way: esbuild's node defaults (main before module), no banner.
      ...(target.plain
        ? {}
        : {
            mainFields: handlerMainFields,
            banner: { js: importMetaUrlBanner },
            define: importMetaUrlDefine,
          }),
      charset: 'utf8',
      external: target.plain ? [] : handlerExternals,
      ...(target.plain ? {} : { supported: handlerSupported }),
      metafile: true,
      logLevel: 'silent',
    });
    let copiedBytes = 0;
    for (const { from, to } of target.copyFiles ?? []) {
      copyFileSync(join(repoRoot, from), join(outDir, to));
      copiedBytes += statSync(join(outDir, to)).size;
    }
    for (const page of target.pageAssets ?? []) {
      writePageAssets(page, outDir);
      for (const file of Object.values(pageAssetFiles(page)))
        copiedBytes += statSync(join(outDir, file)).size;
    }
    for (const name of target.sideModules ?? []) {
      await build(sideModuleBuildOptions(name, repoRoot, outDir));
      copiedBytes += statSync(join(outDir, sideModules[name].file)).size;
    }
    const code = readFileSync(outfile);
    const { groups, otherPackages } = composition(result.metafile, code.length);
    return {
      target,
      file: outfile,
      bytes: code.length,
      gzipBytes: gzipSync(code).length,
      mapBytes: statSync(`${outfile}.map`).size,
      copiedBytes,
      composition: groups,
      otherPackages,
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { target, error: message.split('\n').slice(0, 3).join(' ') };
  }
}

export const isFailure = (x: BuiltBundle | BundleFailure): x is BundleFailure => 'error' in x;

/**
 * The script that loads a bundle as Lambda's Node runtime loads a CommonJS `index.js`: `require`.
 * (An `import()` of a `.js` with no package.json type would first have Node compile the whole
 * bundle to guess its module format, a cost Lambda never pays.) Checks the export too, so a
 * bundle that loads but is broken does not pass as fast.
 */
export const loadScript = (file: string): string =>
  `const m = require(${JSON.stringify(file)}); if (typeof m.handler !== 'function') process.exit(3);`;

// Printed last by the timed process: the CPU time it has used, in milliseconds.
const printCpuTime =
  "const u = process.cpuUsage(); process.stdout.write('\\n' + (u.user + u.system) / 1000);";

export interface LoadTime {
  wallMs: number;
  cpuMs: number;
}

/** Wall and CPU time of one `node` process that loads `file` (or nothing) and exits. */
export function timeNode(file: string | undefined, env: Record<string, string>): LoadTime {
  const args = ['-e', `${file ? loadScript(file) : ''}${printCpuTime}`];
  const started = performance.now();
  const result = spawnSync(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const wallMs = performance.now() - started;
  if (result.status !== 0) {
    throw new Error(
      `node ${file ?? '(empty)'} exited with ${result.status}: ${result.stderr.toString().trim().split('\n')[0] ?? ''}`,
    );
  }
  return { wallMs, cpuMs: Number(result.stdout.toString().trim().split('\n').at(-1)) };
}

export async function benchBundles(options: {
  targets: BundleTarget[];
  repoRoot: string;
  outRoot: string;
  runs: number;
  progress: (line: string) => void;
}): Promise<BundleReport> {
  const built: BuiltBundle[] = [];
  const failed: BundleFailure[] = [];
  for (const target of options.targets) {
    const result = await buildBundle(target, options.repoRoot, options.outRoot);
    if (isFailure(result)) failed.push(result);
    else built.push(result);
  }
  options.progress(
    `built ${built.length} bundles (${failed.length} failed); timing ${options.runs} loads each`,
  );

  const baseEnv: Record<string, string> = { PATH: process.env.PATH ?? '' };
  const samples = new Map<string, LoadTime[]>();
  const record = (key: string, time: LoadTime) => {
    const list = samples.get(key) ?? [];
    list.push(time);
    samples.set(key, list);
  };
  const EMPTY = '\u0000empty';
  const loadable: BuiltBundle[] = [];
  // A first, unrecorded pass warms the page cache and finds bundles that do not load at all.
  for (const bundle of built) {
    try {
      timeNode(bundle.file, { ...baseEnv, ...bundle.target.env });
      loadable.push(bundle);
    } catch (error) {
      failed.push({ target: bundle.target, error: error instanceof Error ? error.message : String(error) });
    }
  }
  timeNode(undefined, baseEnv);
  // Interleaved, so a slow moment of the machine spreads over every bundle instead of hitting one.
  for (let run = 0; run < options.runs; run++) {
    record(EMPTY, timeNode(undefined, baseEnv));
    for (const bundle of loadable) {
      record(bundle.target.name, timeNode(bundle.file, { ...baseEnv, ...bundle.target.env }));
    }
  }
  const wall = (times: LoadTime[]) => times.map((t) => t.wallMs);
  const cpu = (times: LoadTime[]) => times.map((t) => t.cpuMs);
  const empty = samples.get(EMPTY) ?? [];
  const emptyNodeMs = median(wall(empty));
  const emptyNodeMinMs = Math.min(...wall(empty));
  const emptyNodeCpuMs = median(cpu(empty));
  const measured = loadable.map((bundle): BundleMeasurement => {
    const runs = samples.get(bundle.target.name) ?? [];
    return {
      ...bundle,
      loadMs: median(wall(runs)) - emptyNodeMs,
      loadMinMs: Math.min(...wall(runs)) - emptyNodeMinMs,
      loadCpuMs: median(cpu(runs)) - emptyNodeCpuMs,
    };
  });
  return { measured, failed, runs: options.runs, emptyNodeMs, emptyNodeMinMs, emptyNodeCpuMs };
}
