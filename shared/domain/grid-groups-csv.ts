/**
 * The five levels' CSV (issue 16 item 1): one row per micro-grid, each naming its grid and the
 * grid's WeChat group (chat id and owner), and the rules a file must meet before any grid is
 * changed. Rows are judged one by one, then per grid: a grid is written whole or not at all, so a
 * bad row refuses its whole grid (its other rows say so) while other grids go in. A reason names
 * the line and the field, never a value: userids identify people.
 *
 * Decisions where the platform leaves room: the group owner must be the grid's worker (a file
 * naming another owner for a grid whose worker is on record is refused — changing who receives a
 * grid's appeals is not an import's side effect); a grid without a worker on record takes the
 * owner as its worker. The admins are the micro-grid workers (the owner excluded), not a column of
 * their own, so they cannot disagree. The member count is never in the file: it is read from the
 * platform, and kept across a re-import while the chat id stays the same.
 */
import * as z from '../schema.ts';
import { EntityId, type Grid, GridGroup, MicroGrid, type Organisation, WecomUserId } from './organisation.ts';

export const GRID_GROUP_CSV_COLUMNS = [
  'grid_id',
  'group_chat_id',
  'group_owner',
  'micro_grid_id',
  'micro_grid_name',
  'micro_grid_households',
  'micro_grid_worker',
] as const;
export type GridGroupCsvColumn = (typeof GRID_GROUP_CSV_COLUMNS)[number];

/** Without the micro-grid columns a file sets only the groups and keeps each grid's micro-grids. */
export const REQUIRED_GRID_GROUP_CSV_COLUMNS: readonly GridGroupCsvColumn[] = [
  'grid_id',
  'group_chat_id',
  'group_owner',
];
export const MICRO_GRID_CSV_COLUMNS: readonly GridGroupCsvColumn[] = [
  'micro_grid_id',
  'micro_grid_name',
  'micro_grid_households',
];

export type GridGroupCsvRow = Record<GridGroupCsvColumn, string>;

export interface GridGroupRowIssue {
  line: number;
  field: string;
  reason: string;
}

/** A row that passed its own checks. */
interface GoodRow {
  line: number;
  gridId: string;
  chatId: string;
  owner: string;
  microGrid?: MicroGrid;
}

const lowerId = z.preprocess((v) => (typeof v === 'string' ? v.trim().toLowerCase() : v), EntityId);
const trimmed = <T extends z.core.$ZodType>(schema: T) =>
  z.preprocess((v) => (typeof v === 'string' ? v.trim() : v), schema);
const ChatId = trimmed(GridGroup.shape.chatId);
const UserId = trimmed(WecomUserId);
const Households = z.pipe(
  z.string().check(z.trim(), z.regex(/^\d{1,6}$/, 'must be a whole number of households (0 or more)')),
  z.transform(Number),
);
const MicroGridName = MicroGrid.shape.zh;

/** A field's check: its value, or an issue with zod's message (never the value itself). */
function check<T>(
  schema: z.core.$ZodType<T>,
  raw: string,
  field: string,
  issues: { field: string; reason: string }[],
  required: boolean,
): T | undefined {
  if (raw.trim() === '') {
    if (required) issues.push({ field, reason: 'missing' });
    return undefined;
  }
  const parsed = z.safeParse(schema, raw);
  if (parsed.success) return parsed.data;
  issues.push({ field, reason: parsed.error.issues[0]?.message ?? 'invalid' });
  return undefined;
}

