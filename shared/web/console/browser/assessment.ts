/**
 * The unit assessment (考核评价, GET /api/assessment): units or townships over a period, ranked by
 * score, sortable by any column (the header buttons, aria-sort), each measure's definition on its
 * heading and in a legend, the service levels in force, a month-by-month line chart of the rows
 * ticked, and the CSV export (GET /api/assessment/export, fetched with the token and saved as a
 * file). Everything that decides what is shown lives in the hash route —
 * `#/assessment/level=unit&from=…&to=…&sort=score&order=desc&trend=a,b&measure=score` — so links
 * and the back button work; a period or level change reads the API again, a sort, a tick or a
 * measure redraws what was read. The server decides which rows a reader gets: a unit handler or a
 * centre dispatcher their own, with its rank among all.
 */
import type { ChartConfiguration } from 'chart.js';
import { columnValue } from '../../../domain/unit-assessment.ts';
import type { Assessment, AssessmentRow, SortKey, TrendPoint } from '../../../services/unit-assessment.ts';
import { api, categoryName, dropSession, failed } from './api.ts';
import { app, FMT_LOCALE, LANG, nextNav, T } from './context.ts';
import {
  type DateRange,
  hashParams,
  presetRange,
  rangeOfParams,
  showRangeForm,
  viewHash,
  wireRangeForm,
} from './date-range.ts';
import { buttonById, byId, byKind, clear, el, fileNameOf, fill, saveFile, selectById, show } from './dom.ts';
import { hasKey, isRecord } from './guards.ts';
import { showSignIn, showView, updateLanguageSwitch } from './navigation.ts';
import {
  chartDefaults,
  charts,
  destroyChart,
  humanNumber,
  loadChartJs,
  PALETTE,
  workingTimeText,
} from './statistics.ts';

type Level = Assessment['level'];
type Order = 'asc' | 'desc';
type Words = typeof T.assessment;
/** The table's sortable columns: the API's sort keys it shows, and the name. */
type ColumnKey = Exclude<keyof Words['columns'], 'trend'>;
type Measure = keyof Words['trendMeasures'];
type Format = 'rank' | 'text' | 'score' | 'count' | 'share' | 'rating' | 'hours';

const COLUMNS: ReadonlyArray<{ key: ColumnKey; format: Format }> = [
  { key: 'rank', format: 'rank' },
  { key: 'name', format: 'text' },
  { key: 'score', format: 'score' },
  { key: 'received', format: 'count' },
  { key: 'reopened', format: 'count' },
  { key: 'acceptedOnTimeRate', format: 'share' },
  { key: 'resolvedOnTimeRate', format: 'share' },
  { key: 'returned', format: 'count' },
  { key: 'reassignedAway', format: 'count' },
  { key: 'escalated', format: 'count' },
  { key: 'verificationFailureRate', format: 'share' },
  { key: 'ratings', format: 'count' },
  { key: 'satisfactionMean', format: 'rating' },
  { key: 'satisfiedShare', format: 'share' },
  { key: 'returnVisitsSatisfied', format: 'count' },
  { key: 'returnVisitsUnresolved', format: 'count' },
  { key: 'dispatchedMeanWorkingHours', format: 'hours' },
  { key: 'dispatchedP90WorkingHours', format: 'hours' },
  { key: 'in_progressMeanWorkingHours', format: 'hours' },
  { key: 'in_progressP90WorkingHours', format: 'hours' },
];
const MEASURES: readonly Measure[] = [
  'score',
  'acceptedOnTimeRate',
  'resolvedOnTimeRate',
  'received',
  'escalated',
  'satisfactionMean',
];
const LINE_COLOURS = [
  PALETTE.blue,
  PALETTE.red,
  PALETTE.green,
  PALETTE.amber,
  PALETTE.teal,
  '#7c3aed',
  '#52606d',
  '#db2777',
];

/** What the hash says the view shows. */
interface AssessmentState {
  level: Level;
  range: DateRange;
  sort: ColumnKey;
  order: Order;
  /** The rows drawn in the trend chart; undefined until the user ticks one (then the best row). */
  trend: string[] | undefined;
  measure: Measure;
}

const isAssessment = (data: unknown): data is Assessment =>
  isRecord(data) && Array.isArray(data.rows) && Array.isArray(data.trend) && isRecord(data.range);
const isColumn = (key: string | null): key is ColumnKey =>
  key !== null && key !== 'trend' && hasKey(T.assessment.columns, key);
