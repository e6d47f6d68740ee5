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
import { sendSmsServices } from '../shared/adapters/sms-services.ts';
import { createLogger } from '../shared/logger.ts';
import { type ReceiveSmsDeps, receiveSms, type SmsOutcome } from '../shared/services/receive-sms.ts';

export interface ReceiveSmsHandlerDeps extends ReceiveSmsDeps {
  logger: Logger;
}

export const makeHandler = (deps: ReceiveSmsHandlerDeps) =>
  middy<SNSEvent, SmsOutcome[]>()
    .use(injectLambdaContext(deps.logger, { resetKeys: true }))
    .handler(async (event) => {
      const outcomes: SmsOutcome[] = [];
      for (const sms of parseAwsSnsEvent(event)) {
        const outcome = await receiveSms(sms, deps);
        deps.logger.info('sms handled', {
          provider: sms.provider,
          messageId: sms.providerMessageId,
          outcome,
        });
        outcomes.push(outcome);
      }
      return outcomes;
    });

export const handler = makeHandler({ logger: createLogger('receive-sms'), ...sendSmsServices() });
