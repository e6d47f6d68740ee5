import { describe, expect, it } from 'vitest';
import { smsParts } from '../../../shared/domain/sms/sms-parts.ts';

describe('smsParts: GSM-7', () => {
  it('fits 160 septets in one part and 153 per part after that', () => {
    expect(smsParts('a'.repeat(160))).toEqual({ encoding: 'GSM-7', characters: 160, parts: 1 });
    expect(smsParts('a'.repeat(161))).toEqual({ encoding: 'GSM-7', characters: 161, parts: 2 });
    expect(smsParts('a'.repeat(306))).toEqual({ encoding: 'GSM-7', characters: 306, parts: 2 });
    expect(smsParts('a'.repeat(307))).toEqual({ encoding: 'GSM-7', characters: 307, parts: 3 });
  });

  it('counts extension-table characters twice', () => {
    expect(smsParts('€')).toEqual({ encoding: 'GSM-7', characters: 2, parts: 1 });
    expect(smsParts('{}[]~|^\\')).toEqual({ encoding: 'GSM-7', characters: 16, parts: 1 });
    expect(smsParts(`${'a'.repeat(158)}€`)).toEqual({ encoding: 'GSM-7', characters: 160, parts: 1 });
    expect(smsParts(`${'a'.repeat(159)}€`)).toEqual({ encoding: 'GSM-7', characters: 161, parts: 2 });
  });

  it('keeps the accented letters of the default alphabet in GSM-7', () => {
    expect(smsParts('Café à Zürich, £5 @ 10:00?').encoding).toBe('GSM-7');
  });

  it('never splits an escape pair across two parts', () => {
    // 306 septets would divide into two parts of 153, but 152 + € (2) does not fit the first:
    // the € moves to the second, which then overflows by one.
    expect(smsParts(`${'a'.repeat(152)}€${'a'.repeat(152)}`)).toEqual({
      encoding: 'GSM-7',
      characters: 306,
      parts: 3,
    });
  });

  it('treats an empty text as one part', () => {
    expect(smsParts('')).toEqual({ encoding: 'GSM-7', characters: 0, parts: 1 });
  });
});

describe('smsParts: UCS-2', () => {
  it('fits 70 characters in one part and 67 per part after that', () => {
    expect(smsParts('诈'.repeat(70))).toEqual({ encoding: 'UCS-2', characters: 70, parts: 1 });
    expect(smsParts('诈'.repeat(71))).toEqual({ encoding: 'UCS-2', characters: 71, parts: 2 });
    expect(smsParts('诈'.repeat(134))).toEqual({ encoding: 'UCS-2', characters: 134, parts: 2 });
    expect(smsParts('诈'.repeat(135))).toEqual({ encoding: 'UCS-2', characters: 135, parts: 3 });
  });

  it('switches the whole message to UCS-2 for one character outside GSM-7', () => {
    expect(smsParts(`${'a'.repeat(100)}好`)).toEqual({ encoding: 'UCS-2', characters: 101, parts: 2 });
    // A curly apostrophe is not in the GSM alphabet either.
    expect(smsParts('don’t').encoding).toBe('UCS-2');
    // Full-width Latin letters are not GSM-7.
    expect(smsParts('ＲＥＰＬＹ').encoding).toBe('UCS-2');
  });

  it('counts an emoji as two UTF-16 units and never splits the pair', () => {
    expect(smsParts('😀')).toEqual({ encoding: 'UCS-2', characters: 2, parts: 1 });
    expect(smsParts(`${'好'.repeat(68)}😀`)).toEqual({ encoding: 'UCS-2', characters: 70, parts: 1 });
    // 66 + 😀 would be 68 in the first part: the emoji moves on, 66 + (2 + 66) + 1 → three parts.
    expect(smsParts(`${'好'.repeat(66)}😀${'好'.repeat(67)}`)).toEqual({
      encoding: 'UCS-2',
      characters: 135,
      parts: 3,
    });
  });

  it('counts the 【signature】 and the opt-out line', () => {
    const signature = '【平遥县公安局】';
    const optOut = '拒收请回复R';
    const body = '警惕冒充客服退款诈骗，不点陌生链接，不说验证码，不向安全账户转账。';
    const sms = `${signature}${body}${optOut}`;
    expect(signature.length + body.length + optOut.length).toBe(8 + 33 + 6);
    expect(smsParts(sms)).toEqual({ encoding: 'UCS-2', characters: 47, parts: 1 });

    // The same message one sentence longer crosses 70 and becomes two parts of at most 67.
    const longer = `${signature}${body}接到自称公检法的电话先挂断，再拨打110核实。${optOut}`;
    expect(smsParts(longer)).toEqual({ encoding: 'UCS-2', characters: 70, parts: 1 });
    expect(smsParts(`${longer}!`)).toEqual({ encoding: 'UCS-2', characters: 71, parts: 2 });
  });
});
