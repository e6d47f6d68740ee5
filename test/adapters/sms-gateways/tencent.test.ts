/**
 * Tencent Cloud SMS reply callback. The payload is the example in Tencent Cloud's SMS
 * documentation ("回调配置" → "回复短信回调"), answered {"result":0,"errmsg":"OK"}.
 */
import { describe, expect, it } from 'vitest';
import { parseTencentReply, tencentMessageId } from '../../../shared/adapters/sms-gateways/tencent.ts';
import { ValidationError } from '../../../shared/errors.ts';

const docExample = {
  extend: '',
  mobile: '13800138000',
  nationcode: '86',
  sign: '腾讯云',
  text: '发送的短信内容',
  time: 1457336869,
};

describe('parseTencentReply', () => {
  it('maps the documented callback and answers as Tencent expects', () => {
    const { messages, answer } = parseTencentReply(docExample);
    expect(messages).toEqual([
      {
        provider: 'tencent',
        providerMessageId: tencentMessageId(docExample),
        from: '+8613800138000',
        to: '腾讯云',
        body: '发送的短信内容',
        receivedAt: '2016-03-07T07:47:49.000Z',
      },
    ]);
    expect(answer.body).toBe('{"result":0,"errmsg":"OK"}');
    expect(answer.contentType).toMatch(/^application\/json/);
  });

  it('derives the same id for a retry and a different one for a different reply', () => {
    const [first] = parseTencentReply(docExample).messages;
    const [retry] = parseTencentReply({ ...docExample }).messages;
    const [later] = parseTencentReply({ ...docExample, time: docExample.time + 1 }).messages;
    const [other] = parseTencentReply({ ...docExample, extend: '01' }).messages;
    expect(first?.providerMessageId).toMatch(/^tencent-[0-9a-f]{64}$/);
    expect(retry?.providerMessageId).toBe(first?.providerMessageId);
    expect(later?.providerMessageId).not.toBe(first?.providerMessageId);
    expect(other?.providerMessageId).not.toBe(first?.providerMessageId);
    expect(other?.to).toBe('01');
  });

  it('accepts an array of replies and non-Chinese numbers', () => {
    const { messages } = parseTencentReply([
      docExample,
      { ...docExample, nationcode: 852, mobile: '61234567', time: '1457336870' },
    ]);
    expect(messages.map((m) => m.from)).toEqual(['+8613800138000', '+85261234567']);
  });

  it.each([
    ['mobile', { ...docExample, mobile: '1380013' }],
    ['mobile', { ...docExample, mobile: '+8613800138000' }],
    ['nationcode', { ...docExample, nationcode: '+86' }],
    ['time', { ...docExample, time: 'yesterday' }],
    ['text', { ...docExample, text: undefined }],
  ])('names the bad field %s', (path, body) => {
    try {
      parseTencentReply(body);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect(error instanceof ValidationError && error.issues.map((i) => i.path)).toContain(path);
    }
  });
});
