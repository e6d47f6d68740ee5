/**
 * Composition root of the staff notifier (notify-staff, issue 16 item 4) and of the queue every
 * notification is raised onto: the directory (read at send time, cached briefly), the ledger of
 * notification keys in the SMS table, the WeChat Work app client with the app's shared token
 * (the same secrets and settings as the callback's), and the console's address for the links.
 */
import type { SQSClient } from '@aws-sdk/client-sqs';
import { createDocumentClient, createSqsClient } from '../../shared/adapters/aws-clients.ts';
import { DynamoDbDirectory } from '../../shared/adapters/dynamodb-directory.ts';
import { DynamoDbStaffNotificationLedger } from '../../shared/adapters/dynamodb-staff-notifications.ts';
import { DynamoDbWecomState } from '../../shared/adapters/dynamodb-wecom-state.ts';
import { secretReader } from '../../shared/adapters/secrets.ts';
import { SqsStaffNotificationQueue } from '../../shared/adapters/sqs-staff-notification-queue.ts';
import { WecomApiClient } from '../../shared/adapters/wecom-api.ts';
import { loadConfig, QueueUrl, TableName, unsetAsDefault } from '../../shared/config.ts';
import type { StaffNotificationQueue } from '../../shared/ports/staff-notifications.ts';
import * as z from '../../shared/schema.ts';
import { cachedDirectory } from '../../shared/services/cached-directory.ts';
import type { NotifyStaffDeps } from '../../shared/services/notify-staff.ts';
import { WecomAppConfig } from './wecom-app-config.ts';

/** The environment variable of the notifier's queue, in every function that raises notifications. */
export const STAFF_NOTIFICATIONS_QUEUE_ENV = 'STAFF_NOTIFICATIONS_QUEUE_URL';

export const NotifyStaffConfig = z.extend(WecomAppConfig, {
  DIRECTORY_TABLE: TableName,
  SMS_TABLE: TableName,
  /** The staff console's address, e.g. https://grid.pingyao.gov.cn/console; empty: no links. */
  CONSOLE_URL: z.preprocess(unsetAsDefault, z.optional(z.url({ protocol: /^https?$/ }))),
});

/** A worker moved to another grid stops getting its notifications within this long. */
const DIRECTORY_TTL_MS = 15_000;

export function notifyStaffServices(env: NodeJS.ProcessEnv = process.env): NotifyStaffDeps {
  const config = loadConfig(NotifyStaffConfig, env);
  const db = createDocumentClient();
  const corpId = secretReader(config.WECOM_CORP_ID_ARN, { minLength: 1 });
  return {
    directory: cachedDirectory(new DynamoDbDirectory(db, config.DIRECTORY_TABLE), DIRECTORY_TTL_MS),
    ledger: new DynamoDbStaffNotificationLedger(db, config.SMS_TABLE),
    messenger: new WecomApiClient({
      baseUrl: config.WECOM_API_BASE_URL,
      corpId,
      appSecret: secretReader(config.WECOM_APP_SECRET_ARN, { minLength: 1 }),
      agentId: config.WECOM_AGENT_ID,
      tokens: new DynamoDbWecomState(db, config.SMS_TABLE),
    }),
    consoleUrl: config.CONSOLE_URL,
    now: () => new Date(),
  };
}

/** The notifier's queue, for a function bound to it (see infra/topology.ts). */
export function staffNotificationQueue(
  env: NodeJS.ProcessEnv = process.env,
  sqs: SQSClient = createSqsClient(),
): StaffNotificationQueue {
  const config = loadConfig(z.object({ [STAFF_NOTIFICATIONS_QUEUE_ENV]: QueueUrl }), env);
  return new SqsStaffNotificationQueue(sqs, config[STAFF_NOTIFICATIONS_QUEUE_ENV]);
}
