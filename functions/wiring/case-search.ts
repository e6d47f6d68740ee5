/**
 * Composition root of search-cases: the cases table (the case by code, and hits checked in
 * batches), the search postings, and the secret the case lists sign their cursors with.
 */
import { createDocumentClient } from '../../shared/adapters/aws-clients.ts';
import {
  DynamoDbCaseBatchReader,
  DynamoDbCaseSearchIndex,
} from '../../shared/adapters/dynamodb-case-search.ts';
import { DynamoDbCaseStore } from '../../shared/adapters/dynamodb-case-store.ts';
import { openCursor, sealCursor } from '../../shared/adapters/page-cursor.ts';
import { SecretArn, secretReader } from '../../shared/adapters/secrets.ts';
import { loadConfig, TableName } from '../../shared/config.ts';
import * as z from '../../shared/schema.ts';
import type { CaseSearchDeps } from '../../shared/services/case-search.ts';

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
