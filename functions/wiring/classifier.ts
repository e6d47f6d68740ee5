/**
 * Composition root of the report classifier's storage (issue 14): the trainer (train-classifier:
 * the labelled examples in the cases table, the keyword table in the directory, the models in their
 * own table) and the models store the SMS functions and the admin read.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../../shared/adapters/aws-clients.ts';
import { DynamoDbClassifierModels } from '../../shared/adapters/dynamodb-classifier-models.ts';
import { DynamoDbPolicies } from '../../shared/adapters/dynamodb-policies.ts';
import { DynamoDbTrainingExamples } from '../../shared/adapters/dynamodb-training-examples.ts';
import { loadConfig, TableName } from '../../shared/config.ts';
import type { LoadedModel } from '../../shared/domain/sms/report-classifier.ts';
import * as z from '../../shared/schema.ts';
import { activeModelLoader } from '../../shared/services/active-classifier-model.ts';
import type { TrainClassifierDeps } from '../../shared/services/train-classifier.ts';

/** How often a warm SMS function looks whether another model was put in use. */
const MODEL_POINTER_TTL_MS = 60_000;

export const ClassifierTableConfig = z.object({ CLASSIFIER_TABLE: TableName });

export const TrainerConfig = z.extend(ClassifierTableConfig, {
  CASES_TABLE: TableName,
  DIRECTORY_TABLE: TableName,
});

export function trainerServices(env: NodeJS.ProcessEnv = process.env): TrainClassifierDeps {
  const config = loadConfig(TrainerConfig, env);
  const db = createDocumentClient();
  const policies = new DynamoDbPolicies(db, config.DIRECTORY_TABLE);
  return {
    examples: new DynamoDbTrainingExamples(db, config.CASES_TABLE),
    keywords: () => policies.loadKeywords(),
    models: new DynamoDbClassifierModels(db, config.CLASSIFIER_TABLE),
    now: () => new Date(),
  };
}

/** The model in use, for the functions that classify texts (receive-sms, sms-webhooks). */
export function classifierModelFrom(
  db: DynamoDBDocumentClient,
  tableName: string,
  onError?: (error: unknown) => void,
): () => Promise<LoadedModel | undefined> {
  return activeModelLoader(new DynamoDbClassifierModels(db, tableName), MODEL_POINTER_TTL_MS, {
    ...(onError ? { onError } : {}),
  });
}
