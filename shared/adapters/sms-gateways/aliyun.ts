/**
 * Aliyun SMS upstream messages (SmsUp) pushed over HTTP ("短信服务 → HTTP批量推送模式 → 上行短信消息
 * SmsUp"): a JSON array of { phone_number, send_time, content, sign_name, dest_code, sequence_id },
 * answered with {"code":0,"msg":"接收成功"} or Aliyun retries. The push is not signed; the route
 * that calls this is guarded by protection.ts.
 */
import { PhoneNumber } from '../../domain/report.ts';
import { InboundSms } from '../../domain/sms/inbound-sms.ts';
import * as z from '../../schema.ts';
import { parseOrThrow } from '../../validation.ts';
import { type GatewayResult, jsonAnswer } from './gateway.ts';

/** Aliyun's send_time is Beijing wall-clock time without a zone: "2017-01-01 00:00:00". */
const BeijingTime = z.pipe(
  z.string().check(z.regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/, 'must look like 2017-01-01 00:00:00')),
  z.transform((s: string) => new Date(`${s.replace(' ', 'T')}+08:00`).toISOString()),
);

const AliyunUpMessage = z.object({
  // Mainland numbers come as 11 digits; PhoneNumber makes them +86… (and accepts 86-prefixed ones).
  phone_number: PhoneNumber,
  send_time: BeijingTime,
  content: z.string().check(z.maxLength(5000)),
  sign_name: z.optional(z.string()),
  dest_code: z.optional(z.string().check(z.maxLength(64))),
  // A number in Aliyun's example, but nothing promises it fits a double: accept either, keep text.
  sequence_id: z.pipe(
    z.union([z.string().check(z.minLength(1), z.maxLength(200)), z.int().check(z.nonnegative())]),
    z.transform(String),
  ),
});

export const AliyunPush = z.array(AliyunUpMessage).check(z.maxLength(1000));

export const ALIYUN_ANSWER = { code: 0, msg: '接收成功' } as const;

export function parseAliyunPush(body: unknown): GatewayResult {
  const push = parseOrThrow(AliyunPush, body, 'The Aliyun SmsUp push');
  const messages = push.map((m) =>
    InboundSms.parse({
      provider: 'aliyun',
      providerMessageId: m.sequence_id,
      from: m.phone_number,
      // The extension code tells replies to different templates apart; the sign is the fallback.
      to: m.dest_code || m.sign_name || '',
      body: m.content,
      receivedAt: m.send_time,
    }),
  );
  return { messages, answer: jsonAnswer(ALIYUN_ANSWER) };
}
