/**
 * Signing in and out, and the hash router (#/queue, #/problems, #/transfers, #/return_visits,
 * #/stats, #/case/<code>, #/search/<query>; the planner's #/risk, #/calendar/<YYYY-MM>, #/new_campaign/<communityId>,
 * #/campaign/<id> and #/campaign/<id>/edit; a grid worker's #/tasks; the grid registry's
 * #/registry/<townshipId>), so the browser's back button
 * and copied links work. Which views a role reaches follows the config's sections.
 */
import type { ConsoleSections } from '../console-config.ts';
import {
  communityName,
  dropSession,
  isSignedInAnswer,
  keepSession,
  loadCatalog,
  sessionStaff,
  staffOf,
  unitName,
} from './api.ts';
import { clearAssessment, showAssessment } from './assessment.ts';
import { buildCommunityFilter, clearLists, resetListFilters, showList } from './case-lists.ts';
import { clearSearch, showSearch } from './case-search.ts';
import { showCase } from './case-view.ts';
import {
  ALL_TABS,
  app,
  C,
  LANG,
  LIST_KINDS,
  type ListKind,
  PLANNER_TABS,
  T,
  type TabName,
} from './context.ts';
import { buttonById, byId, byKind, clear, inputById, show } from './dom.ts';
import { hasKey } from './guards.ts';
import { resetCalendarFilter, showCalendar } from './planner/calendar.ts';
import { showCampaignEdit, showCampaignForm } from './planner/campaign-form.ts';
import { showCampaign } from './planner/campaign-view.ts';
import { clearPlanner } from './planner/planner.ts';
import { showRisk } from './planner/risk.ts';
import { clearTasks, showTasks } from './planner/tasks.ts';
import { clearRegistry, showRegistry } from './registry.ts';
import { destroyCharts, showStats } from './statistics.ts';

const VIEW_IDS = {
  list: 'list-view',
  case: 'case-view',
  search: 'search-view',
  stats: 'stats-view',
  assessment: 'assessment-view',
  risk: 'risk-view',
  calendar: 'calendar-view',
  campaignForm: 'campaign-form-view',
  campaign: 'campaign-view',
  tasks: 'tasks-view',
  registry: 'registry-view',
} as const;
export type ViewName = keyof typeof VIEW_IDS;

/** Shows one view and marks its tab (none for a search). */
export function showView(name: ViewName, tab: TabName | null): void {
  for (const [k, id] of Object.entries(VIEW_IDS)) byId(id).hidden = k !== name;
  for (const k of ALL_TABS) {
    const a = byId(`tab-${k}`);
    if (k === tab) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}
export const viewHidden = (name: ViewName): boolean => byId(VIEW_IDS[name]).hidden !== false;

// ─── sign-in ───
export function showSignIn(message: string, kind: 'alert' | 'notice'): void {
  // Nothing of the last session stays in the page, hidden or not: it held phone numbers.
  app.navSeq++;
  destroyCharts();
  clearLists();
  clearAssessment();
  clearSearch();
  clear(byId('case-view'));
  clearTasks();
  clearPlanner();
  clearRegistry();
  byId('app').hidden = true;
  byId('who').hidden = true;
  byId('sign-out').hidden = true;
  byId('sign-in-view').hidden = false;
  const signInAlert = byId('sign-in-alert');
  show(signInAlert, message, kind === 'alert' ? 'alert' : 'notice');
  signInAlert.setAttribute('role', kind === 'alert' ? 'alert' : 'status');
  document.title = `${T.signInHeading} · ${T.pageTitle}`;
  inputById('username').focus();
}

function wireSignIn(): void {
  const signInButton = buttonById('sign-in-submit');
  const signInAlert = byId('sign-in-alert');
  byKind('sign-in-form', HTMLFormElement).addEventListener('submit', async (e) => {
    e.preventDefault();
    const username = inputById('username').value.trim();
    const password = inputById('password').value;
    if (!username || !password) {
      show(signInAlert, T.signInRejected, 'alert');
      return;
    }
    show(signInAlert, '');
    signInButton.disabled = true;
    signInButton.textContent = T.signingIn;
    try {
      const res = await fetch('/api/session', {
        method: 'POST',
        credentials: 'same-origin',
        cache: 'no-store',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ username, password }),
      });
      let data: unknown = null;
      try {
        data = await res.json();
      } catch {
        data = null;
      }
      if (res.ok && isSignedInAnswer(data)) {
        // A little before the token's own expiry, so a request never leaves with a dying token.
        const seconds = Number(data.expiresIn) > 0 ? Number(data.expiresIn) : 3600;
        keepSession({
          idToken: data.idToken,
          expiresAt: Date.now() + Math.max(seconds - 15, 1) * 1000,
          staff: staffOf(data.staff),
        });
        inputById('password').value = '';
        await startApp();
      } else {
        show(
          signInAlert,
          res.status === 401 || res.status === 400
            ? T.signInRejected
            : res.status === 403
              ? T.forbidden
              : T.signInFailed,
          'alert',
        );
        inputById('password').select();
      }
    } catch {
      show(signInAlert, T.networkError, 'alert');
    } finally {
      signInButton.disabled = false;
      signInButton.textContent = T.signIn;
    }
  });
  byId('sign-out').addEventListener('click', () => {
    dropSession();
    resetListFilters();
    resetCalendarFilter();
    // The next person starts at their own queue, not at the case the last one had open.
    history.replaceState(null, '', location.pathname + location.search);
    updateLanguageSwitch();
    showSignIn(T.signedOut, 'notice');
  });
}

