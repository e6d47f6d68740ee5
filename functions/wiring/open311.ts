/**
 * Composition roots of Open311: the open311 function (the directory, the cases read through the
 * county lanes, the partner keys and their pepper, and the intake's ledger, queue and phone
 * policy) and the administer function's partner management (the partner table and the pepper).
 */
import { randomBytes } from 'node:crypto';
import { createDocumentClient } from '../../shared/adapters/aws-clients.ts';
import { DynamoDbCaseStore } from '../../shared/adapters/dynamodb-case-store.ts';
import { DynamoDbPartnerKeys } from '../../shared/adapters/dynamodb-partner-keys.ts';
import { DynamoDbServiceRequestFeed } from '../../shared/adapters/dynamodb-service-request-feed.ts';
import { SecretArn, secretReader } from '../../shared/adapters/secrets.ts';
import { loadConfig, TableName, unsetAsDefault } from '../../shared/config.ts';
import * as z from '../../shared/schema.ts';
import type { PartnerAdminDeps } from '../../shared/services/administer-partners.ts';
import {
  DEFAULT_PARTNER_REQUESTS_PER_MINUTE,
  type Open311ReadDeps,
  type Open311SubmitDeps,
} from '../../shared/services/open311.ts';
import { submitReportServices } from './intake.ts';

const PartnerConfig = z.object({ PARTNERS_TABLE: TableName, PARTNER_KEY_PEPPER_ARN: SecretArn });

/** Partner POSTs per minute per key; empty: 60. */
const PartnerRequestsPerMinute = z.preprocess(
  unsetAsDefault,
  z._default(
    z.coerce.number().check(z.int(), z.minimum(1), z.maximum(6000)),
    DEFAULT_PARTNER_REQUESTS_PER_MINUTE,
  ),
);

/** The public address of /open311/v2, e.g. https://12345.pingyao.gov.cn/open311/v2; empty: the request's host. */
const EndpointUrl = z.preprocess(unsetAsDefault, z.optional(z.httpUrl()));

export function open311Services(
  env: NodeJS.ProcessEnv = process.env,
): Open311ReadDeps & Open311SubmitDeps & { endpointUrl?: string } {
  const config = loadConfig(
    z.extend(PartnerConfig, {
      CASES_TABLE: TableName,
      OPEN311_PARTNER_REQUESTS_PER_MINUTE: PartnerRequestsPerMinute,
      OPEN311_ENDPOINT_URL: EndpointUrl,
    }),
    env,
  );
  const db = createDocumentClient();
  return {
    ...submitReportServices(env),
    cases: new DynamoDbCaseStore(db, config.CASES_TABLE),
    feed: new DynamoDbServiceRequestFeed(db, config.CASES_TABLE),
    partners: new DynamoDbPartnerKeys(db, config.PARTNERS_TABLE),
    keyPepper: secretReader(config.PARTNER_KEY_PEPPER_ARN),
    partnerRequestsPerMinute: config.OPEN311_PARTNER_REQUESTS_PER_MINUTE,
    ...(config.OPEN311_ENDPOINT_URL ? { endpointUrl: config.OPEN311_ENDPOINT_URL } : {}),
  };
}

export function partnerAdminServices(env: NodeJS.ProcessEnv = process.env): PartnerAdminDeps {
  const config = loadConfig(PartnerConfig, env);
  return {
    partners: new DynamoDbPartnerKeys(createDocumentClient(), config.PARTNERS_TABLE),
    keyPepper: secretReader(config.PARTNER_KEY_PEPPER_ARN),
    now: () => new Date(),
    randomBytes: (n) => randomBytes(n),
  };
}
