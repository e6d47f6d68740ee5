/**
 * `Idempotency-Key` support for HTTP endpoints, through Powertools' idempotency middleware: the
 * first answer for a key is stored for 24 hours and replayed; the same key with another body is
 * a 409, as is a retry while the first request is still running.
 */
import { IdempotencyConfig } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { makeHandlerIdempotent } from '@aws-lambda-powertools/idempotency/middleware';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type CivicloopError, IdempotencyConflictError } from '../errors.ts';

export const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;

export function idempotencyKeyMiddleware(client: DynamoDBClient, tableName: string) {
  return makeHandlerIdempotent({
    persistenceStore: new DynamoDBPersistenceLayer({ tableName, awsSdkV3Client: client }),
    config: new IdempotencyConfig({
      eventKeyJmesPath: 'headers."idempotency-key"',
      payloadValidationJmesPath: 'body',
      expiresAfterSeconds: IDEMPOTENCY_TTL_SECONDS,
      throwOnNoIdempotencyKey: false,
    }),
  });
}

/** Powertools' idempotency errors, in the project's taxonomy. */
export function translateIdempotencyError(error: unknown): CivicloopError | undefined {
  if (!(error instanceof Error)) return undefined;
  if (error.name === 'IdempotencyValidationError') {
    return new IdempotencyConflictError(
      'This Idempotency-Key was already used with a different request body',
      {
        cause: error,
      },
    );
  }
  if (error.name === 'IdempotencyAlreadyInProgressError') {
    return new IdempotencyConflictError(
      'A request with this Idempotency-Key is still being processed; retry shortly',
      {
        cause: error,
      },
    );
  }
  return undefined;
}
