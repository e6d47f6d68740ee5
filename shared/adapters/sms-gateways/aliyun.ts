/**
 * Aliyun SMS upstream messages (SmsUp) pushed over HTTP ("短信服务 → HTTP批量推送模式 → 上行短信消息
 * SmsUp"): a JSON array of { phone_number, send_time, content, sign_name, dest_code, sequence_id },
 * answered with {"code":0,"msg":"接收成功"} or Aliyun retries. The push is not signed; the route
 * that calls this is guarded by protection.ts.
 */
import * as z from 'zod';
import { PhoneNumber } from '../../domain/report.ts';
import { InboundSms } from '../../domain/sms/inbound-sms.ts';
import { parseOrThrow } from '../../validation.ts';
import { type GatewayResult, jsonAnswer } from './gateway.ts';

/** Aliyun's send_time is Beijing wall-clock time without a zone: "2017-01-01 00:00:00". */
const BeijingTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/, 'must look like 2017-01-01 00:00:00')
  .transform((s) => new Date(`${s.replace(' ', 'T')}+08:00`).toISOString());

const AliyunUpMessage = z.object({
  // Mainland numbers come as 11 digits; PhoneNumber makes them +86… (and accepts 86-prefixed ones).
  phone_number: PhoneNumber,
  send_time: BeijingTime,
  content: z.string().max(5000),
  sign_name: z.string().optional(),
  dest_code: z.string().max(64).optional(),
  // A number in Aliyun's example, but nothing promises it fits a double: accept either, keep text.
  sequence_id: z.union([z.string().min(1).max(200), z.number().int().nonnegative()]).transform(String),
});

export const AliyunPush = z.array(AliyunUpMessage).max(1000);

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
