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
    // Handler modules parse their configuration at import; these are placeholders for unit tests,
    // whose clients are mocked. Integration tests start the local runtime, which sets the real ones.
    env: {
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      CASES_TABLE: 'test-cases',
      DIRECTORY_TABLE: 'test-directory',
      STATS_TABLE: 'test-stats',
      SMS_TABLE: 'test-sms',
      HOUSEHOLDS_TABLE: 'test-households',
      SMS_ORIGINATION_IDENTITY: 'local-outbox',
      IDEMPOTENCY_TABLE: 'test-idempotency',
      INTAKE_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/000000000000/test-intake',
      UNIT_QUEUE_URLS: '{}',
      OUTREACH_TABLE: 'test-outreach',
      OUTREACH_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/000000000000/test-outreach',
      OUTREACH_PLAN_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/000000000000/test-outreach-plan',
      // Read only when an SMS report is made, which unit tests do with their own reader.
      TRACKING_CODE_SECRET_ARN:
        'arn:aws:secretsmanager:us-east-1:000000000000:secret:test-tracking-code-AbCdEf',
    },
  },
});
