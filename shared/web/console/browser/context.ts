/**
 * The app's shared state: the config the server handed over (its wording, rules and sections),
 * the session, and the navigation counter that lets a view drop answers arriving after the user
 * moved on. `configure` runs once, in start(), before anything reads them.
 */
import type { ConsoleLanguage, ConsoleText } from '../../console-text.ts';
import type { ConsoleConfig } from '../console-config.ts';

/** The case lists' tabs, the first of them the queue. */
export const LIST_KINDS = ['queue', 'problems', 'transfers', 'return_visits'] as const;
export type ListKind = (typeof LIST_KINDS)[number];
export const PLANNER_TABS = ['risk', 'calendar', 'new_campaign'] as const;
/** Every tab, in the shell's order. */
export const ALL_TABS = [...LIST_KINDS, 'stats', 'assessment', 'registry', ...PLANNER_TABS, 'tasks'] as const;
export type TabName = (typeof ALL_TABS)[number];

export let C: ConsoleConfig;
export let T: ConsoleText;
/** The planner's wording. */
export let P: ConsoleText['planner'];
export let LANG: ConsoleLanguage;
/** The locale dates and numbers are formatted in. */
export let FMT_LOCALE: string;

export function configure(config: ConsoleConfig): void {
  C = config;
  T = config.t;
  P = config.t.planner;
  LANG = config.lang;
  FMT_LOCALE = LANG === 'zh' ? 'zh-CN' : 'en-GB';
}

/** Who is signed in, as the sign-in answered; kept in sessionStorage so it dies with the tab. */
export interface SessionStaff {
  userId?: string;
  name?: string;
  role?: string;
  unitId?: string;
  townshipId?: string;
  communityId?: string;
}
export interface Session {
  idToken: string;
  expiresAt: number;
  staff: SessionStaff;
}

/** A message above a view after an action: what was done, or why it was not. */
export interface Notice {
  ok?: string;
  error?: string;
}

export const app: { session: Session | null; navSeq: number } = { session: null, navSeq: 0 };

/** Starts a navigation: answers for an earlier one are dropped (`seq !== app.navSeq`). */
export const nextNav = (): number => ++app.navSeq;
