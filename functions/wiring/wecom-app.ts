/**
 * The civicloop app in WeChat Work as the consumers acting for grid workers use it (issue 16
 * item 3: attach-wecom-photos, relay-to-workers): the app's secrets (corp id, app Secret) and
 * settings (agent id, API host), the token shared in the SMS table. Apart from the callback's
 * wiring (wecom.ts) so their bundles load no classifier and no callback crypto.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbWecomState } from '../../shared/adapters/dynamodb-wecom-state.ts';
import { SecretArn, secretReader } from '../../shared/adapters/secrets.ts';
import { WecomApiClient } from '../../shared/adapters/wecom-api.ts';
import * as z from '../../shared/schema.ts';

const orDefault = (v: unknown) => (v === '' ? undefined : v);

/** The app's configuration; the secrets optional, so a caller can say what is missing. */
export const WecomAppConfig = z.object({
  WECOM_CORP_ID_ARN: z.optional(SecretArn),
  WECOM_APP_SECRET_ARN: z.optional(SecretArn),
  /** The app's AgentId; empty: 1000002, the first app's. */
  WECOM_AGENT_ID: z.preprocess(orDefault, z._default(z.string().check(z.regex(/^\d{1,12}$/)), '1000002')),
  /** The government edition's own API host; empty: the public platform's. */
  WECOM_API_BASE_URL: z.preprocess(
    orDefault,
    z._default(z.url({ protocol: /^https?$/ }), 'https://qyapi.weixin.qq.com'),
  ),
});

/** The app's client, or undefined when the function is not bound to the app's secrets. */
export function wecomAppClient(
  db: DynamoDBDocumentClient,
  smsTable: string,
  config: z.infer<typeof WecomAppConfig>,
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
