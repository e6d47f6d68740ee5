/**
 * Composition root of the admin function (administer): the routing rules, policies and classifier
 * models over the directory and classifier tables, read uncached.
 */
import { createDocumentClient } from '../../shared/adapters/aws-clients.ts';
import { DynamoDbClassifierModels } from '../../shared/adapters/dynamodb-classifier-models.ts';
import { DynamoDbDirectory } from '../../shared/adapters/dynamodb-directory.ts';
import { DynamoDbPolicies } from '../../shared/adapters/dynamodb-policies.ts';
import { loadConfig, TableName } from '../../shared/config.ts';
import * as z from '../../shared/schema.ts';
import type { ClassifierAdminDeps } from '../../shared/services/administer-classifier.ts';
import type { AdministerDeps } from '../../shared/services/administer-policies.ts';

const AdminConfig = z.object({ DIRECTORY_TABLE: TableName, CLASSIFIER_TABLE: TableName });

/** The routing rules, policies and classifier admin (administer). */
export function adminServices(env: NodeJS.ProcessEnv = process.env): AdministerDeps & ClassifierAdminDeps {
  const config = loadConfig(AdminConfig, env);
  const db = createDocumentClient();
  return {
    // Admins must see what is stored now, so these are read uncached.
    directory: new DynamoDbDirectory(db, config.DIRECTORY_TABLE),
    policies: new DynamoDbPolicies(db, config.DIRECTORY_TABLE),
    classifierModels: new DynamoDbClassifierModels(db, config.CLASSIFIER_TABLE),
    now: () => new Date(),
  };
}
