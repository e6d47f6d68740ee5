/**
 * Composition roots of the five-level registry (issue 16 item 1): the staff view and the admin
 * import (grid-registry) over the directory table, read uncached so an import judges rows against
 * the directory as it is; and the member-count refresh (refresh-group-members), which also reads
 * customer group chats through the civicloop app's WeChat Work client (its token shared in the
 * SMS table with every other caller).
 */
import { createDocumentClient } from '../../shared/adapters/aws-clients.ts';
import { DynamoDbDirectory } from '../../shared/adapters/dynamodb-directory.ts';
import { DynamoDbGridRegistry } from '../../shared/adapters/dynamodb-grid-registry.ts';
import { DynamoDbWecomState } from '../../shared/adapters/dynamodb-wecom-state.ts';
import { secretReader } from '../../shared/adapters/secrets.ts';
import { WecomApiClient } from '../../shared/adapters/wecom-api.ts';
import { loadConfig, TableName } from '../../shared/config.ts';
import * as z from '../../shared/schema.ts';
import type { RegistryViewDeps } from '../../shared/services/grid-registry-view.ts';
import type { GridGroupImportDeps } from '../../shared/services/import-grid-groups.ts';
import type { RefreshGroupMembersDeps } from '../../shared/services/refresh-group-members.ts';
import { WecomAppConfig } from './wecom-app-config.ts';

const RegistryConfig = z.object({ DIRECTORY_TABLE: TableName });

export function gridRegistryServices(
  env: NodeJS.ProcessEnv = process.env,
): RegistryViewDeps & GridGroupImportDeps {
  const config = loadConfig(RegistryConfig, env);
  const db = createDocumentClient();
  return {
    directory: new DynamoDbDirectory(db, config.DIRECTORY_TABLE),
    grids: new DynamoDbGridRegistry(db, config.DIRECTORY_TABLE),
  };
}

const RefreshConfig = z.extend(WecomAppConfig, { DIRECTORY_TABLE: TableName, SMS_TABLE: TableName });

export function refreshGroupMembersServices(
  env: NodeJS.ProcessEnv = process.env,
): Omit<RefreshGroupMembersDeps, 'remainingMs'> {
  const config = loadConfig(RefreshConfig, env);
  const db = createDocumentClient();
  return {
    directory: new DynamoDbDirectory(db, config.DIRECTORY_TABLE),
    grids: new DynamoDbGridRegistry(db, config.DIRECTORY_TABLE),
    groupChats: new WecomApiClient({
      baseUrl: config.WECOM_API_BASE_URL,
      corpId: secretReader(config.WECOM_CORP_ID_ARN, { minLength: 1 }),
      appSecret: secretReader(config.WECOM_APP_SECRET_ARN, { minLength: 1 }),
      agentId: config.WECOM_AGENT_ID,
      tokens: new DynamoDbWecomState(db, config.SMS_TABLE),
    }),
    now: () => new Date(),
  };
}
