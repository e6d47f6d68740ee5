/**
 * Two-way SMS from AWS End User Messaging, delivered through SNS: each record is one resident's
 * text, answered through the same services as the web (report, status, rating, opt-out, help).
 * SNS invokes asynchronously: a failure is retried, then lands in the function's DLQ; a retried
 * message is recognised by its inbound message id and never makes a second case or reply.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { SNSEvent } from 'aws-lambda';
import { parseAwsSnsEvent } from '../shared/adapters/sms-gateways/aws.ts';
import { createLogger, logEffectFailure } from '../shared/logger.ts';
import {
  type ReceiveSmsDeps,
  receiveSmsBatch,
  requireAllFinished,
  type SmsDeliveryResult,
  type SmsOutcome,
} from '../shared/services/receive-sms.ts';
import { onFirstInvocation } from './wiring/on-first-invocation.ts';
import { sendSmsServices } from './wiring/sms.ts';

export interface ReceiveSmsHandlerDeps extends ReceiveSmsDeps {
  logger: Logger;
}

function logResult(logger: Logger, result: SmsDeliveryResult): void {
  const ids = { provider: result.sms.provider, messageId: result.sms.providerMessageId };
  if (result.status === 'failed') logger.error('sms not handled', { ...ids, error: result.error });
  else if (result.status === 'in_progress') logger.info('sms being handled by another delivery', ids);
  else if (result.outcome === 'reply_unconfirmed')
    logger.warn('sms finished without resending a reply that may not have gone out', ids);
  else logger.info('sms handled', { ...ids, outcome: result.outcome });
}

export const makeHandler = (deps: ReceiveSmsHandlerDeps) =>
  middy<SNSEvent, SmsOutcome[]>()
    .use(injectLambdaContext(deps.logger, { resetKeys: true }))
    .handler(async (event) => {
      const results = await receiveSmsBatch(parseAwsSnsEvent(event), deps);
      for (const result of results) logResult(deps.logger, result);
      // A failed message fails the invocation, so Lambda retries it (after about one and then
      // two minutes). A message another invocation is still processing needs nothing from this
      // one: SNS's duplicate deliveries are separate invocations, each retried on its own, so if
      // that one fails, its own retry comes back.
      requireAllFinished(results, { holderRetriedOnItsOwn: true });
      return results.map((r) => (r.status === 'finished' ? r.outcome : 'in_progress'));
    });

export const handler = onFirstInvocation(() => {
  const logger = createLogger('receive-sms');
  return makeHandler({
    logger,
    ...sendSmsServices(),
    onEffectFailed: (trackingCode, entry, outcome, error) =>
      logEffectFailure(logger, { trackingCode, entry, outcome, error }),
  });
});
