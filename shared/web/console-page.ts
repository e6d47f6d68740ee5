/**
 * The staff console at GET /console: one server-rendered HTML shell (no data in it, so it can be
 * public) with inline CSS and an inline vanilla-JS app that signs in through POST /api/session
 * and then works only through the staff API: the queue, the three lists (问题清单, 流转清单,
 * 回访清单), one case with the actions the server allows, and the statistics drawn with Chart.js;
 * and, for outreach staff and the county supervisor (admins read-only), the anti-fraud campaign
 * planner: the fraud-risk ranking, the campaign calendar, the campaign form with a live preview of
 * the SMS and its cost, and a campaign's runs, attendance and before/after effect; for grid
 * workers, beside their case lists, the outreach tasks: the lectures and screenings in their
 * community and the attendance to record after them.
 *
 * Everything the page runs is ours and same-origin: the app is inline and allowed by its SHA-256
 * hash in the Content-Security-Policy (not by 'unsafe-inline': the console shows residents'
 * phone numbers, so an injected script must not run), and Chart.js is served by
 * functions/console-assets.ts. The app builds every piece of data into the DOM with textContent,
 * never as markup. It targets the desk browsers county offices use (ES2017: async functions, no
 * optional chaining) and still works on a phone.
 */
import { createHash } from 'node:crypto';
// The version of the Chart.js build we serve names its URL, so a browser may cache it for a year
// and an upgrade still reaches everyone. A JSON import, because chart.js's `exports` map hides its
// package.json from require.resolve; esbuild inlines it into the Lambda bundle.
import chartPackage from '../../node_modules/chart.js/package.json' with { type: 'json' };
import { openStages, Stage } from '../domain/case.ts';
import { StaffAction } from '../domain/case-lifecycle.ts';
import type { Role } from '../domain/staff.ts';
import {
  type ActionField,
  type CampaignField,
  type CampaignIssueHint,
  type CampaignWarning,
  type ConsoleAction,
  type ConsoleLanguage,
  type ConsoleText,
  consoleText,
  type PlannerTab,
} from './console-text.ts';
import { escapeHtml, jsonForScript, pageOpening } from './html.ts';

export type { ConsoleLanguage } from './console-text.ts';

/** Where functions/console-assets.ts serves the Chart.js UMD build. */
export const CHART_ASSET_PATH = '/console/assets/chart.js';
export const chartJsVersion: string = chartPackage.version;
export const chartScriptUrl = `${CHART_ASSET_PATH}?v=${encodeURIComponent(chartJsVersion)}`;

export const consoleHref = (lang: ConsoleLanguage): string =>
  lang === 'en' ? '/console?lang=en' : '/console';

export interface ConsolePage {
  html: string;
  /** The page's own CSP: its inline script by hash, Chart.js from this origin, fetch to this origin. */
  contentSecurityPolicy: string;
}

export interface ActionFieldSpec {
  name: ActionField;
  required: boolean;
}

const actionFieldNames: readonly ActionField[] = ['note', 'unitId', 'into', 'outcome'];
const isActionField = (key: string): key is ActionField =>
  (actionFieldNames as readonly string[]).includes(key);

/**
 * The fields each staff action's form shows, read from the lifecycle's own schema, so the console
 * asks for exactly what `POST /api/cases/{id}/transitions` validates (a note the schema requires
 * is marked required; a new field cannot be forgotten here).
 */
export function actionFieldSpecs(): Record<ConsoleAction, ActionFieldSpec[]> {
  const specs: Partial<Record<ConsoleAction, ActionFieldSpec[]>> = {};
  for (const option of StaffAction.options) {
    const fields: ActionFieldSpec[] = [];
    for (const [key, schema] of Object.entries(option.shape)) {
      if (key === 'action') continue;
      if (!isActionField(key))
        throw new Error(
          `console: action ${option.shape.action.value} has a field ${key} the form cannot show`,
        );
      fields.push({ name: key, required: !schema.safeParse(undefined).success });
    }
    specs[option.shape.action.value] = fields;
  }
  return specs as Record<ConsoleAction, ActionFieldSpec[]>;
}

/**
 * What each role's console shows: the case tabs (lists, statistics) for everyone with case
 * access, the campaign planner for those who may see campaigns — 'plan' to create, schedule and
 * cancel, 'view' to look only — and the outreach tasks tab for those whose tasks are their own
 * community's (grid workers). This mirrors campaign-lifecycle.ts (mayPlanCampaigns,
 * mayViewCampaigns, taskCommunityOf) and the case API's refusal of outreach staff, which the unit
 * tests hold it to; importing those here would bundle rrule into this page's function.
 */
export interface ConsoleSections {
  cases: boolean;
  planner: 'plan' | 'view' | 'none';
  tasks: boolean;
}
export const consoleSections = {
  unit_handler: { cases: true, planner: 'none', tasks: false },
  centre_dispatcher: { cases: true, planner: 'none', tasks: false },
  grid_worker: { cases: true, planner: 'none', tasks: true },
  county_supervisor: { cases: true, planner: 'plan', tasks: false },
  admin: { cases: true, planner: 'view', tasks: false },
  outreach_staff: { cases: false, planner: 'plan', tasks: false },
} as const satisfies Record<Role, ConsoleSections>;

/**
 * Where each campaign-form field sits in the body of POST /api/campaigns (CampaignPlan), so a
 * server issue (`issues[].path`) is shown next to its field. A path names its field when it is
 * the field's path or lies under it (`communityIds.2`, `recurrence.weekdays.0`).
 */
export const campaignFieldPaths: Readonly<Record<CampaignField, string>> = {
  title: 'title',
  communities: 'communityIds',
  firstRunAt: 'firstRunAt',
  frequency: 'recurrence.frequency',
  interval: 'recurrence.interval',
  weekdays: 'recurrence.weekdays',
  monthDay: 'recurrence.monthDay',
  count: 'recurrence.count',
  until: 'recurrence.until',
  kind: 'channel.kind',
  signature: 'channel.signature',
  body: 'channel.body',
  venue: 'channel.venue',
  duration: 'channel.durationMinutes',
  assigneeRole: 'channel.assignee.role',
  assigneeName: 'channel.assignee.name',
  assigneePhone: 'channel.assignee.phone',
};

/** Issues about a whole group (it is missing altogether) are shown at the group's first field. */
export const campaignGroupFields: Readonly<Record<string, CampaignField>> = {
  recurrence: 'frequency',
  channel: 'kind',
  'channel.assignee': 'assigneeName',
};

/** The form field a server issue's path belongs to; undefined for the body as a whole. */
export function campaignFieldOf(path: string): CampaignField | undefined {
  const group = campaignGroupFields[path];
  if (group) return group;
  let found: CampaignField | undefined;
  let length = -1;
  for (const [field, fieldPath] of Object.entries(campaignFieldPaths)) {
    if (!isCampaignField(field)) continue;
    if ((path === fieldPath || path.startsWith(`${fieldPath}.`)) && fieldPath.length > length) {
      found = field;
      length = fieldPath.length;
    }
  }
  return found;
}
const isCampaignField = (key: string): key is CampaignField => Object.hasOwn(campaignFieldPaths, key);

/** The precise wording for an issue on a field, when the rule it breaks is one the page knows. */
export const campaignIssueHintOf = (field: CampaignField, message: string): CampaignIssueHint | undefined =>
  campaignIssueRules.find((rule) => rule.field === field && message.includes(rule.contains))?.hint;

/** The page's own wording for a preview warning, when it recognises it. */
export const campaignWarningOf = (warning: string): CampaignWarning | undefined =>
  campaignWarningRules.find((rule) => warning.includes(rule.contains))?.warning;

export interface CampaignIssueRule {
  field: CampaignField;
  /** A phrase of the domain's own (English) message that identifies the rule broken. */
  contains: string;
  hint: CampaignIssueHint;
}

/**
 * Server issues the form words more precisely than its field's general rule: the domain's
 * messages are English, the console speaks the user's language, so the page recognises which rule
 * a message is about (the unit tests feed the real schemas and lifecycle through these).
 */
export const campaignIssueRules: readonly CampaignIssueRule[] = [
  { field: 'body', contains: '12381', hint: 'antiFraudNumber' },
  { field: 'signature', contains: '12381', hint: 'antiFraudNumber' },
  { field: 'body', contains: 'links', hint: 'link' },
  { field: 'body', contains: 'opt-out', hint: 'optOut' },
  { field: 'body', contains: '【】', hint: 'brackets' },
  { field: 'signature', contains: '【】', hint: 'brackets' },
  { field: 'firstRunAt', contains: 'quiet hours', hint: 'quietHours' },
  { field: 'firstRunAt', contains: 'in the past', hint: 'pastFirstRun' },
  { field: 'firstRunAt', contains: 'no occurrence is left', hint: 'noOccurrenceLeft' },
  { field: 'weekdays', contains: 'include the weekday', hint: 'weekdayMismatch' },
  { field: 'firstRunAt', contains: 'last day of a month', hint: 'lastDayMismatch' },
  { field: 'count', contains: 'not both', hint: 'countAndUntil' },
];

export interface CampaignWarningRule {
  /** A phrase of the preview's own (English) warning. */
  contains: string;
  warning: CampaignWarning;
}

/** Preview warnings (POST /api/campaign-previews) the page words itself; a number in them is the day. */
export const campaignWarningRules: readonly CampaignWarningRule[] = [
  { contains: 'months without a day', warning: 'skippedMonths' },
  { contains: 'no occurrence is left', warning: 'noOccurrence' },
];

export interface ConsolePageInput {
  lang: ConsoleLanguage;
  /** The wording; the language's dictionary unless given (tests pass hostile strings here). */
  text?: ConsoleText;
}

export function renderConsolePage(input: ConsolePageInput): ConsolePage {
  const t = input.text ?? consoleText[input.lang];
  const script = appScript(t, input.lang);
  const scriptHash = createHash('sha256').update(script, 'utf8').digest('base64');
  const html = `${pageOpening({ lang: t.htmlLang, title: t.pageTitle, styles: STYLES, noindex: true })}
${header(t, input.lang)}
<noscript><div class="content"><p class="alert">${escapeHtml(t.noScript)}</p></div></noscript>
<main id="main">
${signInView(t)}
<div id="app" hidden>
${tabs(t)}
<div class="content">
${listView(t)}
<section id="case-view" class="view" aria-live="polite" hidden></section>
${statsView(t)}
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
      "connect-src 'self'",
      "img-src 'self' data:",
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
  const links = [...caseLinks, ...hiddenLinks].join('');
  return `<nav class="tabs" aria-label="${escapeHtml(t.consoleName)}"><div class="tabs-inner">${links}</div></nav>`;
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
  <p class="alert" id="list-alert" role="alert" hidden></p>
  <div id="list-body" class="card table-card"></div>
  <div class="list-foot">
    <span class="muted" id="list-count"></span>
    <button type="button" class="secondary" id="more" hidden>${escapeHtml(t.more)}</button>
  </div>
</section>`;
}

const chartIds = ['byStage', 'overdueByUnit', 'satisfactionByUnit', 'meanTime', 'topCommunities'] as const;

