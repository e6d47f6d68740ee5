/**
 * Port: the county's cases by submission time, for Open311's `GET requests`. Read from the county
 * lanes of the cases table (open and done), bounded by the requested window, never scanned.
 */
import type { CaseState } from '../domain/case.ts';

export interface SubmittedBetween {
  /** Which lanes: open cases, done ones (closed, evaluated, merged), or both (open first). */
  lanes: readonly ('open' | 'done')[];
  /** Submission instants, inclusive (ISO). */
  from: string;
  to: string;
  /** Only these categories, when given. */
  categories?: readonly string[];
  limit: number;
  /** Opaque, from the previous page of the same query; a ValidationError naming `cursor` otherwise. */
  cursor?: string;
}

export interface ServiceRequestFeed {
  submittedBetween(query: SubmittedBetween): Promise<{ cases: CaseState[]; cursor?: string }>;
}
