/**
 * The staff console at GET /console: one server-rendered HTML shell (no data in it, so it can be
 * public) with its stylesheet and its browser app inline. The app (shared/web/console/browser/,
 * bundled by shared/web/page-assets.ts) signs in through POST /api/session and then works only
 * through the staff API: the queue, the three lists (问题清单, 流转清单, 回访清单), one case with
 * the actions the server allows, and the statistics drawn with Chart.js; and, for outreach staff
 * and the county supervisor (admins read-only), the anti-fraud campaign planner: the fraud-risk
 * ranking, the campaign calendar, the campaign form with a live preview of the SMS and its cost,
 * and a campaign's runs, attendance and before/after effect; for grid workers, beside their case
 * lists, the outreach tasks: the lectures and screenings in their community and the attendance to
 * record after them.
 *
 * This module renders the shell and hands the app its config (shared/web/console/console-config.ts):
 * `civicloopPage.start(config)` after the bundle, in the one inline script. Everything the page
 * runs is ours and same-origin: the script is allowed by its SHA-256 hash in the
 * Content-Security-Policy (not by 'unsafe-inline': the console shows residents' phone numbers, so
 * an injected script must not run), and Chart.js is served by functions/console-assets.ts. The app
 * builds every piece of data into the DOM with textContent, never as markup. It targets the desk
 * browsers county offices use (built for ES2017) and still works on a phone.
 */
import { createHash } from 'node:crypto';
// The version of the Chart.js build we serve names its URL, so a browser may cache it for a year
// and an upgrade still reaches everyone. A JSON import, because chart.js's `exports` map hides its
// package.json from require.resolve; esbuild inlines it into the Lambda bundle.
import chartPackage from '../../node_modules/chart.js/package.json' with { type: 'json' };
import { openStages, Stage } from '../domain/case.ts';
import { StaffRequestAction } from '../domain/case-lifecycle.ts';
import {
  type ActionFieldSpec,
  assessmentAccess,
  type ConsoleConfig,
  campaignFieldPaths,
  campaignGroupFields,
  campaignIssueRules,
  campaignWarningRules,
  consoleSections,
  registryAccess,
} from './console/console-config.ts';
import {
  type ActionField,
  type CampaignField,
  type ConsoleAction,
  type ConsoleLanguage,
  type ConsoleText,
  consoleText,
  type PlannerTab,
} from './console-text.ts';
import { escapeHtml, jsonForScript, pageOpening } from './html.ts';
import { PAGE_GLOBAL, type PageAssets } from './page-assets.ts';

export type { ConsoleLanguage } from './console-text.ts';

/** Where functions/console-assets.ts serves the Chart.js UMD build. */
export const CHART_ASSET_PATH = '/console/assets/chart.js';
export const chartJsVersion: string = chartPackage.version;
export const chartScriptUrl = `${CHART_ASSET_PATH}?v=${encodeURIComponent(chartJsVersion)}`;

/** Always with ?lang: a bare /console would keep whatever language the cookie remembers. */
export const consoleHref = (lang: ConsoleLanguage): string => `/console?lang=${lang}`;

export interface ConsolePage {
  html: string;
  /** The page's own CSP: its inline script by hash, Chart.js from this origin, fetch to this origin. */
  contentSecurityPolicy: string;
}

const actionFieldNames: readonly ActionField[] = ['note', 'unitId', 'into', 'outcome', 'category'];
const isActionField = (key: string): key is ActionField =>
  (actionFieldNames as readonly string[]).includes(key);

/**
 * The fields each staff action's form shows, read from the lifecycle's own schema, so the console
 * asks for exactly what `POST /api/cases/{id}/transitions` validates (a note the schema requires
 * is marked required; a new field cannot be forgotten here).
 */
export function actionFieldSpecs(): Record<ConsoleAction, ActionFieldSpec[]> {
  const specs: Partial<Record<ConsoleAction, ActionFieldSpec[]>> = {};
  for (const option of StaffRequestAction.def.options) {
    // The discriminator is a literal whose one value names the action.
    const actions = option.shape.action.def.values;
    const fields: ActionFieldSpec[] = [];
    for (const [key, schema] of Object.entries(option.shape)) {
      if (key === 'action') continue;
      if (!isActionField(key))
        throw new Error(`console: action ${actions.join('/')} has a field ${key} the form cannot show`);
      fields.push({ name: key, required: !schema.safeParse(undefined).success });
    }
    for (const action of actions) specs[action] = fields;
  }
  return specs as Record<ConsoleAction, ActionFieldSpec[]>;
}

