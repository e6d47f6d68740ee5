/**
 * Ports of the statistics rebuild (shared/services/rebuild-statistics.ts), the one-off migration
 * that recounts the statistics from the cases themselves: every case read page by page, a
 * checkpoint that lets an interrupted rebuild resume where it stopped, and the statistics layout
 * the counters replace. An offline job's ports: nothing on a request path reads cases this way.
 */
import type { CaseState } from '../domain/case.ts';

export interface CaseScanPage {
  cases: CaseState[];
  /** Keys of state items that are not a readable case (skipped, and named to the operator). */
  unreadable: string[];
  /** Opaque; where the next page starts. Absent after the last page. */
  cursor?: string;
}

export interface CaseScan {
  /** Up to `limit` stored items' worth of cases (possibly none on a page that is not the last). */
  page(limit: number, cursor?: string): Promise<CaseScanPage>;
}

/** How far a rebuild has got, kept after every page. */
export interface RebuildCheckpoint {
  /** Raised by one on every save; a save names the revision it read, so two runs cannot both advance. */
  revision: number;
  startedAt: string;
  updatedAt: string;
  /** Where the next page starts; absent before the first page and once complete. */
  cursor?: string;
  pages: number;
  casesRead: number;
  changesRecorded: number;
  unreadable: number;
  completedAt?: string;
}

export interface RebuildCheckpoints {
  load(): Promise<RebuildCheckpoint | undefined>;
  /**
   * Writes `next` if the stored checkpoint is still at `expectedRevision` (undefined: none yet);
   * false when another run moved it first.
   */
  save(next: RebuildCheckpoint, expectedRevision: number | undefined): Promise<boolean>;
}

/** The statistics as they were kept before the counters (sets of tracking codes). */
export interface LegacyStatistics {
  /** Deletes every item of the old layout; answers how many. Safe to repeat. */
  drop(): Promise<number>;
}
