/**
 * One e2e test file's browser session: the local runtime (in memory, quiet) and a Chromium, started
 * before the file's tests and stopped after them; pages in fresh contexts with the desk defaults
 * (the console's office screen, Chinese, Shanghai time), closed after each test; and the uncaught
 * errors of their scripts, of which there must be none after any test. Call it at a file's top
 * level: it registers those hooks, so a file's own beforeAll (seeding data) runs after the start.
 */
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime.ts';
import { launchChromium } from './browser.ts';

// A common office screen; the console is built for desks first.
const desk: BrowserContextOptions = {
  viewport: { width: 1366, height: 900 },
  locale: 'zh-CN',
  timezoneId: 'Asia/Shanghai',
};

export interface BrowserSession {
  /** The runtime and the browser, once the session's beforeAll has started them. */
  started(): { runtime: LocalRuntime; browser: Browser };
  /** A page in a fresh context: the desk defaults, then the session's options, then these. */
  newPage(options?: BrowserContextOptions): Promise<Page>;
  /** Uncaught errors in the pages' scripts during the current test; there must be none. */
  readonly pageErrors: readonly string[];
}

/** `contextOptions` are the file's own defaults for every page (a phone, downloads, a scale). */
export function browserSession(contextOptions: BrowserContextOptions = {}): BrowserSession {
  let runtime: LocalRuntime | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    runtime = await startLocalRuntime({ port: 0, memory: true, quiet: true });
    browser = await launchChromium();
  }, 120_000);
  afterEach(async () => {
    for (const context of contexts.splice(0)) await context.close();
    expect(pageErrors.splice(0)).toEqual([]);
  });
  afterAll(async () => {
    await browser?.close();
    await runtime?.stop();
  });

  function started(): { runtime: LocalRuntime; browser: Browser } {
    if (!runtime || !browser) throw new Error('the runtime or the browser did not start');
    return { runtime, browser };
  }

  return {
    started,
    pageErrors,
    async newPage(options = {}) {
      const context = await started().browser.newContext({ ...desk, ...contextOptions, ...options });
      contexts.push(context);
      // The context's, not the page's, so a page the test opens from it (or a popup) is watched too.
      context.on('weberror', (webError) => pageErrors.push(webError.error().message));
      return context.newPage();
    },
  };
}