export interface ConsolePageInput {
  lang: ConsoleLanguage;
  /** The app's bundle and the stylesheet (loadPageAssets('console')). */
  assets: PageAssets;
  /** The wording; the language's dictionary unless given (tests pass hostile strings here). */
  text?: ConsoleText;
  /** The photo bucket's origin, whose presigned URLs the case view shows as images. */
  photoOrigin?: string;
}

export function renderConsolePage(input: ConsolePageInput): ConsolePage {
  const t = input.text ?? consoleText[input.lang];
  const script = `${input.assets.script}\n${PAGE_GLOBAL}.start(${jsonForScript(consoleConfig(t, input.lang))});`;
  const scriptHash = createHash('sha256').update(script, 'utf8').digest('base64');
  const html = `${pageOpening({ lang: t.htmlLang, title: t.pageTitle, styles: input.assets.css, noindex: true })}
${header(t, input.lang)}
<noscript><div class="content"><p class="alert">${escapeHtml(t.noScript)}</p></div></noscript>
<main id="main">
${signInView(t)}
<div id="app" hidden>
${tabs(t)}
<div class="content">
${listView(t)}
${searchView(t)}
<section id="case-view" class="view" aria-live="polite" hidden></section>
${statsView(t)}
${assessmentView(t)}
${registryView(t)}
${riskView(t)}
${calendarView(t)}
${campaignFormView(t)}
${tasksView(t)}
<section id="campaign-view" class="view" aria-live="polite" hidden></section>
</div>
</div>
</main>
<script>${script}</script>
</body>
</html>
`;
  return {
    html,
    contentSecurityPolicy: [
      "default-src 'none'",
      `script-src 'self' 'sha256-${scriptHash}'`,
      // Chart.js sizes its canvases through style attributes; styles cannot run code.
      "style-src 'unsafe-inline'",
      // Evidence photos are posted to the photo bucket with a presigned form (POST /api/photo-uploads).
      `connect-src 'self'${input.photoOrigin ? ` ${input.photoOrigin}` : ''}`,
      // Case photos are presigned URLs of the photo bucket (GET /api/cases/{id}/photos); blob: is
      // the evidence photo being resized in the action form (shared/web/browser/photo-upload.ts).
      `img-src 'self' data: blob:${input.photoOrigin ? ` ${input.photoOrigin}` : ''}`,
      "form-action 'self'",
      "base-uri 'none'",
      "frame-ancestors 'none'",
    ].join('; '),
  };
}

function header(t: ConsoleText, lang: ConsoleLanguage): string {
  const other: ConsoleLanguage = lang === 'zh' ? 'en' : 'zh';
  const otherLang = consoleText[other].htmlLang;
  return `<header class="top">
  <div class="top-inner">
    <a class="brand" href="${escapeHtml(consoleHref(lang))}"><span class="site">${escapeHtml(t.siteName)}</span><span class="product">${escapeHtml(t.consoleName)}</span></a>
    <div class="top-right">
      <p class="who" id="who" hidden><span class="who-name" id="who-name"></span><span class="who-role" id="who-role"></span></p>
      <a class="top-button" id="lang-switch" href="${escapeHtml(consoleHref(other))}" hreflang="${escapeHtml(otherLang)}" lang="${escapeHtml(otherLang)}">${escapeHtml(t.switchLanguageLabel)}</a>
      <button type="button" class="top-button" id="sign-out" hidden>${escapeHtml(t.signOut)}</button>
    </div>
  </div>
</header>`;
}

function signInView(t: ConsoleText): string {
  // No `required`: the browser's bubble speaks the browser's language; the page's own message
  // appears in the alert instead.
  return `<section id="sign-in-view" class="sign-in" hidden>
  <form id="sign-in-form" class="card sign-in-card" novalidate>
    <h1 id="sign-in-heading" tabindex="-1">${escapeHtml(t.signInHeading)}</h1>
    <p class="muted">${escapeHtml(t.signInIntro)}</p>
    <p class="alert" id="sign-in-alert" role="alert" hidden></p>
    <div class="field">
      <label for="username">${escapeHtml(t.username)}</label>
      <input id="username" name="username" type="text" autocomplete="username" autocapitalize="none" spellcheck="false" maxlength="128">
    </div>
    <div class="field">
      <label for="password">${escapeHtml(t.password)}</label>
      <input id="password" name="password" type="password" autocomplete="current-password" maxlength="256">
    </div>
    <button type="submit" class="primary wide" id="sign-in-submit">${escapeHtml(t.signIn)}</button>
  </form>
</section>`;
}

