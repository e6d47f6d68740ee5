import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Every file fails if a hosted function logs a phone, a reporter token or a description.
    setupFiles: ['test/support/log-guard-setup.ts'],
    // The browser tests' Chromium, unpacked once before the workers start (test/support/browser.ts).
    globalSetup: ['test/support/browser-setup.ts'],
  },
});
