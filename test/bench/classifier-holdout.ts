/**
 * The bench's classifier phase (issue 14): the report classifier measured on the held-out part of
 * test/fixtures/resident-messages/corpus.json, which nobody tunes against. The model is trained on
 * the corpus's `tune` part, the second author's training texts (training-extra.json, outside the
 * split) and test/domain/sms/labelled-reports.ts, its threshold calibrated by 5-fold
 * cross-validation on that training set (as the county's trainer does); then keywords alone, the
 * model alone and the combination are scored once on the holdout, with the precision/coverage
 * curve over the threshold. Two checks that never touch the holdout: the model cross-validated
 * (5 folds) on the tune part, and an out-of-author check (trained without tune, scored on it: tune
 * and holdout share an author). Only counts are reported: no holdout text is printed, so nobody
 * reads holdout errors to patch rules.
 */
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import * as z from 'zod';
import { CategoryCode } from '../../shared/domain/categories.ts';
import {
  type CurvePoint,
  combinedCall,
  crossValidate,
  keywordsCall,
  modelCall,
  type PrecisionCoverage,
  precisionCoverage,
  scoreMessages,
  thresholdCurve,
  trainCalibratedModel,
} from '../../shared/domain/sms/model-quality.ts';
import { type LabelledText, modelSizeBytes, trainTextModel } from '../../shared/domain/sms/text-model.ts';
import { defaultKeywordTable } from '../../shared/reference/report-keywords.ts';
import { labelledReports } from '../domain/sms/labelled-reports.ts';
import { kb, ms, printTable } from './table.ts';

const Corpus = z.array(
  z.object({
    id: z.string(),
    text: z.string(),
    label: CategoryCode,
    split: z.enum(['tune', 'holdout']),
    note: z.string().optional(),
  }),
);

export const corpusPath = new URL('../fixtures/resident-messages/corpus.json', import.meta.url);
export const trainingExtraPath = new URL(
  '../fixtures/resident-messages/training-extra.json',
  import.meta.url,
);

const TrainingExtra = z.array(z.object({ id: z.string(), text: z.string(), label: CategoryCode }));

/** The second author's texts: training only, never scored as an evaluation. */
export function trainingExtra(): LabelledText[] {
  return TrainingExtra.parse(JSON.parse(readFileSync(trainingExtraPath, 'utf8'))).map((m) => ({
    text: m.text,
    label: m.label,
  }));
}

/** The corpus's two parts, as labelled texts. */
export function residentMessages(): { tune: LabelledText[]; holdout: LabelledText[] } {
  const corpus = Corpus.parse(JSON.parse(readFileSync(corpusPath, 'utf8')));
  const part = (split: 'tune' | 'holdout') =>
    corpus.filter((m) => m.split === split).map((m) => ({ text: m.text, label: m.label }));
  return { tune: part('tune'), holdout: part('holdout') };
}

export const CURVE_THRESHOLDS = [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 0.99, 1.01];

export interface ClassifierBenchReport {
  training: { examples: number; tune: number; trainingExtra: number; labelledReports: number };
  holdout: number;
  model: {
    threshold: number;
    features: number;
    sizeBytes: number;
    /** gzip -9 of the JSON, as the model store keeps it (shared/adapters/dynamodb-classifier-models.ts). */
    storedBytes: number;
    trainMs: number;
    /** Mean time to classify one holdout message with keywords and model (warm). */
    classifyMs: number;
  };
  /** What the trainer measured on its own training set (5-fold, at the calibrated threshold). */
  calibration: { precision: number; coverage: number };
  keywords: PrecisionCoverage;
  modelAlone: PrecisionCoverage;
  combined: PrecisionCoverage;
  combinedCurve: CurvePoint[];
  modelCurve: CurvePoint[];
  /** 5-fold cross-validation of the model on the tune part (the combination at each fold model's threshold). */
  folds: PrecisionCoverage[];
  /** Trained on training-extra + labelled reports only, scored on tune (the combination at the model's threshold). */
  outOfAuthor: PrecisionCoverage;
  /** The model's own accuracy on the holdout (its top category, no abstaining). */
  modelAccuracy: number;
}

