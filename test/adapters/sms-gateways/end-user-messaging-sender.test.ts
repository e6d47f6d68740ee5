/** The AWS End User Messaging sender, against a mocked pinpoint-sms-voice-v2 client. */
import {
  ConflictException,
  PinpointSMSVoiceV2Client,
  SendTextMessageCommand,
  ThrottlingException,
  ValidationException,
} from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { EndUserMessagingSender } from '../../../shared/adapters/end-user-messaging-sender.ts';
import { DeliveryUnconfirmedError, DependencyError, UndeliverableError } from '../../../shared/errors.ts';

const sms = mockClient(PinpointSMSVoiceV2Client);

describe('EndUserMessagingSender', () => {
  beforeEach(() => {
    sms.reset();
  });
  const sender = () =>
    new EndUserMessagingSender(new PinpointSMSVoiceV2Client({ region: 'us-east-1' }), {
      originationIdentity: 'pool-0123456789abcdef',
      configurationSetName: 'civicloop',
    });

  it('sends a reply as TRANSACTIONAL and returns the MessageId and part count', async () => {
    sms.on(SendTextMessageCommand).resolves({ MessageId: 'msg-1' });
    const sent = await sender().send({
      to: '+8613800138000',
      body: '【平安县】您的诉求已受理，编号 AB12-CD34。',
      purpose: 'reply',
      correlationId: 'inbound-1',
    });
    expect(sent).toEqual({ providerMessageId: 'msg-1', encoding: 'UCS-2', parts: 1 });
    const calls = sms.commandCalls(SendTextMessageCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.args[0].input).toEqual({
      DestinationPhoneNumber: '+8613800138000',
      MessageBody: '【平安县】您的诉求已受理，编号 AB12-CD34。',
      OriginationIdentity: 'pool-0123456789abcdef',
      MessageType: 'TRANSACTIONAL',
      ConfigurationSetName: 'civicloop',
      Context: { correlationId: 'inbound-1', purpose: 'reply' },
    });
  });

  it('sends notifications as TRANSACTIONAL and outreach as PROMOTIONAL', async () => {
    sms.on(SendTextMessageCommand).resolves({ MessageId: 'm' });
    await sender().send({ to: '+8613800138000', body: 'x', purpose: 'notification', correlationId: 'c1' });
    const outreach = `【平安县反诈】${'警'.repeat(70)}拒收请回复R`;
    const sent = await sender().send({
      to: '+8613800138000',
      body: outreach,
      purpose: 'outreach',
      correlationId: 'c2',
    });
    const types = sms.commandCalls(SendTextMessageCommand).map((c) => c.args[0].input.MessageType);
    expect(types).toEqual(['TRANSACTIONAL', 'PROMOTIONAL']);
    expect(sent.parts).toBe(2);
  });

  const send = () => sender().send({ to: '+8613800138000', body: 'x', purpose: 'reply', correlationId: 'c' });
  const answered = (status: number) => ({ httpStatusCode: status });

  it('turns a throttling answer into a DependencyError: nothing was sent, a retry may', async () => {
    sms
      .on(SendTextMessageCommand)
      .rejects(new ThrottlingException({ message: 'slow down', $metadata: answered(429) }));
    await expect(send()).rejects.toBeInstanceOf(DependencyError);
  });

  it('turns a refusal of the number into an UndeliverableError: retrying cannot help', async () => {
    sms
      .on(SendTextMessageCommand)
      .rejectsOnce(
        new ValidationException({
          message: 'bad number',
          $metadata: answered(400),
          Reason: 'INVALID_PARAMETER',
        }),
      )
      .rejectsOnce(
        new ConflictException({
          message: 'opted out',
          $metadata: answered(409),
          Reason: 'DESTINATION_PHONE_NUMBER_OPTED_OUT',
          ResourceType: 'opt-out-list',
          ResourceId: 'default',
        }),
      );
    await expect(send()).rejects.toBeInstanceOf(UndeliverableError);
    await expect(send()).rejects.toBeInstanceOf(UndeliverableError);
  });

  it('calls a failure without an answer unconfirmed: the text may have gone out', async () => {
    sms
      .on(SendTextMessageCommand)
      .rejects(Object.assign(new Error('socket hang up'), { name: 'TimeoutError' }));
    await expect(send()).rejects.toBeInstanceOf(DeliveryUnconfirmedError);
  });

  it('treats a missing MessageId as unconfirmed', async () => {
    sms.on(SendTextMessageCommand).resolves({});
    await expect(send()).rejects.toBeInstanceOf(DeliveryUnconfirmedError);
  });

  it('makes one attempt per send: the SDK must not repeat a text on its own', async () => {
    const { createSmsVoiceClient } = await import('../../../shared/adapters/end-user-messaging-sender.ts');
    expect(await createSmsVoiceClient().config.maxAttempts()).toBe(1);
  });
});
