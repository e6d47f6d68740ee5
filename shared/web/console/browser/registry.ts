/**
 * The grid registry (网格台账, GET /api/registry/grids): each visible township's grids,
 * micro-grids and groups in figures, and one township's grids with their micro-grids, the group's
 * chat id, owner (the grid worker) and admins (the micro-grid workers), and the member count read
 * from WeChat Work beside the grid's households. The township lives in the route,
 * `#/registry/<townshipId>`, so links and the back button work. The server decides what a reader
 * gets: the county any township (the first with grids when none is chosen), a township centre its
 * own, which is then the only one offered.
 */
import type { RegistryAnswer } from '../../../services/grid-registry-view.ts';
import { api, failed } from './api.ts';
import { app, FMT_LOCALE, LANG, nextNav, T } from './context.ts';
import { byId, clear, el, fill, number, selectById, show, when } from './dom.ts';
import { isRecord } from './guards.ts';
import { showView } from './navigation.ts';

type RegistryGrid = RegistryAnswer['grids'][number];
type TownshipFigures = RegistryAnswer['townships'][number];

const isRegistry = (data: unknown): data is RegistryAnswer =>
  isRecord(data) && Array.isArray(data.townships) && Array.isArray(data.grids);

export function wireRegistry(): void {
  selectById('registry-township').addEventListener('change', (e) => {
    const target = e.target;
    if (target instanceof HTMLSelectElement && target.value)
      location.hash = `#/registry/${encodeURIComponent(target.value)}`;
  });
}

export function clearRegistry(): void {
  clear(byId('registry-townships'));
  clear(byId('registry-grids'));
  clear(selectById('registry-township'));
}

export async function showRegistry(townshipId: string): Promise<void> {
  const seq = nextNav();
  const r = T.registry;
  const alert = byId('registry-alert');
  const grids = byId('registry-grids');
  showView('registry', 'registry');
  document.title = `${r.heading} · ${T.pageTitle}`;
  show(alert, '');
  clear(grids);
  grids.appendChild(el('p', { className: 'empty', text: T.loading }));
  const query = townshipId ? `?townshipId=${encodeURIComponent(townshipId)}` : '';
  try {
    const answer = await api('GET', `/api/registry/grids${query}`);
    if (seq !== app.navSeq) return;
    if (answer.status !== 200 || !isRegistry(answer.data)) {
      clear(grids);
      show(alert, answer.status === 403 ? r.forbidden : T.loadFailed, 'alert');
      return;
    }
    const data = answer.data;
    // The county without a township chosen: the first township that has grids.
    const first = data.townships.find((t) => t.grids > 0);
    if (data.townshipId === undefined && first) {
      history.replaceState(null, '', `${location.pathname}${location.search}#/registry/${first.id}`);
      void showRegistry(first.id);
      return;
    }
    render(data);
  } catch (e) {
    if (seq !== app.navSeq) return;
    clear(grids);
    failed(e, alert);
  }
}

const nameOf = (t: { zh: string; en: string }): string => (LANG === 'en' ? t.en : t.zh);
const share = (part: number, whole: number): string =>
  whole > 0 ? (part / whole).toLocaleString(FMT_LOCALE, { style: 'percent', maximumFractionDigits: 0 }) : '—';

function render(data: RegistryAnswer): void {
  const select = selectById('registry-township');
  clear(select);
  for (const t of data.townships)
    select.appendChild(el('option', { value: t.id, text: nameOf(t), selected: t.id === data.townshipId }));
  byId('registry-filters').hidden = data.townships.length < 2;
  renderTownships(data.townships);
  renderGrids(data);
}

