/**
 * How staff queries are read and descriptions cut into terms: codes typed any way (case, width,
 * separators, O/0 and I/L/1 mix-ups), phone endings, Chinese as character bigrams and Latin or
 * digits as lower-cased words; and which postings a case has, before and after it moves.
 */
import { describe, expect, it } from 'vitest';
import type { CaseReport, CaseState } from '../../shared/domain/case.ts';
import {
  codeInQuery,
  everyPostingOf,
  MAX_TERMS_PER_CASE,
  parseSearchQuery,
  phoneDigitsInQuery,
  postingsOf,
  previousMonth,
  scopesOfStaff,
  searchTerms,
} from '../../shared/domain/case-search.ts';

describe('tracking codes in a query', () => {
  it.each([
    ['K7M-2QX-9PA'],
    ['k7m2qx9pa'],
    ['k7m 2qx 9pa'],
    ['K7M–2QX—9PA'],
    ['ｋ７ｍ－２ｑｘ－９ｐａ'],
    ['Ｋ７Ｍ　２ＱＸ　９ＰＡ'],
    [' k7m.2qx.9pa '],
  ])('reads %j as K7M2QX9PA', (typed) => {
    expect(codeInQuery(typed)).toBe('K7M2QX9PA');
  });

  it('forgives O for 0 and I or L for 1, as residents read codes out', () => {
    expect(codeInQuery('1O0-ILA-BCD')).toBe('100-11A-BCD'.replace(/-/g, ''));
  });

  it('refuses what cannot be a code: too short, too long, a U', () => {
    expect(codeInQuery('K7M-2QX-9P')).toBeUndefined();
    expect(codeInQuery('K7M-2QX-9PAA')).toBeUndefined();
    expect(codeInQuery('K7M-2QX-9PU')).toBeUndefined();
  });
});

describe('phone endings in a query', () => {
  it.each([
    ['5678', '5678'],
    ['１３８ １２３４ ５６７８', '13812345678'],
    ['+86 138-1234-5678', '8613812345678'],
    ['(0354) 5678', '03545678'],
  ])('reads %j as the digits %s', (typed, digits) => {
    expect(phoneDigitsInQuery(typed)).toBe(digits);
  });

  it('needs 4 to 15 digits and nothing but digits', () => {
    expect(phoneDigitsInQuery('567')).toBeUndefined();
    expect(phoneDigitsInQuery('1234567890123456')).toBeUndefined();
    expect(phoneDigitsInQuery('5678号')).toBeUndefined();
  });
});

describe('reading a query', () => {
  it('takes digits only as a phone ending, a code as a code (words as a fallback), anything else as words', () => {
    expect(parseSearchQuery('5678')).toEqual({ kind: 'phone', digits: '5678' });
    expect(parseSearchQuery('k7m-2qx-9pa')).toMatchObject({ kind: 'code', code: 'K7M2QX9PA' });
    expect(parseSearchQuery('路灯不亮')).toEqual({ kind: 'text', terms: ['路灯', '灯不', '不亮'] });
  });

  it('searches the words when asked to, even for digits', () => {
    expect(parseSearchQuery('2026', 'text')).toEqual({ kind: 'text', terms: ['2026'] });
  });

  it('names what is wrong when the query cannot be what was asked for', () => {
    expect(parseSearchQuery('hello', 'code')).toMatchObject({ kind: 'invalid' });
    expect(parseSearchQuery('abc', 'phone')).toMatchObject({ kind: 'invalid' });
    expect(parseSearchQuery('!!! —— ？', 'auto')).toMatchObject({ kind: 'invalid' });
  });
});

describe('terms of a text', () => {
  it('cuts Chinese into overlapping character pairs', () => {
    expect(searchTerms('路灯坏了')).toEqual(['路灯', '灯坏', '坏了']);
  });

  it('keeps a Chinese character that stands alone, and lower-cases Latin words', () => {
    expect(searchTerms('灯 Broken LAMP')).toEqual(['灯', 'broken', 'lamp']);
  });

  it('splits mixed Chinese and English where the script changes', () => {
    expect(searchTerms('小区WiFi密码被骗了50元')).toEqual([
      '小区',
      'wifi',
      '密码',
      '码被',
      '被骗',
      '骗了',
      '50',
      '元',
    ]);
  });

  it('reads full-width letters and digits as their ASCII selves', () => {
    expect(searchTerms('ＡＢＣ １２３')).toEqual(['abc', '123']);
  });

  it('drops punctuation and one-letter words, and repeats nothing', () => {
    expect(searchTerms('a，路灯！路灯？ a b')).toEqual(['路灯']);
  });

  it('bounds the terms of a long description', () => {
    const long = Array.from({ length: 2000 }, (_, i) => String.fromCodePoint(0x4e00 + i)).join('');
    expect(searchTerms(long)).toHaveLength(MAX_TERMS_PER_CASE);
  });

  it('finds the query terms among the terms of the description they came from', () => {
    const description = '东门外的路灯已经坏了三天，晚上很黑';
    const indexed = new Set(searchTerms(description));
    for (const term of searchTerms('路灯坏了')) expect(indexed.has(term), term).toBe(term !== '灯坏');
  });
});

