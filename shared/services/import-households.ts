/**
 * Imports the household registry from a CSV export: every row is checked on its own, good rows
 * are written even when others are bad, and each bad row comes back with its line in the file,
 * the field and the reason — never the value, because phones and names are personal data.
 * Re-importing updates households in place; a phone listed under a new household moves there.
 * Afterwards every community the import touched has its registry counters recounted.
 */

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
import type { HouseholdRegistry } from '../ports/household-registry.ts';
import type { OptOutList } from '../ports/sms-state.ts';
import { readCsvImport } from './csv-import.ts';

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

const isHouseholdColumn = (name: string): name is HouseholdCsvColumn =>
  (HOUSEHOLD_CSV_COLUMNS as readonly string[]).includes(name);

export interface ImportDeps {
  /** The SMS side's opt-out list: a phone that opted out before it was registered is counted as such. */
  optOuts: Pick<OptOutList, 'isOptedOut'>;
  now?: () => Date;
}

/**
 * Throws a ValidationError (path `header`) when the header is missing, names an unknown column
 * or lacks a required one: no row can be read then, so nothing is imported.
 */
export async function importHouseholds(
  csvText: string,
  org: Organisation,
  registry: HouseholdRegistry,
  deps: ImportDeps,
): Promise<HouseholdImport> {
  const rejected: RejectedRow[] = [];
  const { columns, rows } = readCsvImport(
    csvText,
    { known: HOUSEHOLD_CSV_COLUMNS, required: REQUIRED_HOUSEHOLD_CSV_COLUMNS },
    rejected,
  );

  const seen = newSeenInFile();
  const good: Household[] = [];
  for (const { record, line } of rows) {
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
