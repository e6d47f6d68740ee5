/**
 * CSV for spreadsheets (RFC 4180, as Excel opens it): the one writer every export uses — the unit
 * assessment, the case export and the statistics. UTF-8 with a byte-order mark (without it Excel
 * reads Chinese as mojibake), CRLF line ends, a field quoted when it holds a comma, quote or line
 * break, and a text field starting with = + - @ (or a tab or carriage return) prefixed with `'`
 * so a spreadsheet never runs it as a formula (CSV injection).
 */

/** What a file starts with so Excel reads it as UTF-8. */
export const CSV_BOM = '\uFEFF';

export type CsvValue = string | number | null | undefined;

/** One field: numbers rounded to 4 decimals; null and undefined empty; text defused and quoted as needed. */
export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(Math.round(value * 10_000) / 10_000);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** One record with its CRLF. */
export const csvRecord = (values: readonly CsvValue[]): string => `${values.map(csvField).join(',')}\r\n`;

/** A whole file: BOM, header, rows. */
export const csvFile = (header: readonly string[], rows: readonly (readonly CsvValue[])[]): string =>
  CSV_BOM + [header, ...rows].map(csvRecord).join('');
