/**
 * The daily training of the report classifier (issue 14): reads the county's labelled examples
 * (cases whose category a person confirmed, shared/ports/training-examples.ts) month by month,
 * trains the text model on them with its threshold calibrated by 5-fold cross-validation, stores it
 * as a new version with what was measured, and makes it the one in use when it is at least as
 * precise as the keyword table alone on the same examples.
 *
 * Only the county's own decisions train it: no seed corpus is shipped. A county with fewer than
 * `minExamples` examples (a fresh one) keeps classifying with keywords only, exactly as before; the
 * bench shows what a model trained on a seed corpus would do. Nothing is retrained when the
 * examples have not changed, and a model an admin chose (a rollback, keywords only) is not replaced
 * by the schedule: new versions are stored and wait for the admin (or `classifier train --activate`).
 */
import { createHash } from 'node:crypto';
import type { KeywordTable } from '../domain/sms/classify-report.ts';
import { examplesPerCategory, trainCalibratedModel } from '../domain/sms/model-quality.ts';
import type { LabelledText } from '../domain/sms/text-model.ts';
import type { ClassifierModels, ModelSummary } from '../ports/classifier-models.ts';
import type { TrainingExampleSource } from '../ports/training-examples.ts';

/** Who the trainer is on the pointer: a pointer it set may be moved by the next training. */
export const TRAINER = 'system:train-classifier';
/** Below this many labelled examples the county keeps keywords only. */
export const DEFAULT_MIN_EXAMPLES = 200;
/** How far back the examples are read (months of reports). */
export const DEFAULT_MONTHS = 24;

export interface TrainClassifierDeps {
  examples: TrainingExampleSource;
  keywords: () => Promise<KeywordTable>;
  models: ClassifierModels;
  now: () => Date;
  minExamples?: number;
  months?: number;
}

export type TrainingOutcome =
  | { outcome: 'too_few_examples'; examples: number; minExamples: number }
  | { outcome: 'unchanged'; examples: number; version: number }
  | { outcome: 'activated' | 'stored_not_better' | 'stored_pinned'; examples: number; summary: ModelSummary };

/** `YYYY-MM` of this month and the `count - 1` before it, oldest first. */
export function recentMonths(now: Date, count: number): string[] {
  const months: string[] = [];
  for (let back = count - 1; back >= 0; back--) {
    const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 1));
    months.push(d.toISOString().slice(0, 7));
  }
  return months;
}

const digestOf = (examples: ReadonlyArray<{ trackingCode: string; label: string; text: string }>): string => {
  const hash = createHash('sha256');
  for (const e of examples) hash.update(`${e.trackingCode}\u0000${e.label}\u0000${e.text}\u0001`);
  return hash.digest('hex');
};

export async function trainClassifier(
  deps: TrainClassifierDeps,
  options: { activate?: boolean; by?: string } = {},
): Promise<TrainingOutcome> {
  const minExamples = deps.minExamples ?? DEFAULT_MIN_EXAMPLES;
  const read = [];
  // Month by month, each in tracking-code order: the same examples always train the same model.
  for (const month of recentMonths(deps.now(), deps.months ?? DEFAULT_MONTHS)) {
    const ofMonth = await deps.examples.examplesOfMonth(month);
    read.push(...[...ofMonth].sort((a, b) => (a.trackingCode < b.trackingCode ? -1 : 1)));
  }
  const examples: LabelledText[] = read.map((e) => ({ text: e.text, label: e.label }));
  const perCategory = examplesPerCategory(examples);
  if (examples.length < minExamples || Object.keys(perCategory).length < 2) {
    return { outcome: 'too_few_examples', examples: examples.length, minExamples };
  }
  const examplesDigest = digestOf(read);
  const [newest] = await deps.models.list(1);
  if (newest?.examplesDigest === examplesDigest && !options.activate) {
    return { outcome: 'unchanged', examples: examples.length, version: newest.version };
  }

  const { model, measured, keywordsOnly } = trainCalibratedModel(examples, await deps.keywords());
  const summary = await deps.models.save(
    {
      trainedAt: deps.now().toISOString(),
      examples: examples.length,
      perCategory,
      measured: { precision: measured.precision, coverage: measured.coverage, folds: measured.folds },
      keywordsOnly,
      threshold: model.threshold,
      features: model.features.length,
      examplesDigest,
    },
    model,
  );
  const active = await deps.models.active();
  const pinned = active !== undefined && active.changedBy !== TRAINER;
  if (pinned && !options.activate) return { outcome: 'stored_pinned', examples: examples.length, summary };
  // Never less precise than the keywords alone, as far as the county's own cases can tell.
  if (measured.precision < keywordsOnly.precision && !options.activate)
    return { outcome: 'stored_not_better', examples: examples.length, summary };
  const by = options.by ?? TRAINER;
  if (!(await deps.models.activate(summary.version, active, by, deps.now().toISOString()))) {
    // Someone moved the pointer meanwhile: theirs stands; this version waits for an admin.
    return { outcome: 'stored_pinned', examples: examples.length, summary };
  }
  return { outcome: 'activated', examples: examples.length, summary };
}
