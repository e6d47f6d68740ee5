/**
 * Composition for the case functions: the configuration they share, parsed once at cold start,
 * and the adapters built from it. Each function's module calls one of these and hands the result
 * to its `makeHandler`, so tests can hand in fakes instead.
 */
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { loadConfig, TableName, UnitQueueUrls } from '../config.ts';
import type { CaseStore } from '../ports/case-store.ts';
import type { DirectoryReader } from '../ports/directory.ts';
import type { DispatchQueue } from '../ports/dispatch-queue.ts';
import type { PolicyReader } from '../ports/policies.ts';
import type { SecretReader } from '../ports/secret.ts';
import type { SmsSender } from '../ports/sms-sender.ts';
import type { StatsStore } from '../ports/stats-store.ts';
import { cachedDirectory, cachedPolicies } from '../services/cached-directory.ts';
import {
  DEFAULT_REPORTER_TEXTS_PER_DAY,
  type ReporterTextGate,
  reporterTextGate,
} from '../services/reporter-texts.ts';
import { createDocumentClient, createSqsClient } from './aws-clients.ts';
import { DynamoDbCaseStore } from './dynamodb-case-store.ts';
import { DynamoDbDirectory } from './dynamodb-directory.ts';
import { DynamoDbPolicies } from './dynamodb-policies.ts';
import { DynamoDbSmsState } from './dynamodb-sms-state.ts';
import { DynamoDbStatsStore } from './dynamodb-stats-store.ts';
import { createSmsVoiceClient, EndUserMessagingSender } from './end-user-messaging-sender.ts';
import { localOutbox } from './local-outbox.ts';
import { SecretArn, secretReader } from './secrets.ts';
import { SqsDispatchQueue } from './sqs-queues.ts';

const DIRECTORY_TTL_MS = 60_000;

export const CaseReadConfig = z.object({
  CASES_TABLE: TableName,
  DIRECTORY_TABLE: TableName,
  STATS_TABLE: TableName,
});
/**
 * The case lists also sign their page cursors, with the secret `CURSOR_SECRET_ARN` names (read
 * when a list is asked for, at least 32 characters: shared/adapters/secrets.ts).
 */
export const CaseListConfig = CaseReadConfig.extend({ CURSOR_SECRET_ARN: SecretArn });
export const CaseWriteConfig = CaseReadConfig.extend({
  UNIT_QUEUE_URLS: UnitQueueUrls,
  SMS_ORIGINATION_IDENTITY: z.string().min(1),
  // Reporters' texts: the opt-out list and the per-phone daily count live in the SMS table.
  SMS_TABLE: TableName,
  /** Case updates one phone may be sent per day; unset (''), the default. */
  REPORTER_TEXTS_PER_DAY: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z.coerce.number().int().min(1).max(50).default(DEFAULT_REPORTER_TEXTS_PER_DAY),
  ),
});

/** What the local runtime sets instead of a phone number or pool id. */
export const LOCAL_OUTBOX = 'local-outbox';

/** End User Messaging in AWS; the local outbox (read by the phone simulator) on a laptop. */
export function smsSender(originationIdentity: string): SmsSender {
  return originationIdentity === LOCAL_OUTBOX
    ? localOutbox()
    : new EndUserMessagingSender(createSmsVoiceClient(), { originationIdentity });
}

export interface CaseReadServices {
  cases: CaseStore;
  directory: DirectoryReader;
  stats: StatsStore;
  now: () => Date;
}

export interface CaseWriteServices extends CaseReadServices {
  policies: PolicyReader;
  dispatch: DispatchQueue;
  sender: SmsSender;
  /** Opt-outs and the daily cap, before any text to a reporter (shared/services/case-effects.ts). */
  reporterTexts: ReporterTextGate;
}

const readServicesFrom = (
  db: DynamoDBDocumentClient,
  config: z.infer<typeof CaseReadConfig>,
): CaseReadServices => ({
  cases: new DynamoDbCaseStore(db, config.CASES_TABLE),
  directory: cachedDirectory(new DynamoDbDirectory(db, config.DIRECTORY_TABLE), DIRECTORY_TTL_MS),
  stats: new DynamoDbStatsStore(db, config.STATS_TABLE),
  now: () => new Date(),
});

export const caseReadServices = (env: NodeJS.ProcessEnv = process.env): CaseReadServices =>
  readServicesFrom(createDocumentClient(), loadConfig(CaseReadConfig, env));

export interface CaseListServices extends CaseReadServices {
  /** The secret the lists' page cursors are signed with. */
  cursorKey: SecretReader;
}

export const caseListServices = (env: NodeJS.ProcessEnv = process.env): CaseListServices => {
  const config = loadConfig(CaseListConfig, env);
  return {
    ...readServicesFrom(createDocumentClient(), config),
    cursorKey: secretReader(config.CURSOR_SECRET_ARN),
  };
};

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
  };
};

export const caseWriteServices = (env: NodeJS.ProcessEnv = process.env): CaseWriteServices =>
  writeServicesFrom(createDocumentClient(), createSqsClient(), loadConfig(CaseWriteConfig, env));
