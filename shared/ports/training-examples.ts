/**
 * Port: the report classifier's labelled examples — a case's text and the category a person
 * confirmed for it (shared/domain/case-lifecycle.ts `confirmsCategory`), nothing else about the
 * case or the reporter. One per case (a later confirmation replaces it), kept in partitions by the
 * month the case was reported so the trainer reads them in bulk, and deleted when the case is
 * anonymised (its words go with the rest).
 */
import type { CategoryCode } from '../domain/categories.ts';

export interface TrainingExample {
  trackingCode: string;
  /** When the case was reported: names its month's partition. */
  submittedAt: string;
  text: string;
  label: CategoryCode;
  labelledAt: string;
}

/** Written by the case effects (the `training_example` outbox entry). */
export interface TrainingExampleWriter {
  saveTrainingExample(example: TrainingExample): Promise<void>;
}

/** Read by the trainer, month by month (`YYYY-MM`), in a stable order (by tracking code). */
export interface TrainingExampleSource {
  examplesOfMonth(month: string): Promise<Array<Pick<TrainingExample, 'trackingCode' | 'text' | 'label'>>>;
}
