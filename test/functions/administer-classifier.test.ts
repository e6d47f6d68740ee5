/**
 * The classifier's admin routes at the administer function's edge, driven by their sample events
 * (events/http/classifier-*.json) over dynalite: the status names the model in use with its
 * training size and measured precision/coverage; a rollback goes to the version before it, then to
 * keywords only; a stale `expectedVersion` is 409 `version_conflict`; a body naming both a version
 * and keywords only is 400 naming `version`; anyone but an admin is 403 `forbidden`.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import rollbackEvent from '../../events/http/classifier-rollback.json' with { type: 'json' };
import dispatcherRollbackEvent from '../../events/http/classifier-rollback-dispatcher.json' with {
  type: 'json',
};
import statusEvent from '../../events/http/classifier-status.json' with { type: 'json' };
import { makeHandler } from '../../functions/administer.ts';
import { DynamoDbClassifierModels } from '../../shared/adapters/dynamodb-classifier-models.ts';
import { DynamoDbDirectory } from '../../shared/adapters/dynamodb-directory.ts';
import { DynamoDbPolicies } from '../../shared/adapters/dynamodb-policies.ts';
import { trainTextModel } from '../../shared/domain/sms/text-model.ts';
import { labelledReports } from '../domain/sms/labelled-reports.ts';
import { type EmulatedTables, emulatedTables } from '../support/emulated-tables.ts';
import { lambdaContext } from '../support/lambda-context.ts';
import { type TestStaffTokens, testStaffTokens } from '../support/staff-tokens.ts';

let env: EmulatedTables;
let tokens: TestStaffTokens;
let handler: ReturnType<typeof makeHandler>;
const NOW = new Date('2026-12-07T09:00:00.000Z');

beforeAll(async () => {
  tokens = await testStaffTokens();
  env = await emulatedTables();
  const models = new DynamoDbClassifierModels(env.db, env.tables.classifier ?? '');
  const model = trainTextModel(
    labelledReports.map((r) => ({ text: r.text, label: r.expected })),
    { maxFeatures: 400 },
  );
  for (const digest of ['first', 'second']) {
    await models.save(
      {
        trainedAt: '2026-12-06T18:00:00.000Z',
        examples: 133,
        perCategory: { road: 12 },
        measured: { precision: 0.95, coverage: 0.72, folds: 5 },
        keywordsOnly: { precision: 0.9, coverage: 0.6 },
        threshold: 0.8,
        features: model.features.length,
        examplesDigest: digest,
      },
      model,
    );
  }
  await models.activate(2, undefined, 'system:train-classifier', '2026-12-06T18:00:01.000Z');
  const directory = env.tables.directory ?? '';
  handler = makeHandler({
    logger: new Logger({ logLevel: 'SILENT' }),
    staffTokens: tokens.staffTokens,
    directory: new DynamoDbDirectory(env.db, directory),
    policies: new DynamoDbPolicies(env.db, directory),
    classifierModels: models,
    now: () => NOW,
  });
});
afterAll(async () => {
  await env?.stop();
});

const invoke = async (event: APIGatewayProxyEventV2WithJWTAuthorizer, body?: unknown) =>
  handler(
    await tokens.signed({
      ...structuredClone(event),
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }),
    lambdaContext('civicloop-administer'),
  );
const bodyOf = (response: { body?: string }): unknown => JSON.parse(response.body ?? 'null');
const Status = z.object({
  active: z
    .object({
      version: z.number(),
      examples: z.number(),
      measured: z.object({ precision: z.number(), coverage: z.number() }),
      by: z.string(),
    })
    .nullable(),
  versions: z.array(z.object({ version: z.number() })),
});
const ErrorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    issues: z.array(z.object({ path: z.string() })).optional(),
  }),
});

describe('the classifier admin', () => {
  it('shows the model in use: its version, training size and measured precision and coverage', async () => {
    const response = await invoke(statusEvent);
    expect(response.statusCode).toBe(200);
    const status = Status.parse(bodyOf(response));
    expect(status.active).toMatchObject({
      version: 2,
      examples: 133,
      measured: { precision: 0.95, coverage: 0.72 },
      by: 'system:train-classifier',
    });
    expect(status.versions.map((v) => v.version)).toEqual([2, 1]);
    expect(response.body).not.toContain('weights');
  });

  it('refuses anyone but an admin: 403 forbidden, for the status and for a rollback', async () => {
    const dispatcherStatus = {
      ...statusEvent,
      requestContext: dispatcherRollbackEvent.requestContext,
      routeKey: statusEvent.routeKey,
    };
    for (const response of [await invoke(dispatcherRollbackEvent), await invoke(dispatcherStatus)]) {
      expect(response.statusCode).toBe(403);
      expect(ErrorBody.parse(bodyOf(response)).error.code).toBe('forbidden');
    }
  });

  it('rolls back to the version before, then to keywords only; a stale expectedVersion is 409 version_conflict', async () => {
    const rolled = await invoke(rollbackEvent);
    expect(rolled.statusCode).toBe(200);
    expect(Status.parse(bodyOf(rolled)).active).toMatchObject({
      version: 1,
      by: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
    });

    const stale = await invoke(rollbackEvent);
    expect(stale.statusCode).toBe(409);
    expect(ErrorBody.parse(bodyOf(stale)).error.code).toBe('version_conflict');

    const none = await invoke(rollbackEvent, { expectedVersion: 1 });
    expect(none.statusCode).toBe(404);
    expect(ErrorBody.parse(bodyOf(none)).error.code).toBe('not_found');

    const keywordsOnly = await invoke(rollbackEvent, { expectedVersion: 1, keywordsOnly: true });
    expect(keywordsOnly.statusCode).toBe(200);
    expect(Status.parse(bodyOf(keywordsOnly)).active).toBeNull();

    const forward = await invoke(rollbackEvent, { expectedVersion: null, version: 2 });
    expect(forward.statusCode).toBe(200);
    expect(Status.parse(bodyOf(forward)).active).toMatchObject({ version: 2 });
  });

  it('answers a body naming both a version and keywords only with 400 naming `version`', async () => {
    const response = await invoke(rollbackEvent, { expectedVersion: 2, version: 1, keywordsOnly: true });
    expect(response.statusCode).toBe(400);
    const error = ErrorBody.parse(bodyOf(response)).error;
    expect(error.code).toBe('invalid_request');
    expect(error.issues?.map((i) => i.path)).toContain('version');
  });
});