function statsView(t: ConsoleText): string {
  const kpi = (id: string, label: string, alarm = false) =>
    `<div class="kpi${alarm ? ' alarm' : ''}"><p class="kpi-label">${escapeHtml(label)}</p><p class="kpi-value" id="kpi-${id}">–</p><p class="kpi-note muted" id="kpi-${id}-note"></p></div>`;
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
        ${fact('pv-messages', p.estimatedMessages, true)}
        ${fact('pv-estimated-parts', p.estimatedParts, true)}
      </dl>
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

/** The app and what it needs from the server, handed over as JSON escaped for <script>. */
function appScript(t: ConsoleText, lang: ConsoleLanguage): string {
  const config = {
    t,
    lang,
    chartSrc: chartScriptUrl,
    stages: Stage.options,
    openStages,
    actionFields: actionFieldSpecs(),
    sections: consoleSections,
    campaignFieldPaths,
    campaignGroupFields,
    campaignIssueRules,
    campaignWarningRules,
  };
  return `(${APP})(${jsonForScript(config)});`;
}

// Desk first (dense tables, 15px), but one column and 16px inputs below 760px so it works on a
// grid worker's phone. Colours keep 4.5:1 contrast; the brand blue matches the resident page.
const FONT =
  'system-ui,-apple-system,"PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC","Noto Sans SC","Source Han Sans SC",sans-serif';
const MONO = 'ui-monospace,"SF Mono",Menlo,Consolas,"Liberation Mono","DejaVu Sans Mono",monospace';
const STYLES = `
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;background:#f0f2f5;color:#1f2933;font-family:${FONT};font-size:15px;line-height:1.55}
[hidden]{display:none!important}
a{color:#0b4f9c}
h1{font-size:1.45rem;line-height:1.3;margin:0 0 4px;font-weight:700}
h2{font-size:1.05rem;line-height:1.4;margin:0 0 12px;font-weight:700}
h3{font-size:1rem;margin:0 0 6px}
p{margin:0 0 10px}
.muted{color:#52606d}
.visually-hidden{position:absolute!important;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
:focus-visible{outline:3px solid #f0b400;outline-offset:2px}
h1:focus{outline:none}
.top{background:#0b3d78;color:#fff}
.top-inner{max-width:1320px;margin:0 auto;padding:0 24px;min-height:56px;display:flex;align-items:center;justify-content:space-between;gap:16px}
.brand{display:flex;align-items:baseline;gap:12px;color:#fff;text-decoration:none;min-width:0}
.site{font-weight:700;font-size:1.05rem;white-space:nowrap}
.product{color:#c9d8ec;font-size:.95rem;padding-left:12px;border-left:1px solid #5b7fab;white-space:nowrap}
.top-right{display:flex;align-items:center;gap:10px;min-width:0}
.who{margin:0;display:flex;flex-direction:column;align-items:flex-end;line-height:1.25;min-width:0}
.who-name{font-weight:700;white-space:nowrap;overflow:hidden;text-overflow:ellipsis;max-width:22em}
.who-role{color:#c9d8ec;font-size:.82rem;white-space:nowrap;overflow:hidden;text-overflow:ellipsis;max-width:28em}
.top-button{display:inline-flex;align-items:center;min-height:34px;padding:4px 12px;color:#fff;background:transparent;border:1px solid #7b9cc4;border-radius:6px;font:inherit;font-size:.9rem;text-decoration:none;cursor:pointer;white-space:nowrap}
.top-button:hover{background:#164c8c}
.tabs{background:#fff;border-bottom:1px solid #d8dde3;position:sticky;top:0;z-index:5}
.tabs-inner{max-width:1320px;margin:0 auto;padding:0 16px;display:flex;gap:4px;overflow-x:auto;scrollbar-width:none}
.tab{display:inline-flex;align-items:center;min-height:46px;padding:0 14px;color:#3e4c59;text-decoration:none;font-weight:600;border-bottom:3px solid transparent;white-space:nowrap}
.tab:hover{color:#0b4f9c}
.tab[aria-current="page"]{color:#0b4f9c;border-bottom-color:#0b4f9c}
.content{max-width:1320px;margin:0 auto;padding:20px 24px 48px}
.view-head{margin:0 0 14px}
.card{background:#fff;border:1px solid #dde2e8;border-radius:8px;padding:18px 20px;margin:0 0 16px}
.alert{background:#fdecea;border:1px solid #f1b8b3;border-left:5px solid #b3261e;color:#7a1712;padding:10px 14px;border-radius:6px;font-weight:600;margin:0 0 14px}
.notice{background:#e8f4ec;border:1px solid #b5d9c1;border-left:5px solid #1b6e3a;color:#124d28;padding:10px 14px;border-radius:6px;font-weight:600;margin:0 0 14px}
.alert-detail{display:block;font-weight:400;font-size:.88rem;margin-top:4px}
.empty{color:#52606d;text-align:center;padding:28px 12px;margin:0}
button{font:inherit;cursor:pointer}
button:disabled{cursor:progress;opacity:.65}
.primary,.secondary,.caution{display:inline-flex;align-items:center;justify-content:center;min-height:38px;padding:6px 16px;border-radius:6px;font-weight:600;border:1px solid;white-space:nowrap}
.primary{background:#0b4f9c;border-color:#0b4f9c;color:#fff}
.primary:hover{background:#093f7c}
.secondary{background:#fff;border-color:#9aa5b1;color:#1f2933}
.secondary:hover{background:#f3f6f9}
.caution{background:#fff;border-color:#c2410c;color:#9a3412}
.caution:hover{background:#fff4ed}
.wide{width:100%}
.sign-in{display:flex;justify-content:center;padding:48px 16px}
.sign-in-card{width:100%;max-width:420px;padding:28px 28px 20px}
.sign-in-card h1{margin-bottom:8px}
.field{margin:0 0 16px}
label{font-weight:600}
.field>label{display:block;margin:0 0 4px}
input[type=text],input[type=password],input[type=search],input[type=number],input[type=date],input[type=datetime-local],input[type=tel],select,textarea{font:inherit;color:#1f2933;background:#fff;border:1px solid #9aa5b1;border-radius:6px;padding:7px 10px;min-height:38px;width:100%}
textarea{resize:vertical;min-height:6em}
input:focus,select:focus,textarea:focus{border-color:#0b4f9c;outline:2px solid #9cc0ea;outline-offset:0}
.filters{display:flex;flex-wrap:wrap;align-items:flex-end;gap:10px 14px;margin:0 0 14px}
.filter{display:flex;flex-direction:column;gap:2px;font-size:.85rem;color:#52606d}
.filter select{min-width:11em;width:auto;font-size:.95rem;color:#1f2933}
.check{display:inline-flex;align-items:center;gap:6px;min-height:38px;font-weight:600}
.check input{width:18px;height:18px;margin:0}
.segmented{display:inline-flex;border:1px solid #9aa5b1;border-radius:6px;overflow:hidden;padding:0;margin:0}
.segmented label{display:block;font-weight:600}
.segmented input{position:absolute;opacity:0;width:1px;height:1px}
.segmented span{display:inline-flex;align-items:center;min-height:36px;padding:0 14px;background:#fff;color:#3e4c59;cursor:pointer}
.segmented label+label span{border-left:1px solid #9aa5b1}
.segmented input:checked+span{background:#0b4f9c;color:#fff}
.segmented input:focus-visible+span{outline:3px solid #f0b400;outline-offset:-3px}
.table-card{padding:0;overflow:hidden}
table.cases{width:100%;border-collapse:collapse}
.cases th,.cases td{text-align:left;padding:10px 14px;border-bottom:1px solid #e6e9ed;vertical-align:middle}
.cases thead th{background:#f7f8fa;color:#52606d;font-size:.82rem;font-weight:600;white-space:nowrap}
.cases tbody tr.row{cursor:pointer}
.cases tbody tr.row:hover{background:#f3f7fc}
.cases tbody tr.row.is-overdue{box-shadow:inset 4px 0 0 #b3261e}
.cases tr:last-child td{border-bottom:0}
.cases .group-head th{background:#eef3f9;color:#1f2933;font-size:.95rem;border-top:1px solid #d8dde3}
.group-sub{color:#52606d;font-weight:400;margin-left:8px}
.group-count{float:right;color:#0b4f9c}
.code a,.code{font-family:${MONO};font-weight:700;letter-spacing:.02em;text-decoration:none;white-space:nowrap}
.code a:hover{text-decoration:underline}
.nowrap{white-space:nowrap}
.num{font-variant-numeric:tabular-nums}
.list-foot{display:flex;align-items:center;justify-content:space-between;gap:12px;margin:-4px 0 0}
.badge{display:inline-block;padding:1px 9px;border-radius:999px;font-size:.82rem;font-weight:600;line-height:1.6;white-space:nowrap;background:#eef1f4;color:#3e4c59}
.badge.danger{background:#b3261e;color:#fff}
.badge.warn{background:#fff1d6;color:#7a4b00}
.badge.ok{background:#e3f2e8;color:#155d31}
.badge.plain{background:#eef1f4;color:#3e4c59}
.stage-received,.stage-registered{background:#eceff3;color:#3e4c59}
.stage-dispatched{background:#e1ecfa;color:#0b4f9c}
.stage-in_progress{background:#e4e7fb;color:#3730a3}
.stage-resolved{background:#fff1d6;color:#7a4b00}
.stage-verified{background:#dcf3f1;color:#0f5e58}
.stage-closed,.stage-evaluated{background:#e3f2e8;color:#155d31}
.stage-merged{background:#eceff3;color:#616e7c}
.case-head{display:flex;flex-wrap:wrap;align-items:center;gap:8px 12px;margin:0 0 6px}
.case-head h1{margin:0}
.case-head h1 .code{font-size:1.3rem}
.back{display:inline-block;margin:0 0 10px;text-decoration:none;font-weight:600}
.back:hover{text-decoration:underline}
.loop{display:flex;list-style:none;margin:10px 0 18px;padding:0;counter-reset:loop;overflow-x:auto}
.loop li{flex:1 1 0;min-width:92px;position:relative;padding:26px 4px 0;text-align:center;font-size:.82rem;color:#7b8794}
.loop li::before{counter-increment:loop;content:counter(loop);position:absolute;top:0;left:50%;transform:translateX(-50%);width:22px;height:22px;border-radius:50%;background:#fff;border:2px solid #c2c9d1;color:#7b8794;font-size:.75rem;line-height:18px;font-weight:700;z-index:1}
.loop li::after{content:"";position:absolute;top:10px;left:calc(-50% + 11px);right:calc(50% + 11px);height:2px;background:#c2c9d1}
.loop li:first-child::after{display:none}
.loop li.done{color:#155d31}
.loop li.done::before{content:"✓";background:#1b6e3a;border-color:#1b6e3a;color:#fff}
.loop li.done::after,.loop li.current::after{background:#1b6e3a}
.loop li.current{color:#0b4f9c;font-weight:700}
.loop li.current::before{background:#0b4f9c;border-color:#0b4f9c;color:#fff}
.case-grid{display:grid;grid-template-columns:minmax(0,1fr) minmax(300px,380px);grid-template-areas:"report actions" "info actions" "timeline dups" "timeline ." ;gap:0 18px;align-items:start}
.area-report{grid-area:report}
.area-info{grid-area:info}
.area-timeline{grid-area:timeline}
.area-actions{grid-area:actions;position:sticky;top:60px}
.area-dups{grid-area:dups}
.description{white-space:pre-wrap;overflow-wrap:anywhere;font-size:1rem;background:#f7f8fa;border-radius:6px;padding:12px 14px;margin:0 0 14px}
dl.facts{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:8px 18px;margin:0}
dl.facts dt{color:#52606d}
dl.facts dd{margin:0;overflow-wrap:anywhere}
.phone{font-family:${MONO};font-weight:700;font-size:1.05rem}
.phone-note{display:block;color:#7a4b00;font-size:.82rem}
.timeline{list-style:none;margin:0;padding:0}
.timeline li{position:relative;padding:0 0 16px 22px;border-left:2px solid #d8dde3;margin-left:6px}
.timeline li:last-child{border-left-color:transparent;padding-bottom:0}
.timeline li::before{content:"";position:absolute;left:-7px;top:4px;width:12px;height:12px;border-radius:50%;background:#0b4f9c;border:2px solid #fff;box-shadow:0 0 0 1px #0b4f9c}
.tl-head{display:flex;flex-wrap:wrap;align-items:center;gap:6px 10px}
.tl-head strong{font-size:.98rem}
.tl-meta{color:#52606d;font-size:.85rem;margin:2px 0 0}
.tl-note{margin:6px 0 0;padding:8px 12px;background:#f7f8fa;border-left:3px solid #c2c9d1;border-radius:0 4px 4px 0;white-space:pre-wrap;overflow-wrap:anywhere}
.action-buttons{display:flex;flex-wrap:wrap;gap:8px;margin:0 0 4px}
.action-buttons button[aria-expanded="true"]{box-shadow:0 0 0 2px #f0b400}
.action-form{border-top:1px solid #e6e9ed;margin-top:14px;padding-top:14px}
.action-form .hint{color:#52606d;font-size:.88rem}
.required{color:#b3261e;font-weight:400;font-size:.85rem;margin-left:4px}
.optional{color:#52606d;font-weight:400;font-size:.85rem;margin-left:4px}
.error{color:#b3261e;font-weight:600;font-size:.88rem;margin:4px 0 0}
.has-error input,.has-error select,.has-error textarea{border-color:#b3261e;border-width:2px}
.radio-row{display:flex;flex-wrap:wrap;gap:6px 18px;margin-top:4px}
.radio-row label{display:inline-flex;align-items:center;gap:6px;font-weight:400}
.form-buttons{display:flex;gap:8px;flex-wrap:wrap;margin-top:4px}
.dups{list-style:none;margin:0;padding:0}
.dups li{padding:6px 0;border-bottom:1px solid #eef0f3}
.dups li:last-child{border-bottom:0}
.kpis{display:grid;grid-template-columns:repeat(4,minmax(0,1fr));gap:14px;margin:0 0 16px}
.kpi{background:#fff;border:1px solid #dde2e8;border-radius:8px;padding:14px 18px;border-top:3px solid #0b4f9c}
.kpi.alarm{border-top-color:#b3261e}
.kpi-label{color:#52606d;font-size:.88rem;margin:0}
.kpi-value{font-size:1.9rem;font-weight:700;margin:2px 0 0;font-variant-numeric:tabular-nums;line-height:1.25}
.kpi-note{font-size:.82rem;margin:0;min-height:1.2em}
.charts{display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:0 16px}
.chart-card.wide{grid-column:1/-1}
.chart-card{display:flex;flex-direction:column}
.chart-card .empty{flex:1;display:flex;align-items:center;justify-content:center;min-height:120px}
.chart-box{position:relative;height:280px}
.small{min-height:30px;padding:2px 10px;font-size:.85rem}
a.primary,a.secondary,a.caution{text-decoration:none}
.hint{color:#52606d;font-size:.88rem;margin:0 0 6px}
p.label{margin:0 0 4px}
.risk .community{font-weight:600}
.risk tbody tr.is-due{box-shadow:inset 4px 0 0 #b3261e}
.advice{display:flex;flex-wrap:wrap;align-items:center;gap:4px 8px}
.reason{font-size:.85rem}
.trend{white-space:nowrap;font-weight:600}
.trend .arrow{font-size:1.05rem}
.trend-rising,.trend-new{color:#b3261e}
.trend-falling{color:#1b6e3a}
.trend-steady{color:#52606d}
.cal-bar{display:flex;flex-wrap:wrap;align-items:center;gap:8px 10px;margin:0 0 12px}
.cal-bar h2{margin:0 6px;min-width:8em;text-align:center}
.cal-status{margin-left:auto}
.cal-card{margin-bottom:6px}
table.calendar{width:100%;border-collapse:collapse;table-layout:fixed}
.calendar th{background:#f7f8fa;color:#52606d;font-size:.82rem;font-weight:600;padding:6px 8px;text-align:left;border-bottom:1px solid #e6e9ed}
.calendar td{vertical-align:top;height:96px;padding:4px 5px;border:1px solid #eef0f3}
.calendar td.other-month{background:#fafbfc}
.calendar td.other-month .cal-date{color:#9aa5b1}
.cal-date{display:inline-block;font-weight:700;font-size:.85rem;font-variant-numeric:tabular-nums;margin:0 0 3px;padding:0 6px;border-radius:999px}
.calendar td.today .cal-date{background:#0b4f9c;color:#fff}
.cal-empty{margin:0 0 16px}
.chips{list-style:none;margin:0;padding:0;display:flex;flex-direction:column;gap:3px}
.chip{display:block;padding:2px 6px;border-radius:4px;font-size:.8rem;line-height:1.4;text-decoration:none;color:#1f2933;background:#e1ecfa;border-left:4px solid #0b4f9c;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.chip:hover{text-decoration:underline}
.chip-kind{font-weight:700}
.chip-time{font-variant-numeric:tabular-nums;color:#3e4c59}
.chip.cs-running{background:#e4e7fb;border-left-color:#4f46e5}
.chip.cs-completed{background:#e3f2e8;border-left-color:#1b6e3a}
.chip.cs-cancelled,.chip.cs-draft{background:#eceff3;border-left-color:#9aa5b1}
.badge.cs-draft{background:#eceff3;color:#3e4c59}
.badge.cs-scheduled{background:#e1ecfa;color:#0b4f9c}
.badge.cs-running{background:#e4e7fb;color:#3730a3}
.badge.cs-completed{background:#e3f2e8;color:#155d31}
.badge.cs-cancelled{background:#fdecea;color:#7a1712}
.badge.rs-planning,.badge.rs-sending{background:#e1ecfa;color:#0b4f9c}
.badge.rs-awaiting_attendance{background:#fff1d6;color:#7a4b00}
.badge.rs-completed{background:#e3f2e8;color:#155d31}
.badge.rs-cancelled{background:#eceff3;color:#616e7c}
.plan-grid{display:grid;grid-template-columns:minmax(0,1fr) minmax(300px,400px);gap:0 18px;align-items:start}
.preview{position:sticky;top:60px}
.picker-bar{display:flex;gap:8px;align-items:center}
.picker{max-height:300px;overflow:auto;border:1px solid #d8dde3;border-radius:6px;padding:6px 10px;margin-top:6px;background:#fbfcfd}
.has-error .picker{border-color:#b3261e;border-width:2px}
.pick-group{border:0;margin:0 0 6px;padding:0;min-width:0}
.pick-group legend{padding:4px 0;font-size:.92rem}
.pick-group legend label,.pick{display:inline-flex;align-items:center;gap:6px}
.pick-items{display:grid;grid-template-columns:repeat(auto-fill,minmax(9em,1fr));gap:0 10px;padding-left:22px}
.pick{font-weight:400;min-height:30px}
.pick input,.pick-group legend input,.checks input{width:17px;height:17px;margin:0}
.picked{font-size:.88rem;margin:6px 0 0}
.checks{display:flex;flex-wrap:wrap;gap:6px}
.checks label{display:inline-flex;align-items:center;gap:5px;font-weight:400;border:1px solid #c2c9d1;border-radius:6px;padding:4px 10px}
.inline-input{display:flex;align-items:center;gap:8px}
.inline-input input{width:6em}
.repeat-opts{border-left:3px solid #e1ecfa;padding-left:14px;margin:0 0 16px}
.end-inputs{display:flex;gap:14px;flex-wrap:wrap;margin-top:8px}
.end-inputs .field{margin:0}
.end-inputs input{width:12em}
.field-row{display:grid;grid-template-columns:repeat(3,minmax(0,1fr));gap:0 12px}
.sms-text{background:#eef6ee;border:1px solid #cfe3cf;border-radius:12px 12px 12px 2px;padding:10px 14px;white-space:pre-wrap;overflow-wrap:anywhere;font-size:1rem}
dl.facts.compact{gap:4px 14px;margin:0 0 12px}
.upcoming{margin:0 0 12px;padding-left:1.6em}
.upcoming li{font-variant-numeric:tabular-nums}
.warnings{background:#fff8e6;border:1px solid #f0d9a6;border-left:5px solid #c27c0e;border-radius:6px;padding:8px 12px;margin:0 0 12px}
.warnings h3{margin:0 0 4px;font-size:.92rem}
.warnings ul{margin:0;padding-left:1.2em}
.rrule summary{cursor:pointer;color:#52606d;font-size:.88rem}
.rrule pre{font-family:${MONO};font-size:.8rem;white-space:pre-wrap;overflow-wrap:anywhere;background:#f7f8fa;padding:8px;border-radius:4px;margin:6px 0 0}
.campaign-grid{display:grid;grid-template-columns:minmax(0,1fr) minmax(280px,360px);grid-template-areas:"facts actions" "runs runs";gap:0 18px;align-items:start}
.area-facts{grid-area:facts}
.area-runs{grid-area:runs}
.confirm{border-top:1px solid #e6e9ed;margin-top:14px;padding-top:12px}
.table-scroll{overflow-x:auto}
.inline-field{display:flex;align-items:center;gap:10px;margin:0 0 8px}
.inline-field label{min-width:8em}
.inline-field input{width:8em}
.task{border-top:1px solid #e6e9ed;padding-top:12px;margin-top:12px}
.task:first-of-type{border-top:0;padding-top:0;margin-top:0}
.task .case-head h3{margin:0}
.effect-grid{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1.3fr);gap:18px;align-items:start}
.effect-kpi{margin-top:12px;border-top-color:#c27c0e}
.effect-kpi.good{border-top-color:#1b6e3a}
table.effect th[scope=row]{font-weight:600}
@media (max-width:1000px){
.plan-grid,.effect-grid{grid-template-columns:minmax(0,1fr)}
.preview{position:static}
.campaign-grid{grid-template-columns:minmax(0,1fr);grid-template-areas:"actions" "facts" "runs"}
.case-grid{grid-template-columns:minmax(0,1fr);grid-template-areas:"actions" "report" "info" "timeline" "dups"}
.area-actions{position:static}
.charts{grid-template-columns:minmax(0,1fr)}
.kpis{grid-template-columns:repeat(2,minmax(0,1fr))}
}
@media (max-width:760px){
body{font-size:16px}
.top-inner{padding:6px 12px;flex-wrap:wrap;gap:6px 10px}
.product{display:none}
.who{align-items:flex-start}
.content{padding:14px 12px 40px}
.card{padding:14px}
.filter select{min-width:0;width:100%}
.filters .filter{flex:1 1 45%}
.cases thead{display:none}
.cases,.cases tbody,.cases tr,.cases td,.cases th{display:block;width:100%}
.cases tbody tr.row{padding:10px 14px;border-bottom:1px solid #e6e9ed}
.cases td{border:0;padding:2px 0;display:flex;gap:10px}
.cases td::before{content:attr(data-label);flex:0 0 6.5em;color:#52606d;font-size:.85rem}
.cases tbody tr.row.is-overdue{box-shadow:inset 4px 0 0 #b3261e}
.primary,.secondary,.caution{min-height:44px}
.field-row{grid-template-columns:minmax(0,1fr)}
.calendar td{height:64px;padding:2px}
.chip-time,.chip-title{display:none}
.cal-status{margin-left:0}
.loop li{min-width:52px;font-size:.72rem;padding-top:24px}
dl.facts{grid-template-columns:minmax(0,1fr)}
dl.facts dd{margin-bottom:6px}
}
`;

/**
 * The app. A hash router (#/queue, #/problems, #/transfers, #/return_visits, #/stats,
 * #/case/<code>; the planner's #/risk, #/calendar/<YYYY-MM>, #/new_campaign/<communityId>,
 * #/campaign/<id> and #/campaign/<id>/edit; a grid worker's #/tasks) so the browser's back button
 * and copied links work;
 * which of them a role reaches follows C.sections. The session token lives in
 * sessionStorage so it dies with the tab. Every response is checked for 401 (→ sign-in again);
 * a navigation counter drops answers that arrive after the user moved on.
 */
const APP = `function (C) {
  'use strict';
  var T = C.t, LANG = C.lang;
  var SESSION_KEY = 'civicloop.console.session';
  var LIST_KINDS = ['queue', 'problems', 'transfers', 'return_visits'];
  var PLANNER_TABS = ['risk', 'calendar', 'new_campaign'];
  var ALL_TABS = LIST_KINDS.concat(['stats'], PLANNER_TABS, ['tasks']);
  var $ = function (id) { return document.getElementById(id); };
  var session = null, catalogLoad = null, chartLoad = null, navSeq = 0;
  var names = { category: {}, community: {}, communityTownship: {}, township: {}, unit: {} };
  var units = [], townships = [];
  var listState = {}, list = { kind: 'queue', rows: [], cursor: null };
  var charts = {};
  var FMT_LOCALE = LANG === 'zh' ? 'zh-CN' : 'en-GB';

  function fill(template, values) {
    return String(template).replace(/[{](\\w+)[}]/g, function (m, k) { return values[k] === undefined ? m : String(values[k]); });
  }
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) Object.keys(attrs).forEach(function (k) {
      var v = attrs[k];
      if (v === undefined || v === null || v === false) return;
      if (k === 'text') node.textContent = v;
      else if (k === 'className') node.className = v;
      else if (k.indexOf('on') === 0) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v === true ? '' : String(v));
    });
    (children || []).forEach(function (c) {
      if (c === null || c === undefined || c === false) return;
      node.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    });
    return node;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }
  function show(node, text, cls) {
    if (!node) return;
    node.textContent = text || '';
    if (cls) node.className = cls;
    node.hidden = !text;
  }
  function when(at) {
    if (!at) return '—';
    try {
      return new Date(at).toLocaleString(FMT_LOCALE, { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false });
    } catch (e) { return at; }
  }
  function timeEl(at) { var t = el('time', { text: when(at) }); if (at) t.setAttribute('datetime', at); return t; }
  function formatCode(code) { var c = String(code || ''); return c.length === 9 ? c.slice(0, 3) + '-' + c.slice(3, 6) + '-' + c.slice(6) : c; }
  function categoryName(code) { return names.category[code] || code; }
  function communityName(id) { return names.community[id] || id; }
  function townshipName(id) { return names.township[id] || id || ''; }
  function unitName(id) { return names.unit[id] || id; }
  function stageName(stage) { return T.stages[stage] || stage; }
  function stageBadge(stage) { return el('span', { className: 'badge stage-' + stage, text: stageName(stage) }); }
  function caseHref(id) { return '#/case/' + encodeURIComponent(id); }

  // ─── session ───
  function readSession() {
    try {
      var s = JSON.parse(sessionStorage.getItem(SESSION_KEY) || 'null');
      if (s && s.idToken && s.expiresAt > Date.now()) return s;
      sessionStorage.removeItem(SESSION_KEY);
    } catch (e) {}
    return null;
  }
  function dropSession() {
    session = null;
    try { sessionStorage.removeItem(SESSION_KEY); } catch (e) {}
  }
  function Expired() {}
  function NetworkDown() {}
  function expire() {
    dropSession();
    showSignIn(T.sessionExpired, 'alert');
  }

  async function api(method, path, body) {
    if (!session || session.expiresAt <= Date.now()) { expire(); throw new Expired(); }
    var init = { method: method, credentials: 'same-origin', cache: 'no-store',
      headers: { accept: 'application/json', authorization: 'Bearer ' + session.idToken } };
    if (body !== undefined) { init.headers['content-type'] = 'application/json'; init.body = JSON.stringify(body); }
    var res;
    try { res = await fetch(path, init); } catch (e) { throw new NetworkDown(); }
    var data = null;
    try { data = await res.json(); } catch (e) { data = null; }
    if (res.status === 401) { expire(); throw new Expired(); }
    return { status: res.status, data: data };
  }
  /** Shows what went wrong in \`node\`, unless it was an expired session (already back at sign-in). */
  function failed(error, node) {
    if (error instanceof Expired) return;
    show(node, error instanceof NetworkDown ? T.networkError : T.serverError, 'alert');
  }

  // ─── catalogue (names) ───
  function loadCatalog() {
    if (!catalogLoad) {
      catalogLoad = fetch('/api/catalog', { headers: { accept: 'application/json' }, credentials: 'same-origin' })
        .then(function (res) { if (!res.ok) throw new Error('catalog ' + res.status); return res.json(); })
        .then(function (c) {
          (c.categories || []).forEach(function (x) { names.category[x.code] = x[LANG]; });
          townships = c.townships || [];
          townships.forEach(function (t) {
            names.township[t.id] = t[LANG];
            (t.communities || []).forEach(function (x) { names.community[x.id] = x[LANG]; names.communityTownship[x.id] = t.id; });
          });
          units = c.units || [];
          units.forEach(function (u) { names.unit[u.id] = u[LANG]; });
        })
        // Without names the console still works with ids; the next sign-in tries again.
        .catch(function () { catalogLoad = null; });
    }
    return catalogLoad;
  }

  // ─── sign-in ───
  var signInForm = $('sign-in-form'), signInButton = $('sign-in-submit'), signInAlert = $('sign-in-alert');
  function showSignIn(message, kind) {
    // Nothing of the last session stays in the page, hidden or not: it held phone numbers.
    navSeq++;
    destroyCharts();
    clear($('list-body'));
    clear($('case-view'));
    clear($('tasks-body'));
    tasksData = null;
    list.rows = [];
    list.cursor = null;
    clearPlanner();
    $('app').hidden = true;
    $('who').hidden = true;
    $('sign-out').hidden = true;
    $('sign-in-view').hidden = false;
    show(signInAlert, message, kind === 'alert' ? 'alert' : 'notice');
    signInAlert.setAttribute('role', kind === 'alert' ? 'alert' : 'status');
    document.title = T.signInHeading + ' · ' + T.pageTitle;
    $('username').focus();
  }
  signInForm.addEventListener('submit', async function (e) {
    e.preventDefault();
    var username = $('username').value.trim(), password = $('password').value;
    if (!username || !password) { show(signInAlert, T.signInRejected, 'alert'); return; }
    show(signInAlert, '');
    signInButton.disabled = true;
    signInButton.textContent = T.signingIn;
    try {
      var res = await fetch('/api/session', {
        method: 'POST', credentials: 'same-origin', cache: 'no-store',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ username: username, password: password })
      });
      var data = null;
      try { data = await res.json(); } catch (err) { data = null; }
      if (res.ok && data && data.idToken) {
        // A little before the token's own expiry, so a request never leaves with a dying token.
        var seconds = Number(data.expiresIn) > 0 ? Number(data.expiresIn) : 3600;
        session = { idToken: data.idToken, expiresAt: Date.now() + Math.max(seconds - 15, 1) * 1000, staff: data.staff || {} };
        try { sessionStorage.setItem(SESSION_KEY, JSON.stringify(session)); } catch (err) {}
        $('password').value = '';
        await startApp();
      } else {
        show(signInAlert, res.status === 401 || res.status === 400 ? T.signInRejected : res.status === 403 ? T.forbidden : T.signInFailed, 'alert');
        $('password').select();
      }
    } catch (err) {
      show(signInAlert, T.networkError, 'alert');
    } finally {
      signInButton.disabled = false;
      signInButton.textContent = T.signIn;
    }
  });
  $('sign-out').addEventListener('click', function () {
    dropSession();
    listState = {};
    calendarState.status = '';
    // The next person starts at their own queue, not at the case the last one had open.
    history.replaceState(null, '', location.pathname + location.search);
    updateLanguageSwitch();
    showSignIn(T.signedOut, 'notice');
  });

  async function startApp() {
    $('sign-in-view').hidden = true;
    show(signInAlert, '');
    $('app').hidden = false;
    await loadCatalog();
    var s = session.staff || {};
    $('who-name').textContent = s.name || '';
    var scope = s.unitId ? unitName(s.unitId) : s.communityId ? communityName(s.communityId) : '';
    $('who-role').textContent = (T.roles[s.role] || s.role || '') + (scope ? ' · ' + scope : '');
    $('who').hidden = false;
    $('sign-out').hidden = false;
    applySections();
    buildCommunityFilter(s);
    route();
  }

  // ─── routing ───
  var views = {
    list: $('list-view'), 'case': $('case-view'), stats: $('stats-view'),
    risk: $('risk-view'), calendar: $('calendar-view'), campaignForm: $('campaign-form-view'), campaign: $('campaign-view'),
    tasks: $('tasks-view')
  };
  function showView(name, tab) {
    Object.keys(views).forEach(function (k) { views[k].hidden = k !== name; });
    ALL_TABS.forEach(function (k) {
      var a = $('tab-' + k);
      if (k === tab) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
    });
  }
  function parseHash() {
    var h = location.hash || '';
    if (h.charAt(0) === '#') h = h.slice(1);
    if (h.charAt(0) === '/') h = h.slice(1);
    var parts = h.split('/');
    return { view: parts[0] || 'queue', id: parts[1] ? decodeURIComponent(parts[1]) : '', sub: parts[2] || '' };
  }
  /** What this role's console shows (C.sections): case tabs, planner tabs, the outreach tasks. */
  function sections() {
    var s = session && session.staff;
    return (s && C.sections[s.role]) || { cases: true, planner: 'none', tasks: false };
  }
  function mayPlan() { return sections().planner === 'plan'; }
  function applySections() {
    var s = sections();
    LIST_KINDS.concat(['stats']).forEach(function (k) { $('tab-' + k).hidden = !s.cases; });
    PLANNER_TABS.forEach(function (k) { $('tab-' + k).hidden = s.planner === 'none' || (k === 'new_campaign' && s.planner !== 'plan'); });
    $('tab-tasks').hidden = !s.tasks;
  }
  /** The language switch keeps the view: same hash, other language. */
  function updateLanguageSwitch() {
    $('lang-switch').setAttribute('href', (LANG === 'en' ? '/console' : '/console?lang=en') + (location.hash || ''));
  }
  function route() {
    updateLanguageSwitch();
    if (!session) { showSignIn('', 'notice'); return; }
    var r = parseHash(), s = sections();
    if (s.planner !== 'none') {
      if (r.view === 'risk') { showRisk(); return; }
      if (r.view === 'calendar') { showCalendar(r.id); return; }
      if (r.view === 'campaign' && r.id) { if (r.sub === 'edit' && s.planner === 'plan') showCampaignEdit(r.id); else showCampaign(r.id); return; }
      if (r.view === 'new_campaign' && s.planner === 'plan') { showCampaignForm(r.id); return; }
    }
    if (s.tasks && r.view === 'tasks') { showTasks(); return; }
    if (!s.cases) {
      // Outreach staff have no case lists: their console opens on the planner.
      history.replaceState(null, '', location.pathname + location.search + '#/risk');
      updateLanguageSwitch();
      showRisk();
      return;
    }
    if (r.view === 'case' && r.id) showCase(r.id);
    else if (r.view === 'stats') showStats();
    else showList(LIST_KINDS.indexOf(r.view) >= 0 ? r.view : 'queue');
  }
  window.addEventListener('hashchange', route);
  // Clicking the tab one is already on reloads it (there is no hashchange to do it).
  ALL_TABS.forEach(function (k) {
    // The new-campaign form keeps what was typed; the other tabs reload.
    $('tab-' + k).addEventListener('click', function () { if (location.hash === '#/' + k && k !== 'new_campaign') route(); });
  });
  function focusHeading(id) { var h = $(id); if (h) h.focus({ preventScroll: false }); }

  // ─── lists ───
  var listBody = $('list-body'), listAlert = $('list-alert'), moreButton = $('more');
  var stageFilter = $('filter-stage'), overdueFilter = $('filter-overdue'), communityFilter = $('filter-community');
  function stateFor(kind) {
    if (!listState[kind]) listState[kind] = { status: 'open', stage: '', overdue: false, communityId: '' };
    return listState[kind];
  }
  function buildCommunityFilter(s) {
    while (communityFilter.children.length > 1) communityFilter.removeChild(communityFilter.lastElementChild);
    // A grid worker only ever sees their own community, so the filter would have one choice.
    $('filter-community-wrap').hidden = s.role === 'grid_worker';
    townships.forEach(function (t) {
      if (s.role === 'centre_dispatcher' && s.townshipId && t.id !== s.townshipId) return;
      if (!t.communities || !t.communities.length) return;
      var group = el('optgroup', { label: t[LANG] });
      t.communities.forEach(function (c) { group.appendChild(el('option', { value: c.id, text: c[LANG] })); });
      communityFilter.appendChild(group);
    });
  }
  function syncFilters(kind) {
    var st = stateFor(kind);
    // The transfer and return-visit lists are not split by open/done on the server.
    $('filter-status').hidden = kind === 'transfers' || kind === 'return_visits';
    $('filter-overdue-wrap').hidden = kind === 'return_visits';
    Array.prototype.forEach.call(document.querySelectorAll('#filter-status input'), function (r) { r.checked = r.value === st.status; });
    stageFilter.value = st.stage;
    overdueFilter.checked = st.overdue;
    communityFilter.value = st.communityId;
  }
  function onFilterChange() {
    var st = stateFor(list.kind);
    var checked = document.querySelector('#filter-status input:checked');
    st.status = checked ? checked.value : 'open';
    st.stage = stageFilter.value;
    st.overdue = overdueFilter.checked;
    st.communityId = communityFilter.value;
    loadList(false);
  }
  $('filters').addEventListener('change', onFilterChange);
  $('filters').addEventListener('submit', function (e) { e.preventDefault(); });
  $('refresh').addEventListener('click', function () { loadList(false); });
  moreButton.addEventListener('click', function () { loadList(true); });

  function showList(kind) {
    list.kind = kind;
    showView('list', kind);
    $('list-title').textContent = T.nav[kind];
    $('list-intro').textContent = T.listIntro[kind];
    document.title = T.nav[kind] + ' · ' + T.pageTitle;
    syncFilters(kind);
    loadList(false);
  }
  async function loadList(append) {
    var seq = ++navSeq, kind = list.kind, st = stateFor(kind);
    var params = new URLSearchParams();
    params.set('list', kind);
    if (kind === 'queue' || kind === 'problems') params.set('status', st.status);
    if (st.stage) params.set('stage', st.stage);
    if (st.overdue && kind !== 'return_visits') params.set('overdue', 'true');
    if (st.communityId) params.set('communityId', st.communityId);
    params.set('limit', '25');
    if (append && list.cursor) params.set('cursor', list.cursor);
    show(listAlert, '');
    moreButton.disabled = true;
    if (!append) { clear(listBody); listBody.appendChild(el('p', { className: 'empty', text: T.loading })); $('list-count').textContent = ''; moreButton.hidden = true; }
    try {
      var r = await api('GET', '/api/cases?' + params.toString());
      if (seq !== navSeq) return;
      if (r.status !== 200 || !r.data || !r.data.cases) {
        if (!append) clear(listBody);
        show(listAlert, r.status === 400 ? T.invalid : r.status === 403 ? T.forbidden : T.loadFailed, 'alert');
        return;
      }
      list.rows = append ? list.rows.concat(r.data.cases) : r.data.cases;
      list.cursor = r.data.cursor || null;
      renderRows();
    } catch (e) {
      if (seq !== navSeq) return;
      if (!append) clear(listBody);
      failed(e, listAlert);
    } finally {
      moreButton.disabled = false;
    }
  }
  function columnsFor(kind) {
    if (kind === 'transfers') return ['code', 'category', 'community', 'unit', 'stage', 'transfers', 'due'];
    if (kind === 'return_visits') return ['code', 'category', 'community', 'unit', 'stage', 'rating', 'returnVisit'];
    if (kind === 'problems') return ['code', 'category', 'unit', 'stage', 'due', 'submitted'];
    return ['code', 'category', 'community', 'unit', 'stage', 'due', 'submitted'];
  }
  function dueBadge(c) {
    var title = c.dueAt ? T.due + ' ' + when(c.dueAt) : undefined;
    if (c.overdue) return el('span', { className: 'badge danger', text: c.escalated ? T.overdue + ' · ' + T.escalated : T.overdue, title: title });
    if (!c.dueAt) return el('span', { className: 'muted', text: '—' });
    var hours = Math.max(1, Math.ceil((Date.parse(c.dueAt) - Date.now()) / 3600000));
    var text = hours >= 48 ? fill(T.dueDays, { n: Math.floor(hours / 24) }) : fill(T.dueHours, { n: hours });
    return el('span', { className: 'badge ' + (hours <= 24 ? 'warn' : 'plain'), text: text, title: title });
  }
  function cell(col, c) {
    var label = T.columns[col];
    switch (col) {
      case 'code': return el('td', { className: 'code', 'data-label': label }, [el('a', { href: caseHref(c.id), text: c.trackingCode })]);
      case 'category': return el('td', { 'data-label': label, text: categoryName(c.category) });
      case 'community': return el('td', { 'data-label': label, text: communityName(c.communityId) });
      case 'unit': return el('td', { 'data-label': label, text: unitName(c.unitId) });
      case 'stage': return el('td', { 'data-label': label }, [stageBadge(c.stage)]);
      case 'due': return el('td', { 'data-label': label }, [dueBadge(c)]);
      case 'submitted': return el('td', { className: 'nowrap muted', 'data-label': label }, [timeEl(c.submittedAt)]);
      case 'transfers': return el('td', { className: 'num', 'data-label': label, text: fill(T.times, { n: c.transfers }) });
      case 'rating': return el('td', { className: 'num', 'data-label': label, text: c.rating ? fill(T.score, { n: c.rating }) : '—' });
      case 'returnVisit':
        return el('td', { 'data-label': label }, c.returnVisit ? [
          el('span', { className: 'badge ' + (c.returnVisit.status === 'pending' ? 'warn' : 'ok'), text: T.returnVisitStatus[c.returnVisit.status] }),
          ' ', el('span', { className: 'muted', text: T.returnVisitReason[c.returnVisit.reason] || '' })
        ] : ['—']);
    }
    return el('td');
  }
  function rowFor(c, cols) {
    return el('tr', {
      className: 'row' + (c.overdue ? ' is-overdue' : ''), 'data-id': c.id,
      onclick: function (e) { if (!e.target.closest('a')) location.hash = caseHref(c.id); }
    }, cols.map(function (col) { return cell(col, c); }));
  }
  function renderRows() {
    var kind = list.kind, cols = columnsFor(kind), rows = list.rows;
    clear(listBody);
    $('list-count').textContent = rows.length ? fill(T.shown, { n: rows.length }) : '';
    moreButton.hidden = !list.cursor;
    if (!rows.length) { listBody.appendChild(el('p', { className: 'empty', text: T.noCases })); return; }
    var table = el('table', { className: 'cases', id: 'cases-table' }, [
      el('thead', null, [el('tr', null, cols.map(function (col) { return el('th', { scope: 'col', text: T.columns[col] }); }))])
    ]);
    if (kind === 'problems') {
      // The problem list is grouped by community, the busiest first, so a centre sees where problems gather.
      var groups = {}, order = [];
      rows.forEach(function (c) {
        if (!groups[c.communityId]) { groups[c.communityId] = []; order.push(c.communityId); }
        groups[c.communityId].push(c);
      });
      order.sort(function (a, b) { return groups[b].length - groups[a].length || communityName(a).localeCompare(communityName(b), FMT_LOCALE); });
      order.forEach(function (id) {
        var township = names.communityTownship[id];
        table.appendChild(el('tbody', { className: 'group', 'data-community': id }, [
          el('tr', { className: 'group-head' }, [el('th', { colspan: cols.length, scope: 'colgroup' }, [
            communityName(id),
            township ? el('span', { className: 'group-sub', text: townshipName(township) }) : null,
            el('span', { className: 'group-count', text: fill(T.groupCount, { n: groups[id].length }) })
          ])])
        ].concat(groups[id].map(function (c) { return rowFor(c, cols); }))));
      });
    } else {
      table.appendChild(el('tbody', null, rows.map(function (c) { return rowFor(c, cols); })));
    }
    listBody.appendChild(table);
  }

  // ─── one case ───
  var caseView = $('case-view');
  async function showCase(id, notice) {
    var seq = ++navSeq;
    showView('case', LIST_KINDS.indexOf(list.kind) >= 0 ? list.kind : 'queue');
    document.title = fill(T.caseHeading, { code: formatCode(id) }) + ' · ' + T.pageTitle;
    if (!notice) { clear(caseView); caseView.appendChild(el('p', { className: 'empty', text: T.loading })); }
    try {
      var r = await api('GET', '/api/cases/' + encodeURIComponent(id));
      if (seq !== navSeq) return;
      if (r.status === 200 && r.data) { renderCase(r.data, notice); return; }
      renderCaseError(r.status === 404 ? T.notFound : r.status === 403 ? T.forbidden : T.loadFailed);
    } catch (e) {
      if (seq !== navSeq || e instanceof Expired) return;
      renderCaseError(e instanceof NetworkDown ? T.networkError : T.serverError);
    }
  }
  function backLink() { return el('a', { className: 'back', href: '#/' + list.kind, text: '← ' + T.back }); }
  function renderCaseError(message) {
    clear(caseView);
    caseView.appendChild(backLink());
    caseView.appendChild(el('p', { className: 'alert', role: 'alert', text: message }));
  }
  function loopIndex(stage) {
    return { received: 0, registered: 1, dispatched: 2, in_progress: 3, resolved: 4, verified: 4, closed: 5, evaluated: 6 }[stage];
  }
  function loopSteps(stage) {
    var at = loopIndex(stage);
    return el('ol', { className: 'loop', 'aria-label': T.timelineHeading }, T.loop.map(function (name, i) {
      var state = at === undefined ? '' : i < at ? 'done' : i === at ? 'current' : '';
      return el('li', { className: state, 'aria-current': state === 'current' ? 'step' : undefined, text: name });
    }));
  }
  function fact(dl, label, value) {
    if (value === null || value === undefined || value === '') return;
    dl.appendChild(el('dt', { text: label }));
    dl.appendChild(typeof value === 'string' ? el('dd', { text: value }) : el('dd', null, [value]));
  }
  function codeLinks(codes) {
    var span = el('span');
    codes.forEach(function (code, i) {
      if (i) span.appendChild(document.createTextNode(T.listSeparator));
      span.appendChild(el('a', { className: 'code', href: caseHref(code), text: formatCode(code) }));
    });
    return span;
  }
  /** +8613700002222 → +86 137 0000 2222, the way it is read out on the phone; others as stored. */
  function readablePhone(phone) {
    var m = /^[+]86(1[0-9]{2})([0-9]{4})([0-9]{4})$/.exec(phone);
    return m ? '+86 ' + m[1] + ' ' + m[2] + ' ' + m[3] : phone;
  }
  function byName(by) {
    if (by === 'reporter') return T.byReporter;
    if (String(by).indexOf('channel:') === 0) return T.byChannel[String(by).slice(8)] || T.byReporter;
    if (String(by).indexOf('system:') === 0) return T.bySystem;
    var me = session && session.staff;
    if (me && me.userId === by && me.name) return me.name;
    // Staff ids are Cognito subs (UUIDs) and there is no staff directory to name them from; the
    // first block is enough to tell two people apart in one case's history.
    return T.byStaff + ' ' + String(by).split('-')[0];
  }

  function renderCase(d, notice) {
    clear(caseView);
    caseView.appendChild(backLink());
    var title = el('h1', { id: 'case-title', tabindex: '-1' }, [
      fill(T.caseHeading, { code: '' }).trim() + ' ', el('span', { className: 'code', id: 'case-code', text: d.trackingCode })
    ]);
    caseView.appendChild(el('div', { className: 'case-head' }, [title, stageBadge(d.stage), d.dueAt || d.overdue ? dueBadge(d) : null]));
    caseView.appendChild(loopSteps(d.stage));

    var report = el('section', { className: 'card area-report', 'aria-labelledby': 'report-title' }, [el('h2', { id: 'report-title', text: T.reportHeading })]);
    if (d.report) {
      report.appendChild(el('p', { className: 'description', id: 'case-description', text: d.report.description }));
      var rdl = el('dl', { className: 'facts' });
      fact(rdl, T.address, d.report.address);
      if (d.report.location) fact(rdl, T.location, d.report.location.lat + ', ' + d.report.location.lng);
      // The phone number appears here only: never in lists, titles or anything the page logs.
      fact(rdl, T.contactPhone, d.report.contactPhone
        ? el('span', null, [el('a', { className: 'phone', id: 'case-phone', href: 'tel:' + d.report.contactPhone, text: readablePhone(d.report.contactPhone) }), el('span', { className: 'phone-note', text: T.phoneNote })])
        : el('span', { className: 'muted', text: T.noPhone }));
      report.appendChild(rdl);
    } else {
      report.appendChild(el('p', { className: 'muted', text: T.noReport }));
    }

    var info = el('section', { className: 'card area-info', 'aria-labelledby': 'info-title' }, [el('h2', { id: 'info-title', text: T.detailsHeading })]);
    var idl = el('dl', { className: 'facts' });
    fact(idl, T.category, categoryName(d.category));
    fact(idl, T.community, communityName(d.communityId) + (d.townshipId ? ' · ' + townshipName(d.townshipId) : ''));
    fact(idl, T.unit, unitName(d.unitId));
    if (d.routing) fact(idl, T.routing, (T.routingKinds[d.routing.kind] || d.routing.kind) + (d.routing.reason ? fill(T.parenthesised, { text: d.routing.reason }) : ''));
    fact(idl, T.submitted, timeEl(d.submittedAt));
    if (d.dueAt) fact(idl, T.due, timeEl(d.dueAt));
    if (d.escalation) fact(idl, T.escalation, (T.escalationReasons[d.escalation.reason] || d.escalation.reason) + ' · ' + when(d.escalation.at));
    if (d.transfers) fact(idl, T.transfers, fill(T.times, { n: d.transfers }));
    if (d.ratingDetail) fact(idl, T.rating, fill(T.score, { n: d.ratingDetail.score }) + (d.ratingDetail.comment ? ' · ' + d.ratingDetail.comment : ''));
    if (d.returnVisit) fact(idl, T.returnVisit, [T.returnVisitStatus[d.returnVisit.status], T.returnVisitReason[d.returnVisit.reason], d.returnVisit.outcome ? T.outcomes[d.returnVisit.outcome] || d.returnVisit.outcome : ''].filter(Boolean).join(' · '));
    if (d.mergedInto) fact(idl, T.mergedInto, codeLinks([d.mergedInto]));
    if (d.duplicates && d.duplicates.length) fact(idl, T.duplicates, codeLinks(d.duplicates));
    info.appendChild(idl);

    var timeline = el('section', { className: 'card area-timeline', 'aria-labelledby': 'timeline-title' }, [el('h2', { id: 'timeline-title', text: T.timelineHeading })]);
    timeline.appendChild(el('ol', { className: 'timeline', id: 'case-timeline' }, (d.timeline || []).map(function (ev) {
      var label = (ev.action && (T.actions[ev.action] || T.systemActions[ev.action])) || stageName(ev.stage);
      var meta = [when(ev.at), ev.unitId ? unitName(ev.unitId) : '', byName(ev.by)].filter(Boolean).join(' · ');
      return el('li', { 'data-action': ev.action || '', 'data-stage': ev.stage }, [
        // An action names what was done and the badge where it led; intake events are just the stage.
        el('div', { className: 'tl-head' }, [el('strong', { text: label }), ev.action ? stageBadge(ev.stage) : null]),
        el('p', { className: 'tl-meta', text: meta }),
        ev.note ? el('p', { className: 'tl-note', text: ev.note }) : null
      ]);
    })));
    // Effects that failed for good stay visible here: a text the reporter never got, a parked delivery.
    if (d.notices && d.notices.length) {
      timeline.appendChild(el('h3', { text: T.noticeHeading }));
      timeline.appendChild(el('ul', { className: 'notices', id: 'case-notices' }, d.notices.map(function (n) {
        var what = (T.noticeEffects[n.effect] || n.effect) + T.noticeJoin + (T.noticeOutcomes[n.outcome] || n.outcome);
        return el('li', { 'data-outcome': n.outcome }, [el('strong', { text: what }), el('p', { className: 'tl-meta', text: when(n.at) })]);
      })));
    }

    var dups = el('section', { className: 'card area-dups', 'aria-labelledby': 'dups-title' }, [el('h2', { id: 'dups-title', text: T.duplicatesHeading })]);
    var possible = d.possibleDuplicates || [];
    if (possible.length) {
      dups.appendChild(el('p', { className: 'muted', text: T.duplicatesHint }));
      dups.appendChild(el('ul', { className: 'dups', id: 'case-duplicates' }, possible.map(function (code) {
        return el('li', null, [el('a', { className: 'code', href: caseHref(code), text: formatCode(code) })]);
      })));
    } else {
      dups.appendChild(el('p', { className: 'muted', text: T.noDuplicates }));
    }

    var grid = el('div', { className: 'case-grid' }, [report, info, timeline, actionsCard(d, notice), dups]);
    caseView.appendChild(grid);
    focusHeading('case-title');
  }

  // ─── actions ───
  var POSITIVE = { accept: 1, resolve: 1, verify: 1, close: 1, record_return_visit: 1 };
  var CAUTION = { 'return': 1, reject_resolution: 1, reopen: 1 };
  function actionsCard(d, notice) {
    var card = el('section', { className: 'card area-actions', id: 'case-actions', 'aria-labelledby': 'actions-title' }, [el('h2', { id: 'actions-title', text: T.actionsHeading })]);
    var alertBox = el('p', { className: 'alert', id: 'case-alert', role: 'alert', hidden: true });
    var noticeBox = el('p', { className: 'notice', id: 'case-notice', role: 'status', hidden: true });
    if (notice && notice.error) show(alertBox, notice.error, 'alert');
    if (notice && notice.ok) show(noticeBox, notice.ok, 'notice');
    card.appendChild(alertBox);
    card.appendChild(noticeBox);
    var allowed = (d.allowedActions || []).filter(function (a) { return C.actionFields[a]; });
    if (!allowed.length) { card.appendChild(el('p', { className: 'muted', id: 'no-actions', text: T.noActions })); return card; }
    var formSlot = el('div');
    var buttons = el('div', { className: 'action-buttons' }, allowed.map(function (a) {
      return el('button', {
        type: 'button', className: POSITIVE[a] ? 'primary' : CAUTION[a] ? 'caution' : 'secondary',
        'data-action': a, 'aria-expanded': 'false', 'aria-controls': 'action-form', text: T.actions[a],
        onclick: function () {
          Array.prototype.forEach.call(buttons.children, function (b) { b.setAttribute('aria-expanded', String(b === this)); }, this);
          show(alertBox, ''); show(noticeBox, '');
          clear(formSlot);
          formSlot.appendChild(actionForm(d, a, alertBox, function () {
            clear(formSlot);
            Array.prototype.forEach.call(buttons.children, function (b) { b.setAttribute('aria-expanded', 'false'); });
          }));
          var first = formSlot.querySelector('textarea,select,input');
          if (first) first.focus();
        }
      });
    }));
    card.appendChild(buttons);
    card.appendChild(formSlot);
    return card;
  }

  function fieldControl(d, f) {
    var id = 'action-' + f.name;
    if (f.name === 'note') return el('textarea', { id: id, name: 'note', rows: 4, maxlength: 1000, 'aria-describedby': id + '-error' });
    if (f.name === 'unitId') {
      var select = el('select', { id: id, name: 'unitId', 'aria-describedby': id + '-error' }, [el('option', { value: '', text: T.chooseUnit })]);
      units.forEach(function (u) { if (u.id !== d.unitId) select.appendChild(el('option', { value: u.id, text: u[LANG] })); });
      return select;
    }
    if (f.name === 'into') {
      var input = el('input', { id: id, name: 'into', type: 'text', autocomplete: 'off', spellcheck: 'false', maxlength: 20, list: 'action-into-options', 'aria-describedby': id + '-hint ' + id + '-error' });
      var options = el('datalist', { id: 'action-into-options' }, (d.possibleDuplicates || []).map(function (code) { return el('option', { value: formatCode(code) }); }));
      return el('div', null, [el('p', { className: 'hint', id: id + '-hint', text: T.intoHint }), input, options]);
    }
    // outcome
    return el('div', { className: 'radio-row', id: id, role: 'radiogroup', 'aria-describedby': id + '-error' }, ['satisfied', 'unresolved'].map(function (o) {
      return el('label', null, [el('input', { type: 'radio', name: 'outcome', value: o }), T.outcomes[o]]);
    }));
  }

  function actionForm(d, action, alertBox, close) {
    var fields = C.actionFields[action] || [];
    var form = el('form', { className: 'action-form', id: 'action-form', novalidate: true, 'data-action': action }, [
      el('h3', { text: T.actions[action] }),
      el('p', { className: 'hint', text: T.actionHints[action] })
    ]);
    fields.forEach(function (f) {
      var id = 'action-' + f.name;
      var labelEl = f.name === 'outcome'
        ? el('p', { className: 'label', id: id + '-label' }, [el('strong', { text: T.labels[f.name] })])
        : el('label', { 'for': id, text: T.labels[f.name] });
      labelEl.appendChild(el('span', { className: f.required ? 'required' : 'optional', text: f.required ? T.required : T.optional }));
      form.appendChild(el('div', { className: 'field', id: id + '-field' }, [
        labelEl, fieldControl(d, f), el('p', { className: 'error', id: id + '-error', hidden: true })
      ]));
    });
    var formError = el('p', { className: 'alert', id: 'action-form-error', role: 'alert', hidden: true });
    form.appendChild(formError);
    var submit = el('button', { type: 'submit', className: CAUTION[action] ? 'caution' : 'primary', id: 'action-submit', text: fill(T.confirmAction, { action: T.actions[action] }) });
    form.appendChild(el('div', { className: 'form-buttons' }, [submit, el('button', { type: 'button', className: 'secondary', text: T.cancel, onclick: close })]));

    function setFieldError(name, message) {
      var wrap = $('action-' + name + '-field'), err = $('action-' + name + '-error');
      if (!wrap || !err) return false;
      show(err, message);
      wrap.classList.toggle('has-error', !!message);
      var control = $('action-' + name);
      if (control) { if (message) control.setAttribute('aria-invalid', 'true'); else control.removeAttribute('aria-invalid'); }
      return true;
    }
    form.addEventListener('submit', async function (e) {
      e.preventDefault();
      fields.forEach(function (f) { setFieldError(f.name, ''); });
      show(formError, '');
      var body = { action: action, expectedVersion: d.version };
      fields.forEach(function (f) {
        var value = '';
        if (f.name === 'outcome') { var picked = form.querySelector('input[name=outcome]:checked'); value = picked ? picked.value : ''; }
        else value = form.elements[f.name].value;
        // Empty optional fields are left out; an empty required one goes to the server, whose
        // answer (400, path = field) marks the field like any other mistake.
        if (value.trim() !== '') body[f.name] = value;
      });
      submit.disabled = true;
      submit.textContent = T.sending;
      try {
        var r = await api('POST', '/api/cases/' + encodeURIComponent(d.id) + '/transitions', body);
        var error = r.data && r.data.error ? r.data.error : {};
        if (r.status === 200 && r.data && r.data.stage) {
          renderCase(r.data, { ok: fill(T.done, { action: T.actions[action] }) });
          return;
        }
        if (r.status === 409) {
          // Someone moved the case first (or it moved on): show why, then the case as it is now.
          showCase(d.id, { error: error.code === 'version_conflict' ? T.versionConflict : T.notAllowed });
          return;
        }
        if (r.status === 404) { renderCaseError(T.notFound); return; }
        if (r.status === 400) {
          var unplaced = [], first = null;
          (error.issues || []).forEach(function (issue) {
            var name = String(issue.path || '').split('.')[0];
            if (C.actionFields[action].some(function (f) { return f.name === name; }) && setFieldError(name, T.fieldErrors[name])) { first = first || name; }
            else unplaced.push(issue.message);
          });
          if (unplaced.length || !first) {
            show(formError, T.invalid, 'alert');
            if (unplaced.length) formError.appendChild(el('span', { className: 'alert-detail', text: unplaced.join('; ') }));
          }
          var focus = first ? $('action-' + first) : null;
          if (focus) (focus.querySelector('input') || focus).focus();
          return;
        }
        show(formError, T.serverError, 'alert');
      } catch (err) {
        failed(err, formError);
      } finally {
        submit.disabled = false;
        submit.textContent = fill(T.confirmAction, { action: T.actions[action] });
      }
    });
    return form;
  }

  // ─── statistics ───
  var statsAlert = $('stats-alert');
  function loadChartJs() {
    if (window.Chart) return Promise.resolve(window.Chart);
    if (!chartLoad) {
      // Loaded on first use: most sessions never open the statistics. Same origin, cached for a year.
      chartLoad = new Promise(function (resolve, reject) {
        var s = document.createElement('script');
        s.src = C.chartSrc;
        s.async = true;
        s.onload = function () { if (window.Chart) resolve(window.Chart); else reject(new Error('no Chart')); };
        s.onerror = function () { chartLoad = null; s.parentNode.removeChild(s); reject(new Error('chart.js failed')); };
        document.head.appendChild(s);
      });
    }
    return chartLoad;
  }
  function destroyCharts() {
    Object.keys(charts).forEach(function (k) { charts[k].destroy(); });
    charts = {};
  }
  function sum(values) { return values.reduce(function (a, b) { return a + (Number(b) || 0); }, 0); }
  function stageCounts(record) { return C.stages.map(function (s) { return (record && record[s]) || 0; }); }

  async function showStats() {
    var seq = ++navSeq;
    showView('stats', 'stats');
    document.title = T.statsHeading + ' · ' + T.pageTitle;
    show(statsAlert, '');
    var chartLib = loadChartJs();
    chartLib.catch(function () {});
    try {
      var r = await api('GET', '/api/stats');
      if (seq !== navSeq) return;
      if (r.status !== 200 || !r.data) { show(statsAlert, r.status === 403 ? T.forbidden : T.loadFailed, 'alert'); return; }
      renderKpis(r.data);
      var Chart;
      try { Chart = await chartLib; } catch (e) { if (seq === navSeq) show(statsAlert, T.chartFailed, 'alert'); return; }
      if (seq !== navSeq) return;
      drawCharts(Chart, r.data);
    } catch (e) {
      if (seq === navSeq) failed(e, statsAlert);
    }
  }
  function renderKpis(s) {
    var byStage = stageCounts(s.byStage);
    var open = sum(C.openStages.map(function (st) { return (s.byStage && s.byStage[st]) || 0; }));
    var overdue = sum(Object.keys(s.overdueByUnit || {}).map(function (k) { return s.overdueByUnit[k]; }));
    $('kpi-total').textContent = String(sum(byStage));
    $('kpi-open').textContent = String(open);
    $('kpi-overdue').textContent = String(overdue);
    var sat = s.satisfaction || {};
    $('kpi-satisfaction').textContent = sat.mean === null || sat.mean === undefined ? '—' : Number(sat.mean).toFixed(2);
    $('kpi-satisfaction-note').textContent = sat.ratings ? fill(T.kpiRatings, { n: sat.ratings }) : T.noRatings;
  }

  var PALETTE = { blue: '#0b4f9c', green: '#1b6e3a', red: '#b3261e', amber: '#c27c0e', grey: '#9aa5b1', teal: '#0f766e' };
  var STAGE_COLOURS = { received: '#9aa5b1', registered: '#7b8794', dispatched: '#2f6fbf', in_progress: '#4f46e5', resolved: '#c27c0e', verified: '#0f766e', closed: '#1b6e3a', evaluated: '#155d31', merged: '#c2c9d1' };
  function drawChart(Chart, id, config, rows) {
    if (charts[id]) { charts[id].destroy(); delete charts[id]; }
    var box = $('chart-' + id + '-box'), empty = $('chart-' + id + '-empty');
    var hasData = rows > 0;
    box.hidden = !hasData;
    empty.hidden = hasData;
    if (!hasData) return;
    // Horizontal bar charts grow with their rows so long unit names stay readable.
    if (config.options && config.options.indexAxis === 'y') box.style.height = Math.max(180, rows * 30 + 60) + 'px';
    charts[id] = new Chart($('chart-' + id), config);
  }
  function barOptions(horizontal, extra) {
    var valueAxis = { beginAtZero: true, ticks: { precision: 0 }, grid: { color: '#eef0f3' } };
    var labelAxis = { grid: { display: false }, ticks: { autoSkip: false } };
    var o = {
      responsive: true, maintainAspectRatio: false, animation: false,
      indexAxis: horizontal ? 'y' : 'x',
      plugins: { legend: { display: false } },
      scales: horizontal ? { x: valueAxis, y: labelAxis } : { x: labelAxis, y: valueAxis }
    };
    if (extra) extra(o);
    return o;
  }
  function drawCharts(Chart, s) {
    Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
    Chart.defaults.font.size = 13;
    Chart.defaults.color = '#3e4c59';

    var counts = stageCounts(s.byStage);
    drawChart(Chart, 'byStage', {
      type: 'bar',
      data: { labels: C.stages.map(stageName), datasets: [{ label: T.casesUnit, data: counts, backgroundColor: C.stages.map(function (st) { return STAGE_COLOURS[st]; }), borderRadius: 3, maxBarThickness: 48 }] },
      options: barOptions(false)
    }, sum(counts) > 0 ? C.stages.length : 0);

    var overdue = Object.keys(s.overdueByUnit || {}).map(function (k) { return [k, s.overdueByUnit[k]]; })
      .filter(function (e) { return e[1] > 0; }).sort(function (a, b) { return b[1] - a[1]; });
    drawChart(Chart, 'overdueByUnit', {
      type: 'bar',
      data: { labels: overdue.map(function (e) { return unitName(e[0]); }), datasets: [{ label: T.casesUnit, data: overdue.map(function (e) { return e[1]; }), backgroundColor: PALETTE.red, borderRadius: 3, maxBarThickness: 22 }] },
      options: barOptions(true)
    }, overdue.length);

    var byUnit = (s.satisfaction && s.satisfaction.byUnit) || {};
    var sat = Object.keys(byUnit).map(function (k) { return [k, byUnit[k].mean, byUnit[k].ratings]; })
      .filter(function (e) { return e[2] > 0; }).sort(function (a, b) { return b[1] - a[1]; });
    drawChart(Chart, 'satisfactionByUnit', {
      type: 'bar',
      data: { labels: sat.map(function (e) { return unitName(e[0]); }), datasets: [{ label: T.kpiSatisfaction, data: sat.map(function (e) { return Math.round(e[1] * 100) / 100; }),
        backgroundColor: sat.map(function (e) { return e[1] < 3 ? PALETTE.red : e[1] < 4 ? PALETTE.amber : PALETTE.green; }), borderRadius: 3, maxBarThickness: 22 }] },
      options: barOptions(true, function (o) {
        o.scales.x.max = 5;
        o.scales.x.ticks = { stepSize: 1 };
        o.plugins.tooltip = { callbacks: { label: function (ctx) { var e = sat[ctx.dataIndex]; return ctx.formattedValue + T.scoreUnit + ' · ' + fill(T.ratingsCount, { n: e ? e[2] : 0 }); } } };
      })
    }, sat.length);

    var mean = C.stages.filter(function (st) { return s.meanMsInStage && s.meanMsInStage[st] > 0; });
    var ms = mean.map(function (st) { return s.meanMsInStage[st]; });
    var largest = Math.max.apply(null, ms.concat([0]));
    // One unit for the whole chart, the largest that keeps the longest bar at 2 or more of it.
    var unit = largest >= 72 * 3600000 ? [86400000, T.daysUnit] : largest >= 2 * 3600000 ? [3600000, T.hoursUnit]
      : largest >= 120000 ? [60000, T.minutesUnit] : [1000, T.secondsUnit];
    var inUnit = function (v) { var x = v / unit[0]; return x < 1 ? Math.round(x * 100) / 100 : Math.round(x * 10) / 10; };
    $('chart-meanTime-title').textContent = T.charts.meanTime + fill(T.parenthesised, { text: unit[1] });
    drawChart(Chart, 'meanTime', {
      type: 'bar',
      data: { labels: mean.map(stageName), datasets: [{ label: unit[1], data: ms.map(inUnit), backgroundColor: mean.map(function (st) { return STAGE_COLOURS[st]; }), borderRadius: 3, maxBarThickness: 22 }] },
      options: barOptions(true, function (o) {
        o.scales.x.ticks = {};
        o.plugins.tooltip = { callbacks: { label: function (ctx) { return ctx.formattedValue + ' ' + unit[1]; } } };
      })
    }, mean.length);

    var communities = Object.keys(s.byCommunity || {}).map(function (id) {
      var row = s.byCommunity[id] || {};
      var open = sum(C.openStages.map(function (st) { return row[st] || 0; }));
      var total = sum(C.stages.map(function (st) { return row[st] || 0; }));
      return { id: id, open: open, done: total - open, total: total };
    }).filter(function (c) { return c.total > 0; })
      .sort(function (a, b) { return b.total - a.total || communityName(a.id).localeCompare(communityName(b.id), FMT_LOCALE); }).slice(0, 10);
    drawChart(Chart, 'topCommunities', {
      type: 'bar',
      data: { labels: communities.map(function (c) { return communityName(c.id); }), datasets: [
        { label: T.openCases, data: communities.map(function (c) { return c.open; }), backgroundColor: PALETTE.blue, borderRadius: 3, maxBarThickness: 22 },
        { label: T.doneCases, data: communities.map(function (c) { return c.done; }), backgroundColor: PALETTE.green, borderRadius: 3, maxBarThickness: 22 }
      ] },
      options: barOptions(true, function (o) {
        o.scales.x.stacked = true;
        o.scales.y.stacked = true;
        o.plugins.legend = { display: true, position: 'bottom', labels: { boxWidth: 12 } };
      })
    }, communities.length);
  }

  // ─── campaign planner: shared ───
  var P = T.planner;
  var SHANGHAI_MS = 8 * 3600000, DAY_MS = 86400000;
  var WEEKDAYS = Object.keys(P.weekdays);
  var JS_WEEKDAYS = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'];
  var RUN_COUNTS = Object.keys(P.runCounts);
  var CAMPAIGN_FIELDS = Object.keys(C.campaignFieldPaths);
  var pendingCampaign = null;

  // Asia/Shanghai is a fixed UTC+08:00, so its wall clock is the UTC fields of the instant + 8 h,
  // whatever zone the browser is in.
  function shanghai(at) {
    var iso = new Date(Date.parse(at) + SHANGHAI_MS).toISOString();
    return { date: iso.slice(0, 10), time: iso.slice(11, 16), weekday: JS_WEEKDAYS[new Date(Date.parse(at) + SHANGHAI_MS).getUTCDay()] };
  }
  function todayShanghai() { return shanghai(new Date().toISOString()).date; }
  function addDays(day, n) { return new Date(Date.parse(day + 'T00:00:00Z') + n * DAY_MS).toISOString().slice(0, 10); }
  function weekdayOf(day) { return JS_WEEKDAYS[new Date(day + 'T00:00:00Z').getUTCDay()]; }
  function mondayIndex(day) { return (new Date(day + 'T00:00:00Z').getUTCDay() + 6) % 7; }
  function number(n) { return Number(n || 0).toLocaleString(FMT_LOCALE); }
  function dateText(day) {
    if (!day) return '—';
    try { return new Date(day + 'T00:00:00Z').toLocaleDateString(FMT_LOCALE, { timeZone: 'UTC', year: 'numeric', month: '2-digit', day: '2-digit' }); } catch (e) { return day; }
  }
  function dayOf(at) { return at ? dateText(shanghai(at).date) : '—'; }
  function withWeekday(at) { return when(at) + ' ' + P.weekdays[shanghai(at).weekday]; }
  /** A plan's 'YYYY-MM-DDTHH:MM', which is Shanghai wall-clock time, shown like every other time. */
  function localText(local) { return local ? when(new Date(Date.parse(local + ':00Z') - SHANGHAI_MS).toISOString()) : '—'; }
  function communityList(ids, max) {
    var names = (ids || []).map(communityName);
    return names.length > max ? fill(P.communitiesMore, { names: names.slice(0, max).join(T.listSeparator), n: names.length }) : names.join(T.listSeparator);
  }
  function statusBadge(status, id) { return el('span', { className: 'badge cs-' + status, id: id, 'data-status': status, text: P.statuses[status] || status }); }
  function campaignHref(id) { return '#/campaign/' + encodeURIComponent(id); }
  function rateText(x) { return x === null || x === undefined ? '—' : Number(x).toFixed(3); }
  function signedText(x) { return x === null || x === undefined ? '—' : (x > 0 ? '+' : '') + Number(x).toFixed(3); }

  /** The form field a server issue names (C.campaignFieldPaths), or null for the body as a whole. */
  function fieldOfPath(path) {
    if (Object.prototype.hasOwnProperty.call(C.campaignGroupFields, path)) return C.campaignGroupFields[path];
    var found = null, length = -1;
    CAMPAIGN_FIELDS.forEach(function (f) {
      var fp = C.campaignFieldPaths[f];
      if ((path === fp || path.indexOf(fp + '.') === 0) && fp.length > length) { found = f; length = fp.length; }
    });
    return found;
  }
  /** The page's own words for an issue: the precise rule when recognised, else the field's rule. */
  function issueText(field, message) {
    var rule = C.campaignIssueRules.filter(function (r) { return r.field === field && String(message).indexOf(r.contains) >= 0; })[0];
    return rule ? P.issueHints[rule.hint] : P.fieldErrors[field];
  }
  function sortIssues(issues) {
    var byField = {}, unplaced = [];
    (issues || []).forEach(function (i) {
      var f = fieldOfPath(String(i.path || ''));
      if (!f) { unplaced.push(String(i.message || '')); return; }
      var text = issueText(f, i.message);
      byField[f] = byField[f] || [];
      if (byField[f].indexOf(text) < 0) byField[f].push(text);
    });
    return { byField: byField, fields: CAMPAIGN_FIELDS.filter(function (f) { return byField[f]; }), unplaced: unplaced };
  }
  function warningText(w) {
    var rule = C.campaignWarningRules.filter(function (r) { return String(w).indexOf(r.contains) >= 0; })[0];
    if (!rule) return String(w);
    var day = /[0-9]+/.exec(String(w));
    return fill(P.warnings[rule.warning], { day: day ? day[0] : '' });
  }
  function clearPlanner() {
    riskData = null;
    clear(riskBody);
    clear($('calendar-grid').tHead.rows[0]);
    clear($('calendar-grid').tBodies[0]);
    clear($('campaign-list'));
    clear(campaignView);
    pendingCampaign = null;
    clearTimeout(formState.timer);
    formState.seq++;
    resetForm();
  }

  // ─── risk ranking ───
  var riskBody = $('risk-body'), riskAlert = $('risk-alert'), riskData = null;
  var TREND_ARROWS = { rising: '↑', falling: '↓', steady: '→', 'new': '↑' };
  var RISK_COLUMNS = ['rank', 'community', 'township', 'households', 'reports90', 'rate', 'trend', 'lastCampaign', 'nextCampaign', 'due'];
  var RISK_NUMERIC = { rank: 1, households: 1, reports90: 1, rate: 1 };
  $('risk-due-only').addEventListener('change', function () { if (riskData) renderRisk(riskData); });
  $('risk-refresh').addEventListener('click', function () { showRisk(); });

  async function showRisk() {
    var seq = ++navSeq;
    showView('risk', 'risk');
    document.title = P.riskHeading + ' · ' + T.pageTitle;
    show(riskAlert, '');
    clear(riskBody);
    riskBody.appendChild(el('p', { className: 'empty', text: T.loading }));
    try {
      var r = await api('GET', '/api/outreach/risk');
      if (seq !== navSeq) return;
      if (r.status !== 200 || !r.data || !r.data.communities) {
        clear(riskBody);
        show(riskAlert, r.status === 403 ? P.forbidden : T.loadFailed, 'alert');
        return;
      }
      riskData = r.data;
      renderRisk(r.data);
    } catch (e) {
      if (seq !== navSeq) return;
      clear(riskBody);
      failed(e, riskAlert);
    }
  }
  function renderRisk(data) {
    clear(riskBody);
    $('risk-asof').textContent = fill(P.riskAsOf, { date: dateText(data.asOf), days: data.windowDays });
    var dueOnly = $('risk-due-only').checked;
    // The rank is the place in the whole county, also when only the due ones are shown.
    var rows = data.communities.map(function (row, i) { return { row: row, rank: i + 1 }; })
      .filter(function (x) { return !dueOnly || x.row.due; });
    if (!rows.length) { riskBody.appendChild(el('p', { className: 'empty', text: P.noRiskRows })); return; }
    var table = el('table', { className: 'cases risk', id: 'risk-table' }, [
      el('thead', null, [el('tr', null, RISK_COLUMNS.map(function (col) {
        return el('th', { scope: 'col', className: RISK_NUMERIC[col] ? 'num' : undefined, text: P.riskColumns[col] });
      }))])
    ]);
    table.appendChild(el('tbody', null, rows.map(function (x) { return riskRow(x.row, x.rank); })));
    riskBody.appendChild(table);
  }
  function trendCell(row) {
    var title = fill(P.trendDetail, { recent: row.recent30, earlier: row.earlier60 }) +
      (row.trendRatio === null || row.trendRatio === undefined ? '' : ' · ' + fill(P.trendRatio, { n: row.trendRatio }));
    return el('span', { className: 'trend trend-' + row.trend, 'data-trend': row.trend, title: title }, [
      el('span', { className: 'arrow', 'aria-hidden': 'true', text: TREND_ARROWS[row.trend] || '' }), ' ', P.trends[row.trend] || row.trend
    ]);
  }
  function riskRow(row, rank) {
    var L = P.riskColumns, reason = P.reasons[row.reason] || row.reason;
    var advice = row.due ? [
      el('span', { className: 'badge danger', text: P.dueBadge }),
      el('span', { className: 'muted reason', text: reason }),
      mayPlan() ? el('button', {
        type: 'button', className: 'secondary small plan-here', 'data-community': row.communityId, text: P.planHere,
        onclick: function () { location.hash = '#/new_campaign/' + encodeURIComponent(row.communityId); }
      }) : null
    ] : [el('span', { className: 'muted reason', text: reason })];
    return el('tr', { className: 'risk-row' + (row.due ? ' is-due' : ''), 'data-community': row.communityId, 'data-due': String(!!row.due) }, [
      el('td', { className: 'num', 'data-label': L.rank, text: String(rank) }),
      el('td', { className: 'community', 'data-label': L.community, text: row[LANG] || communityName(row.communityId) }),
      el('td', { 'data-label': L.township, text: townshipName(row.townshipId) }),
      el('td', { className: 'num', 'data-label': L.households, text: number(row.households) }),
      el('td', { className: 'num', 'data-label': L.reports90, text: number(row.reports90) }),
      el('td', { className: 'num rate', 'data-label': L.rate, text: Number(row.ratePer1000).toFixed(2) }),
      el('td', { 'data-label': L.trend }, [trendCell(row)]),
      el('td', { className: 'nowrap', 'data-label': L.lastCampaign, text: dayOf(row.lastCampaignAt) }),
      el('td', { className: 'nowrap', 'data-label': L.nextCampaign, text: dayOf(row.nextCampaignAt) }),
      el('td', { 'data-label': L.due }, [el('div', { className: 'advice' }, advice)])
    ]);
  }

  // ─── calendar ───
  var calendarState = { month: '', status: '' };
  var calAlert = $('calendar-alert');
  $('cal-status').addEventListener('change', function () { calendarState.status = this.value; showCalendar(calendarState.month); });
  function shiftMonth(month, n) {
    return new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)) - 1 + n, 1)).toISOString().slice(0, 7);
  }
  /** Whole weeks, Monday first, from the week of the 1st to the week of the last day. */
  function monthRange(month) {
    var first = month + '-01', last = addDays(shiftMonth(month, 1) + '-01', -1);
    return { from: addDays(first, -mondayIndex(first)), to: addDays(last, 6 - mondayIndex(last)) };
  }
  async function showCalendar(month) {
    if (!/^[0-9]{4}-(0[1-9]|1[0-2])$/.test(month || '')) month = todayShanghai().slice(0, 7);
    calendarState.month = month;
    var seq = ++navSeq, range = monthRange(month);
    showView('calendar', 'calendar');
    document.title = P.calendarHeading + ' · ' + T.pageTitle;
    $('cal-month').textContent = fill(P.monthTitle, { year: month.slice(0, 4), month: P.monthNames[Number(month.slice(5, 7)) - 1] });
    $('cal-month').setAttribute('data-month', month);
    $('cal-prev').setAttribute('href', '#/calendar/' + shiftMonth(month, -1));
    $('cal-next').setAttribute('href', '#/calendar/' + shiftMonth(month, 1));
    $('cal-today').setAttribute('href', '#/calendar/' + todayShanghai().slice(0, 7));
    $('cal-status').value = calendarState.status;
    show(calAlert, '');
    renderCalendarGrid(month, range, null);
    var listBox = $('campaign-list');
    clear(listBox);
    listBox.appendChild(el('p', { className: 'empty', text: T.loading }));
    var params = new URLSearchParams();
    params.set('from', range.from);
    params.set('to', range.to);
    if (calendarState.status) params.set('status', calendarState.status);
    try {
      var r = await api('GET', '/api/campaigns?' + params.toString());
      if (seq !== navSeq) return;
      if (r.status !== 200 || !r.data || !r.data.calendar) {
        clear(listBox);
        show(calAlert, r.status === 403 ? P.forbidden : T.loadFailed, 'alert');
        return;
      }
      renderCalendarGrid(month, range, r.data.calendar);
      renderCampaignList(r.data.campaigns || []);
    } catch (e) {
      if (seq !== navSeq) return;
      clear(listBox);
      failed(e, calAlert);
    }
  }
  function renderCalendarGrid(month, range, entries) {
    var grid = $('calendar-grid'), head = grid.tHead.rows[0], body = grid.tBodies[0];
    clear(head);
    clear(body);
    WEEKDAYS.forEach(function (wd) { head.appendChild(el('th', { scope: 'col', text: P.weekdays[wd] })); });
    var byDay = {};
    (entries || []).forEach(function (e) { var d = shanghai(e.at).date; (byDay[d] = byDay[d] || []).push(e); });
    var today = todayShanghai(), row = null, i = 0;
    for (var day = range.from; day <= range.to; day = addDays(day, 1), i++) {
      if (i % 7 === 0) { row = el('tr'); body.appendChild(row); }
      var chips = (byDay[day] || []).map(calendarChip);
      row.appendChild(el('td', {
        className: 'cal-day' + (day.slice(0, 7) === month ? '' : ' other-month') + (day === today ? ' today' : ''),
        'data-date': day, 'aria-current': day === today ? 'date' : undefined
      }, [
        el('time', { className: 'cal-date', datetime: day, title: dateText(day), text: String(Number(day.slice(8, 10))) }),
        chips.length ? el('ul', { className: 'chips' }, chips) : null
      ]));
    }
    grid.setAttribute('aria-busy', entries ? 'false' : 'true');
    var inMonth = (entries || []).filter(function (e) { return shanghai(e.at).date.slice(0, 7) === month; });
    show($('cal-empty'), entries && !inMonth.length ? P.noEntries : '');
  }
  function calendarChip(e) {
    return el('li', null, [el('a', {
      className: 'chip cs-' + e.status + ' kd-' + e.kind, href: campaignHref(e.campaignId), 'data-campaign': e.campaignId, 'data-at': e.at,
      title: [P.kinds[e.kind] || e.kind, e.title, P.statuses[e.status] || e.status, communityList(e.communityIds, 3)].join(' · ')
    }, [
      el('span', { className: 'chip-kind', text: P.kindsShort[e.kind] || e.kind }), ' ',
      el('span', { className: 'chip-time', text: shanghai(e.at).time }), ' ',
      el('span', { className: 'chip-title', text: e.title })
    ])]);
  }
  function renderCampaignList(campaigns) {
    var listBox = $('campaign-list'), L = P.campaignColumns;
    var cols = ['title', 'kind', 'status', 'communities', 'firstRun', 'nextRun'];
    clear(listBox);
    if (!campaigns.length) { listBox.appendChild(el('p', { className: 'empty', text: P.noCampaigns })); return; }
    var table = el('table', { className: 'cases', id: 'campaigns-table' }, [
      el('thead', null, [el('tr', null, cols.map(function (col) { return el('th', { scope: 'col', text: L[col] }); }))])
    ]);
    table.appendChild(el('tbody', null, campaigns.map(function (c) {
      return el('tr', {
        className: 'row', 'data-id': c.campaignId,
        onclick: function (e) { if (!e.target.closest('a')) location.hash = campaignHref(c.campaignId); }
      }, [
        el('td', { 'data-label': L.title }, [el('a', { href: campaignHref(c.campaignId), text: c.title })]),
        el('td', { 'data-label': L.kind, text: P.kinds[c.channel.kind] || c.channel.kind }),
        el('td', { 'data-label': L.status }, [statusBadge(c.status)]),
        el('td', { 'data-label': L.communities, text: communityList(c.communityIds, 3) }),
        el('td', { className: 'nowrap', 'data-label': L.firstRun, text: localText(c.firstRunAt) }),
        el('td', { className: 'nowrap', 'data-label': L.nextRun, text: c.nextRunAt ? when(c.nextRunAt) : '—' })
      ]);
    })));
    listBox.appendChild(table);
  }

  // ─── new campaign / edit ───
  var cform = $('campaign-form'), cfAlert = $('cf-alert'), cfFormError = $('cf-form-error'), picker = $('cf-communities');
  var formState = { mode: 'new', view: null, touched: {}, showAll: false, previewIssues: {}, saveIssues: {}, timer: null, seq: 0, busy: false };
  var pickerBuilt = false;

  function checkedValue(name) { var x = cform.querySelector('input[name="' + name + '"]:checked'); return x ? x.value : ''; }
  function setChecked(name, values) {
    Array.prototype.forEach.call(cform.querySelectorAll('input[name="' + name + '"]'), function (i) { i.checked = values.indexOf(i.value) >= 0; });
  }
  function checkedValues(name) {
    return Array.prototype.map.call(cform.querySelectorAll('input[name="' + name + '"]:checked'), function (i) { return i.value; });
  }

  function buildPicker() {
    if (pickerBuilt || !townships.length) return;
    clear(picker);
    townships.forEach(function (t) {
      if (!t.communities || !t.communities.length) return;
      var items = t.communities.map(function (c) {
        var search = [c.zh, c.en, c.id, t.zh, t.en].join(' ').toLowerCase();
        return el('label', { className: 'pick', 'data-search': search }, [
          el('input', { type: 'checkbox', name: 'communityIds', value: c.id }), el('span', { text: c[LANG] })
        ]);
      });
      picker.appendChild(el('fieldset', { className: 'pick-group', 'data-township': t.id }, [
        el('legend', null, [el('label', null, [
          el('input', { type: 'checkbox', className: 'pick-all', 'data-township': t.id, 'aria-label': P.selectAll + ' · ' + t[LANG] }),
          el('span', { text: t[LANG] })
        ])]),
        el('div', { className: 'pick-items' }, items)
      ]));
    });
    pickerBuilt = true;
  }
  function filterPicker(query) {
    var q = String(query || '').trim().toLowerCase();
    Array.prototype.forEach.call(picker.querySelectorAll('.pick-group'), function (g) {
      var any = false;
      Array.prototype.forEach.call(g.querySelectorAll('label.pick'), function (l) {
        var hit = !q || l.getAttribute('data-search').indexOf(q) >= 0;
        l.hidden = !hit;
        any = any || hit;
      });
      g.hidden = !any;
    });
  }
  function syncPicker() {
    Array.prototype.forEach.call(picker.querySelectorAll('.pick-group'), function (g) {
      var boxes = g.querySelectorAll('input[name=communityIds]'), on = 0;
      Array.prototype.forEach.call(boxes, function (b) { if (b.checked) on++; });
      var all = g.querySelector('.pick-all');
      all.checked = on > 0 && on === boxes.length;
      all.indeterminate = on > 0 && on < boxes.length;
    });
    var ids = checkedValues('communityIds');
    $('cf-communities-picked').textContent = ids.length
      ? fill(P.selectedSome, { n: ids.length, names: communityList(ids, 6) })
      : P.selectedNone;
  }
  $('cf-community-search').addEventListener('input', function () { filterPicker(this.value); });
  $('cf-community-clear').addEventListener('click', function () {
    setChecked('communityIds', []);
    formState.touched.communities = true;
    syncPicker();
    schedulePreview();
  });

  function syncFormVisibility() {
    var freq = checkedValue('frequency') || 'once', kind = checkedValue('kind') || 'sms', end = checkedValue('end') || 'none';
    $('cf-repeat').hidden = freq === 'once';
    $('cf-weekdays-field').hidden = freq !== 'weekly';
    $('cf-monthDay-field').hidden = freq !== 'monthly';
    $('cf-interval-unit').textContent = freq === 'monthly' ? P.intervalUnits.monthly : P.intervalUnits.weekly;
    $('cf-interval').max = freq === 'monthly' ? '12' : '8';
    $('cf-count').max = freq === 'monthly' ? '60' : '104';
    $('cf-count').disabled = end !== 'count';
    $('cf-until').disabled = end !== 'until';
    $('cf-count-field').hidden = end !== 'count';
    $('cf-until-field').hidden = end !== 'until';
    $('cf-sms').hidden = kind !== 'sms';
    $('cf-task').hidden = kind === 'sms';
    $('cf-duration').placeholder = kind === 'video' ? '30' : '60';
  }
  function syncFormButtons() {
    var editing = formState.mode === 'edit';
    var allowed = editing && formState.view ? formState.view.allowedActions || [] : [];
    $('cf-save').hidden = !editing;
    $('cf-draft').hidden = editing;
    $('cf-schedule').hidden = editing && allowed.indexOf('schedule') < 0;
  }
  /** The CampaignPlan the form holds. Empty or malformed numbers go as null, so the server names them. */
  function readPlan() {
    var freq = checkedValue('frequency') || 'once', kind = checkedValue('kind') || 'sms';
    var wholeNumber = function (raw) { raw = String(raw).trim(); return /^[0-9]+$/.test(raw) ? Number(raw) : null; };
    var recurrence = { frequency: freq };
    if (freq !== 'once') {
      if ($('cf-interval').value.trim() !== '') recurrence.interval = wholeNumber($('cf-interval').value);
      if (freq === 'weekly') recurrence.weekdays = checkedValues('weekdays');
      else recurrence.monthDay = checkedValue('monthDay') || 'same_day';
      var end = checkedValue('end');
      if (end === 'count') recurrence.count = wholeNumber($('cf-count').value);
      if (end === 'until') recurrence.until = $('cf-until').value;
    }
    var channel = { kind: kind };
    if (kind === 'sms') {
      channel.signature = $('cf-signature').value;
      channel.body = $('cf-body').value;
    } else {
      channel.venue = $('cf-venue').value;
      if ($('cf-duration').value.trim() !== '') channel.durationMinutes = wholeNumber($('cf-duration').value);
      channel.assignee = { role: $('cf-assigneeRole').value, name: $('cf-assigneeName').value, phone: $('cf-assigneePhone').value };
    }
    return {
      title: $('cf-title').value,
      communityIds: checkedValues('communityIds'),
      firstRunAt: $('cf-firstRunAt').value,
      recurrence: recurrence,
      channel: channel
    };
  }
  function fillForm(c) {
    var r = c.recurrence || { frequency: 'once' }, ch = c.channel;
    $('cf-title').value = c.title;
    setChecked('communityIds', c.communityIds);
    $('cf-firstRunAt').value = c.firstRunAt;
    setChecked('frequency', [r.frequency]);
    $('cf-interval').value = String(r.interval || 1);
    setChecked('weekdays', r.weekdays && r.weekdays.length ? r.weekdays : [weekdayOf(c.firstRunAt.slice(0, 10))]);
    setChecked('monthDay', [r.monthDay || 'same_day']);
    setChecked('end', [r.count ? 'count' : r.until ? 'until' : 'none']);
    $('cf-count').value = r.count ? String(r.count) : '';
    $('cf-until').value = r.until || '';
    setChecked('kind', [ch.kind]);
    if (ch.kind === 'sms') {
      $('cf-signature').value = ch.signature;
      $('cf-body').value = ch.body;
    } else {
      $('cf-venue').value = ch.venue;
      $('cf-duration').value = String(ch.durationMinutes);
      $('cf-assigneeRole').value = ch.assignee.role;
      $('cf-assigneeName').value = ch.assignee.name;
      $('cf-assigneePhone').value = ch.assignee.phone;
    }
  }
  function resetForm() {
    cform.reset();
    formState.touched = {};
    formState.showAll = false;
    formState.previewIssues = {};
    formState.saveIssues = {};
    filterPicker('');
    syncPicker();
    syncFormVisibility();
    renderFieldErrors();
    show(cfAlert, '');
    show(cfFormError, '');
    $('pv-result').hidden = true;
    show($('pv-status'), P.previewIdle);
  }
  function renderFieldErrors() {
    CAMPAIGN_FIELDS.forEach(function (f) {
      var texts = (formState.saveIssues[f] || []).slice();
      (formState.previewIssues[f] || []).forEach(function (t) { if (texts.indexOf(t) < 0) texts.push(t); });
      // A field's error shows once it has been worked on (or after a save), not while the form is
      // still blank; the first run and the weekdays depend on each other and on the recurrence, so
      // theirs show as soon as anything has been changed.
      var linked = (f === 'firstRunAt' || f === 'weekdays') && Object.keys(formState.touched).length > 0;
      var visible = texts.length > 0 && (formState.showAll || linked || !!formState.touched[f] || !!formState.saveIssues[f]);
      var wrap = $('cf-' + f + '-field'), err = $('cf-' + f + '-error'), control = $('cf-' + f);
      if (!wrap || !err) return;
      show(err, visible ? texts.join(' ') : '');
      wrap.classList.toggle('has-error', visible);
      if (control) { if (visible) control.setAttribute('aria-invalid', 'true'); else control.removeAttribute('aria-invalid'); }
    });
  }
  function onFormEdit(e) {
    var target = e.target;
    if (!target || !target.closest || target.hasAttribute('data-no-preview')) return;
    if (e.type === 'change' && target.classList.contains('pick-all')) {
      var group = target.closest('.pick-group');
      Array.prototype.forEach.call(group.querySelectorAll('label.pick'), function (l) {
        if (!l.hidden) l.querySelector('input').checked = target.checked;
      });
    }
    if (e.type === 'change' && target.name === 'frequency' && target.value === 'weekly' && !checkedValues('weekdays').length) {
      // Weekly starts on the weekday of the first run, which the series must include.
      var first = $('cf-firstRunAt').value;
      if (/^[0-9]{4}-[0-9]{2}-[0-9]{2}/.test(first)) setChecked('weekdays', [weekdayOf(first.slice(0, 10))]);
    }
    var wrap = target.closest('[data-field]'), field = wrap ? wrap.getAttribute('data-field') : '';
    if (field) {
      formState.touched[field] = true;
      delete formState.saveIssues[field];
    }
    syncFormVisibility();
    syncPicker();
    renderFieldErrors();
    schedulePreview();
  }
  cform.addEventListener('input', onFormEdit);
  cform.addEventListener('change', onFormEdit);
  cform.addEventListener('submit', function (e) { e.preventDefault(); });

  function schedulePreview(delay) {
    clearTimeout(formState.timer);
    formState.timer = setTimeout(runPreview, delay === undefined ? 350 : delay);
  }
  async function runPreview() {
    if (views.campaignForm.hidden || !session) return;
    var seq = ++formState.seq, preview = $('cf-preview'), status = $('pv-status');
    show(status, P.previewUpdating);
    preview.setAttribute('aria-busy', 'true');
    try {
      var r = await api('POST', '/api/campaign-previews', readPlan());
      if (seq !== formState.seq || views.campaignForm.hidden) return;
      preview.removeAttribute('aria-busy');
      if (r.status === 200 && r.data) {
        formState.previewIssues = {};
        renderFieldErrors();
        renderPreview(r.data);
        return;
      }
      $('pv-result').hidden = true;
      if (r.status === 400) {
        var sorted = sortIssues(r.data && r.data.error ? r.data.error.issues : []);
        formState.previewIssues = sorted.byField;
        renderFieldErrors();
        show(status, sorted.fields.length
          ? fill(P.previewInvalid, { fields: sorted.fields.map(function (f) { return P.fields[f]; }).join(T.listSeparator) })
          : P.previewFailed);
        return;
      }
      show(status, r.status === 403 ? P.forbidden : P.previewFailed);
    } catch (e) {
      if (seq !== formState.seq || e instanceof Expired) return;
      preview.removeAttribute('aria-busy');
      $('pv-result').hidden = true;
      show(status, e instanceof NetworkDown ? T.networkError : P.previewFailed);
    }
  }
  function renderPreview(d) {
    var m = d.message;
    show($('pv-status'), '');
    $('pv-result').hidden = false;
    $('pv-sms').hidden = !m;
    Array.prototype.forEach.call(document.querySelectorAll('#cf-preview .sms-only'), function (n) { n.hidden = !m; });
    $('pv-households').textContent = fill(P.householdsValue, { n: number(d.households) });
    if (m) {
      $('pv-text').textContent = m.text;
      $('pv-characters').textContent = fill(P.charactersValue, { n: number(m.characters) });
      $('pv-encoding').textContent = m.encoding;
      $('pv-parts').textContent = fill(P.partsValue, { n: number(m.parts) });
      $('pv-messages').textContent = fill(P.messagesValue, { n: number(m.estimatedMessages) });
      $('pv-estimated-parts').textContent = fill(P.partsValue, { n: number(m.estimatedParts) });
    }
    var upcoming = $('pv-upcoming');
    clear(upcoming);
    (d.upcoming || []).forEach(function (at) { upcoming.appendChild(el('li', null, [el('time', { datetime: at, text: withWeekday(at) })])); });
    if (!d.upcoming || !d.upcoming.length) upcoming.appendChild(el('li', { className: 'muted', text: P.noUpcoming }));
    $('pv-rrule').textContent = d.rrule || '';
    var warnings = (d.warnings || []).map(warningText), list = $('pv-warning-list');
    clear(list);
    warnings.forEach(function (w) { list.appendChild(el('li', { text: w })); });
    $('pv-warnings').hidden = !warnings.length;
  }

  async function prepareForm(heading, tab) {
    showView('campaignForm', tab);
    $('cf-heading').textContent = heading;
    document.title = heading + ' · ' + T.pageTitle;
    clearTimeout(formState.timer);
    formState.seq++;
    await loadCatalog();
    buildPicker();
    resetForm();
  }
  async function showCampaignForm(communityId) {
    var seq = ++navSeq;
    formState.mode = 'new';
    formState.view = null;
    await prepareForm(P.newHeading, 'new_campaign');
    if (seq !== navSeq) return;
    // Tomorrow at 10:00 Beijing time: a daytime start that is always in the future.
    $('cf-firstRunAt').value = addDays(todayShanghai(), 1) + 'T10:00';
    if (communityId) { setChecked('communityIds', [communityId]); formState.touched.communities = true; }
    syncFormButtons();
    syncFormVisibility();
    syncPicker();
    focusHeading('cf-heading');
    schedulePreview(0);
  }
  async function showCampaignEdit(id) {
    var seq = ++navSeq;
    formState.mode = 'edit';
    formState.view = null;
    await prepareForm(P.editHeading, 'calendar');
    if (seq !== navSeq) return;
    syncFormButtons();
    $('cf-save').hidden = true;
    $('cf-schedule').hidden = true;
    try {
      var r = await api('GET', '/api/campaigns/' + encodeURIComponent(id));
      if (seq !== navSeq) return;
      if (r.status !== 200 || !r.data || !r.data.campaign) {
        show(cfAlert, r.status === 404 ? P.notFound : r.status === 403 ? P.forbidden : T.loadFailed, 'alert');
        return;
      }
      if ((r.data.allowedActions || []).indexOf('edit') < 0) { openCampaignView(r.data, { error: P.notAllowed }); return; }
      formState.view = r.data;
      fillForm(r.data.campaign);
      // Everything in it was entered before: its problems may show at once.
      formState.showAll = true;
      syncFormButtons();
      syncFormVisibility();
      syncPicker();
      focusHeading('cf-heading');
      schedulePreview(0);
    } catch (e) {
      if (seq === navSeq) failed(e, cfAlert);
    }
  }
  $('cf-schedule').addEventListener('click', function () { saveCampaign(true, this); });
  $('cf-draft').addEventListener('click', function () { saveCampaign(false, this); });
  $('cf-save').addEventListener('click', function () { saveCampaign(false, this); });

  function placeIssues(issues) {
    var sorted = sortIssues(issues);
    formState.saveIssues = sorted.byField;
    formState.showAll = true;
    renderFieldErrors();
    if (sorted.unplaced.length || !sorted.fields.length) {
      show(cfFormError, T.invalid, 'alert');
      if (sorted.unplaced.length) cfFormError.appendChild(el('span', { className: 'alert-detail', text: sorted.unplaced.join('; ') }));
    }
    var first = sorted.fields[0] ? $('cf-' + sorted.fields[0]) : null;
    var focus = first && (first.matches('input,select,textarea') ? first : first.querySelector('input,select,textarea'));
    if (focus && !focus.disabled) focus.focus();
  }
  async function saveCampaign(schedule, button) {
    if (formState.busy) return;
    var editing = formState.mode === 'edit' && formState.view;
    var buttons = [$('cf-schedule'), $('cf-draft'), $('cf-save')], label = button.textContent;
    show(cfFormError, '');
    show(cfAlert, '');
    formState.busy = true;
    buttons.forEach(function (b) { b.disabled = true; });
    button.textContent = P.saving;
    try {
      var plan = readPlan(), r;
      if (editing) {
        var current = formState.view.campaign;
        r = await api('PUT', '/api/campaigns/' + encodeURIComponent(current.campaignId), Object.assign({}, plan, { expectedVersion: current.version }));
      } else {
        r = await api('POST', '/api/campaigns', Object.assign({}, plan, { schedule: !!schedule }));
      }
      var error = r.data && r.data.error ? r.data.error : {};
      if ((r.status === 200 || r.status === 201) && r.data && r.data.campaign) {
        var view = r.data, notice = { ok: editing ? P.changesSaved : schedule ? P.scheduled : P.draftSaved };
        if (editing && schedule) {
          var s = await api('POST', '/api/campaigns/' + encodeURIComponent(view.campaign.campaignId) + '/actions', { action: 'schedule', expectedVersion: view.campaign.version });
          if (s.status === 200 && s.data && s.data.campaign) { view = s.data; notice = { ok: P.scheduled }; }
          else notice = { ok: P.changesSaved, error: actionErrorText(s) };
        }
        openCampaignView(view, notice);
        return;
      }
      if (r.status === 400) { placeIssues(error.issues); return; }
      if (r.status === 409 && editing) {
        showCampaignAfter(formState.view.campaign.campaignId, { error: error.code === 'version_conflict' ? P.versionConflict : P.notAllowed });
        return;
      }
      show(cfFormError, r.status === 404 ? P.notFound : r.status === 403 ? P.forbidden : T.serverError, 'alert');
    } catch (e) {
      failed(e, cfFormError);
    } finally {
      formState.busy = false;
      buttons.forEach(function (b) { b.disabled = false; });
      button.textContent = label;
    }
  }

  // ─── one campaign ───
  var campaignView = $('campaign-view');
  /** Shows a campaign the server just answered with, without asking again. */
  function openCampaignView(view, notice) {
    pendingCampaign = { id: view.campaign.campaignId, view: view, notice: notice };
    var href = campaignHref(view.campaign.campaignId);
    if (location.hash === href) route(); else location.hash = href;
  }
  /** Opens a campaign afresh from the server, with a notice on top. */
  function showCampaignAfter(id, notice) {
    var href = campaignHref(id);
    if (location.hash === href) { showCampaign(id, notice); return; }
    pendingNotice = { id: id, notice: notice };
    location.hash = href;
  }
  var pendingNotice = null;
  async function showCampaign(id, notice) {
    var seq = ++navSeq;
    showView('campaign', 'calendar');
    if (pendingCampaign && pendingCampaign.id === id) {
      var ready = pendingCampaign;
      pendingCampaign = null;
      renderCampaign(ready.view, ready.notice);
      return;
    }
    pendingCampaign = null;
    if (!notice && pendingNotice && pendingNotice.id === id) notice = pendingNotice.notice;
    pendingNotice = null;
    if (!notice) {
      destroyEffectChart();
      clear(campaignView);
      campaignView.appendChild(el('p', { className: 'empty', text: T.loading }));
    }
    try {
      var r = await api('GET', '/api/campaigns/' + encodeURIComponent(id));
      if (seq !== navSeq) return;
      if (r.status === 200 && r.data && r.data.campaign) { renderCampaign(r.data, notice); return; }
      renderCampaignError(r.status === 404 ? P.notFound : r.status === 403 ? P.forbidden : T.loadFailed);
    } catch (e) {
      if (seq !== navSeq || e instanceof Expired) return;
      renderCampaignError(e instanceof NetworkDown ? T.networkError : T.serverError);
    }
  }
  function calendarLink(c) {
    var at = c && (c.nextRunAt || c.lastRunAt);
    var month = at ? shanghai(at).date.slice(0, 7) : c ? c.firstRunAt.slice(0, 7) : '';
    return el('a', { className: 'back', href: '#/calendar' + (month ? '/' + month : ''), text: '← ' + P.backToCalendar });
  }
  function renderCampaignError(message) {
    destroyEffectChart();
    clear(campaignView);
    campaignView.appendChild(calendarLink(null));
    campaignView.appendChild(el('p', { className: 'alert', role: 'alert', text: message }));
  }
  function renderCampaign(v, notice) {
    var c = v.campaign;
    destroyEffectChart();
    clear(campaignView);
    document.title = c.title + ' · ' + T.pageTitle;
    campaignView.appendChild(calendarLink(c));
    campaignView.appendChild(el('div', { className: 'case-head' }, [
      el('h1', { id: 'campaign-title', tabindex: '-1', text: c.title }),
      statusBadge(c.status, 'campaign-status'),
      el('span', { className: 'badge plain', text: P.kinds[c.channel.kind] || c.channel.kind })
    ]));
    var alertBox = el('p', { className: 'alert', id: 'campaign-alert', role: 'alert', hidden: true });
    var noticeBox = el('p', { className: 'notice', id: 'campaign-notice', role: 'status', hidden: true });
    if (notice && notice.error) show(alertBox, notice.error, 'alert');
    if (notice && notice.ok) show(noticeBox, notice.ok, 'notice');
    campaignView.appendChild(noticeBox);
    campaignView.appendChild(alertBox);
    campaignView.appendChild(el('div', { className: 'campaign-grid' }, [
      campaignFacts(v), campaignActions(v, alertBox, noticeBox), runsCard(v)
    ]));
    if (v.effect) campaignView.appendChild(effectCard(v.effect));
    focusHeading('campaign-title');
    if (v.effect) drawEffect(v.effect);
  }
  function recurrenceText(c) {
    var r = c.recurrence || { frequency: 'once' };
    if (r.frequency === 'once') return P.recurrenceOnce;
    var n = r.interval || 1, parts = [];
    if (r.frequency === 'weekly') {
      var days = r.weekdays && r.weekdays.length ? r.weekdays : [weekdayOf(c.firstRunAt.slice(0, 10))];
      parts.push(n > 1 ? fill(P.everyNWeeks, { n: n }) : P.everyWeek);
      parts.push(WEEKDAYS.filter(function (d) { return days.indexOf(d) >= 0; }).map(function (d) { return P.weekdays[d]; }).join(T.listSeparator));
    } else {
      parts.push(n > 1 ? fill(P.everyNMonths, { n: n }) : P.everyMonth);
      parts.push(r.monthDay === 'last_day' ? P.onLastDay : fill(P.onMonthDay, { day: Number(c.firstRunAt.slice(8, 10)) }));
    }
    if (r.count) parts.push(fill(P.countTimes, { n: r.count }));
    if (r.until) parts.push(fill(P.untilDate, { date: dateText(r.until) }));
    return parts.join(' · ');
  }
  function smsFacts(m, idPrefix) {
    var dl = el('dl', { className: 'facts compact' });
    fact(dl, P.characters, fill(P.charactersValue, { n: number(m.characters) }));
    fact(dl, P.encoding, m.encoding);
    fact(dl, P.parts, fill(P.partsValue, { n: number(m.parts) }));
    fact(dl, P.estimatedMessages, el('span', { id: idPrefix + '-messages', text: fill(P.messagesValue, { n: number(m.estimatedMessages) }) }));
    fact(dl, P.estimatedParts, el('span', { id: idPrefix + '-estimated-parts', text: fill(P.partsValue, { n: number(m.estimatedParts) }) }));
    return dl;
  }
  function campaignFacts(v) {
    var c = v.campaign, ch = c.channel;
    var card = el('section', { className: 'card area-facts', 'aria-labelledby': 'campaign-facts-title' }, [el('h2', { id: 'campaign-facts-title', text: P.detailsHeading })]);
    var dl = el('dl', { className: 'facts', id: 'campaign-facts' });
    fact(dl, P.detailKind, P.kinds[ch.kind] || ch.kind);
    fact(dl, P.detailCommunities, c.communityIds.map(communityName).join(T.listSeparator));
    fact(dl, P.detailHouseholds, fill(P.householdsValue, { n: number(v.households) }));
    fact(dl, P.detailFirstRun, localText(c.firstRunAt));
    fact(dl, P.detailRecurrence, recurrenceText(c));
    if (c.nextRunAt) fact(dl, P.detailNextRun, timeEl(c.nextRunAt));
    if (c.lastRunAt) fact(dl, P.detailLastRun, timeEl(c.lastRunAt));
    if (ch.kind !== 'sms') {
      fact(dl, P.detailVenue, ch.venue);
      fact(dl, P.detailDuration, fill(P.durationValue, { n: ch.durationMinutes }));
      // The assignee's phone is shown here only, where the person who entered it plans the event.
      fact(dl, P.detailAssignee, el('span', null, [
        (P.assigneeRoles[ch.assignee.role] || ch.assignee.role) + ' ' + ch.assignee.name + ' ',
        el('a', { className: 'phone', id: 'campaign-assignee-phone', href: 'tel:' + ch.assignee.phone, text: readablePhone(ch.assignee.phone) }),
        el('span', { className: 'phone-note', text: P.assigneeNote })
      ]));
    }
    card.appendChild(dl);
    if (v.preview) {
      card.appendChild(el('h3', { text: P.smsText }));
      card.appendChild(el('p', { className: 'sms-text', id: 'campaign-sms-text', text: v.preview.text }));
      card.appendChild(smsFacts(v.preview, 'campaign'));
    }
    if (c.status === 'scheduled' || c.status === 'running') {
      card.appendChild(el('h3', { text: P.upcoming }));
      var upcoming = v.upcoming || [];
      card.appendChild(el('ol', { className: 'upcoming', id: 'campaign-upcoming' }, upcoming.length
        ? upcoming.map(function (at) { return el('li', null, [el('time', { datetime: at, text: withWeekday(at) })]); })
        : [el('li', { className: 'muted', text: P.noUpcoming })]));
    }
    card.appendChild(el('details', { className: 'rrule' }, [el('summary', { text: P.rrule }), el('pre', { id: 'campaign-rrule', text: v.rrule || '' })]));
    return card;
  }
  function actionErrorText(r) {
    var error = r.data && r.data.error ? r.data.error : {};
    if (r.status === 400) {
      var sorted = sortIssues(error.issues), texts = [];
      sorted.fields.forEach(function (f) { texts = texts.concat(sorted.byField[f]); });
      return texts.length ? texts.join(' ') : T.invalid;
    }
    if (r.status === 409) return error.code === 'version_conflict' ? P.versionConflict : P.notAllowed;
    if (r.status === 404) return P.notFound;
    if (r.status === 403) return P.forbidden;
    return T.serverError;
  }
  function campaignActions(v, alertBox, noticeBox) {
    var c = v.campaign;
    var card = el('section', { className: 'card area-actions', id: 'campaign-actions', 'aria-labelledby': 'campaign-actions-title' }, [
      el('h2', { id: 'campaign-actions-title', text: P.actionsHeading })
    ]);
    if (!mayPlan()) { card.appendChild(el('p', { className: 'muted', id: 'campaign-read-only', text: P.readOnly })); return card; }
    var allowed = v.allowedActions || [];
    if (!allowed.length) { card.appendChild(el('p', { className: 'muted', id: 'campaign-no-actions', text: P.noCampaignActions })); return card; }
    var confirmSlot = el('div');
    var buttons = el('div', { className: 'action-buttons' }, ['schedule', 'edit', 'cancel'].filter(function (a) { return allowed.indexOf(a) >= 0; }).map(function (a) {
      if (a === 'edit') return el('a', { className: 'secondary', 'data-action': 'edit', href: campaignHref(c.campaignId) + '/edit', text: P.actions.edit });
      return el('button', {
        type: 'button', className: a === 'cancel' ? 'caution' : 'primary', 'data-action': a, 'aria-expanded': 'false', 'aria-controls': 'campaign-confirm-box', text: P.actions[a],
        onclick: function () { openConfirm(a, this); }
      });
    }));
    function openConfirm(action, button) {
      Array.prototype.forEach.call(buttons.querySelectorAll('button'), function (b) { b.setAttribute('aria-expanded', String(b === button)); });
      show(alertBox, '');
      show(noticeBox, '');
      clear(confirmSlot);
      var yes = el('button', { type: 'button', className: action === 'cancel' ? 'caution' : 'primary', id: 'campaign-confirm', 'data-action': action, text: P.confirmYes[action] });
      var back = el('button', { type: 'button', className: 'secondary', text: P.keep, onclick: function () {
        clear(confirmSlot);
        button.setAttribute('aria-expanded', 'false');
        button.focus();
      } });
      confirmSlot.appendChild(el('div', { className: 'confirm', id: 'campaign-confirm-box', role: 'group', 'aria-label': P.actions[action] }, [
        el('p', { text: action === 'cancel' ? P.confirmCancel : P.confirmSchedule }),
        el('div', { className: 'form-buttons' }, [yes, back])
      ]));
      yes.addEventListener('click', async function () {
        yes.disabled = true;
        yes.textContent = T.sending;
        try {
          var r = await api('POST', '/api/campaigns/' + encodeURIComponent(c.campaignId) + '/actions', { action: action, expectedVersion: c.version });
          if (r.status === 200 && r.data && r.data.campaign) {
            renderCampaign(r.data, { ok: action === 'cancel' ? P.cancelled : P.scheduled });
            return;
          }
          if (r.status === 409) { showCampaign(c.campaignId, { error: actionErrorText(r) }); return; }
          show(alertBox, actionErrorText(r), 'alert');
        } catch (e) {
          failed(e, alertBox);
        } finally {
          yes.disabled = false;
          yes.textContent = P.confirmYes[action];
        }
      });
      yes.focus();
    }
    card.appendChild(buttons);
    card.appendChild(confirmSlot);
    return card;
  }
  function attendanceText(run) {
    if (!run.attendance) return '—';
    var ids = Object.keys(run.attendance);
    var total = sum(ids.map(function (id) { return run.attendance[id]; }));
    var each = ids.length > 1 ? fill(T.parenthesised, { text: ids.map(function (id) { return communityName(id) + ' ' + number(run.attendance[id]); }).join(T.listSeparator) }) : '';
    return fill(P.attendanceTotal, { n: number(total) }) + each;
  }
  function runsCard(v) {
    var c = v.campaign, sms = c.channel.kind === 'sms', runs = v.runs || [];
    var card = el('section', { className: 'card area-runs', id: 'campaign-runs', 'aria-labelledby': 'runs-title' }, [el('h2', { id: 'runs-title', text: P.runsHeading })]);
    if (!runs.length) { card.appendChild(el('p', { className: 'muted', id: 'no-runs', text: P.noRuns })); return card; }
    var cols = sms ? ['occurrence', 'status'].concat(RUN_COUNTS) : ['occurrence', 'status', 'reminder', 'attendance'];
    var label = function (col) { return P.runColumns[col] || P.runCounts[col]; };
    var numeric = function (col) { return RUN_COUNTS.indexOf(col) >= 0; };
    var table = el('table', { className: 'cases runs', id: 'runs-table' }, [
      el('thead', null, [el('tr', null, cols.map(function (col) { return el('th', { scope: 'col', className: numeric(col) ? 'num' : undefined, text: label(col) }); }))])
    ]);
    table.appendChild(el('tbody', null, runs.map(function (run) {
      return el('tr', { 'data-run': run.runId, 'data-status': run.status }, cols.map(function (col) {
        var l = label(col);
        if (col === 'occurrence') return el('td', { className: 'nowrap', 'data-label': l }, [timeEl(run.occurrenceAt)]);
        if (col === 'status') return el('td', { 'data-label': l }, [el('span', { className: 'badge rs-' + run.status, text: P.runStatuses[run.status] || run.status })]);
        if (col === 'reminder') return el('td', { 'data-label': l, text: run.reminder ? P.reminderSent + ' · ' + when(run.reminder.sentAt) : P.reminderNotYet });
        if (col === 'attendance') return el('td', { 'data-label': l, 'data-attendance': '', text: attendanceText(run) });
        return el('td', { className: 'num', 'data-label': l, 'data-count': col, text: number(run.counts ? run.counts[col] : 0) });
      }));
    })));
    card.appendChild(el('div', { className: 'table-scroll' }, [table]));
    if (!sms && mayPlan()) {
      runs.filter(function (run) { return run.status === 'awaiting_attendance'; }).forEach(function (run) {
        card.appendChild(attendanceForm({
          id: 'attendance-' + run.runId, campaignId: c.campaignId, run: run, communityIds: run.communityIds,
          hint: P.attendanceHint, invalid: P.attendanceError, forbidden: P.forbidden,
          saved: function (d) { renderCampaign(d, { ok: P.attendanceSaved }); },
          stale: function () { showCampaign(c.campaignId, { error: P.notAllowed }); }
        }));
      });
    }
    return card;
  }
  /**
   * A run's attendance form: a whole number per community (o.communityIds), posted to the run's
   * attendance route; o.saved gets the answer, o.stale is called when the run moved on meanwhile.
   */
  function attendanceForm(o) {
    var run = o.run;
    var form = el('form', { className: 'action-form attendance', id: o.id, 'data-campaign': o.campaignId, 'data-run': run.runId, novalidate: true }, [
      el('h3', { text: fill(P.attendanceHeading, { when: when(run.occurrenceAt) }) })
    ]);
    if (Date.parse(run.occurrenceAt) > Date.now()) { form.appendChild(el('p', { className: 'hint', text: P.attendanceLater })); return form; }
    form.appendChild(el('p', { className: 'hint', text: o.hint }));
    var inputs = o.communityIds.map(function (id, i) {
      var inputId = o.id + '-' + i;
      var input = el('input', {
        id: inputId, name: id, type: 'number', min: 0, max: 100000, step: 1, inputmode: 'numeric',
        value: run.attendance && run.attendance[id] !== undefined ? String(run.attendance[id]) : undefined
      });
      form.appendChild(el('div', { className: 'inline-field' }, [el('label', { 'for': inputId, text: communityName(id) }), input, el('span', { className: 'muted', text: P.peopleUnit })]));
      return input;
    });
    var error = el('p', { className: 'alert', id: o.id + '-error', role: 'alert', hidden: true });
    var submit = el('button', { type: 'submit', className: 'primary', id: o.id + '-submit', text: P.recordAttendance });
    form.appendChild(error);
    form.appendChild(el('div', { className: 'form-buttons' }, [submit]));
    form.addEventListener('submit', async function (e) {
      e.preventDefault();
      show(error, '');
      var counts = {}, bad = false;
      inputs.forEach(function (input) {
        var raw = input.value.trim();
        if (raw === '') return;
        if (!/^[0-9]+$/.test(raw) || Number(raw) > 100000) bad = true;
        counts[input.name] = Number(raw);
      });
      if (bad || !Object.keys(counts).length) { show(error, o.invalid, 'alert'); return; }
      submit.disabled = true;
      submit.textContent = T.sending;
      try {
        var r = await api('POST', '/api/campaigns/' + encodeURIComponent(o.campaignId) + '/runs/' + encodeURIComponent(run.runId) + '/attendance', { counts: counts });
        if (r.status === 200 && r.data) { o.saved(r.data, counts); return; }
        if (r.status === 409 || r.status === 404) { o.stale(); return; }
        show(error, r.status === 400 ? o.invalid : r.status === 403 ? o.forbidden : T.serverError, 'alert');
      } catch (err) {
        failed(err, error);
      } finally {
        submit.disabled = false;
        submit.textContent = P.recordAttendance;
      }
    });
    return form;
  }

  // ─── outreach tasks (a grid worker's lectures and screenings) ───
  var K = T.tasks, tasksBody = $('tasks-body'), tasksAlert = $('tasks-alert'), tasksNotice = $('tasks-notice'), tasksData = null;
  $('tasks-refresh').addEventListener('click', function () { showTasks(); });
  async function showTasks(notice) {
    var seq = ++navSeq;
    showView('tasks', 'tasks');
    document.title = K.heading + ' · ' + T.pageTitle;
    show(tasksAlert, notice && notice.error ? notice.error : '', 'alert');
    show(tasksNotice, '');
    if (!notice) { clear(tasksBody); tasksBody.appendChild(el('p', { className: 'empty', text: T.loading })); }
    try {
      var r = await api('GET', '/api/outreach/tasks');
      if (seq !== navSeq) return;
      if (r.status !== 200 || !r.data || !r.data.tasks) {
        clear(tasksBody);
        show(tasksAlert, r.status === 403 ? K.forbidden : T.loadFailed, 'alert');
        return;
      }
      renderTasks(r.data);
    } catch (e) {
      if (seq !== navSeq) return;
      clear(tasksBody);
      failed(e, tasksAlert);
    }
  }
  function byAt(a, b) { return a.at < b.at ? -1 : a.at > b.at ? 1 : 0; }
  function taskCard(id, heading, content, empty) {
    return el('section', { className: 'card', id: id, 'aria-labelledby': id + '-title' }, [
      el('h2', { id: id + '-title', text: heading }),
      content || el('p', { className: 'muted', id: id + '-empty', text: empty })
    ]);
  }
  function taskTable(id, cols, rows, cell) {
    if (!rows.length) return null;
    return el('div', { className: 'table-scroll' }, [el('table', { className: 'cases', id: id }, [
      el('thead', null, [el('tr', null, cols.map(function (col) { return el('th', { scope: 'col', text: K.columns[col] }); }))]),
      el('tbody', null, rows.map(function (x) {
        return el('tr', { 'data-campaign': x.task.campaignId, 'data-at': x.at }, cols.map(function (col) {
          var td = el('td', { 'data-label': K.columns[col] });
          var content = cell(col, x);
          if (typeof content === 'string') td.textContent = content; else td.appendChild(content);
          return td;
        }));
      }))
    ])]);
  }
  function taskCell(col, x) {
    var task = x.task;
    if (col === 'when') return el('time', { datetime: x.at, text: withWeekday(x.at) });
    if (col === 'kind') return P.kinds[task.kind] || task.kind;
    if (col === 'title') return task.title;
    if (col === 'venue') return task.venue;
    if (col === 'duration') return fill(P.durationValue, { n: task.durationMinutes });
    if (col === 'assignee') return (P.assigneeRoles[task.assignee.role] || task.assignee.role) + ' ' + task.assignee.name;
    if (col === 'attendance') return el('span', { 'data-attendance': '', text: attendanceText(x.run) });
    // A run whose figure here is in but another community's is not: nothing left to do here.
    var othersPending = x.run.status === 'awaiting_attendance' && !x.run.awaitingAttendance.length;
    return el('span', { className: 'badge rs-' + (othersPending ? 'completed' : x.run.status), 'data-status': x.run.status, text: othersPending ? K.othersPending : P.runStatuses[x.run.status] || x.run.status });
  }
  function renderTasks(data, notice) {
    tasksData = data;
    clear(tasksBody);
    show(tasksNotice, notice && notice.ok ? notice.ok : '', 'notice');
    var awaiting = [], upcoming = [], recorded = [];
    data.tasks.forEach(function (task) {
      task.upcoming.forEach(function (at) { upcoming.push({ task: task, at: at }); });
      task.runs.forEach(function (run) {
        var x = { task: task, run: run, at: run.occurrenceAt };
        if (run.awaitingAttendance.length) awaiting.push(x);
        else if (Object.keys(run.attendance).length) recorded.push(x);
      });
    });
    awaiting.sort(byAt);
    upcoming.sort(byAt);
    recorded.sort(function (a, b) { return byAt(b, a); });
    tasksBody.appendChild(taskCard('tasks-awaiting', K.awaitingHeading, awaiting.length ? el('div', null, awaiting.map(awaitingTask)) : null, K.noAwaiting));
    tasksBody.appendChild(taskCard('tasks-upcoming', K.upcomingHeading,
      taskTable('tasks-upcoming-table', ['when', 'kind', 'title', 'venue', 'duration', 'assignee'], upcoming, taskCell), K.noUpcoming));
    tasksBody.appendChild(taskCard('tasks-recorded', K.recordedHeading,
      taskTable('tasks-recorded-table', ['when', 'kind', 'title', 'attendance', 'status'], recorded, taskCell), K.noRecorded));
    focusHeading('tasks-title');
  }
  function awaitingTask(x) {
    var task = x.task, run = x.run;
    var dl = el('dl', { className: 'facts compact' });
    fact(dl, K.columns.when, timeEl(run.occurrenceAt));
    fact(dl, K.columns.venue, task.venue);
    fact(dl, K.columns.duration, fill(P.durationValue, { n: task.durationMinutes }));
    fact(dl, K.columns.assignee, taskCell('assignee', x));
    return el('article', { className: 'task', 'data-campaign': task.campaignId, 'data-run': run.runId }, [
      el('div', { className: 'case-head' }, [
        el('h3', { text: task.title }),
        el('span', { className: 'badge plain', text: P.kinds[task.kind] || task.kind }),
        taskCell('status', x)
      ]),
      dl,
      attendanceForm({
        id: 'task-attendance-' + task.campaignId + '-' + run.runId, campaignId: task.campaignId, run: run,
        communityIds: run.awaitingAttendance, hint: K.attendanceHint, invalid: K.attendanceError, forbidden: K.forbidden,
        saved: function (updated, counts) {
          var tasks = tasksData.tasks.map(function (t) { return t.campaignId === updated.campaignId ? updated : t; });
          var n = sum(Object.keys(counts).map(function (id) { return counts[id]; }));
          renderTasks(Object.assign({}, tasksData, { tasks: tasks }), { ok: fill(K.saved, { n: number(n) }) });
        },
        stale: function () { showTasks({ error: P.notAllowed }); }
      })
    ]);
  }

  // ─── a completed campaign's effect ───
  function effectCard(effect) {
    var E = P.effectColumns;
    var card = el('section', { className: 'card', id: 'campaign-effect', 'aria-labelledby': 'effect-title' }, [
      el('h2', { id: 'effect-title', text: P.effectHeading }),
      el('p', { className: 'muted', text: fill(P.effectIntro, { weeks: effect.weeks }) }),
      el('p', { className: 'muted', id: 'effect-periods', text: fill(P.effectPeriods, {
        beforeFrom: dateText(effect.before.from), beforeTo: dateText(effect.before.to),
        afterFrom: dateText(effect.after.from), afterTo: dateText(effect.after.to)
      }) }),
      effect.after.complete ? null : el('p', { className: 'hint', id: 'effect-incomplete', text: fill(P.effectIncomplete, { weeks: effect.weeks }) })
    ]);
    function row(id, label, g) {
      return el('tr', { id: id }, [
        el('th', { scope: 'row', text: label }),
        el('td', { className: 'num', 'data-label': E.before, 'data-value': 'before', text: rateText(g.beforeRate) }),
        el('td', { className: 'num', 'data-label': E.after, 'data-value': 'after', text: rateText(g.afterRate) }),
        el('td', { className: 'num', 'data-label': E.change, 'data-value': 'change', text: signedText(g.change) })
      ]);
    }
    var rows = [row('effect-campaign', P.campaignGroup, effect.campaign)];
    if (effect.comparison) rows.push(row('effect-comparison', fill(P.comparisonGroup, { n: effect.comparison.communities }), effect.comparison));
    var table = el('table', { className: 'cases effect', id: 'effect-table' }, [
      el('thead', null, [el('tr', null, [
        el('th', { scope: 'col', text: P.rateUnit }),
        el('th', { scope: 'col', className: 'num', text: E.before }),
        el('th', { scope: 'col', className: 'num', text: E.after }),
        el('th', { scope: 'col', className: 'num', text: E.change })
      ])]),
      el('tbody', null, rows)
    ]);
    var better = effect.difference !== null && effect.difference < 0;
    card.appendChild(el('div', { className: 'effect-grid' }, [
      el('div', null, [
        el('div', { className: 'table-scroll' }, [table]),
        effect.comparison ? null : el('p', { className: 'muted', text: P.noComparison }),
        el('div', { className: 'kpi effect-kpi' + (better ? ' good' : '') }, [
          el('p', { className: 'kpi-label', text: P.difference }),
          el('p', { className: 'kpi-value', id: 'effect-difference', text: signedText(effect.difference) }),
          el('p', { className: 'kpi-note muted', text: P.differenceHint })
        ])
      ]),
      el('div', null, [
        el('div', { className: 'chart-box', id: 'chart-effect-box' }, [el('canvas', { id: 'chart-effect', role: 'img', 'aria-label': P.effectHeading + ' · ' + P.rateUnit })]),
        el('p', { className: 'hint', text: P.effectChartHint })
      ])
    ]));
    card.appendChild(el('p', { className: 'alert', id: 'effect-chart-alert', role: 'alert', hidden: true }));
    return card;
  }
  function destroyEffectChart() { if (charts.effect) { charts.effect.destroy(); delete charts.effect; } }
  async function drawEffect(effect) {
    var seq = navSeq, Chart;
    try { Chart = await loadChartJs(); } catch (e) { if (seq === navSeq) show($('effect-chart-alert'), T.chartFailed, 'alert'); return; }
    var canvas = $('chart-effect');
    if (seq !== navSeq || !canvas) return;
    destroyEffectChart();
    Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
    Chart.defaults.font.size = 13;
    Chart.defaults.color = '#3e4c59';
    var weekly = effect.weekly || [];
    // Weeks before the campaign are drawn hollow, weeks after it filled.
    var after = weekly.map(function (w) { return w.weekStart > effect.before.to; });
    var datasets = [{
      label: P.campaignGroup, data: weekly.map(function (w) { return w.campaignRate; }),
      borderColor: PALETTE.blue, backgroundColor: PALETTE.blue, pointRadius: 4, tension: 0, spanGaps: true,
      pointBackgroundColor: after.map(function (a) { return a ? PALETTE.blue : '#fff'; })
    }];
    if (effect.comparison) datasets.push({
      label: fill(P.comparisonGroup, { n: effect.comparison.communities }), data: weekly.map(function (w) { return w.comparisonRate; }),
      borderColor: PALETTE.grey, backgroundColor: PALETTE.grey, borderDash: [6, 4], pointRadius: 3, tension: 0, spanGaps: true,
      pointBackgroundColor: after.map(function (a) { return a ? PALETTE.grey : '#fff'; })
    });
    charts.effect = new Chart(canvas, {
      type: 'line',
      data: { labels: weekly.map(function (w) { return w.weekStart.slice(5); }), datasets: datasets },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        plugins: {
          legend: { display: true, position: 'bottom', labels: { boxWidth: 12 } },
          tooltip: { callbacks: {
            title: function (items) { var w = items.length ? weekly[items[0].dataIndex] : null; return w ? fill(P.weekOf, { date: dateText(w.weekStart) }) + ' · ' + (w.weekStart > effect.before.to ? P.effectColumns.after : P.effectColumns.before) : ''; }
          } }
        },
        scales: {
          y: { beginAtZero: true, title: { display: true, text: P.rateUnit }, grid: { color: '#eef0f3' } },
          x: { grid: { display: false } }
        }
      }
    });
  }

  // ─── start ───
  session = readSession();
  loadCatalog();
  if (session) startApp(); else route();
}`;
