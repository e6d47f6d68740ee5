/**
 * The resident page's own addresses, built the same way by the server (the no-JS receipt) and by
 * the browser script (the receipt it shows after a JSON submit).
 */
import type { PageLanguage } from '../page-text.ts';

// Absolute links, not `?lang=en`: the same header is shown on the rejection page, which lives at
// /api/reports, where a relative `?lang=en` would land on the API instead of the page.
export const homeHref = (lang: PageLanguage): string => (lang === 'en' ? '/?lang=en' : '/');

/**
 * Where the reporter rates: the resident page with the code and the key in the fragment, which
 * the page's script reads and which never reaches a server, a log or a Referer header.
 */
export function ratingHref(lang: PageLanguage, trackingCode: string, reporterToken: string): string {
  return `${homeHref(lang)}#rate=${encodeURIComponent(trackingCode)}&token=${encodeURIComponent(reporterToken)}`;
}
