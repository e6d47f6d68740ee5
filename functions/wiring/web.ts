/**
 * Composition root of the web functions over the directory alone: the catalog the report form and
 * the resident page are built from, and the routing rules and policies admin. Each factory parses
 * only its own function's configuration with zod and builds only its adapters.
 */
import * as z from 'zod';
import { createDocumentClient } from '../../shared/adapters/aws-clients.ts';
import { DynamoDbClassifierModels } from '../../shared/adapters/dynamodb-classifier-models.ts';
import { DynamoDbDirectory } from '../../shared/adapters/dynamodb-directory.ts';
import { DynamoDbPolicies } from '../../shared/adapters/dynamodb-policies.ts';
import { loadConfig, TableName } from '../../shared/config.ts';
import type { DirectoryReader } from '../../shared/ports/directory.ts';
import type { ClassifierAdminDeps } from '../../shared/services/administer-classifier.ts';
import type { AdministerDeps } from '../../shared/services/administer-policies.ts';
import { cachedDirectory } from '../../shared/services/cached-directory.ts';

const DIRECTORY_TTL_MS = 60_000;

const DirectoryConfig = z.object({ DIRECTORY_TABLE: TableName });

/** The catalog (get-catalog, resident-page): the directory, cached for a minute. */
export function catalogServices(env: NodeJS.ProcessEnv = process.env): { directory: DirectoryReader } {
  const config = loadConfig(DirectoryConfig, env);
  return {
    directory: cachedDirectory(
      new DynamoDbDirectory(createDocumentClient(), config.DIRECTORY_TABLE),
      DIRECTORY_TTL_MS,
    ),
  };
}

/** The routing rules, policies and classifier admin (administer). */
export function adminServices(env: NodeJS.ProcessEnv = process.env): AdministerDeps & ClassifierAdminDeps {
  const config = loadConfig(DirectoryConfig.extend({ CLASSIFIER_TABLE: TableName }), env);
  const db = createDocumentClient();
  return {
    // Admins must see what is stored now, so these are read uncached.
    directory: new DynamoDbDirectory(db, config.DIRECTORY_TABLE),
    policies: new DynamoDbPolicies(db, config.DIRECTORY_TABLE),
    classifierModels: new DynamoDbClassifierModels(db, config.CLASSIFIER_TABLE),
    now: () => new Date(),
  };
}
