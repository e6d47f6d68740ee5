/**
 * The unit assessment (考核评价) as staff read it: `GET /api/assessment` and its CSV export. Rows
 * per unit or per township over a date range, from the month and day counters (never a case),
 * with the composite score, the ranking, a series per month, and the SLA definitions in force.
 * The measures and the score are defined in shared/domain/unit-assessment.ts.
 *
 * Who sees what: the county centre's supervisors and admins every row; a unit handler the row of
 * their own unit (units only); a township centre's dispatcher their centre's unit row or their
 * township's row. A scoped reader gets their own row with its rank among all rows and how many
 * were ranked, never another row's figures. Grid workers and outreach staff: 403.
 */
import { addCounters, type CounterDeltas } from '../domain/case-statistics.ts';
import type { Organisation } from '../domain/organisation.ts';
import { shanghaiDay } from '../domain/outreach/shanghai-time.ts';
import type { ServiceLevel } from '../domain/service-levels.ts';
import { csvFile } from '../domain/spreadsheet-csv.ts';
import type { Staff } from '../domain/staff.ts';
import {
  ASSESSMENT_COLUMNS,
  type AssessmentLevel,
  assessmentOf,
  columnValue,
  rankByScore,
  SCORE_WEIGHTS,
  type ScoredFigures,
  scoreOf,
  WORKING_HOUR_BOUNDS,
} from '../domain/unit-assessment.ts';
import { LocalDate, type WorkingCalendar } from '../domain/working-calendar.ts';
import { ForbiddenError } from '../errors.ts';
import type { DirectoryReader } from '../ports/directory.ts';
import type { PolicyReader } from '../ports/policies.ts';
import type { StatsStore } from '../ports/stats-store.ts';
import * as z from '../schema.ts';
import { parseOrThrow } from '../validation.ts';

/** The longest range one request may ask for, in calendar months touched. */
export const MAX_RANGE_MONTHS = 24;

const monthsTouched = (from: string, to: string) =>
  (Number(to.slice(0, 4)) - Number(from.slice(0, 4))) * 12 +
  Number(to.slice(5, 7)) -
  Number(from.slice(5, 7)) +
  1;

const rangeFields = { from: z.optional(LocalDate), to: z.optional(LocalDate) };

