/**
 * Aliyun SmsUp push. The payload is the example in Aliyun's SMS documentation ("HTTP批量推送模式"
 * → "上行短信消息 SmsUp"), with the documented answer {"code":0,"msg":"接收成功"}.
 */
import { describe, expect, it } from 'vitest';
import { parseAliyunPush } from '../../../shared/adapters/sms-gateways/aliyun.ts';
import { toHttpResponse } from '../../../shared/adapters/sms-gateways/gateway.ts';
import { ValidationError } from '../../../shared/errors.ts';

const docExample = [
  {
    phone_number: '13000000000',
    send_time: '2017-01-01 00:00:00',
    content: '1234',
    sign_name: '签名名称',
    dest_code: '1234',
    sequence_id: 1234567,
  },
];

describe('parseAliyunPush', () => {
  it('maps the documented push and answers as Aliyun expects', () => {
    const { messages, answer } = parseAliyunPush(docExample);
    expect(messages).toEqual([
      {
        provider: 'aliyun',
        providerMessageId: '1234567',
        from: '+8613000000000',
        to: '1234',
        body: '1234',
        // Aliyun's time is Beijing time (UTC+8).
        receivedAt: '2016-12-31T16:00:00.000Z',
      },
    ]);
    expect(answer).toEqual({
      statusCode: 200,
      contentType: 'application/json; charset=utf-8',
      body: '{"code":0,"msg":"接收成功"}',
    });
  });

  it('handles a batch, string sequence ids, and no dest_code', () => {
    const { messages } = parseAliyunPush([
      { ...docExample[0], sequence_id: '9007199254740993', phone_number: '13800138000' },
      { phone_number: '8613900139000', send_time: '2026-11-29 16:30:00', content: '退订', sequence_id: 2 },
    ]);
    expect(messages.map((m) => [m.providerMessageId, m.from, m.to])).toEqual([
      ['9007199254740993', '+8613800138000', '1234'],
      ['2', '+8613900139000', ''],
    ]);
    expect(messages[1]?.receivedAt).toBe('2026-11-29T08:30:00.000Z');
  });

  it('becomes the HTTP response the function returns', () => {
    expect(toHttpResponse(parseAliyunPush(docExample).answer)).toEqual({
      statusCode: 200,
      headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
      body: '{"code":0,"msg":"接收成功"}',
    });
  });

  it('answers an empty push too', () => {
    expect(parseAliyunPush([]).messages).toEqual([]);
  });

  it.each([
    ['0.phone_number', { ...docExample[0], phone_number: '1300000' }],
    ['0.sequence_id', { ...docExample[0], sequence_id: undefined }],
    ['0.send_time', { ...docExample[0], send_time: '2017/01/01' }],
  ])('names the bad field %s', (path, message) => {
    try {
      parseAliyunPush([message]);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect(error instanceof ValidationError && error.issues.map((i) => i.path)).toContain(path);
    }
  });

  it('rejects a body that is not an array', () => {
    expect(() => parseAliyunPush(docExample[0])).toThrow(ValidationError);
  });
});
