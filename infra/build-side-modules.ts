/**
 * `node infra/build-side-modules.ts <outDir> <module>...`: writes each side module a function
 * loads on a rare path (functions/wiring/side-modules.ts) into its bundle's directory, bundled as
 * the handlers are. CDK runs it after bundling each function that needs one
 * (`sideModulesOf` in infra/constructs/handler-bundling.ts); the bench builds the same.
 */
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { sideModuleNames } from '../functions/wiring/side-modules.ts';
import * as z from '../shared/schema.ts';
import { sideModuleBuildOptions } from './constructs/handler-bundling.ts';

const Args = z.tuple([z.string().check(z.minLength(1))], z.enum(sideModuleNames));
const parsed = Args.safeParse(process.argv.slice(2));
if (!parsed.success) {
  console.error(`usage: node infra/build-side-modules.ts <outDir> <${sideModuleNames.join('|')}>...`);
  process.exit(2);
}
const [outDir, ...modules] = parsed.data;
const repoRoot = fileURLToPath(new URL('..', import.meta.url));
for (const name of modules) await esbuild.build(sideModuleBuildOptions(name, repoRoot, outDir));
