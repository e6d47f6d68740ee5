/**
 * vitest globalSetup entry: unpacks the e2e tests' Chromium once, before any worker starts, so the
 * browser test files that start together find it ready instead of each unpacking ~200 MB at once.
 */
import { unpackedChromium } from './browser.ts';

export default async function setup(): Promise<void> {
  if (process.env.CIVICLOOP_CHROMIUM === undefined) await unpackedChromium();
}