const listKinds = ['queue', 'problems', 'transfers', 'return_visits'] as const;
const plannerTabs: readonly PlannerTab[] = ['risk', 'calendar', 'new_campaign'];

function tabs(t: ConsoleText): string {
  // Which tabs a role sees is decided once signed in (consoleSections); the planner's and the
  // outreach tasks' start hidden.
  const caseLinks = [...listKinds, 'stats' as const].map(
    (kind) => `<a class="tab" id="tab-${kind}" href="#/${kind}">${escapeHtml(t.nav[kind])}</a>`,
  );
  const hiddenLinks = [...plannerTabs, 'tasks' as const].map(
    (kind) => `<a class="tab" id="tab-${kind}" href="#/${kind}" hidden>${escapeHtml(t.nav[kind])}</a>`,
  );
  const assessmentLink = `<a class="tab" id="tab-assessment" href="#/assessment" hidden>${escapeHtml(t.assessment.tab)}</a>`;
  const registryLink = `<a class="tab" id="tab-registry" href="#/registry" hidden>${escapeHtml(t.registry.tab)}</a>`;
  const links = [...caseLinks, assessmentLink, registryLink, ...hiddenLinks].join('');
  // Search (GET /api/cases/search) for everyone with case lists; shown once signed in.
  const search = `<form class="tab-search" id="search-form" role="search" hidden>
    <label class="visually-hidden" for="search-q">${escapeHtml(t.search.label)}</label>
    <input id="search-q" name="q" type="search" maxlength="200" autocomplete="off" spellcheck="false" placeholder="${escapeHtml(t.search.placeholder)}">
    <button type="submit" class="secondary small" id="search-submit">${escapeHtml(t.search.submit)}</button>
  </form>`;
  return `<nav class="tabs" aria-label="${escapeHtml(t.consoleName)}"><div class="tabs-inner">${links}${search}</div></nav>`;
}

function listView(t: ConsoleText): string {
  const stageOptions = Stage.options
    .map((stage) => `<option value="${escapeHtml(stage)}">${escapeHtml(t.stages[stage])}</option>`)
    .join('');
  return `<section id="list-view" class="view" hidden>
  <div class="view-head">
    <h1 id="list-title" tabindex="-1"></h1>
    <p class="muted" id="list-intro"></p>
  </div>
  <form class="filters" id="filters" role="search">
    <fieldset class="segmented" id="filter-status">
      <legend class="visually-hidden">${escapeHtml(t.filterStatus)}</legend>
      <label><input type="radio" name="status" value="open" checked><span>${escapeHtml(t.statusOpen)}</span></label>
      <label><input type="radio" name="status" value="done"><span>${escapeHtml(t.statusDone)}</span></label>
    </fieldset>
    <label class="filter" for="filter-stage"><span>${escapeHtml(t.filterStage)}</span>
      <select id="filter-stage" name="stage"><option value="">${escapeHtml(t.allStages)}</option>${stageOptions}</select>
    </label>
    <label class="filter" id="filter-community-wrap" for="filter-community"><span>${escapeHtml(t.filterCommunity)}</span>
      <select id="filter-community" name="communityId"><option value="">${escapeHtml(t.allCommunities)}</option></select>
    </label>
    <label class="check" id="filter-overdue-wrap"><input type="checkbox" id="filter-overdue" name="overdue" value="true"><span>${escapeHtml(t.filterOverdue)}</span></label>
    <button type="button" class="secondary" id="refresh">${escapeHtml(t.refresh)}</button>
  </form>
  ${caseRows(t, 'list', 'more')}
</section>`;
}

/** Where a page of cases goes (a list's or the search's): its alert, its table, the count and "more". */
function caseRows(t: ConsoleText, prefix: 'list' | 'search', moreId: string): string {
  return `<p class="alert" id="${prefix}-alert" role="alert" hidden></p>
  <div id="${prefix}-body" class="card table-card"></div>
  <div class="list-foot">
    <span class="muted" id="${prefix}-count"></span>
    <button type="button" class="secondary" id="${moreId}" hidden>${escapeHtml(t.more)}</button>
  </div>`;
}

function searchView(t: ConsoleText): string {
  return `<section id="search-view" class="view" hidden>
  <div class="view-head">
    <h1 id="search-title" tabindex="-1"></h1>
    <p class="muted">${escapeHtml(t.search.intro)}</p>
  </div>
  ${caseRows(t, 'search', 'search-more')}
</section>`;
}

const chartIds = ['byStage', 'overdueByUnit', 'satisfactionByUnit', 'meanTime', 'topCommunities'] as const;

