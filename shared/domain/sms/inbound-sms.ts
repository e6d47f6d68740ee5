/**
 * One text message from a resident, whatever gateway brought it (AWS End User Messaging via SNS,
 * Aliyun SmsUp, Tencent Cloud, a Twilio-compatible webhook, or the local phone simulator). The
 * provider's message id is the idempotency key: gateways retry for minutes to days.
 */
import * as z from '../../schema.ts';

export const SmsProvider = z.enum(['aws', 'aliyun', 'tencent', 'twilio', 'local']);
export type SmsProvider = z.infer<typeof SmsProvider>;

export const InboundSms = z.object({
  provider: SmsProvider,
  providerMessageId: z.string().check(z.minLength(1), z.maxLength(200)),
  /** The sender, normalised to E.164 (+8613812345678). */
  from: z
    .string()
    .check(
      z.regex(/^\+[1-9]\d{7,14}$/, 'must be a phone number in international form, such as +8613812345678'),
    ),
  /** The number or sign/extension it was sent to, as the provider names it. */
  to: z.string().check(z.maxLength(64)),
  body: z.string().check(z.maxLength(5000)),
  receivedAt: z.iso.datetime(),
});
export type InboundSms = z.infer<typeof InboundSms>;
