/** Port: delivers a routed case to the responsible unit's own queue. */
import type { CaseDispatched } from '../domain/case.ts';

export interface DispatchQueue {
  /** Whether this unit has a queue to deliver to; routing falls back to triage when it has none. */
  serves(unitId: string): boolean;
  dispatch(message: CaseDispatched): Promise<void>;
}
