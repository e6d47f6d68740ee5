/**
 * Composition for the SMS functions: everything the case functions have, plus the SMS channel's
 * memory, the household registry, the intake queue and a sender — End User Messaging in AWS, the
 * local outbox (read by the phone simulator) when the runtime says `local-outbox`.
 */
import * as z from 'zod';
import { loadConfig, QueueUrl, TableName } from '../config.ts';
import { defaultKeywordTable } from '../organisation/report-keywords.ts';
import type { SmsSender } from '../ports/sms-sender.ts';
import type { ReceiveSmsDeps } from '../services/receive-sms.ts';
import { createDocumentClient, createSqsClient } from './aws-clients.ts';
import { CaseWriteConfig, caseWriteServices } from './case-services.ts';
import { DynamoDbHouseholdRegistry } from './dynamodb-household-registry.ts';
import { DynamoDbSmsState } from './dynamodb-sms-state.ts';
import { createSmsVoiceClient, EndUserMessagingSender } from './end-user-messaging-sender.ts';
import { localOutbox } from './local-outbox.ts';
import { SqsIntakeQueue } from './sqs-queues.ts';

/** What the local runtime sets instead of a phone number or pool id. */
export const LOCAL_OUTBOX = 'local-outbox';

export const SmsConfig = CaseWriteConfig.extend({
  SMS_TABLE: TableName,
  HOUSEHOLDS_TABLE: TableName,
  INTAKE_QUEUE_URL: QueueUrl,
  SMS_ORIGINATION_IDENTITY: z.string().min(1),
  SMS_REPORTS_PER_HOUR: z.coerce.number().int().min(1).max(100).default(5),
});

export function smsSender(originationIdentity: string): SmsSender {
  return originationIdentity === LOCAL_OUTBOX
    ? localOutbox()
    : new EndUserMessagingSender(createSmsVoiceClient(), { originationIdentity });
}

export function sendSmsServices(env: NodeJS.ProcessEnv = process.env): ReceiveSmsDeps {
  const config = loadConfig(SmsConfig, env);
  const db = createDocumentClient();
  const state = new DynamoDbSmsState(db, config.SMS_TABLE);
  return {
    ...caseWriteServices(env),
    inbox: state,
    optOuts: state,
    rateLimit: state,
    households: new DynamoDbHouseholdRegistry(db, config.HOUSEHOLDS_TABLE),
    intake: new SqsIntakeQueue(createSqsClient(), config.INTAKE_QUEUE_URL),
    sender: smsSender(config.SMS_ORIGINATION_IDENTITY),
    keywords: defaultKeywordTable,
    reportsPerHour: config.SMS_REPORTS_PER_HOUR,
  };
}
