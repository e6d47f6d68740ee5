/**
 * The staff console at GET /console: one server-rendered HTML shell (no data in it, so it can be
 * public) with inline CSS and an inline vanilla-JS app that signs in through POST /api/session
 * and then works only through the staff API: the queue, the three lists (问题清单, 流转清单,
 * 回访清单), one case with the actions the server allows, and the statistics drawn with Chart.js.
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
  type ConsoleAction,
  type ConsoleLanguage,
  type ConsoleText,
  consoleText,
  type PlannerTab,
} from './console-text.ts';
import { escapeHtml, jsonForScript } from './html.ts';

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
 * cancel, 'view' to look only. This mirrors campaign-lifecycle.ts (mayPlanCampaigns,
 * mayViewCampaigns) and the case API's refusal of outreach staff, which the unit tests hold it
 * to; importing those here would bundle rrule into this page's function.
 */
export interface ConsoleSections {
  cases: boolean;
  planner: 'plan' | 'view' | 'none';
}
export const consoleSections = {
  unit_handler: { cases: true, planner: 'none' },
  centre_dispatcher: { cases: true, planner: 'none' },
  grid_worker: { cases: true, planner: 'none' },
  county_supervisor: { cases: true, planner: 'plan' },
  admin: { cases: true, planner: 'view' },
  outreach_staff: { cases: false, planner: 'plan' },
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

/** The form field a server issue's path belongs to; undefined for the body as a whole. */
export function campaignFieldOf(path: string): CampaignField | undefined {
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
  { field: 'count', contains: 'not both', hint: 'countAndUntil' },
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
  const html = `<!doctype html>
<html lang="${escapeHtml(t.htmlLang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<meta name="format-detection" content="telephone=no">
<meta name="robots" content="noindex">
<title>${escapeHtml(t.pageTitle)}</title>
<style>${STYLES}</style>
</head>
<body>
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
  // Which tabs a role sees is decided once signed in (consoleSections); the planner's start hidden.
  const caseLinks = [...listKinds, 'stats' as const].map(
    (kind) => `<a class="tab" id="tab-${kind}" href="#/${kind}">${escapeHtml(t.nav[kind])}</a>`,
  );
  const plannerLinks = plannerTabs.map(
    (kind) => `<a class="tab" id="tab-${kind}" href="#/${kind}" hidden>${escapeHtml(t.nav[kind])}</a>`,
  );
  const links = [...caseLinks, ...plannerLinks].join('');
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
  <h2 id="campaigns-title">${escapeHtml(p.campaignsHeading)}</h2>
  <div id="campaign-list" class="card table-card"></div>
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
  const fact = (id: string, label: string) =>
    `<dt>${escapeHtml(label)}</dt><dd class="num" id="${id}"></dd>`;
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
      <div class="field" data-field="count">
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
        <dl class="facts compact">
          ${fact('pv-characters', p.characters)}
          ${fact('pv-encoding', p.encoding)}
          ${fact('pv-parts', p.parts)}
        </dl>
      </div>
      <dl class="facts compact">
        ${fact('pv-households', p.households)}
        <dt class="sms-only">${escapeHtml(p.estimatedMessages)}</dt><dd class="num sms-only" id="pv-messages"></dd>
        <dt class="sms-only">${escapeHtml(p.estimatedParts)}</dt><dd class="num sms-only" id="pv-estimated-parts"></dd>
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
    campaignIssueRules,
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
input[type=text],input[type=password],select,textarea{font:inherit;color:#1f2933;background:#fff;border:1px solid #9aa5b1;border-radius:6px;padding:7px 10px;min-height:38px;width:100%}
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
@media (max-width:1000px){
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
.loop li{min-width:52px;font-size:.72rem;padding-top:24px}
dl.facts{grid-template-columns:minmax(0,1fr)}
dl.facts dd{margin-bottom:6px}
}
`;

/**
 * The app. A hash router (#/queue, #/problems, #/transfers, #/return_visits, #/stats,
 * #/case/<code>) so the browser's back button and copied links work; the session token lives in
 * sessionStorage so it dies with the tab. Every response is checked for 401 (→ sign-in again);
 * a navigation counter drops answers that arrive after the user moved on.
 */
const APP = `function (C) {
  'use strict';
  var T = C.t, LANG = C.lang;
  var SESSION_KEY = 'civicloop.console.session';
  var LIST_KINDS = ['queue', 'problems', 'transfers', 'return_visits'];
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
    list.rows = [];
    list.cursor = null;
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
    buildCommunityFilter(s);
    route();
  }

  // ─── routing ───
  var views = { list: $('list-view'), 'case': $('case-view'), stats: $('stats-view') };
  function showView(name, tab) {
    Object.keys(views).forEach(function (k) { views[k].hidden = k !== name; });
    LIST_KINDS.concat(['stats']).forEach(function (k) {
      var a = $('tab-' + k);
      if (k === tab) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
    });
  }
  function parseHash() {
    var h = location.hash || '';
    if (h.charAt(0) === '#') h = h.slice(1);
    if (h.charAt(0) === '/') h = h.slice(1);
    var parts = h.split('/');
    return { view: parts[0] || 'queue', id: parts[1] ? decodeURIComponent(parts[1]) : '' };
  }
  /** The language switch keeps the view: same hash, other language. */
  function updateLanguageSwitch() {
    $('lang-switch').setAttribute('href', (LANG === 'en' ? '/console' : '/console?lang=en') + (location.hash || ''));
  }
  function route() {
    updateLanguageSwitch();
    if (!session) { showSignIn('', 'notice'); return; }
    var r = parseHash();
    if (r.view === 'case' && r.id) showCase(r.id);
    else if (r.view === 'stats') showStats();
    else showList(LIST_KINDS.indexOf(r.view) >= 0 ? r.view : 'queue');
  }
  window.addEventListener('hashchange', route);
  // Clicking the tab one is already on reloads it (there is no hashchange to do it).
  LIST_KINDS.concat(['stats']).forEach(function (k) {
    $('tab-' + k).addEventListener('click', function () { if (location.hash === '#/' + k) route(); });
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

  // ─── start ───
  session = readSession();
  loadCatalog();
  if (session) startApp(); else route();
}`;
