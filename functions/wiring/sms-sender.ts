/**
 * The SMS sender every texting function is wired with: End User Messaging in AWS, the local
 * outbox (read by the phone simulator) on a laptop. Its own module, so a function that only sends
 * texts (send-outreach) does not load the case functions' composition root with it.
 */
import {
  createSmsVoiceClient,
  EndUserMessagingSender,
} from '../../shared/adapters/end-user-messaging-sender.ts';
import { localOutbox } from '../../shared/adapters/local-outbox.ts';
import type { SmsSender } from '../../shared/ports/sms-sender.ts';

/** What the local runtime sets instead of a phone number or pool id: texts go to its outbox. */
export const LOCAL_OUTBOX = 'local-outbox';

export function smsSender(originationIdentity: string): SmsSender {
  return originationIdentity === LOCAL_OUTBOX
    ? localOutbox()
    : new EndUserMessagingSender(createSmsVoiceClient(), { originationIdentity });
}
