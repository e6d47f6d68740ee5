/**
 * Composition root of the case functions (route-report, transition-case, rate-report, sweep-cases,
 * get-case, list-cases, search-cases, get-stats, anonymise-reports): the configuration they share, parsed with
 * zod, and the adapters and services deps built from it. Each handler calls one of these on its
 * first invocation and hands the result to its `makeHandler`, so tests hand in fakes instead.
 */
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { createDocumentClient, createSqsClient } from '../../shared/adapters/aws-clients.ts';
import {
  DynamoDbCaseBatchReader,
  DynamoDbCaseSearchIndex,
} from '../../shared/adapters/dynamodb-case-search.ts';
import { DynamoDbCaseStore } from '../../shared/adapters/dynamodb-case-store.ts';
import { DynamoDbDirectory } from '../../shared/adapters/dynamodb-directory.ts';
import { DynamoDbPendingSmsReports } from '../../shared/adapters/dynamodb-pending-sms-reports.ts';
import { DynamoDbPolicies } from '../../shared/adapters/dynamodb-policies.ts';
import { DynamoDbReportRetention } from '../../shared/adapters/dynamodb-report-retention.ts';
import { DynamoDbSmsState } from '../../shared/adapters/dynamodb-sms-state.ts';
import { DynamoDbStatsStore } from '../../shared/adapters/dynamodb-stats-store.ts';
import { openCursor, sealCursor } from '../../shared/adapters/page-cursor.ts';
import { SecretArn, secretReader } from '../../shared/adapters/secrets.ts';
import { SqsDispatchQueue } from '../../shared/adapters/sqs-queues.ts';
import { SqsStaffNotificationQueue } from '../../shared/adapters/sqs-staff-notification-queue.ts';
import { SqsWorkerRelayQueue } from '../../shared/adapters/sqs-wecom-queues.ts';
import { loadConfig, QueueUrl, TableName, UnitQueueUrls } from '../../shared/config.ts';
import {
  DEFAULT_RETENTION_DAYS,
  MAX_RETENTION_DAYS,
  MIN_RETENTION_DAYS,
} from '../../shared/domain/report-retention.ts';
import type { CaseSearchIndex } from '../../shared/ports/case-search.ts';
import type { CaseStore } from '../../shared/ports/case-store.ts';
import type { DirectoryReader } from '../../shared/ports/directory.ts';
import type { DispatchQueue } from '../../shared/ports/dispatch-queue.ts';
import type { PendingSmsReports } from '../../shared/ports/pending-sms-reports.ts';
import type { PolicyReader } from '../../shared/ports/policies.ts';
import type { SecretReader } from '../../shared/ports/secret.ts';
import type { SmsSender } from '../../shared/ports/sms-sender.ts';
import type { StaffNotificationQueue } from '../../shared/ports/staff-notifications.ts';
import type { StatsStore } from '../../shared/ports/stats-store.ts';
import type { WorkerRelayQueue } from '../../shared/ports/wecom.ts';
import type { AnonymiseDeps } from '../../shared/services/anonymise-reports.ts';
import { cachedDirectory, cachedPolicies } from '../../shared/services/cached-directory.ts';
import {
  type CaseExportDeps,
  EXPORT_CHUNK_BYTES,
  EXPORT_PAGE_SIZE,
} from '../../shared/services/case-export.ts';
import type { CaseSearchDeps } from '../../shared/services/case-search.ts';
import type { ReportStatusDeps } from '../../shared/services/report-status.ts';
import {
  DEFAULT_REPORTER_TEXTS_PER_DAY,
  type ReporterTextGate,
  reporterTextGate,
} from '../../shared/services/reporter-texts.ts';
import { photoStore } from './photos.ts';
import { smsSender } from './sms-sender.ts';

const DIRECTORY_TTL_MS = 60_000;

export const CaseReadConfig = z.object({
  CASES_TABLE: TableName,
  DIRECTORY_TABLE: TableName,
  STATS_TABLE: TableName,
});
/**
 * The case lists also sign their page cursors, with the secret `CURSOR_SECRET_ARN` names (read
 * when a list is asked for, at least 32 characters: shared/adapters/secrets.ts).
 */
