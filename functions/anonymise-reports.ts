/** Scheduled hourly: anonymises the reports of cases whose retention period ran out. */
import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { ScheduledEvent } from 'aws-lambda';
import { createLogger } from '../shared/logger.ts';
import {
  type AnonymiseDeps,
  type AnonymiseRun,
  anonymiseReports,
} from '../shared/services/anonymise-reports.ts';
import { onFirstInvocation } from './wiring/on-first-invocation.ts';
import { retentionServices } from './wiring/retention.ts';

export interface AnonymiseHandlerDeps extends AnonymiseDeps {
  logger: Logger;
}

export const makeHandler = (deps: AnonymiseHandlerDeps) =>
  middy<ScheduledEvent, AnonymiseRun>()
    .use(injectLambdaContext(deps.logger, { resetKeys: true }))
    .handler(async () => {
      const run = await anonymiseReports(deps);
      // Tracking codes and counts only: what was removed is never logged.
      for (const failure of run.failed)
        deps.logger.error('anonymising a case failed; retried next run', {
          event: 'anonymisation_failed',
          ...failure,
        });
      deps.logger.info('retention', {
        retentionDays: deps.retentionDays,
        anonymised: run.anonymised.length,
        skipped: run.skipped.length,
        failed: run.failed.length,
        unfinished: run.unfinished,
        backfillIndexed: run.backfill.indexed,
        backfillComplete: run.backfill.complete,
      });
      return run;
    });

export const handler = onFirstInvocation(() =>
  makeHandler({ logger: createLogger('anonymise-reports'), ...retentionServices() }),
);
