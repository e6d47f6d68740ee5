/**
 * Composition root of sweep-cases: the case writers' services (case-writes.ts) and the SMS reports
 * held for their place, which the sweep sends on when nobody answered, over one set of clients.
 * Apart from case-writes.ts so the other case functions do not load the held reports' adapter and
 * schemas.
 */
import { createDocumentClient, createSqsClient } from '../../shared/adapters/aws-clients.ts';
import { DynamoDbPendingSmsReports } from '../../shared/adapters/dynamodb-pending-sms-reports.ts';
import { loadConfig } from '../../shared/config.ts';
import type { PendingSmsReports } from '../../shared/ports/pending-sms-reports.ts';
import { CaseWriteConfig, type CaseWriteServices, writeServicesFrom } from './case-writes.ts';

export interface SweepServices extends CaseWriteServices {
  /** In the SMS table, which every case-writing function already reads and writes for reporters' texts. */
  pendingReports: PendingSmsReports;
}

export function sweepServices(env: NodeJS.ProcessEnv = process.env): SweepServices {
  const config = loadConfig(CaseWriteConfig, env);
  const db = createDocumentClient();
  return {
    ...writeServicesFrom(db, createSqsClient(), config),
    pendingReports: new DynamoDbPendingSmsReports(db, config.SMS_TABLE),
  };
}
