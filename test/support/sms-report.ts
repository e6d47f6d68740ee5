/**
 * A resident's report texted to the local runtime as AWS End User Messaging delivers it (an SNS
 * event to receive-sms), and the tracking code the reply gave them.
 */
import { inboundSmsEvent, LOCAL_SYSTEM_NUMBER } from '../../infra/local/phone-simulator.ts';
import type { LocalRuntime } from '../../infra/local/runtime.ts';
import { localOutbox } from '../../shared/adapters/local-outbox.ts';

export async function textReport(rt: LocalRuntime, from: string, body: string): Promise<string> {
  const fn = rt.functions.get('receive-sms');
  if (!fn) throw new Error('no receive-sms function');
  const inboundMessageId = crypto.randomUUID();
  await fn.invoke(inboundSmsEvent({ from, to: LOCAL_SYSTEM_NUMBER, body, inboundMessageId, at: new Date() }));
  const reply = localOutbox()
    .messages(from)
    .filter((m) => m.purpose === 'reply')
    .at(-1);
  const code = /[0-9A-Z]{3}-[0-9A-Z]{3}-[0-9A-Z]{3}/.exec(reply?.body ?? '')?.[0];
  if (!code) throw new Error('no tracking code in the reply');
  return code;
}
