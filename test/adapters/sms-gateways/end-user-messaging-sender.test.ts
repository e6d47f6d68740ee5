/** The AWS End User Messaging sender, against a mocked pinpoint-sms-voice-v2 client. */
import {
  PinpointSMSVoiceV2Client,
  SendTextMessageCommand,
  ThrottlingException,
} from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { EndUserMessagingSender } from '../../../shared/adapters/end-user-messaging-sender.ts';
import { DependencyError } from '../../../shared/errors.ts';

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

  it('turns an SDK failure into a DependencyError', async () => {
    sms.on(SendTextMessageCommand).rejects(new ThrottlingException({ message: 'slow down', $metadata: {} }));
    await expect(
      sender().send({ to: '+8613800138000', body: 'x', purpose: 'reply', correlationId: 'c' }),
    ).rejects.toBeInstanceOf(DependencyError);
  });

  it('treats a missing MessageId as a failure', async () => {
    sms.on(SendTextMessageCommand).resolves({});
    await expect(
      sender().send({ to: '+8613800138000', body: 'x', purpose: 'reply', correlationId: 'c' }),
    ).rejects.toBeInstanceOf(DependencyError);
  });
});