export const CaseListConfig = CaseReadConfig.extend({ CURSOR_SECRET_ARN: SecretArn });
export const CaseWriteConfig = CaseReadConfig.extend({
  // A forwarded appeal's changes, queued for relay-to-workers (WeChat Work, issue 16).
  WECOM_RELAYS_QUEUE_URL: QueueUrl.optional(),
  UNIT_QUEUE_URLS: UnitQueueUrls,
  SMS_ORIGINATION_IDENTITY: z.string().min(1),
  // Reporters' texts: the opt-out list and the per-phone daily count live in the SMS table.
  SMS_TABLE: TableName,
  // The search postings, written by the case's outbox (shared/services/case-search.ts).
  SEARCH_TABLE: TableName,
  // The staff notifier's queue (return visits, escalations); bound to every case-writing function.
  STAFF_NOTIFICATIONS_QUEUE_URL: QueueUrl.optional(),
  /** Case updates one phone may be sent per day; unset (''), the default. */
  REPORTER_TEXTS_PER_DAY: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z.coerce.number().int().min(1).max(50).default(DEFAULT_REPORTER_TEXTS_PER_DAY),
  ),
});

export interface CaseReadServices {
  cases: CaseStore;
  directory: DirectoryReader;
  stats: StatsStore;
  now: () => Date;
}

export interface CaseWriteServices extends CaseReadServices {
  policies: PolicyReader;
  dispatch: DispatchQueue;
  sender: SmsSender;
  /** Opt-outs and the daily cap, before any text to a reporter (shared/services/case-effects.ts). */
  reporterTexts: ReporterTextGate;
  searchIndex: CaseSearchIndex;
  /** A forwarded appeal's changes, for its worker in WeChat Work (case-effects.ts). */
  workerRelays?: WorkerRelayQueue;
  /** Where return visits and escalations are raised for WeChat Work (issue 16 item 4). */
  staffNotifications?: StaffNotificationQueue;
}

const readServicesFrom = (
  db: DynamoDBDocumentClient,
  config: z.infer<typeof CaseReadConfig>,
): CaseReadServices => ({
  cases: new DynamoDbCaseStore(db, config.CASES_TABLE),
  directory: cachedDirectory(new DynamoDbDirectory(db, config.DIRECTORY_TABLE), DIRECTORY_TTL_MS),
  stats: new DynamoDbStatsStore(db, config.STATS_TABLE),
  now: () => new Date(),
});

export const caseReadServices = (env: NodeJS.ProcessEnv = process.env): CaseReadServices =>
  readServicesFrom(createDocumentClient(), loadConfig(CaseReadConfig, env));

/** A report's public status (get-report-status): the case and the directory, nothing else. */
export function reportStatusServices(env: NodeJS.ProcessEnv = process.env): ReportStatusDeps {
  const config = loadConfig(z.object({ CASES_TABLE: TableName, DIRECTORY_TABLE: TableName }), env);
  const db = createDocumentClient();
  return {
    cases: new DynamoDbCaseStore(db, config.CASES_TABLE),
    directory: cachedDirectory(new DynamoDbDirectory(db, config.DIRECTORY_TABLE), DIRECTORY_TTL_MS),
  };
}

export interface CaseListServices extends CaseReadServices {
  /** The secret the lists' page cursors are signed with. */
  cursorKey: SecretReader;
  /** The export's batch reads of the reports (the personal columns). */
  batch: CaseExportDeps['batch'];
  exportLimits: NonNullable<CaseExportDeps['exportLimits']>;
}

/**
 * The case lists and their export (list-cases): the lists' services and batch reads of the reports.
 * CASE_EXPORT_CHUNK_BYTES (unset in AWS: EXPORT_CHUNK_BYTES) lowers the chunk bound, so the
 * local runtime's tests see many chunks from a few hundred cases; it can never raise it.
 */
export const caseListServices = (env: NodeJS.ProcessEnv = process.env): CaseListServices => {
  const config = loadConfig(
    CaseListConfig.extend({
      CASE_EXPORT_CHUNK_BYTES: z.coerce
        .number()
        .int()
        .min(1)
        .max(EXPORT_CHUNK_BYTES)
        .default(EXPORT_CHUNK_BYTES),
    }),
    env,
  );
  const db = createDocumentClient();
  return {
    ...readServicesFrom(db, config),
    cursorKey: secretReader(config.CURSOR_SECRET_ARN),
    batch: new DynamoDbCaseBatchReader(db, config.CASES_TABLE),
    exportLimits: { pageSize: EXPORT_PAGE_SIZE, chunkBytes: config.CASE_EXPORT_CHUNK_BYTES },
  };
};

