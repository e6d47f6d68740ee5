/**
 * `households import <file>`: loads the household registry from a CSV export into the target's
 * `households` table, checking rows against the organisation in the target's directory (not the
 * demo one: a deployment may have changed it), and recounts the touched communities' counters
 * (opt-outs from the target's `sms` table). Prints one line per bad field — line number, field
 * and reason, never the value, because phones and names are personal data — then a summary.
 */
import { DynamoDbDirectory } from '../../shared/adapters/dynamodb-directory.ts';
import { DynamoDbHouseholdRegistry } from '../../shared/adapters/dynamodb-household-registry.ts';
import { DynamoDbSmsState } from '../../shared/adapters/dynamodb-sms-state.ts';
import { ValidationError } from '../../shared/errors.ts';
import { importHouseholds } from '../../shared/services/import-households.ts';
import { readInputFile } from './input-file.ts';
import type { Output } from './queue-pull.ts';
import { type Target, TargetError } from './targets.ts';

/** Exit code: 0 once the file was processed, even with bad rows; 1 when it could not be. */
export async function householdsImport(target: Target, file: string, io: Output): Promise<number> {
  const text = await readInputFile(file, io);
  if (text === undefined) return 1;
  const householdsTable = target.tableName('households');
  if (!householdsTable) throw new TargetError(`no households table in the ${target.description}`);
  const directoryTable = target.tableName('directory');
  if (!directoryTable) throw new TargetError(`no directory table in the ${target.description}`);

  const smsTable = target.tableName('sms');
  if (!smsTable) throw new TargetError(`no sms table in the ${target.description}`);

  const org = await new DynamoDbDirectory(target.db, directoryTable).load();
  try {
    const result = await importHouseholds(
      text,
      org,
      new DynamoDbHouseholdRegistry(target.db, householdsTable),
      {
        optOuts: new DynamoDbSmsState(target.db, smsTable),
      },
    );
    for (const { line, field, reason } of result.rejected) io.out(`line ${line}: ${field} — ${reason}`);
    const rejectedRows = new Set(result.rejected.map((r) => r.line)).size;
    io.err(
      `imported ${result.imported} household(s) into ${householdsTable} ` +
        `(${result.created} created, ${result.updated} updated); rejected ${rejectedRows} row(s)`,
    );
    return 0;
  } catch (error) {
    // A bad header: no row could be read. The message names columns by position only.
    if (error instanceof ValidationError) {
      io.err(error.message);
      return 1;
    }
    throw error;
  }
}
