/**
 * A moment as the county reads it: Beijing time, in the page's language. One function for the
 * server-rendered status page and the report page's script, so both show a time alike. Plain
 * data in, text out: the browser bundle imports it too.
 */
import type { PageLanguage } from '../page-text.ts';

export function localTime(at: string, lang: PageLanguage): string {
  const date = new Date(at);
  if (Number.isNaN(date.getTime())) return at;
  try {
    return date.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB', {
      timeZone: 'Asia/Shanghai',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
    });
  } catch {
    // An old browser without time zone data: the ISO time is still a time.
    return at;
  }
}
