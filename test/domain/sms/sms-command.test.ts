import { describe, expect, it } from 'vitest';
import { parseSmsCommand } from '../../../shared/domain/sms/sms-command.ts';

const CODE = 'K7M2QX9PA';

describe('parseSmsCommand: status', () => {
  it.each([
    '查询 K7M-2QX-9PA',
    '查询K7M2QX9PA',
    '查询：K7M-2QX-9PA',
    'CX K7M-2QX-9PA',
    'cx k7m2qx9pa',
    'CXK7M2QX9PA',
    'STATUS K7M-2QX-9PA',
    'status k7m 2qx 9pa',
    'Status: K7M-2QX-9PA',
    '  查询   K7M-2QX-9PA  ',
    '查询 K7M-2QX-9PA。',
    '查询 K7M-2QX-9PA 谢谢',
  ])('%s', (body) => {
    expect(parseSmsCommand(body)).toEqual({ kind: 'status', code: CODE });
  });

  it('reads full-width letters, digits and the ideographic space', () => {
    expect(parseSmsCommand('ＣＸ　Ｋ７Ｍ－２ＱＸ－９ＰＡ')).toEqual({ kind: 'status', code: CODE });
    expect(parseSmsCommand('查询　ｋ７ｍ２ｑｘ９ｐａ')).toEqual({ kind: 'status', code: CODE });
  });

  it('forgives O for 0 and I/L for 1, as the tracking code does', () => {
    expect(parseSmsCommand('CX K7M-2QX-9PO')).toEqual({ kind: 'status', code: 'K7M2QX9P0' });
    expect(parseSmsCommand('查询 ABC-DEF-GHI')).toEqual({ kind: 'status', code: 'ABCDEFGH1' });
  });

  it.each(['查询', 'CX', 'STATUS', '查询 K7M-2QX', 'STATUS 12345', 'CX K7M-2QX-9PAZ', '查询 我的投诉'])(
    '%s without a valid code is bad_code',
    (body) => {
      expect(parseSmsCommand(body)).toEqual({ kind: 'unclear', reason: 'bad_code' });
    },
  );
});

describe('parseSmsCommand: rate', () => {
  it.each([
    ['评价 K7M-2QX-9PA 5', 5],
    ['评价K7M2QX9PA 4', 4],
    ['RATE K7M-2QX-9PA 3', 3],
    ['rate k7m2qx9pa 1', 1],
    ['Rate K7M 2QX 9PA 2', 2],
    ['评价 K7M-2QX-9PA 5分', 5],
    ['评价 K7M-2QX-9PA 五星', 5],
    ['评价　Ｋ７Ｍ－２ＱＸ－９ＰＡ　４', 4],
    ['RATE K7M-2QX-9PA 4/5', 4],
  ])('%s', (body, score) => {
    expect(parseSmsCommand(body)).toEqual({ kind: 'rate', code: CODE, score });
  });

  it('keeps a comment after the score', () => {
    expect(parseSmsCommand('评价 K7M-2QX-9PA 5 很好')).toEqual({
      kind: 'rate',
      code: CODE,
      score: 5,
      comment: '很好',
    });
    expect(parseSmsCommand('评价K7M2QX9PA5分，处理很及时！')).toEqual({
      kind: 'rate',
      code: CODE,
      score: 5,
      comment: '处理很及时!',
    });
    expect(parseSmsCommand('RATE K7M-2QX-9PA 2, nobody came')).toEqual({
      kind: 'rate',
      code: CODE,
      score: 2,
      comment: 'nobody came',
    });
  });

  it.each([
    '评价 K7M-2QX-9PA',
    '评价 K7M-2QX-9PA 0',
    '评价 K7M-2QX-9PA 6',
    'RATE K7M-2QX-9PA 10',
    'RATE K7M-2QX-9PA 4.5',
    'RATE K7M-2QX-9PA good',
    '评价 K7M-2QX-9PA 很好',
  ])('%s has a bad or missing score', (body) => {
    expect(parseSmsCommand(body)).toEqual({ kind: 'unclear', reason: 'bad_score' });
  });

  it.each(['评价', 'RATE', '评价 5', 'RATE 12 5', '评价 很满意'])('%s without a code is bad_code', (body) => {
    expect(parseSmsCommand(body)).toEqual({ kind: 'unclear', reason: 'bad_code' });
  });
});

