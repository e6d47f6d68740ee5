/**
 * The statistics (GET /api/stats): four figures and five charts drawn with Chart.js, all time or
 * over a period kept in the hash route (`#/stats/from=YYYY-MM-DD&to=YYYY-MM-DD`, date-range.ts), the
 * cases by category (table and chart) and the time per stage in working hours or working days
 * (the API's `timeInStage`). Chart.js is
 * not bundled: its UMD build is served by functions/console-assets.ts and loaded by a script tag
 * on first use (most sessions never open the statistics), then read from `window.Chart`.
 */
import type { ChartConfiguration, Chart as ChartJs, ChartOptions, TooltipItem } from 'chart.js';
import type { Stage } from '../../../domain/case.ts';
import type { StaffStats, TimeInStage } from '../../../services/case-queries.ts';
import { api, categoryName, communityName, failed, townshipName, unitName } from './api.ts';
import { wireStatsExport } from './case-export.ts';
import { stageName } from './case-lists.ts';
import { app, C, FMT_LOCALE, nextNav, T } from './context.ts';
import {
  type DateRange,
  hashParams,
  rangeOfParams,
  showRangeForm,
  viewHash,
  wireRangeForm,
} from './date-range.ts';
import { byId, byKind, clear, el, fill, show, sum } from './dom.ts';
import { isRecord } from './guards.ts';
import { showView } from './navigation.ts';

declare global {
  interface Window {
    /** Chart.js's UMD build, once its script has loaded. */
    Chart?: typeof ChartJs;
  }
}
export type ChartLib = typeof ChartJs;

let chartLoad: Promise<ChartLib> | null = null;
/** The charts on the page, to destroy before a canvas is reused or the session ends. */
export const charts = new Map<string, { destroy(): void }>();

export function loadChartJs(): Promise<ChartLib> {
  if (window.Chart) return Promise.resolve(window.Chart);
  if (!chartLoad) {
    // Loaded on first use: most sessions never open the statistics. Same origin, cached for a year.
    chartLoad = new Promise<ChartLib>((resolve, reject) => {
      const s = document.createElement('script');
      s.src = C.chartSrc;
      s.async = true;
      s.onload = () => {
        if (window.Chart) resolve(window.Chart);
        else reject(new Error('no Chart'));
      };
      s.onerror = () => {
        chartLoad = null;
        s.parentNode?.removeChild(s);
        reject(new Error('chart.js failed'));
      };
      document.head.appendChild(s);
    });
  }
  return chartLoad;
}
export function destroyChart(id: string): void {
  const chart = charts.get(id);
  if (chart) {
    chart.destroy();
    charts.delete(id);
  }
}
export function destroyCharts(): void {
  for (const chart of charts.values()) chart.destroy();
  charts.clear();
}
/** The page's font and colours for every chart. */
export function chartDefaults(Chart: ChartLib): void {
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.font.size = 13;
  Chart.defaults.color = '#3e4c59';
}

export const PALETTE = {
  blue: '#0b4f9c',
  green: '#1b6e3a',
  red: '#b3261e',
  amber: '#c27c0e',
  grey: '#9aa5b1',
  teal: '#0f766e',
};
const STAGE_COLOURS: Record<Stage, string> = {
  received: '#9aa5b1',
  registered: '#7b8794',
  dispatched: '#2f6fbf',
  in_progress: '#4f46e5',
  resolved: '#c27c0e',
  verified: '#0f766e',
  closed: '#1b6e3a',
  evaluated: '#155d31',
  merged: '#c2c9d1',
};

const isStats = (data: unknown): data is StaffStats => isRecord(data) && isRecord(data.byStage);
const stageCounts = (record: Partial<Record<Stage, number>> | undefined): number[] =>
  C.stages.map((s) => record?.[s] || 0);

