/**
 * The staff console's browser app, bundled by esbuild into the page (an IIFE whose global is
 * `civicloopPage`); the server's shell calls `civicloopPage.start(config)`. It signs in through
 * POST /api/session and then works only through the staff API, building every piece of data into
 * the DOM as text, never as markup.
 */
import type { ConsoleConfig } from '../console-config.ts';
import { loadCatalog, readSession, whenExpired } from './api.ts';
import { wireAssessment } from './assessment.ts';
import { wireLists } from './case-lists.ts';
import { wireSearch } from './case-search.ts';
import { app, configure, T } from './context.ts';
import { route, showSignIn, startApp, wireNavigation } from './navigation.ts';
import { wireCalendar } from './planner/calendar.ts';
import { wireCampaignForm } from './planner/campaign-form.ts';
import { wireRisk } from './planner/risk.ts';
import { wireTasks } from './planner/tasks.ts';
import { wireRegistry } from './registry.ts';
import { wireStats } from './statistics.ts';

export function start(config: ConsoleConfig): void {
  configure(config);
  whenExpired(() => showSignIn(T.sessionExpired, 'alert'));
  wireNavigation();
  wireLists();
  wireSearch();
  wireRisk();
  wireCalendar();
  wireCampaignForm();
  wireTasks();
  wireStats();
  wireAssessment();
  wireRegistry();
  app.session = readSession();
  loadCatalog();
  if (app.session) startApp();
  else route();
}