function statsView(t: ConsoleText): string {
  const kpi = (id: string, label: string, alarm = false) =>
    `<div class="kpi${alarm ? ' alarm' : ''}"><p class="kpi-label" id="kpi-${id}-label">${escapeHtml(label)}</p><p class="kpi-value" id="kpi-${id}">–</p><p class="kpi-note muted" id="kpi-${id}-note"></p></div>`;
  const card = (
    id: (typeof chartIds)[number],
  ) => `<section class="card chart-card${id === 'topCommunities' ? ' wide' : ''}" aria-labelledby="chart-${id}-title">
      <h2 id="chart-${id}-title">${escapeHtml(t.charts[id])}</h2>
      <div class="chart-box" id="chart-${id}-box"><canvas id="chart-${id}" role="img" aria-label="${escapeHtml(t.charts[id])}"></canvas></div>
      <p class="empty" id="chart-${id}-empty" hidden>${escapeHtml(t.noData)}</p>
    </section>`;
  return `<section id="stats-view" class="view" hidden>
  <div class="view-head">
    <h1 id="stats-title" tabindex="-1">${escapeHtml(t.statsHeading)}</h1>
    <p class="muted">${escapeHtml(t.statsIntro)}</p>
  </div>
  ${rangeForm(t, 'stats', true)}
  <p class="muted range-note" id="stats-range-note" aria-live="polite"></p>
  <p class="alert" id="stats-alert" role="alert" hidden></p>
  <div class="kpis">
    ${kpi('total', t.kpiTotal)}
    ${kpi('open', t.kpiOpen)}
    ${kpi('overdue', t.kpiOverdue, true)}
    ${kpi('satisfaction', t.kpiSatisfaction)}
  </div>
  <div class="charts">
    ${chartIds.map(card).join('\n    ')}
  </div>
  <section class="card" id="stats-categories" aria-labelledby="stats-categories-title">
    <h2 id="stats-categories-title">${escapeHtml(t.categories.heading)}</h2>
    <p class="muted" id="stats-categories-scoped" hidden>${escapeHtml(t.categories.scoped)}</p>
    <div class="split">
      <div class="table-scroll" id="stats-categories-table"></div>
      <div class="chart-box" id="chart-byCategory-box"><canvas id="chart-byCategory" role="img" aria-label="${escapeHtml(t.categories.chart)}"></canvas></div>
    </div>
  </section>
  <section class="card" id="stats-channels" aria-labelledby="stats-channels-title">
    <h2 id="stats-channels-title">${escapeHtml(t.channels.heading)}</h2>
    <p class="hint">${escapeHtml(t.channels.note)}</p>
    <div class="table-scroll" id="stats-channels-table"></div>
  </section>
  <section class="card" id="stats-times" aria-labelledby="stats-times-title">
    <h2 id="stats-times-title">${escapeHtml(t.stageTimes.heading)}</h2>
    <p class="muted" id="stats-times-scoped" hidden>${escapeHtml(t.stageTimes.scoped)}</p>
    <div class="table-scroll" id="stats-times-table"></div>
    <p class="hint">${escapeHtml(t.stageTimes.note)}</p>
  </section>
</section>`;
}

/**
 * A period: the presets as buttons, two date inputs and a submit; the statistics add "all time".
 * The browser app (date-range.ts) keeps it in the hash route.
 */
function rangeForm(t: ConsoleText, prefix: string, withAll: boolean): string {
  const presets = [...(withAll ? (['all'] as const) : []), ...rangePresets];
  const buttons = presets
    .map(
      (p) =>
        `<button type="button" class="secondary small" data-preset="${p}" aria-pressed="false">${escapeHtml(t.range.presets[p])}</button>`,
    )
    .join('');
  return `<form class="filters range" id="${prefix}-range" novalidate>
    <fieldset class="range-presets"><legend class="visually-hidden">${escapeHtml(t.range.legend)}</legend>${buttons}</fieldset>
    <label class="filter" for="${prefix}-from"><span>${escapeHtml(t.range.from)}</span><input type="date" id="${prefix}-from" name="from"></label>
    <label class="filter" for="${prefix}-to"><span>${escapeHtml(t.range.to)}</span><input type="date" id="${prefix}-to" name="to"></label>
    <button type="submit" class="secondary" id="${prefix}-range-apply">${escapeHtml(t.range.apply)}</button>
    <p class="error" id="${prefix}-range-error" role="alert" hidden></p>
  </form>`;
}
const rangePresets = ['thisMonth', 'lastMonth', 'last30', 'thisYear'] as const;