const isMeasure = (key: string | null): key is Measure =>
  key !== null && (MEASURES as readonly string[]).indexOf(key) >= 0;
/** Rank and name read best-first and A-to-Z; every measure largest first, as the API sorts. */
const defaultOrder = (key: ColumnKey): Order => (key === 'rank' || key === 'name' ? 'asc' : 'desc');

function stateOfHash(): AssessmentState {
  const p = hashParams();
  const sortParam = p.get('sort');
  const sort: ColumnKey = isColumn(sortParam) ? sortParam : 'rank';
  const order = p.get('order');
  const trend = p.get('trend');
  const measure = p.get('measure');
  return {
    level: p.get('level') === 'township' ? 'township' : 'unit',
    // The last full month by default: the period a county assesses.
    range: rangeOfParams(p) ?? presetRange('lastMonth'),
    sort,
    order: order === 'asc' || order === 'desc' ? order : defaultOrder(sort),
    trend: trend === null ? undefined : trend === 'none' ? [] : trend.split(',').filter((id) => id !== ''),
    measure: isMeasure(measure) ? measure : 'score',
  };
}
const hashOf = (s: AssessmentState): string =>
  viewHash('assessment', {
    level: s.level,
    from: s.range.from,
    to: s.range.to,
    sort: s.sort === 'rank' ? undefined : s.sort,
    order: s.order === defaultOrder(s.sort) ? undefined : s.order,
    trend: s.trend === undefined ? undefined : s.trend.length ? s.trend.join(',') : 'none',
    measure: s.measure === 'score' ? undefined : s.measure,
  });

let shown: { state: AssessmentState; data: Assessment } | null = null;

/** A change of level or period reads again (through the hash); a same-hash change reloads. */
function go(next: AssessmentState): void {
  const hash = hashOf(next);
  if (location.hash === hash) showAssessment();
  else location.hash = hash;
}
/** A sort, a tick or a measure: a new history entry, and the rows already read drawn again. */
function redraw(next: AssessmentState): void {
  if (!shown) return;
  history.pushState(null, '', `${location.pathname}${location.search}${hashOf(next)}`);
  // No hashchange for a pushed entry: the language link takes the new hash here.
  updateLanguageSwitch();
  shown = { state: next, data: shown.data };
  render(shown.data, next);
}

export function wireAssessment(): void {
  wireRangeForm('assess', (range) => {
    const state = stateOfHash();
    go({ ...state, range: range ?? presetRange('lastMonth'), trend: undefined });
  });
  byId('assess-level').addEventListener('change', (e) => {
    const target = e.target;
    if (!(target instanceof HTMLInputElement)) return;
    const state = stateOfHash();
    go({ ...state, level: target.value === 'township' ? 'township' : 'unit', trend: undefined });
  });
  selectById('assess-trend-measure').addEventListener('change', (e) => {
    const target = e.target;
    if (shown && target instanceof HTMLSelectElement && isMeasure(target.value))
      redraw({ ...shown.state, measure: target.value });
  });
  byId('assess-body').addEventListener('click', (e) => {
    const target = e.target;
    if (!shown || !(target instanceof Element)) return;
    const button = target.closest('button[data-sort]');
    const key = button?.getAttribute('data-sort') ?? null;
    if (!isColumn(key)) return;
    const s = shown.state;
    const order: Order = s.sort === key ? (s.order === 'asc' ? 'desc' : 'asc') : defaultOrder(key);
    redraw({ ...s, sort: key, order });
    // The header was rebuilt: keep the keyboard where it was.
    const again = document.querySelector(`#assess-body button[data-sort="${key}"]`);
    if (again instanceof HTMLElement) again.focus();
  });
  byId('assess-body').addEventListener('change', (e) => {
    const target = e.target;
    if (!shown || !(target instanceof HTMLInputElement) || !target.hasAttribute('data-trend')) return;
    const id = target.getAttribute('data-trend') ?? '';
    const current = trendIds(shown.state, shown.data);
    const trend = target.checked
      ? current.concat(current.indexOf(id) >= 0 ? [] : [id])
      : current.filter((x) => x !== id);
    redraw({ ...shown.state, trend });
  });
  buttonById('assess-export').addEventListener('click', () => exportCsv());
}

export function clearAssessment(): void {
  shown = null;
  clear(byId('assess-body'));
  clear(byId('assess-sla'));
  clear(byId('assess-legend'));
  destroyChart('assessTrend');
}

