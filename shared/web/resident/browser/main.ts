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
import { enhanceReportPhotos } from './report-photos.ts';
import { enhanceStatusLookup } from './status-lookup.ts';

export function start(config: ResidentConfig): void {
  const form = maybeById('report', HTMLFormElement);
  if (!form || typeof window.fetch !== 'function' || !window.crypto || !window.crypto.getRandomValues) return;
  // Photos need canvas.toBlob and FormData; without them the report goes without photos.
  const canUpload =
    config.photos !== undefined &&
    typeof FormData === 'function' &&
    typeof HTMLCanvasElement.prototype.toBlob === 'function' &&
    maybeById('field-photos', HTMLDivElement) !== undefined;
  enhanceReportForm(
    form,
    config,
    canUpload && config.photos ? enhanceReportPhotos(config.photos) : undefined,
  );
  enhanceStatusLookup(form, config);
  enhanceRating(config);
}
