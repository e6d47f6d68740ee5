/**
 * Imports the household registry from a CSV export: every row is checked on its own, good rows
 * are written even when others are bad, and each bad row comes back with its line in the file,
 * the field and the reason — never the value, because phones and names are personal data.
 * Re-importing updates households in place; a phone listed under a new household moves there.
 * Afterwards every community the import touched has its registry counters recounted.
 */
import { parse } from 'csv-parse/sync';
import * as z from 'zod';
import {
  HOUSEHOLD_CSV_COLUMNS,
  type Household,
  type HouseholdCsvColumn,
  type HouseholdCsvRow,
  newSeenInFile,
  REQUIRED_HOUSEHOLD_CSV_COLUMNS,
  validateHouseholdRow,
} from '../domain/household.ts';
import type { Organisation } from '../domain/organisation.ts';
import { isOptedOutOfOutreach } from '../domain/outreach/outreach-eligibility.ts';
import { ValidationError } from '../errors.ts';
import type { HouseholdRegistry } from '../ports/household-registry.ts';
import type { OptOutList } from '../ports/sms-state.ts';

export interface RejectedRow {
  /** The line of the file the row starts on; the header is line 1. */
  line: number;
  field: string;
  reason: string;
}

export interface HouseholdImport {
  imported: number;
  created: number;
  updated: number;
  /** One entry per bad field; a row with two bad fields appears twice, under the same line. */
  rejected: RejectedRow[];
}

/** Households written per registry call: bounds memory and keeps progress on a county-sized file. */
const UPSERT_CHUNK = 500;

// csv-parse's typings do not describe the `info` + `raw` shape; check it rather than cast.
const ParsedRecords = z.array(
  z.object({ record: z.array(z.string()), info: z.object({ lines: z.number() }), raw: z.string() }),
);

const isHouseholdColumn = (name: string): name is HouseholdCsvColumn =>
  (HOUSEHOLD_CSV_COLUMNS as readonly string[]).includes(name);

/**
 * Throws a ValidationError (path `header`) when the header is missing, names an unknown column
 * or lacks a required one: no row can be read then, so nothing is imported.
 */
export interface ImportDeps {
  /** The SMS side's opt-out list: a phone that opted out before it was registered is counted as such. */
  optOuts: Pick<OptOutList, 'isOptedOut'>;
  now?: () => Date;
}

export async function importHouseholds(
  csvText: string,
  org: Organisation,
  registry: HouseholdRegistry,
  deps: ImportDeps,
): Promise<HouseholdImport> {
  const rejected: RejectedRow[] = [];
  // Line numbers are counted on \n; a \r\n file inside a quoted field would otherwise count twice.
  const text = csvText.replace(/\r\n?/g, '\n');
  const parsed: unknown = parse(text, {
    bom: true,
    info: true,
    raw: true,
    // Rows are judged one by one below; a malformed one must not stop the file.
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    on_skip: (error, raw) => {
      rejected.push({
        line: startLine(Number(error?.lines ?? 0), raw ?? ''),
        field: 'row',
        reason: error?.code === 'CSV_QUOTE_NOT_CLOSED' ? 'a quoted field is never closed' : 'not valid CSV',
      });
      return undefined;
    },
  });
  const records = ParsedRecords.parse(parsed);

  const [header, ...rows] = records;
  if (!header) throw headerError('the file is empty; the first line must name the columns');
  const columns = header.record.map((c) => c.trim().toLowerCase());
  // Positions, not names: a file without a header has a resident's phone and name in line 1.
  const unknown = columns.flatMap((c, i) => (isHouseholdColumn(c) ? [] : [i + 1]));
  if (unknown.length > 0)
    throw headerError(
      `unknown column(s) at position ${unknown.join(', ')}; the header must name ${HOUSEHOLD_CSV_COLUMNS.join(',')}`,
    );
  const missing = REQUIRED_HOUSEHOLD_CSV_COLUMNS.filter((c) => !columns.includes(c));
  if (missing.length > 0) throw headerError(`missing column(s) ${missing.join(', ')}`);
  const repeated = columns.filter((c, i) => columns.indexOf(c) !== i);
  if (repeated.length > 0) throw headerError(`column(s) named twice: ${repeated.join(', ')}`);

  const seen = newSeenInFile();
  const good: Household[] = [];
  for (const { record, info, raw } of rows) {
    const line = startLine(info.lines, raw);
    if (record.length !== columns.length) {
      rejected.push({
        line,
        field: 'row',
        reason: `${record.length} fields where the header names ${columns.length}`,
      });
      continue;
    }
    const row: HouseholdCsvRow = {
      household_id: '',
      community_id: '',
      grid_id: '',
      phone: '',
      phone2: '',
      head_name: '',
    };
    columns.forEach((column, i) => {
      if (isHouseholdColumn(column)) row[column] = record[i] ?? '';
    });
    const result = validateHouseholdRow(row, org, { line, seen });
    if (result.ok) good.push(result.household);
    else rejected.push(...result.issues.map((issue) => ({ line, ...issue })));
  }

  let created = 0;
  let updated = 0;
  // Every community whose households this import changed: where they are now and where they were.
  const touched = new Set<string>();
  for (let i = 0; i < good.length; i += UPSERT_CHUNK) {
    const chunk = good.slice(i, i + UPSERT_CHUNK);
    for (const before of await registry.getMany(chunk.map((h) => h.householdId)))
      touched.add(before.communityId);
    for (const h of chunk) touched.add(h.communityId);
    const counts = await registry.upsert(chunk);
    created += counts.created;
    updated += counts.updated;
  }
  // The counters campaign previews estimate from, recounted in full (so a crashed earlier import
  // or a lost opt-out increment is healed too), each household judged by the sender's own rule.
  const at = (deps.now ?? (() => new Date()))();
  for (const communityId of [...touched].sort()) {
    await registry.recountCommunity(
      communityId,
      (h) => isOptedOutOfOutreach(h, (phone) => deps.optOuts.isOptedOut(phone)),
      at,
    );
  }
  rejected.sort((a, b) => a.line - b.line);
  return { imported: good.length, created, updated, rejected };
}

/** csv-parse reports the line a record ends on; a quoted field may span lines, so count back. */
function startLine(endLine: number, raw: string): number {
  const body = raw.replace(/^\n+/, '').replace(/\n$/, '');
  return endLine - (body.match(/\n/g)?.length ?? 0);
}

const headerError = (message: string) =>
  new ValidationError(`line 1: header — ${message}`, [{ path: 'header', message }]);
