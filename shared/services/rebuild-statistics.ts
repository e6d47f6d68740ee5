/**
 * Rebuilds the statistics counters from the cases: every case's history replayed as the stage
 * changes it made (statsChangesOfCase), each recorded through the StatsStore, which recognises a
 * change it has counted already. So the rebuild can overlap live traffic, be repeated, or resume
 * in the middle of a page, and every change still counts once. The migration for deployments
 * whose statistics were kept in the old layout, and the repair for counters that were lost; the
 * store rewrites the balances and month aggregates from the rebuilt days at the end.
 * Resumable: a checkpoint after every page says where the next one starts; a new run continues
 * from it, a finished one is not repeated unless asked to start again.
 */
import type { CaseState } from '../domain/case.ts';
import { settledThrough, statsChangesOfCase } from '../domain/case-statistics.ts';
import type { WorkingCalendar } from '../domain/working-calendar.ts';
import type {
  CaseScan,
  LegacyStatistics,
  RebuildCheckpoint,
  RebuildCheckpoints,
} from '../ports/statistics-rebuild.ts';
import type { StatsStore } from '../ports/stats-store.ts';

export interface RebuildStatisticsDeps {
  cases: CaseScan;
  stats: Pick<StatsStore, 'record' | 'rebuildBalances'>;
  /** Every unit whose balance the rebuilt days feed. */
  unitIds: readonly string[];
  /**
   * The working calendar the assessment's stay times are counted on (the policies' own);
   * without it the rebuilt changes carry no working time.
   */
  calendar?: WorkingCalendar;
  checkpoints: RebuildCheckpoints;
  legacy: LegacyStatistics;
  now: () => Date;
}

export interface RebuildOptions {
  /** Start from the first case even if an earlier run finished or got part of the way. */
  restart?: boolean;
  /** Delete the old layout's statistics once the rebuild is complete and every case was read. */
  dropLegacy?: boolean;
  /** Stored items read per page; modest, so a page's replays stay a small burst of writes. */
  pageSize?: number;
  /** Hears about the run: where it starts, and each page once its checkpoint is written. */
  onProgress?: (event: RebuildEvent) => void;
}

export type RebuildEvent =
  | { kind: 'started'; checkpoint: RebuildCheckpoint; resumed: boolean }
  | { kind: 'page'; checkpoint: RebuildCheckpoint; unreadable: string[] };

export type RebuildResult = (
  | { status: 'rebuilt' }
  /** An earlier run finished; nothing was read again. */
  | { status: 'already_complete' }
  /** Another run moved the checkpoint meanwhile (two at once): this one stopped. */
  | { status: 'superseded' }
) & {
  checkpoint: RebuildCheckpoint;
  /** Legacy items deleted; absent when they were not to be, or could not yet be, dropped. */
  legacyDropped?: number;
};

export const DEFAULT_PAGE_SIZE = 50;

export async function rebuildStatistics(
  deps: RebuildStatisticsDeps,
  options: RebuildOptions = {},
): Promise<RebuildResult> {
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  const stored = await deps.checkpoints.load();
  if (stored?.completedAt && !options.restart) {
    return dropLegacyIfAsked({ status: 'already_complete', checkpoint: stored }, deps, options);
  }

  let checkpoint: RebuildCheckpoint;
  const resumed = stored !== undefined && !options.restart;
  if (stored && resumed) {
    checkpoint = stored;
  } else {
    // Written before the first page, so a run interrupted after a restart resumes this run,
    // not the finished one it replaced.
    const at = deps.now().toISOString();
    checkpoint = {
      revision: (stored?.revision ?? 0) + 1,
      startedAt: at,
      updatedAt: at,
      pages: 0,
      casesRead: 0,
      changesRecorded: 0,
      unreadable: 0,
    };
    if (!(await deps.checkpoints.save(checkpoint, stored?.revision))) {
      return { status: 'superseded', checkpoint };
    }
  }
  options.onProgress?.({ kind: 'started', checkpoint, resumed });

  while (!checkpoint.completedAt) {
    const page = await deps.cases.page(pageSize, checkpoint.cursor);
    const recorded = await recordAll(page.cases, deps.stats, deps.calendar);
    // Old days are written afresh under balances that have long passed them: before the run
    // counts as complete, each balance becomes the sum of all its days again.
    if (!page.cursor) await deps.stats.rebuildBalances(deps.unitIds, settledThrough(deps.now()));
    const at = deps.now().toISOString();
    const { cursor: _previous, ...rest } = checkpoint;
    const next: RebuildCheckpoint = {
      ...rest,
      revision: checkpoint.revision + 1,
      updatedAt: at,
      pages: checkpoint.pages + 1,
      casesRead: checkpoint.casesRead + page.cases.length,
      changesRecorded: checkpoint.changesRecorded + recorded,
      unreadable: checkpoint.unreadable + page.unreadable.length,
      ...(page.cursor ? { cursor: page.cursor } : { completedAt: at }),
    };
    if (!(await deps.checkpoints.save(next, checkpoint.revision))) {
      return { status: 'superseded', checkpoint };
    }
    checkpoint = next;
    options.onProgress?.({ kind: 'page', checkpoint, unreadable: page.unreadable });
  }
  return dropLegacyIfAsked({ status: 'rebuilt', checkpoint }, deps, options);
}

/**
 * Replays each case's changes; the cases of a page side by side, each case's in order. Every
 * replay is awaited before a failure is passed on, so nothing of the page is still being written
 * once the caller hears of it.
 */
async function recordAll(
  cases: readonly CaseState[],
  stats: Pick<StatsStore, 'record'>,
  calendar: WorkingCalendar | undefined,
): Promise<number> {
  const outcomes = await Promise.allSettled(
    cases.map(async (c) => {
      const changes = statsChangesOfCase(c, calendar);
      for (const change of changes) await stats.record(change);
      return changes.length;
    }),
  );
  let recorded = 0;
  for (const outcome of outcomes) {
    if (outcome.status === 'rejected') throw outcome.reason;
    recorded += outcome.value;
  }
  return recorded;
}

/** The old layout goes only once the new counters hold every case: none left unread. */
async function dropLegacyIfAsked(
  result: RebuildResult,
  deps: RebuildStatisticsDeps,
  options: RebuildOptions,
): Promise<RebuildResult> {
  if (!options.dropLegacy || !result.checkpoint.completedAt || result.checkpoint.unreadable > 0)
    return result;
  return { ...result, legacyDropped: await deps.legacy.drop() };
}
