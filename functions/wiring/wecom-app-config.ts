/**
 * The civicloop app's settings in the county's WeChat Work, as every function that calls the
 * platform parses them: the corp id and app secret (secrets, by ARN), the app's AgentId and the
 * API host (the government edition, 政务微信, runs its own). Its own module, so the callback's
 * composition root (and the case store behind it) stays out of the functions that only call.
 */
import { SecretArn } from '../../shared/adapters/secrets.ts';
import { unsetAsDefault } from '../../shared/config.ts';
import * as z from '../../shared/schema.ts';

/** The public platform's API host; the government edition (政务微信) names its own. */
export const WECOM_PUBLIC_API = 'https://qyapi.weixin.qq.com';

export const WecomAppConfig = z.object({
  WECOM_CORP_ID_ARN: SecretArn,
  WECOM_APP_SECRET_ARN: SecretArn,
  /** The civicloop app's AgentId in the county's WeChat Work; empty: 1000002, the first app's. */
  WECOM_AGENT_ID: z.preprocess(
    unsetAsDefault,
    z._default(z.string().check(z.regex(/^\d{1,12}$/)), '1000002'),
  ),
  WECOM_API_BASE_URL: z.preprocess(
    unsetAsDefault,
    z._default(z.url({ protocol: /^https?$/ }), WECOM_PUBLIC_API),
  ),
});
