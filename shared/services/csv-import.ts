/**
 * Reading an uploaded CSV file for an import (households, grid groups): the header checked
 * against the import's columns, then every row with the line of the file it starts on. A row that
 * is not CSV or has the wrong number of fields is reported by line and never stops the file; a
 * header that cannot be read stops it (a ValidationError naming `header`), as no row could be.
 */
import { parse } from 'csv-parse/sync';
import { ValidationError } from '../errors.ts';
import * as z from '../schema.ts';

/** A row an import refused: the line it starts on (the header is line 1), the field and why. */
export interface CsvRowIssue {
  line: number;
  field: string;
  reason: string;
}

export interface CsvImportRow {
  line: number;
  /** One value per column of the header, in its order. */
  record: string[];
}

// csv-parse's typings do not describe the `info` + `raw` shape; check it rather than cast.
const ParsedRecords = z.array(
  z.object({ record: z.array(z.string()), info: z.object({ lines: z.number() }), raw: z.string() }),
);

export const csvHeaderError = (message: string) =>
  new ValidationError(`line 1: header — ${message}`, [{ path: 'header', message }]);

/**
 * The header's columns (trimmed, lower case) and the rows of the file. Throws `csvHeaderError`
 * for an empty file or a header naming an unknown column, lacking a required one or naming one
 * twice; pushes every unreadable row into `rejected`.
 */
export function readCsvImport(
  csvText: string,
  columnsOfImport: { known: readonly string[]; required: readonly string[] },
  rejected: CsvRowIssue[],
): { columns: string[]; rows: CsvImportRow[] } {
  // Line numbers are counted on \n; a \r\n file inside a quoted field would otherwise count twice.
  const text = csvText.replace(/\r\n?/g, '\n');
  const parsed: unknown = parse(text, {
    bom: true,
    info: true,
    raw: true,
    // Rows are judged one by one; a malformed one must not stop the file.
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
  const [header, ...records] = ParsedRecords.parse(parsed);
  if (!header) throw csvHeaderError('the file is empty; the first line must name the columns');
  const columns = header.record.map((c) => c.trim().toLowerCase());
  // Positions, not names: a file without a header has a resident's phone and name in line 1.
  const unknown = columns.flatMap((c, i) => (columnsOfImport.known.includes(c) ? [] : [i + 1]));
  if (unknown.length > 0)
    throw csvHeaderError(
      `unknown column(s) at position ${unknown.join(', ')}; the header must name ${columnsOfImport.known.join(',')}`,
    );
  const missing = columnsOfImport.required.filter((c) => !columns.includes(c));
  if (missing.length > 0) throw csvHeaderError(`missing column(s) ${missing.join(', ')}`);
  const repeated = columns.filter((c, i) => columns.indexOf(c) !== i);
  if (repeated.length > 0) throw csvHeaderError(`column(s) named twice: ${repeated.join(', ')}`);

  const rows: CsvImportRow[] = [];
  for (const { record, info, raw } of records) {
    const line = startLine(info.lines, raw);
    if (record.length !== columns.length) {
      rejected.push({
        line,
        field: 'row',
        reason: `${record.length} fields where the header names ${columns.length}`,
      });
      continue;
    }
    rows.push({ line, record });
  }
  return { columns, rows };
}

/** csv-parse reports the line a record ends on; a quoted field may span lines, so count back. */
function startLine(endLine: number, raw: string): number {
  const body = raw.replace(/^\n+/, '').replace(/\n$/, '');
  return endLine - (body.match(/\n/g)?.length ?? 0);
}
