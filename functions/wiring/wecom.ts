import { createDocumentClient, createSqsClient } from '../../shared/adapters/aws-clients.ts';
import { DynamoDbCaseStore } from '../../shared/adapters/dynamodb-case-store.ts';
import { DynamoDbDirectory } from '../../shared/adapters/dynamodb-directory.ts';
import { DynamoDbPolicies } from '../../shared/adapters/dynamodb-policies.ts';
import { DynamoDbWecomState } from '../../shared/adapters/dynamodb-wecom-state.ts';
import { SecretArn, secretReader } from '../../shared/adapters/secrets.ts';
import { SqsIntakeQueue } from '../../shared/adapters/sqs-queues.ts';
import { SqsWecomPhotoQueue } from '../../shared/adapters/sqs-wecom-queues.ts';
import { WecomApiClient } from '../../shared/adapters/wecom-api.ts';
import { loadConfig, QueueUrl, TableName } from '../../shared/config.ts';
import { PhonePolicySetting } from '../../shared/domain/phone-number.ts';
import * as z from '../../shared/schema.ts';
import { cachedDirectory, memoiseFor } from '../../shared/services/cached-directory.ts';
import type { ReceiveWecomDeps } from '../../shared/services/receive-wecom.ts';
import { classifierModelFrom } from './classifier.ts';
import { WecomAppConfig } from './wecom-app-config.ts';

export const WecomConfig = z.extend(WecomAppConfig, {
  CASES_TABLE: TableName,
  DIRECTORY_TABLE: TableName,
  SMS_TABLE: TableName,
  CLASSIFIER_TABLE: TableName,
  INTAKE_QUEUE_URL: QueueUrl,
  /** Forwarded photos, fetched by attach-wecom-photos. */
  WECOM_PHOTOS_QUEUE_URL: QueueUrl,
  /** The contact phones the county texts (the web form's); empty: mainland mobiles. */
  ACCEPTED_PHONE_NUMBERS: PhonePolicySetting,
  TRACKING_CODE_SECRET_ARN: SecretArn,
  WECOM_CALLBACK_TOKEN_ARN: SecretArn,
  WECOM_ENCODING_AES_KEY_ARN: SecretArn,
});

export function wecomCallbackServices(env: NodeJS.ProcessEnv = process.env): ReceiveWecomDeps {
  const config = loadConfig(WecomConfig, env);
  const db = createDocumentClient();
  const state = new DynamoDbWecomState(db, config.SMS_TABLE);
  const policies = new DynamoDbPolicies(db, config.DIRECTORY_TABLE);
  // Provider-issued values are short: a corp id is 18 characters, a callback Token up to 32.
  const corpId = secretReader(config.WECOM_CORP_ID_ARN, { minLength: 1 });
  const token = secretReader(config.WECOM_CALLBACK_TOKEN_ARN, { minLength: 1 });
  const encodingAesKey = secretReader(config.WECOM_ENCODING_AES_KEY_ARN, { minLength: 43 });
  const sqs = createSqsClient();
  return {
    cases: new DynamoDbCaseStore(db, config.CASES_TABLE),
    directory: cachedDirectory(new DynamoDbDirectory(db, config.DIRECTORY_TABLE), 60_000),
    callbackKeys: async () => ({
      token: await token(),
      encodingAesKey: await encodingAesKey(),
      receiverId: await corpId(),
    }),
    memory: state,
    intake: new SqsIntakeQueue(sqs, config.INTAKE_QUEUE_URL),
    appeals: state,
    photoQueue: new SqsWecomPhotoQueue(sqs, config.WECOM_PHOTOS_QUEUE_URL),
    phonePolicy: config.ACCEPTED_PHONE_NUMBERS,
    messenger: new WecomApiClient({
      baseUrl: config.WECOM_API_BASE_URL,
      corpId,
      appSecret: secretReader(config.WECOM_APP_SECRET_ARN, { minLength: 1 }),
      agentId: config.WECOM_AGENT_ID,
      tokens: state,
    }),
    keywords: memoiseFor(() => policies.loadKeywords(), 60_000),
    classifierModel: classifierModelFrom(db, config.CLASSIFIER_TABLE),
    trackingCodeSecret: secretReader(config.TRACKING_CODE_SECRET_ARN),
    now: () => new Date(),
  };
}
