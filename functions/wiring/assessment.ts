/**
 * Composition root of the unit assessment (get-assessment) and of the policies get-stats reads for
 * working days: only the statistics and directory tables (the policies live in the directory
 * table), read-only, parsed with zod. No case is read on these routes.
 */
import { createDocumentClient } from '../../shared/adapters/aws-clients.ts';
import { DynamoDbDirectory } from '../../shared/adapters/dynamodb-directory.ts';
import { DynamoDbPolicies } from '../../shared/adapters/dynamodb-policies.ts';
import { DynamoDbStatsStore } from '../../shared/adapters/dynamodb-stats-store.ts';
import { loadConfig, TableName } from '../../shared/config.ts';
import type { PolicyReader } from '../../shared/ports/policies.ts';
import * as z from '../../shared/schema.ts';
import { cachedDirectory, cachedPolicies } from '../../shared/services/cached-directory.ts';
import type { AssessmentDeps } from '../../shared/services/unit-assessment.ts';

const DIRECTORY_TTL_MS = 60_000;

export const AssessmentConfig = z.object({ DIRECTORY_TABLE: TableName, STATS_TABLE: TableName });

export function assessmentServices(env: NodeJS.ProcessEnv = process.env): AssessmentDeps {
  const config = loadConfig(AssessmentConfig, env);
  const db = createDocumentClient();
  return {
    stats: new DynamoDbStatsStore(db, config.STATS_TABLE),
    directory: cachedDirectory(new DynamoDbDirectory(db, config.DIRECTORY_TABLE), DIRECTORY_TTL_MS),
    policies: cachedPolicies(new DynamoDbPolicies(db, config.DIRECTORY_TABLE), DIRECTORY_TTL_MS),
    now: () => new Date(),
  };
}

/** The policies (for the working calendar) of a function that reads the directory table. */
export function policyReaderServices(env: NodeJS.ProcessEnv = process.env): { policies: PolicyReader } {
  const config = loadConfig(z.object({ DIRECTORY_TABLE: TableName }), env);
  return {
    policies: cachedPolicies(
      new DynamoDbPolicies(createDocumentClient(), config.DIRECTORY_TABLE),
      DIRECTORY_TTL_MS,
    ),
  };
}
