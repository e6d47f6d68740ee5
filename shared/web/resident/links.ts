/**
 * The resident pages' own addresses, built the same way by the server (the pages, the no-JS
 * receipt) and by the browser script (the receipt it shows after a JSON submit).
 */
import type { PageLanguage } from '../page-text.ts';

// Absolute links, not `?lang=en`: the same header is shown on the rejection page, which lives at
// /api/reports, where a relative `?lang=en` would land on the API instead of the page. English
// links say so even though the `lang` cookie remembers it: a browser that refuses cookies keeps it.
export const homeHref = (lang: PageLanguage): string => (lang === 'en' ? '/?lang=en' : '/');

/** The server-rendered status page of one report (canonical code), or its empty lookup form. */
export function statusHref(lang: PageLanguage, trackingCode?: string): string {
  const query = [
    ...(trackingCode === undefined ? [] : [`code=${encodeURIComponent(trackingCode)}`]),
    ...(lang === 'en' ? ['lang=en'] : []),
  ];
  return query.length === 0 ? '/status' : `/status?${query.join('&')}`;
}

/**
 * The language switch: the same page in the other language, the choice always explicit (`zh` too),
 * because a bare address would be read in the language the cookie remembers.
 */
export function languageSwitchHref(path: string, to: PageLanguage, trackingCode?: string): string {
  const code = trackingCode === undefined ? '' : `code=${encodeURIComponent(trackingCode)}&`;
  return `${path}?${code}lang=${to}`;
}

/**
 * Where the reporter rates: the resident page with the code and the key in the fragment, which
 * the page's script reads and which never reaches a server, a log or a Referer header.
 */
export function ratingHref(lang: PageLanguage, trackingCode: string, reporterToken: string): string {
  return `${homeHref(lang)}#rate=${encodeURIComponent(trackingCode)}&token=${encodeURIComponent(reporterToken)}`;
}
