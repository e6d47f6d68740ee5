/**
 * The case export (`GET /api/cases/export`): the caller's cases as CSV for Excel, with the case
 * lists' filters, read page by page from the same scope-keyed lists (shared/services/case-queries.ts)
 * and answered in chunks. A Lambda behind an HTTP API answers one buffered body of at most 6 MB,
 * so one request writes pages of EXPORT_PAGE_SIZE rows until the chunk passes its byte bound and
 * answers with the list's signed cursor for the next chunk; the client asks again with it and
 * appends. The first chunk starts with the BOM and the header; the others are rows only, so the
 * chunks concatenated are one file. Memory stays bounded by one chunk (the bound plus a page).
 *
 * Personal data: by default the export has no personal column — a file travels (mail, USB sticks)
 * where the console's access rules do not follow. With `personal=true` it adds the description and
 * the reporter's phone, for the roles that work cases (unit handlers, centre dispatchers, grid
 * workers, the county centre); admins (rules and policies) are refused with 403 `forbidden`, as
 * outreach staff are refused every case route. The phone is filled only where the case view would
 * show it (`mayContactReporter`, row by row); every other row leaves it empty.
 */
import type { CaseReport, CaseState } from '../domain/case.ts';
import { mayContactReporter } from '../domain/case-lifecycle.ts';
import { categories } from '../domain/categories.ts';
import type { Organisation } from '../domain/organisation.ts';
import { CSV_BOM, type CsvValue, csvRecord } from '../domain/spreadsheet-csv.ts';
import type { Staff } from '../domain/staff.ts';
import { formatTrackingCode } from '../domain/tracking-code.ts';
import { ForbiddenError } from '../errors.ts';
import type { CaseBatchReader } from '../ports/case-search.ts';
import * as z from '../schema.ts';
import { parseOrThrow } from '../validation.ts';
import { type CaseListDeps, CaseListQuery, readCaseList, requireCaseAccess } from './case-queries.ts';
import { STAGE_NAMES } from './statistics-export.ts';

/** Rows read per page: the lists' largest page. */
export const EXPORT_PAGE_SIZE = 100;
/**
 * A chunk stops after the page that takes it past this many UTF-8 bytes. One page is at most
 * 100 rows of a 2,000-character description (6 KB of UTF-8, twice that quoted) and a few hundred
 * bytes more: 1.3 MB; so a chunk stays under 4.3 MB, below Lambda's 6 MB answer with its JSON
 * envelope (which escapes the quotes and line ends).
 */
export const EXPORT_CHUNK_BYTES = 3 * 1024 * 1024;

export const CaseExportQuery = z.extend(z.omit(CaseListQuery, { limit: true }), {
  /** The header's and the names' language. */
  lang: z._default(z.enum(['zh', 'en']), 'zh'),
  /** Add the description and the reporter's phone (roles that work cases only). */
  personal: z._default(z.enum(['true', 'false']), 'false'),
});
export type CaseExportQuery = z.infer<typeof CaseExportQuery>;

export interface CaseExportDeps extends CaseListDeps {
  batch: Pick<CaseBatchReader, 'getReports'>;
  /** Page size and chunk bound; the defaults above unless a test makes them small. */
  exportLimits?: { pageSize: number; chunkBytes: number };
}

export interface CaseExportChunk {
  /** This chunk of the file (BOM and header on the first only). */
  csv: string;
  rows: number;
  /** UTF-8 bytes of `csv`. */
  bytes: number;
  /** Pass back as `cursor` for the next chunk; absent on the last. */
  next?: string;
  /** `cases-queue-open-2026-12-06.csv` */
  fileName: string;
}

type Lang = 'zh' | 'en';
type Column =
  | 'code'
  | 'category'
  | 'community'
  | 'township'
  | 'unit'
  | 'stage'
  | 'submittedAt'
  | 'acceptBy'
  | 'resolveBy'
  | 'overdue'
  | 'resolvedAt'
  | 'rating'
  | 'description'
  | 'phone';

const HEADERS: Record<Column, Record<Lang, string>> = {
  code: { zh: '查询码', en: 'Tracking code' },
  category: { zh: '类别', en: 'Category' },
  community: { zh: '社区（村）', en: 'Community' },
  township: { zh: '乡镇（街道）', en: 'Township' },
  unit: { zh: '承办单位', en: 'Unit' },
  stage: { zh: '阶段', en: 'Stage' },
  submittedAt: { zh: '反映时间', en: 'Reported at' },
  acceptBy: { zh: '受理时限', en: 'Accept by' },
  resolveBy: { zh: '办结时限', en: 'Resolve by' },
  overdue: { zh: '是否超期', en: 'Overdue' },
  resolvedAt: { zh: '办结时间', en: 'Resolved at' },
  rating: { zh: '评分', en: 'Rating' },
  description: { zh: '诉求内容', en: 'Description' },
  phone: { zh: '联系电话', en: 'Reporter phone' },
};

const YES_NO: Record<Lang, [string, string]> = { zh: ['是', '否'], en: ['yes', 'no'] };

const BASE_COLUMNS: readonly Column[] = [
  'code',
  'category',
  'community',
  'township',
  'unit',
  'stage',
  'submittedAt',
  'acceptBy',
  'resolveBy',
  'overdue',
  'resolvedAt',
  'rating',
];
const PERSONAL_COLUMNS: readonly Column[] = ['description', 'phone'];

