/**
 * SmsSender on AWS End User Messaging SMS (the `pinpoint-sms-voice-v2` API): one
 * SendTextMessage per message. Replies and case notifications are TRANSACTIONAL; anti-fraud
 * outreach is PROMOTIONAL, which carriers and AWS treat differently (opt-outs, quiet hours). The
 * part count is computed locally because the API does not return it.
 */
import {
  type MessageType,
  PinpointSMSVoiceV2Client,
  SendTextMessageCommand,
} from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { smsParts } from '../domain/sms/sms-parts.ts';
import { DependencyError } from '../errors.ts';
import type { OutboundSms, SentSms, SmsPurpose, SmsSender } from '../ports/sms-sender.ts';
import { awsCall } from './aws-call.ts';

export interface EndUserMessagingSenderOptions {
  /** Phone number, sender id, pool id or their ARN, as SendTextMessage accepts it. */
  originationIdentity: string;
  /** Event destinations (delivery receipts) hang off a configuration set. */
  configurationSetName?: string;
}

const messageTypeOf = (purpose: SmsPurpose): MessageType =>
  purpose === 'outreach' ? 'PROMOTIONAL' : 'TRANSACTIONAL';

export const createSmsVoiceClient = (): PinpointSMSVoiceV2Client =>
  new PinpointSMSVoiceV2Client({ maxAttempts: 3 });

export class EndUserMessagingSender implements SmsSender {
  readonly #client: PinpointSMSVoiceV2Client;
  readonly #options: EndUserMessagingSenderOptions;

  constructor(client: PinpointSMSVoiceV2Client, options: EndUserMessagingSenderOptions) {
    this.#client = client;
    this.#options = options;
  }

  async send(message: OutboundSms): Promise<SentSms> {
    const { encoding, parts } = smsParts(message.body);
    const out = await awsCall('SendTextMessage', () =>
      this.#client.send(
        new SendTextMessageCommand({
          DestinationPhoneNumber: message.to,
          MessageBody: message.body,
          OriginationIdentity: this.#options.originationIdentity,
          MessageType: messageTypeOf(message.purpose),
          ConfigurationSetName: this.#options.configurationSetName,
          // Comes back in delivery events, tying a receipt to what caused the send.
          Context: { correlationId: message.correlationId, purpose: message.purpose },
        }),
      ),
    );
    if (!out.MessageId) throw new DependencyError('SendTextMessage returned no MessageId');
    return { providerMessageId: out.MessageId, encoding, parts };
  }
}
