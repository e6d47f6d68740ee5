/**
 * How a function's handler is bundled, beyond esbuild's defaults: one place for what CDK passes
 * (infra/constructs/civic-function.ts) and what the bench builds (test/bench/bundles.ts), which
 * must not load aws-cdk-lib to learn it.
 *
 * CommonJS, because a cold start loads it faster: Node compiles and links an ES module bundle
 * slower, and an ESM `import` of a built-in such as `node:http` (the SDK's HTTP handler) evaluates
 * all of its lazy exports, undici among them, where `require` does not (BENCHMARKS.md, "Cold
 * starts against the plain handler"). The sources stay ES modules: `module` before `main` picks
 * the packages' ES builds, which esbuild tree-shakes better than their CommonJS ones. Without a
 * package.json beside it, Lambda's Node runtime loads `index.js` as CommonJS.
 */

import type { BuildOptions } from 'esbuild';
import { type SideModule, sideModules } from '../../functions/wiring/side-modules.ts';
import type { FunctionSpec } from '../topology.ts';

/** The identifier `import.meta.url` becomes in the bundle, defined by the banner. */
const IMPORT_META_URL = '__civicloopImportMetaUrl';

/**
 * `import.meta.url` keeps meaning the bundle's own file URL, so a module that finds files beside
 * the bundled handler with it (the console's Chart.js, the pages' assets) finds them there.
 */
export const importMetaUrlBanner = `const ${IMPORT_META_URL} = require('node:url').pathToFileURL(__filename).href;`;
export const importMetaUrlDefine: Record<string, string> = { 'import.meta.url': IMPORT_META_URL };

export const handlerMainFields = ['module', 'main'];

/**
 * The SDK's credential sources a Lambda function never reaches, left out of its bundle. Lambda
 * hands every function its role's credentials in environment variables, so the SDK's default
 * chain stops at its first link (the environment, bundled). The later links — SSO, the shared
 * config and credentials files, credential_process, web identity, the container and instance
 * metadata endpoints — and the STS, SSO and sign-in clients behind them are 130 KB that every
 * cold start compiled and none ran: about 10 ms of CPU, a tenth of a plain handler's load. The
 * chain loads them with `import()` only when the environment holds no credentials; should that
 * ever happen in Lambda, Node finds them in the runtime's own AWS SDK (on its NODE_PATH, which
 * `require` reads, hence `handlerSupported`).
 */
export const unusedCredentialSources = [
  '@aws-sdk/credential-provider-ini',
  '@aws-sdk/credential-provider-sso',
  '@aws-sdk/credential-provider-process',
  '@aws-sdk/credential-provider-web-identity',
  '@aws-sdk/credential-provider-http',
  '@smithy/credential-provider-imds',
];

/**
 * SDK modules only a dynamic `import()` reaches, on paths our functions never take: event streams
 * (no DynamoDB, SQS, SMS or Secrets Manager operation we call streams) and the browser's
 * user-agent parser (bowser; Lambda is Node). The S3 client imports the event-stream serde
 * statically (SelectObjectContent), so the S3 SDK's side module bundles it and no handler bundles
 * the S3 client.
 * Bundled, the `import()` of the event-stream serde made esbuild wrap the 31 SDK modules it
 * imports in lazy initialisers, each compiled twice at every cold start. Left out, they are
 * `require`d from the runtime's own SDK should that ever happen, as the credential sources above.
 */
export const unreachedSdkModules = ['@smithy/core/event-streams', 'bowser'];

/** Everything a handler's bundle leaves out (CDK's `externalModules`, esbuild's `external`). */
export const handlerExternals = [...unusedCredentialSources, ...unreachedSdkModules];

/**
 * esbuild turns a dynamic `import()` of a module outside the bundle into `require()`: only
 * `require` resolves through NODE_PATH, and a `require` of a Node built-in never evaluates its
 * ESM facade (see above).
 */
export const handlerSupported: Record<string, boolean> = { 'dynamic-import': false };

/** `handlerSupported` as esbuild command-line arguments, CDK's `esbuildArgs`. */
export const handlerSupportedArgs: Record<string, string> = Object.fromEntries(
  Object.entries(handlerSupported).map(([feature, supported]) => [
    `--supported:${feature}`,
    String(supported),
  ]),
);

/**
 * The side modules a function's bundle needs beside it (functions/wiring/side-modules.ts): the S3
 * SDK wherever a function may touch the photo bucket, since its composition root may load the
 * photo store lazily.
 */
export function sideModulesOf(spec: Pick<FunctionSpec, 'bindings'>): SideModule[] {
  const touchesPhotos = spec.bindings.some((b) => b.kind === 'bucket' && b.access.length > 0);
  return touchesPhotos ? ['s3Sdk'] : [];
}

/** How a side module is bundled into `outDir`: as the handlers are, but with no banner. */
export function sideModuleBuildOptions(name: SideModule, repoRoot: string, outDir: string): BuildOptions {
  return {
    absWorkingDir: repoRoot,
    entryPoints: [sideModules[name].source],
    outfile: `${outDir}/${sideModules[name].file}`,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node24',
    minify: true,
    charset: 'utf8',
    mainFields: handlerMainFields,
    // Self-contained but for the credential sources: the S3 client needs its event-stream serde.
    external: unusedCredentialSources,
    supported: handlerSupported,
    logLevel: 'warning',
  };
}
