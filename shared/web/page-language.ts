/**
 * Which language a page speaks, and how the choice is remembered: `?lang=en` (or `zh`) on any
 * page is a choice, kept in a `lang` cookie for a year so the next page — the resident page, the
 * status page, the console — speaks the same language without the parameter. Without a choice in
 * the query the cookie decides; without either, Chinese. Pure: the HTTP edge
 * (shared/http/page-language.ts) reads the request and writes the Set-Cookie.
 *
 * The cookie is read by hand rather than with a cookie library: one name, two accepted values,
 * and everything else ignored is all there is to it.
 */
import type { PageLanguage } from './page-text.ts';

export const LANGUAGE_COOKIE = 'lang';
const ONE_YEAR_SECONDS = 365 * 24 * 60 * 60;
/** Browsers send at most a few KB of cookies; a header longer than this is not read at all. */
const MAX_COOKIE_HEADER = 8 * 1024;

/** `en…` or `zh…` in any case (`en-US`, `zh-CN`) is a choice; anything else is none. */
export function languageChoice(value: string | undefined): PageLanguage | undefined {
  const v = value?.trim().toLowerCase() ?? '';
  if (v.startsWith('en')) return 'en';
  if (v.startsWith('zh')) return 'zh';
  return undefined;
}

/**
 * The value of the first cookie of this name in a Cookie header (`a=1; lang=en`), or undefined.
 * Malformed pairs (no `=`, an empty name, a bad %-escape) are skipped, never thrown on: the header
 * comes from the client.
 */
export function cookieValue(cookieHeader: string | undefined, name: string): string | undefined {
  if (!cookieHeader || cookieHeader.length > MAX_COOKIE_HEADER) return undefined;
  for (const pair of cookieHeader.split(';')) {
    const at = pair.indexOf('=');
    if (at <= 0 || pair.slice(0, at).trim() !== name) continue;
    const raw = pair
      .slice(at + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1');
    try {
      return decodeURIComponent(raw);
    } catch {
      // A bad escape: this pair says nothing; a later one of the same name may.
    }
  }
  return undefined;
}

/**
 * The page's language: the query's `lang` when it is a choice, else the cookie's, else Chinese.
 * `query` is the request's query parameters as API Gateway gives them.
 */
export function pageLanguageOf(
  query: Readonly<Record<string, string | undefined>> | undefined,
  cookieHeader: string | undefined,
): PageLanguage {
  return languageChoice(query?.lang) ?? languageChoice(cookieValue(cookieHeader, LANGUAGE_COOKIE)) ?? 'zh';
}

/**
 * The Set-Cookie value that remembers a choice: the whole site (Path=/), a year, sent on
 * top-level navigation from elsewhere but not on cross-site subrequests (SameSite=Lax), and only
 * over HTTPS where the site is served over HTTPS (`secure`, i.e. in AWS; the local runtime is
 * plain HTTP). Not HttpOnly: it is a preference, not a secret, and a page script may switch it.
 */
export function languageCookie(lang: PageLanguage, options: { secure: boolean }): string {
  return `${LANGUAGE_COOKIE}=${lang}; Path=/; Max-Age=${ONE_YEAR_SECONDS}; SameSite=Lax${options.secure ? '; Secure' : ''}`;
}
