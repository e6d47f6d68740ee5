/**
 * Composition root of the web form's intake (submit-report): the idempotency ledger, the
 * directory the community is checked against, the intake queue and the accepted phone numbers.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createDocumentClient, createSqsClient } from '../../shared/adapters/aws-clients.ts';
import { DynamoDbDirectory } from '../../shared/adapters/dynamodb-directory.ts';
import { DynamoDbSubmissionLedger } from '../../shared/adapters/dynamodb-submission-ledger.ts';
import { SqsIntakeQueue } from '../../shared/adapters/sqs-queues.ts';
import { loadConfig, QueueUrl, TableName } from '../../shared/config.ts';
import { type PhonePolicy, PhonePolicySetting } from '../../shared/domain/phone-number.ts';
import * as z from '../../shared/schema.ts';
import { cachedDirectory } from '../../shared/services/cached-directory.ts';
import type { SubmitReportDeps } from '../../shared/services/submit-report.ts';
import { photoStore } from './photos.ts';

const DIRECTORY_TTL_MS = 60_000;

export function submitReportServices(
  env: NodeJS.ProcessEnv = process.env,
): SubmitReportDeps & { phonePolicy: PhonePolicy } {
  const config = loadConfig(
    z.object({
      INTAKE_QUEUE_URL: QueueUrl,
      IDEMPOTENCY_TABLE: TableName,
      DIRECTORY_TABLE: TableName,
      ACCEPTED_PHONE_NUMBERS: PhonePolicySetting,
    }),
    env,
  );
  const db = createDocumentClient();
  return {
    ledger: new DynamoDbSubmissionLedger(db, config.IDEMPOTENCY_TABLE),
    directory: cachedDirectory(new DynamoDbDirectory(db, config.DIRECTORY_TABLE), DIRECTORY_TTL_MS),
    intake: new SqsIntakeQueue(createSqsClient(), config.INTAKE_QUEUE_URL),
    phonePolicy: config.ACCEPTED_PHONE_NUMBERS,
    now: () => new Date(),
    randomBytes: (n) => randomBytes(n),
    newId: () => randomUUID(),
    photos: photoStore(env),
  };
}
