/**
 * The page language at the HTTP edge: read from the request (`?lang=`, then the `lang` cookie, as
 * shared/web/page-language.ts decides) and, when the query made a choice, remembered with a
 * Set-Cookie on the answer. Every page that speaks both languages answers `Vary: Cookie`, so no
 * cache between the resident and the function hands one resident's language to another.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { languageChoice, languageCookie, pageLanguageOf } from '../web/page-language.ts';
import type { PageLanguage } from '../web/page-text.ts';
import type { HttpResponse } from './responses.ts';

export interface RequestLanguage {
  lang: PageLanguage;
  /** Set-Cookie values for the answer: the choice `?lang=` made, or none. */
  cookies: string[];
}

/**
 * The request's Cookie header. Payload v2 hands cookies over as `event.cookies`, one per pair; a
 * test or an older integration may leave them in the header.
 */
export function cookieHeaderOf(event: APIGatewayProxyEventV2): string | undefined {
  if (event.cookies && event.cookies.length > 0) return event.cookies.join('; ');
  return event.headers.cookie ?? event.headers.Cookie;
}

/** Served over HTTPS (in AWS, API Gateway says so in X-Forwarded-Proto); the local runtime is not. */
const overHttps = (event: APIGatewayProxyEventV2): boolean =>
  (event.headers['x-forwarded-proto'] ?? '').split(',')[0]?.trim().toLowerCase() === 'https';

export function requestLanguage(event: APIGatewayProxyEventV2): RequestLanguage {
  const query = event.queryStringParameters;
  const lang = pageLanguageOf(query, cookieHeaderOf(event));
  const chosen = languageChoice(query?.lang);
  return {
    lang,
    cookies: chosen === undefined ? [] : [languageCookie(chosen, { secure: overHttps(event) })],
  };
}

/** The answer with the choice remembered and `Vary: Cookie` added to what it already varies by. */
export function withLanguage(response: HttpResponse, language: RequestLanguage): HttpResponse {
  const headers = response.headers ?? {};
  const vary = headers.vary === undefined ? 'Cookie' : `${String(headers.vary)}, Cookie`;
  return {
    ...response,
    headers: { ...headers, vary },
    ...(language.cookies.length > 0 ? { cookies: [...(response.cookies ?? []), ...language.cookies] } : {}),
  };
}
