/**
 * Port: sends one text message. AWS End User Messaging `SendTextMessage` in AWS, a local outbox
 * (visible in the phone simulator) on a laptop; room for an Aliyun or Tencent sender. Every send
 * records its part count (UCS-2 or GSM-7), the 【signature】 included.
 */
export type SmsPurpose = 'reply' | 'notification' | 'outreach';

export interface OutboundSms {
  /** E.164. */
  to: string;
  body: string;
  purpose: SmsPurpose;
  /** Ties the send to what caused it (inbound message id, case code + version), for idempotency and audit. */
  correlationId: string;
}

export interface SentSms {
  providerMessageId: string;
  encoding: 'GSM-7' | 'UCS-2';
  parts: number;
}

export interface SmsSender {
  send(message: OutboundSms): Promise<SentSms>;
}
