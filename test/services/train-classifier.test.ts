/**
 * The daily training, over the model store on dynalite and the county's examples: a county with
 * too few confirmed cases keeps keywords only; enough of them train, store and put in use a model at
 * least as precise as the keywords; the same examples are not trained twice; a model an admin chose
 * is not replaced by the schedule; and the SMS functions load the model in use once per version.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbClassifierModels } from '../../shared/adapters/dynamodb-classifier-models.ts';
import type { CategoryCode } from '../../shared/domain/categories.ts';
import { classifyWithModel } from '../../shared/domain/sms/report-classifier.ts';
import type { TrainingExampleSource } from '../../shared/ports/training-examples.ts';
import { defaultKeywordTable } from '../../shared/reference/report-keywords.ts';
import { activeModelLoader } from '../../shared/services/active-classifier-model.ts';
import { recentMonths, TRAINER, trainClassifier } from '../../shared/services/train-classifier.ts';
import { residentMessages } from '../bench/classifier-holdout.ts';
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

const NOW = new Date('2026-12-07T18:00:00.000Z');

/**
 * The resident-messages corpus's tune part (never its holdout) as the county's confirmed cases,
 * spread over two months: texts the keyword table was not written from.
 */
const tune = residentMessages().tune;

function source(count: number, relabel?: CategoryCode): TrainingExampleSource & { reads: string[] } {
  const examples = tune.slice(0, count).map((r, i) => ({
    trackingCode: `K7M2QX${String(i).padStart(3, '0')}`,
    text: r.text,
    label: relabel && i === 0 ? relabel : r.label,
    month: i % 2 === 0 ? '2026-11' : '2026-12',
  }));
  const reads: string[] = [];
  return {
    reads,
    async examplesOfMonth(month) {
      reads.push(month);
      return examples.filter((e) => e.month === month).map(({ month: _, ...e }) => e);
    },
  };
}

const deps = (examples: TrainingExampleSource) => ({
  examples,
  keywords: async () => defaultKeywordTable,
  models,
  now: () => NOW,
  minExamples: 100,
});

describe('trainClassifier', () => {
  it('reads the trailing months, oldest first', () => {
    expect(recentMonths(NOW, 3)).toEqual(['2026-10', '2026-11', '2026-12']);
    expect(recentMonths(new Date('2026-01-15T00:00:00Z'), 2)).toEqual(['2025-12', '2026-01']);
  });

  it('keeps keywords only for a county with too few confirmed cases', async () => {
    const outcome = await trainClassifier(deps(source(40)));
    expect(outcome).toEqual({ outcome: 'too_few_examples', examples: 40, minExamples: 100 });
    expect(await models.active()).toBeUndefined();
    expect(await models.list(5)).toEqual([]);
  });

  it('trains, stores and puts in use a model at least as precise as the keywords, with what it measured', async () => {
    const examples = source(tune.length);
    const outcome = await trainClassifier(deps(examples));
    expect(examples.reads).toHaveLength(24);
    expect(outcome.outcome).toBe('activated');
    if (outcome.outcome !== 'activated') return;
    const { summary } = outcome;
    expect(summary).toMatchObject({ version: 1, examples: tune.length });
    expect(summary.measured.precision).toBeGreaterThanOrEqual(summary.keywordsOnly.precision);
    expect(summary.measured.folds).toBe(5);
    expect(await models.active()).toMatchObject({ version: 1, changedBy: TRAINER });
  });

  it('does not train the same examples twice', async () => {
    const outcome = await trainClassifier(deps(source(tune.length)));
    expect(outcome).toEqual({ outcome: 'unchanged', examples: tune.length, version: 1 });
  });

  it('stores a new version but leaves a model an admin chose in use', async () => {
    const chosen = await models.active();
    expect(await models.activate(undefined, chosen, 'u-admin', NOW.toISOString())).toBe(true);
    const outcome = await trainClassifier(deps(source(tune.length, 'other')));
    expect(outcome.outcome).toBe('stored_pinned');
    expect((await models.active())?.version).toBeUndefined();
    const forced = await trainClassifier(deps(source(tune.length, 'other')), {
      activate: true,
      by: 'cli',
    });
    expect(forced.outcome).toBe('activated');
    expect(await models.active()).toMatchObject({ version: 3, changedBy: 'cli' });
  });
});

describe('the model in use, as the SMS functions load it', () => {
  it('is read once per version and the pointer at most once a minute; a storage failure keeps the last one', async () => {
    let clock = 0;
    let loads = 0;
    let failing = false;
    const counting = {
      active: async () => {
        if (failing) throw new Error('DynamoDB is down');
        return models.active();
      },
      load: async (version: number) => {
        loads++;
        return models.load(version);
      },
    };
    const errors: unknown[] = [];
    const model = activeModelLoader(counting, 60_000, { clock: () => clock, onError: (e) => errors.push(e) });
    const first = await model();
    expect(first?.version).toBe(3);
    clock = 30_000;
    expect(await model()).toBe(first);
    clock = 61_000;
    expect(await model()).toBe(first);
    expect(loads).toBe(1);
    failing = true;
    clock = 200_000;
    expect(await model()).toBe(first);
    expect(errors).toHaveLength(1);
    // Classifying with it: the text the keywords cannot place may now be placed, or left to triage.
    const result = classifyWithModel('有人冒充公安让我转钱到安全账户', defaultKeywordTable, first);
    expect(result.model?.version).toBe(3);
  });
});
