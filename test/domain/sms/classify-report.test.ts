import { describe, expect, it } from 'vitest';
import { demoOrganisation } from '../../../infra/demo/demo-organisation.ts';
import { categoryCodes } from '../../../shared/domain/categories.ts';
import { evaluateClassifier } from '../../../shared/domain/sms/classifier-quality.ts';
import {
  classifyReport,
  findCommunityInText,
  KeywordTable,
} from '../../../shared/domain/sms/classify-report.ts';
import { defaultKeywordTable } from '../../../shared/reference/report-keywords.ts';
import { labelledReports } from './labelled-reports.ts';

describe('the labelled set', () => {
  it('is big enough and covers every category', () => {
    const chinese = labelledReports.filter((r) => /\p{Script=Han}/u.test(r.text));
    expect(chinese.length).toBeGreaterThanOrEqual(80);
    expect(labelledReports.length - chinese.length).toBeGreaterThanOrEqual(15);
    for (const code of categoryCodes) expect(labelledReports.some((r) => r.expected === code)).toBe(true);
  });

  it('is classified with precision ≥ 0.9 and coverage ≥ 0.6 by the default table', () => {
    const quality = evaluateClassifier(labelledReports, defaultKeywordTable);
    expect(quality.mistakes).toEqual([]);
    expect(quality.precision).toBeGreaterThanOrEqual(0.9);
    expect(quality.coverage).toBeGreaterThanOrEqual(0.6);
  });

  it('sends none of the labelled `other` reports to a department', () => {
    const quality = evaluateClassifier(labelledReports, defaultKeywordTable);
    expect(quality.confusion.other).toEqual({
      other: labelledReports.filter((r) => r.expected === 'other').length,
    });
  });
});

describe('defaultKeywordTable', () => {
  it('is a valid KeywordTable with an entry for every category', () => {
    expect(KeywordTable.safeParse(defaultKeywordTable).success).toBe(true);
    expect(KeywordTable.safeParse({ fraud: { zh: ['诈骗'], en: [] } }).success).toBe(false);
  });
});

describe('classifyReport', () => {
  it('names the category with its score and the keywords that counted', () => {
    const result = classifyReport('有人冒充公安让我转到安全账户', defaultKeywordTable);
    expect(result).toMatchObject({ category: 'fraud', confident: true });
    expect(result.matched).toEqual(expect.arrayContaining(['安全账户', '冒充']));
  });

  it('counts a long keyword once, not again as the shorter ones inside it', () => {
    const table = { ...emptyTable(), fraud: { zh: ['安全账户'], en: [] }, market: { zh: ['账户'], en: [] } };
    const result = classifyReport('转到安全账户', table);
    expect(result.scores).toEqual({ fraud: 2 });
    expect(result.matched).toEqual(['安全账户']);
  });

  it('weighs longer keywords more, and one character alone is not enough', () => {
    expect(classifyReport('路上有个坑', defaultKeywordTable)).toMatchObject({
      category: 'other',
      confident: false,
    });
    expect(classifyReport('路上有个大坑', defaultKeywordTable)).toMatchObject({
      category: 'road',
      confident: true,
    });
  });

  it('leaves a report that mixes two categories to triage', () => {
    const result = classifyReport('学校门口的小卖部卖过期零食', defaultKeywordTable);
    expect(result.category).toBe('other');
    expect(result.confident).toBe(false);
    expect(result.scores.education).toBeGreaterThan(0);
    expect(result.scores.market).toBeGreaterThan(0);
  });

  it('names a category that is clearly ahead of a runner-up', () => {
    // fraud: 冒充, 客服, 退款, 验证码 against market: 商家
    expect(classifyReport('冒充商家客服说要退款，让我报验证码', defaultKeywordTable).category).toBe('fraud');
  });

  it('answers other, not confident, when nothing matches', () => {
    expect(classifyReport('你好', defaultKeywordTable)).toEqual({
      category: 'other',
      confident: false,
      scores: {},
      matched: [],
      hits: [],
    });
  });

  it('reads full-width and upper-case text', () => {
    expect(classifyReport('下载ＡＰＰ以后被骗', defaultKeywordTable).category).toBe('fraud');
    expect(classifyReport('BIG POTHOLE ON THE ROAD', defaultKeywordTable).category).toBe('road');
  });

  it('matches English keywords as whole words, with inflections', () => {
    const table = { ...emptyTable(), public_safety: { zh: [], en: ['rob'] } };
    expect(classifyReport('they robbed the shop', table).scores).toEqual({});
    expect(classifyReport('a robust fence', table).scores).toEqual({});
    expect(classifyReport('two men rob tourists', table).category).toBe('public_safety');
    expect(classifyReport('Potholes everywhere', defaultKeywordTable).category).toBe('road');
  });

  it('ignores names it is told to, so a village called 朱坑 is not a pothole', () => {
    const table = { ...emptyTable(), road: { zh: ['坑'], en: [] } };
    expect(classifyReport('朱坑村村口有坑', table, { minScore: 0.5 }).category).toBe('road');
    expect(classifyReport('朱坑村停水了', table, { minScore: 0.5 }).category).toBe('road');
    expect(classifyReport('朱坑村停水了', table, { minScore: 0.5, ignore: ['朱坑村'] }).category).toBe(
      'other',
    );
  });

  it('lets the thresholds be tuned', () => {
    const text = '邻居家老是家暴'; // public_safety 家暴 1, dispute 邻居 1
    expect(classifyReport(text, defaultKeywordTable).category).toBe('other');
    expect(classifyReport(text, defaultKeywordTable, { minLead: 1 }).confident).toBe(true);
  });

  it('takes edits to the table without being rebuilt', () => {
    const table = { ...emptyTable(), road: { zh: ['停水'], en: [] } };
    expect(classifyReport('小区停水了', table).category).toBe('road');
  });
});