/** An instant as Asia/Shanghai wall-clock time, `2026-12-06 09:30`, as a spreadsheet reads a date. */
export function shanghaiDateTime(iso: string | undefined): string {
  if (iso === undefined) return '';
  return new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}

/** The header row of an export, in `lang`, with or without the personal columns. */
export const caseExportHeader = (lang: Lang, personal: boolean): string[] =>
  [...BASE_COLUMNS, ...(personal ? PERSONAL_COLUMNS : [])].map((c) => HEADERS[c][lang]);

/** The deadline a case carries now, else the one its last acceptance or resolution answered. */
function deadline(c: CaseState, kind: 'accept_due' | 'resolve_due'): string | undefined {
  if (c.timer?.kind === kind) return c.timer.at;
  const action = kind === 'accept_due' ? 'accept' : 'resolve';
  return c.timeline.findLast((e) => e.action === action)?.due;
}

function names(org: Organisation, lang: Lang) {
  const of = (list: readonly { id: string; zh: string; en: string }[]) =>
    new Map(list.map((x) => [x.id, x[lang]]));
  return {
    category: new Map(categories.map((c) => [c.code as string, c[lang]])),
    community: of(org.communities),
    township: of(org.townships),
    unit: of(org.units),
  };
}

/** One case as a CSV row; `report` is given (possibly undefined) only with the personal columns. */
function rowOf(
  c: CaseState,
  staff: Staff,
  lang: Lang,
  named: ReturnType<typeof names>,
  now: Date,
  personal: { report: CaseReport | undefined } | undefined,
): CsvValue[] {
  const overdue =
    c.escalation !== undefined ||
    (c.timer !== undefined && c.timer.kind !== 'rating_window' && Date.parse(c.timer.at) < now.getTime());
  const [yes, no] = YES_NO[lang];
  const row: CsvValue[] = [
    formatTrackingCode(c.trackingCode),
    named.category.get(c.category) ?? c.category,
    named.community.get(c.communityId) ?? c.communityId,
    c.townshipId === undefined ? '' : (named.township.get(c.townshipId) ?? c.townshipId),
    named.unit.get(c.unitId) ?? c.unitId,
    STAGE_NAMES[c.stage][lang],
    shanghaiDateTime(c.submittedAt),
    shanghaiDateTime(deadline(c, 'accept_due')),
    shanghaiDateTime(deadline(c, 'resolve_due')),
    overdue ? yes : no,
    shanghaiDateTime(c.timeline.findLast((e) => e.stage === 'resolved')?.at),
    c.rating?.score,
  ];
  if (!personal) return row;
  const phone = mayContactReporter(staff, c) ? personal.report?.contactPhone : undefined;
  return [...row, personal.report?.description, phone];
}

const utf8Bytes = (text: string) => Buffer.byteLength(text, 'utf8');

/**
 * One chunk of the export: pages of the list the query names, until the chunk passes its byte
 * bound or the list ends. 403 for outreach staff, and for admins asking for personal columns;
 * 400 naming the field (a cursor not sealed for this caller and list names `cursor`).
 */
export async function exportCases(
  caller: Staff,
  rawQuery: unknown,
  deps: CaseExportDeps,
): Promise<CaseExportChunk> {
  const staff = requireCaseAccess(caller);
  const query = parseOrThrow(CaseExportQuery, rawQuery ?? {}, 'The query');
  const personal = query.personal === 'true';
  if (personal && staff.role === 'admin')
    throw new ForbiddenError('Admins manage rules and policies; an export with personal data is not theirs.');
  const { pageSize, chunkBytes } = deps.exportLimits ?? {
    pageSize: EXPORT_PAGE_SIZE,
    chunkBytes: EXPORT_CHUNK_BYTES,
  };
  const now = deps.now();
  const named = names(await deps.directory.load(), query.lang);
  const { lang, personal: _personal, cursor: first, ...filters } = query;
  const parts: string[] = first === undefined ? [CSV_BOM + csvRecord(caseExportHeader(lang, personal))] : [];
  let bytes = utf8Bytes(parts.join(''));
  let rows = 0;
  let cursor = first;
  do {
    // The list's own read: the caller's scope as the key condition, the cursor sealed for them.
    const page = await readCaseList(staff, { ...filters, limit: pageSize, cursor }, deps);
    const reports = personal ? await reportsOf(page.cases, deps.batch) : undefined;
    for (const c of page.cases) {
      const line = csvRecord(
        rowOf(c, staff, lang, named, now, reports ? { report: reports.get(c.trackingCode) } : undefined),
      );
      parts.push(line);
      bytes += utf8Bytes(line);
      rows += 1;
    }
    cursor = page.cursor;
  } while (cursor !== undefined && bytes < chunkBytes);
  return {
    csv: parts.join(''),
    rows,
    bytes,
    ...(cursor === undefined ? {} : { next: cursor }),
    fileName: `cases-${query.list}-${query.status}-${shanghaiDateTime(now.toISOString()).slice(0, 10)}.csv`,
  };
}

async function reportsOf(
  cases: readonly CaseState[],
  batch: Pick<CaseBatchReader, 'getReports'>,
): Promise<Map<string, CaseReport>> {
  if (cases.length === 0) return new Map();
  const reports = await batch.getReports(cases.map((c) => c.trackingCode));
  return new Map(reports.map((r) => [r.trackingCode, r]));
}
