/**
 * Why the report classifier put a text where it did, in a form small enough to travel with the
 * report (the intake message) and stay on its case (issue 14 item 6): what decided it (keywords,
 * the model, both, or nothing: triage), the keywords that counted with the category each counted
 * for, and, when the county has a model, its confidence in its top category and the runner-up
 * and the n-grams of the text that pushed hardest towards its top category. The dispatcher reads
 * it beside the correction form; a wrong keyword or feature is the thing to correct.
 *
 * Keywords and features are pieces of the resident's own text, so the explanation is personal data
 * like the text: staff see it only where they may act on the category, and it goes when the case
 * is anonymised (report-retention.ts). Its lists are capped so a case item stays small whatever an
 * admin puts in the keyword table. Pure and deterministic: the same text, table and model give the
 * same explanation.
 */
import * as z from '../../schema.ts';
import { CategoryCode } from '../categories.ts';
import type { KeywordHit } from './classify-report.ts';
import { featureContributions, type ModelPrediction, type TextModel } from './text-model.ts';

/** At most this many keywords are kept (the longest, most specific ones are found first). */
export const MAX_EXPLAINED_KEYWORDS = 10;
/** The features that pushed hardest, at most this many. */
export const MAX_EXPLAINED_FEATURES = 5;
const MAX_KEYWORD_CHARS = 40;
const MAX_FEATURE_CHARS = 40;

export const ClassificationMethod = z.enum(['keywords', 'model', 'both', 'abstained']);
export type ClassificationMethod = z.infer<typeof ClassificationMethod>;

const Probability = z.number().check(z.minimum(0), z.maximum(1));

export const ClassificationExplanation = z.object({
  /**
   * `keywords`: the keyword table alone (no model in use); `both`: the table and the model agreed;
   * `model`: the model alone, at or above its threshold; `abstained`: neither was sure, triage.
   */
  method: ClassificationMethod,
  /** The category it decided (`other` when it abstained). */
  category: CategoryCode,
  keywords: z
    .array(
      z.object({
        keyword: z.string().check(z.minLength(1), z.maxLength(MAX_KEYWORD_CHARS)),
        category: CategoryCode,
      }),
    )
    .check(z.maxLength(MAX_EXPLAINED_KEYWORDS)),
  /** Absent when no model was in use. */
  model: z.optional(
    z.object({
      /** The stored version that classified it (absent for a model that was never stored). */
      version: z.optional(z.int().check(z.positive())),
      top: z.object({ category: CategoryCode, confidence: Probability }),
      runnerUp: z.optional(z.object({ category: CategoryCode, confidence: Probability })),
      /** The confidence the model alone needs to name a category. */
      threshold: z.number().check(z.minimum(0), z.maximum(1.01)),
      /**
       * The text's n-grams that favoured the top category over the runner-up most, largest first:
       * Chinese characters as written, Latin words stemmed (`w:` dropped); the weight is the
       * log-likelihood ratio.
       */
      features: z
        .array(
          z.object({
            feature: z.string().check(z.minLength(1), z.maxLength(MAX_FEATURE_CHARS)),
            weight: z.number().check(z.positive()),
          }),
        )
        .check(z.maxLength(MAX_EXPLAINED_FEATURES)),
    }),
  ),
});
export type ClassificationExplanation = z.infer<typeof ClassificationExplanation>;

/** What the classifier decided, as report-classifier.ts has it. */
export interface ExplainedDecision {
  category: CategoryCode;
  decidedBy: 'keywords' | 'keywords_and_model' | 'model' | 'none';
  hits: readonly KeywordHit[];
}

const METHODS = {
  keywords: 'keywords',
  keywords_and_model: 'both',
  model: 'model',
  none: 'abstained',
} as const satisfies Record<ExplainedDecision['decidedBy'], ClassificationMethod>;

const round3 = (v: number): number => Math.round(v * 1000) / 1000;
const cut = (s: string, max: number): string => [...s].slice(0, max).join('');

/**
 * The explanation of a decision. `modelText` is the text as the model read it (place names
 * blanked) and `prediction` the model's own call on it, both absent when no model was in use.
 */
export function explainClassification(
  decision: ExplainedDecision,
  used?: { model: TextModel; version?: number; text: string; prediction: ModelPrediction; threshold: number },
): ClassificationExplanation {
  const keywords = decision.hits
    .slice(0, MAX_EXPLAINED_KEYWORDS)
    .map((h) => ({ keyword: cut(h.keyword, MAX_KEYWORD_CHARS), category: h.category }));
  const explanation: ClassificationExplanation = {
    method: METHODS[decision.decidedBy],
    category: decision.category,
    keywords,
  };
  if (used === undefined) return explanation;
  const { model, prediction } = used;
  // The model's labels by probability, ties in the model's own order.
  const ranked = model.labels
    .map((label, order) => ({ label, order, p: prediction.probabilities[label] ?? 0 }))
    .sort((a, b) => b.p - a.p || a.order - b.order);
  const top = ranked[0];
  const runnerUp = ranked[1];
  if (top === undefined) return explanation;
  const features =
    runnerUp === undefined
      ? []
      : featureContributions(model, used.text, top.label, runnerUp.label, MAX_EXPLAINED_FEATURES).map(
          (c) => ({
            feature: cut(c.feature.startsWith('w:') ? c.feature.slice(2) : c.feature, MAX_FEATURE_CHARS),
            weight: c.weight,
          }),
        );
  return {
    ...explanation,
    model: {
      ...(used.version !== undefined ? { version: used.version } : {}),
      top: { category: top.label, confidence: round3(top.p) },
      ...(runnerUp ? { runnerUp: { category: runnerUp.label, confidence: round3(runnerUp.p) } } : {}),
      threshold: used.threshold,
      features,
    },
  };
}
