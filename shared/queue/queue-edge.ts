/**
 * The SQS edge every queue consumer wears, as httpEdge is the API functions': Powertools logging
 * with the Lambda context, each record on its own (its body parsed with the message's zod schema,
 * so a malformed one fails naming its fields), one log line per record with ids and counts only
 * (never a body, phone or name), and partial batch failures through Powertools' BatchProcessor:
 * a record that throws is reported back and redelivered (then dead-lettered), the others are
 * deleted. Consumers are idempotent, so redelivery is safe.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { ValidationError } from '../errors.ts';
import type * as z from '../schema.ts';
import { parseMessageBody } from './message-body.ts';

/** Log fields: ids, codes, counts and outcomes; never personal data. */
export type LogFields = Record<string, unknown>;

/** The delivery a message came in: what a consumer may need besides the message. */
export interface Delivery {
  messageId: string;
  /** How many times SQS has handed this record out, this time included. */
  receiveCount: number;
  context: Context;
}

export interface QueueEdgeOptions<S extends z.core.$ZodType> {
  logger: Logger;
  /** The message's schema and its name in errors, e.g. 'The intake message'. */
  message: { schema: S; what: string };
  /** Handles one parsed message and answers the fields to log; throws to have it redelivered. */
  handle: (message: z.infer<S>, delivery: Delivery) => Promise<LogFields>;
  /** The log line for a handled record, and for a failed one (logged at `failed.level`). */
  log: { handled: string; failed: { message: string; level: 'warn' | 'error' } };
  /** Ids that name a parsed message in its log lines ('Delivery' fields are added by the edge). */
  identify?: (message: z.infer<S>) => LogFields;
}

/** The whole Lambda handler for an SQS event source mapping with ReportBatchItemFailures. */
export function queueEdge<S extends z.core.$ZodType>({
  logger,
  message: { schema, what },
  handle,
  log,
  identify,
}: QueueEdgeOptions<S>) {
  const processor = new BatchProcessor(EventType.SQS);
  const handleRecord = (context: Context) => async (record: SQSRecord) => {
    const delivery: Delivery = {
      messageId: record.messageId,
      receiveCount: Number(record.attributes.ApproximateReceiveCount),
      context,
    };
    let ids: LogFields = { messageId: delivery.messageId };
    try {
      const message = parseMessageBody(schema, record.body, what);
      ids = { ...ids, ...identify?.(message) };
      const fields = await handle(message, delivery);
      logger.info(log.handled, { ...ids, ...fields, receiveCount: delivery.receiveCount });
    } catch (error) {
      // Reported back as a partial batch failure; logged here so the reason is not lost, with the
      // fields at fault (never the body).
      logger[log.failed.level](log.failed.message, {
        ...ids,
        receiveCount: delivery.receiveCount,
        error,
        ...(error instanceof ValidationError ? { issues: error.issues } : {}),
      });
      throw error;
    }
  };
  return middy<SQSEvent, SQSBatchResponse>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler((event, context) =>
      processPartialResponse(event, handleRecord(context), processor, {
        context,
        throwOnFullBatchFailure: false,
      }),
    );
}
