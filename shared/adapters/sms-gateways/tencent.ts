/**
 * Tencent Cloud SMS reply callback ("短信 → 回调配置 → 回复短信回调"): { extend, mobile, nationcode,
 * sign, text, time } (time in Unix seconds), answered with {"result":0,"errmsg":"OK"}. Newer
 * consoles may batch them in an array, so both shapes are accepted. The callback carries no
 * message id and is not signed (the route is guarded by protection.ts).
 */
import { createHash } from 'node:crypto';
import { InboundSms } from '../../domain/sms/inbound-sms.ts';
import * as z from '../../schema.ts';
import { parseOrThrow } from '../../validation.ts';
import { type GatewayResult, jsonAnswer } from './gateway.ts';

/** The country calling code as text, whether it came as a string or a number. */
const NationcodeText = z.pipe(z.union([z.string(), z.number()]), z.transform(String));
/** The Unix time as a number, whether it came as one or as digits. */
const TimeNumber = z.pipe(
  z.union([z.number(), z.string().check(z.regex(/^\d+$/, 'must be a Unix time in seconds, digits only'))]),
  z.transform(Number),
);

const TencentReply = z
  .object({
    mobile: z.string().check(z.regex(/^\d{4,14}$/, 'must be the national number, digits only')),
    nationcode: z.pipe(
      NationcodeText,
      z.string().check(z.regex(/^[1-9]\d{0,3}$/, 'must be a country calling code such as 86')),
    ),
    text: z.string().check(z.maxLength(5000)),
    sign: z._default(z.optional(z.string().check(z.maxLength(64))), ''),
    time: z.pipe(TimeNumber, z.int().check(z.positive())),
    extend: z._default(z.optional(z.string().check(z.maxLength(64))), ''),
  })
  .check(
    z.superRefine((reply, ctx) => {
      const e164 = `+${reply.nationcode}${reply.mobile}`;
      const valid =
        reply.nationcode === '86' ? /^1[3-9]\d{9}$/.test(reply.mobile) : /^\+[1-9]\d{7,14}$/.test(e164);
      if (!valid) ctx.addIssue({ code: 'custom', path: ['mobile'], message: 'is not a valid mobile number' });
    }),
  );
type TencentReply = z.infer<typeof TencentReply>;

export const TencentReplies = z.array(TencentReply).check(z.maxLength(1000));

export const TENCENT_ANSWER = { result: 0, errmsg: 'OK' } as const;

/**
 * Tencent gives no message id, yet retries a callback it did not see answered. The same reply
 * always hashes to the same id, so a retry dedupes; two identical texts in the same second from
 * the same phone collapse into one, which is what a resident would mean anyway.
 */
export function tencentMessageId(reply: Pick<TencentReply, 'mobile' | 'time' | 'text' | 'extend'>): string {
  const digest = createHash('sha256')
    .update([reply.mobile, String(reply.time), reply.text, reply.extend].join('|'))
    .digest('hex');
  return `tencent-${digest}`;
}

export function parseTencentReply(body: unknown): GatewayResult {
  // Picked by shape rather than z.union, so a bad field is named (`text`, `0.text`) instead of
  // drowning in "no union member matched".
  const replies = Array.isArray(body)
    ? parseOrThrow(TencentReplies, body, 'The Tencent reply callback')
    : [parseOrThrow(TencentReply, body, 'The Tencent reply callback')];
  const messages = replies.map((r) =>
    InboundSms.parse({
      provider: 'tencent',
      providerMessageId: tencentMessageId(r),
      from: `+${r.nationcode}${r.mobile}`,
      to: r.extend || r.sign,
      body: r.text,
      receivedAt: new Date(r.time * 1000).toISOString(),
    }),
  );
  return { messages, answer: jsonAnswer(TENCENT_ANSWER) };
}