/** The grid registry (网格台账): each township's figures, one township's grids (browser/registry.ts). */
function registryView(t: ConsoleText): string {
  const r = t.registry;
  return `<section id="registry-view" class="view" hidden>
  <div class="view-head">
    <h1 id="registry-title" tabindex="-1">${escapeHtml(r.heading)}</h1>
    <p class="muted">${escapeHtml(r.intro)}</p>
  </div>
  <div class="filters" id="registry-filters" hidden>
    <label for="registry-township">${escapeHtml(r.township)}</label>
    <select id="registry-township"></select>
  </div>
  <p class="alert" id="registry-alert" role="alert" hidden></p>
  <div id="registry-townships"></div>
  <div id="registry-grids" aria-live="polite"></div>
</section>`;
}

/** The unit assessment (考核评价): level, period, the ranking, the trend chart, the definitions. */
function assessmentView(t: ConsoleText): string {
  const a = t.assessment;
  const levels = (['unit', 'township'] as const)
    .map(
      (level) =>
        `<label><input type="radio" name="assess-level" value="${level}"${level === 'unit' ? ' checked' : ''}><span>${escapeHtml(a.levels[level])}</span></label>`,
    )
    .join('');
  const measures = Object.entries(a.trendMeasures)
    .map(([value, label]) => `<option value="${escapeHtml(value)}">${escapeHtml(label)}</option>`)
    .join('');
  return `<section id="assessment-view" class="view" hidden>
  <div class="view-head">
    <h1 id="assessment-title" tabindex="-1">${escapeHtml(a.heading)}</h1>
    <p class="muted" id="assessment-intro">${escapeHtml(a.intro)}</p>
  </div>
  <div class="filters">
    <fieldset class="segmented" id="assess-level"><legend class="visually-hidden">${escapeHtml(a.level)}</legend>${levels}</fieldset>
    <button type="button" class="secondary" id="assess-export">${escapeHtml(a.export)}</button>
  </div>
  ${rangeForm(t, 'assess', false)}
  <p class="muted range-note" id="assess-range-note" aria-live="polite"></p>
  <p class="notice" id="assess-rank" role="status" hidden></p>
  <p class="alert" id="assess-alert" role="alert" hidden></p>
  <div id="assess-body" class="card table-card"></div>
  <section class="card chart-card" aria-labelledby="assess-trend-title">
    <h2 id="assess-trend-title">${escapeHtml(a.trendHeading)}</h2>
    <div class="filters">
      <p class="muted" id="assess-trend-intro">${escapeHtml(a.trendIntro)}</p>
      <label class="filter" for="assess-trend-measure"><span>${escapeHtml(a.trendMeasure)}</span><select id="assess-trend-measure">${measures}</select></label>
    </div>
    <div class="chart-box" id="chart-assessTrend-box"><canvas id="chart-assessTrend" role="img" aria-label="${escapeHtml(a.trendHeading)}"></canvas></div>
    <p class="empty" id="chart-assessTrend-empty" hidden></p>
  </section>
  <div class="two-up">
    <section class="card" aria-labelledby="assess-legend-title">
      <h2 id="assess-legend-title">${escapeHtml(a.legendHeading)}</h2>
      <dl class="facts legend" id="assess-legend"></dl>
    </section>
    <section class="card" aria-labelledby="assess-sla-title">
      <h2 id="assess-sla-title">${escapeHtml(a.slaHeading)}</h2>
      <p class="hint">${escapeHtml(a.slaIntro)}</p>
      <p id="assess-office-hours"></p>
      <div class="table-scroll" id="assess-sla"></div>
    </section>
  </div>
</section>`;
}

function riskView(t: ConsoleText): string {
  const p = t.planner;
  return `<section id="risk-view" class="view" hidden>
  <div class="view-head">
    <h1 id="risk-title" tabindex="-1">${escapeHtml(p.riskHeading)}</h1>
    <p class="muted">${escapeHtml(p.riskIntro)}</p>
  </div>
  <div class="filters">
    <label class="check"><input type="checkbox" id="risk-due-only"><span>${escapeHtml(p.dueOnly)}</span></label>
    <button type="button" class="secondary" id="risk-refresh">${escapeHtml(t.refresh)}</button>
    <span class="muted" id="risk-asof"></span>
  </div>
  <p class="alert" id="risk-alert" role="alert" hidden></p>
  <div id="risk-body" class="card table-card"></div>
</section>`;
}

