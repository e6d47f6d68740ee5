/**
 * `cases reindex`: gives every stored case the index keys of the current table layout
 * (shared/adapters/dynamodb-case-reindex.ts) — the upgrade step after a deployment that changed
 * them, safe while the system takes reports, and a no-op when run again. Progress on stderr, by
 * counts and item keys only.
 */
import { reindexCases } from '../../shared/adapters/dynamodb-case-reindex.ts';
import type { Output } from './queue-pull.ts';
import { type Target, TargetError } from './targets.ts';

/** Exit code: 0 once every readable case has its keys; 1 when some items are not readable cases. */
export async function casesReindex(target: Target, io: Output): Promise<number> {
  const casesTable = target.tableName('cases');
  if (!casesTable) throw new TargetError(`no cases table in the ${target.description}`);
  io.err(`re-keying the cases in ${casesTable}`);
  const report = await reindexCases(target.db, casesTable, {
    onPage: (p) => io.err(`${p.read} case(s) read, ${p.rewritten} re-keyed`),
  });
  for (const key of report.unreadable) io.err(`skipped ${key}: not a readable case`);
  io.err(
    `done: ${report.read} case(s) read, ${report.rewritten} re-keyed` +
      (report.movedOn ? `, ${report.movedOn} changed meanwhile (and re-keyed by that change)` : ''),
  );
  return report.unreadable.length > 0 ? 1 : 0;
}
