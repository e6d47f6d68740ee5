/**
 * Composition for the outreach functions: each one's configuration, parsed once at cold start,
 * and the adapters built from it over one set of clients. Handlers take the result in their
 * `makeHandler`, so tests hand in fakes instead.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createDocumentClient, createSqsClient } from '../../shared/adapters/aws-clients.ts';
import { DynamoDbDirectory } from '../../shared/adapters/dynamodb-directory.ts';
import { DynamoDbFraudReports } from '../../shared/adapters/dynamodb-fraud-reports.ts';
import { DynamoDbGroupMassSends } from '../../shared/adapters/dynamodb-group-mass-sends.ts';
import { DynamoDbHouseholdRegistry } from '../../shared/adapters/dynamodb-household-registry.ts';
import { DynamoDbOutreachStore } from '../../shared/adapters/dynamodb-outreach-store.ts';
import { DynamoDbSendPacer } from '../../shared/adapters/dynamodb-send-pacer.ts';
import { DynamoDbSmsState } from '../../shared/adapters/dynamodb-sms-state.ts';
import { DynamoDbStatsStore } from '../../shared/adapters/dynamodb-stats-store.ts';
import { SqsOutreachQueue, SqsPlanQueue } from '../../shared/adapters/sqs-queues.ts';
import { loadConfig, QueueUrl, TableName, unsetAsDefault } from '../../shared/config.ts';
import { DEFAULT_QUIET_HOURS, QuietHours } from '../../shared/domain/outreach/quiet-hours.ts';
import * as z from '../../shared/schema.ts';
import { cachedDirectory } from '../../shared/services/cached-directory.ts';
import type { CampaignApiDeps } from '../../shared/services/campaigns/planner-context.ts';
import type { PlanOutreachDeps } from '../../shared/services/plan-outreach-run.ts';
import type { SendOutreachDeps } from '../../shared/services/send-outreach-batch.ts';
import type { StartDueRunsDeps } from '../../shared/services/start-due-runs.ts';
import { smsSender } from './sms-sender.ts';
import { staffNotificationQueue } from './staff-notifications.ts';

const DIRECTORY_TTL_MS = 60_000;
const DAY_MS = 86_400_000;

/** `HH:MM-HH:MM`, e.g. `21:00-08:00` (the default), read as quiet hours. */
const QuietHoursRange = z.pipe(
  z._default(z.string(), `${DEFAULT_QUIET_HOURS.start}-${DEFAULT_QUIET_HOURS.end}`),
  z.transform((raw: string, ctx) => {
    const [start, end] = raw.split('-');
    const parsed = QuietHours.safeParse({ start, end });
    if (!parsed.success) {
      ctx.issues.push({ code: 'custom', message: 'expected HH:MM-HH:MM, e.g. 21:00-08:00', input: raw });
      return z.NEVER;
    }
    return parsed.data;
  }),
);

/** The quiet hours as set; unset (''), the default. */
const QuietHoursSetting = z.preprocess(unsetAsDefault, QuietHoursRange);

/** The frequency cap in days: the sender applies it and the campaign preview estimates with it. */
const CapDaysSetting = z.preprocess(
  unsetAsDefault,
  z._default(z.coerce.number().check(z.int(), z.minimum(0), z.maximum(90)), 7),
);

export const CampaignApiConfig = z.object({
  OUTREACH_TABLE: TableName,
  DIRECTORY_TABLE: TableName,
  STATS_TABLE: TableName,
  HOUSEHOLDS_TABLE: TableName,
  OUTREACH_QUIET_HOURS: QuietHoursSetting,
  OUTREACH_CAP_DAYS: CapDaysSetting,
  /** The platform's mass-sends per WeChat group and month, as the group planner applies it. */
  WECOM_GROUP_SENDS_PER_MONTH: z.preprocess(
    unsetAsDefault,
    z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(31)), 4),
  ),
});

export const OutreachTickConfig = z.object({
  OUTREACH_TABLE: TableName,
  DIRECTORY_TABLE: TableName,
  SMS_TABLE: TableName,
  SMS_ORIGINATION_IDENTITY: z.string().check(z.minLength(1)),
  OUTREACH_QUEUE_URL: QueueUrl,
  OUTREACH_PLAN_QUEUE_URL: QueueUrl,
});

export const PlanOutreachConfig = z.object({
  OUTREACH_TABLE: TableName,
  HOUSEHOLDS_TABLE: TableName,
  OUTREACH_QUEUE_URL: QueueUrl,
  OUTREACH_PLAN_QUEUE_URL: QueueUrl,
});

export const SendOutreachConfig = z.object({
  OUTREACH_TABLE: TableName,
  HOUSEHOLDS_TABLE: TableName,
  SMS_TABLE: TableName,
  STATS_TABLE: TableName,
  SMS_ORIGINATION_IDENTITY: z.string().check(z.minLength(1)),
  OUTREACH_QUIET_HOURS: QuietHoursSetting,
  /** Across all senders together; providers and carriers throttle above their agreed rate. */
  OUTREACH_MESSAGES_PER_SECOND: z.preprocess(
    unsetAsDefault,
    z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(1000)), 20),
  ),
  OUTREACH_CAP_DAYS: CapDaysSetting,
});

