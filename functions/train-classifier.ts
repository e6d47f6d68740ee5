/**
 * Scheduled daily: trains the report classifier on the county's labelled cases and puts the new
 * model in use when it is at least as precise as the keywords alone (shared/services/train-classifier.ts).
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { ScheduledEvent } from 'aws-lambda';
import { createLogger } from '../shared/logger.ts';
import {
  type TrainClassifierDeps,
  type TrainingOutcome,
  trainClassifier,
} from '../shared/services/train-classifier.ts';
import { trainerServices } from './wiring/classifier.ts';
import { onFirstInvocation } from './wiring/on-first-invocation.ts';

export interface TrainClassifierHandlerDeps extends TrainClassifierDeps {
  logger: Logger;
}

export const makeHandler = (deps: TrainClassifierHandlerDeps) =>
  middy<ScheduledEvent, TrainingOutcome>()
    .use(injectLambdaContext(deps.logger, { resetKeys: true }))
    .handler(async () => {
      const outcome = await trainClassifier(deps);
      // Counts and figures only: no example's words are ever logged.
      deps.logger.info('classifier training', {
        outcome: outcome.outcome,
        examples: outcome.examples,
        ...('summary' in outcome
          ? {
              version: outcome.summary.version,
              precision: outcome.summary.measured.precision,
              coverage: outcome.summary.measured.coverage,
              keywordsPrecision: outcome.summary.keywordsOnly.precision,
              threshold: outcome.summary.threshold,
              storedBytes: outcome.summary.storedBytes,
            }
          : {}),
      });
      return outcome;
    });

export const handler = onFirstInvocation(() =>
  makeHandler({ logger: createLogger('train-classifier'), ...trainerServices() }),
);
