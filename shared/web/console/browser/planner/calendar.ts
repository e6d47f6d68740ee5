/**
 * The campaign calendar (GET /api/campaigns?from&to&status): a month of whole weeks, Monday
 * first, with each occurrence as a chip, and the campaigns below it.
 */
import type { Campaign } from '../../../../domain/outreach/campaign.ts';
import type { CalendarEntry } from '../../../../services/campaigns/campaign-calendar.ts';
import { api, failed } from '../api.ts';
import { app, nextNav, P, T } from '../context.ts';
import { byId, byKind, clear, closest, el, fill, lookup, selectById, show, when } from '../dom.ts';
import { isRecord } from '../guards.ts';
import { showView } from '../navigation.ts';
import {
  addDays,
  campaignHref,
  communityList,
  dateText,
  kindName,
  localText,
  mondayIndex,
  shanghai,
  statusBadge,
  todayShanghai,
  WEEKDAYS,
} from './planner.ts';

const calendarState = { month: '', status: '' };

interface CampaignCalendar {
  campaigns: Campaign[];
  calendar: CalendarEntry[];
}
const isCampaignCalendar = (data: unknown): data is CampaignCalendar =>
  isRecord(data) &&
  Array.isArray(data.calendar) &&
  (data.campaigns === undefined || Array.isArray(data.campaigns));

const calendarGrid = (): HTMLTableElement => byKind('calendar-grid', HTMLTableElement);
function gridParts(): { head: HTMLTableRowElement; body: HTMLTableSectionElement } {
  const grid = calendarGrid();
  const head = grid.tHead?.rows[0];
  const body = grid.tBodies[0];
  if (!head || !body) throw new Error('console: the calendar has no head row or body');
  return { head, body };
}

export function wireCalendar(): void {
  const status = selectById('cal-status');
  status.addEventListener('change', () => {
    calendarState.status = status.value;
    showCalendar(calendarState.month);
  });
}
/** The next person to sign in sees every status. */
export function resetCalendarFilter(): void {
  calendarState.status = '';
}
export function clearCalendar(): void {
  const { head, body } = gridParts();
  clear(head);
  clear(body);
  clear(byId('campaign-list'));
}