export async function startApp(): Promise<void> {
  byId('sign-in-view').hidden = true;
  show(byId('sign-in-alert'), '');
  byId('app').hidden = false;
  await loadCatalog();
  const s = sessionStaff();
  byId('who-name').textContent = s.name || '';
  const scope = s.unitId ? unitName(s.unitId) : s.communityId ? communityName(s.communityId) : '';
  const role = s.role && isRole(s.role) ? T.roles[s.role] : s.role || '';
  byId('who-role').textContent = role + (scope ? ` · ${scope}` : '');
  byId('who').hidden = false;
  byId('sign-out').hidden = false;
  applySections();
  buildCommunityFilter(s);
  route();
}

// ─── routing ───
function parseHash(): { view: string; id: string; sub: string } {
  let h = location.hash || '';
  if (h.charAt(0) === '#') h = h.slice(1);
  if (h.charAt(0) === '/') h = h.slice(1);
  const parts = h.split('/');
  return { view: parts[0] || 'queue', id: parts[1] ? decodeURIComponent(parts[1]) : '', sub: parts[2] || '' };
}
const isRole = (role: string): role is keyof typeof C.sections => hasKey(C.sections, role);

/** What this role's console shows (C.sections): case tabs, planner tabs, the outreach tasks. */
function sections(): ConsoleSections {
  const role = app.session?.staff.role;
  return role && isRole(role) ? C.sections[role] : { cases: true, planner: 'none', tasks: false };
}
export const mayPlan = (): boolean => sections().planner === 'plan';
/** Whether this role reaches the unit assessment (C.assessment, as the API allows). */
const mayAssess = (): boolean => {
  const role = app.session?.staff.role;
  return role !== undefined && isRole(role) && C.assessment[role];
};
/** Whether this role reaches the grid registry (C.registry, as the API allows). */
const mayReadRegistry = (): boolean => {
  const role = app.session?.staff.role;
  return role !== undefined && isRole(role) && C.registry[role];
};

function applySections(): void {
  const s = sections();
  for (const k of [...LIST_KINDS, 'stats']) byId(`tab-${k}`).hidden = !s.cases;
  for (const k of PLANNER_TABS)
    byId(`tab-${k}`).hidden = s.planner === 'none' || (k === 'new_campaign' && s.planner !== 'plan');
  byId('tab-tasks').hidden = !s.tasks;
  byId('tab-assessment').hidden = !mayAssess();
  byId('tab-registry').hidden = !mayReadRegistry();
  byId('search-form').hidden = !s.cases;
}
/**
 * The language switch keeps the view: same hash, other language, always named (a bare /console
 * would keep the language the cookie remembers).
 */
export function updateLanguageSwitch(): void {
  byId('lang-switch').setAttribute(
    'href',
    (LANG === 'en' ? '/console?lang=zh' : '/console?lang=en') + (location.hash || ''),
  );
}
const isListKind = (view: string): view is ListKind => (LIST_KINDS as readonly string[]).indexOf(view) >= 0;

export function route(): void {
  updateLanguageSwitch();
  if (!app.session) {
    showSignIn('', 'notice');
    return;
  }
  const r = parseHash();
  const s = sections();
  if (s.planner !== 'none') {
    if (r.view === 'risk') {
      showRisk();
      return;
    }
    if (r.view === 'calendar') {
      showCalendar(r.id);
      return;
    }
    if (r.view === 'campaign' && r.id) {
      if (r.sub === 'edit' && s.planner === 'plan') showCampaignEdit(r.id);
      else showCampaign(r.id);
      return;
    }
    if (r.view === 'new_campaign' && s.planner === 'plan') {
      showCampaignForm(r.id);
      return;
    }
  }
  if (r.view === 'registry' && mayReadRegistry()) {
    showRegistry(r.id);
    return;
  }
  if (s.tasks && r.view === 'tasks') {
    showTasks();
    return;
  }
  if (!s.cases) {
    // Outreach staff have no case lists: their console opens on the planner.
    history.replaceState(null, '', `${location.pathname}${location.search}#/risk`);
    updateLanguageSwitch();
    showRisk();
    return;
  }
  if (r.view === 'case' && r.id) showCase(r.id);
  else if (r.view === 'search') showSearch(r.id);
  else if (r.view === 'stats') showStats();
  else if (r.view === 'assessment' && mayAssess()) showAssessment();
  else showList(isListKind(r.view) ? r.view : 'queue');
}

export function wireNavigation(): void {
  wireSignIn();
  window.addEventListener('hashchange', route);
  // Clicking the tab one is already on reloads it (there is no hashchange to do it).
  for (const k of ALL_TABS) {
    // The new-campaign form keeps what was typed; the other tabs reload.
    byId(`tab-${k}`).addEventListener('click', () => {
      if (location.hash === `#/${k}` && k !== 'new_campaign') route();
    });
  }
}
