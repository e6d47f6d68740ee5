/**
 * The civicloop app in WeChat Work as the consumers acting for grid workers use it (issue 16
 * item 3: attach-wecom-photos, relay-to-workers): the app's secrets (corp id, app Secret) and
 * settings (agent id, API host), the token shared in the SMS table. Apart from the callback's
 * wiring (wecom.ts) so their bundles load no classifier and no callback crypto.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbWecomState } from '../../shared/adapters/dynamodb-wecom-state.ts';
import { secretReader } from '../../shared/adapters/secrets.ts';
import { WecomApiClient } from '../../shared/adapters/wecom-api.ts';
import * as z from '../../shared/schema.ts';
import { WecomAppConfig } from './wecom-app-config.ts';

/**
 * The app's settings (wecom-app-config.ts) with its two secrets optional, so a function deployed
 * without the app can say what is missing instead of failing its cold start.
 */
export const OptionalWecomAppConfig = z.partial(WecomAppConfig, {
  WECOM_CORP_ID_ARN: true,
  WECOM_APP_SECRET_ARN: true,
});

/** The app's client, or undefined when the function is not bound to the app's secrets. */
export function wecomAppClient(
  db: DynamoDBDocumentClient,
  smsTable: string,
  config: z.infer<typeof OptionalWecomAppConfig>,
): WecomApiClient | undefined {
  if (config.WECOM_CORP_ID_ARN === undefined || config.WECOM_APP_SECRET_ARN === undefined) return undefined;
  return new WecomApiClient({
    baseUrl: config.WECOM_API_BASE_URL,
    corpId: secretReader(config.WECOM_CORP_ID_ARN, { minLength: 1 }),
    appSecret: secretReader(config.WECOM_APP_SECRET_ARN, { minLength: 1 }),
    agentId: config.WECOM_AGENT_ID,
    tokens: new DynamoDbWecomState(db, smsTable),
  });
}