function renderTownships(townships: readonly TownshipFigures[]): void {
  const c = T.registry.townshipColumns;
  const box = byId('registry-townships');
  clear(box);
  const head = el('tr', null, [
    el('th', { scope: 'col', text: c.name }),
    el('th', { scope: 'col', className: 'num', text: c.grids }),
    el('th', { scope: 'col', className: 'num', text: c.microGrids }),
    el('th', { scope: 'col', className: 'num', text: c.groups }),
    el('th', { scope: 'col', className: 'num', text: c.households }),
    el('th', { scope: 'col', className: 'num', text: c.members }),
  ]);
  const rows = townships.map((t) =>
    el('tr', { 'data-township': t.id }, [
      el('th', { scope: 'row' }, [el('a', { href: `#/registry/${t.id}`, text: nameOf(t) })]),
      el('td', { className: 'num', text: number(t.grids) }),
      el('td', { className: 'num', text: number(t.microGrids) }),
      el('td', { className: 'num', text: number(t.groups) }),
      el('td', { className: 'num', text: number(t.households) }),
      el('td', { className: 'num', text: t.counted > 0 ? number(t.members) : T.registry.notCounted }),
    ]),
  );
  box.appendChild(
    el('div', { className: 'table-scroll' }, [
      el('table', { className: 'cases registry-townships', id: 'registry-township-table' }, [
        el('thead', null, [head]),
        el('tbody', null, rows),
      ]),
    ]),
  );
}

function renderGrids(data: RegistryAnswer): void {
  const r = T.registry;
  const box = byId('registry-grids');
  clear(box);
  if (data.townshipId === undefined) {
    box.appendChild(el('p', { className: 'empty', text: r.chooseTownship }));
    return;
  }
  if (data.grids.length === 0) {
    box.appendChild(el('p', { className: 'empty', text: r.noGrids }));
    return;
  }
  const c = r.gridColumns;
  const head = el('tr', null, [
    el('th', { scope: 'col', text: c.grid }),
    el('th', { scope: 'col', text: c.microGrids }),
    el('th', { scope: 'col', text: c.group }),
    el('th', { scope: 'col', text: c.owner }),
    el('th', { scope: 'col', text: c.admins }),
    el('th', { scope: 'col', className: 'num', text: c.members }),
  ]);
  box.appendChild(
    el('div', { className: 'table-scroll' }, [
      el('table', { className: 'cases registry-grids', id: 'registry-grid-table' }, [
        el('thead', null, [head]),
        el('tbody', null, data.grids.map(gridRow)),
      ]),
    ]),
  );
}

function gridRow(g: RegistryGrid): HTMLTableRowElement {
  const r = T.registry;
  const micro = g.microGrids ?? [];
  const group = g.group;
  return el('tr', { 'data-grid': g.id }, [
    el('th', { scope: 'row' }, [
      el('span', { text: g.zh }),
      el('br'),
      el('span', { className: 'muted', text: `${LANG === 'en' ? g.communityEn : g.communityZh} · ${g.id}` }),
    ]),
    el(
      'td',
      null,
      micro.length === 0
        ? [r.none]
        : [
            el(
              'ul',
              { className: 'micro-grids' },
              micro.map((m) =>
                el('li', {
                  text: `${m.zh} · ${fill(r.households, { n: number(m.households) })}${m.wecomUserId ? ` · ${m.wecomUserId}` : ''}`,
                }),
              ),
            ),
          ],
    ),
    el('td', { className: group ? 'code' : 'muted', text: group ? group.chatId : r.noGroup }),
    el('td', { text: group ? group.ownerUserId : '—' }),
    el('td', { text: group && group.adminUserIds.length > 0 ? group.adminUserIds.join(', ') : r.none }),
    el('td', { className: 'num', 'data-column': 'members' }, membersCell(g)),
  ]);
}

function membersCell(g: RegistryGrid): (Node | string)[] {
  const r = T.registry;
  const count = g.group?.memberCount;
  if (!g.group) return ['—'];
  if (count === undefined) return [`${r.notCounted} / ${number(g.households)}`];
  return [
    fill(r.coverage, {
      members: number(count),
      households: number(g.households),
      share: share(count, g.households),
    }),
    el('br'),
    el('span', { className: 'muted', text: fill(r.countedAt, { at: when(g.group.memberCountAt) }) }),
  ];
}
