/**
 * Composition root of the catalogue (get-catalog, resident-page): the directory alone, cached.
 * Kept apart from the admin's (./admin.ts) so the resident-facing functions do not load the
 * policies and classifier adapters, and their schemas, on every cold start.
 */
import { createDocumentClient } from '../../shared/adapters/aws-clients.ts';
import { DynamoDbDirectory } from '../../shared/adapters/dynamodb-directory.ts';
import { loadConfig, TableName } from '../../shared/config.ts';
import type { DirectoryReader } from '../../shared/ports/directory.ts';
import * as z from '../../shared/schema.ts';
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