/** A period chosen in the form becomes the hash; the same period again reloads it. */
export function wireStats(): void {
  wireRangeForm('stats', (range) => {
    const hash = viewHash('stats', { from: range?.from, to: range?.to });
    if (location.hash === hash) showStats();
    else location.hash = hash;
  });
  wireStatsExport();
}

/** A number in the page's locale with at most one decimal. */
export const humanNumber = (x: number): string => x.toLocaleString(FMT_LOCALE, { maximumFractionDigits: 1 });

/** Under an hour: whole minutes, or "under a minute". */
const minutesText = (hours: number, template: string): string =>
  hours * 60 < 1 ? T.underAMinute : fill(template, { n: Math.round(hours * 60) });

/**
 * Working time as people say it: working hours under one working day (minutes under an hour),
 * working days from one up.
 */
export function workingTimeText(hours: number, days: number): string {
  if (hours < 1) return minutesText(hours, T.workingMinutes);
  return days < 1
    ? fill(T.workingHours, { n: humanNumber(hours) })
    : fill(T.workingDays, { n: humanNumber(days) });
}
/** Clock time: hours under a day (minutes under an hour), days from one up. */
export function clockTimeText(hours: number): string {
  if (hours < 1) return minutesText(hours, T.clockMinutes);
  return hours < 24
    ? fill(T.clockHours, { n: humanNumber(hours) })
    : fill(T.clockDays, { n: humanNumber(hours / 24) });
}

export async function showStats(): Promise<void> {
  const seq = nextNav();
  const statsAlert = byId('stats-alert');
  showView('stats', 'stats');
  document.title = `${T.statsHeading} · ${T.pageTitle}`;
  show(statsAlert, '');
  const range = rangeOfParams(hashParams());
  showRangeForm('stats', range);
  showRangeNote(range);
  const chartLib = loadChartJs();
  chartLib.catch(() => {});
  try {
    const r = await api('GET', range ? `/api/stats?from=${range.from}&to=${range.to}` : '/api/stats');
    if (seq !== app.navSeq) return;
    if (r.status !== 200 || !isStats(r.data)) {
      show(statsAlert, r.status === 403 ? T.forbidden : T.loadFailed, 'alert');
      return;
    }
    renderKpis(r.data, range);
    renderStageTimes(r.data);
    renderChannels(r.data);
    let Chart: ChartLib;
    try {
      Chart = await chartLib;
    } catch {
      if (seq === app.navSeq) show(statsAlert, T.chartFailed, 'alert');
      return;
    }
    if (seq !== app.navSeq) return;
    drawCharts(Chart, r.data);
  } catch (e) {
    if (seq === app.navSeq) failed(e, statsAlert);
  }
}
function showRangeNote(range: DateRange | null): void {
  byId('stats-range-note').textContent = range
    ? fill(T.statsInRange, { from: range.from, to: range.to })
    : T.statsAllTime;
  // Over a period the stage figures are arrivals into each stage, so the labels say so.
  byId('kpi-total-label').textContent = range ? T.kpiRange.total : T.kpiTotal;
  byId('kpi-open-label').textContent = range ? T.kpiRange.open : T.kpiOpen;
  byId('kpi-overdue-label').textContent = range ? T.kpiRange.overdue : T.kpiOverdue;
  byId('chart-byStage-title').textContent = range ? T.chartsRange.byStage : T.charts.byStage;
  byId('chart-overdueByUnit-title').textContent = range
    ? T.chartsRange.overdueByUnit
    : T.charts.overdueByUnit;
}

function renderKpis(s: StaffStats, range: DateRange | null): void {
  const byStage = stageCounts(s.byStage);
  const open = sum(C.openStages.map((st) => s.byStage?.[st] || 0));
  const overdue = sum(Object.values(s.overdueByUnit || {}));
  byId('kpi-total').textContent = String(range ? s.byStage.dispatched || 0 : sum(byStage));
  byId('kpi-open').textContent = String(range ? s.byStage.resolved || 0 : open);
  byId('kpi-overdue').textContent = String(overdue);
  const sat = s.satisfaction;
  byId('kpi-satisfaction').textContent =
    sat?.mean === null || sat?.mean === undefined ? '—' : Number(sat.mean).toFixed(2);
  byId('kpi-satisfaction-note').textContent = sat?.ratings
    ? fill(T.kpiRatings, { n: sat.ratings })
    : T.noRatings;
}

