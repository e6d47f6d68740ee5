/**
 * The case lists: the queue and the three lists (问题清单, 流转清单, 回访清单) from
 * GET /api/cases, with their filters (kept per list for the session), paging by cursor, and the
 * problem list grouped by community.
 */
import type { Stage } from '../../../domain/case.ts';
import type { CaseSummary } from '../../../services/case-queries.ts';
import { api, catalog, categoryName, communityName, failed, names, townshipName, unitName } from './api.ts';
import { wireCaseExport } from './case-export.ts';
import {
  app,
  FMT_LOCALE,
  LANG,
  type ListKind,
  nextNav,
  type SessionStaff,
  T,
  type TabName,
} from './context.ts';
import {
  buttonById,
  byId,
  byKind,
  clear,
  closest,
  el,
  fill,
  inputById,
  selectById,
  show,
  timeEl,
  when,
} from './dom.ts';
import { isRecord } from './guards.ts';
import { showView } from './navigation.ts';

interface ListFilters {
  status: string;
  stage: string;
  overdue: boolean;
  communityId: string;
}
let listState: Partial<Record<ListKind, ListFilters>> = {};
export const list: { kind: ListKind; rows: CaseSummary[]; cursor: string | null } = {
  kind: 'queue',
  rows: [],
  cursor: null,
};

interface CaseList {
  cases: CaseSummary[];
  cursor?: string;
}
const isCaseList = (data: unknown): data is CaseList => isRecord(data) && Array.isArray(data.cases);

export const caseHref = (id: string): string => `#/case/${encodeURIComponent(id)}`;

/** Where a case's back link leads and which tab stays marked: the list or search it was opened from. */
export const listReturn: { href: string; tab: TabName | null } = { href: '#/queue', tab: 'queue' };
export const stageName = (stage: Stage): string => T.stages[stage] || stage;
export const stageBadge = (stage: Stage): HTMLSpanElement =>
  el('span', { className: `badge stage-${stage}`, text: stageName(stage) });

function stateFor(kind: ListKind): ListFilters {
  let st = listState[kind];
  if (!st) {
    st = { status: 'open', stage: '', overdue: false, communityId: '' };
    listState[kind] = st;
  }
  return st;
}
/** The next person to sign in starts with no filters set. */
export function resetListFilters(): void {
  listState = {};
}
export function clearLists(): void {
  clear(byId('list-body'));
  list.rows = [];
  list.cursor = null;
}

export function buildCommunityFilter(s: SessionStaff): void {
  const communityFilter = selectById('filter-community');
  while (communityFilter.children.length > 1) {
    const last = communityFilter.lastElementChild;
    if (last) communityFilter.removeChild(last);
  }
  // A grid worker only ever sees their own community, so the filter would have one choice.
  byId('filter-community-wrap').hidden = s.role === 'grid_worker';
  for (const t of catalog.townships) {
    if (s.role === 'centre_dispatcher' && s.townshipId && t.id !== s.townshipId) continue;
    if (!t.communities.length) continue;
    const group = el('optgroup', { label: t[LANG] });
    for (const c of t.communities) group.appendChild(el('option', { value: c.id, text: c[LANG] }));
    communityFilter.appendChild(group);
  }
}
function syncFilters(kind: ListKind): void {
  const st = stateFor(kind);
  // The transfer and return-visit lists are not split by open/done on the server.
  byId('filter-status').hidden = kind === 'transfers' || kind === 'return_visits';
  byId('filter-overdue-wrap').hidden = kind === 'return_visits';
  for (const r of document.querySelectorAll<HTMLInputElement>('#filter-status input'))
    r.checked = r.value === st.status;
  selectById('filter-stage').value = st.stage;
  inputById('filter-overdue').checked = st.overdue;
  selectById('filter-community').value = st.communityId;
}
function onFilterChange(): void {
  const st = stateFor(list.kind);
  const checked = document.querySelector<HTMLInputElement>('#filter-status input:checked');
  st.status = checked ? checked.value : 'open';
  st.stage = selectById('filter-stage').value;
  st.overdue = inputById('filter-overdue').checked;
  st.communityId = selectById('filter-community').value;
  loadList(false);
}
export function wireLists(): void {
  const filters = byKind('filters', HTMLFormElement);
  filters.addEventListener('change', onFilterChange);
  filters.addEventListener('submit', (e) => e.preventDefault());
  byId('refresh').addEventListener('click', () => loadList(false));
  byId('more').addEventListener('click', () => loadList(true));
  wireCaseExport(() => listQuery(list.kind));
}

