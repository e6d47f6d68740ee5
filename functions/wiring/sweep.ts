/**
 * Composition root of sweep-cases: the case writers' services (case-writes.ts) and the SMS reports
 * held for their place, which the sweep sends on when nobody answered. Apart from case-writes.ts
 * so the other case functions do not load the held reports' adapter and schemas.
 */
import { createDocumentClient } from '../../shared/adapters/aws-clients.ts';
import { DynamoDbPendingSmsReports } from '../../shared/adapters/dynamodb-pending-sms-reports.ts';
import { loadConfig } from '../../shared/config.ts';
import type { PendingSmsReports } from '../../shared/ports/pending-sms-reports.ts';
import { CaseWriteConfig } from './case-writes.ts';

/** The SMS table, which every case-writing function already reads and writes for reporters' texts. */
export const heldSmsReports = (env: NodeJS.ProcessEnv = process.env): PendingSmsReports =>
  new DynamoDbPendingSmsReports(createDocumentClient(), loadConfig(CaseWriteConfig, env).SMS_TABLE);
