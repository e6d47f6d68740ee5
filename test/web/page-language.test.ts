/**
 * The page language: a `?lang=` choice, else the `lang` cookie, else Chinese; the cookie read from
 * whatever a client sends without ever throwing, and written for the whole site for a year.
 */
import { describe, expect, it } from 'vitest';
import {
  cookieValue,
  languageChoice,
  languageCookie,
  pageLanguageOf,
} from '../../shared/web/page-language.ts';

describe('pageLanguageOf', () => {
  it('takes the query’s choice over the cookie, the cookie over the default', () => {
    expect(pageLanguageOf({ lang: 'en' }, 'lang=zh')).toBe('en');
    expect(pageLanguageOf({ lang: 'zh' }, 'lang=en')).toBe('zh');
    expect(pageLanguageOf({}, 'lang=en')).toBe('en');
    expect(pageLanguageOf(undefined, 'theme=dark; lang=en')).toBe('en');
    expect(pageLanguageOf(undefined, undefined)).toBe('zh');
  });

  it('reads a query value that is no language as no choice, so the cookie still decides', () => {
    expect(pageLanguageOf({ lang: 'fr' }, 'lang=en')).toBe('en');
    expect(pageLanguageOf({ lang: '' }, 'lang=en')).toBe('en');
    expect(pageLanguageOf({ lang: 'EN-us' }, undefined)).toBe('en');
  });

  it('falls back to Chinese for malformed cookies instead of failing', () => {
    for (const header of [
      '',
      ';;;',
      '=en',
      'lang',
      'lang=',
      'lang=%E0%A4%A',
      'lang=fr',
      'xlang=en',
      'lan g=en',
      `lang=${'e'.repeat(10_000)}`,
      `${'a=b; '.repeat(2000)}lang=en`,
    ]) {
      expect(pageLanguageOf(undefined, header), JSON.stringify(header.slice(0, 40))).toBe('zh');
    }
  });
});

describe('cookieValue', () => {
  it('finds the named cookie among others, trimmed, quoted or %-encoded', () => {
    expect(cookieValue('a=1; lang=en; b=2', 'lang')).toBe('en');
    expect(cookieValue('lang="en"', 'lang')).toBe('en');
    expect(cookieValue('lang=%65n', 'lang')).toBe('en');
    expect(cookieValue(' lang = en ', 'lang')).toBe('en');
  });

  it('takes the first of two, as browsers send the most specific first, skipping one that does not decode', () => {
    expect(cookieValue('lang=en; lang=zh', 'lang')).toBe('en');
    expect(cookieValue('lang=%E0%A4%A; lang=en', 'lang')).toBe('en');
  });

  it('answers nothing for a missing header, a missing cookie or an empty name', () => {
    expect(cookieValue(undefined, 'lang')).toBeUndefined();
    expect(cookieValue('theme=dark', 'lang')).toBeUndefined();
    expect(cookieValue('=en', 'lang')).toBeUndefined();
  });
});

describe('languageChoice', () => {
  it('knows English and Chinese in their common spellings, nothing else', () => {
    expect(languageChoice('en-GB')).toBe('en');
    expect(languageChoice('zh-CN')).toBe('zh');
    expect(languageChoice(' ZH ')).toBe('zh');
    expect(languageChoice('de')).toBeUndefined();
    expect(languageChoice(undefined)).toBeUndefined();
  });
});

describe('languageCookie', () => {
  it('remembers the choice site-wide for a year, Lax, and Secure only over HTTPS', () => {
    expect(languageCookie('en', { secure: true })).toBe(
      'lang=en; Path=/; Max-Age=31536000; SameSite=Lax; Secure',
    );
    expect(languageCookie('zh', { secure: false })).toBe('lang=zh; Path=/; Max-Age=31536000; SameSite=Lax');
  });
});
