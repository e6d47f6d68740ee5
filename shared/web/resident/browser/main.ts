/**
 * The resident page's script: it improves the server-rendered page where JavaScript runs (the
 * report form, the status lookup, the rating). Built into the page by shared/web/page-assets.ts;
 * the server calls `start` with the page's language and strings. Where fetch or crypto is
 * missing it does nothing, and the plain form post still works.
 */
import type { ResidentConfig } from '../resident-config.ts';
import { maybeById } from './dom.ts';
import { enhanceRating } from './rating.ts';
import { enhanceReportForm } from './report-form.ts';
import { enhanceStatusLookup } from './status-lookup.ts';

export function start(config: ResidentConfig): void {
  const form = maybeById('report', HTMLFormElement);
  if (!form || typeof window.fetch !== 'function' || !window.crypto || !window.crypto.getRandomValues) return;
  enhanceReportForm(form, config);
  enhanceStatusLookup(form, config);
  enhanceRating(config);
}
