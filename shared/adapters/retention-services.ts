/**
 * Composition for the retention job: its configuration (the cases table and the retention
 * period, CDK context `reportRetentionDays`), parsed once at cold start, and the adapter built
 * from it. The function reaches nothing else: no queue, no SMS, no statistics.
 */
import * as z from 'zod';
import { loadConfig, TableName } from '../config.ts';
import {
  DEFAULT_RETENTION_DAYS,
  MAX_RETENTION_DAYS,
  MIN_RETENTION_DAYS,
} from '../domain/report-retention.ts';
import type { AnonymiseDeps } from '../services/anonymise-reports.ts';
import { createDocumentClient } from './aws-clients.ts';
import { DynamoDbReportRetention } from './dynamodb-report-retention.ts';

/** A deployment setting left unset arrives as ''; then the default applies. */
const unsetAsDefault = (value: unknown) => (value === '' ? undefined : value);

export const RetentionConfig = z.object({
  CASES_TABLE: TableName,
  REPORT_RETENTION_DAYS: z.preprocess(
    unsetAsDefault,
    z.coerce
      .number()
      .int()
      .min(MIN_RETENTION_DAYS, `at least ${MIN_RETENTION_DAYS} days (longer than any rating window)`)
      .max(MAX_RETENTION_DAYS)
      .default(DEFAULT_RETENTION_DAYS),
  ),
});

export function retentionServices(env: NodeJS.ProcessEnv = process.env): AnonymiseDeps {
  const config = loadConfig(RetentionConfig, env);
  return {
    retention: new DynamoDbReportRetention(createDocumentClient(), config.CASES_TABLE),
    retentionDays: config.REPORT_RETENTION_DAYS,
    now: () => new Date(),
  };
}
