/**
 * One campaign (GET /api/campaigns/{id}): its facts, the SMS and its cost, upcoming runs, the
 * actions a planner may take (schedule, edit, cancel; confirmed first), its runs with their
 * counts or attendance, and, once it has run, its effect on fraud reports against the
 * communities without a campaign, drawn with Chart.js.
 */
import type { ChartDataset, TooltipItem } from 'chart.js';
import type { Campaign } from '../../../../domain/outreach/campaign.ts';
import type { CampaignEffect, GroupEffect } from '../../../../domain/outreach/campaign-effect.ts';
import type { OutreachSmsPreview } from '../../../../domain/outreach/outreach-message.ts';
import type { CampaignView } from '../../../../services/campaigns/plan-campaigns.ts';
import { type ApiAnswer, api, communityName, errorOf, failed, loadOne } from '../api.ts';
import { app, type Notice, nextNav, P, T } from '../context.ts';
import {
  byId,
  clear,
  el,
  fact,
  fill,
  focusHeading,
  lookup,
  number,
  readablePhone,
  show,
  timeEl,
  when,
} from '../dom.ts';
import { hasKey, hasRecord } from '../guards.ts';
import { mayPlan, route, showView } from '../navigation.ts';
import { chartDefaults, charts, destroyChart, loadChartJs, PALETTE } from '../statistics.ts';
import { attendanceForm, attendanceText } from './attendance.ts';
import { groupSendsCard, reachLine } from './group-sends.ts';
import {
  campaignHref,
  dateText,
  estimateLines,
  estimateSourceText,
  kindName,
  localText,
  rateText,
  shanghai,
  signedText,
  sortIssues,
  statusBadge,
  WEEKDAYS,
  weekdayOf,
  withWeekday,
} from './planner.ts';

export const isCampaignView = (data: unknown): data is CampaignView => hasRecord(data, 'campaign');

/** A campaign the server just answered with, shown without asking again. */
let pendingCampaign: { id: string; view: CampaignView; notice: Notice } | null = null;
/** A notice to show on top of a campaign about to be opened afresh. */
let pendingNotice: { id: string; notice: Notice } | null = null;

const campaignView = (): HTMLElement => byId('campaign-view');

export function clearCampaignView(): void {
  clear(campaignView());
  pendingCampaign = null;
}