function calendarView(t: ConsoleText): string {
  const p = t.planner;
  const statusOptions = Object.entries(p.statuses)
    .map(([value, label]) => `<option value="${escapeHtml(value)}">${escapeHtml(label)}</option>`)
    .join('');
  return `<section id="calendar-view" class="view" hidden>
  <div class="view-head">
    <h1 id="calendar-title" tabindex="-1">${escapeHtml(p.calendarHeading)}</h1>
    <p class="muted">${escapeHtml(p.calendarIntro)}</p>
  </div>
  <div class="cal-bar">
    <a class="secondary" id="cal-prev" href="#/calendar">‹ ${escapeHtml(p.prevMonth)}</a>
    <h2 id="cal-month" aria-live="polite"></h2>
    <a class="secondary" id="cal-next" href="#/calendar">${escapeHtml(p.nextMonth)} ›</a>
    <a class="secondary" id="cal-today" href="#/calendar">${escapeHtml(p.thisMonth)}</a>
    <label class="filter cal-status" for="cal-status"><span>${escapeHtml(p.campaignColumns.status)}</span>
      <select id="cal-status"><option value="">${escapeHtml(p.allStatuses)}</option>${statusOptions}</select>
    </label>
  </div>
  <p class="alert" id="calendar-alert" role="alert" hidden></p>
  <div class="card table-card cal-card"><table class="calendar" id="calendar-grid"><thead><tr></tr></thead><tbody></tbody></table></div>
  <p class="muted cal-empty" id="cal-empty" hidden></p>
  <h2 id="campaigns-title">${escapeHtml(p.campaignsHeading)}</h2>
  <div id="campaign-list" class="card table-card"></div>
</section>`;
}

function tasksView(t: ConsoleText): string {
  const k = t.tasks;
  return `<section id="tasks-view" class="view" hidden>
  <div class="view-head">
    <h1 id="tasks-title" tabindex="-1">${escapeHtml(k.heading)}</h1>
    <p class="muted">${escapeHtml(k.intro)}</p>
  </div>
  <div class="filters">
    <button type="button" class="secondary" id="tasks-refresh">${escapeHtml(t.refresh)}</button>
  </div>
  <p class="notice" id="tasks-notice" role="status" hidden></p>
  <p class="alert" id="tasks-alert" role="alert" hidden></p>
  <div id="tasks-body"></div>
</section>`;
}

/** One field of the campaign form: label, control, and the place for its error. */
function formField(
  t: ConsoleText,
  field: CampaignField,
  control: string,
  options: { hint?: string; group?: boolean; extraClass?: string } = {},
): string {
  const label = t.planner.fields[field];
  const id = `cf-${field}`;
  const head = options.group
    ? `<p class="label" id="${id}-label"><strong>${escapeHtml(label)}</strong></p>`
    : `<label for="${id}">${escapeHtml(label)}</label>`;
  const hint = options.hint ? `<p class="hint" id="${id}-hint">${escapeHtml(options.hint)}</p>` : '';
  return `<div class="field${options.extraClass ? ` ${options.extraClass}` : ''}" id="${id}-field" data-field="${field}">
      ${head}${hint}
      ${control}
      <p class="error" id="${id}-error" hidden></p>
    </div>`;
}

