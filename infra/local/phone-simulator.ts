/**
 * The local phone simulator: a page where a developer plays a resident's phone. A message typed
 * there reaches the inbound SMS function exactly as AWS End User Messaging delivers it in AWS (an
 * SNS event whose Message is the two-way SMS JSON), and the system's replies are read back from
 * the local outbox. Mounted by the runtime as an extra route on its HTTP gateway:
 *   GET  /_local/phone                    the page
 *   GET  /_local/phone/messages?number=   the conversation of one number, oldest first
 *   POST /_local/phone/send {from, body}  one message from that phone
 */
import { randomUUID } from 'node:crypto';
import type { SNSEvent } from 'aws-lambda';
import type { OutboxEntry } from '../../shared/adapters/local-outbox.ts';
import { PhoneNumber } from '../../shared/domain/report.ts';
import { smsParts } from '../../shared/domain/sms/sms-parts.ts';
import * as z from '../../shared/schema.ts';
import { issuesOf } from '../../shared/validation.ts';
import { renderPhoneSimulatorPage } from '../../shared/web/phone-simulator-page.ts';
import { readJsonBody, writeJson } from './http-bodies.ts';
import type { ExtraRoute } from './http-gateway.ts';

const MAX_BODY_BYTES = 16 * 1024;
/** The number residents text locally: an example long code, not anyone's real number. */
export const LOCAL_SYSTEM_NUMBER = '+8610690000000';
const REGION = 'us-east-1';
const ACCOUNT = '000000000000';

export interface PhoneSimulatorOptions {
  /** Where the system's replies are read from (the runtime's `localOutbox()`). */
  outbox: { messages(to?: string): OutboxEntry[] };
  /** Hands the event to the SNS-subscribed inbound function, as SNS would. */
  deliverSns: (event: SNSEvent) => Promise<unknown>;
  systemNumber?: string;
  now?: () => Date;
  newId?: () => string;
}

export interface SimulatedMessage {
  direction: 'from-phone' | 'to-phone';
  id: string;
  body: string;
  at: string;
  encoding: 'GSM-7' | 'UCS-2';
  parts: number;
  /** 'delivered' once the inbound function accepted it; 'failed' when it threw. */
  status?: 'delivered' | 'failed';
}

const SendRequest = z.object({
  from: PhoneNumber,
  body: z
    .string()
    .check(z.trim(), z.minLength(1, 'type a message'), z.maxLength(1600, 'at most 1600 characters')),
});

/** The SNS event AWS End User Messaging SMS would publish for this message. */
export function inboundSmsEvent(input: {
  from: string;
  to: string;
  body: string;
  inboundMessageId: string;
  at: Date;
}): SNSEvent {
  const topicArn = `arn:aws:sns:${REGION}:${ACCOUNT}:civicloop-inbound-sms`;
  const message = {
    originationNumber: input.from,
    destinationNumber: input.to,
    messageKeyword: '',
    messageBody: input.body,
    inboundMessageId: input.inboundMessageId,
    previousPublishedMessageId: '',
  };
  return {
    Records: [
      {
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        EventSubscriptionArn: `${topicArn}:${randomUUID()}`,
        Sns: {
          Type: 'Notification',
          MessageId: randomUUID(),
          TopicArn: topicArn,
          Subject: '',
          Message: JSON.stringify(message),
          Timestamp: input.at.toISOString(),
          SignatureVersion: '1',
          Signature: 'local',
          SigningCertUrl: 'https://sns.us-east-1.amazonaws.com/local.pem',
          UnsubscribeUrl: 'https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe',
          MessageAttributes: {},
        },
      },
    ],
  };
}

export function mountPhoneSimulator(options: PhoneSimulatorOptions): ExtraRoute {
  const systemNumber = options.systemNumber ?? LOCAL_SYSTEM_NUMBER;
  const now = options.now ?? (() => new Date());
  const newId = options.newId ?? (() => randomUUID());
  // What each phone sent; the outbox holds the other half of the conversation.
  const sent: (SimulatedMessage & { from: string })[] = [];

  const conversation = (number: string): SimulatedMessage[] => {
    const mine = sent.filter((m) => m.from === number).map(({ from: _from, ...m }) => m);
    const replies = options.outbox.messages(number).map(
      (e): SimulatedMessage => ({
        direction: 'to-phone',
        id: e.providerMessageId,
        body: e.body,
        at: e.sentAt,
        encoding: e.encoding,
        parts: e.parts,
      }),
    );
    return [...mine, ...replies].sort((a, b) => a.at.localeCompare(b.at));
  };

  return async (req, res, url) => {
    if (url.pathname !== '/_local/phone' && !url.pathname.startsWith('/_local/phone/')) return false;
    const route = `${req.method} ${url.pathname}`;
    if (route === 'GET /_local/phone') {
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
        'content-security-policy':
          "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'",
      });
      res.end(renderPhoneSimulatorPage({ systemNumber }));
      return true;
    }
    if (route === 'GET /_local/phone/messages') {
      const number = PhoneNumber.safeParse(url.searchParams.get('number') ?? '');
      if (!number.success) {
        writeJson(res, 400, { code: 'invalid_request', issues: issuesOf(number.error) });
        return true;
      }
      writeJson(res, 200, { number: number.data, messages: conversation(number.data) });
      return true;
    }
    if (route === 'POST /_local/phone/send') {
      let raw: unknown;
      try {
        raw = await readJsonBody(req, MAX_BODY_BYTES);
      } catch {
        writeJson(res, 400, { code: 'malformed_body', message: 'send JSON { from, body } up to 16 KB' });
        return true;
      }
      const request = SendRequest.safeParse(raw);
      if (!request.success) {
        writeJson(res, 400, { code: 'invalid_request', issues: issuesOf(request.error) });
        return true;
      }
      const { from, body } = request.data;
      const at = now();
      const inboundMessageId = newId();
      const { encoding, parts } = smsParts(body);
      const message: SimulatedMessage & { from: string } = {
        direction: 'from-phone',
        id: inboundMessageId,
        from,
        body,
        at: at.toISOString(),
        encoding,
        parts,
      };
      sent.push(message);
      try {
        await options.deliverSns(inboundSmsEvent({ from, to: systemNumber, body, inboundMessageId, at }));
        message.status = 'delivered';
        writeJson(res, 202, { inboundMessageId, status: 'delivered' });
      } catch {
        // In AWS, SNS would retry; locally the developer sees it failed and the function's log says why.
        message.status = 'failed';
        writeJson(res, 502, { inboundMessageId, status: 'failed', message: 'the inbound function failed' });
      }
      return true;
    }
    writeJson(res, 404, { message: 'Not Found' });
    return true;
  };
}

/** Several extra routes as one, tried in order: how the runtime adds this next to /_local/health. */
export const chainRoutes =
  (...routes: ExtraRoute[]): ExtraRoute =>
  async (req, res, url) => {
    for (const route of routes) if (await route(req, res, url)) return true;
    return false;
  };
