/**
 * How good the report classifier is on a labelled set: precision (of the reports it placed
 * confidently in a department's category, how many were right: wrong ones cost a misrouted case)
 * and coverage (how many reports it placed confidently at all: the rest cost a triage step).
 * Shared by the tests, which hold it to a floor, and `npm run bench`, which prints it.
 */
import type { CategoryCode } from '../categories.ts';
import { type ClassifyOptions, classifyReport, type KeywordTable } from './classify-report.ts';

export interface LabelledReport {
  text: string;
  expected: CategoryCode;
}

export interface ClassifierMistake {
  text: string;
  expected: CategoryCode;
  predicted: CategoryCode;
  matched: string[];
}

export interface ClassifierQuality {
  total: number;
  /** Reports classified confidently (into a category other than `other`). */
  confident: number;
  correct: number;
  /** correct / confident; 1 when nothing was classified (no wrong department). */
  precision: number;
  /** confident / total. */
  coverage: number;
  /** confusion[expected][predicted] = count, `other` as predicted for everything left to triage. */
  confusion: Partial<Record<CategoryCode, Partial<Record<CategoryCode, number>>>>;
  /** The confident, wrong classifications: the ones that would reach the wrong department. */
  mistakes: ClassifierMistake[];
}

export function evaluateClassifier(
  set: readonly LabelledReport[],
  table: KeywordTable,
  options: ClassifyOptions = {},
): ClassifierQuality {
  let confident = 0;
  let correct = 0;
  const confusion: ClassifierQuality['confusion'] = {};
  const mistakes: ClassifierMistake[] = [];
  for (const { text, expected } of set) {
    const result = classifyReport(text, table, options);
    const row = confusion[expected] ?? {};
    row[result.category] = (row[result.category] ?? 0) + 1;
    confusion[expected] = row;
    if (!result.confident) continue;
    confident += 1;
    if (result.category === expected) correct += 1;
    else mistakes.push({ text, expected, predicted: result.category, matched: result.matched });
  }
  return {
    total: set.length,
    confident,
    correct,
    precision: confident === 0 ? 1 : correct / confident,
    coverage: set.length === 0 ? 0 : confident / set.length,
    confusion,
    mistakes,
  };
}