/** Both or neither; `from` not after `to`; at most MAX_RANGE_MONTHS calendar months. */
function refineRange(q: { from?: string; to?: string }, ctx: z.core.$RefinementCtx): void {
  if ((q.from === undefined) !== (q.to === undefined)) {
    ctx.addIssue({
      code: 'custom',
      path: [q.from === undefined ? 'from' : 'to'],
      message: 'give both from and to (YYYY-MM-DD), or neither for this month',
    });
    return;
  }
  if (q.from === undefined || q.to === undefined) return;
  if (q.from > q.to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must not be before from' });
  else if (monthsTouched(q.from, q.to) > MAX_RANGE_MONTHS)
    ctx.addIssue({
      code: 'custom',
      path: ['to'],
      message: `a range spans at most ${MAX_RANGE_MONTHS} calendar months`,
    });
}

/** `from`/`to` as the statistics and the assessment take them: both or neither (this month so far). */
export const DateRangeQuery = z.object(rangeFields).check(z.superRefine(refineRange));

/** Columns the rows can be sorted by (and the CSV's columns after id and name). */
export const SortKey = z.enum(ASSESSMENT_COLUMNS);
export type SortKey = z.infer<typeof SortKey>;

export const AssessmentQuery = z
  .object({
    ...rangeFields,
    level: z._default(z.enum(['unit', 'township']), 'unit'),
    sort: z._default(SortKey, 'rank'),
    order: z.optional(z.enum(['asc', 'desc'])),
    /** The CSV header's language. */
    lang: z._default(z.enum(['zh', 'en']), 'zh'),
    format: z.optional(z.enum(['csv'])),
  })
  .check(z.superRefine(refineRange));
export type AssessmentQuery = z.infer<typeof AssessmentQuery>;

export interface AssessmentDeps {
  stats: Pick<StatsStore, 'countersByMonth'>;
  directory: DirectoryReader;
  policies: PolicyReader;
  now: () => Date;
}

export interface AssessmentRow extends ScoredFigures {
  id: string;
  zh: string;
  en: string;
}

export interface TrendPoint {
  month: string;
  received: number;
  acceptedOnTimeRate: number | null;
  resolvedOnTimeRate: number | null;
  escalated: number;
  satisfactionMean: number | null;
  score: number | null;
}

export interface Assessment {
  level: AssessmentLevel;
  range: { from: string; to: string; months: string[] };
  rows: AssessmentRow[];
  /** How many rows were ranked (have a score), of all rows, visible or not. */
  ranked: number;
  sort: { by: SortKey; order: 'asc' | 'desc' };
  trend: Array<{ id: string; points: TrendPoint[] }>;
  score: { weights: typeof SCORE_WEIGHTS; scale: '0-100' };
  sla: {
    /** The service levels configured now; each on-time figure used the deadline recorded when it was answered. */
    levels: ServiceLevel[];
    calendar: Pick<WorkingCalendar, 'workdayStart' | 'workdayEnd'> & { hoursPerWorkingDay: number };
    onTime: string;
  };
  histogram: { workingHourBounds: readonly number[] };
}

interface RowTarget {
  id: string;
  zh: string;
  en: string;
}

/** The range asked for, or this month so far (Asia/Shanghai). */
export function rangeOf(query: { from?: string; to?: string }, now: Date): { from: string; to: string } {
  if (query.from && query.to) return { from: query.from, to: query.to };
  const today = shanghaiDay(now.toISOString());
  return { from: `${today.slice(0, 7)}-01`, to: today };
}

/** Office hours per working day on the calendar, for working days from working hours. */
export function hoursPerWorkingDay(cal: WorkingCalendar): number {
  const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
  return (minutes(cal.workdayEnd) - minutes(cal.workdayStart)) / 60;
}

/** Which rows a reader sees at a level; 403 for those who see none. */
function visibleRows(staff: Staff, level: AssessmentLevel): ((id: string) => boolean) | 'all' {
  switch (staff.role) {
    case 'county_supervisor':
    case 'admin':
      return 'all';
    case 'unit_handler':
      if (level === 'township')
        throw new ForbiddenError(
          'A unit sees its own unit row; township rows are for centres and the county.',
        );
      return (id) => id === staff.unitId;
    case 'centre_dispatcher':
      return (id) => id === (level === 'unit' ? staff.unitId : staff.townshipId);
    case 'grid_worker':
    case 'outreach_staff':
      throw new ForbiddenError('The unit assessment is for units, township centres and the county centre.');
  }
}

const targetsOf = (org: Organisation, level: AssessmentLevel): RowTarget[] =>
  level === 'unit'
    ? org.units.map((u) => ({ id: u.id, zh: u.zh, en: u.en }))
    : org.townships.map((t) => ({ id: t.id, zh: t.zh, en: t.en }));

export { columnValue };

/** Sorted by `key`; rows without a value last whatever the order; ties by id. */
export function sortRows(rows: AssessmentRow[], key: SortKey, order: 'asc' | 'desc'): AssessmentRow[] {
  const sign = order === 'asc' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const x = columnValue(a, key);
    const y = columnValue(b, key);
    if (x === null || y === null) return x === y ? a.id.localeCompare(b.id) : x === null ? 1 : -1;
    return (x - y) * sign || a.id.localeCompare(b.id);
  });
}

export async function getAssessment(
  caller: Staff,
  rawQuery: unknown,
  deps: AssessmentDeps,
): Promise<Assessment> {
  const query = parseOrThrow(AssessmentQuery, rawQuery ?? {}, 'The query');
  const visible = visibleRows(caller, query.level);
  const [org, policies] = await Promise.all([deps.directory.load(), deps.policies.loadPolicies()]);
  const range = rangeOf(query, deps.now());
  const months = await deps.stats.countersByMonth(
    org.units.map((u) => u.id),
    range.from,
    range.to,
  );
  const perDay = hoursPerWorkingDay(policies.calendar);
  const total: CounterDeltas = {};
  for (const m of months) addCounters(total, m.counters);

  const targets = targetsOf(org, query.level);
  const all = targets.map((t): AssessmentRow => {
    const figures = assessmentOf(total, query.level, t.id, perDay);
    return { ...t, rank: null, score: scoreOf(figures), ...figures };
  });
  const ranks = rankByScore(all);
  for (const row of all) row.rank = ranks.get(row.id) ?? null;
  const shown = visible === 'all' ? all : all.filter((r) => visible(r.id));
  // Rank reads best first; every other measure largest first unless asked otherwise.
  const order = query.order ?? (query.sort === 'rank' ? 'asc' : 'desc');
  const rows = sortRows(shown, query.sort, order);

  const trend = rows.map((row) => ({
    id: row.id,
    points: months.map((m): TrendPoint => {
      const f = assessmentOf(m.counters, query.level, row.id, perDay);
      return {
        month: m.month,
        received: f.received,
        acceptedOnTimeRate: f.acceptedOnTimeRate,
        resolvedOnTimeRate: f.resolvedOnTimeRate,
        escalated: f.escalated,
        satisfactionMean: f.satisfaction.mean,
        score: scoreOf(f),
      };
    }),
  }));

  return {
    level: query.level,
    range: { ...range, months: months.map((m) => m.month) },
    rows,
    ranked: ranks.size,
    sort: { by: query.sort, order },
    trend,
    score: { weights: SCORE_WEIGHTS, scale: '0-100' },
    sla: {
      levels: policies.serviceLevels,
      calendar: {
        workdayStart: policies.calendar.workdayStart,
        workdayEnd: policies.calendar.workdayEnd,
        hoursPerWorkingDay: perDay,
      },
      onTime:
        'an acceptance or resolution at or before the deadline the case carried when it was made: the category’s service level counted on the working calendar from the case’s arrival at the unit',
    },
    histogram: { workingHourBounds: WORKING_HOUR_BOUNDS },
  };
}

