/**
 * The statistics (GET /api/stats): four figures and five charts drawn with Chart.js. Chart.js is
 * not bundled: its UMD build is served by functions/console-assets.ts and loaded by a script tag
 * on first use (most sessions never open the statistics), then read from `window.Chart`.
 */
import type { ChartConfiguration, Chart as ChartJs, ChartOptions, TooltipItem } from 'chart.js';
import type { Stage } from '../../../domain/case.ts';
import type { StaffStats } from '../../../services/case-queries.ts';
import { api, communityName, failed, unitName } from './api.ts';
import { stageName } from './case-lists.ts';
import { app, C, FMT_LOCALE, nextNav, T } from './context.ts';
import { byId, byKind, fill, show, sum } from './dom.ts';
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

export async function showStats(): Promise<void> {
  const seq = nextNav();
  const statsAlert = byId('stats-alert');
  showView('stats', 'stats');
  document.title = `${T.statsHeading} · ${T.pageTitle}`;
  show(statsAlert, '');
  const chartLib = loadChartJs();
  chartLib.catch(() => {});
  try {
    const r = await api('GET', '/api/stats');
    if (seq !== app.navSeq) return;
    if (r.status !== 200 || !isStats(r.data)) {
      show(statsAlert, r.status === 403 ? T.forbidden : T.loadFailed, 'alert');
      return;
    }
    renderKpis(r.data);
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
function renderKpis(s: StaffStats): void {
  const byStage = stageCounts(s.byStage);
  const open = sum(C.openStages.map((st) => s.byStage?.[st] || 0));
  const overdue = sum(Object.values(s.overdueByUnit || {}));
  byId('kpi-total').textContent = String(sum(byStage));
  byId('kpi-open').textContent = String(open);
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

  const meanMs = s.meanMsInStage || {};
  const mean = C.stages.filter((st) => (meanMs[st] ?? 0) > 0);
  const ms = mean.map((st) => meanMs[st] ?? 0);
  const largest = Math.max(...ms, 0);
  // One unit for the whole chart, the largest that keeps the longest bar at 2 or more of it.
  const [unitMs, unitLabel] =
    largest >= 72 * 3600000
      ? [86400000, T.daysUnit]
      : largest >= 2 * 3600000
        ? [3600000, T.hoursUnit]
        : largest >= 120000
          ? [60000, T.minutesUnit]
          : [1000, T.secondsUnit];
  const inUnit = (v: number) => {
    const x = v / unitMs;
    return x < 1 ? Math.round(x * 100) / 100 : Math.round(x * 10) / 10;
  };
  byId('chart-meanTime-title').textContent = T.charts.meanTime + fill(T.parenthesised, { text: unitLabel });
  drawChart(
    Chart,
    'meanTime',
    {
      type: 'bar',
      data: {
        labels: mean.map(stageName),
        datasets: [
          {
            label: unitLabel,
            data: ms.map(inUnit),
            backgroundColor: mean.map((st) => STAGE_COLOURS[st]),
            borderRadius: 3,
            maxBarThickness: 22,
          },
        ],
      },
      options: barOptions(true, {
        valueAxis: { ticks: {} },
        tooltipLabel: (ctx) => `${ctx.formattedValue} ${unitLabel}`,
      }),
    },
    mean.length,
  );

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
}
