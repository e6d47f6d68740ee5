/**
 * A trained classifier model put in use on the local runtime, as the daily trainer would leave it:
 * naive Bayes trained on the labelled reports, stored as the next version and activated. The SMS
 * functions read the pointer on their first text, so call this before the runtime's first SMS.
 */
import type { LocalRuntime } from '../../infra/local/runtime.ts';
import { createDocumentClient } from '../../shared/adapters/aws-clients.ts';
import { DynamoDbClassifierModels } from '../../shared/adapters/dynamodb-classifier-models.ts';
import { trainTextModel } from '../../shared/domain/sms/text-model.ts';
import { labelledReports } from '../domain/sms/labelled-reports.ts';

export async function activateTrainedModel(rt: LocalRuntime): Promise<number> {
  const models = new DynamoDbClassifierModels(
    createDocumentClient(rt.dynamoClient),
    rt.resources.tables.classifier ?? '',
  );
  const model = trainTextModel(labelledReports.map((r) => ({ text: r.text, label: r.expected })));
  const summary = await models.save(
    {
      trainedAt: new Date().toISOString(),
      examples: labelledReports.length,
      perCategory: {},
      measured: { precision: 0.95, coverage: 0.8, folds: 5 },
      keywordsOnly: { precision: 0.9, coverage: 0.6 },
      threshold: model.threshold,
      features: model.features.length,
      examplesDigest: 'test',
    },
    model,
  );
  const at = new Date().toISOString();
  if (!(await models.activate(summary.version, await models.active(), 'test', at)))
    throw new Error('the model could not be put in use');
  return summary.version;
}