function drawChart(Chart: ChartLib, id: string, config: ChartConfiguration<'bar'>, rows: number): void {
  destroyChart(id);
  const box = byId(`chart-${id}-box`);
  const empty = byId(`chart-${id}-empty`);
  const hasData = rows > 0;
  box.hidden = !hasData;
  empty.hidden = hasData;
  if (!hasData) return;
  // Horizontal bar charts grow with their rows so long unit names stay readable.
  if (config.options?.indexAxis === 'y') box.style.height = `${Math.max(180, rows * 30 + 60)}px`;
  charts.set(id, new Chart(byKind(`chart-${id}`, HTMLCanvasElement), config));
}

interface BarExtras {
  /** Added to (and overriding) the value axis's options. */
  valueAxis?: Record<string, unknown>;
  labelAxis?: Record<string, unknown>;
  tooltipLabel?: (ctx: TooltipItem<'bar'>) => string;
  legend?: boolean;
}
function barOptions(horizontal: boolean, extra: BarExtras = {}): ChartOptions<'bar'> {
  const valueAxis = {
    beginAtZero: true,
    ticks: { precision: 0 },
    grid: { color: '#eef0f3' },
    ...extra.valueAxis,
  };
  const labelAxis = { grid: { display: false }, ticks: { autoSkip: false }, ...extra.labelAxis };
  return {
    responsive: true,
    maintainAspectRatio: false,
    animation: false,
    indexAxis: horizontal ? 'y' : 'x',
    plugins: {
      legend: extra.legend
        ? { display: true, position: 'bottom', labels: { boxWidth: 12 } }
        : { display: false },
      ...(extra.tooltipLabel ? { tooltip: { callbacks: { label: extra.tooltipLabel } } } : {}),
    },
    scales: horizontal ? { x: valueAxis, y: labelAxis } : { x: labelAxis, y: valueAxis },
  };
}
function drawCharts(Chart: ChartLib, s: StaffStats): void {
  chartDefaults(Chart);

  const counts = stageCounts(s.byStage);
  drawChart(
    Chart,
    'byStage',
    {
      type: 'bar',
      data: {
        labels: C.stages.map(stageName),
        datasets: [
          {
            label: T.casesUnit,
            data: counts,
            backgroundColor: C.stages.map((st) => STAGE_COLOURS[st]),
            borderRadius: 3,
            maxBarThickness: 48,
          },
        ],
      },
      options: barOptions(false),
    },
    sum(counts) > 0 ? C.stages.length : 0,
  );

  const overdue = Object.entries(s.overdueByUnit || {})
    .filter((e) => e[1] > 0)
    .sort((a, b) => b[1] - a[1]);
  drawChart(
    Chart,
    'overdueByUnit',
    {
      type: 'bar',
      data: {
        labels: overdue.map((e) => unitName(e[0])),
        datasets: [
          {
            label: T.casesUnit,
            data: overdue.map((e) => e[1]),
            backgroundColor: PALETTE.red,
            borderRadius: 3,
            maxBarThickness: 22,
          },
        ],
      },
      options: barOptions(true),
    },
    overdue.length,
  );

  const byUnit = s.satisfaction?.byUnit || {};
  const sat = Object.entries(byUnit)
    .map(([k, v]) => ({ unitId: k, mean: v.mean, ratings: v.ratings }))
    .filter((e) => e.ratings > 0)
    .sort((a, b) => b.mean - a.mean);
  drawChart(
    Chart,
    'satisfactionByUnit',
    {
      type: 'bar',
      data: {
        labels: sat.map((e) => unitName(e.unitId)),
        datasets: [
          {
            label: T.kpiSatisfaction,
            data: sat.map((e) => Math.round(e.mean * 100) / 100),
            backgroundColor: sat.map((e) =>
              e.mean < 3 ? PALETTE.red : e.mean < 4 ? PALETTE.amber : PALETTE.green,
            ),
            borderRadius: 3,
            maxBarThickness: 22,
          },
        ],
      },
      options: barOptions(true, {
        valueAxis: { max: 5, ticks: { stepSize: 1 } },
        tooltipLabel: (ctx) => {
          const e = sat[ctx.dataIndex];
          return `${ctx.formattedValue}${T.scoreUnit} · ${fill(T.ratingsCount, { n: e ? e.ratings : 0 })}`;
        },
      }),
    },
    sat.length,
  );

  drawMeanTime(Chart, s);

  const communities = Object.entries(s.byCommunity || {})
    .map(([id, row]) => {
      const open = sum(C.openStages.map((st) => row[st] || 0));
      const total = sum(C.stages.map((st) => row[st] || 0));
      return { id, open, done: total - open, total };
    })
    .filter((c) => c.total > 0)
    .sort((a, b) => b.total - a.total || communityName(a.id).localeCompare(communityName(b.id), FMT_LOCALE))
    .slice(0, 10);
  drawChart(
    Chart,
    'topCommunities',
    {
      type: 'bar',
      data: {
        labels: communities.map((c) => communityName(c.id)),
        datasets: [
          {
            label: T.openCases,
            data: communities.map((c) => c.open),
            backgroundColor: PALETTE.blue,
            borderRadius: 3,
            maxBarThickness: 22,
          },
          {
            label: T.doneCases,
            data: communities.map((c) => c.done),
            backgroundColor: PALETTE.green,
            borderRadius: 3,
            maxBarThickness: 22,
          },
        ],
      },
      options: barOptions(true, { valueAxis: { stacked: true }, labelAxis: { stacked: true }, legend: true }),
    },
    communities.length,
  );
  drawCategories(Chart, s);
}

