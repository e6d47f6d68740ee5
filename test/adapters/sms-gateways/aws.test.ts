/**
 * AWS End User Messaging SMS inbound messages, as SNS delivers them. The payload follows the
 * example in the AWS End User Messaging SMS User Guide ("Two-way SMS messaging", incoming message
 * format); the sample event is the repository's events/sns/inbound-sms.json.
 */
import { describe, expect, it } from 'vitest';
import sample from '../../../events/sns/inbound-sms.json' with { type: 'json' };
import { parseAwsInbound, parseAwsSnsEvent } from '../../../shared/adapters/sms-gateways/aws.ts';
import { InboundSms } from '../../../shared/domain/sms/inbound-sms.ts';
import { MalformedBodyError, ValidationError } from '../../../shared/errors.ts';

// The AWS documentation's example, verbatim.
const docExample = JSON.stringify({
  originationNumber: '+14255550182',
  destinationNumber: '+12125550101',
  messageKeyword: 'JOIN',
  messageBody: 'EXAMPLE',
  inboundMessageId: 'cae173d2-66b9-564c-8309-21f858e9fb84',
  previousPublishedMessageId: 'wJ0eHg2dxJ5j8W8n6m2u6Ao',
});

describe('parseAwsInbound', () => {
  it('maps the documented payload onto InboundSms', () => {
    const sms = parseAwsInbound(docExample, '2026-11-29T08:30:00Z');
    expect(sms).toEqual({
      provider: 'aws',
      providerMessageId: 'cae173d2-66b9-564c-8309-21f858e9fb84',
      from: '+14255550182',
      to: '+12125550101',
      body: 'EXAMPLE',
      receivedAt: '2026-11-29T08:30:00.000Z',
    });
    expect(InboundSms.safeParse(sms).success).toBe(true);
  });

  it('reads the sample SNS event, stamped with the record timestamp', () => {
    const [sms, ...rest] = parseAwsSnsEvent(sample);
    expect(rest).toEqual([]);
    expect(sms).toMatchObject({
      provider: 'aws',
      from: '+8613800138000',
      body: '小区东门路灯坏了三天了',
      receivedAt: '2026-11-29T08:30:00.000Z',
    });
  });

  it('accepts a message without keyword or previous id', () => {
    const minimal = JSON.stringify({
      originationNumber: '+8613800138000',
      destinationNumber: '+8610690000000',
      messageBody: 'R',
      inboundMessageId: 'id-1',
    });
    expect(parseAwsInbound(minimal, new Date(0)).body).toBe('R');
  });

  it('names the bad field', () => {
    const bad = JSON.stringify({ ...JSON.parse(docExample), originationNumber: '4255550182' });
    const error = catchError(() => parseAwsInbound(bad, new Date()));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error instanceof ValidationError && error.issues.map((i) => i.path)).toEqual([
      'originationNumber',
    ]);
  });

  it('names a missing message id', () => {
    const { inboundMessageId: _, ...rest } = JSON.parse(docExample);
    const error = catchError(() => parseAwsInbound(JSON.stringify(rest), new Date()));
    expect(error instanceof ValidationError && error.issues.map((i) => i.path)).toEqual(['inboundMessageId']);
  });

  it('rejects a message that is not JSON', () => {
    expect(() => parseAwsInbound('not json', new Date())).toThrow(MalformedBodyError);
  });
});

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}