export function benchClassifier(): ClassifierBenchReport {
  const { tune, holdout } = residentMessages();
  const seed = labelledReports.map((r) => ({ text: r.text, label: r.expected }));
  const extra = trainingExtra();
  const training = [...tune, ...extra, ...seed];
  const started = performance.now();
  const { model, measured } = trainCalibratedModel(training, defaultKeywordTable);
  const trainMs = performance.now() - started;
  scoreMessages(holdout.slice(0, 20), defaultKeywordTable, model); // warm: the model is decoded once
  const scoring = performance.now();
  const scored = scoreMessages(holdout, defaultKeywordTable, model);
  const classifyMs = (performance.now() - scoring) / Math.max(1, holdout.length);
  const outcomes = (call: (m: (typeof scored)[number]) => CategoryCode) =>
    precisionCoverage(scored.map((m) => ({ label: m.label, predicted: call(m) })));
  const { perFold } = crossValidate(tune, defaultKeywordTable, 5, { threshold: model.threshold }, [
    ...extra,
    ...seed,
  ]);
  const withoutTune = trainTextModel([...extra, ...seed], { threshold: model.threshold });
  const outOfAuthor = precisionCoverage(
    scoreMessages(tune, defaultKeywordTable, withoutTune).map((m) => ({
      label: m.label,
      predicted: combinedCall(m, model.threshold),
    })),
  );
  return {
    training: {
      examples: training.length,
      tune: tune.length,
      trainingExtra: extra.length,
      labelledReports: seed.length,
    },
    holdout: holdout.length,
    model: {
      threshold: model.threshold,
      features: model.features.length,
      sizeBytes: modelSizeBytes(model),
      storedBytes: gzipSync(Buffer.from(JSON.stringify(model), 'utf8'), { level: 9 }).byteLength,
      trainMs,
      classifyMs,
    },
    calibration: { precision: measured.precision, coverage: measured.coverage },
    keywords: outcomes(keywordsCall),
    modelAlone: outcomes((m) => modelCall(m, model.threshold)),
    combined: outcomes((m) => combinedCall(m, model.threshold)),
    combinedCurve: thresholdCurve(scored, CURVE_THRESHOLDS, combinedCall),
    modelCurve: thresholdCurve(scored, CURVE_THRESHOLDS, modelCall),
    folds: perFold,
    outOfAuthor,
    modelAccuracy: scored.filter((m) => m.model === m.label).length / Math.max(1, scored.length),
  };
}

const pct = (v: number): string => `${(v * 100).toFixed(1)}%`;

/** The phase's tables, as `npm run bench` prints them (Markdown, pasted into BENCHMARKS.md). */
export function printClassifierBench(r: ClassifierBenchReport): void {
  const columns = [
    { title: 'classifier' },
    { title: 'routed', align: 'right' as const },
    { title: 'wrong department', align: 'right' as const },
    { title: 'precision', align: 'right' as const },
    { title: 'coverage', align: 'right' as const },
  ];
  const row = (name: string, q: PrecisionCoverage) => [
    name,
    `${q.routed} of ${q.messages}`,
    String(q.routed - q.correct),
    pct(q.precision),
    pct(q.coverage),
  ];
  printTable(
    `SMS report classifier on the held-out resident messages (${r.holdout}; trained on ${r.training.examples}: ${r.training.tune} tune + ${r.training.trainingExtra} training-extra + ${r.training.labelledReports} labelled reports)`,
    columns,
    [
      row('keywords alone', r.keywords),
      row(`model alone (threshold ${r.model.threshold.toFixed(2)})`, r.modelAlone),
      row(`combined (threshold ${r.model.threshold.toFixed(2)})`, r.combined),
    ],
  );
  console.log(
    `\nPrecision = right department among routed (a routed \`other\` counts as wrong); coverage = routed share ` +
      `of the messages not labelled \`other\`. Threshold calibrated by 5-fold cross-validation on the training ` +
      `set for ≥ 95% precision (measured there: ${pct(r.calibration.precision)} at ${pct(r.calibration.coverage)}). ` +
      `Model: ${r.model.features} features, ${kb(r.model.sizeBytes)} as JSON, ${kb(r.model.storedBytes)} stored (gzip), ` +
      `trained in ${ms(r.model.trainMs)} (with its cross-validation); ${r.model.classifyMs.toFixed(2)} ms to classify ` +
      `a message (keywords and model, warm). Model's top category alone, never abstaining: ${pct(r.modelAccuracy)} right.`,
  );
  const curveRows = r.combinedCurve.map((c, i) => {
    const m = r.modelCurve[i];
    return [
      c.threshold > 1 ? 'agreement only' : c.threshold.toFixed(2),
      pct(c.precision),
      pct(c.coverage),
      m ? pct(m.precision) : '–',
      m ? pct(m.coverage) : '–',
    ];
  });
  printTable(
    'Holdout precision/coverage over the model threshold',
    [
      { title: 'threshold' },
      { title: 'combined precision', align: 'right' },
      { title: 'combined coverage', align: 'right' },
      { title: 'model precision', align: 'right' },
      { title: 'model coverage', align: 'right' },
    ],
    curveRows,
  );
  printTable(
    `5-fold cross-validation on the tune part (combined, threshold ${r.model.threshold.toFixed(2)}; each fold's model also learns training-extra and the labelled reports), and out of author`,
    columns,
    [
      row(
        'out of author: trained on training-extra + labelled reports, scored on all of tune',
        r.outOfAuthor,
      ),
      ...r.folds.map((f, i) => row(`fold ${i + 1}`, f)),
      [
        'mean',
        '',
        '',
        pct(r.folds.reduce((s, f) => s + f.precision, 0) / Math.max(1, r.folds.length)),
        pct(r.folds.reduce((s, f) => s + f.coverage, 0) / Math.max(1, r.folds.length)),
      ],
    ],
  );
  const confusions: string[][] = [];
  for (const [label, row] of Object.entries(r.combined.confusion)) {
    for (const [predicted, count] of Object.entries(row ?? {})) {
      if (predicted !== label && predicted !== 'other' && count)
        confusions.push([label, predicted, String(count)]);
    }
  }
  confusions.sort((a, b) => Number(b[2]) - Number(a[2]) || (a[0] ?? '').localeCompare(b[0] ?? ''));
  printTable(
    'Holdout: wrong departments of the combination, by category (counts only)',
    [{ title: 'labelled' }, { title: 'sent to' }, { title: 'messages', align: 'right' }],
    confusions,
  );
}
