import { describe, expect, it } from 'vitest';
import { Stage } from '../../../shared/domain/case.ts';
import { smsParts } from '../../../shared/domain/sms/sms-parts.ts';
import { renderSmsReply, replyLanguageFor, type SmsReply } from '../../../shared/domain/sms/sms-replies.ts';
import { units } from '../../../shared/reference/county-structure.ts';

const code = 'K7M2QX9PA';
const replies: SmsReply[] = [
  { kind: 'report_received', code },
  ...Stage.options.map(
    (stage): SmsReply => ({
      kind: 'status',
      code,
      stage,
      unitZh: '县市场监督管理局',
      unitEn: 'County Market Regulation Bureau',
    }),
  ),
  { kind: 'not_found' },
  { kind: 'rated', score: 5 },
  { kind: 'rate_refused' },
  { kind: 'opted_out' },
  { kind: 'help' },
  { kind: 'ask_place' },
  { kind: 'too_long', max: 500 },
  { kind: 'bad_code' },
  { kind: 'bad_score' },
  { kind: 'rate_limited' },
  { kind: 'case_update', code, stage: 'dispatched', unitZh: '县市场监督管理局' },
  { kind: 'case_update', code, stage: 'resolved' },
  { kind: 'case_update', code, stage: 'closed' },
  { kind: 'case_update', code, stage: 'dispatched', unitZh: '县市场监督管理局', stopHint: true },
  { kind: 'case_update', code, stage: 'resolved', stopHint: true },
  { kind: 'case_update', code, stage: 'closed', stopHint: true },
];

describe('SMS replies', () => {
  it.each(replies.map((r) => [r.kind, r] as const))(
    '%s fits one SMS part in Chinese, signature included',
    (_kind, reply) => {
      const body = renderSmsReply(reply, 'zh');
      expect(body.startsWith('【平遥综治】')).toBe(true);
      expect(smsParts(body).parts).toBe(1);
    },
  );

  it('ends a case update with how to stop them when asked to, and only then', () => {
    const update = { kind: 'case_update', code, stage: 'dispatched', unitZh: '县公安局反诈中心' } as const;
    expect(renderSmsReply({ ...update, stopHint: true }, 'zh')).toBe(
      '【平遥综治】您的反映K7M-2QX-9PA已交县公安局反诈中心办理。回复TD退订',
    );
    expect(renderSmsReply(update, 'zh')).not.toContain('退订');
    expect(renderSmsReply({ ...update, stopHint: true }, 'en')).toMatch(/Reply STOP to stop\.$/);
  });

  it('confirms an opt-out as covering case updates too', () => {
    expect(renderSmsReply({ kind: 'opted_out' }, 'zh')).toContain('不再给您发宣传短信和案件办理通知');
    expect(renderSmsReply({ kind: 'opted_out' }, 'en')).toContain('no more campaign texts or case updates');
  });

  it('answers English in English and everything else in Chinese', () => {
    expect(replyLanguageFor('status K7M2QX9PA')).toBe('en');
    expect(replyLanguageFor('查询 K7M2QX9PA')).toBe('zh');
    expect(replyLanguageFor('😀')).toBe('zh');
    expect(replyLanguageFor('')).toBe('zh');
  });

  it.each([
    ['cx K7M2QX9PA', 'zh'],
    ['CX K7M-2QX-9PA', 'zh'],
    ['ＣＸ　Ｋ７Ｍ－２ＱＸ－９ＰＡ', 'zh'],
    ['CXK7M2QX9PA', 'zh'],
    ['cx k7m 2qx 9pa', 'zh'],
    ['CX', 'zh'],
    ['评价 K7M2QX9PA 5', 'zh'],
    ['R', 'zh'],
    ['TD', 'zh'],
    ['0000', 'zh'],
    ['?', 'zh'],
    ['你好', 'zh'],
    ['路灯坏了 near 康宁', 'zh'],
    ['cx K7M2QX9PA please', 'en'],
    ['评价 K7M2QX9PA 5 very quick, thank you', 'en'],
    ['STATUS K7M2QX9PA', 'en'],
    ['RATE K7M2QX9PA 5', 'en'],
    ['STOP', 'en'],
    ['hello', 'en'],
    ['The street light outside my house is broken', 'en'],
    ['Street light broken in 康宁社区', 'en'],
  ])('answers %s in %s', (body, lang) => {
    expect(replyLanguageFor(body)).toBe(lang);
  });

  it.each(replies.map((r) => [r.kind, r] as const))(
    '%s fits one SMS part in English too (the signature makes it UCS-2)',
    (_kind, reply) => {
      const body = renderSmsReply(reply, 'en');
      expect(smsParts(body)).toMatchObject({ encoding: 'UCS-2', parts: 1 });
    },
  );

  it('answers a status in one part for every unit and stage, naming the unit when it fits', () => {
    for (const unit of units) {
      for (const stage of Stage.options) {
        const reply: SmsReply = { kind: 'status', code, stage, unitZh: unit.zh, unitEn: unit.en };
        expect(smsParts(renderSmsReply(reply, 'zh')).parts, `${unit.id} ${stage} zh`).toBe(1);
        expect(smsParts(renderSmsReply(reply, 'en')).parts, `${unit.id} ${stage} en`).toBe(1);
      }
    }
    expect(
      renderSmsReply({ kind: 'status', code, stage: 'dispatched', unitZh: '县公安局反诈中心' }, 'zh'),
    ).toBe('【平遥综治】K7M-2QX-9PA：已交办，县公安局反诈中心办理。');
    // Too long with the unit's English name: the stage alone, in one part.
    expect(
      renderSmsReply(
        { kind: 'status', code, stage: 'resolved', unitEn: 'County Market Regulation Bureau' },
        'en',
      ),
    ).toBe('【平遥综治】K7M-2QX-9PA: resolved, being checked.');
  });

  it('asks where the resident lives in the words of the issue', () => {
    expect(renderSmsReply({ kind: 'ask_place' }, 'zh')).toContain('请回复您所在的社区或村');
    expect(renderSmsReply({ kind: 'ask_place' }, 'en')).toMatch(/community or village/);
  });
});
