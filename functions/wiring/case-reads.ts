/**
 * Composition root of the functions that read cases and change none (get-case, get-case-photos,
 * get-stats, get-report-status): the case table, the directory and the statistics, built from
 * configuration parsed with zod on the first invocation. The writers (case-writes.ts) build on
 * `readServicesFrom`. A root per family, so a function's bundle holds only the adapters (and their
 * schemas) it builds: a reader never loads the SMS, queue or search adapters.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../../shared/adapters/aws-clients.ts';
import { DynamoDbCaseStore } from '../../shared/adapters/dynamodb-case-store.ts';
import { DynamoDbDirectory } from '../../shared/adapters/dynamodb-directory.ts';
import { DynamoDbStatsStore } from '../../shared/adapters/dynamodb-stats-store.ts';
import { loadConfig, TableName } from '../../shared/config.ts';
import type { CaseStore } from '../../shared/ports/case-store.ts';
import type { DirectoryReader } from '../../shared/ports/directory.ts';
import type { StatsStore } from '../../shared/ports/stats-store.ts';
import * as z from '../../shared/schema.ts';
import { cachedDirectory } from '../../shared/services/cached-directory.ts';
import type { ReportStatusDeps } from '../../shared/services/report-status.ts';

/** How long a function keeps the directory (and the policies) before reading them again. */
export const DIRECTORY_TTL_MS = 60_000;

export const CaseReadConfig = z.object({
  CASES_TABLE: TableName,
  DIRECTORY_TABLE: TableName,
  STATS_TABLE: TableName,
});

export interface CaseReadServices {
  cases: CaseStore;
  directory: DirectoryReader;
  stats: StatsStore;
  now: () => Date;
}

export const readServicesFrom = (
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
