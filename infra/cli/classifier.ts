/**
 * `classifier train [--activate] | status | rollback [--version <n> | --keywords-only]`: the report
 * classifier (issue 14) on the target's tables, as an operator. `train` runs what the daily schedule
 * runs (shared/services/train-classifier.ts) and says what came of it; `--activate` puts the new
 * model in use even over a model an admin chose (or one less precise than the keywords, at the
 * operator's word). `status` prints the model in use and the stored versions; `rollback` switches to
 * the version before the one in use, to `--version <n>`, or to keywords only, as the admin API does.
 * Figures and counts only: no example's words are printed.
 */
import { DynamoDbClassifierModels } from '../../shared/adapters/dynamodb-classifier-models.ts';
import { DynamoDbPolicies } from '../../shared/adapters/dynamodb-policies.ts';
import { DynamoDbTrainingExamples } from '../../shared/adapters/dynamodb-training-examples.ts';
import type { Staff } from '../../shared/domain/staff.ts';
import type { ModelSummary } from '../../shared/ports/classifier-models.ts';
import {
  type ClassifierStatus,
  classifierStatus,
  switchClassifier,
} from '../../shared/services/administer-classifier.ts';
import { trainClassifier } from '../../shared/services/train-classifier.ts';
import type { Output } from './queue-pull.ts';
import { type Target, TargetError } from './targets.ts';

export const classifierUsage = `       npm run cli -- classifier train [--activate]
       npm run cli -- classifier status
       npm run cli -- classifier rollback [--version <n> | --keywords-only]`;

export const classifierOptions = {
  activate: { type: 'boolean', default: false },
  version: { type: 'string' },
  'keywords-only': { type: 'boolean', default: false },
} as const;

/** The CLI acts with an operator's table access; the pointer records it as `cli`. */
const OPERATOR: Staff = { role: 'admin', userId: 'cli', name: 'CLI operator' };

const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
const line = (v: ModelSummary) =>
  `v${v.version}  trained ${v.trainedAt}  ${v.examples} examples  precision ${pct(v.measured.precision)} ` +
  `coverage ${pct(v.measured.coverage)} (keywords alone ${pct(v.keywordsOnly.precision)} / ` +
  `${pct(v.keywordsOnly.coverage)})  threshold ${v.threshold.toFixed(2)}  ${v.features} features  ` +
  `${(v.storedBytes / 1024).toFixed(0)} KB`;

function printStatus(status: ClassifierStatus, io: Output): void {
  io.out(
    status.active
      ? `in use: v${status.active.version} since ${status.active.since} (by ${status.active.by})`
      : 'in use: keywords only',
  );
  for (const v of status.versions) io.out(`${status.active?.version === v.version ? '*' : ' '} ${line(v)}`);
}

function tables(target: Target) {
  const classifier = target.tableName('classifier');
  if (!classifier) throw new TargetError(`no classifier table in the ${target.description}`);
  return { classifier, db: target.db };
}

export async function classifierCommand(
  target: Target,
  command: string | undefined,
  values: { activate: boolean; version?: string; 'keywords-only': boolean },
  io: Output,
): Promise<number> {
  const { classifier, db } = tables(target);
  const models = new DynamoDbClassifierModels(db, classifier);
  const now = () => new Date();
  switch (command) {
    case 'train': {
      const cases = target.tableName('cases');
      const directory = target.tableName('directory');
      if (!cases || !directory)
        throw new TargetError(`no cases or directory table in the ${target.description}`);
      const policies = new DynamoDbPolicies(db, directory);
      io.err('training the classifier on the confirmed cases of the last 24 months');
      const outcome = await trainClassifier(
        {
          examples: new DynamoDbTrainingExamples(db, cases),
          keywords: () => policies.loadKeywords(),
          models,
          now,
        },
        // Without --activate it is the schedule's run, and the next schedule may replace its model.
        values.activate ? { activate: true, by: OPERATOR.userId } : {},
      );
      switch (outcome.outcome) {
        case 'too_few_examples':
          io.out(`${outcome.examples} labelled examples, ${outcome.minExamples} needed: keywords only`);
          return 0;
        case 'unchanged':
          io.out(`no new examples since v${outcome.version}; nothing trained (--activate trains anyway)`);
          return 0;
        default:
          io.out(line(outcome.summary));
          io.out(
            outcome.outcome === 'activated'
              ? `v${outcome.summary.version} is in use`
              : outcome.outcome === 'stored_pinned'
                ? `stored; the model an admin chose stays in use (--activate to switch)`
                : `stored; less precise than the keywords alone, so not in use (--activate to switch)`,
          );
          return 0;
      }
    }
    case 'status':
      printStatus(await classifierStatus(OPERATOR, { classifierModels: models, now }), io);
      return 0;
    case 'rollback': {
      const version = values.version === undefined ? undefined : Number(values.version);
      if (version !== undefined && (!Number.isInteger(version) || version < 1)) {
        io.err('--version must be a whole number ≥ 1');
        return 2;
      }
      const current = (await models.active())?.version ?? null;
      const status = await switchClassifier(
        OPERATOR,
        {
          expectedVersion: current,
          ...(version === undefined ? {} : { version }),
          ...(values['keywords-only'] ? { keywordsOnly: true } : {}),
        },
        { classifierModels: models, now },
      );
      printStatus(status, io);
      return 0;
    }
    default:
      io.err(classifierUsage);
      return 2;
  }
}
