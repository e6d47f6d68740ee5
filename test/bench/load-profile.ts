/**
 * Where one function's module load goes: `node test/bench/load-profile.ts [function] [--runs N]`
 * (submit-report, 9 runs). Bundles the function as bundles.ts does but with its line breaks kept
 * (identifiers and syntax still minified), starts Node under `--cpu-prof` that many times loading
 * it, and as many times loading nothing, and adds up self time by where the source map says each
 * sampled line came from: a package group (as in the bench's composition table), or V8 itself
 * (parsing and compiling show up as "(program)"), garbage collection, Node's module loader. The
 * difference between the two columns is what the bundle's load costs, and where. Not timed: the
 * profiler slows everything down, so only the shares are worth reading.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { SourceMap } from 'node:module';
import os from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import * as z from 'zod';
import { sideModulesOf } from '../../infra/constructs/handler-bundling.ts';
import { topology } from '../../infra/topology.ts';
import { buildBundle, groupOf, isFailure, loadScript, packageOf, placeholderEnvironment } from './bundles.ts';
import { int, printTable } from './table.ts';

const { values, positionals } = parseArgs({
  options: { runs: { type: 'string', default: '9' } },
  allowPositionals: true,
});
const functionName = positionals[0] ?? 'submit-report';
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1)
  throw new Error(`--runs must be a positive integer, got ${values.runs}`);

// The parts of a V8 .cpuprofile this reads.
const CpuProfile = z.object({
  nodes: z.array(
    z.object({
      id: z.number(),
      callFrame: z.object({
        functionName: z.string(),
        url: z.string(),
        lineNumber: z.number(),
        columnNumber: z.number(),
      }),
      positionTicks: z.array(z.object({ line: z.number(), ticks: z.number() })).optional(),
    }),
  ),
  samples: z.array(z.number()),
  timeDeltas: z.array(z.number()),
});
type CpuProfile = z.infer<typeof CpuProfile>;

const SourceMapFile = z.object({
  version: z.number(),
  file: z.string().default(''),
  sources: z.array(z.string()),
  sourcesContent: z.array(z.string()).default([]),
  names: z.array(z.string()),
  mappings: z.string(),
  sourceRoot: z.string().default(''),
});

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/** Where the bundle's line (1-based) came from: a package, a file of ours, or esbuild's glue. */
function makeLineAttribution(bundleFile: string) {
  const lines = readFileSync(bundleFile, 'utf8').split('\n');
  const map = new SourceMap(SourceMapFile.parse(JSON.parse(readFileSync(`${bundleFile}.map`, 'utf8'))));
  const mapDir = dirname(bundleFile);
  return (line: number): string => {
    const text = lines[line - 1] ?? '';
    const column = Math.max(0, text.search(/\S/));
    const entry = map.findEntry(line - 1, column);
    if (!('originalSource' in entry) || entry.originalLine === undefined) return 'bundle glue (esbuild)';
    const source = entry.originalSource.startsWith('file://')
      ? fileURLToPath(entry.originalSource)
      : resolve(mapDir, entry.originalSource);
    return packageOf(source) ?? relative(repoRoot, source);
  };
}

/** The group a package (or own file) belongs to, in the bench's composition groups. */
const groupOfModule = (module: string) =>
  module.startsWith('bundle glue')
    ? 'other'
    : groupOf(module.includes('/') && !module.startsWith('@') ? undefined : module);

function nonBundleGroup(url: string, fn: string): string {
  if (url === '') {
    if (fn === '(garbage collector)') return 'V8: garbage collection';
    if (fn === '(program)') return 'V8: (program) — parsing, compiling, runtime';
    if (fn === '(idle)') return 'idle';
    return 'V8: builtins and native';
  }
  if (url.startsWith('node:')) return 'Node internals (bootstrap, module loader)';
  return 'other';
}

interface Tally {
  byGroup: Map<string, number>;
  byModule: Map<string, number>;
  /** Self time in Node's own JavaScript, by internal module (node:internal/...). */
  byNodeInternal: Map<string, number>;
}

