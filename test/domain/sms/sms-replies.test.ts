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