/**
 * Mean time per stage: in working hours or working days where the working time was kept (one unit
 * for the whole chart, working days once the longest bar reaches one), else in clock time.
 */
function drawMeanTime(Chart: ChartLib, s: StaffStats): void {
  const times = s.timeInStage || {};
  const stages = C.stages.filter((st) => (times[st]?.meanSeconds ?? 0) > 0);
  const working = stages.filter((st) => times[st]?.meanWorkingHours !== undefined);
  let values: number[];
  let unitLabel: string;
  let shown: readonly Stage[];
  if (working.length > 0) {
    shown = working;
    const hours = working.map((st) => times[st]?.meanWorkingHours ?? 0);
    const days = working.map((st) => times[st]?.meanWorkingDays ?? 0);
    const inDays = Math.max(...days, 0) >= 1;
    values = (inDays ? days : hours).map((v) => Math.round(v * 100) / 100);
    unitLabel = inDays ? T.workingDays : T.workingHours;
  } else {
    shown = stages;
    const hours = stages.map((st) => times[st]?.meanHours ?? 0);
    const inDays = Math.max(...hours, 0) >= 24;
    values = hours.map((h) => Math.round((inDays ? h / 24 : h) * 100) / 100);
    unitLabel = inDays ? T.clockDays : T.clockHours;
  }
  const axisName = fill(unitLabel, { n: '' }).trim();
  byId('chart-meanTime-title').textContent = T.charts.meanTime + fill(T.parenthesised, { text: axisName });
  drawChart(
    Chart,
    'meanTime',
    {
      type: 'bar',
      data: {
        labels: shown.map(stageName),
        datasets: [
          {
            label: axisName,
            data: values,
            backgroundColor: shown.map((st) => STAGE_COLOURS[st]),
            borderRadius: 3,
            maxBarThickness: 22,
          },
        ],
      },
      options: barOptions(true, {
        valueAxis: { ticks: {} },
        tooltipLabel: (ctx) => fill(unitLabel, { n: ctx.formattedValue }),
      }),
    },
    shown.length,
  );
}

