/**
 * Composition root of the functions that change cases (route-report, transition-case,
 * rate-report, sweep-cases, and through sms.ts receive-sms and sms-webhooks): the readers'
 * services (case-reads.ts) and what the lifecycle's effects reach: dispatch queues, the reporter's
 * texts, the search postings, the WeChat Work relays and staff notifications. Each handler calls
 * one of these on its first invocation and hands the result to its `makeHandler`, so tests hand in
 * fakes instead.
 */
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient, createSqsClient } from '../../shared/adapters/aws-clients.ts';
import { DynamoDbCaseSearchIndex } from '../../shared/adapters/dynamodb-case-search.ts';
import { DynamoDbPolicies } from '../../shared/adapters/dynamodb-policies.ts';
import { DynamoDbSmsState } from '../../shared/adapters/dynamodb-sms-state.ts';
import { SqsDispatchQueue } from '../../shared/adapters/sqs-queues.ts';
import { SqsStaffNotificationQueue } from '../../shared/adapters/sqs-staff-notification-queue.ts';
import { SqsWorkerRelayQueue } from '../../shared/adapters/sqs-wecom-queues.ts';
import { loadConfig, QueueUrl, TableName, UnitQueueUrls, unsetAsDefault } from '../../shared/config.ts';
import type { CaseSearchIndex } from '../../shared/ports/case-search.ts';
import type { DispatchQueue } from '../../shared/ports/dispatch-queue.ts';
import type { PolicyReader } from '../../shared/ports/policies.ts';
import type { SmsSender } from '../../shared/ports/sms-sender.ts';
import type { StaffNotificationQueue } from '../../shared/ports/staff-notifications.ts';
import type { WorkerRelayQueue } from '../../shared/ports/wecom.ts';
import * as z from '../../shared/schema.ts';
import { cachedPolicies } from '../../shared/services/cached-directory.ts';
import {
  DEFAULT_REPORTER_TEXTS_PER_DAY,
  type ReporterTextGate,
  reporterTextGate,
} from '../../shared/services/reporter-texts.ts';
import { CaseReadConfig, type CaseReadServices, DIRECTORY_TTL_MS, readServicesFrom } from './case-reads.ts';
import { smsSender } from './sms-sender.ts';

export const CaseWriteConfig = z.extend(CaseReadConfig, {
  // A forwarded appeal's changes, queued for relay-to-workers (WeChat Work, issue 16).
  WECOM_RELAYS_QUEUE_URL: z.optional(QueueUrl),
  UNIT_QUEUE_URLS: UnitQueueUrls,
  SMS_ORIGINATION_IDENTITY: z.string().check(z.minLength(1)),
  // Reporters' texts: the opt-out list and the per-phone daily count live in the SMS table.
  SMS_TABLE: TableName,
  // The search postings, written by the case's outbox (shared/services/case-search.ts).
  SEARCH_TABLE: TableName,
  // The staff notifier's queue (return visits, escalations); bound to every case-writing function.
  STAFF_NOTIFICATIONS_QUEUE_URL: z.optional(QueueUrl),
  /** Case updates one phone may be sent per day; unset (''), the default. */
  REPORTER_TEXTS_PER_DAY: z.preprocess(
    unsetAsDefault,
    z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(50)), DEFAULT_REPORTER_TEXTS_PER_DAY),
  ),
});

export interface CaseWriteServices extends CaseReadServices {
  policies: PolicyReader;
  dispatch: DispatchQueue;
  sender: SmsSender;
  /** Opt-outs and the daily cap, before any text to a reporter (shared/services/case-effects.ts). */
  reporterTexts: ReporterTextGate;
  searchIndex: CaseSearchIndex;
  /** A forwarded appeal's changes, for its worker in WeChat Work (case-effects.ts). */
  workerRelays?: WorkerRelayQueue;
  /** Where return visits and escalations are raised for WeChat Work (issue 16 item 4). */
  staffNotifications?: StaffNotificationQueue;
}

/** The write services over clients the caller already built (one set per cold start). */
export const writeServicesFrom = (
  db: DynamoDBDocumentClient,
  sqs: SQSClient,
  config: z.infer<typeof CaseWriteConfig>,
): CaseWriteServices => {
  const sms = new DynamoDbSmsState(db, config.SMS_TABLE);
  return {
    ...readServicesFrom(db, config),
    policies: cachedPolicies(new DynamoDbPolicies(db, config.DIRECTORY_TABLE), DIRECTORY_TTL_MS),
    dispatch: new SqsDispatchQueue(sqs, config.UNIT_QUEUE_URLS),
    sender: smsSender(config.SMS_ORIGINATION_IDENTITY),
    reporterTexts: reporterTextGate({ optOuts: sms, cap: sms, perDay: config.REPORTER_TEXTS_PER_DAY }),
    searchIndex: new DynamoDbCaseSearchIndex(db, config.SEARCH_TABLE),
    ...(config.WECOM_RELAYS_QUEUE_URL
      ? { workerRelays: new SqsWorkerRelayQueue(sqs, config.WECOM_RELAYS_QUEUE_URL) }
      : {}),
    ...(config.STAFF_NOTIFICATIONS_QUEUE_URL
      ? { staffNotifications: new SqsStaffNotificationQueue(sqs, config.STAFF_NOTIFICATIONS_QUEUE_URL) }
      : {}),
  };
};

export const caseWriteServices = (env: NodeJS.ProcessEnv = process.env): CaseWriteServices =>
  writeServicesFrom(createDocumentClient(), createSqsClient(), loadConfig(CaseWriteConfig, env));