const state = (over: Partial<CaseState> = {}): CaseState => ({
  trackingCode: 'K7M2QX9PA',
  submissionId: '4b0a2c8e-2f7e-4b8f-9d7e-0d5c1f2a3b4c',
  stage: 'dispatched',
  version: 2,
  category: 'road',
  communityId: 'chengdong-kangning',
  townshipId: 'chengdong',
  unitId: 'transport',
  routing: { kind: 'rule' },
  channel: 'web',
  submittedAt: '2026-11-03T08:00:00.000Z',
  updatedAt: '2026-11-03T08:00:01.000Z',
  timeline: [{ stage: 'dispatched', at: '2026-11-03T08:00:01.000Z', by: 'system', unitId: 'transport' }],
  ...over,
});
const report: CaseReport = {
  trackingCode: 'K7M2QX9PA',
  submissionId: '4b0a2c8e-2f7e-4b8f-9d7e-0d5c1f2a3b4c',
  description: '路灯坏了',
  contactPhone: '+8613812345678',
};

describe('postings of a case', () => {
  it('puts each term under the unit, township, community and county of its month, and the phone under its last four digits', () => {
    const p = postingsOf(state(), report);
    expect(p.sortKey).toBe('2026-11-03T08:00:00.000Z#K7M2QX9PA');
    expect(p.keys).toContain('W#U:transport#2026-11#路灯');
    expect(p.keys).toContain('W#T:chengdong#2026-11#灯坏');
    expect(p.keys).toContain('W#C:chengdong-kangning#2026-11#坏了');
    expect(p.keys).toContain('W#K#2026-11#路灯');
    expect(p.keys).toHaveLength(3 * 4 + 1);
    expect(p.keys.filter((k) => k.startsWith('P#'))).toEqual(['P#5678']);
    expect(p.keys.join(' ')).not.toContain('1381234');
    expect(p.stale).toEqual([]);
  });

  it('after a move, puts them under the new unit and names those under the old one as stale', () => {
    const moved = state({
      unitId: 'urban-management',
      timeline: [
        ...state().timeline,
        { stage: 'dispatched', at: '2026-11-04T08:00:00.000Z', by: 'u', unitId: 'urban-management' },
      ],
    });
    const p = postingsOf(moved, report);
    expect(p.keys).toContain('W#U:urban-management#2026-11#路灯');
    expect(p.keys).not.toContain('W#U:transport#2026-11#路灯');
    expect(p.stale).toEqual([
      'W#U:transport#2026-11#路灯',
      'W#U:transport#2026-11#灯坏',
      'W#U:transport#2026-11#坏了',
    ]);
  });

  it('has none once the report is anonymised, and anonymising removes every one it could have had', () => {
    expect(postingsOf(state(), { ...report, anonymisedAt: '2027-12-01T00:00:00.000Z' }).keys).toEqual([]);
    const all = everyPostingOf(state({ unitId: 'urban-management', timeline: state().timeline }), report);
    expect(all).toContain('W#U:transport#2026-11#路灯');
    expect(all).toContain('W#U:urban-management#2026-11#路灯');
    expect(all).toContain('P#5678');
  });
});

describe('where staff search', () => {
  it('is the lanes their lists read', () => {
    expect(scopesOfStaff({ role: 'unit_handler', userId: 'u', name: 'n', unitId: 'transport' })).toEqual([
      'U:transport',
    ]);
    expect(
      scopesOfStaff({
        role: 'centre_dispatcher',
        userId: 'u',
        name: 'n',
        unitId: 'centre-chengdong',
        townshipId: 'chengdong',
      }),
    ).toEqual(['U:centre-chengdong', 'T:chengdong']);
    expect(
      scopesOfStaff({ role: 'grid_worker', userId: 'u', name: 'n', communityId: 'chengdong-kangning' }),
    ).toEqual(['C:chengdong-kangning']);
    expect(scopesOfStaff({ role: 'county_supervisor', userId: 'u', name: 'n' })).toEqual(['K']);
  });

  it('walks months back across a year', () => {
    expect(previousMonth('2026-01')).toBe('2025-12');
    expect(previousMonth('2026-11')).toBe('2026-10');
  });
});