/**
 * Intake and outreach reach by channel, a row per township and month (the API's `byChannel`),
 * newest month first; the column groups say which figures are cases and which are households.
 */
function renderChannels(s: StaffStats): void {
  const box = byId('stats-channels-table');
  clear(box);
  const k = T.channels;
  const rows = Array.isArray(s.byChannel) ? [...s.byChannel].reverse() : [];
  if (rows.length === 0) {
    box.appendChild(el('p', { className: 'empty', text: T.noData }));
    return;
  }
  const intake = [k.web, k.sms, k.gridWorker, k.wecom];
  const reach = [k.smsHouseholds, k.wecomGroups, k.wecomHouseholds];
  box.appendChild(
    el('table', { className: 'cases', id: 'stats-channels-rows' }, [
      el('thead', null, [
        el('tr', null, [
          el('td', { colspan: 2 }),
          el('th', { scope: 'colgroup', colspan: intake.length, text: k.intake }),
          el('th', { scope: 'colgroup', colspan: reach.length, text: k.reach }),
        ]),
        el('tr', null, [
          el('th', { scope: 'col', text: k.month }),
          el('th', { scope: 'col', text: k.township }),
          ...[...intake, ...reach].map((label) => el('th', { scope: 'col', className: 'num', text: label })),
        ]),
      ]),
      el(
        'tbody',
        null,
        rows.map((r) => {
          const values: Array<[string, number]> = [
            ['intake-web', r.intake.web],
            ['intake-sms', r.intake.sms],
            ['intake-grid_worker', r.intake.grid_worker],
            ['intake-wecom', r.intake.wecom],
            ['reach-sms-households', r.reach.sms.households],
            ['reach-wecom-groups', r.reach.wecom.groups],
            ['reach-wecom-households', r.reach.wecom.households],
          ];
          return el('tr', { 'data-month': r.month, 'data-township': r.townshipId }, [
            el('td', { text: r.month }),
            el('th', { scope: 'row', text: townshipName(r.townshipId) }),
            ...values.map(([key, v]) =>
              el('td', { className: 'num', 'data-column': key, text: v.toLocaleString(FMT_LOCALE) }),
            ),
          ]);
        }),
      ),
    ]),
  );
}

/** The time per stage as a table: working time in hours or days, and clock time beside it. */
function renderStageTimes(s: StaffStats): void {
  const box = byId('stats-times-table');
  clear(box);
  const times = s.timeInStage;
  byId('stats-times-scoped').hidden = times !== undefined;
  if (!times) return;
  const rows = C.stages
    .map((st): [Stage, TimeInStage | undefined] => [st, times[st]])
    .filter((e): e is [Stage, TimeInStage] => e[1] !== undefined && e[1].meanSeconds > 0);
  if (rows.length === 0) {
    box.appendChild(el('p', { className: 'empty', text: T.noData }));
    return;
  }
  const k = T.stageTimes;
  box.appendChild(
    el('table', { className: 'cases', id: 'stats-times-rows' }, [
      el('thead', null, [
        el('tr', null, [
          el('th', { scope: 'col', text: k.stage }),
          el('th', { scope: 'col', text: k.working }),
          el('th', { scope: 'col', text: k.clock }),
        ]),
      ]),
      el(
        'tbody',
        null,
        rows.map(([stage, t]) =>
          el('tr', { 'data-stage': stage }, [
            el('th', { scope: 'row', text: stageName(stage) }),
            el('td', {
              className: 'num working',
              text:
                t.meanWorkingHours === undefined || t.meanWorkingDays === undefined
                  ? '—'
                  : workingTimeText(t.meanWorkingHours, t.meanWorkingDays),
            }),
            el('td', { className: 'num clock', text: clockTimeText(t.meanHours) }),
          ]),
        ),
      ),
    ]),
  );
}

