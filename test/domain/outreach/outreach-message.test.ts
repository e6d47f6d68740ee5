/**
 * Outreach SMS text as a specification: what staff may write as signature and body (each refusal
 * names its reason), the message residents receive, and how many billable parts it takes.
 */
import { describe, expect, it } from 'vitest';
import {
  composeOutreachSms,
  NATIONAL_ANTI_FRAUD_NUMBERS,
  OPT_OUT_LINE,
  OutreachBody,
  outreachSmsPreview,
  SenderSignature,
} from '../../../shared/domain/outreach/outreach-message.ts';

const SIGNATURE = '县反诈中心';

/** The messages of every issue a value raises, or [] when it is accepted. */
const problems = (schema: typeof SenderSignature | typeof OutreachBody, value: string): string[] =>
  schema.safeParse(value).error?.issues.map((issue) => issue.message) ?? [];

describe('constants', () => {
  it('uses the current opt-out convention and the national centre’s two numbers', () => {
    expect(OPT_OUT_LINE).toBe('拒收请回复R');
    expect(NATIONAL_ANTI_FRAUD_NUMBERS).toEqual(['12381', '96110']);
  });
});

describe('SenderSignature', () => {
  it('accepts 2 to 12 characters and trims the edges', () => {
    expect(SenderSignature.parse('  县反诈中心 ')).toBe('县反诈中心');
    expect(problems(SenderSignature, '公安')).toEqual([]);
    expect(problems(SenderSignature, '县公安局反诈骗中心宣传科室')).toHaveLength(1);
    expect(problems(SenderSignature, '县公安局反诈骗中心宣传科')).toEqual([]);
  });

  it('names the length when too short or too long', () => {
    expect(problems(SenderSignature, '县')).toEqual(['the signature must be 2–12 characters; it has 1']);
    expect(problems(SenderSignature, '   ')).toEqual(['the signature must be 2–12 characters; it has 0']);
    expect(problems(SenderSignature, '县'.repeat(13))).toEqual([
      'the signature must be 2–12 characters; it has 13',
    ]);
  });

  it('counts characters, not UTF-16 units, so an emoji is one', () => {
    expect(problems(SenderSignature, '🛡'.repeat(12))).toEqual([]);
    expect(problems(SenderSignature, '🛡'.repeat(13))).toEqual([
      'the signature must be 2–12 characters; it has 13',
    ]);
  });

  it('refuses 【】, which are added for the sender', () => {
    expect(problems(SenderSignature, '【县反诈中心】')).toEqual([
      'write the signature without 【】; they are added for you',
    ]);
    expect(problems(SenderSignature, '县反诈】中心')).toHaveLength(1);
  });

  it('refuses the national anti-fraud centre’s numbers, in any width', () => {
    for (const signature of ['反诈12381', '96110中心', '反诈９６１１０']) {
      expect(problems(SenderSignature, signature)).toEqual([
        expect.stringMatching(/must not contain 12381 or 96110.*national anti-fraud centre/),
      ]);
    }
  });
});

describe('OutreachBody', () => {
  it('accepts ordinary anti-fraud copy and trims it', () => {
    expect(OutreachBody.parse('  陌生来电称“安全账户”的都是诈骗，请勿转账。 ')).toBe(
      '陌生来电称“安全账户”的都是诈骗，请勿转账。',
    );
    expect(problems(OutreachBody, '遇到可疑情况请拨打110报警。')).toEqual([]);
    expect(problems(OutreachBody, '本月已拦截12380元诈骗资金。')).toEqual([]);
  });

  it('refuses an empty text and one over 300 characters, saying which', () => {
    expect(problems(OutreachBody, '  ')).toEqual(['the message text is empty']);
    expect(problems(OutreachBody, '诈'.repeat(300))).toEqual([]);
    expect(problems(OutreachBody, '诈'.repeat(301))).toEqual([
      'the message text can have at most 300 characters; it has 301',
    ]);
  });

  it('refuses 【】 because the signature is added for you', () => {
    expect(problems(OutreachBody, '【县公安局】提醒您谨防诈骗。')).toEqual([
      'the signature is added for you; remove 【】 from the text',
    ]);
  });

  it.each([
    ['plainly', '如遇诈骗请拨打96110。'],
    ['the other number', '请下载12381预警短信。'],
    ['with spaces', '请拨打 9 6 1 1 0。'],
    ['with hyphens', '请拨打961-10。'],
    ['in full-width digits', '请拨打９６１１０。'],
    ['in full-width digits with a full-width hyphen', '请拨打９６－１１０。'],
    ['with an ideographic space', '请拨打12\u3000381。'],
  ])('refuses the national anti-fraud centre’s numbers written %s', (_how, body) => {
    expect(problems(OutreachBody, body)).toEqual([
      'the text must not contain 12381 or 96110: county messages must not look like they come from the national anti-fraud centre (12381, 96110)',
    ]);
  });

  it.each([
    'http://fanzha.example.cn',
    'https://fanzha.example.cn/a',
    'www.example.cn',
    'WWW.EXAMPLE.CN',
    'ｗｗｗ．example．cn',
  ])('refuses a link (%s)', (link) => {
    expect(problems(OutreachBody, `详情见${link}`)).toEqual([
      'anti-fraud messages must not ask residents to open links',
    ]);
  });

  it('refuses the opt-out line, which is added at the end, however it is spaced', () => {
    const expected = ['the opt-out line 拒收请回复R is added at the end for you; remove it from the text'];
    expect(problems(OutreachBody, '谨防诈骗。拒收请回复R')).toEqual(expected);
    expect(problems(OutreachBody, '谨防诈骗。拒收 请回复 r')).toEqual(expected);
  });

  it('names every problem at once', () => {
    expect(problems(OutreachBody, '【县】请拨打96110或访问www.example.cn拒收请回复R')).toHaveLength(4);
  });
});