function campaignFormView(t: ConsoleText): string {
  const p = t.planner;
  const radios = (name: string, entries: [string, string][], checked: string) =>
    entries
      .map(
        ([value, label]) =>
          `<label><input type="radio" name="${name}" value="${escapeHtml(value)}"${value === checked ? ' checked' : ''}><span>${escapeHtml(label)}</span></label>`,
      )
      .join('');
  const described = (field: CampaignField, hint = false) =>
    `aria-describedby="${hint ? `cf-${field}-hint ` : ''}cf-${field}-error"`;
  const weekdayBoxes = Object.entries(p.weekdays)
    .map(
      ([value, label]) =>
        `<label><input type="checkbox" name="weekdays" value="${escapeHtml(value)}"><span>${escapeHtml(label)}</span></label>`,
    )
    .join('');
  const purposeOptions = Object.entries(p.groups.purposes)
    .map(([v, l]) => `<option value="${v}">${escapeHtml(l)}</option>`)
    .join('');
  const roleOptions = Object.entries(p.assigneeRoles)
    .map(([value, label]) => `<option value="${escapeHtml(value)}">${escapeHtml(label)}</option>`)
    .join('');
  // SMS-only facts hide for lectures and screenings, which reach households but send nothing.
  const fact = (id: string, label: string, smsOnly = false) => {
    const only = smsOnly ? ' class="sms-only"' : '';
    return `<dt${only}>${escapeHtml(label)}</dt><dd class="num${smsOnly ? ' sms-only' : ''}" id="${id}"></dd>`;
  };
  return `<section id="campaign-form-view" class="view" hidden>
  <a class="back" href="#/calendar">← ${escapeHtml(p.backToCalendar)}</a>
  <div class="view-head">
    <h1 id="cf-heading" tabindex="-1">${escapeHtml(p.newHeading)}</h1>
    <p class="muted">${escapeHtml(p.formIntro)}</p>
  </div>
  <p class="alert" id="cf-alert" role="alert" hidden></p>
  <div class="plan-grid">
  <form id="campaign-form" class="card plan-form" novalidate>
    ${formField(t, 'title', `<input id="cf-title" name="title" type="text" maxlength="60" autocomplete="off" ${described('title')}>`)}
    ${formField(
      t,
      'communities',
      `<div class="picker-bar">
        <input id="cf-community-search" type="search" placeholder="${escapeHtml(p.communitySearch)}" aria-label="${escapeHtml(p.communitySearch)}" autocomplete="off" data-no-preview>
        <button type="button" class="secondary small" id="cf-community-clear">${escapeHtml(p.clearSelection)}</button>
      </div>
      <p class="muted picked" id="cf-communities-picked" aria-live="polite"></p>
      <div class="picker" id="cf-communities" role="group" aria-labelledby="cf-communities-label" ${described('communities')}></div>`,
      { group: true },
    )}
    ${formField(t, 'firstRunAt', `<input id="cf-firstRunAt" name="firstRunAt" type="datetime-local" step="60" ${described('firstRunAt')}>`)}
    ${formField(
      t,
      'frequency',
      `<div class="segmented" id="cf-frequency" role="radiogroup" aria-labelledby="cf-frequency-label" ${described('frequency')}>${radios(
        'frequency',
        Object.entries(p.frequencies),
        'once',
      )}</div>`,
      { group: true },
    )}
    <div class="repeat-opts" id="cf-repeat" hidden>
      ${formField(
        t,
        'interval',
        `<div class="inline-input"><span>${escapeHtml(p.intervalPrefix)}</span><input id="cf-interval" name="interval" type="number" min="1" max="12" step="1" inputmode="numeric" value="1" ${described('interval')}><span id="cf-interval-unit">${escapeHtml(p.intervalUnits.weekly)}</span></div>`,
      )}
      ${formField(
        t,
        'weekdays',
        `<div class="checks" id="cf-weekdays" role="group" aria-labelledby="cf-weekdays-label" ${described('weekdays')}>${weekdayBoxes}</div>`,
        { group: true },
      )}
      ${formField(
        t,
        'monthDay',
        `<div class="radio-row" id="cf-monthDay" role="radiogroup" aria-labelledby="cf-monthDay-label" ${described('monthDay')}>${radios(
          'monthDay',
          Object.entries(p.monthDays),
          'same_day',
        )}</div>`,
        { group: true },
      )}
      <div class="field" data-field="end">
        <p class="label" id="cf-end-label"><strong>${escapeHtml(p.fields.count)} / ${escapeHtml(p.fields.until)}</strong></p>
        <div class="radio-row" id="cf-end" role="radiogroup" aria-labelledby="cf-end-label">${radios('end', Object.entries(p.ends), 'none')}</div>
        <div class="end-inputs">
          <div class="field" id="cf-count-field" data-field="count"><label for="cf-count">${escapeHtml(p.fields.count)}</label><input id="cf-count" name="count" type="number" min="1" max="104" step="1" inputmode="numeric" ${described('count')} disabled><p class="error" id="cf-count-error" hidden></p></div>
          <div class="field" id="cf-until-field" data-field="until"><label for="cf-until">${escapeHtml(p.fields.until)}</label><input id="cf-until" name="until" type="date" ${described('until')} disabled><p class="error" id="cf-until-error" hidden></p></div>
        </div>
      </div>
    </div>
    ${formField(
      t,
      'kind',
      `<div class="segmented" id="cf-kind" role="radiogroup" aria-labelledby="cf-kind-label" ${described('kind')}>${radios(
        'kind',
        Object.entries(p.kinds),
        'sms',
      )}</div>`,
      { group: true },
    )}
    <div id="cf-sms">
      ${formField(t, 'signature', `<input id="cf-signature" name="signature" type="text" maxlength="20" autocomplete="off" ${described('signature', true)}>`, { hint: p.signatureHint })}
      ${formField(t, 'body', `<textarea id="cf-body" name="body" rows="5" maxlength="400" ${described('body', true)}></textarea>`, { hint: p.bodyHint })}
    </div>
    <div id="cf-group" hidden>
      ${formField(t, 'purpose', `<select id="cf-purpose" name="purpose" ${described('purpose', true)}>${purposeOptions}</select>`, { hint: p.groups.purposeHint })}
      ${formField(t, 'groupText', `<textarea id="cf-groupText" name="groupText" rows="6" maxlength="4000" ${described('groupText', true)}></textarea>`, { hint: p.groups.textHint })}
    </div>
    <div id="cf-task" hidden>
      ${formField(t, 'venue', `<input id="cf-venue" name="venue" type="text" maxlength="80" autocomplete="off" ${described('venue')}>`)}
      ${formField(t, 'duration', `<input id="cf-duration" name="duration" type="number" min="5" max="480" step="5" inputmode="numeric" ${described('duration')}>`)}
      <p class="hint">${escapeHtml(p.assigneeHint)}</p>
      <div class="field-row">
        ${formField(t, 'assigneeRole', `<select id="cf-assigneeRole" name="assigneeRole" ${described('assigneeRole')}>${roleOptions}</select>`)}
        ${formField(t, 'assigneeName', `<input id="cf-assigneeName" name="assigneeName" type="text" maxlength="40" autocomplete="off" ${described('assigneeName')}>`)}
        ${formField(t, 'assigneePhone', `<input id="cf-assigneePhone" name="assigneePhone" type="tel" maxlength="20" autocomplete="off" ${described('assigneePhone')}>`)}
      </div>
    </div>
    <p class="alert" id="cf-form-error" role="alert" hidden></p>
    <div class="form-buttons">
      <button type="button" class="primary" id="cf-schedule">${escapeHtml(p.saveAndSchedule)}</button>
      <button type="button" class="secondary" id="cf-draft">${escapeHtml(p.saveDraft)}</button>
      <button type="button" class="primary" id="cf-save" hidden>${escapeHtml(p.saveChanges)}</button>
    </div>
  </form>
  <aside class="card preview" id="cf-preview" aria-labelledby="cf-preview-title">
    <h2 id="cf-preview-title">${escapeHtml(p.previewHeading)}</h2>
    <p class="muted" id="pv-status" role="status">${escapeHtml(p.previewIdle)}</p>
    <div id="pv-result" hidden>
      <div id="pv-sms" hidden>
        <h3>${escapeHtml(p.smsText)}</h3>
        <p class="sms-text" id="pv-text"></p>
      </div>
      <dl class="facts compact">
        ${fact('pv-characters', p.characters, true)}
        ${fact('pv-encoding', p.encoding, true)}
        ${fact('pv-parts', p.parts, true)}
        ${fact('pv-households', p.households)}
        ${fact('pv-estimate-source', p.estimateSource, true)}
        ${fact('pv-messages', p.estimatedMessages, true)}
        ${fact('pv-estimated-parts', p.estimatedParts, true)}
      </dl>
      <details class="estimate-breakdown sms-only" id="pv-estimate"><summary>${escapeHtml(p.estimateBreakdown)}</summary><ul id="pv-estimate-list"></ul></details>
      <div id="pv-groups" hidden>
        <p id="pv-groups-summary"></p>
        <details class="estimate-breakdown" id="pv-at-limit" hidden><summary id="pv-at-limit-title"></summary><ul id="pv-at-limit-list"></ul></details>
      </div>
      <div class="warnings" id="pv-warnings" hidden>
        <h3>${escapeHtml(p.warningsHeading)}</h3>
        <ul id="pv-warning-list"></ul>
      </div>
      <h3>${escapeHtml(p.upcoming)}</h3>
      <ol class="upcoming" id="pv-upcoming"></ol>
      <details class="rrule"><summary>${escapeHtml(p.rrule)}</summary><pre id="pv-rrule"></pre></details>
    </div>
  </aside>
  </div>
</section>`;
}

/** What the app needs from the server, handed over as JSON escaped for <script>. */
function consoleConfig(t: ConsoleText, lang: ConsoleLanguage): ConsoleConfig {
  return {
    t,
    lang,
    chartSrc: chartScriptUrl,
    stages: Stage.options,
    openStages,
    actionFields: actionFieldSpecs(),
    sections: consoleSections,
    assessment: assessmentAccess,
    registry: registryAccess,
    campaignFieldPaths,
    campaignGroupFields,
    campaignIssueRules,
    campaignWarningRules,
  };
}
