/**
 * The session and the staff API: the token lives in sessionStorage (it dies with the tab), every
 * request carries it, and a 401 (or a token about to expire) sends the user back to sign in.
 * Also the catalogue's names (GET /api/catalog), which the console shows instead of ids.
 */
import type { Catalog } from '../../../domain/catalog.ts';
import { app, LANG, type Session, type SessionStaff, T } from './context.ts';
import { show } from './dom.ts';
import { isRecord } from './guards.ts';

const SESSION_KEY = 'civicloop.console.session';

/** The session ended (expired or refused): the page is already back at sign-in. */
export class Expired extends Error {}
/** The request never reached the server. */
export class NetworkDown extends Error {}

/** The staff fields the page reads, from the sign-in's answer or the stored session. */
export function staffOf(value: unknown): SessionStaff {
  const s = isRecord(value) ? value : {};
  const text = (key: keyof SessionStaff): string | undefined => {
    const v = s[key];
    return typeof v === 'string' ? v : undefined;
  };
  return {
    userId: text('userId'),
    name: text('name'),
    role: text('role'),
    unitId: text('unitId'),
    townshipId: text('townshipId'),
    communityId: text('communityId'),
  };
}

/** POST /api/session's answer, as far as the page relies on it. */
export interface SignedInAnswer {
  idToken: string;
  expiresIn?: unknown;
  staff?: unknown;
}
export const isSignedInAnswer = (data: unknown): data is SignedInAnswer =>
  isRecord(data) && typeof data.idToken === 'string' && data.idToken !== '';

export function readSession(): Session | null {
  try {
    const s: unknown = JSON.parse(sessionStorage.getItem(SESSION_KEY) || 'null');
    if (isSignedInAnswer(s) && isRecord(s) && typeof s.expiresAt === 'number' && s.expiresAt > Date.now())
      return { idToken: s.idToken, expiresAt: s.expiresAt, staff: staffOf(s.staff) };
    sessionStorage.removeItem(SESSION_KEY);
  } catch {}
  return null;
}
export function keepSession(session: Session): void {
  app.session = session;
  try {
    sessionStorage.setItem(SESSION_KEY, JSON.stringify(session));
  } catch {}
}
export function dropSession(): void {
  app.session = null;
  try {
    sessionStorage.removeItem(SESSION_KEY);
  } catch {}
}
export const sessionStaff = (): SessionStaff => app.session?.staff ?? {};

let onExpired: () => void = () => {};
/** What to do when the session ends under a request (show the sign-in with its message). */
export function whenExpired(handler: () => void): void {
  onExpired = handler;
}
function expire(): never {
  dropSession();
  onExpired();
  throw new Expired();
}

export interface ApiAnswer {
  status: number;
  /** The JSON body, unchecked: each caller narrows it with a guard before reading it. */
  data: unknown;
}

export async function api(method: string, path: string, body?: unknown): Promise<ApiAnswer> {
  const session = app.session;
  if (!session || session.expiresAt <= Date.now()) expire();
  const headers: Record<string, string> = {
    accept: 'application/json',
    authorization: `Bearer ${session.idToken}`,
  };
  const init: RequestInit = { method, credentials: 'same-origin', cache: 'no-store', headers };
  if (body !== undefined) {
    headers['content-type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let res: Response;
  try {
    res = await fetch(path, init);
  } catch {
    throw new NetworkDown();
  }
  let data: unknown = null;
  try {
    data = await res.json();
  } catch {
    data = null;
  }
  if (res.status === 401) expire();
  return { status: res.status, data };
}

export interface LoadOne<D> {
  /** The navigation that asked; the answer is dropped once the user has moved on. */
  seq: number;
  path: string;
  isData: (data: unknown) => data is D;
  render: (data: D) => void;
  /** Shows why there is nothing to render, in the page's words. */
  fail: (message: string) => void;
  notFound: string;
  forbidden: string;
}
/** GETs the one thing a view shows (a case, a campaign) and renders it or says why not. */
export async function loadOne<D>(o: LoadOne<D>): Promise<void> {
  try {
    const r = await api('GET', o.path);
    if (o.seq !== app.navSeq) return;
    if (r.status === 200 && o.isData(r.data)) {
      o.render(r.data);
      return;
    }
    o.fail(r.status === 404 ? o.notFound : r.status === 403 ? o.forbidden : T.loadFailed);
  } catch (e) {
    if (o.seq !== app.navSeq || e instanceof Expired) return;
    o.fail(e instanceof NetworkDown ? T.networkError : T.serverError);
  }
}

/** Shows what went wrong in `node`, unless it was an expired session (already back at sign-in). */
export function failed(error: unknown, node: HTMLElement | null): void {
  if (error instanceof Expired) return;
  show(node, error instanceof NetworkDown ? T.networkError : T.serverError, 'alert');
}

/** The API's error body: `{ error: { code, issues } }`, or nothing of it. */
export interface ApiIssue {
  path: string;
  message: string;
}
export interface ApiError {
  code?: string;
  issues: ApiIssue[];
}
export function errorOf(data: unknown): ApiError {
  const error = isRecord(data) && isRecord(data.error) ? data.error : {};
  const issues = Array.isArray(error.issues) ? error.issues : [];
  return {
    code: typeof error.code === 'string' ? error.code : undefined,
    issues: issues.map((issue: unknown) => ({
      path: isRecord(issue) && issue.path !== undefined ? String(issue.path) : '',
      message: isRecord(issue) && issue.message !== undefined ? String(issue.message) : '',
    })),
  };
}

// ─── catalogue (names) ───
type Township = Catalog['townships'][number];
type Unit = Catalog['units'][number];
type NameKind = 'category' | 'community' | 'communityTownship' | 'township' | 'unit';
export const names: Record<NameKind, Record<string, string>> = {
  category: {},
  community: {},
  communityTownship: {},
  township: {},
  unit: {},
};
export const catalog: { units: Unit[]; townships: Township[] } = { units: [], townships: [] };
let catalogLoad: Promise<void> | null = null;

function isCatalog(value: unknown): value is Catalog {
  return (
    isRecord(value) &&
    Array.isArray(value.categories) &&
    Array.isArray(value.townships) &&
    Array.isArray(value.units)
  );
}

export function loadCatalog(): Promise<void> {
  if (!catalogLoad) {
    catalogLoad = fetch('/api/catalog', {
      headers: { accept: 'application/json' },
      credentials: 'same-origin',
    })
      .then((res) => {
        if (!res.ok) throw new Error(`catalog ${res.status}`);
        return res.json();
      })
      .then((c: unknown) => {
        if (!isCatalog(c)) throw new Error('catalog: not a catalogue');
        for (const x of c.categories) names.category[x.code] = x[LANG];
        catalog.townships = c.townships;
        for (const t of c.townships) {
          names.township[t.id] = t[LANG];
          for (const x of t.communities) {
            names.community[x.id] = x[LANG];
            names.communityTownship[x.id] = t.id;
          }
        }
        catalog.units = c.units;
        for (const u of c.units) names.unit[u.id] = u[LANG];
      })
      // Without names the console still works with ids; the next sign-in tries again.
      .catch(() => {
        catalogLoad = null;
      });
  }
  return catalogLoad;
}

export const categoryName = (code: string): string => names.category[code] || code;
export const communityName = (id: string): string => names.community[id] || id;
export const townshipName = (id: string | undefined): string => (id ? names.township[id] || id : '');
export const unitName = (id: string): string => names.unit[id] || id;