describe('parseSmsCommand: opt-out and help', () => {
  it.each([
    'R',
    'r',
    'T',
    't',
    'TD',
    'td',
    'Td',
    '退订',
    '0000',
    'STOP',
    'stop',
    'Stop',
    ' R ',
    'R。',
    '退订!',
    'Ｒ',
    'ＴＤ',
    '００００',
    'ＳＴＯＰ',
  ])('%s opts out', (body) => {
    expect(parseSmsCommand(body)).toEqual({ kind: 'opt_out' });
  });

  it.each(['帮助', 'HELP', 'help', 'Help', ' 帮助 ', 'ＨＥＬＰ', '帮助？'])('%s asks for help', (body) => {
    expect(parseSmsCommand(body)).toEqual({ kind: 'help' });
  });

  it('does not opt out a report that merely starts like an opt-out word', () => {
    for (const body of [
      'Road is broken',
      'R 路灯坏了',
      'TD路口红绿灯不亮',
      'T字路口没有红绿灯',
      'Stop the noise at night',
      '退订了还在发短信，请处理',
      '00001号楼漏水',
    ]) {
      expect(parseSmsCommand(body).kind).toBe('report');
    }
  });

  it('does not read words that begin like a Latin keyword as commands', () => {
    expect(parseSmsCommand('Rated restaurants overcharge tourists')).toEqual({
      kind: 'report',
      text: 'Rated restaurants overcharge tourists',
    });
    expect(parseSmsCommand('Statues in the temple are damaged').kind).toBe('report');
    expect(parseSmsCommand('Helpless old man lives alone').kind).toBe('report');
  });
});

describe('parseSmsCommand: reports and unclear messages', () => {
  it('takes free text as a report, normalised', () => {
    expect(parseSmsCommand('  南大街的路灯   坏了  ')).toEqual({ kind: 'report', text: '南大街的路灯 坏了' });
    expect(parseSmsCommand('路灯坏了，ＡＢＣ小区')).toEqual({ kind: 'report', text: '路灯坏了,ABC小区' });
    expect(parseSmsCommand('Big pothole\nnear the south gate')).toEqual({
      kind: 'report',
      text: 'Big pothole near the south gate',
    });
  });

  it.each(['', '   ', '\n\t', '　'])('%j is empty', (body) => {
    expect(parseSmsCommand(body)).toEqual({ kind: 'unclear', reason: 'empty' });
  });

  it.each(['😀', '👍👍', '🙏 🙏', '？？？', '...', '❤️', '👨‍👩‍👧'])(
    '%s is emoji or punctuation only',
    (body) => {
      expect(parseSmsCommand(body)).toEqual({ kind: 'unclear', reason: 'emoji_only' });
    },
  );

  it('refuses an over-long message, counting characters not UTF-16 units', () => {
    expect(parseSmsCommand('坑'.repeat(501))).toEqual({ kind: 'unclear', reason: 'too_long' });
    expect(parseSmsCommand('坑'.repeat(500)).kind).toBe('report');
    expect(parseSmsCommand(`${'坑'.repeat(499)}😀`).kind).toBe('report');
    expect(parseSmsCommand('路灯坏了', 3)).toEqual({ kind: 'unclear', reason: 'too_long' });
  });

  it('keeps a report with an emoji as a report', () => {
    expect(parseSmsCommand('路灯坏了😡')).toEqual({ kind: 'report', text: '路灯坏了😡' });
  });
});

describe('parseSmsCommand: codes with one character too many', () => {
  it('does not read the first nine characters of a ten-character code', () => {
    expect(parseSmsCommand('查询 K7M2QX9PA5')).toEqual({ kind: 'unclear', reason: 'bad_code' });
    expect(parseSmsCommand('评价 K7M2QX9PAZ 5')).toEqual({ kind: 'unclear', reason: 'bad_code' });
  });
});

describe('parseSmsCommand: greetings and messages too short to be a report', () => {
  it.each([
    '你好',
    '您好！',
    '在吗',
    '在吗？',
    '你好，在吗？',
    '有人吗',
    '喂',
    '谢谢',
    '好的，谢谢',
    'hello',
    'Hi',
    'hi there',
    'Hello!',
    'ＨＥＬＬＯ',
    'good morning',
    'Thank you',
    '好',
    '1',
    'a',
  ])('%s asks for help, not a report', (body) => {
    expect(parseSmsCommand(body)).toEqual({ kind: 'help' });
  });

  it('keeps a greeting followed by a problem as a report', () => {
    expect(parseSmsCommand('你好，我家门口的路灯坏了')).toEqual({
      kind: 'report',
      text: '你好,我家门口的路灯坏了',
    });
    expect(parseSmsCommand('Hi, the street light is broken').kind).toBe('report');
    expect(parseSmsCommand('在吗 有人在小区里赌博').kind).toBe('report');
  });

  it('still reads lone opt-out letters as opt-outs, not as too short', () => {
    expect(parseSmsCommand('R')).toEqual({ kind: 'opt_out' });
    expect(parseSmsCommand('Ｔ')).toEqual({ kind: 'opt_out' });
  });

  it.each(['?', '？', '。', '!', '😀', '👍'])(
    '%s (a lone punctuation mark or emoji) is unclear, answered with help',
    (body) => {
      expect(parseSmsCommand(body)).toEqual({ kind: 'unclear', reason: 'emoji_only' });
    },
  );

  it('reads lower-case and full-width CX as a status query', () => {
    expect(parseSmsCommand('cx k7m-2qx-9pa')).toEqual({ kind: 'status', code: CODE });
    expect(parseSmsCommand('ＣＸ Ｋ７Ｍ２ＱＸ９ＰＡ')).toEqual({ kind: 'status', code: CODE });
    expect(parseSmsCommand('ｃｘ　ｋ７ｍ－２ｑｘ－９ｐａ')).toEqual({ kind: 'status', code: CODE });
  });
});
