/**
 * Aligned tables for the benchmark's output. They are printed as Markdown pipe tables so the
 * terminal output reads as a table and can be pasted into BENCHMARKS.md unchanged.
 */

export type Align = 'left' | 'right';

export interface Column {
  title: string;
  align?: Align;
}

export function formatTable(columns: readonly Column[], rows: readonly (readonly string[])[]): string {
  const widths = columns.map((column, i) =>
    Math.max(3, column.title.length, ...rows.map((row) => (row[i] ?? '').length)),
  );
  const pad = (text: string, i: number) => {
    const width = widths[i] ?? 0;
    return columns[i]?.align === 'right' ? text.padStart(width) : text.padEnd(width);
  };
  const line = (cells: readonly string[]) =>
    `| ${columns.map((_, i) => pad(cells[i] ?? '', i)).join(' | ')} |`;
  // Markdown's alignment row, so right-aligned numbers stay right-aligned when rendered.
  const rule = `|${widths
    .map((width, i) => (columns[i]?.align === 'right' ? `${'-'.repeat(width + 1)}:` : '-'.repeat(width + 2)))
    .join('|')}|`;
  return [line(columns.map((c) => c.title)), rule, ...rows.map(line)].join('\n');
}

export const printTable = (
  title: string,
  columns: readonly Column[],
  rows: readonly (readonly string[])[],
) => {
  console.log(`\n### ${title}\n`);
  console.log(formatTable(columns, rows));
};

export const ms = (value: number): string => (Number.isFinite(value) ? `${value.toFixed(1)} ms` : '–');
export const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;
export const mb = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MB`;
export const int = (value: number): string => Math.round(value).toLocaleString('en-US');

/** Nearest-rank percentile of already sorted values; NaN for none. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? Number.NaN;
}

export const median = (values: readonly number[]): number =>
  percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
