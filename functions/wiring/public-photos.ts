/**
 * Composition root of where an evidence photo made public is recorded: the case item
 * (get-case-photos binds the cases table readWrite for it). Apart from photos.ts so the upload
 * function's bundle loads no DynamoDB case store.
 */
import { createDocumentClient } from '../../shared/adapters/aws-clients.ts';
import { DynamoDbCaseStore } from '../../shared/adapters/dynamodb-case-store.ts';
import { loadConfig, TableName } from '../../shared/config.ts';
import type { PublicPhotoRecorder } from '../../shared/ports/case-store.ts';
import * as z from '../../shared/schema.ts';

export function publicPhotoRecorder(env: NodeJS.ProcessEnv = process.env): PublicPhotoRecorder {
  const { CASES_TABLE } = loadConfig(z.object({ CASES_TABLE: TableName }), env);
  return new DynamoDbCaseStore(createDocumentClient(), CASES_TABLE);
}