/** One row on its own: each field against its schema. */
export function validateGridGroupRow(
  row: GridGroupCsvRow,
  line: number,
): { ok: true; row: GoodRow } | { ok: false; issues: GridGroupRowIssue[]; gridId?: string } {
  const issues: { field: string; reason: string }[] = [];
  const gridId = check(lowerId, row.grid_id, 'grid_id', issues, true);
  const chatId = check(ChatId, row.group_chat_id, 'group_chat_id', issues, true);
  const owner = check(UserId, row.group_owner, 'group_owner', issues, true);
  const anyMicro = [
    row.micro_grid_id,
    row.micro_grid_name,
    row.micro_grid_households,
    row.micro_grid_worker,
  ].some((v) => v.trim() !== '');
  let microGrid: MicroGrid | undefined;
  if (anyMicro) {
    const id = check(lowerId, row.micro_grid_id, 'micro_grid_id', issues, true);
    const zh = check(MicroGridName, row.micro_grid_name, 'micro_grid_name', issues, true);
    const households = check(Households, row.micro_grid_households, 'micro_grid_households', issues, true);
    const worker = check(UserId, row.micro_grid_worker, 'micro_grid_worker', issues, false);
    if (id !== undefined && zh !== undefined && households !== undefined)
      microGrid = { id, zh, households, ...(worker === undefined ? {} : { wecomUserId: worker }) };
  }
  if (issues.length > 0 || gridId === undefined || chatId === undefined || owner === undefined)
    return {
      ok: false,
      issues: issues.map((i) => ({ line, ...i })),
      ...(gridId === undefined ? {} : { gridId }),
    };
  return { ok: true, row: { line, gridId, chatId, owner, ...(microGrid ? { microGrid } : {}) } };
}

/** A grid as the file describes it, ready to be stored. */
export interface GridUpdate {
  before: Grid;
  after: Grid;
  /** The lines of the file that describe it. */
  lines: number[];
}

export interface GridGroupPlan {
  updates: GridUpdate[];
  rejected: GridGroupRowIssue[];
}

const MAX_MICRO_GRIDS = z.array(MicroGrid).check(z.maxLength(60));
const MAX_ADMINS = 50;

/**
 * The rows of a file, per grid, against the directory: which grids change and how, and which rows
 * are refused. `withMicroGrids`: the file has the micro-grid columns, so its rows are each grid's
 * whole list of micro-grids (a grid's group-only row means none).
 */