export function showList(kind: ListKind): void {
  list.kind = kind;
  listReturn.href = `#/${kind}`;
  listReturn.tab = kind;
  showView('list', kind);
  byId('list-title').textContent = T.nav[kind];
  byId('list-intro').textContent = T.listIntro[kind];
  document.title = `${T.nav[kind]} · ${T.pageTitle}`;
  syncFilters(kind);
  loadList(false);
}
/** The list's query with its filters, as GET /api/cases and its export take it. */
function listQuery(kind: ListKind): URLSearchParams {
  const st = stateFor(kind);
  const params = new URLSearchParams();
  params.set('list', kind);
  if (kind === 'queue' || kind === 'problems') params.set('status', st.status);
  if (st.stage) params.set('stage', st.stage);
  if (st.overdue && kind !== 'return_visits') params.set('overdue', 'true');
  if (st.communityId) params.set('communityId', st.communityId);
  return params;
}
async function loadList(append: boolean): Promise<void> {
  const seq = nextNav();
  const kind = list.kind;
  const listBody = byId('list-body');
  const listAlert = byId('list-alert');
  const moreButton = buttonById('more');
  const params = listQuery(kind);
  params.set('limit', '25');
  if (append && list.cursor) params.set('cursor', list.cursor);
  show(listAlert, '');
  moreButton.disabled = true;
  if (!append) {
    clear(listBody);
    listBody.appendChild(el('p', { className: 'empty', text: T.loading }));
    byId('list-count').textContent = '';
    moreButton.hidden = true;
  }
  try {
    const r = await api('GET', `/api/cases?${params.toString()}`);
    if (seq !== app.navSeq) return;
    if (r.status !== 200 || !isCaseList(r.data)) {
      if (!append) clear(listBody);
      show(listAlert, r.status === 400 ? T.invalid : r.status === 403 ? T.forbidden : T.loadFailed, 'alert');
      return;
    }
    list.rows = append ? list.rows.concat(r.data.cases) : r.data.cases;
    list.cursor = r.data.cursor || null;
    renderRows();
  } catch (e) {
    if (seq !== app.navSeq) return;
    if (!append) clear(listBody);
    failed(e, listAlert);
  } finally {
    moreButton.disabled = false;
  }
}

