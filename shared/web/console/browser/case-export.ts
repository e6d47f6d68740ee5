/**
 * The console's CSV downloads: the case lists' "导出 CSV" (GET /api/cases/export with the list's
 * filters, chunk after chunk) and the statistics' (GET /api/stats/export over the period shown).
 * The API answers the case export in chunks of up to a few MB, each naming the next in
 * `X-Next-Cursor`; the page fetches them in sequence with the token, keeps each as a Blob (its
 * bytes as sent, the byte-order mark included — `text()` would drop it) and saves the parts as
 * one file from a blob URL. The buttons are made here and put beside the views' own controls,
 * so the page's markup stays as it is.
 */
import { dropSession } from './api.ts';
import { app, LANG, T } from './context.ts';
import { hashParams, rangeOfParams } from './date-range.ts';
import { byId, el, fileNameOf, fill, saveFile, show } from './dom.ts';
import { showSignIn } from './navigation.ts';

const STATUS_CLASS = 'muted export-status';

class Refused extends Error {
  readonly status: number;

  constructor(status: number) {
    super(`HTTP ${status}`);
    this.status = status;
  }
}
class SignedOut extends Error {}

/**
 * Every chunk of a CSV export, following `X-Next-Cursor`: the parts (as sent), the rows the API
 * counted and the file name of the first answer. `progress` hears the rows so far after each chunk.
 */
async function fetchChunks(
  path: string,
  params: URLSearchParams,
  progress: (rows: number) => void,
): Promise<{ parts: Blob[]; rows: number; fileName: string | null }> {
  const parts: Blob[] = [];
  let rows = 0;
  let fileName: string | null = null;
  let cursor: string | null = null;
  do {
    const session = app.session;
    if (!session || session.expiresAt <= Date.now()) throw new SignedOut();
    if (cursor !== null) params.set('cursor', cursor);
    const res = await fetch(`${path}?${params.toString()}`, {
      credentials: 'same-origin',
      cache: 'no-store',
      headers: { accept: 'text/csv', authorization: `Bearer ${session.idToken}` },
    });
    if (res.status === 401) throw new SignedOut();
    if (!res.ok) throw new Refused(res.status);
    parts.push(await res.blob());
    fileName ??= res.headers.get('content-disposition');
    rows += Number(res.headers.get('x-export-rows') ?? 0);
    cursor = res.headers.get('x-next-cursor');
    progress(rows);
  } while (cursor !== null);
  return { parts, rows, fileName };
}

/** A button that downloads an export, with a line beside it that says how it went. */
function exportButton(
  id: string,
  download: (status: HTMLElement) => Promise<void>,
): { button: HTMLButtonElement; status: HTMLElement } {
  const W = T.caseExport;
  const button = el('button', { type: 'button', className: 'secondary', id, text: W.export });
  const status = el('span', { className: STATUS_CLASS, id: `${id}-status`, 'aria-live': 'polite' });
  button.addEventListener('click', async () => {
    button.disabled = true;
    button.textContent = W.exporting;
    show(status, '');
    try {
      await download(status);
    } catch (error) {
      if (error instanceof SignedOut) {
        dropSession();
        showSignIn(T.sessionExpired, 'alert');
      } else if (error instanceof Refused)
        show(status, error.status === 403 ? W.forbidden : W.failed, 'alert');
      else show(status, T.networkError, 'alert');
    } finally {
      button.disabled = false;
      button.textContent = W.export;
    }
  });
  return { button, status };
}

/**
 * The case lists' export: a button and the personal-data choice after the filters' refresh
 * button; `listQuery` gives the list's query as GET /api/cases takes it (without limit or cursor).
 */
export function wireCaseExport(listQuery: () => URLSearchParams): void {
  const W = T.caseExport;
  const personal = el('input', { type: 'checkbox', id: 'list-export-personal' });
  const personalWrap = el(
    'label',
    { className: 'check', id: 'list-export-personal-wrap', title: W.personalHint },
    [personal, el('span', { text: W.personal })],
  );
  const { button, status } = exportButton('list-export', async (line) => {
    const params = listQuery();
    params.set('lang', LANG);
    if (personal.checked) params.set('personal', 'true');
    const { parts, rows, fileName } = await fetchChunks('/api/cases/export', params, (n) =>
      show(line, fill(W.progress, { n }), STATUS_CLASS),
    );
    saveFile(new Blob(parts, { type: 'text/csv;charset=utf-8' }), fileNameOf(fileName, 'cases.csv'));
    show(line, fill(W.done, { n: rows }), STATUS_CLASS);
  });
  // Admins may not export personal data (the API refuses them); nobody else is offered less.
  const syncPersonal = () => {
    personalWrap.hidden = app.session?.staff.role === 'admin';
    if (personalWrap.hidden) personal.checked = false;
  };
  const refresh = byId('refresh');
  refresh.after(button, personalWrap, status);
  // Whoever signed in: checked each time the list's view is shown (a sign-in may not change the hash).
  const view = refresh.closest('section');
  syncPersonal();
  if (view)
    new MutationObserver(syncPersonal).observe(view, { attributes: true, attributeFilter: ['hidden'] });
}

/** The statistics' export: the period shown (the hash's), in the page's language. */
export function wireStatsExport(): void {
  const { button, status } = exportButton('stats-export', async () => {
    const range = rangeOfParams(hashParams());
    const params = new URLSearchParams({ lang: LANG });
    if (range) {
      params.set('from', range.from);
      params.set('to', range.to);
    }
    const { parts, fileName } = await fetchChunks('/api/stats/export', params, () => {});
    saveFile(new Blob(parts, { type: 'text/csv;charset=utf-8' }), fileNameOf(fileName, 'stats.csv'));
  });
  byId('stats-range-note').before(el('p', { className: 'export-line' }, [button, ' ', status]));
}
