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

/** The identifier `import.meta.url` becomes in the bundle, defined by the banner. */
const IMPORT_META_URL = '__civicloopImportMetaUrl';

/**
 * `import.meta.url` keeps meaning the bundle's own file URL, so a module that finds files beside
 * the bundled handler with it (the console's Chart.js, the pages' assets) finds them there.
 */
export const importMetaUrlBanner = `const ${IMPORT_META_URL} = require('node:url').pathToFileURL(__filename).href;`;
export const importMetaUrlDefine: Record<string, string> = { 'import.meta.url': IMPORT_META_URL };

export const handlerMainFields = ['module', 'main'];
