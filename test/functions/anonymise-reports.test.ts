/**
 * The retention function's edge: its setting parsed once with a clear error naming it, and the
 * scheduled event running the job against the real cases table, logging counts and tracking
 * codes but never what was removed.
 */
import { randomUUID } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import type { ScheduledEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import tickEvent from '../../events/eventbridge/scheduled-tick.json' with { type: 'json' };
import { makeHandler } from '../../functions/anonymise-reports.ts';
import { RetentionConfig } from '../../functions/wiring/retention.ts';
import { DynamoDbCaseStore } from '../../shared/adapters/dynamodb-case-store.ts';
import { DynamoDbReportRetention } from '../../shared/adapters/dynamodb-report-retention.ts';
import { loadConfig } from '../../shared/config.ts';
import type { CaseState } from '../../shared/domain/case.ts';
import { ANONYMISED_DESCRIPTION } from '../../shared/domain/report-retention.ts';
import { ConfigError } from '../../shared/errors.ts';
import { type EmulatedTables, emulatedTables } from '../support/emulated-tables.ts';
import { lambdaContext } from '../support/lambda-context.ts';
import { captureOutput } from '../support/logs.ts';

let env: EmulatedTables;
let store: DynamoDbCaseStore;

beforeAll(async () => {
  env = await emulatedTables();
  store = new DynamoDbCaseStore(env.db, env.tables.cases ?? '');
});
afterAll(async () => {
  await env?.stop();
});

const closedCase = (code: string, closedAt: string): CaseState => ({
  trackingCode: code,
  submissionId: randomUUID(),
  stage: 'closed',
  version: 6,
  category: 'sanitation',
  communityId: 'chengdong-kangning',
  townshipId: 'chengdong',
  unitId: 'centre-chengdong',
  routing: { kind: 'rule' },
  channel: 'sms',
  submittedAt: '2025-01-02T01:00:00.000Z',
  updatedAt: closedAt,
  timeline: [{ stage: 'closed', at: closedAt, by: 'u-supervisor', action: 'close' }],
});

describe('the retention setting', () => {
  const env = { CASES_TABLE: 'civicloop-cases', SEARCH_TABLE: 'civicloop-search' };

  it('is 365 days when the deployment leaves it unset', () => {
    expect(loadConfig(RetentionConfig, { ...env, REPORT_RETENTION_DAYS: '' }).REPORT_RETENTION_DAYS).toBe(
      365,
    );
    expect(loadConfig(RetentionConfig, env).REPORT_RETENTION_DAYS).toBe(365);
    expect(loadConfig(RetentionConfig, { ...env, REPORT_RETENTION_DAYS: '180' }).REPORT_RETENTION_DAYS).toBe(
      180,
    );
  });

  it('refuses a period shorter than any rating window, or not a whole number of days, naming the setting', () => {
    for (const bad of ['30', '365.5', 'a year', '9999']) {
      expect(() => loadConfig(RetentionConfig, { ...env, REPORT_RETENTION_DAYS: bad })).toThrow(ConfigError);
      expect(() => loadConfig(RetentionConfig, { ...env, REPORT_RETENTION_DAYS: bad })).toThrow(
        /REPORT_RETENTION_DAYS/,
      );
    }
  });
});

describe('the anonymise-reports function', () => {
  it('anonymises what is due on the scheduled event and logs counts, never the removed text', async () => {
    const code = 'RT0000001';
    const state = closedCase(code, '2025-01-03T01:00:00.000Z');
    await store.saveReport({
      trackingCode: code,
      submissionId: state.submissionId,
      description: '楼道垃圾没人清，我叫李建国',
      contactPhone: '+8613911112222',
    });
    await store.createCase(state, []);

    const output = captureOutput();
    let run: Awaited<ReturnType<ReturnType<typeof makeHandler>>>;
    try {
      const handler = makeHandler({
        logger: new Logger({ serviceName: 'civicloop', logLevel: 'INFO' }),
        retention: new DynamoDbReportRetention(env.db, env.tables.cases ?? ''),
        retentionDays: 365,
        now: () => new Date('2026-02-01T00:00:00.000Z'),
      });
      // JSON widens the literal fields; the sample holds EventBridge's exact values.
      const scheduled: ScheduledEvent = {
        ...structuredClone(tickEvent),
        'detail-type': 'Scheduled Event',
        source: 'aws.events',
      };
      run = await handler(scheduled, lambdaContext('civicloop-anonymise-reports'));
    } finally {
      output.restore();
    }
    expect(run.anonymised).toEqual([code]);
    expect((await store.getReport(code))?.description).toBe(ANONYMISED_DESCRIPTION);
    const logged = output.text();
    expect(logged).toContain('"anonymised":1');
    expect(logged).not.toMatch(/13911112222|李建国|垃圾/);
  });
});
