/**
 * Search (GET /api/cases/search?q=…): the box beside the tabs for everyone with case lists, and
 * its results at #/search/<q> as a list with paging by cursor. A query that is a tracking code,
 * typed any way, and finds that case opens the case itself; a search by phone digits from a role
 * that may not call residents is refused by the API (403), and the page says so with the API's
 * message.
 */
import type { CaseSummary } from '../../../services/case-queries.ts';
import { api, failed } from './api.ts';
import { type Column, caseHref, casesBody, casesTable, listReturn } from './case-lists.ts';
import { app, nextNav, T } from './context.ts';
import { buttonById, byId, byKind, clear, el, fill, inputById, show } from './dom.ts';
import { isRecord } from './guards.ts';
import { showView } from './navigation.ts';

const COLUMNS: readonly Column[] = ['code', 'category', 'community', 'unit', 'stage', 'due', 'submitted'];
const results: { q: string; rows: CaseSummary[]; cursor: string | null } = { q: '', rows: [], cursor: null };

interface SearchAnswer {
  cases: CaseSummary[];
  cursor?: string;
}
const isSearchAnswer = (data: unknown): data is SearchAnswer => isRecord(data) && Array.isArray(data.cases);

/** The API's own words for a refusal (`error.message`), if it gave any. */
const messageOf = (data: unknown): string =>
  isRecord(data) && isRecord(data.error) && typeof data.error.message === 'string' ? data.error.message : '';

export const searchHref = (q: string): string => `#/search/${encodeURIComponent(q)}`;

/**
 * The tracking code a query spells, if it is one: any case, spaces, dashes or dots between the
 * groups, O for 0 and I/L for 1 — the forgiveness of shared/domain/tracking-code.ts, which the page
 * cannot import without bundling zod. Only to recognise the case the server found by code.
 */
export function codeTyped(q: string): string | undefined {
  const code = q
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[\s\-_.·—/]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
  return /^[0-9A-HJKMNP-TV-Z]{9}$/.test(code) ? code : undefined;
}

export function wireSearch(): void {
  byKind('search-form', HTMLFormElement).addEventListener('submit', (e) => {
    e.preventDefault();
    const input = inputById('search-q');
    const q = input.value.trim();
    if (!q) {
      input.focus();
      return;
    }
    const href = searchHref(q);
    // The same search again reloads it (there is no hashchange to do it).
    if (location.hash === href) showSearch(q);
    else location.hash = href;
  });
  byId('search-more').addEventListener('click', () => loadSearch(true));
}

export function clearSearch(): void {
  clear(byId('search-body'));
  inputById('search-q').value = '';
  results.q = '';
  results.rows = [];
  results.cursor = null;
}

export function showSearch(q: string): void {
  results.q = q.trim();
  listReturn.href = searchHref(results.q);
  listReturn.tab = null;
  showView('search', null);
  inputById('search-q').value = results.q;
  const heading = fill(T.search.heading, { q: results.q });
  byId('search-title').textContent = heading;
  document.title = `${heading} · ${T.pageTitle}`;
  loadSearch(false);
}

async function loadSearch(append: boolean): Promise<void> {
  const seq = nextNav();
  const q = results.q;
  const body = byId('search-body');
  const alert = byId('search-alert');
  const more = buttonById('search-more');
  show(alert, '');
  more.disabled = true;
  if (!append) {
    clear(body);
    byId('search-count').textContent = '';
    more.hidden = true;
    if (!q) {
      show(alert, T.search.empty, 'alert');
      return;
    }
    body.appendChild(el('p', { className: 'empty', text: T.loading }));
  }
  const params = new URLSearchParams({ q, limit: '25' });
  if (append && results.cursor) params.set('cursor', results.cursor);
  try {
    const r = await api('GET', `/api/cases/search?${params.toString()}`);
    if (seq !== app.navSeq) return;
    if (r.status !== 200 || !isSearchAnswer(r.data)) {
      if (!append) clear(body);
      const message =
        r.status === 403 ? T.search.phoneForbidden : r.status === 400 ? T.search.invalid : T.loadFailed;
      show(alert, message, 'alert');
      const detail = r.status === 403 || r.status === 400 ? messageOf(r.data) : '';
      if (detail) alert.appendChild(el('span', { className: 'alert-detail', text: detail }));
      return;
    }
    const found = r.data.cases;
    const only = found[0];
    if (!append && found.length === 1 && only && codeTyped(q) === only.id) {
      // A code hit is the case itself: open it, and Back returns to where the search was typed.
      location.replace(caseHref(only.id));
      return;
    }
    results.rows = append ? results.rows.concat(found) : found;
    results.cursor = r.data.cursor || null;
    renderResults();
  } catch (e) {
    if (seq !== app.navSeq) return;
    if (!append) clear(body);
    failed(e, alert);
  } finally {
    more.disabled = false;
  }
}

function renderResults(): void {
  const body = byId('search-body');
  clear(body);
  const rows = results.rows;
  byId('search-count').textContent = rows.length ? fill(T.shown, { n: rows.length }) : '';
  buttonById('search-more').hidden = !results.cursor;
  if (!rows.length) {
    body.appendChild(
      el('p', { className: 'empty', id: 'search-empty', text: fill(T.search.noResults, { q: results.q }) }),
    );
    return;
  }
  const table = casesTable('search-table', COLUMNS);
  table.appendChild(casesBody(rows, COLUMNS));
  body.appendChild(table);
}