/** Short, readable campaign ids (`cmp-` + 10 base-32 characters) for URLs and the CLI. */
export const newCampaignId = (): string => {
  const alphabet = 'abcdefghijkmnpqrstuvwxyz23456789';
  return `cmp-${[...randomBytes(10)].map((b) => alphabet[b % 32]).join('')}`;
};

export function campaignApiServices(env: NodeJS.ProcessEnv = process.env): CampaignApiDeps {
  const config = loadConfig(CampaignApiConfig, env);
  const db = createDocumentClient();
  const store = new DynamoDbOutreachStore(db, config.OUTREACH_TABLE);
  const groupSends = new DynamoDbGroupMassSends(db, config.OUTREACH_TABLE);
  return {
    campaigns: store,
    directory: cachedDirectory(new DynamoDbDirectory(db, config.DIRECTORY_TABLE), DIRECTORY_TTL_MS),
    fraudReports: new DynamoDbFraudReports(db, config.STATS_TABLE),
    households: new DynamoDbHouseholdRegistry(db, config.HOUSEHOLDS_TABLE),
    reach: store,
    capWindowMs: config.OUTREACH_CAP_DAYS * DAY_MS,
    quietHours: config.OUTREACH_QUIET_HOURS,
    groupSends: { slots: groupSends, log: groupSends, sendsPerMonth: config.WECOM_GROUP_SENDS_PER_MONTH },
    newId: newCampaignId,
    now: () => new Date(),
  };
}

export function outreachTickServices(env: NodeJS.ProcessEnv = process.env): StartDueRunsDeps {
  const config = loadConfig(OutreachTickConfig, env);
  const db = createDocumentClient();
  const sqs = createSqsClient();
  return {
    campaigns: new DynamoDbOutreachStore(db, config.OUTREACH_TABLE),
    planQueue: new SqsPlanQueue(sqs, config.OUTREACH_PLAN_QUEUE_URL),
    outreachQueue: new SqsOutreachQueue(sqs, config.OUTREACH_QUEUE_URL),
    directory: cachedDirectory(new DynamoDbDirectory(db, config.DIRECTORY_TABLE), DIRECTORY_TTL_MS),
    sender: smsSender(config.SMS_ORIGINATION_IDENTITY),
    notifications: new DynamoDbSmsState(db, config.SMS_TABLE),
    // Tomorrow's lecture or screening, told to the communities' grid workers in WeChat Work.
    staffNotifications: staffNotificationQueue(env, sqs),
    newToken: randomUUID,
    now: () => new Date(),
  };
}

export function planOutreachServices(env: NodeJS.ProcessEnv = process.env): PlanOutreachDeps {
  const config = loadConfig(PlanOutreachConfig, env);
  const db = createDocumentClient();
  const sqs = createSqsClient();
  const store = new DynamoDbOutreachStore(db, config.OUTREACH_TABLE);
  return {
    campaigns: store,
    leases: store,
    households: new DynamoDbHouseholdRegistry(db, config.HOUSEHOLDS_TABLE),
    outreachQueue: new SqsOutreachQueue(sqs, config.OUTREACH_QUEUE_URL),
    planQueue: new SqsPlanQueue(sqs, config.OUTREACH_PLAN_QUEUE_URL),
    pageSize: 500,
    batchSize: 50,
    // The planner's timeout (120 s) and a margin: a planner past this has died.
    leaseMs: 180_000,
    now: () => new Date(),
  };
}

export function sendOutreachServices(env: NodeJS.ProcessEnv = process.env): SendOutreachDeps {
  const config = loadConfig(SendOutreachConfig, env);
  const db = createDocumentClient();
  const store = new DynamoDbOutreachStore(db, config.OUTREACH_TABLE);
  return {
    campaigns: store,
    deliveries: store,
    leases: store,
    cap: store,
    pacer: new DynamoDbSendPacer(db, config.OUTREACH_TABLE, {
      messagesPerSecond: config.OUTREACH_MESSAGES_PER_SECOND,
    }),
    households: new DynamoDbHouseholdRegistry(db, config.HOUSEHOLDS_TABLE),
    optOuts: new DynamoDbSmsState(db, config.SMS_TABLE),
    reach: new DynamoDbStatsStore(db, config.STATS_TABLE),
    sender: smsSender(config.SMS_ORIGINATION_IDENTITY),
    quietHours: config.OUTREACH_QUIET_HOURS,
    capWindowMs: config.OUTREACH_CAP_DAYS * DAY_MS,
    // The sender's timeout (120 s) and a margin: a sender past this has died.
    leaseMs: 180_000,
    now: () => new Date(),
  };
}