export type Column = keyof typeof T.columns;
function columnsFor(kind: ListKind): Column[] {
  if (kind === 'transfers') return ['code', 'category', 'community', 'unit', 'stage', 'transfers', 'due'];
  if (kind === 'return_visits')
    return ['code', 'category', 'community', 'unit', 'stage', 'rating', 'returnVisit'];
  if (kind === 'problems') return ['code', 'category', 'unit', 'stage', 'due', 'submitted'];
  return ['code', 'category', 'community', 'unit', 'stage', 'due', 'submitted'];
}
export function dueBadge(c: Pick<CaseSummary, 'dueAt' | 'overdue' | 'escalated'>): HTMLSpanElement {
  const title = c.dueAt ? `${T.due} ${when(c.dueAt)}` : undefined;
  if (c.overdue)
    return el('span', {
      className: 'badge danger',
      text: c.escalated ? `${T.overdue} · ${T.escalated}` : T.overdue,
      title,
    });
  if (!c.dueAt) return el('span', { className: 'muted', text: '—' });
  const hours = Math.max(1, Math.ceil((Date.parse(c.dueAt) - Date.now()) / 3600000));
  const text = hours >= 48 ? fill(T.dueDays, { n: Math.floor(hours / 24) }) : fill(T.dueHours, { n: hours });
  return el('span', { className: `badge ${hours <= 24 ? 'warn' : 'plain'}`, text, title });
}
function cell(col: Column, c: CaseSummary): HTMLTableCellElement {
  const label = T.columns[col];
  switch (col) {
    case 'code':
      return el('td', { className: 'code', 'data-label': label }, [
        el('a', { href: caseHref(c.id), text: c.trackingCode }),
      ]);
    case 'category':
      return el('td', { 'data-label': label, text: categoryName(c.category) });
    case 'community':
      return el('td', { 'data-label': label, text: communityName(c.communityId) });
    case 'unit':
      return el('td', { 'data-label': label, text: unitName(c.unitId) });
    case 'stage':
      return el('td', { 'data-label': label }, [stageBadge(c.stage)]);
    case 'due':
      return el('td', { 'data-label': label }, [dueBadge(c)]);
    case 'submitted':
      return el('td', { className: 'nowrap muted', 'data-label': label }, [timeEl(c.submittedAt)]);
    case 'transfers':
      return el('td', { className: 'num', 'data-label': label, text: fill(T.times, { n: c.transfers }) });
    case 'rating':
      return el('td', {
        className: 'num',
        'data-label': label,
        text: c.rating ? fill(T.score, { n: c.rating }) : '—',
      });
    case 'returnVisit':
      return el(
        'td',
        { 'data-label': label },
        c.returnVisit
          ? [
              el('span', {
                className: `badge ${c.returnVisit.status === 'pending' ? 'warn' : 'ok'}`,
                text: T.returnVisitStatus[c.returnVisit.status],
              }),
              ' ',
              el('span', { className: 'muted', text: T.returnVisitReason[c.returnVisit.reason] || '' }),
            ]
          : ['—'],
      );
  }
  return el('td');
}
function rowFor(c: CaseSummary, cols: readonly Column[]): HTMLTableRowElement {
  return el(
    'tr',
    {
      className: `row${c.overdue ? ' is-overdue' : ''}`,
      'data-id': c.id,
      onclick: (e) => {
        if (!closest(e.target, 'a')) location.hash = caseHref(c.id);
      },
    },
    cols.map((col) => cell(col, c)),
  );
}
function renderRows(): void {
  const kind = list.kind;
  const cols = columnsFor(kind);
  const rows = list.rows;
  const listBody = byId('list-body');
  clear(listBody);
  byId('list-count').textContent = rows.length ? fill(T.shown, { n: rows.length }) : '';
  buttonById('more').hidden = !list.cursor;
  if (!rows.length) {
    listBody.appendChild(el('p', { className: 'empty', text: T.noCases }));
    return;
  }
  const table = casesTable('cases-table', cols);
  if (kind === 'problems') {
    // The problem list is grouped by community, the busiest first, so a centre sees where problems gather.
    const groups = new Map<string, CaseSummary[]>();
    for (const c of rows) {
      const group = groups.get(c.communityId);
      if (group) group.push(c);
      else groups.set(c.communityId, [c]);
    }
    const order = [...groups.keys()];
    const size = (id: string) => groups.get(id)?.length ?? 0;
    order.sort((a, b) => size(b) - size(a) || communityName(a).localeCompare(communityName(b), FMT_LOCALE));
    for (const id of order) {
      const township = names.communityTownship[id];
      const members = groups.get(id) ?? [];
      table.appendChild(
        el(
          'tbody',
          { className: 'group', 'data-community': id },
          [
            el('tr', { className: 'group-head' }, [
              el('th', { colspan: cols.length, scope: 'colgroup' }, [
                communityName(id),
                township ? el('span', { className: 'group-sub', text: townshipName(township) }) : null,
                el('span', { className: 'group-count', text: fill(T.groupCount, { n: members.length }) }),
              ]),
            ]),
          ].concat(members.map((c) => rowFor(c, cols))),
        ),
      );
    }
  } else {
    table.appendChild(casesBody(rows, cols));
  }
  listBody.appendChild(table);
}

/** A table of cases with its head: the lists' and the search's. */
export const casesTable = (id: string, cols: readonly Column[]): HTMLTableElement =>
  el('table', { className: 'cases', id }, [
    el('thead', null, [
      el(
        'tr',
        null,
        cols.map((col) => el('th', { scope: 'col', text: T.columns[col] })),
      ),
    ]),
  ]);
/** The rows of `cases`, each opening its case. */
export const casesBody = (cases: readonly CaseSummary[], cols: readonly Column[]): HTMLTableSectionElement =>
  el(
    'tbody',
    null,
    cases.map((c) => rowFor(c, cols)),
  );