describe('composeOutreachSms', () => {
  it('puts the signature in 【】 first and the opt-out line last', () => {
    expect(composeOutreachSms(SIGNATURE, '谨防冒充客服退款诈骗。')).toBe(
      '【县反诈中心】谨防冒充客服退款诈骗。拒收请回复R',
    );
  });

  it('ends an unfinished sentence with 。 before the opt-out line', () => {
    expect(composeOutreachSms(SIGNATURE, '谨防冒充客服退款诈骗')).toBe(
      '【县反诈中心】谨防冒充客服退款诈骗。拒收请回复R',
    );
  });

  it.each(['！', '？', '.', '!', '?'])('keeps a body ending in %s as it is', (mark) => {
    expect(composeOutreachSms(SIGNATURE, `谨防诈骗${mark}`)).toBe(`【县反诈中心】谨防诈骗${mark}拒收请回复R`);
  });

  it('trims both parts and adds no stray 。 to an empty body', () => {
    expect(composeOutreachSms(' 县反诈中心 ', '  谨防诈骗 ')).toBe('【县反诈中心】谨防诈骗。拒收请回复R');
    expect(composeOutreachSms(SIGNATURE, '')).toBe('【县反诈中心】拒收请回复R');
  });
});

describe('outreachSmsPreview', () => {
  // 【县反诈中心】 is 7 characters and 拒收请回复R is 6, so 57 are left for the body in one part.
  it('fits a message of exactly 70 characters, signature and opt-out line included, in one part', () => {
    const preview = outreachSmsPreview(SIGNATURE, `${'防'.repeat(56)}。`, 1000);
    expect(preview).toEqual({
      text: `【县反诈中心】${'防'.repeat(56)}。拒收请回复R`,
      characters: 70,
      encoding: 'UCS-2',
      parts: 1,
      estimatedMessages: 1000,
      estimatedParts: 1000,
    });
  });

  it('splits a message of 71 characters into two parts and doubles the billable parts', () => {
    const preview = outreachSmsPreview(SIGNATURE, `${'防'.repeat(57)}。`, 1000);
    expect(preview).toMatchObject({
      characters: 71,
      encoding: 'UCS-2',
      parts: 2,
      estimatedMessages: 1000,
      estimatedParts: 2000,
    });
  });

  it('counts the 。 it adds', () => {
    expect(outreachSmsPreview(SIGNATURE, '防'.repeat(56), 1)).toMatchObject({ characters: 70, parts: 1 });
    expect(outreachSmsPreview(SIGNATURE, '防'.repeat(57), 1)).toMatchObject({ characters: 71, parts: 2 });
  });

  it('estimates nothing for no households and refuses a negative or fractional count', () => {
    expect(outreachSmsPreview(SIGNATURE, '谨防诈骗。', 0)).toMatchObject({
      estimatedMessages: 0,
      estimatedParts: 0,
    });
    expect(() => outreachSmsPreview(SIGNATURE, '谨防诈骗。', -1)).toThrow(RangeError);
    expect(() => outreachSmsPreview(SIGNATURE, '谨防诈骗。', 2.5)).toThrow(RangeError);
  });
});
