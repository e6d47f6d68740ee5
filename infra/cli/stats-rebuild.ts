/**
 * `stats rebuild [--restart] [--drop-legacy]`: recounts the statistics counters from the target's
 * cases (shared/services/rebuild-statistics.ts) — the upgrade path for deployments that kept their
 * statistics in the old layout, safe while the system takes reports. Resumes an interrupted run
 * from its checkpoint; says so and stops when an earlier run finished, unless `--restart`.
 * `--drop-legacy` deletes the old layout once the counters hold every case. Progress on stderr,
 * by counts and tracking codes only.
 */
import { DynamoDbCaseScan } from '../../shared/adapters/dynamodb-case-scan.ts';
import { DynamoDbDirectory } from '../../shared/adapters/dynamodb-directory.ts';
import { DynamoDbPolicies } from '../../shared/adapters/dynamodb-policies.ts';
import {
  DynamoDbLegacyStatistics,
  DynamoDbRebuildCheckpoints,
} from '../../shared/adapters/dynamodb-stats-rebuild.ts';
import { DynamoDbStatsStore } from '../../shared/adapters/dynamodb-stats-store.ts';
import type { RebuildCheckpoint } from '../../shared/ports/statistics-rebuild.ts';
import { type RebuildEvent, rebuildStatistics } from '../../shared/services/rebuild-statistics.ts';
import type { Output } from './queue-pull.ts';
import { type Target, TargetError } from './targets.ts';

export interface StatsRebuildOptions {
  restart: boolean;
  dropLegacy: boolean;
}

const counts = (c: RebuildCheckpoint) =>
  `${c.casesRead} case(s) read, ${c.changesRecorded} change(s) recorded`;

/** Exit code: 0 once every case is counted; 1 when cases could not be read or another run interfered. */
export async function statsRebuild(
  target: Target,
  options: StatsRebuildOptions,
  io: Output,
): Promise<number> {
  const casesTable = target.tableName('cases');
  if (!casesTable) throw new TargetError(`no cases table in the ${target.description}`);
  const statsTable = target.tableName('stats');
  if (!statsTable) throw new TargetError(`no stats table in the ${target.description}`);
  const directoryTable = target.tableName('directory');
  if (!directoryTable) throw new TargetError(`no directory table in the ${target.description}`);

  const onProgress = (event: RebuildEvent) => {
    if (event.kind === 'started') {
      io.err(
        event.resumed
          ? `resuming the statistics rebuild after page ${event.checkpoint.pages} (${counts(event.checkpoint)} so far)`
          : `rebuilding the statistics in ${statsTable} from the cases in ${casesTable}`,
      );
      return;
    }
    for (const key of event.unreadable) io.err(`skipped ${key}: not a readable case`);
    io.err(`page ${event.checkpoint.pages}: ${counts(event.checkpoint)}`);
  };
  const result = await rebuildStatistics(
    {
      cases: new DynamoDbCaseScan(target.db, casesTable),
      stats: new DynamoDbStatsStore(target.db, statsTable),
      unitIds: (await new DynamoDbDirectory(target.db, directoryTable).load()).units.map((u) => u.id),
      calendar: (await new DynamoDbPolicies(target.db, directoryTable).loadPolicies()).calendar,
      checkpoints: new DynamoDbRebuildCheckpoints(target.db, statsTable),
      legacy: new DynamoDbLegacyStatistics(target.db, statsTable),
      now: () => new Date(),
    },
    { restart: options.restart, dropLegacy: options.dropLegacy, onProgress },
  );

  const { checkpoint } = result;
  if (result.status === 'superseded') {
    io.err('another statistics rebuild moved the checkpoint (is one still running?); run again to resume');
    return 1;
  }
  io.err(
    result.status === 'already_complete'
      ? `the statistics rebuild is already complete (${checkpoint.completedAt}: ${counts(checkpoint)}); --restart rebuilds again`
      : `statistics rebuilt: ${counts(checkpoint)} in ${checkpoint.pages} page(s)`,
  );
  if (checkpoint.unreadable > 0) {
    io.err(
      `${checkpoint.unreadable} case item(s) could not be read and are not counted` +
        `${options.dropLegacy ? '; the legacy statistics are kept' : ''}: fix them and run again with --restart`,
    );
    return 1;
  }
  if (result.legacyDropped !== undefined) io.err(`dropped ${result.legacyDropped} legacy statistics item(s)`);
  return 0;
}