/** Shows a campaign the server just answered with, without asking again. */
export function openCampaignView(view: CampaignView, notice: Notice): void {
  pendingCampaign = { id: view.campaign.campaignId, view, notice };
  const href = campaignHref(view.campaign.campaignId);
  if (location.hash === href) route();
  else location.hash = href;
}
/** Opens a campaign afresh from the server, with a notice on top. */
export function showCampaignAfter(id: string, notice: Notice): void {
  const href = campaignHref(id);
  if (location.hash === href) {
    showCampaign(id, notice);
    return;
  }
  pendingNotice = { id, notice };
  location.hash = href;
}
export async function showCampaign(id: string, given?: Notice): Promise<void> {
  let notice = given;
  const seq = nextNav();
  const view = campaignView();
  showView('campaign', 'calendar');
  if (pendingCampaign && pendingCampaign.id === id) {
    const ready = pendingCampaign;
    pendingCampaign = null;
    renderCampaign(ready.view, ready.notice);
    return;
  }
  pendingCampaign = null;
  if (!notice && pendingNotice && pendingNotice.id === id) notice = pendingNotice.notice;
  pendingNotice = null;
  if (!notice) {
    destroyEffectChart();
    clear(view);
    view.appendChild(el('p', { className: 'empty', text: T.loading }));
  }
  await loadOne({
    seq,
    path: `/api/campaigns/${encodeURIComponent(id)}`,
    isData: isCampaignView,
    render: (v) => renderCampaign(v, notice),
    fail: renderCampaignError,
    notFound: P.notFound,
    forbidden: P.forbidden,
  });
}
function calendarLink(c: Campaign | null): HTMLAnchorElement {
  const at = c && (c.nextRunAt || c.lastRunAt);
  const month = at ? shanghai(at).date.slice(0, 7) : c ? c.firstRunAt.slice(0, 7) : '';
  return el('a', {
    className: 'back',
    href: `#/calendar${month ? `/${month}` : ''}`,
    text: `← ${P.backToCalendar}`,
  });
}
function renderCampaignError(message: string): void {
  const view = campaignView();
  destroyEffectChart();
  clear(view);
  view.appendChild(calendarLink(null));
  view.appendChild(el('p', { className: 'alert', role: 'alert', text: message }));
}
export function renderCampaign(v: CampaignView, notice?: Notice): void {
  const c = v.campaign;
  const view = campaignView();
  destroyEffectChart();
  clear(view);
  document.title = `${c.title} · ${T.pageTitle}`;
  view.appendChild(calendarLink(c));
  view.appendChild(
    el('div', { className: 'case-head' }, [
      el('h1', { id: 'campaign-title', tabindex: '-1', text: c.title }),
      statusBadge(c.status, 'campaign-status'),
      el('span', { className: 'badge plain', text: kindName(c.channel.kind) }),
    ]),
  );
  const alertBox = el('p', { className: 'alert', id: 'campaign-alert', role: 'alert', hidden: true });
  const noticeBox = el('p', { className: 'notice', id: 'campaign-notice', role: 'status', hidden: true });
  if (notice?.error) show(alertBox, notice.error, 'alert');
  if (notice?.ok) show(noticeBox, notice.ok, 'notice');
  view.appendChild(noticeBox);
  view.appendChild(alertBox);
  view.appendChild(
    el('div', { className: 'campaign-grid' }, [
      campaignFacts(v),
      campaignActions(v, alertBox, noticeBox),
      runsCard(v),
    ]),
  );
  if (v.groupSends) view.appendChild(groupSendsCard(v.groupSends));
  if (v.effect) view.appendChild(effectCard(v.effect));
  focusHeading('campaign-title');
  if (v.effect) drawEffect(v.effect);
}
function recurrenceText(c: Campaign): string {
  const r = c.recurrence;
  if (r.frequency === 'once') return P.recurrenceOnce;
  const n = r.interval || 1;
  const parts: string[] = [];
  if (r.frequency === 'weekly') {
    const days = r.weekdays?.length ? r.weekdays : [weekdayOf(c.firstRunAt.slice(0, 10))];
    parts.push(n > 1 ? fill(P.everyNWeeks, { n }) : P.everyWeek);
    parts.push(
      WEEKDAYS.filter((d) => days.indexOf(d) >= 0)
        .map((d) => P.weekdays[d])
        .join(T.listSeparator),
    );
  } else {
    parts.push(n > 1 ? fill(P.everyNMonths, { n }) : P.everyMonth);
    parts.push(
      r.monthDay === 'last_day'
        ? P.onLastDay
        : fill(P.onMonthDay, { day: Number(c.firstRunAt.slice(8, 10)) }),
    );
  }
  if (r.count) parts.push(fill(P.countTimes, { n: r.count }));
  if (r.until) parts.push(fill(P.untilDate, { date: dateText(r.until) }));
  return parts.join(' · ');
}
function smsFacts(m: OutreachSmsPreview, idPrefix: string): HTMLDListElement {
  const dl = el('dl', { className: 'facts compact' });
  fact(dl, P.characters, fill(P.charactersValue, { n: number(m.characters) }));
  fact(dl, P.encoding, m.encoding);
  fact(dl, P.parts, fill(P.partsValue, { n: number(m.parts) }));
  fact(
    dl,
    P.estimatedMessages,
    el('span', {
      id: `${idPrefix}-messages`,
      text: fill(P.messagesValue, { n: number(m.estimatedMessages) }),
    }),
  );
  fact(
    dl,
    P.estimatedParts,
    el('span', {
      id: `${idPrefix}-estimated-parts`,
      text: fill(P.partsValue, { n: number(m.estimatedParts) }),
    }),
  );
  return dl;
}
function campaignFacts(v: CampaignView): HTMLElement {
  const c = v.campaign;
  const ch = c.channel;
  const card = el('section', { className: 'card area-facts', 'aria-labelledby': 'campaign-facts-title' }, [
    el('h2', { id: 'campaign-facts-title', text: P.detailsHeading }),
  ]);
  const dl = el('dl', { className: 'facts', id: 'campaign-facts' });
  fact(dl, P.detailKind, kindName(ch.kind));
  fact(dl, P.detailCommunities, c.communityIds.map(communityName).join(T.listSeparator));
  fact(dl, P.detailHouseholds, fill(P.householdsValue, { n: number(v.households) }));
  fact(dl, P.detailFirstRun, localText(c.firstRunAt));
  fact(dl, P.detailRecurrence, recurrenceText(c));
  if (c.nextRunAt) fact(dl, P.detailNextRun, timeEl(c.nextRunAt));
  if (c.lastRunAt) fact(dl, P.detailLastRun, timeEl(c.lastRunAt));
  if (ch.kind === 'wecom_group') {
    fact(dl, P.fields.purpose, P.groups.purposes[ch.purpose]);
    fact(dl, P.fields.groupText, el('span', { id: 'campaign-group-text', text: ch.text }));
  }
  if (ch.kind !== 'sms' && ch.kind !== 'wecom_group') {
    fact(dl, P.detailVenue, ch.venue);
    fact(dl, P.detailDuration, fill(P.durationValue, { n: ch.durationMinutes }));
    // The assignee's phone is shown here only, where the person who entered it plans the event.
    fact(
      dl,
      P.detailAssignee,
      el('span', null, [
        `${lookup(P.assigneeRoles, ch.assignee.role) || ch.assignee.role} ${ch.assignee.name} `,
        el('a', {
          className: 'phone',
          id: 'campaign-assignee-phone',
          href: `tel:${ch.assignee.phone}`,
          text: readablePhone(ch.assignee.phone),
        }),
        el('span', { className: 'phone-note', text: P.assigneeNote }),
      ]),
    );
  }
  card.appendChild(dl);
  if (v.preview) {
    card.appendChild(el('h3', { text: P.smsText }));
    card.appendChild(el('p', { className: 'sms-text', id: 'campaign-sms-text', text: v.preview.text }));
    const facts = smsFacts(v.preview, 'campaign');
    fact(
      facts,
      P.estimateSource,
      el('span', { id: 'campaign-estimate-source', text: estimateSourceText(v.estimateSource) }),
    );
    card.appendChild(facts);
    const lines = estimateLines(v.estimate);
    if (lines.length)
      card.appendChild(
        el('details', { className: 'estimate-breakdown', id: 'campaign-estimate' }, [
          el('summary', { text: P.estimateBreakdown }),
          el('ul', null, lines),
        ]),
      );
  }
  if (c.status === 'scheduled' || c.status === 'running') {
    card.appendChild(el('h3', { text: P.upcoming }));
    const upcoming = v.upcoming || [];
    card.appendChild(
      el(
        'ol',
        { className: 'upcoming', id: 'campaign-upcoming' },
        upcoming.length
          ? upcoming.map((at) => el('li', null, [el('time', { datetime: at, text: withWeekday(at) })]))
          : [el('li', { className: 'muted', text: P.noUpcoming })],
      ),
    );
  }
  card.appendChild(
    el('details', { className: 'rrule' }, [
      el('summary', { text: P.rrule }),
      el('pre', { id: 'campaign-rrule', text: v.rrule || '' }),
    ]),
  );
  return card;
}
/** Why an action on a campaign was refused, in the page's words. */
export function actionErrorText(r: ApiAnswer): string {
  const error = errorOf(r.data);
  if (r.status === 400) {
    const sorted = sortIssues(error.issues);
    const texts = sorted.fields.reduce<string[]>((all, f) => all.concat(sorted.byField[f] ?? []), []);
    return texts.length ? texts.join(' ') : T.invalid;
  }
  if (r.status === 409) return error.code === 'version_conflict' ? P.versionConflict : P.notAllowed;
  if (r.status === 404) return P.notFound;
  if (r.status === 403) return P.forbidden;
  return T.serverError;
}
function campaignActions(v: CampaignView, alertBox: HTMLElement, noticeBox: HTMLElement): HTMLElement {
  const c = v.campaign;
  const card = el(
    'section',
    { className: 'card area-actions', id: 'campaign-actions', 'aria-labelledby': 'campaign-actions-title' },
    [el('h2', { id: 'campaign-actions-title', text: P.actionsHeading })],
  );
  if (!mayPlan()) {
    card.appendChild(el('p', { className: 'muted', id: 'campaign-read-only', text: P.readOnly }));
    return card;
  }
  const allowed: readonly string[] = v.allowedActions || [];
  if (!allowed.length) {
    card.appendChild(el('p', { className: 'muted', id: 'campaign-no-actions', text: P.noCampaignActions }));
    return card;
  }
  const confirmSlot = el('div');
  const buttons = el('div', { className: 'action-buttons' });
  for (const a of ['schedule', 'edit', 'cancel'] as const) {
    if (allowed.indexOf(a) < 0) continue;
    if (a === 'edit') {
      buttons.appendChild(
        el('a', {
          className: 'secondary',
          'data-action': 'edit',
          href: `${campaignHref(c.campaignId)}/edit`,
          text: P.actions.edit,
        }),
      );
      continue;
    }
    const button = el('button', {
      type: 'button',
      className: a === 'cancel' ? 'caution' : 'primary',
      'data-action': a,
      'aria-expanded': 'false',
      'aria-controls': 'campaign-confirm-box',
      text: P.actions[a],
      onclick: () => openConfirm(a, button),
    });
    buttons.appendChild(button);
  }
  function openConfirm(action: 'schedule' | 'cancel', button: HTMLButtonElement): void {
    for (const b of buttons.querySelectorAll('button')) b.setAttribute('aria-expanded', String(b === button));
    show(alertBox, '');
    show(noticeBox, '');
    clear(confirmSlot);
    const yes = el('button', {
      type: 'button',
      className: action === 'cancel' ? 'caution' : 'primary',
      id: 'campaign-confirm',
      'data-action': action,
      text: P.confirmYes[action],
    });
    const back = el('button', {
      type: 'button',
      className: 'secondary',
      text: P.keep,
      onclick: () => {
        clear(confirmSlot);
        button.setAttribute('aria-expanded', 'false');
        button.focus();
      },
    });
    confirmSlot.appendChild(
      el(
        'div',
        { className: 'confirm', id: 'campaign-confirm-box', role: 'group', 'aria-label': P.actions[action] },
        [
          el('p', { text: action === 'cancel' ? P.confirmCancel : P.confirmSchedule }),
          el('div', { className: 'form-buttons' }, [yes, back]),
        ],
      ),
    );
    yes.addEventListener('click', async () => {
      yes.disabled = true;
      yes.textContent = T.sending;
      try {
        const r = await api('POST', `/api/campaigns/${encodeURIComponent(c.campaignId)}/actions`, {
          action,
          expectedVersion: c.version,
        });
        if (r.status === 200 && isCampaignView(r.data)) {
          renderCampaign(r.data, { ok: action === 'cancel' ? P.cancelled : P.scheduled });
          return;
        }
        if (r.status === 409) {
          showCampaign(c.campaignId, { error: actionErrorText(r) });
          return;
        }
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
type RunCountColumn = keyof typeof P.runCounts;
const RUN_COUNTS = (): RunCountColumn[] => {
  const counts: RunCountColumn[] = [];
  for (const k of Object.keys(P.runCounts)) if (isRunCount(k)) counts.push(k);
  return counts;
};
const isRunCount = (col: string): col is RunCountColumn => hasKey(P.runCounts, col);

function runsCard(v: CampaignView): HTMLElement {
  const c = v.campaign;
  const sms = c.channel.kind === 'sms';
  const runs = v.runs || [];
  const card = el(
    'section',
    { className: 'card area-runs', id: 'campaign-runs', 'aria-labelledby': 'runs-title' },
    [el('h2', { id: 'runs-title', text: P.runsHeading })],
  );
  if (!runs.length) {
    card.appendChild(el('p', { className: 'muted', id: 'no-runs', text: P.noRuns }));
    return card;
  }
  // A WeChat-group run's outcomes are its groups', shown per township in their own card.
  const cols: string[] = sms
    ? ['occurrence', 'status', ...RUN_COUNTS()]
    : c.channel.kind === 'wecom_group'
      ? ['occurrence', 'status']
      : ['occurrence', 'status', 'reminder', 'attendance'];
  const label = (col: string): string => lookup(P.runColumns, col) || lookup(P.runCounts, col) || '';
  const table = el('table', { className: 'cases runs', id: 'runs-table' }, [
    el('thead', null, [
      el(
        'tr',
        null,
        cols.map((col) =>
          el('th', { scope: 'col', className: isRunCount(col) ? 'num' : undefined, text: label(col) }),
        ),
      ),
    ]),
  ]);
  table.appendChild(
    el(
      'tbody',
      null,
      runs.map((run) =>
        el(
          'tr',
          { 'data-run': run.runId, 'data-status': run.status },
          cols.map((col) => {
            const l = label(col);
            if (col === 'occurrence')
              return el('td', { className: 'nowrap', 'data-label': l }, [timeEl(run.occurrenceAt)]);
            if (col === 'status')
              return el('td', { 'data-label': l }, [
                el('span', {
                  className: `badge rs-${run.status}`,
                  text: P.runStatuses[run.status] || run.status,
                }),
              ]);
            if (col === 'reminder')
              return el('td', {
                'data-label': l,
                text: run.reminder ? `${P.reminderSent} · ${when(run.reminder.sentAt)}` : P.reminderNotYet,
              });
            if (col === 'attendance')
              return el('td', { 'data-label': l, 'data-attendance': '', text: attendanceText(run) });
            const count = run.counts && isRunCount(col) ? run.counts[col] : 0;
            return el('td', { className: 'num', 'data-label': l, 'data-count': col, text: number(count) });
          }),
        ),
      ),
    ),
  );
  card.appendChild(el('div', { className: 'table-scroll' }, [table]));
  if (!sms && mayPlan()) {
    for (const run of runs) {
      if (run.status !== 'awaiting_attendance') continue;
      card.appendChild(
        attendanceForm({
          id: `attendance-${run.runId}`,
          campaignId: c.campaignId,
          run,
          communityIds: run.communityIds,
          hint: P.attendanceHint,
          invalid: P.attendanceError,
          forbidden: P.forbidden,
          saved: (d) => {
            if (isCampaignView(d)) renderCampaign(d, { ok: P.attendanceSaved });
          },
          stale: () => showCampaign(c.campaignId, { error: P.notAllowed }),
        }),
      );
    }
  }
  return card;
}

// ─── a completed campaign's effect ───
function effectCard(effect: CampaignEffect): HTMLElement {
  const E = P.effectColumns;
  const card = el(
    'section',
    { className: 'card', id: 'campaign-effect', 'aria-labelledby': 'effect-title' },
    [
      el('h2', { id: 'effect-title', text: P.effectHeading }),
      el('p', { className: 'muted', text: fill(P.effectIntro, { weeks: effect.weeks }) }),
      el('p', {
        className: 'muted',
        id: 'effect-periods',
        text: fill(P.effectPeriods, {
          beforeFrom: dateText(effect.before.from),
          beforeTo: dateText(effect.before.to),
          afterFrom: dateText(effect.after.from),
          afterTo: dateText(effect.after.to),
        }),
      }),
      effect.reach ? reachLine(effect.reach) : null,
      effect.after.complete
        ? null
        : el('p', {
            className: 'hint',
            id: 'effect-incomplete',
            text: fill(P.effectIncomplete, { weeks: effect.weeks }),
          }),
    ],
  );
  const row = (id: string, label: string, g: GroupEffect): HTMLTableRowElement =>
    el('tr', { id }, [
      el('th', { scope: 'row', text: label }),
      el('td', {
        className: 'num',
        'data-label': E.before,
        'data-value': 'before',
        text: rateText(g.beforeRate),
      }),
      el('td', {
        className: 'num',
        'data-label': E.after,
        'data-value': 'after',
        text: rateText(g.afterRate),
      }),
      el('td', {
        className: 'num',
        'data-label': E.change,
        'data-value': 'change',
        text: signedText(g.change),
      }),
    ]);
  const rows = [row('effect-campaign', P.campaignGroup, effect.campaign)];
  if (effect.comparison)
    rows.push(
      row(
        'effect-comparison',
        fill(P.comparisonGroup, { n: effect.comparison.communities }),
        effect.comparison,
      ),
    );
  const table = el('table', { className: 'cases effect', id: 'effect-table' }, [
    el('thead', null, [
      el('tr', null, [
        el('th', { scope: 'col', text: P.rateUnit }),
        el('th', { scope: 'col', className: 'num', text: E.before }),
        el('th', { scope: 'col', className: 'num', text: E.after }),
        el('th', { scope: 'col', className: 'num', text: E.change }),
      ]),
    ]),
    el('tbody', null, rows),
  ]);
  const better = effect.difference !== null && effect.difference < 0;
  card.appendChild(
    el('div', { className: 'effect-grid' }, [
      el('div', null, [
        el('div', { className: 'table-scroll' }, [table]),
        effect.comparison ? null : el('p', { className: 'muted', text: P.noComparison }),
        el('div', { className: `kpi effect-kpi${better ? ' good' : ''}` }, [
          el('p', { className: 'kpi-label', text: P.difference }),
          el('p', { className: 'kpi-value', id: 'effect-difference', text: signedText(effect.difference) }),
          el('p', { className: 'kpi-note muted', text: P.differenceHint }),
        ]),
      ]),
      el('div', null, [
        el('div', { className: 'chart-box', id: 'chart-effect-box' }, [
          el('canvas', {
            id: 'chart-effect',
            role: 'img',
            'aria-label': `${P.effectHeading} · ${P.rateUnit}`,
          }),
        ]),
        el('p', { className: 'hint', text: P.effectChartHint }),
      ]),
    ]),
  );
  card.appendChild(el('p', { className: 'alert', id: 'effect-chart-alert', role: 'alert', hidden: true }));
  return card;
}
const destroyEffectChart = (): void => destroyChart('effect');
async function drawEffect(effect: CampaignEffect): Promise<void> {
  const seq = app.navSeq;
  let Chart: Awaited<ReturnType<typeof loadChartJs>>;
  try {
    Chart = await loadChartJs();
  } catch {
    if (seq === app.navSeq) show(document.getElementById('effect-chart-alert'), T.chartFailed, 'alert');
    return;
  }
  const canvas = document.getElementById('chart-effect');
  if (seq !== app.navSeq || !(canvas instanceof HTMLCanvasElement)) return;
  destroyEffectChart();
  chartDefaults(Chart);
  const weekly = effect.weekly || [];
  // Weeks before the campaign are drawn hollow, weeks after it filled.
  const after = weekly.map((w) => w.weekStart > effect.before.to);
  const datasets: ChartDataset<'line', (number | null)[]>[] = [
    {
      label: P.campaignGroup,
      data: weekly.map((w) => w.campaignRate),
      borderColor: PALETTE.blue,
      backgroundColor: PALETTE.blue,
      pointRadius: 4,
      tension: 0,
      spanGaps: true,
      pointBackgroundColor: after.map((a) => (a ? PALETTE.blue : '#fff')),
    },
  ];
  if (effect.comparison)
    datasets.push({
      label: fill(P.comparisonGroup, { n: effect.comparison.communities }),
      data: weekly.map((w) => w.comparisonRate),
      borderColor: PALETTE.grey,
      backgroundColor: PALETTE.grey,
      borderDash: [6, 4],
      pointRadius: 3,
      tension: 0,
      spanGaps: true,
      pointBackgroundColor: after.map((a) => (a ? PALETTE.grey : '#fff')),
    });
  const title = (items: TooltipItem<'line'>[]): string => {
    const w = items.length && items[0] ? weekly[items[0].dataIndex] : undefined;
    return w
      ? `${fill(P.weekOf, { date: dateText(w.weekStart) })} · ${w.weekStart > effect.before.to ? P.effectColumns.after : P.effectColumns.before}`
      : '';
  };
  const chart = new Chart(canvas, {
    type: 'line',
    data: { labels: weekly.map((w) => w.weekStart.slice(5)), datasets },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      plugins: {
        legend: { display: true, position: 'bottom', labels: { boxWidth: 12 } },
        tooltip: { callbacks: { title } },
      },
      scales: {
        y: { beginAtZero: true, title: { display: true, text: P.rateUnit }, grid: { color: '#eef0f3' } },
        x: { grid: { display: false } },
      },
    },
  });
  charts.set('effect', chart);
}
