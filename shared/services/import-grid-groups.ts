/**
 * Imports micro-grids and grid groups (issue 16 item 1) from a CSV file, as the household import
 * does (shared/services/import-households.ts): every row checked on its own, each bad field
 * reported with its line, never its value. A grid is the unit of storage: it is written whole with
 * one conditional write, or — when any of its rows is bad — not at all, so nothing is half-stored;
 * other grids go in. A grid the file describes exactly as stored is not written again, so a
 * re-import of the same file changes nothing and reports every grid unchanged.
 */

import {
  GRID_GROUP_CSV_COLUMNS,
  type GridGroupCsvColumn,
  type GridGroupCsvRow,
  type GridGroupRowIssue,
  MICRO_GRID_CSV_COLUMNS,
  planGridGroups,
  REQUIRED_GRID_GROUP_CSV_COLUMNS,
  sameData,
  validateGridGroupRow,
} from '../domain/grid-groups-csv.ts';
import type { Grid, Organisation } from '../domain/organisation.ts';
import type { Staff } from '../domain/staff.ts';
import { ForbiddenError, ValidationError } from '../errors.ts';
import type { DirectoryReader } from '../ports/directory.ts';
import type { GridRegistryWriter } from '../ports/grid-registry.ts';
import * as z from '../schema.ts';
import { csvHeaderError, readCsvImport } from './csv-import.ts';

export const GridGroupImportAnswer = z.object({
  /** Grids the file describes that are now as it says (changed or already so). */
  grids: z.int(),
  /** Of those, grids written by this import; the others were already as the file says. */
  changed: z.int(),
  unchanged: z.int(),
  groups: z.object({ added: z.int(), changed: z.int() }),
  microGrids: z.object({ added: z.int(), changed: z.int(), removed: z.int() }),
  /** Grids that had no worker on record and took the group owner as their worker. */
  gridWorkersSet: z.int(),
  /** One entry per bad field, by line (the header is line 1); a refused grid's other rows too. */
  rejected: z.array(z.object({ line: z.int(), field: z.string(), reason: z.string() })),
});
export type GridGroupImport = z.infer<typeof GridGroupImportAnswer>;

/** The API's body: the file's text (validated here, like any other body). */
export const GridGroupImportBody = z.object({
  csv: z
    .string()
    .check(
      z.minLength(1, 'the file is empty'),
      z.maxLength(4_000_000, 'at most 4,000,000 characters: split the file by township'),
    ),
});

export interface GridGroupImportDeps {
  /** Read uncached: the import must judge rows against the directory as it is now. */
  directory: DirectoryReader;
  grids: GridRegistryWriter;
}

/** POST /api/admin/grid-groups/import: admins only; the body `{ csv }` checked before any row. */
export async function importGridGroupsFile(
  staff: Staff,
  rawBody: unknown,
  deps: GridGroupImportDeps,
): Promise<GridGroupImport> {
  if (staff.role !== 'admin') throw new ForbiddenError('Only an administrator imports the grid registry');
  const body = GridGroupImportBody.safeParse(rawBody);
  if (!body.success)
    throw new ValidationError(
      `csv: ${body.error.issues[0]?.message ?? 'invalid'}`,
      body.error.issues.map((i) => ({ path: i.path.join('.') || 'csv', message: i.message })),
    );
  return importGridGroups(body.data.csv, await deps.directory.load(), deps.grids);
}

/** Grid writes in flight at once. */
const WRITES_AT_ONCE = 16;

const isColumn = (name: string): name is GridGroupCsvColumn =>
  (GRID_GROUP_CSV_COLUMNS as readonly string[]).includes(name);

export async function importGridGroups(
  csvText: string,
  org: Organisation,
  registry: GridRegistryWriter,
): Promise<GridGroupImport> {
  const rejected: GridGroupRowIssue[] = [];
  const { columns, rows: records } = readCsvImport(
    csvText,
    { known: GRID_GROUP_CSV_COLUMNS, required: REQUIRED_GRID_GROUP_CSV_COLUMNS },
    rejected,
  );
  const micro = MICRO_GRID_CSV_COLUMNS.filter((c) => columns.includes(c));
  if (micro.length > 0 && micro.length < MICRO_GRID_CSV_COLUMNS.length)
    throw csvHeaderError(`the micro-grid columns come together: ${MICRO_GRID_CSV_COLUMNS.join(', ')}`);
  const withMicroGrids = micro.length > 0;

  const good = [];
  const badRowOfGrid = new Map<string, number>();
  for (const { record, line } of records) {
    const row: GridGroupCsvRow = {
      grid_id: '',
      group_chat_id: '',
      group_owner: '',
      micro_grid_id: '',
      micro_grid_name: '',
      micro_grid_households: '',
      micro_grid_worker: '',
    };
    columns.forEach((column, i) => {
      if (isColumn(column)) row[column] = record[i] ?? '';
    });
    const result = validateGridGroupRow(row, line);
    if (result.ok) good.push(result.row);
    else {
      rejected.push(...result.issues);
      if (result.gridId !== undefined && !badRowOfGrid.has(result.gridId))
        badRowOfGrid.set(result.gridId, line);
    }
  }

  const plan = planGridGroups(good, badRowOfGrid, org, withMicroGrids);
  rejected.push(...plan.rejected);
  const report: GridGroupImport = {
    grids: 0,
    changed: 0,
    unchanged: 0,
    groups: { added: 0, changed: 0 },
    microGrids: { added: 0, changed: 0, removed: 0 },
    gridWorkersSet: 0,
    rejected,
  };
  // Grids are written a few at a time: a county's 2,348 within the API's time, in order of the file.
  for (let i = 0; i < plan.updates.length; i += WRITES_AT_ONCE) {
    const chunk = plan.updates.slice(i, i + WRITES_AT_ONCE);
    const written = await Promise.all(
      chunk.map(({ before, after }) => (sameData(before, after) ? 'unchanged' : registry.replaceGrid(after))),
    );
    chunk.forEach(({ before, after, lines }, j) => {
      const outcome = written[j];
      if (outcome === 'unchanged') {
        report.grids++;
        report.unchanged++;
      } else if (outcome === true) {
        report.grids++;
        report.changed++;
        countChanges(before, after, report);
      } else {
        // Removed from the directory since it was read: refused, like an unknown grid.
        for (const line of lines) rejected.push({ line, field: 'grid_id', reason: 'unknown grid' });
      }
    });
  }
  rejected.sort((a, b) => a.line - b.line);
  return report;
}

function countChanges(before: Grid, after: Grid, report: GridGroupImport): void {
  if (!before.group) report.groups.added++;
  else if (
    before.group.chatId !== after.group?.chatId ||
    before.group.ownerUserId !== after.group.ownerUserId ||
    before.group.adminUserIds.join(',') !== after.group.adminUserIds.join(',')
  )
    report.groups.changed++;
  if (before.wecomUserId === undefined && after.wecomUserId !== undefined) report.gridWorkersSet++;
  const old = new Map((before.microGrids ?? []).map((m) => [m.id, m]));
  const now = new Map((after.microGrids ?? []).map((m) => [m.id, m]));
  for (const [id, m] of now) {
    const was = old.get(id);
    if (!was) report.microGrids.added++;
    else if (!sameData(was, m)) report.microGrids.changed++;
  }
  for (const id of old.keys()) if (!now.has(id)) report.microGrids.removed++;
}
