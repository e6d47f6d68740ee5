/**
 * Port: where cases live. Every state change is one conditional write that names the stage and
 * version it expects, so two writers can never both win and nothing needs a transaction.
 */
import type { CaseReport, CaseState, Stage, TimelineEvent } from '../domain/case.ts';

export type CreateCaseResult = { created: true } | { created: false; existing: CaseState };

export interface StageChange {
  trackingCode: string;
  from: { stage: Stage; version: number };
  to: Stage;
  event: TimelineEvent;
  /** Other state attributes the change sets (e.g. the new owner). */
  set?: Partial<Pick<CaseState, 'unitId'>>;
}

export interface CaseStore {
  /** Write-once; a second save of the same submission is a no-op, another submission's is a CaseConflictError. */
  saveReport(report: CaseReport): Promise<void>;
  createCase(state: CaseState): Promise<CreateCaseResult>;
  getCase(trackingCode: string): Promise<CaseState | undefined>;
  /** Applies the change if the case is still at `from`; returns the new state, or undefined if it was not. */
  changeStage(change: StageChange): Promise<CaseState | undefined>;
}
