/**
 * The cold-start bench measures what deploys: it bundles a function with the options CDK passes
 * (infra/constructs/handler-bundling.ts), puts the function's files beside it, and loads it the way
 * Lambda loads a CommonJS index.js; the baseline is bundled plainly. The credential sources Lambda
 * never reaches stay out of the bundle and are not needed to load it. A bundle that loads but
 * exports no handler is a failure, never a fast load.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { CHART_FILE } from '../../functions/console-assets.ts';
import { sideModules } from '../../functions/wiring/side-modules.ts';
import {
  importMetaUrlBanner,
  sideModulesOf,
  unreachedSdkModules,
  unusedCredentialSources,
} from '../../infra/constructs/handler-bundling.ts';
import { topology } from '../../infra/topology.ts';
import {
  type BuiltBundle,
  type BundleFailure,
  buildBundle,
  isFailure,
  loadScript,
  timeNode,
} from './bundles.ts';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const outRoot = mkdtempSync(path.join(os.tmpdir(), 'civicloop-bundles-test-'));
afterAll(() => rmSync(outRoot, { recursive: true, force: true }));

const env = { PATH: process.env.PATH ?? '' };

function built(result: BuiltBundle | BundleFailure): BuiltBundle {
  if (isFailure(result)) throw new Error(result.error);
  return result;
}

describe('the bench bundles', () => {
  it('builds a function as CDK does: CommonJS behind the import.meta.url banner, its files beside it', async () => {
    const spec = topology.functions.find((fn) => fn.name === 'console-assets');
    if (!spec) throw new Error('no console-assets in the topology');
    const bundle = built(
      await buildBundle(
        { name: spec.name, entry: spec.entry, env, copyFiles: spec.copyFiles },
        repoRoot,
        outRoot,
      ),
    );
    expect(path.basename(bundle.file)).toBe('index.js');
    expect(readFileSync(bundle.file, 'utf8').startsWith(importMetaUrlBanner)).toBe(true);
    expect(bundle.copiedBytes).toBeGreaterThan(0);
    // The handler finds Chart.js beside its bundle, as in Lambda.
    const printed = spawnSync(
      process.execPath,
      ['-e', `${loadScript(bundle.file)} console.log(m.chartFilePath());`],
      { env, encoding: 'utf8' },
    );
    expect(printed.stdout.trim()).toBe(path.join(path.dirname(bundle.file), CHART_FILE));
    const time = timeNode(bundle.file, env);
    expect(time.wallMs).toBeGreaterThan(0);
    expect(time.cpuMs).toBeGreaterThan(0);
  });

  it('leaves out the credential sources Lambda never reaches, and requires none of them at load', async () => {
    const spec = topology.functions.find((fn) => fn.name === 'get-catalog');
    if (!spec) throw new Error('no get-catalog in the topology');
    const bundle = built(await buildBundle({ name: spec.name, entry: spec.entry, env }, repoRoot, outRoot));
    const code = readFileSync(bundle.file, 'utf8');
    // Referenced, for the SDK's chain to load when the environment holds no credentials...
    for (const source of unusedCredentialSources) expect(code).toContain(`require("${source}")`);
    expect(bundle.composition['AWS SDK']).toBeGreaterThan(0);
    // ...and never asked for by loading the function.
    const script = [
      "const Module = require('node:module'); const asked = [];",
      'const resolve = Module._resolveFilename;',
      'Module._resolveFilename = function (request, ...rest) { asked.push(request); return resolve.call(this, request, ...rest); };',
      `${loadScript(bundle.file)} console.log(JSON.stringify(asked));`,
    ].join('\n');
    const loaded = spawnSync(process.execPath, ['-e', script], { env, encoding: 'utf8' });
    expect(loaded.status, loaded.stderr).toBe(0);
    const asked: unknown = JSON.parse(loaded.stdout);
    expect(Array.isArray(asked) && asked.length > 0).toBe(true);
    for (const source of unusedCredentialSources) expect(asked).not.toContain(source);
  });

  it("keeps every module of a function out of lazy initialisers and zod's classic API out: no import() inside the bundle, the S3 SDK beside it", async () => {
    // A dynamic import() of a bundled module makes esbuild wrap that module's whole import graph in
    // lazy initialisers, compiled twice at every cold start: our photo store's once wrapped zod, the
    // SDK and our own code; the SDK's own import() of its event-stream serde wrapped 31 of its
    // modules until that stayed out (unreachedSdkModules).
    for (const name of ['submit-report', 'receive-sms']) {
      const spec = topology.functions.find((fn) => fn.name === name);
      if (!spec) throw new Error(`no ${name} in the topology`);
      const bundle = built(
        await buildBundle(
          { name, entry: spec.entry, env, sideModules: sideModulesOf(spec) },
          repoRoot,
          outRoot,
          { keepLines: true },
        ),
      );
      const code = readFileSync(bundle.file, 'utf8');
      const lines = code.split('\n');
      const modules = lines.flatMap((line, at) =>
        /^\/\/ (shared|functions|node_modules)\//.test(line)
          ? [{ module: line, next: lines[at + 1] ?? '' }]
          : [],
      );
      expect(modules.filter(({ module }) => module.startsWith('// shared/')).length).toBeGreaterThan(20);
      // zod's classic API costs every cold start a fixed ~7 ms and more per schema than zod/mini,
      // as soon as one module of the bundle uses it (shared/schema.ts).
      expect(modules.some(({ module }) => module.startsWith('// node_modules/zod/v4/mini/'))).toBe(true);
      expect(modules.filter(({ module }) => module.startsWith('// node_modules/zod/v4/classic/'))).toEqual(
        [],
      );
      const wrapped = modules.filter(({ next }) => /^var [^=]*= [\w$]+\(\(\) => \{$/.test(next));
      expect(wrapped.map(({ module }) => module)).toEqual([]);
      for (const external of unreachedSdkModules.filter((m) => code.includes(`"${m}"`)))
        expect(code).toContain(`require("${external}")`);
      const beside = path.join(path.dirname(bundle.file), sideModules.s3Sdk.file);
      expect(existsSync(beside)).toBe(name === 'submit-report');
    }
  });

  it('builds the baseline plainly: CommonJS without the banner', async () => {
    const bundle = built(
      await buildBundle(
        { name: 'baseline', entry: 'test/bench/baseline-handler.ts', env, plain: true },
        repoRoot,
        outRoot,
      ),
    );
    expect(readFileSync(bundle.file, 'utf8')).not.toContain('__civicloopImportMetaUrl');
  });

  it('refuses to time a bundle that exports no handler', () => {
    const file = path.join(outRoot, 'no-handler.js');
    writeFileSync(file, 'exports.notAHandler = 1;\n');
    expect(() => timeNode(file, env)).toThrow(/exited with 3/);
  });
});
