/**
 * Composition root of anonymise-reports, the retention job: its configuration (the cases table and
 * the retention period, CDK context `reportRetentionDays`) and the adapters built from it. It
 * reaches nothing else: no queue, no SMS, no statistics.
 */
import { createDocumentClient } from '../../shared/adapters/aws-clients.ts';
import { DynamoDbCaseSearchIndex } from '../../shared/adapters/dynamodb-case-search.ts';
import { DynamoDbReportRetention } from '../../shared/adapters/dynamodb-report-retention.ts';
import { loadConfig, TableName, unsetAsDefault } from '../../shared/config.ts';
import {
  DEFAULT_RETENTION_DAYS,
  MAX_RETENTION_DAYS,
  MIN_RETENTION_DAYS,
} from '../../shared/domain/report-retention.ts';
import * as z from '../../shared/schema.ts';
import type { AnonymiseDeps } from '../../shared/services/anonymise-reports.ts';
import { photoStore } from './photos.ts';

/** Whole days a report keeps its words and phone, between the bounds the domain sets. */
const RetentionDays = z.coerce
  .number()
  .check(
    z.int(),
    z.minimum(MIN_RETENTION_DAYS, `at least ${MIN_RETENTION_DAYS} days (longer than any rating window)`),
    z.maximum(MAX_RETENTION_DAYS),
  );

export const RetentionConfig = z.object({
  CASES_TABLE: TableName,
  // The search postings of an anonymised report go with its words and phone.
  SEARCH_TABLE: TableName,
  REPORT_RETENTION_DAYS: z.preprocess(unsetAsDefault, z._default(RetentionDays, DEFAULT_RETENTION_DAYS)),
});

export function retentionServices(env: NodeJS.ProcessEnv = process.env): AnonymiseDeps {
  const config = loadConfig(RetentionConfig, env);
  const db = createDocumentClient();
  return {
    retention: new DynamoDbReportRetention(db, config.CASES_TABLE),
    searchIndex: new DynamoDbCaseSearchIndex(db, config.SEARCH_TABLE),
    // The S3 client loads when a case with photos is anonymised (functions/wiring/photos.ts).
    photos: photoStore(env),
    retentionDays: config.REPORT_RETENTION_DAYS,
    now: () => new Date(),
  };
}
