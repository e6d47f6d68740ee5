/**
 * AWS End User Messaging SMS two-way messaging: a resident's reply reaches the phone number's
 * SNS topic, and the SNS record's `Message` is this JSON (AWS End User Messaging SMS User Guide,
 * "Two-way SMS messaging" → "Incoming message format"). SNS expects no answer from the
 * subscriber beyond a successful invocation, so these parsers return messages only.
 */
import type { SNSEvent } from 'aws-lambda';
import { InboundSms } from '../../domain/sms/inbound-sms.ts';
import { MalformedBodyError } from '../../errors.ts';
import * as z from '../../schema.ts';
import { parseOrThrow } from '../../validation.ts';

const E164 = z.string().check(z.regex(/^\+[1-9]\d{7,14}$/, 'must be an E.164 number such as +8613800138000'));

export const AwsInboundMessage = z.object({
  originationNumber: E164,
  destinationNumber: z.string().check(z.minLength(1), z.maxLength(64)),
  // AWS sends the keyword it matched, or an empty string; it plays no part in our routing.
  messageKeyword: z.optional(z.string()),
  messageBody: z.string().check(z.maxLength(5000)),
  inboundMessageId: z.string().check(z.minLength(1), z.maxLength(200)),
  previousPublishedMessageId: z.optional(z.string()),
});
export type AwsInboundMessage = z.infer<typeof AwsInboundMessage>;

/**
 * One SNS `Message` → one InboundSms. `receivedAt` is the SNS record's Timestamp: the payload
 * itself carries no time, and a pure parser does not read the clock.
 */
export function parseAwsInbound(snsMessage: string, receivedAt: Date | string): InboundSms {
  let raw: unknown;
  try {
    raw = JSON.parse(snsMessage);
  } catch (error) {
    throw new MalformedBodyError('The SNS message is not JSON', { cause: error });
  }
  const message = parseOrThrow(AwsInboundMessage, raw, 'The inbound SMS notification');
  return InboundSms.parse({
    provider: 'aws',
    providerMessageId: message.inboundMessageId,
    from: message.originationNumber,
    to: message.destinationNumber,
    body: message.messageBody,
    receivedAt: new Date(receivedAt).toISOString(),
  });
}

/** Every record of an SNS event, each stamped with its own SNS Timestamp. */
export function parseAwsSnsEvent(event: SNSEvent): InboundSms[] {
  return event.Records.map((record) => parseAwsInbound(record.Sns.Message, record.Sns.Timestamp));
}
