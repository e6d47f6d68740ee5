/**
 * SmsSender on AWS End User Messaging SMS (the `pinpoint-sms-voice-v2` API): one
 * SendTextMessage per message. Replies and case notifications are TRANSACTIONAL; anti-fraud
 * outreach is PROMOTIONAL, which carriers and AWS treat differently (opt-outs, quiet hours). The
 * part count is computed locally because the API does not return it.
 *
 * SendTextMessage takes no idempotency token, so the client makes one attempt and a failure says
 * what it means: the service refused this message for good (UndeliverableError: a malformed or
 * unreachable number, an opted-out destination, no such sender identity), it answered with an
 * error and sent nothing (DependencyError, worth a retry), or no answer came back and the text may
 * have gone out (DeliveryUnconfirmedError: never repeat it).
 */
import {
  type MessageType,
  PinpointSMSVoiceV2Client,
  SendTextMessageCommand,
} from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { smsParts } from '../domain/sms/sms-parts.ts';
import { DeliveryUnconfirmedError, DependencyError, UndeliverableError } from '../errors.ts';
import type { OutboundSms, SentSms, SmsPurpose, SmsSender } from '../ports/sms-sender.ts';

export interface EndUserMessagingSenderOptions {
  /** Phone number, sender id, pool id or their ARN, as SendTextMessage accepts it. */
  originationIdentity: string;
  /** Event destinations (delivery receipts) hang off a configuration set. */
  configurationSetName?: string;
}

const messageTypeOf = (purpose: SmsPurpose): MessageType =>
  purpose === 'outreach' ? 'PROMOTIONAL' : 'TRANSACTIONAL';

export const createSmsVoiceClient = (): PinpointSMSVoiceV2Client =>
  new PinpointSMSVoiceV2Client({ maxAttempts: 1 });

/** Refusals that no retry can change. */
const PERMANENT = new Set([
  'ValidationException',
  'ResourceNotFoundException',
  'ConflictException',
  'AccessDeniedException',
]);

function sendFailure(error: unknown): Error {
  const status: unknown =
    error instanceof Error ? Reflect.get(Reflect.get(error, '$metadata') ?? {}, 'httpStatusCode') : undefined;
  const name = error instanceof Error ? error.name : 'unknown';
  if (typeof status !== 'number' || status < 400)
    return new DeliveryUnconfirmedError(`SendTextMessage got no answer (${name})`, { cause: error });
  if (PERMANENT.has(name))
    return new UndeliverableError(`SendTextMessage refused the message (${name})`, { cause: error });
  return new DependencyError(`SendTextMessage failed (${name})`, { cause: error });
}

export class EndUserMessagingSender implements SmsSender {
  readonly #client: PinpointSMSVoiceV2Client;
  readonly #options: EndUserMessagingSenderOptions;

  constructor(client: PinpointSMSVoiceV2Client, options: EndUserMessagingSenderOptions) {
    this.#client = client;
    this.#options = options;
  }

  async send(message: OutboundSms): Promise<SentSms> {
    const { encoding, parts } = smsParts(message.body);
    const out = await this.#client
      .send(
        new SendTextMessageCommand({
          DestinationPhoneNumber: message.to,
          MessageBody: message.body,
          OriginationIdentity: this.#options.originationIdentity,
          MessageType: messageTypeOf(message.purpose),
          ConfigurationSetName: this.#options.configurationSetName,
          // Comes back in delivery events, tying a receipt to what caused the send.
          Context: { correlationId: message.correlationId, purpose: message.purpose },
        }),
      )
      .catch((error: unknown) => {
        throw sendFailure(error);
      });
    // An answer without an id does not say whether the text went out.
    if (!out.MessageId) throw new DeliveryUnconfirmedError('SendTextMessage returned no MessageId');
    return { providerMessageId: out.MessageId, encoding, parts };
  }
}