function shiftMonth(month: string, n: number): string {
  return new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)) - 1 + n, 1))
    .toISOString()
    .slice(0, 7);
}
interface DayRange {
  from: string;
  to: string;
}
/** Whole weeks, Monday first, from the week of the 1st to the week of the last day. */
function monthRange(month: string): DayRange {
  const first = `${month}-01`;
  const last = addDays(`${shiftMonth(month, 1)}-01`, -1);
  return { from: addDays(first, -mondayIndex(first)), to: addDays(last, 6 - mondayIndex(last)) };
}
export async function showCalendar(requested: string): Promise<void> {
  const month = /^[0-9]{4}-(0[1-9]|1[0-2])$/.test(requested || '') ? requested : todayShanghai().slice(0, 7);
  calendarState.month = month;
  const seq = nextNav();
  const range = monthRange(month);
  const calAlert = byId('calendar-alert');
  showView('calendar', 'calendar');
  document.title = `${P.calendarHeading} · ${T.pageTitle}`;
  const title = byId('cal-month');
  title.textContent = fill(P.monthTitle, {
    year: month.slice(0, 4),
    month: P.monthNames[Number(month.slice(5, 7)) - 1] ?? '',
  });
  title.setAttribute('data-month', month);
  byId('cal-prev').setAttribute('href', `#/calendar/${shiftMonth(month, -1)}`);
  byId('cal-next').setAttribute('href', `#/calendar/${shiftMonth(month, 1)}`);
  byId('cal-today').setAttribute('href', `#/calendar/${todayShanghai().slice(0, 7)}`);
  selectById('cal-status').value = calendarState.status;
  show(calAlert, '');
  renderCalendarGrid(month, range, null);
  const listBox = byId('campaign-list');
  clear(listBox);
  listBox.appendChild(el('p', { className: 'empty', text: T.loading }));
  const params = new URLSearchParams();
  params.set('from', range.from);
  params.set('to', range.to);
  if (calendarState.status) params.set('status', calendarState.status);
  try {
    const r = await api('GET', `/api/campaigns?${params.toString()}`);
    if (seq !== app.navSeq) return;
    if (r.status !== 200 || !isCampaignCalendar(r.data)) {
      clear(listBox);
      show(calAlert, r.status === 403 ? P.forbidden : T.loadFailed, 'alert');
      return;
    }
    renderCalendarGrid(month, range, r.data.calendar);
    renderCampaignList(r.data.campaigns || []);
  } catch (e) {
    if (seq !== app.navSeq) return;
    clear(listBox);
    failed(e, calAlert);
  }
}
function renderCalendarGrid(month: string, range: DayRange, entries: CalendarEntry[] | null): void {
  const grid = calendarGrid();
  const { head, body } = gridParts();
  clear(head);
  clear(body);
  for (const wd of WEEKDAYS) head.appendChild(el('th', { scope: 'col', text: P.weekdays[wd] }));
  const byDay = new Map<string, CalendarEntry[]>();
  for (const e of entries || []) {
    const d = shanghai(e.at).date;
    const list = byDay.get(d);
    if (list) list.push(e);
    else byDay.set(d, [e]);
  }
  const today = todayShanghai();
  let row: HTMLTableRowElement | null = null;
  let i = 0;
  for (let day = range.from; day <= range.to; day = addDays(day, 1), i++) {
    if (i % 7 === 0 || !row) {
      row = el('tr');
      body.appendChild(row);
    }
    const chips = (byDay.get(day) || []).map(calendarChip);
    row.appendChild(
      el(
        'td',
        {
          className: `cal-day${day.slice(0, 7) === month ? '' : ' other-month'}${day === today ? ' today' : ''}`,
          'data-date': day,
          'aria-current': day === today ? 'date' : undefined,
        },
        [
          el('time', {
            className: 'cal-date',
            datetime: day,
            title: dateText(day),
            text: String(Number(day.slice(8, 10))),
          }),
          chips.length ? el('ul', { className: 'chips' }, chips) : null,
        ],
      ),
    );
  }
  grid.setAttribute('aria-busy', entries ? 'false' : 'true');
  const inMonth = (entries || []).filter((e) => shanghai(e.at).date.slice(0, 7) === month);
  show(byId('cal-empty'), entries && !inMonth.length ? P.noEntries : '');
}
function calendarChip(e: CalendarEntry): HTMLLIElement {
  return el('li', null, [
    el(
      'a',
      {
        className: `chip cs-${e.status} kd-${e.kind}`,
        href: campaignHref(e.campaignId),
        'data-campaign': e.campaignId,
        'data-at': e.at,
        title: [
          kindName(e.kind),
          e.title,
          P.statuses[e.status] || e.status,
          communityList(e.communityIds, 3),
        ].join(' · '),
      },
      [
        el('span', { className: 'chip-kind', text: lookup(P.kindsShort, e.kind) || e.kind }),
        ' ',
        el('span', { className: 'chip-time', text: shanghai(e.at).time }),
        ' ',
        el('span', { className: 'chip-title', text: e.title }),
      ],
    ),
  ]);
}
function renderCampaignList(campaigns: Campaign[]): void {
  const listBox = byId('campaign-list');
  const L = P.campaignColumns;
  const cols = ['title', 'kind', 'status', 'communities', 'firstRun', 'nextRun'] as const;
  clear(listBox);
  if (!campaigns.length) {
    listBox.appendChild(el('p', { className: 'empty', text: P.noCampaigns }));
    return;
  }
  const table = el('table', { className: 'cases', id: 'campaigns-table' }, [
    el('thead', null, [
      el(
        'tr',
        null,
        cols.map((col) => el('th', { scope: 'col', text: L[col] })),
      ),
    ]),
  ]);
  table.appendChild(
    el(
      'tbody',
      null,
      campaigns.map((c) =>
        el(
          'tr',
          {
            className: 'row',
            'data-id': c.campaignId,
            onclick: (e) => {
              if (!closest(e.target, 'a')) location.hash = campaignHref(c.campaignId);
            },
          },
          [
            el('td', { 'data-label': L.title }, [
              el('a', { href: campaignHref(c.campaignId), text: c.title }),
            ]),
            el('td', { 'data-label': L.kind, text: kindName(c.channel.kind) }),
            el('td', { 'data-label': L.status }, [statusBadge(c.status)]),
            el('td', { 'data-label': L.communities, text: communityList(c.communityIds, 3) }),
            el('td', { className: 'nowrap', 'data-label': L.firstRun, text: localText(c.firstRunAt) }),
            el('td', {
              className: 'nowrap',
              'data-label': L.nextRun,
              text: c.nextRunAt ? when(c.nextRunAt) : '—',
            }),
          ],
        ),
      ),
    ),
  );
  listBox.appendChild(table);
}
