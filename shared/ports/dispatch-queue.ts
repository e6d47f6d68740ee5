/** Port: delivers a routed case to the responsible unit's own queue. */
import type { UnitQueueMessage } from '../domain/case.ts';

export interface DispatchQueue {
  /** Whether this unit has a queue to deliver to; routing falls back to triage when it has none. */
  serves(unitId: string): boolean;
  /** Sends `message` to the queue of unit `to`. */
  dispatch(to: string, message: UnitQueueMessage): Promise<void>;
}