// ─── CSV ─────────────────────────────────────────────────────────────────────────────────────

const headers: Record<'id' | 'name' | SortKey, { zh: string; en: string }> = {
  id: { zh: '编号', en: 'ID' },
  name: { zh: '名称', en: 'Name' },
  rank: { zh: '排名', en: 'Rank' },
  score: { zh: '综合得分', en: 'Score' },
  received: { zh: '接收', en: 'Received' },
  reopened: { zh: '重新办理', en: 'Reopened' },
  accepted: { zh: '受理', en: 'Accepted' },
  acceptedOnTime: { zh: '按时受理', en: 'Accepted on time' },
  acceptedOnTimeRate: { zh: '按时受理率', en: 'Accepted on time (share)' },
  resolved: { zh: '办结', en: 'Resolved' },
  resolvedOnTime: { zh: '按时办结', en: 'Resolved on time' },
  resolvedOnTimeRate: { zh: '按时办结率', en: 'Resolved on time (share)' },
  returned: { zh: '退回', en: 'Returned' },
  reassignedAway: { zh: '改派转出', en: 'Reassigned away' },
  escalated: { zh: '超时督办', en: 'Escalated' },
  verificationFailures: { zh: '核查未通过', en: 'Verification failures' },
  verificationFailureRate: { zh: '核查未通过率', en: 'Verification failures (share)' },
  ratings: { zh: '评价数', en: 'Ratings' },
  satisfactionMean: { zh: '平均评分', en: 'Mean rating' },
  satisfiedShare: { zh: '满意率', en: 'Satisfied (share)' },
  returnVisitsSatisfied: { zh: '回访满意', en: 'Return visits satisfied' },
  returnVisitsUnresolved: { zh: '回访未解决', en: 'Return visits unresolved' },
  dispatchedMeanWorkingHours: { zh: '待受理平均工时(小时)', en: 'Awaiting acceptance, mean working hours' },
  dispatchedP90WorkingHours: { zh: '待受理90%工时(小时)', en: 'Awaiting acceptance, p90 working hours' },
  in_progressMeanWorkingHours: { zh: '办理平均工时(小时)', en: 'Handling, mean working hours' },
  in_progressP90WorkingHours: { zh: '办理90%工时(小时)', en: 'Handling, p90 working hours' },
  resolvedMeanWorkingHours: { zh: '待核查平均工时(小时)', en: 'Awaiting verification, mean working hours' },
  resolvedP90WorkingHours: { zh: '待核查90%工时(小时)', en: 'Awaiting verification, p90 working hours' },
  verifiedMeanWorkingHours: { zh: '待结案平均工时(小时)', en: 'Awaiting closing, mean working hours' },
  verifiedP90WorkingHours: { zh: '待结案90%工时(小时)', en: 'Awaiting closing, p90 working hours' },
  closedMeanWorkingHours: { zh: '待评价平均工时(小时)', en: 'Awaiting rating, mean working hours' },
  closedP90WorkingHours: { zh: '待评价90%工时(小时)', en: 'Awaiting rating, p90 working hours' },
};

/**
 * The rows as CSV for Excel (shared/domain/spreadsheet-csv.ts: BOM, CRLF, quoting, formulas
 * defused), a header row in the request's language, rates as fractions.
 */
export function assessmentCsv(assessment: Assessment, lang: 'zh' | 'en'): string {
  const keys: readonly SortKey[] = SortKey.options;
  const columns: ReadonlyArray<keyof typeof headers> = ['id', 'name', ...keys];
  return csvFile(
    columns.map((k) => headers[k][lang]),
    assessment.rows.map((row) => [row.id, row[lang], ...keys.map((k) => columnValue(row, k))]),
  );
}

/** The export's file name: `assessment-unit-2026-11-01_2026-11-30.csv`. */
export const assessmentFileName = (a: Assessment): string =>
  `assessment-${a.level}-${a.range.from}_${a.range.to}.csv`;