export async function showAssessment(): Promise<void> {
  const seq = nextNav();
  const state = stateOfHash();
  const a = T.assessment;
  showView('assessment', 'assessment');
  document.title = `${a.heading} · ${T.pageTitle}`;
  const alert = byId('assess-alert');
  show(alert, '');
  show(byId('assess-rank'), '');
  showRangeForm('assess', state.range);
  for (const radio of Array.from(document.querySelectorAll('#assess-level input')))
    if (radio instanceof HTMLInputElement) radio.checked = radio.value === state.level;
  selectById('assess-trend-measure').value = state.measure;
  byId('assess-range-note').textContent = fill(T.range.span, { from: state.range.from, to: state.range.to });
  const body = byId('assess-body');
  clear(body);
  body.appendChild(el('p', { className: 'empty', text: T.loading }));
  const chartLib = loadChartJs();
  chartLib.catch(() => {});
  try {
    const r = await api(
      'GET',
      `/api/assessment?level=${state.level}&from=${state.range.from}&to=${state.range.to}`,
    );
    if (seq !== app.navSeq) return;
    if (r.status !== 200 || !isAssessment(r.data)) {
      clear(body);
      show(alert, r.status === 403 ? a.forbidden : T.loadFailed, 'alert');
      return;
    }
    shown = { state, data: r.data };
    render(r.data, state);
  } catch (e) {
    if (seq === app.navSeq) {
      clear(body);
      failed(e, alert);
    }
  }
}

const everything = (): boolean => {
  const role = app.session?.staff.role;
  return role === 'county_supervisor' || role === 'admin';
};

function render(data: Assessment, state: AssessmentState): void {
  const a = T.assessment;
  byId('assessment-intro').textContent = everything() ? a.intro : `${a.intro} ${a.scopedIntro}`;
  // A scoped reader sees one row: where it stands among all is the point.
  const own = data.rows[0];
  if (!everything() && own)
    show(
      byId('assess-rank'),
      own.rank === null ? a.unranked : fill(a.rankOf, { rank: own.rank, ranked: data.ranked }),
      'notice',
    );
  renderTable(data, state);
  renderLegend();
  renderSla(data);
  drawTrend(data, state);
}

// ─── the ranking ───
const cellValue = (row: AssessmentRow, key: ColumnKey): number | string | null =>
  key === 'name' ? row[LANG] : columnValue(row, key);

/** Sorted by the column: rows without a value last whichever the order, ties by id (as the API). */
function sorted(rows: readonly AssessmentRow[], key: ColumnKey, order: Order): AssessmentRow[] {
  const sign = order === 'asc' ? 1 : -1;
  return rows.slice().sort((a, b) => {
    const x = cellValue(a, key);
    const y = cellValue(b, key);
    if (x === null || y === null) return x === y ? a.id.localeCompare(b.id) : x === null ? 1 : -1;
    const by =
      typeof x === 'string' || typeof y === 'string' ? String(x).localeCompare(String(y), FMT_LOCALE) : x - y;
    return by * sign || a.id.localeCompare(b.id);
  });
}

