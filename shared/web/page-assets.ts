/**
 * The browser code and stylesheet of the server-rendered pages, as the page renderers inline them.
 * Each page `<page>` has its sources in `shared/web/<page>/`: the entry `browser/main.ts`, which
 * exports `start(config)`, and the stylesheet `<page>.css`. esbuild turns them into one minified
 * IIFE that defines the global `civicloopPage` (ES2017: the county's desk and phone browsers) and
 * one minified stylesheet for the same browsers.
 *
 * In Lambda the two files sit beside the bundled handler (CDK's bundling hook writes them there
 * with `infra/build-page-assets.ts`, see `pageAssets` in infra/topology.ts). Run from source — the
 * local runtime, the tests — they are not there, and the page is built from its sources on first
 * use with the esbuild of node_modules. esbuild is loaded through `createRequire` so a Lambda
 * bundle never contains it. Either way, once per process.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const browserPages = ['resident', 'console', 'grid-worker'] as const;
export type BrowserPage = (typeof browserPages)[number];

export interface PageAssets {
  /** Defines `civicloopPage`; the renderer appends `civicloopPage.start(<config>)`. */
  script: string;
  css: string;
}

type Esbuild = typeof import('esbuild');

/** The global the bundled entry's exports are assigned to. */
export const PAGE_GLOBAL = 'civicloopPage';

/** The names the assets go by beside a bundled handler. */
export const pageAssetFiles = (page: BrowserPage): { script: string; css: string } => ({
  script: `${page}.js`,
  css: `${page}.css`,
});

// The browsers of ES2017's time. Without a target esbuild writes the newest syntax it may (e.g.
// rgba() as #rrggbbaa, which those browsers ignore); with one it keeps the old forms and adds
// the vendor prefixes they need.
const CSS_TARGETS = ['chrome58', 'edge16', 'firefox57', 'safari11'];

// This module's folder: shared/web/ from source, the bundle's folder in Lambda.
const moduleDir = path.dirname(fileURLToPath(import.meta.url));

export interface BuildOptions {
  /** The esbuild module; by default the one in node_modules. */
  esbuild?: Esbuild;
  /** The folder holding `<page>/`; by default shared/web/ (tests build fixtures elsewhere). */
  sourceDir?: string;
}

/** Builds a page's script and stylesheet from `shared/web/<page>/`. */
export function buildPageAssets(page: BrowserPage, options: BuildOptions = {}): PageAssets {
  const esbuild = options.esbuild ?? loadEsbuild();
  const sources = path.join(options.sourceDir ?? moduleDir, page);
  const common = { bundle: true, minify: true, write: false, charset: 'utf8', logLevel: 'silent' } as const;
  const script = esbuild.buildSync({
    ...common,
    entryPoints: [path.join(sources, 'browser', 'main.ts')],
    platform: 'browser',
    format: 'iife',
    globalName: PAGE_GLOBAL,
    target: 'es2017',
  });
  const css = esbuild.buildSync({
    ...common,
    entryPoints: [path.join(sources, `${page}.css`)],
    target: CSS_TARGETS,
  });
  return { script: onlyOutput(script, page).trimEnd(), css: onlyOutput(css, page).trimEnd() };
}

/** Builds a page's assets and writes them into `outDir` under the names `readPageAssets` expects. */
export function writePageAssets(page: BrowserPage, outDir: string, options: BuildOptions = {}): void {
  const assets = buildPageAssets(page, options);
  const files = pageAssetFiles(page);
  mkdirSync(outDir, { recursive: true });
  writeFileSync(path.join(outDir, files.script), assets.script);
  writeFileSync(path.join(outDir, files.css), assets.css);
}

/** The page's assets as written into `dir`, or undefined when they are not there. */
export function readPageAssets(page: BrowserPage, dir: string): PageAssets | undefined {
  const files = pageAssetFiles(page);
  const script = path.join(dir, files.script);
  const css = path.join(dir, files.css);
  if (!existsSync(script) || !existsSync(css)) return undefined;
  return { script: readFileSync(script, 'utf8'), css: readFileSync(css, 'utf8') };
}

const loaded = new Map<BrowserPage, PageAssets>();

/** The page's assets: beside the bundled handler, else built from source. Once per process. */
export function loadPageAssets(page: BrowserPage): PageAssets {
  let assets = loaded.get(page);
  if (assets === undefined) {
    assets = readPageAssets(page, moduleDir) ?? buildPageAssets(page);
    loaded.set(page, assets);
  }
  return assets;
}

function loadEsbuild(): Esbuild {
  // Not `import`: an import would make every Lambda bundle that serves a page carry esbuild.
  const esbuild: Esbuild = createRequire(import.meta.url)('esbuild');
  return esbuild;
}

function onlyOutput(result: { outputFiles?: { text: string }[] }, page: BrowserPage): string {
  const [output, ...rest] = result.outputFiles ?? [];
  if (output === undefined || rest.length > 0) {
    throw new Error(`page assets: esbuild gave ${result.outputFiles?.length ?? 0} outputs for ${page}`);
  }
  return output.text;
}
