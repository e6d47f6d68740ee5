/**
 * The statistics as CSV (`GET /api/stats/export`): the figures `GET /api/stats` gives the caller
 * (the same scope and range), one row per stage total, unit, community and category, through the
 * one CSV writer (shared/domain/spreadsheet-csv.ts). Columns: what the row is (dimension, id,
 * name), the count in each stage, the total, and where the figures exist the cases escalated as
 * overdue, the ratings and their mean; then one row of the mean working hours per stage; then one
 * row per township and month of the statistics by channel (channel-statistics.ts), whose own
 * columns come last: the month, the cases taken in per channel and the outreach reach (households
 * sent an SMS; WeChat groups sent a mass-send and their households). Each row fills its own columns.
 */
import { Stage } from '../domain/case.ts';
import { categories } from '../domain/categories.ts';
import type { Organisation } from '../domain/organisation.ts';
import { type CsvValue, csvFile } from '../domain/spreadsheet-csv.ts';
import { LocalDate } from '../domain/working-calendar.ts';
import * as z from '../schema.ts';
import type { StaffStats } from './case-queries.ts';

/**
 * `GET /api/stats/export`'s query: the statistics' range (checked by `getStats` as for
 * `GET /api/stats`: both or neither, at most 24 months) and the header's language.
 */
export const StatsExportQuery = z.object({
  from: z.optional(LocalDate),
  to: z.optional(LocalDate),
  lang: z._default(z.enum(['zh', 'en']), 'zh'),
});

type Lang = 'zh' | 'en';
type Dimension = 'total' | 'unit' | 'community' | 'category' | 'working_hours' | 'channel';

const DIMENSIONS: Record<Dimension, Record<Lang, string>> = {
  total: { zh: '合计', en: 'total' },
  unit: { zh: '单位', en: 'unit' },
  community: { zh: '社区（村）', en: 'community' },
  category: { zh: '类别', en: 'category' },
  working_hours: { zh: '平均工时（小时）', en: 'mean working hours' },
  channel: { zh: '渠道（乡镇·月）', en: 'channels per township and month' },
};

/** The statistics by channel's columns, after the others. */
const CHANNEL_HEADER: Record<Lang, string[]> = {
  zh: [
    '月份',
    '网页受理',
    '短信受理',
    '网格员录入',
    '政务微信受理',
    '短信触达户数',
    '微信群触达群数',
    '微信群触达户数',
  ],
  en: [
    'Month',
    'Intake web',
    'Intake SMS',
    'Intake grid worker',
    'Intake WeChat Work',
    'SMS households reached',
    'WeChat groups reached',
    'WeChat group households reached',
  ],
};

/** Stage names in the exports (the statistics' columns too). */
export const STAGE_NAMES: Record<Stage, Record<Lang, string>> = {
  received: { zh: '已接收', en: 'Received' },
  registered: { zh: '已立案', en: 'Registered' },
  dispatched: { zh: '已派遣', en: 'Dispatched' },
  in_progress: { zh: '办理中', en: 'In progress' },
  resolved: { zh: '已办结', en: 'Resolved' },
  verified: { zh: '已核查', en: 'Verified' },
  closed: { zh: '已结案', en: 'Closed' },
  evaluated: { zh: '已评价', en: 'Rated' },
  merged: { zh: '已合并', en: 'Merged' },
};

const HEADER: Record<Lang, { lead: string[]; tail: string[] }> = {
  zh: { lead: ['维度', '编号', '名称'], tail: ['总计', '超时督办', '评价数', '平均评分'] },
  en: {
    lead: ['Dimension', 'ID', 'Name'],
    tail: ['Total', 'Escalated as overdue', 'Ratings', 'Mean rating'],
  },
};

const stageCells = (counts: Partial<Record<Stage, number>>): CsvValue[] => {
  const cells = Stage.options.map((s) => counts[s] ?? 0);
  return [...cells, cells.reduce((a, b) => a + b, 0)];
};

/** The caller's statistics as one CSV file (BOM, CRLF, header in `lang`). */
export function statisticsCsv(stats: StaffStats, org: Organisation, lang: Lang): string {
  const name = (list: readonly { id: string; zh: string; en: string }[], id: string) =>
    list.find((x) => x.id === id)?.[lang] ?? id;
  const h = HEADER[lang];
  const rows: CsvValue[][] = [
    [
      DIMENSIONS.total[lang],
      '',
      '',
      ...stageCells(stats.byStage),
      null,
      stats.satisfaction?.ratings,
      stats.satisfaction?.mean,
    ],
  ];
  for (const [id, counts] of Object.entries(stats.byUnit)) {
    const rating = stats.satisfaction?.byUnit[id];
    rows.push([
      DIMENSIONS.unit[lang],
      id,
      name(org.units, id),
      ...stageCells(counts),
      stats.overdueByUnit[id] ?? 0,
      rating?.ratings,
      rating?.mean,
    ]);
  }
  for (const [id, counts] of Object.entries(stats.byCommunity))
    rows.push([DIMENSIONS.community[lang], id, name(org.communities, id), ...stageCells(counts)]);
  for (const [id, counts] of Object.entries(stats.byCategory ?? {}))
    rows.push([
      DIMENSIONS.category[lang],
      id,
      categories.find((c) => c.code === id)?.[lang] ?? id,
      ...stageCells(counts ?? {}),
    ]);
  if (stats.timeInStage)
    rows.push([
      DIMENSIONS.working_hours[lang],
      '',
      '',
      ...Stage.options.map((s) => stats.timeInStage?.[s]?.meanWorkingHours),
    ]);
  // Empty cells up to the channel columns: the stages and the tail (the total first among them).
  const gap = (): CsvValue[] => Array.from({ length: Stage.options.length + h.tail.length }, () => null);
  for (const row of stats.byChannel)
    rows.push([
      DIMENSIONS.channel[lang],
      row.townshipId,
      name(org.townships, row.townshipId),
      ...gap(),
      row.month,
      row.intake.web,
      row.intake.sms,
      row.intake.grid_worker,
      row.intake.wecom,
      row.reach.sms.households,
      row.reach.wecom.groups,
      row.reach.wecom.households,
    ]);
  return csvFile(
    [...h.lead, ...Stage.options.map((s) => STAGE_NAMES[s][lang]), ...h.tail, ...CHANNEL_HEADER[lang]],
    rows,
  );
}

/** `stats-2026-11-01_2026-11-30.csv`, or `stats-all-time.csv`. */
export const statisticsFileName = (stats: StaffStats): string =>
  stats.range ? `stats-${stats.range.from}_${stats.range.to}.csv` : 'stats-all-time.csv';
