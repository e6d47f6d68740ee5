/**
 * Port: the report classifier's trained models, stored versioned, with the pointer to the one in
 * use. A version is written once and never changed; training, a rollback and a return to keywords
 * only each move the pointer, conditioned on where it pointed when read, so two admins (or the
 * trainer and an admin) acting at once cannot both win.
 */
import type { CategoryCode } from '../domain/categories.ts';
import type { TextModel } from '../domain/sms/text-model.ts';

export interface ModelSummary {
  version: number;
  trainedAt: string;
  /** Labelled examples it was trained on, in all and per category. */
  examples: number;
  perCategory: Partial<Record<CategoryCode, number>>;
  /** Cross-validated on the training examples (k folds) at the calibrated threshold. */
  measured: { precision: number; coverage: number; folds: number };
  /** The keyword table alone on the same examples, for comparison. */
  keywordsOnly: { precision: number; coverage: number };
  threshold: number;
  features: number;
  /** Bytes stored (compressed). */
  storedBytes: number;
  /** SHA-256 of the examples (code, label, text), so an unchanged training set is not retrained. */
  examplesDigest: string;
}

/** Which version classifies now; `version` undefined: keywords only. */
export interface ActiveModel {
  version?: number;
  changedAt: string;
  changedBy: string;
}

export interface ClassifierModels {
  /** The pointer, as stored; undefined before any model was ever activated. */
  active(): Promise<ActiveModel | undefined>;
  /** A stored version with its model, or undefined. */
  load(version: number): Promise<{ summary: ModelSummary; model: TextModel } | undefined>;
  /** Summaries, newest first, at most `limit`. */
  list(limit: number): Promise<ModelSummary[]>;
  /** Stores a new version (the next number) and returns its summary; does not activate it. */
  save(summary: Omit<ModelSummary, 'version' | 'storedBytes'>, model: TextModel): Promise<ModelSummary>;
  /**
   * Points at `version` (undefined: keywords only) if the pointer still points where `expected`
   * says (undefined: nothing ever activated); false if someone moved it first.
   */
  activate(
    version: number | undefined,
    expected: ActiveModel | undefined,
    changedBy: string,
    at: string,
  ): Promise<boolean>;
}