describe('findCommunityInText', () => {
  const communities = demoOrganisation.communities;
  const idOf = (zh: string): string | undefined => communities.find((c) => c.zh === zh)?.id;

  it('finds a community by its full name', () => {
    expect(findCommunityInText('康宁社区3号楼飞线充电', communities)).toBe(idOf('康宁社区'));
    expect(findCommunityInText('东泉镇魏家庄村的路坏了', communities)).toBe(idOf('魏家庄村'));
  });

  it('finds it without the 村/社区 suffix when two characters or more remain', () => {
    expect(findCommunityInText('魏家庄口的桥断了', communities)).toBe(idOf('魏家庄村'));
    expect(findCommunityInText('南大街有人打架', communities)).toBe(idOf('南大街社区'));
    expect(findCommunityInText('孟山那边垃圾没人收', communities)).toBe(idOf('孟山村'));
  });

  it('prefers the longest match', () => {
    // 东泉 (东泉社区 without its suffix) is shorter than 魏家庄村.
    expect(findCommunityInText('东泉魏家庄村', communities)).toBe(idOf('魏家庄村'));
    // 东达蒲村 contains no other name, but 东达蒲 must not lose to a shorter stem elsewhere.
    expect(findCommunityInText('东达蒲村南头', communities)).toBe(idOf('东达蒲村'));
  });

  it('gives undefined when two communities match equally well', () => {
    expect(findCommunityInText('康宁社区和顺城社区的居民吵架', communities)).toBeUndefined();
  });

  it('gives undefined when nothing matches', () => {
    expect(findCommunityInText('路灯坏了', communities)).toBeUndefined();
    expect(findCommunityInText('', communities)).toBeUndefined();
  });

  it('does not strip a one-character stem', () => {
    const c = [{ id: 'x', zh: '东村', en: 'Dong Village' }];
    expect(findCommunityInText('东边的路坏了', c)).toBeUndefined();
    expect(findCommunityInText('东村的路坏了', c)).toBe('x');
  });

  it('reads 村东头 as the east end of a village, not 东头村', () => {
    expect(findCommunityInText('村东头的路灯坏了', communities)).toBeUndefined();
    expect(findCommunityInText('东头的路灯坏了', communities)).toBe(idOf('东头村'));
  });

  it('reads full-width text', () => {
    const c = [{ id: 'abc', zh: 'ＡＢＣ社区', en: 'ABC Community' }];
    expect(findCommunityInText('abc社区', c)).toBe('abc');
  });
});

function emptyTable(): KeywordTable {
  const table: Partial<KeywordTable> = {};
  for (const code of categoryCodes) table[code] = { zh: [], en: [] };
  return KeywordTable.parse(table);
}