function tally(
  profiles: CpuProfile[],
  bundleUrl: string | undefined,
  lineSource: (line: number) => string,
): Tally {
  const byGroup = new Map<string, number>();
  const byModule = new Map<string, number>();
  const byNodeInternal = new Map<string, number>();
  const add = (map: Map<string, number>, key: string, us: number) => map.set(key, (map.get(key) ?? 0) + us);
  for (const profile of profiles) {
    const selfUs = new Map<number, number>();
    profile.samples.forEach((id, i) => {
      selfUs.set(id, (selfUs.get(id) ?? 0) + Math.max(0, profile.timeDeltas[i] ?? 0));
    });
    for (const node of profile.nodes) {
      const us = (selfUs.get(node.id) ?? 0) / profiles.length;
      if (us === 0) continue;
      const { url, functionName: fn, lineNumber } = node.callFrame;
      if (bundleUrl === undefined || url !== bundleUrl) {
        const group = nonBundleGroup(url, fn);
        add(byGroup, group, us);
        add(byModule, group, us);
        if (url.startsWith('node:')) add(byNodeInternal, url, us);
        continue;
      }
      // Line ticks say where in the function the samples fell; without them, its first line.
      const ticks = node.positionTicks?.length ? node.positionTicks : [{ line: lineNumber + 1, ticks: 1 }];
      const total = ticks.reduce((a, t) => a + t.ticks, 0);
      for (const t of ticks) {
        const module = lineSource(t.line);
        const share = (us * t.ticks) / total;
        add(byModule, module, share);
        add(byGroup, groupOfModule(module), share);
      }
    }
  }
  return { byGroup, byModule, byNodeInternal };
}

function profileRuns(file: string | undefined, env: Record<string, string>, dir: string): CpuProfile[] {
  mkdirSync(dir, { recursive: true });
  const script = file ? loadScript(file) : '';
  for (let run = 0; run < runs; run++) {
    const result = spawnSync(
      process.execPath,
      ['--cpu-prof', '--cpu-prof-dir', dir, '--cpu-prof-interval', '100', '-e', script],
      { env, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    if (result.status !== 0)
      throw new Error(`profiled node exited ${result.status}: ${result.stderr.toString()}`);
  }
  return readdirSync(dir).map((name) => CpuProfile.parse(JSON.parse(readFileSync(join(dir, name), 'utf8'))));
}

const target = topology.functions.find((fn) => fn.name === functionName);
if (!target) throw new Error(`no function ${functionName} in infra/topology.ts`);
const outRoot = mkdtempSync(join(os.tmpdir(), 'civicloop-load-profile-'));
try {
  const env = { PATH: process.env.PATH ?? '', ...placeholderEnvironment(topology) };
  const built = await buildBundle(
    {
      name: target.name,
      entry: target.entry,
      env,
      copyFiles: target.copyFiles,
      pageAssets: target.pageAssets,
      sideModules: sideModulesOf(target),
    },
    repoRoot,
    outRoot,
    { keepLines: true },
  );
  if (isFailure(built)) throw new Error(built.error);
  const bundleUrl = pathToFileURL(built.file).href;
  const lineSource = makeLineAttribution(built.file);
  const loaded = tally(profileRuns(built.file, env, join(outRoot, 'loaded')), bundleUrl, lineSource);
  const empty = tally(profileRuns(undefined, env, join(outRoot, 'empty')), undefined, lineSource);

  const msOf = (us: number) => `${(us / 1000).toFixed(1)} ms`;
  const rows = (a: Map<string, number>, b: Map<string, number>, limit: number) => {
    const keys = [...new Set([...a.keys(), ...b.keys()])].filter((k) => k !== 'idle');
    const loadTotal = [...a].filter(([k]) => k !== 'idle').reduce((s, [, v]) => s + v, 0);
    const emptyTotal = [...b].filter(([k]) => k !== 'idle').reduce((s, [, v]) => s + v, 0);
    const extra = loadTotal - emptyTotal;
    return [
      ...keys
        .map((k) => ({ k, with: a.get(k) ?? 0, without: b.get(k) ?? 0 }))
        .sort((x, y) => y.with - y.without - (x.with - x.without))
        .slice(0, limit)
        .map((r) => [
          r.k,
          msOf(r.with),
          msOf(r.without),
          msOf(r.with - r.without),
          extra > 0 ? `${(((r.with - r.without) / extra) * 100).toFixed(1)}%` : '–',
        ]),
      ['(all, idle excluded)', msOf(loadTotal), msOf(emptyTotal), msOf(extra), '100%'],
    ];
  };
  const columns = [
    { title: 'code' },
    { title: 'loading the bundle', align: 'right' as const },
    { title: 'empty node', align: 'right' as const },
    { title: 'the load', align: 'right' as const },
    { title: 'share', align: 'right' as const },
  ];
  console.log(
    `# Module load of ${functionName} under the V8 profiler (100 µs sampling, self time, mean of ${runs} processes each; ` +
      `bundle ${int(built.bytes)} bytes with line breaks kept)`,
  );
  printTable('By group', columns, rows(loaded.byGroup, empty.byGroup, 20));
  printTable('By package or own file (largest 25)', columns, rows(loaded.byModule, empty.byModule, 25));
  printTable(
    "Node's own JavaScript, by internal module (largest 15)",
    columns,
    rows(loaded.byNodeInternal, empty.byNodeInternal, 15),
  );
} finally {
  rmSync(outRoot, { recursive: true, force: true });
}