function cellText(format: Format, value: number | string | null, perDay: number): string {
  if (value === null) return '—';
  if (typeof value === 'string') return value;
  switch (format) {
    case 'share':
      return `${(value * 100).toLocaleString(FMT_LOCALE, { maximumFractionDigits: 1 })}%`;
    case 'score':
      return value.toLocaleString(FMT_LOCALE, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
    case 'rating':
      return value.toLocaleString(FMT_LOCALE, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    case 'hours':
      return workingTimeText(value, value / perDay);
    default:
      return value.toLocaleString(FMT_LOCALE);
  }
}
/** The counts behind a share, on the cell's title: "3 / 4". */
function shareDetail(row: AssessmentRow, key: ColumnKey): string | undefined {
  switch (key) {
    case 'acceptedOnTimeRate':
      return `${row.acceptedOnTime} / ${row.accepted}`;
    case 'resolvedOnTimeRate':
      return `${row.resolvedOnTime} / ${row.resolved}`;
    case 'verificationFailureRate':
      return `${row.verificationFailures} / ${row.verificationFailures + row.verified}`;
    case 'satisfiedShare':
      return `${Math.round((row.satisfaction.satisfiedShare ?? 0) * row.satisfaction.ratings)} / ${row.satisfaction.ratings}`;
    default:
      return undefined;
  }
}

const trendIds = (state: AssessmentState, data: Assessment): string[] => {
  if (state.trend !== undefined) return state.trend.filter((id) => data.rows.some((r) => r.id === id));
  // Until the user ticks rows: the best ranked (or the only) row.
  const best = sorted(data.rows, 'rank', 'asc')[0];
  return best ? [best.id] : [];
};

function renderTable(data: Assessment, state: AssessmentState): void {
  const a = T.assessment;
  const body = byId('assess-body');
  clear(body);
  if (data.rows.length === 0) {
    body.appendChild(el('p', { className: 'empty', text: a.noRows }));
    return;
  }
  const perDay = data.sla.calendar.hoursPerWorkingDay || 9;
  const ticked = trendIds(state, data);
  const head = el('tr', null, [
    el('th', { scope: 'col', title: a.definitions.trend, text: a.columns.trend }),
    ...COLUMNS.map((c) => {
      const active = c.key === state.sort;
      return el(
        'th',
        {
          scope: 'col',
          className: c.format === 'text' ? 'sortable' : 'sortable num',
          'aria-sort': active ? (state.order === 'asc' ? 'ascending' : 'descending') : undefined,
        },
        [
          el('button', {
            type: 'button',
            className: 'sort',
            'data-sort': c.key,
            title: a.definitions[c.key],
            text: a.columns[c.key] + (active ? (state.order === 'asc' ? ' ▲' : ' ▼') : ''),
          }),
        ],
      );
    }),
  ]);
  const rows = sorted(data.rows, state.sort, state.order).map((row) =>
    el('tr', { 'data-id': row.id }, [
      el('td', null, [
        el('input', {
          type: 'checkbox',
          'data-trend': row.id,
          'aria-label': fill(a.trendToggle, { name: row[LANG] }),
          checked: ticked.indexOf(row.id) >= 0,
        }),
      ]),
      ...COLUMNS.map((c) => {
        const value = cellValue(row, c.key);
        const text = cellText(c.format, value, perDay);
        return c.key === 'name'
          ? el('th', { scope: 'row', 'data-column': c.key, text })
          : el('td', { className: 'num', 'data-column': c.key, title: shareDetail(row, c.key), text });
      }),
    ]),
  );
  body.appendChild(
    el('div', { className: 'table-scroll' }, [
      el('table', { className: 'cases assessment', id: 'assess-table' }, [
        el('thead', null, [head]),
        el('tbody', null, rows),
      ]),
    ]),
  );
}

function renderLegend(): void {
  const a = T.assessment;
  const dl = byId('assess-legend');
  clear(dl);
  for (const c of COLUMNS) {
    if (c.key === 'name') continue;
    dl.appendChild(el('dt', { text: a.columns[c.key] }));
    dl.appendChild(el('dd', { text: a.definitions[c.key] }));
  }
}

function renderSla(data: Assessment): void {
  const a = T.assessment;
  const cal = data.sla.calendar;
  byId('assess-office-hours').textContent = fill(a.officeHours, {
    start: cal.workdayStart,
    end: cal.workdayEnd,
    hours: humanNumber(cal.hoursPerWorkingDay),
  });
  const box = byId('assess-sla');
  clear(box);
  const duration = (d: { unit: keyof Words['durations']; amount: number }) =>
    fill(a.durations[d.unit], { n: d.amount });
  box.appendChild(
    el('table', { className: 'cases', id: 'assess-sla-table' }, [
      el('thead', null, [
        el('tr', null, [
          el('th', { scope: 'col', text: a.slaColumns.category }),
          el('th', { scope: 'col', text: a.slaColumns.accept }),
          el('th', { scope: 'col', text: a.slaColumns.resolve }),
        ]),
      ]),
      el(
        'tbody',
        null,
        data.sla.levels.map((level) =>
          el('tr', { 'data-category': level.category }, [
            el('th', { scope: 'row', text: categoryName(level.category) }),
            el('td', { text: duration(level.accept) }),
            el('td', { text: duration(level.resolve) }),
          ]),
        ),
      ),
    ]),
  );
}

// ─── the trend ───
function pointValue(point: TrendPoint, measure: Measure): number | null {
  const v = point[measure];
  if (v === null) return null;
  if (measure === 'acceptedOnTimeRate' || measure === 'resolvedOnTimeRate') return Math.round(v * 1000) / 10;
  if (measure === 'satisfactionMean') return Math.round(v * 100) / 100;
  return v;
}

async function drawTrend(data: Assessment, state: AssessmentState): Promise<void> {
  const a = T.assessment;
  const box = byId('chart-assessTrend-box');
  const empty = byId('chart-assessTrend-empty');
  destroyChart('assessTrend');
  const ids = trendIds(state, data);
  const note = ids.length === 0 ? a.trendNone : data.range.months.length < 2 ? a.trendOneMonth : '';
  show(empty, note);
  box.hidden = ids.length === 0;
  if (ids.length === 0) return;
  let Chart: Awaited<ReturnType<typeof loadChartJs>>;
  try {
    Chart = await loadChartJs();
  } catch {
    show(byId('assess-alert'), T.chartFailed, 'alert');
    return;
  }
  // The user may have moved on while Chart.js loaded.
  if (shown?.data !== data || shown.state !== state) return;
  chartDefaults(Chart);
  const rows = new Map(data.rows.map((r) => [r.id, r]));
  const series = new Map(data.trend.map((t) => [t.id, t.points]));
  const percent = state.measure === 'acceptedOnTimeRate' || state.measure === 'resolvedOnTimeRate';
  const config: ChartConfiguration<'line'> = {
    type: 'line',
    data: {
      labels: data.range.months,
      datasets: ids.map((id, i) => {
        const colour = LINE_COLOURS[i % LINE_COLOURS.length] ?? PALETTE.blue;
        return {
          label: rows.get(id)?.[LANG] ?? id,
          data: (series.get(id) ?? []).map((p) => pointValue(p, state.measure)),
          borderColor: colour,
          backgroundColor: colour,
          spanGaps: true,
          tension: 0.2,
          pointRadius: 4,
        };
      }),
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      plugins: { legend: { display: true, position: 'bottom', labels: { boxWidth: 12 } } },
      scales: {
        x: { grid: { display: false } },
        y: {
          beginAtZero: state.measure !== 'satisfactionMean',
          grid: { color: '#eef0f3' },
          ...(state.measure === 'score' || percent ? { min: 0, max: 100 } : {}),
          ...(state.measure === 'satisfactionMean' ? { min: 1, max: 5 } : {}),
          ...(state.measure === 'received' || state.measure === 'escalated'
            ? { ticks: { precision: 0 } }
            : {}),
        },
      },
    },
  };
  charts.set('assessTrend', new Chart(byKind('chart-assessTrend', HTMLCanvasElement), config));
}

// ─── the export ───
/** As api() does on a refused token: the session ends and the page asks to sign in again. */
function signInAgain(): void {
  dropSession();
  showSignIn(T.sessionExpired, 'alert');
}

/** The file name the server gave (Content-Disposition), or one of the same pattern. */
/**
 * The CSV through fetch (the export needs the token, which a plain link cannot carry), saved
 * from a blob URL: a download is a navigation, which the page's CSP (connect-src 'self') allows.
 */
async function exportCsv(): Promise<void> {
  const a = T.assessment;
  const state = shown?.state ?? stateOfHash();
  const button = buttonById('assess-export');
  const alert = byId('assess-alert');
  const session = app.session;
  if (!session || session.expiresAt <= Date.now()) {
    signInAgain();
    return;
  }
  show(alert, '');
  const params = new URLSearchParams({
    level: state.level,
    from: state.range.from,
    to: state.range.to,
    lang: LANG,
  });
  // The export sorts as the table does, where the API knows the column.
  if (state.sort !== 'name') {
    const sort: SortKey = state.sort;
    params.set('sort', sort);
    params.set('order', state.order);
  }
  button.disabled = true;
  button.textContent = a.exporting;
  try {
    const res = await fetch(`/api/assessment/export?${params.toString()}`, {
      credentials: 'same-origin',
      cache: 'no-store',
      headers: { accept: 'text/csv', authorization: `Bearer ${session.idToken}` },
    });
    if (res.status === 401) {
      signInAgain();
      return;
    }
    if (!res.ok) {
      show(alert, res.status === 403 ? a.forbidden : a.exportFailed, 'alert');
      return;
    }
    const blob = await res.blob();
    saveFile(
      blob,
      fileNameOf(
        res.headers.get('content-disposition'),
        `assessment-${state.level}-${state.range.from}_${state.range.to}.csv`,
      ),
    );
  } catch {
    show(alert, T.networkError, 'alert');
  } finally {
    button.disabled = false;
    button.textContent = a.export;
  }
}
