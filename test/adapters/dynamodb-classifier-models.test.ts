/**
 * The classifier's model store on dynalite: a model comes back exactly as stored (and predicts the
 * same), versions are numbered in order and listed newest first without their models, the pointer
 * moves only from where the caller saw it, a full-size model (the trainer's default feature cap)
 * fits in one item, and a model too large for one item is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DynamoDbClassifierModels,
  MAX_MODEL_BYTES,
} from '../../shared/adapters/dynamodb-classifier-models.ts';
import {
  DEFAULT_TRAIN_OPTIONS,
  predictCategory,
  trainTextModel,
} from '../../shared/domain/sms/text-model.ts';
import { ValidationError } from '../../shared/errors.ts';
import { trainingExtra } from '../bench/classifier-holdout.ts';
import { labelledReports } from '../domain/sms/labelled-reports.ts';
import { type EmulatedTables, emulatedTables } from '../support/emulated-tables.ts';

let env: EmulatedTables;
let models: DynamoDbClassifierModels;

beforeAll(async () => {
  env = await emulatedTables();
  models = new DynamoDbClassifierModels(env.db, env.tables.classifier ?? '');
});
afterAll(async () => {
  await env?.stop();
});

const examples = labelledReports.map((r) => ({ text: r.text, label: r.expected }));
const summary = (digest: string) => ({
  trainedAt: '2026-12-06T18:00:00.000Z',
  examples: examples.length,
  perCategory: { road: 12, fraud: 13 },
  measured: { precision: 0.96, coverage: 0.7, folds: 5 },
  keywordsOnly: { precision: 0.9, coverage: 0.6 },
  threshold: 0.8,
  features: 0,
  examplesDigest: digest,
});

describe('DynamoDbClassifierModels', () => {
  it('round-trips a model, compressed, so it predicts exactly what it predicted before storing', async () => {
    const model = trainTextModel(examples);
    const stored = await models.save({ ...summary('a'), features: model.features.length }, model);
    expect(stored.version).toBe(1);
    expect(stored.storedBytes).toBeLessThan(JSON.stringify(model).length);
    const loaded = await models.load(stored.version);
    expect(loaded?.model).toEqual(model);
    expect(loaded?.summary).toEqual(stored);
    for (const { text } of examples.slice(0, 20))
      expect(predictCategory(loaded?.model ?? model, text)).toEqual(predictCategory(model, text));
  });

  it('numbers versions in order and lists them newest first, without the model', async () => {
    const model = trainTextModel(examples, { maxFeatures: 300 });
    const second = await models.save(summary('b'), model);
    expect(second.version).toBe(2);
    const listed = await models.list(10);
    expect(listed.map((v) => v.version)).toEqual([2, 1]);
    expect(listed[0]).not.toHaveProperty('model');
    expect(await models.load(99)).toBeUndefined();
  });

  it('moves the pointer only from where the caller saw it (a rollback racing a training loses)', async () => {
    expect(await models.active()).toBeUndefined();
    expect(await models.activate(2, undefined, 'system:train-classifier', '2026-12-06T18:00:01.000Z')).toBe(
      true,
    );
    expect(await models.activate(1, undefined, 'u-admin', '2026-12-06T18:00:02.000Z')).toBe(false);
    const seen = await models.active();
    expect(seen).toEqual({
      version: 2,
      changedAt: '2026-12-06T18:00:01.000Z',
      changedBy: 'system:train-classifier',
    });
    expect(await models.activate(1, seen, 'u-admin', '2026-12-06T18:00:03.000Z')).toBe(true);
    expect(await models.activate(2, seen, 'system:train-classifier', '2026-12-06T18:00:04.000Z')).toBe(false);
    const keywordsOnly = await models.active();
    expect(await models.activate(undefined, keywordsOnly, 'u-admin', '2026-12-06T18:00:05.000Z')).toBe(true);
    expect(await models.active()).toEqual({ changedAt: '2026-12-06T18:00:05.000Z', changedBy: 'u-admin' });
  });

  it('refuses a model that would not fit in one item, naming it', async () => {
    const huge = { ...trainTextModel(examples, { maxFeatures: 50 }) };
    const noise = Array.from({ length: 60_000 }, (_, i) => `f${i.toString(36)}${(i * 7919).toString(36)}`);
    const tooBig = {
      ...huge,
      features: noise,
      weights: Buffer.alloc(noise.length * huge.labels.length, 7).toString('base64'),
    };
    await expect(models.save(summary('c'), tooBig)).rejects.toBeInstanceOf(ValidationError);
  });

  it('stores a full-size model (the default feature cap, trained on 1,300 texts) in one item and loads it unchanged', async () => {
    const model = trainTextModel([...trainingExtra(), ...examples]);
    expect(model.features.length).toBeGreaterThan(30_000);
    expect(model.features.length).toBeLessThanOrEqual(DEFAULT_TRAIN_OPTIONS.maxFeatures);
    const stored = await models.save({ ...summary('d'), features: model.features.length }, model);
    expect(stored.storedBytes).toBeLessThan(MAX_MODEL_BYTES);
    const loaded = await models.load(stored.version);
    expect(loaded?.model).toEqual(model);
    for (const { text } of examples.slice(0, 20))
      expect(predictCategory(loaded?.model ?? model, text)).toEqual(predictCategory(model, text));
  });
});
