import { describe, expect, it } from 'vitest';
import { Stage } from '../../../shared/domain/case.ts';
import { smsParts } from '../../../shared/domain/sms/sms-parts.ts';
import { renderSmsReply, replyLanguageFor, type SmsReply } from '../../../shared/domain/sms/sms-replies.ts';

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
  { kind: 'empty' },
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

  it('keeps the English help and report receipt to one part too', () => {
    for (const reply of [{ kind: 'help' }, { kind: 'report_received', code }] as const) {
      expect(smsParts(renderSmsReply(reply, 'en')).parts).toBe(1);
    }
  });
});
