/**
 * Composition of outreach to the grids' WeChat groups for the planner (plan-outreach): the
 * directory (the grids' groups), the runs' tasks and the groups' monthly slots in the outreach
 * table, the platform's mass-send calls with the app's token from the one shared cache (the SMS
 * table), and the delayed polling requests on the planning queue.
 */
import { createDocumentClient, createSqsClient } from '../../shared/adapters/aws-clients.ts';
import { DynamoDbDirectory } from '../../shared/adapters/dynamodb-directory.ts';
import { DynamoDbGroupMassSends } from '../../shared/adapters/dynamodb-group-mass-sends.ts';
import { DynamoDbStatsStore } from '../../shared/adapters/dynamodb-stats-store.ts';
import { DynamoDbWecomState } from '../../shared/adapters/dynamodb-wecom-state.ts';
import { secretReader } from '../../shared/adapters/secrets.ts';
import { SqsGroupPollQueue } from '../../shared/adapters/sqs-group-poll-queue.ts';
import { WecomApiClient } from '../../shared/adapters/wecom-api.ts';
import { WecomGroupMassSendApi } from '../../shared/adapters/wecom-group-mass-send.ts';
import { loadConfig, QueueUrl, TableName, unsetAsDefault } from '../../shared/config.ts';
import * as z from '../../shared/schema.ts';
import { cachedDirectory } from '../../shared/services/cached-directory.ts';
import { countingGroupReach } from '../../shared/services/count-group-reach.ts';
import type { GroupOutreachDeps } from '../../shared/services/group-mass-send-run.ts';
import { WecomAppConfig } from './wecom-app-config.ts';

export const GroupOutreachConfig = z.extend(WecomAppConfig, {
  OUTREACH_TABLE: TableName,
  DIRECTORY_TABLE: TableName,
  SMS_TABLE: TableName,
  STATS_TABLE: TableName,
  OUTREACH_PLAN_QUEUE_URL: QueueUrl,
  WECOM_GROUP_SENDS_PER_MONTH: z.preprocess(
    unsetAsDefault,
    z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(31)), 4),
  ),
});

const HOUR_MS = 3_600_000;

export function groupOutreachServices(
  base: Pick<GroupOutreachDeps, 'campaigns' | 'leases' | 'planQueue'>,
  env: NodeJS.ProcessEnv = process.env,
): GroupOutreachDeps {
  const config = loadConfig(GroupOutreachConfig, env);
  const db = createDocumentClient();
  const store = new DynamoDbGroupMassSends(db, config.OUTREACH_TABLE);
  const tokens = new WecomApiClient({
    baseUrl: config.WECOM_API_BASE_URL,
    corpId: secretReader(config.WECOM_CORP_ID_ARN, { minLength: 1 }),
    appSecret: secretReader(config.WECOM_APP_SECRET_ARN, { minLength: 1 }),
    agentId: config.WECOM_AGENT_ID,
    tokens: new DynamoDbWecomState(db, config.SMS_TABLE),
  });
  const directory = cachedDirectory(new DynamoDbDirectory(db, config.DIRECTORY_TABLE), 60_000);
  const now = () => new Date();
  return {
    ...base,
    directory,
    slots: store,
    // A group the platform reports sent is counted in the statistics by channel as it is recorded.
    log: countingGroupReach(store, { reach: new DynamoDbStatsStore(db, config.STATS_TABLE), directory, now }),
    progress: store,
    platform: new WecomGroupMassSendApi({ baseUrl: config.WECOM_API_BASE_URL, tokens }),
    pollQueue: new SqsGroupPollQueue(createSqsClient(), config.OUTREACH_PLAN_QUEUE_URL),
    ownersPerPage: 25,
    // The planner's timeout (120 s) and a margin, as for SMS runs.
    leaseMs: 180_000,
    pollDelaySeconds: 900,
    // A grid worker who has not confirmed after four hours gets the platform's reminder, once.
    remindAfterMs: 4 * HOUR_MS,
    // Three days to confirm; then what was not sent is reported as not sent.
    pollWindowMs: 72 * HOUR_MS,
    sendsPerMonth: config.WECOM_GROUP_SENDS_PER_MONTH,
    now,
  };
}
