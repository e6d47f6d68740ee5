/**
 * The report classifier as the SMS intake uses it: the admin's keyword table, and beside it the
 * county's learned text model when one has been trained. Without a model it is exactly the
 * keyword classifier (a fresh county behaves as before any history). With one, a category is named
 * when the keywords are sure and the model agrees, or when the model alone is at least as confident
 * as the threshold its trainer calibrated; anything else abstains (`other`: township triage). A
 * wrong department costs a return and days, a triage step a dispatcher's minute, so disagreement
 * between the two is treated as doubt, never as a vote.
 */
import type { CategoryCode } from '../categories.ts';
import { type ClassificationExplanation, explainClassification } from './classification-explanation.ts';
import {
  type Classification,
  type ClassifyOptions,
  classifyReport,
  type KeywordTable,
} from './classify-report.ts';
import { type ModelPrediction, predictCategory, type TextModel } from './text-model.ts';

export interface ReportClassification extends Classification {
  /** What decided it: both agreeing, the model alone above its threshold, the keywords alone (no model), or nothing. */
  decidedBy: 'keywords' | 'keywords_and_model' | 'model' | 'none';
  /** The keyword table's own call (`other` when it was not sure), whatever the model said. */
  keywordCategory: CategoryCode;
  /** The model's own call, when there is a model (for the console and the measurements). */
  model?: ModelPrediction & { version?: number };
  /** Why, as the case keeps it for the dispatcher (classification-explanation.ts). */
  explanation: ClassificationExplanation;
}

export interface LoadedModel {
  version: number;
  model: TextModel;
}

export interface ReportClassifierOptions extends ClassifyOptions {
  /** Overrides the model's calibrated threshold (the bench draws its curve with it). */
  threshold?: number;
}

/** Blanks the names the keyword classifier is told to ignore, so place names do not vote in the model either. */
function withoutNames(text: string, ignore: readonly string[] | undefined): string {
  let out = text.normalize('NFKC');
  for (const name of ignore ?? []) {
    const n = name.normalize('NFKC');
    if (n !== '') out = out.split(n).join(' ');
  }
  return out;
}

export function classifyWithModel(
  text: string,
  table: KeywordTable,
  loaded: LoadedModel | TextModel | undefined,
  options: ReportClassifierOptions = {},
): ReportClassification {
  const found = classifyReport(text, table, options);
  const keywords = { ...found, keywordCategory: found.category };
  if (loaded === undefined) {
    const decidedBy = keywords.confident ? 'keywords' : 'none';
    return { ...keywords, decidedBy, explanation: explainClassification({ ...keywords, decidedBy }) };
  }
  const { model, version } = 'model' in loaded ? loaded : { model: loaded, version: undefined };
  const modelText = withoutNames(text, options.ignore);
  const prediction = predictCategory(model, modelText);
  const threshold = options.threshold ?? model.threshold;
  const withModel = { ...prediction, ...(version !== undefined ? { version } : {}) };
  const decided = (
    category: CategoryCode,
    decidedBy: ReportClassification['decidedBy'],
  ): ReportClassification => ({
    ...keywords,
    category,
    confident: decidedBy !== 'none',
    decidedBy,
    model: withModel,
    explanation: explainClassification(
      { category, decidedBy, hits: keywords.hits },
      { model, ...(version !== undefined ? { version } : {}), text: modelText, prediction, threshold },
    ),
  });
  if (keywords.confident && prediction.category === keywords.category)
    return decided(keywords.category, 'keywords_and_model');
  if (prediction.category !== 'other' && prediction.confidence >= threshold)
    return decided(prediction.category, 'model');
  return decided('other', 'none');
}
