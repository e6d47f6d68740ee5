/**
 * Composition root of list-cases: the readers' services (case-reads.ts), the secret its page
 * cursors are signed with, and batch reads of the reports for the export.
 */
import { createDocumentClient } from '../../shared/adapters/aws-clients.ts';
import { DynamoDbCaseBatchReader } from '../../shared/adapters/dynamodb-case-search.ts';
import { SecretArn, secretReader } from '../../shared/adapters/secrets.ts';
import { loadConfig } from '../../shared/config.ts';
import type { SecretReader } from '../../shared/ports/secret.ts';
import * as z from '../../shared/schema.ts';
import {
  type CaseExportDeps,
  EXPORT_CHUNK_BYTES,
  EXPORT_PAGE_SIZE,
} from '../../shared/services/case-export.ts';
import { CaseReadConfig, type CaseReadServices, readServicesFrom } from './case-reads.ts';

/**
 * The case lists also sign their page cursors, with the secret `CURSOR_SECRET_ARN` names (read
 * when a list is asked for, at least 32 characters: shared/adapters/secrets.ts).
 */
export const CaseListConfig = z.extend(CaseReadConfig, { CURSOR_SECRET_ARN: SecretArn });

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
    z.extend(CaseListConfig, {
      CASE_EXPORT_CHUNK_BYTES: z._default(
        z.coerce.number().check(z.int(), z.minimum(1), z.maximum(EXPORT_CHUNK_BYTES)),
        EXPORT_CHUNK_BYTES,
      ),
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
