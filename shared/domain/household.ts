/**
 * The household registry (户籍/网格台账): which households live in which community and grid, and
 * the phones registered to them. A report from a registered phone is placed in that household's
 * community and grid, and outreach campaigns reach a community's households through it. Also the
 * registry's CSV import format and its row-by-row validation, which names the bad field and never
 * echoes a value (phones and names are personal data and the reasons end up in shared logs).
 */
import * as z from '../schema.ts';
import { EntityId, type Organisation } from './organisation.ts';
import { PhoneNumber } from './report.ts';

/** Registry exports come from other systems in either case; ids are compared lower-case. */
export const HouseholdId = z.preprocess(
  (v) => (typeof v === 'string' ? v.trim().toLowerCase() : v),
  EntityId,
);
export type HouseholdId = z.infer<typeof HouseholdId>;

/** A phone already normalised by `PhoneNumber`: what the registry stores and looks up. */
export const E164Phone = z
  .string()
  .check(
    z.regex(/^\+[1-9]\d{7,14}$/, 'must be a phone number in international form, such as +8613812345678'),
  );

export const MAX_PHONES = 3;
const MAX_HEAD_NAME = 50;

export const Household = z.object({
  householdId: HouseholdId,
  communityId: EntityId,
  gridId: z.optional(EntityId),
  phones: z.array(E164Phone).check(z.minLength(1), z.maxLength(MAX_PHONES)),
  /** The head of household (户主), as the registry spells it. */
  headName: z.optional(z.string().check(z.minLength(1), z.maxLength(MAX_HEAD_NAME))),
  /** Replied R / T / TD / 退订 to outreach; set by the SMS side, never by an import. */
  optedOut: z.optional(z.boolean()),
});
export type Household = z.infer<typeof Household>;

/** The CSV columns, in the order the sample file uses; the header row names them. */
export const HOUSEHOLD_CSV_COLUMNS = [
  'household_id',
  'community_id',
  'grid_id',
  'phone',
  'phone2',
  'head_name',
] as const;
export type HouseholdCsvColumn = (typeof HOUSEHOLD_CSV_COLUMNS)[number];

/** Columns the header must name; the others may be left out of the file entirely. */
export const REQUIRED_HOUSEHOLD_CSV_COLUMNS: readonly HouseholdCsvColumn[] = [
  'household_id',
  'community_id',
  'phone',
];

/** One data row as read from the file: raw strings, empty for an absent optional column. */
export const HouseholdCsvRow = z.object({
  household_id: z.string(),
  community_id: z.string(),
  grid_id: z.string(),
  phone: z.string(),
  phone2: z.string(),
  head_name: z.string(),
});
export type HouseholdCsvRow = z.infer<typeof HouseholdCsvRow>;

export interface RowIssue {
  field: string;
  reason: string;
}

export type RowValidation = { ok: true; household: Household } | { ok: false; issues: RowIssue[] };

/**
 * What earlier rows of the same file claimed: household id → line, phone (E.164) → line. A later
 * row claiming either again is rejected and names the earlier line, so a file never imports one
 * household twice or one phone into two households.
 */
export interface SeenInFile {
  households: Map<string, number>;
  phones: Map<string, number>;
}

export const newSeenInFile = (): SeenInFile => ({ households: new Map(), phones: new Map() });

export const PHONE_REASON = 'not a mainland mobile or E.164 number';

interface OrgIndex {
  communities: ReadonlySet<string>;
  gridCommunity: ReadonlyMap<string, string>;
}

// A county import validates ~150,000 rows against ~200 communities: index the organisation once.
const orgIndexes = new WeakMap<Organisation, OrgIndex>();
function indexOf(org: Organisation): OrgIndex {
  let index = orgIndexes.get(org);
  if (!index) {
    index = {
      communities: new Set(org.communities.map((c) => c.id)),
      gridCommunity: new Map(org.grids.map((g) => [g.id, g.communityId])),
    };
    orgIndexes.set(org, index);
  }
  return index;
}

/**
 * Checks one CSV row against the organisation and, given `file`, against the earlier rows of the
 * same file. Reports every bad field of the row, not just the first, so one pass fixes the row.
 * Reasons never contain the row's values.
 */
export function validateHouseholdRow(
  row: HouseholdCsvRow,
  org: Organisation,
  file: { line: number; seen: SeenInFile } = { line: 0, seen: newSeenInFile() },
): RowValidation {
  const { communities, gridCommunity } = indexOf(org);
  const issues: RowIssue[] = [];
  const clean = (s: string) => s.trim();

  const householdId = HouseholdId.safeParse(row.household_id);
  if (clean(row.household_id) === '') issues.push({ field: 'household_id', reason: 'missing' });
  else if (!householdId.success)
    issues.push({ field: 'household_id', reason: 'use letters, digits and hyphens (at most 64)' });
  else {
    const earlier = file.seen.households.get(householdId.data);
    if (earlier !== undefined)
      issues.push({ field: 'household_id', reason: `the same household is on line ${earlier}` });
    else file.seen.households.set(householdId.data, file.line);
  }

  const communityId = clean(row.community_id).toLowerCase();
  if (communityId === '') issues.push({ field: 'community_id', reason: 'missing' });
  else if (!communities.has(communityId)) issues.push({ field: 'community_id', reason: 'unknown community' });

  const gridId = clean(row.grid_id).toLowerCase();
  if (gridId !== '') {
    const gridsCommunity = gridCommunity.get(gridId);
    if (gridsCommunity === undefined) issues.push({ field: 'grid_id', reason: 'unknown grid' });
    else if (communities.has(communityId) && gridsCommunity !== communityId)
      issues.push({ field: 'grid_id', reason: 'the grid is not in this community' });
  }

  const phones: string[] = [];
  for (const field of ['phone', 'phone2'] as const) {
    const raw = clean(row[field]);
    if (raw === '') {
      if (field === 'phone') issues.push({ field, reason: 'missing' });
      continue;
    }
    const phone = PhoneNumber.safeParse(raw);
    if (!phone.success) {
      issues.push({ field, reason: PHONE_REASON });
      continue;
    }
    if (phones.includes(phone.data)) {
      issues.push({ field, reason: 'the same number as phone' });
      continue;
    }
    const earlier = file.seen.phones.get(phone.data);
    if (earlier !== undefined) {
      issues.push({ field, reason: `the same number is on line ${earlier}` });
      continue;
    }
    file.seen.phones.set(phone.data, file.line);
    phones.push(phone.data);
  }

  const headName = clean(row.head_name).normalize('NFC');
  if ([...headName].length > MAX_HEAD_NAME)
    issues.push({ field: 'head_name', reason: `at most ${MAX_HEAD_NAME} characters` });

  if (issues.length > 0 || !householdId.success) return { ok: false, issues };
  return {
    ok: true,
    household: {
      householdId: householdId.data,
      communityId,
      ...(gridId ? { gridId } : {}),
      phones,
      ...(headName ? { headName } : {}),
    },
  };
}