export function planGridGroups(
  rows: readonly GoodRow[],
  /** Grids with a row that failed its own checks → that row's line. */
  badRowOfGrid: ReadonlyMap<string, number>,
  org: Organisation,
  withMicroGrids: boolean,
): GridGroupPlan {
  const rejected: GridGroupRowIssue[] = [];
  const gridsById = new Map(org.grids.map((g) => [g.id, g]));
  // Chat ids and micro-grid ids held by grids the file does not describe stay theirs.
  const described = new Set(rows.map((r) => r.gridId));
  const chatOwner = new Map<string, string>();
  const microOwner = new Map<string, string>();
  for (const g of org.grids) {
    if (described.has(g.id)) continue;
    if (g.group) chatOwner.set(g.group.chatId, g.id);
    for (const m of g.microGrids ?? []) microOwner.set(m.id, g.id);
  }

  const byGrid = new Map<string, GoodRow[]>();
  for (const row of rows) byGrid.set(row.gridId, [...(byGrid.get(row.gridId) ?? []), row]);
  // The first line of each chat id and micro-grid id in the file.
  const chatLine = new Map<string, { line: number; gridId: string }>();
  const microLine = new Map<string, number>();

  const updates: GridUpdate[] = [];
  for (const [gridId, gridRows] of byGrid) {
    const issues: GridGroupRowIssue[] = [];
    const grid = gridsById.get(gridId);
    const first = gridRows[0];
    if (first === undefined) continue;
    const badRow = badRowOfGrid.get(gridId);
    for (const row of gridRows) {
      if (badRow !== undefined) {
        issues.push({
          line: row.line,
          field: 'grid_id',
          reason: `not imported: line ${badRow} of the same grid is refused`,
        });
        continue;
      }
      if (!grid) {
        issues.push({ line: row.line, field: 'grid_id', reason: 'unknown grid' });
        continue;
      }
      if (row.chatId !== first.chatId)
        issues.push({
          line: row.line,
          field: 'group_chat_id',
          reason: `differs from line ${first.line} of the same grid (one group per grid)`,
        });
      else {
        const other = chatOwner.get(row.chatId);
        const inFile = chatLine.get(row.chatId);
        if (other !== undefined && other !== gridId)
          issues.push({
            line: row.line,
            field: 'group_chat_id',
            reason: `already the group of grid ${other}`,
          });
        else if (inFile !== undefined && inFile.gridId !== gridId)
          issues.push({
            line: row.line,
            field: 'group_chat_id',
            reason: `the group of grid ${inFile.gridId} on line ${inFile.line}`,
          });
        else if (inFile === undefined) chatLine.set(row.chatId, { line: row.line, gridId });
      }
      if (row.owner !== first.owner)
        issues.push({
          line: row.line,
          field: 'group_owner',
          reason: `differs from line ${first.line} of the same grid`,
        });
      else if (grid.wecomUserId !== undefined && grid.wecomUserId !== row.owner)
        issues.push({
          line: row.line,
          field: 'group_owner',
          reason: "is not the grid worker on record: the group's owner must be the grid worker",
        });
      if (row.microGrid) {
        if (!withMicroGrids) continue;
        const earlier = microLine.get(row.microGrid.id);
        const other = microOwner.get(row.microGrid.id);
        if (earlier !== undefined)
          issues.push({
            line: row.line,
            field: 'micro_grid_id',
            reason: `the same micro-grid is on line ${earlier}`,
          });
        else if (other !== undefined)
          issues.push({
            line: row.line,
            field: 'micro_grid_id',
            reason: `already a micro-grid of grid ${other}`,
          });
        else microLine.set(row.microGrid.id, row.line);
      }
    }
    const lines = gridRows.map((r) => r.line);
    const microGrids = gridRows.flatMap((r) => (r.microGrid ? [r.microGrid] : []));
    if (grid && issues.length === 0 && withMicroGrids && !MAX_MICRO_GRIDS.safeParse(microGrids).success)
      issues.push({ line: first.line, field: 'micro_grid_id', reason: 'a grid has at most 60 micro-grids' });
    if (grid && issues.length === 0) {
      const after = updatedGrid(grid, first, withMicroGrids ? microGrids : (grid.microGrids ?? []));
      if ((after.group?.adminUserIds.length ?? 0) > MAX_ADMINS)
        issues.push({
          line: first.line,
          field: 'micro_grid_worker',
          reason: `a group has at most ${MAX_ADMINS} admins (micro-grid workers)`,
        });
      else updates.push({ before: grid, after, lines });
    }
    if (issues.length > 0) {
      rejected.push(...issues);
      // Nothing half-stored: the grid's other rows are refused with it.
      const named = new Set(issues.map((i) => i.line));
      for (const line of lines)
        if (!named.has(line))
          rejected.push({
            line,
            field: 'grid_id',
            reason: 'not imported: another row of the same grid is refused',
          });
    }
  }
  return { updates, rejected };
}

function updatedGrid(grid: Grid, row: GoodRow, microGrids: MicroGrid[]): Grid {
  const owner = row.owner;
  const admins = [
    ...new Set(microGrids.flatMap((m) => (m.wecomUserId && m.wecomUserId !== owner ? [m.wecomUserId] : []))),
  ];
  const sameChat = grid.group?.chatId === row.chatId ? grid.group : undefined;
  const group: GridGroup = {
    chatId: row.chatId,
    ownerUserId: owner,
    adminUserIds: admins,
    ...(sameChat?.memberCount === undefined ? {} : { memberCount: sameChat.memberCount }),
    ...(sameChat?.memberCountAt === undefined ? {} : { memberCountAt: sameChat.memberCountAt }),
  };
  const { microGrids: _old, group: _oldGroup, ...rest } = grid;
  return {
    ...rest,
    wecomUserId: grid.wecomUserId ?? owner,
    ...(microGrids.length > 0 ? { microGrids } : {}),
    group,
  };
}

/** Deep equality of stored data, whatever order its keys come back from the table in. */
export const sameData = (a: unknown, b: unknown): boolean => canonical(a) === canonical(b);

function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)))
      : v,
  );
}
