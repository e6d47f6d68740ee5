/**
 * `search reindex [--restart]`: writes the search postings of every stored case
 * (shared/services/reindex-search.ts) — the step after deploying search onto a county with cases,
 * safe while the system takes reports. Resumes an interrupted run where it stopped; says so and
 * stops when an earlier run finished, unless `--restart`. Progress on stderr, by counts only.
 */

import { DynamoDbCaseScan } from '../../shared/adapters/dynamodb-case-scan.ts';
import {
  DynamoDbCaseBatchReader,
  DynamoDbCaseSearchIndex,
  DynamoDbSearchReindexProgress,
} from '../../shared/adapters/dynamodb-case-search.ts';
import { reindexSearch, type SearchReindexProgress } from '../../shared/services/reindex-search.ts';
import type { Output } from './queue-pull.ts';
import { type Target, TargetError } from './targets.ts';

const counts = (p: SearchReindexProgress) => `${p.cases} case(s) read, ${p.postings} posting(s) written`;

/** Exit code: 0 once every readable case is indexed; 1 when some items are not readable cases. */
export async function searchReindex(
  target: Target,
  options: { restart: boolean },
  io: Output,
): Promise<number> {
  const casesTable = target.tableName('cases');
  if (!casesTable) throw new TargetError(`no cases table in the ${target.description}`);
  const searchTable = target.tableName('search');
  if (!searchTable) throw new TargetError(`no search table in the ${target.description}`);
  const result = await reindexSearch(
    {
      scan: new DynamoDbCaseScan(target.db, casesTable),
      batch: new DynamoDbCaseBatchReader(target.db, casesTable),
      index: new DynamoDbCaseSearchIndex(target.db, searchTable),
      progress: new DynamoDbSearchReindexProgress(target.db, searchTable),
      now: () => new Date(),
    },
    {
      restart: options.restart,
      onProgress: (event) => {
        if (event.kind === 'started')
          io.err(
            event.resumed
              ? `resuming the search index (${counts(event.progress)} so far)`
              : `indexing the cases in ${casesTable} for search into ${searchTable}`,
          );
        else {
          for (const key of event.unreadable) io.err(`skipped ${key}: not a readable case`);
          io.err(counts(event.progress));
        }
      },
    },
  );
  io.err(
    result.status === 'already_complete'
      ? `the search index was already built (${result.progress.completedAt}: ${counts(result.progress)}); --restart builds it again`
      : `search index built: ${counts(result.progress)}`,
  );
  return result.unreadable > 0 ? 1 : 0;
}
