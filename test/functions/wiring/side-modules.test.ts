import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadS3Sdk, sideModulePath, sideModules } from '../../../functions/wiring/side-modules.ts';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const bundleDir = mkdtempSync(path.join(os.tmpdir(), 'civicloop-side-modules-'));
afterAll(() => rmSync(bundleDir, { recursive: true, force: true }));

describe('side modules', () => {
  it("load from the file beside the bundle when there is one (import.meta.url is the bundle's own)", () => {
    const beside = path.join(bundleDir, sideModules.s3Sdk.file);
    writeFileSync(beside, 'module.exports = {};');
    const bundle = pathToFileURL(path.join(bundleDir, 'index.js')).href;
    expect(sideModulePath('s3Sdk', bundle)).toBe(beside);
  });

  it('load from their source in the repository when nothing is beside the caller', () => {
    const elsewhere = pathToFileURL(path.join(os.tmpdir(), 'no-such-bundle', 'index.js')).href;
    expect(sideModulePath('s3Sdk', elsewhere)).toBe(path.join(repoRoot, sideModules.s3Sdk.source));
  });

  it('give the photo store the S3 SDK from source', async () => {
    const sdk = await loadS3Sdk();
    expect(typeof sdk.S3Client).toBe('function');
    expect(typeof sdk.getSignedUrl).toBe('function');
  });
});
