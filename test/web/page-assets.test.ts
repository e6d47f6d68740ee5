/**
 * The pages' browser assets: built from a page's sources into one ES2017 IIFE defining
 * `civicloopPage` and a minified stylesheet; read from beside the bundled handler when there.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  buildPageAssets,
  loadPageAssets,
  pageAssetFiles,
  readPageAssets,
  writePageAssets,
} from '../../shared/web/page-assets.ts';

const temporary: string[] = [];
const tempDir = (): string => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'civicloop-page-assets-'));
  temporary.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of temporary.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A page's sources as the pipeline expects them: `<page>/browser/main.ts` and `<page>/<page>.css`. */
function fixturePage(): string {
  const root = tempDir();
  mkdirSync(path.join(root, 'resident', 'browser'), { recursive: true });
  writeFileSync(
    path.join(root, 'resident', 'browser', 'greet.ts'),
    'export const greeting = (name: string): string => "hello, " + name;\n',
  );
  writeFileSync(
    path.join(root, 'resident', 'browser', 'main.ts'),
    [
      "import { greeting } from './greet.ts';",
      'export interface Config { name?: string }',
      'export function start(config: Config): void {',
      '  document.title = greeting(config?.name ?? "nobody");',
      '}',
    ].join('\n'),
  );
  writeFileSync(path.join(root, 'resident', 'resident.css'), 'body {\n  margin: 0;\n  color: #ffffff;\n}\n');
  return root;
}

describe('buildPageAssets', () => {
  it('bundles the entry as an IIFE assigned to civicloopPage, lowered to ES2017, and minifies the CSS', () => {
    const assets = buildPageAssets('resident', { sourceDir: fixturePage() });
    expect(assets.script).toMatch(/^("use strict";)?var civicloopPage=/);
    expect(assets.script).toContain('start');
    // Optional chaining and ?? are ES2020: lowered away for older browsers.
    expect(assets.script).not.toContain('?.');
    expect(assets.script).not.toContain('??');
    expect(assets.script).not.toMatch(/\bexport\b|\bimport\b/);
    expect(assets.css).toBe('body{margin:0;color:#fff}');

    // Runs as the page runs it: the bundle, then the call the renderer appends.
    const document = { title: '' };
    new Function('document', `${assets.script}\ncivicloopPage.start({"name":"Pingyao"});`)(document);
    expect(document.title).toBe('hello, Pingyao');
  });

  it('fails loudly when the page has no entry', () => {
    expect(() => buildPageAssets('console', { sourceDir: fixturePage() })).toThrow(/main\.ts/);
  });
});

describe('readPageAssets', () => {
  it('reads what writePageAssets wrote beside a bundle', () => {
    const outDir = tempDir();
    writePageAssets('resident', outDir, { sourceDir: fixturePage() });
    expect(pageAssetFiles('resident')).toEqual({ script: 'resident.js', css: 'resident.css' });
    expect(readPageAssets('resident', outDir)).toEqual(
      buildPageAssets('resident', { sourceDir: fixturePage() }),
    );
  });

  it('reports nothing when either file is missing, so the page is built from source instead', () => {
    const outDir = tempDir();
    expect(readPageAssets('resident', outDir)).toBeUndefined();
    writeFileSync(path.join(outDir, 'resident.js'), 'var civicloopPage={};');
    expect(readPageAssets('resident', outDir)).toBeUndefined();
  });
});

describe('loadPageAssets', () => {
  it('builds the resident page from shared/web/resident/ when run from source, once per process', () => {
    const assets = loadPageAssets('resident');
    expect(assets.script).toMatch(/^("use strict";)?var civicloopPage=/);
    expect(assets.script).toContain('start');
    expect(assets.css).toContain('[hidden]{display:none!important}');
    expect(loadPageAssets('resident')).toBe(assets);
  });
});