/** The write services over clients the caller already built (one set per cold start). */
export const writeServicesFrom = (
  db: DynamoDBDocumentClient,
  sqs: SQSClient,
  config: z.infer<typeof CaseWriteConfig>,
): CaseWriteServices => {
  const sms = new DynamoDbSmsState(db, config.SMS_TABLE);
  return {
    ...readServicesFrom(db, config),
    policies: cachedPolicies(new DynamoDbPolicies(db, config.DIRECTORY_TABLE), DIRECTORY_TTL_MS),
    dispatch: new SqsDispatchQueue(sqs, config.UNIT_QUEUE_URLS),
    sender: smsSender(config.SMS_ORIGINATION_IDENTITY),
    reporterTexts: reporterTextGate({ optOuts: sms, cap: sms, perDay: config.REPORTER_TEXTS_PER_DAY }),
    searchIndex: new DynamoDbCaseSearchIndex(db, config.SEARCH_TABLE),
    ...(config.WECOM_RELAYS_QUEUE_URL
      ? { workerRelays: new SqsWorkerRelayQueue(sqs, config.WECOM_RELAYS_QUEUE_URL) }
      : {}),
    ...(config.STAFF_NOTIFICATIONS_QUEUE_URL
      ? { staffNotifications: new SqsStaffNotificationQueue(sqs, config.STAFF_NOTIFICATIONS_QUEUE_URL) }
      : {}),
  };
};

export const caseWriteServices = (env: NodeJS.ProcessEnv = process.env): CaseWriteServices =>
  writeServicesFrom(createDocumentClient(), createSqsClient(), loadConfig(CaseWriteConfig, env));

/**
 * SMS reports held for their place (sweep-cases sends on the ones nobody answered): the SMS table,
 * which every case-writing function already reads and writes for reporters' texts.
 */
export const heldSmsReports = (env: NodeJS.ProcessEnv = process.env): PendingSmsReports =>
  new DynamoDbPendingSmsReports(createDocumentClient(), loadConfig(CaseWriteConfig, env).SMS_TABLE);

/**
 * Staff search (search-cases): the cases table (the case by code, and hits checked in batches),
 * the postings, and the cursor secret the lists sign with.
 */
export const CaseSearchConfig = z.object({
  CASES_TABLE: TableName,
  SEARCH_TABLE: TableName,
  CURSOR_SECRET_ARN: SecretArn,
});

export function caseSearchServices(env: NodeJS.ProcessEnv = process.env): CaseSearchDeps {
  const config = loadConfig(CaseSearchConfig, env);
  const db = createDocumentClient();
  return {
    cases: new DynamoDbCaseStore(db, config.CASES_TABLE),
    batch: new DynamoDbCaseBatchReader(db, config.CASES_TABLE),
    index: new DynamoDbCaseSearchIndex(db, config.SEARCH_TABLE),
    cursorKey: secretReader(config.CURSOR_SECRET_ARN),
    cursors: { seal: sealCursor, open: openCursor },
    now: () => new Date(),
  };
}

/**
 * The retention job: its configuration (the cases table and the retention period, CDK context
 * `reportRetentionDays`) and the one adapter built from it. It reaches nothing else: no queue, no
 * SMS, no statistics.
 */
// A deployment setting left unset arrives as ''; then the default applies.
const unsetAsDefault = (value: unknown) => (value === '' ? undefined : value);

export const RetentionConfig = z.object({
  CASES_TABLE: TableName,
  // The search postings of an anonymised report go with its words and phone.
  SEARCH_TABLE: TableName,
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
  const db = createDocumentClient();
  return {
    retention: new DynamoDbReportRetention(db, config.CASES_TABLE),
    searchIndex: new DynamoDbCaseSearchIndex(db, config.SEARCH_TABLE),
    // Loaded when a case with photos is anonymised: this module is every case function's wiring.
    photos: photoStore(env),
    retentionDays: config.REPORT_RETENTION_DAYS,
    now: () => new Date(),
  };
}
