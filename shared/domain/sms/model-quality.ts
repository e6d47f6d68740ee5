/**
 * How good the combined report classifier is, measured the way issue 14 defines it, and the
 * calibration of the model's confidence threshold from cross-validation. Shared by the trainer
 * (which stores what it measured with the model) and `npm run bench`.
 *
 * - precision: of the messages sent to a department (any prediction but `other`), the share sent
 *   to the right one; a message labelled `other` that was routed counts as wrong.
 * - coverage: of the messages whose label is not `other`, the share routed at all (the rest cost a
 *   triage step).
 */
import { type CategoryCode, categoryCodes } from '../categories.ts';
import type { KeywordTable } from './classify-report.ts';
import { classifyWithModel } from './report-classifier.ts';
import { type LabelledText, type TextModel, type TrainOptions, trainTextModel } from './text-model.ts';

export interface Outcome {
  label: CategoryCode;
  predicted: CategoryCode;
}

export type Confusion = Partial<Record<CategoryCode, Partial<Record<CategoryCode, number>>>>;

export interface PrecisionCoverage {
  messages: number;
  routed: number;
  correct: number;
  precision: number;
  coverage: number;
  /** confusion[label][predicted]: counts only, never texts. */
  confusion: Confusion;
}

export function precisionCoverage(outcomes: readonly Outcome[]): PrecisionCoverage {
  let routed = 0;
  let correct = 0;
  let departmental = 0;
  let routedDepartmental = 0;
  const confusion: Confusion = {};
  for (const { label, predicted } of outcomes) {
    const row = confusion[label] ?? {};
    row[predicted] = (row[predicted] ?? 0) + 1;
    confusion[label] = row;
    if (label !== 'other') departmental++;
    if (predicted === 'other') continue;
    routed++;
    if (predicted === label) correct++;
    if (label !== 'other') routedDepartmental++;
  }
  return {
    messages: outcomes.length,
    routed,
    correct,
    precision: routed === 0 ? 1 : correct / routed,
    coverage: departmental === 0 ? 0 : routedDepartmental / departmental,
    confusion,
  };
}

/** One message's calls: the keywords', the model's, and what the combination did, for any threshold. */
export interface ScoredMessage {
  label: CategoryCode;
  keywords: CategoryCode;
  keywordsConfident: boolean;
  model: CategoryCode;
  confidence: number;
}

export function scoreMessages(
  messages: readonly LabelledText[],
  table: KeywordTable,
  model: TextModel,
): ScoredMessage[] {
  return messages.map(({ text, label }) => {
    const result = classifyWithModel(text, table, model);
    return {
      label,
      keywords: result.keywordCategory,
      keywordsConfident: result.keywordCategory !== 'other',
      model: result.model?.category ?? 'other',
      confidence: result.model?.confidence ?? 0,
    };
  });
}

/** The combination's call at `threshold` (see report-classifier.ts). */
export const combinedCall = (m: ScoredMessage, threshold: number): CategoryCode =>
  m.keywordsConfident && m.model === m.keywords
    ? m.keywords
    : m.model !== 'other' && m.confidence >= threshold
      ? m.model
      : 'other';

export const modelCall = (m: ScoredMessage, threshold: number): CategoryCode =>
  m.model !== 'other' && m.confidence >= threshold ? m.model : 'other';

export const keywordsCall = (m: ScoredMessage): CategoryCode => (m.keywordsConfident ? m.keywords : 'other');

export interface CurvePoint extends PrecisionCoverage {
  threshold: number;
}

export function thresholdCurve(
  scored: readonly ScoredMessage[],
  thresholds: readonly number[],
  call: (m: ScoredMessage, threshold: number) => CategoryCode = combinedCall,
): CurvePoint[] {
  return thresholds.map((threshold) => ({
    threshold,
    ...precisionCoverage(scored.map((m) => ({ label: m.label, predicted: call(m, threshold) }))),
  }));
}

/**
 * Scores every example by a model trained on the other folds (example i is in fold i mod k, so
 * the folds are fixed by the examples' order and the result is reproducible).
 */
export function crossValidate(
  examples: readonly LabelledText[],
  table: KeywordTable,
  k: number,
  options: TrainOptions = {},
  extraTraining: readonly LabelledText[] = [],
): { scored: ScoredMessage[]; perFold: PrecisionCoverage[] } {
  const scored: ScoredMessage[] = [];
  const perFold: PrecisionCoverage[] = [];
  for (let fold = 0; fold < k; fold++) {
    const train = [...examples.filter((_, i) => i % k !== fold), ...extraTraining];
    const test = examples.filter((_, i) => i % k === fold);
    const model = trainTextModel(train, options);
    const foldScored = scoreMessages(test, table, model);
    scored.push(...foldScored);
    perFold.push(
      precisionCoverage(
        foldScored.map((m) => ({ label: m.label, predicted: combinedCall(m, model.threshold) })),
      ),
    );
  }
  return { scored, perFold };
}

/** The thresholds a trainer chooses from: 0.30 to 0.99 by 0.01. */
export const THRESHOLD_GRID: readonly number[] = Array.from({ length: 70 }, (_, i) => (30 + i) / 100);

/** A threshold above any confidence: the model names a category only when the keywords agree. */
export const AGREEMENT_ONLY = 1.01;

/**
 * The lowest threshold whose cross-validated precision reaches `targetPrecision` (the most
 * coverage at that precision); when none does, `AGREEMENT_ONLY`.
 */
export function calibrateThreshold(scored: readonly ScoredMessage[], targetPrecision: number): CurvePoint {
  for (const point of thresholdCurve(scored, THRESHOLD_GRID)) {
    if (point.precision >= targetPrecision) return point;
  }
  return (
    thresholdCurve(scored, [AGREEMENT_ONLY])[0] ?? { threshold: AGREEMENT_ONLY, ...precisionCoverage([]) }
  );
}

export interface CalibratedModel {
  model: TextModel;
  /** Cross-validated on the training examples at the calibrated threshold. */
  measured: { precision: number; coverage: number; folds: number; examples: number };
  /** The keyword table alone on the same examples. */
  keywordsOnly: { precision: number; coverage: number };
}

/** Trains on all the examples, with the threshold calibrated by k-fold cross-validation on them. */
export function trainCalibratedModel(
  examples: readonly LabelledText[],
  table: KeywordTable,
  {
    folds = 5,
    targetPrecision = 0.95,
    ...options
  }: TrainOptions & { folds?: number; targetPrecision?: number } = {},
): CalibratedModel {
  const { scored } = crossValidate(examples, table, folds, options);
  const point = calibrateThreshold(scored, targetPrecision);
  const model = trainTextModel(examples, { ...options, threshold: point.threshold });
  const keywords = precisionCoverage(scored.map((m) => ({ label: m.label, predicted: keywordsCall(m) })));
  return {
    model,
    measured: { precision: point.precision, coverage: point.coverage, folds, examples: examples.length },
    keywordsOnly: { precision: keywords.precision, coverage: keywords.coverage },
  };
}

/** Examples per category, for the admin view and the trainer's minimum. */
export function examplesPerCategory(
  examples: readonly LabelledText[],
): Partial<Record<CategoryCode, number>> {
  const counts: Partial<Record<CategoryCode, number>> = {};
  for (const code of categoryCodes) {
    const n = examples.filter((e) => e.label === code).length;
    if (n > 0) counts[code] = n;
  }
  return counts;
}
