/**
 * Composition root of the SMS functions (receive-sms, sms-webhooks): everything the case functions
 * have (sender included), plus the SMS channel's memory, the household registry and the intake
 * queue; for the webhooks, the gateways' settings and secrets too.
 */
import { createDocumentClient, createSqsClient } from '../../shared/adapters/aws-clients.ts';
import { DynamoDbHouseholdRegistry } from '../../shared/adapters/dynamodb-household-registry.ts';
import { DynamoDbPendingSmsReports } from '../../shared/adapters/dynamodb-pending-sms-reports.ts';
import { DynamoDbPolicies } from '../../shared/adapters/dynamodb-policies.ts';
import { DynamoDbSmsState } from '../../shared/adapters/dynamodb-sms-state.ts';
import { SecretArn, secretReader } from '../../shared/adapters/secrets.ts';
import { SqsIntakeQueue } from '../../shared/adapters/sqs-queues.ts';
import { loadConfig, QueueUrl, TableName } from '../../shared/config.ts';
import type { SecretReader } from '../../shared/ports/secret.ts';
import * as z from '../../shared/schema.ts';
import { memoiseFor } from '../../shared/services/cached-directory.ts';
import type { ReceiveSmsDeps } from '../../shared/services/receive-sms.ts';
import { CaseWriteConfig, writeServicesFrom } from './case-writes.ts';
import { classifierModelFrom } from './classifier.ts';

export const SmsConfig = z.extend(CaseWriteConfig, {
  HOUSEHOLDS_TABLE: TableName,
  INTAKE_QUEUE_URL: QueueUrl,
  SMS_REPORTS_PER_HOUR: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100)), 5),
  // The key SMS reports' tracking codes are derived with, read when a report is made.
  TRACKING_CODE_SECRET_ARN: SecretArn,
  // The report classifier's trained models (issue 14); none stored: keywords only.
  CLASSIFIER_TABLE: TableName,
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
    pendingReports: new DynamoDbPendingSmsReports(db, config.SMS_TABLE),
    households: new DynamoDbHouseholdRegistry(db, config.HOUSEHOLDS_TABLE),
    intake: new SqsIntakeQueue(sqs, config.INTAKE_QUEUE_URL),
    keywords: memoiseFor(() => policies.loadKeywords(), 60_000),
    classifierModel: classifierModelFrom(db, config.CLASSIFIER_TABLE),
    reportsPerHour: config.SMS_REPORTS_PER_HOUR,
    trackingCodeSecret: secretReader(config.TRACKING_CODE_SECRET_ARN),
  };
}

export const GatewaySettings = z.object({
  SMS_ALLOWLIST_ALIYUN: z._default(z.string(), ''),
  SMS_ALLOWLIST_TENCENT: z._default(z.string(), ''),
  /** The exact URL configured in Twilio; when empty, rebuilt from the request. */
  TWILIO_WEBHOOK_URL: z._default(z.string(), ''),
});
export type GatewaySettings = z.infer<typeof GatewaySettings>;

/** The gateways' secrets, by ARN: read when a request needs them (shared/adapters/secrets.ts). */
export const GatewaySecrets = z.object({
  SMS_GATEWAY_SECRET_ARN: SecretArn,
  TWILIO_AUTH_TOKEN_ARN: SecretArn,
});

export interface GatewayServices {
  settings: GatewaySettings;
  /** The path secret of the Aliyun and Tencent callback URLs. */
  gatewaySecret: SecretReader;
  /** The key of X-Twilio-Signature. */
  twilioAuthToken: SecretReader;
}

/** The webhooks' own part: which gateway may call, and the secrets that prove it did. */
export function gatewayServices(env: NodeJS.ProcessEnv = process.env): GatewayServices {
  const secrets = loadConfig(GatewaySecrets, env);
  return {
    settings: loadConfig(GatewaySettings, env),
    gatewaySecret: secretReader(secrets.SMS_GATEWAY_SECRET_ARN),
    twilioAuthToken: secretReader(secrets.TWILIO_AUTH_TOKEN_ARN),
  };
}
