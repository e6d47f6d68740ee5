/**
 * Composition for the SMS functions: everything the case functions have (sender included), plus
 * the SMS channel's memory, the household registry and the intake queue.
 */
import * as z from 'zod';
import { loadConfig, QueueUrl, TableName } from '../config.ts';
import { memoiseFor } from '../services/cached-directory.ts';
import type { ReceiveSmsDeps } from '../services/receive-sms.ts';
import { createDocumentClient, createSqsClient } from './aws-clients.ts';
import { CaseWriteConfig, writeServicesFrom } from './case-services.ts';
import { DynamoDbHouseholdRegistry } from './dynamodb-household-registry.ts';
import { DynamoDbPolicies } from './dynamodb-policies.ts';
import { DynamoDbSmsState } from './dynamodb-sms-state.ts';
import { SecretArn, secretReader } from './secrets.ts';
import { SqsIntakeQueue } from './sqs-queues.ts';

export const SmsConfig = CaseWriteConfig.extend({
  HOUSEHOLDS_TABLE: TableName,
  INTAKE_QUEUE_URL: QueueUrl,
  SMS_REPORTS_PER_HOUR: z.coerce.number().int().min(1).max(100).default(5),
  // The key SMS reports' tracking codes are derived with, read when a report is made.
  TRACKING_CODE_SECRET_ARN: SecretArn,
});

export function sendSmsServices(env: NodeJS.ProcessEnv = process.env): ReceiveSmsDeps {
  const config = loadConfig(SmsConfig, env);
  const db = createDocumentClient();
  const sqs = createSqsClient();
  const state = new DynamoDbSmsState(db, config.SMS_TABLE);
  const policies = new DynamoDbPolicies(db, config.DIRECTORY_TABLE);
  return {
    ...writeServicesFrom(db, sqs, config),
    inbox: state,
    optOuts: state,
    rateLimit: state,
    households: new DynamoDbHouseholdRegistry(db, config.HOUSEHOLDS_TABLE),
    intake: new SqsIntakeQueue(sqs, config.INTAKE_QUEUE_URL),
    keywords: memoiseFor(() => policies.loadKeywords(), 60_000),
    reportsPerHour: config.SMS_REPORTS_PER_HOUR,
    trackingCodeSecret: secretReader(config.TRACKING_CODE_SECRET_ARN),
  };
}
