/**
 * `groups import <file>`: loads micro-grids and grid groups (issue 16 item 1) from a CSV file into
 * the target's directory, judged against the grids in that directory, as the admin API's
 * POST /api/admin/grid-groups/import does. Prints one line per refused field — line number, field
 * and reason, never the value — then a summary of what was added, changed and left as it was.
 */
import { DynamoDbDirectory } from '../../shared/adapters/dynamodb-directory.ts';
import { DynamoDbGridRegistry } from '../../shared/adapters/dynamodb-grid-registry.ts';
import { ValidationError } from '../../shared/errors.ts';
import { importGridGroups } from '../../shared/services/import-grid-groups.ts';
import { readInputFile } from './input-file.ts';
import type { Output } from './queue-pull.ts';
import { type Target, TargetError } from './targets.ts';

/** Exit code: 0 once the file was processed, even with refused rows; 1 when it could not be. */
export async function groupsImport(target: Target, file: string, io: Output): Promise<number> {
  const text = await readInputFile(file, io);
  if (text === undefined) return 1;
  const directoryTable = target.tableName('directory');
  if (!directoryTable) throw new TargetError(`no directory table in the ${target.description}`);
  const org = await new DynamoDbDirectory(target.db, directoryTable).load();
  try {
    const r = await importGridGroups(text, org, new DynamoDbGridRegistry(target.db, directoryTable));
    for (const { line, field, reason } of r.rejected) io.out(`line ${line}: ${field} — ${reason}`);
    const refusedRows = new Set(r.rejected.map((x) => x.line)).size;
    io.err(
      `imported ${r.grids} grid(s) into ${directoryTable} (${r.changed} changed, ${r.unchanged} unchanged; ` +
        `groups ${r.groups.added} added, ${r.groups.changed} changed; micro-grids ${r.microGrids.added} added, ` +
        `${r.microGrids.changed} changed, ${r.microGrids.removed} removed; ${r.gridWorkersSet} grid worker(s) set); ` +
        `refused ${refusedRows} row(s)`,
    );
    return 0;
  } catch (error) {
    if (error instanceof ValidationError) {
      io.err(error.message);
      return 1;
    }
    throw error;
  }
}