/**
 * Cases by category: all time, how many are open and done; over a period, how many came into
 * dispatch, resolution and closing. County-wide figures, so a scoped reader gets a note instead.
 */
function drawCategories(Chart: ChartLib, s: StaffStats): void {
  const box = byId('stats-categories-table');
  const chartBox = byId('chart-byCategory-box');
  clear(box);
  destroyChart('byCategory');
  const byCategory = s.byCategory;
  byId('stats-categories-scoped').hidden = byCategory !== undefined;
  chartBox.hidden = true;
  if (!byCategory) return;
  const k = T.categories;
  const ranged = s.range !== undefined;
  const columns: Array<{ key: string; label: string; of: (row: Partial<Record<Stage, number>>) => number }> =
    ranged
      ? [
          { key: 'dispatched', label: k.dispatched, of: (r) => r.dispatched || 0 },
          { key: 'resolved', label: k.resolved, of: (r) => r.resolved || 0 },
          { key: 'closed', label: k.closed, of: (r) => r.closed || 0 },
        ]
      : [
          { key: 'total', label: k.total, of: (r) => sum(C.stages.map((st) => r[st] || 0)) },
          { key: 'open', label: k.open, of: (r) => sum(C.openStages.map((st) => r[st] || 0)) },
          {
            key: 'done',
            label: k.done,
            of: (r) => sum(C.stages.map((st) => r[st] || 0)) - sum(C.openStages.map((st) => r[st] || 0)),
          },
        ];
  const rows = Object.entries(byCategory)
    .map(([code, row]) => ({ code, values: columns.map((c) => c.of(row || {})) }))
    .filter((r) => sum(r.values) > 0)
    .sort((a, b) => (b.values[0] ?? 0) - (a.values[0] ?? 0) || a.code.localeCompare(b.code));
  if (rows.length === 0) {
    box.appendChild(el('p', { className: 'empty', text: T.noData }));
    return;
  }
  box.appendChild(
    el('table', { className: 'cases', id: 'stats-categories-rows' }, [
      el('thead', null, [
        el('tr', null, [
          el('th', { scope: 'col', text: k.category }),
          ...columns.map((c) => el('th', { scope: 'col', className: 'num', text: c.label })),
        ]),
      ]),
      el(
        'tbody',
        null,
        rows.map((r) =>
          el('tr', { 'data-category': r.code }, [
            el('th', { scope: 'row', text: categoryName(r.code) }),
            ...r.values.map((v, i) =>
              el('td', { className: 'num', 'data-column': columns[i]?.key, text: String(v) }),
            ),
          ]),
        ),
      ),
    ]),
  );
  // The chart stacks what the table splits: open and done, or resolved beside dispatched.
  const stacked = !ranged;
  const series = ranged ? [0, 1] : [1, 2];
  const colours = [PALETTE.blue, PALETTE.green];
  chartBox.hidden = false;
  chartBox.style.height = `${Math.max(180, rows.length * 30 + 70)}px`;
  charts.set(
    'byCategory',
    new Chart(byKind('chart-byCategory', HTMLCanvasElement), {
      type: 'bar',
      data: {
        labels: rows.map((r) => categoryName(r.code)),
        datasets: series.map((column, i) => ({
          label: columns[column]?.label ?? '',
          data: rows.map((r) => r.values[column] ?? 0),
          backgroundColor: colours[i],
          borderRadius: 3,
          maxBarThickness: 22,
        })),
      },
      options: barOptions(true, {
        valueAxis: { stacked },
        labelAxis: { stacked },
        legend: true,
      }),
    }),
  );
}
