/**
 * Scheduled hourly: reads a bounded number of grid groups' member counts from WeChat Work into
 * the registry (shared/services/refresh-group-members.ts), never-counted groups first.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { ScheduledEvent } from 'aws-lambda';
import { createLogger } from '../shared/logger.ts';
import {
  type RefreshGroupMembersDeps,
  type RefreshGroupMembersReport,
  refreshGroupMembers,
} from '../shared/services/refresh-group-members.ts';
import { refreshGroupMembersServices } from './wiring/grid-registry.ts';
import { onFirstInvocation } from './wiring/on-first-invocation.ts';

export interface RefreshGroupMembersHandlerDeps extends Omit<RefreshGroupMembersDeps, 'remainingMs'> {
  logger: Logger;
}

export const makeHandler = (deps: RefreshGroupMembersHandlerDeps) =>
  middy<ScheduledEvent, RefreshGroupMembersReport>()
    .use(injectLambdaContext(deps.logger, { resetKeys: true }))
    .handler(async (_event, context) => {
      const report = await refreshGroupMembers({
        ...deps,
        remainingMs: () => context.getRemainingTimeInMillis(),
      });
      deps.logger.info('group member counts', {
        due: report.due,
        refreshed: report.refreshed,
        replaced: report.replaced,
        failed: report.failed,
        stopped: report.stopped ?? null,
      });
      return report;
    });

export const handler = onFirstInvocation(() =>
  makeHandler({ logger: createLogger('refresh-group-members'), ...refreshGroupMembersServices() }),
);
