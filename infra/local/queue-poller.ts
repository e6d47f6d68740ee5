/**
 * The local stand-in for Lambda's SQS event source mapping: long-polls a queue, invokes the
 * consumer with a real SQS batch event, deletes what succeeded, and leaves failures to reappear
 * after the visibility timeout — and to move to the DLQ after maxReceiveCount, which fauxqs
 * enforces from the redrive policy, as SQS does.
 */
import {
  DeleteMessageBatchCommand,
  type Message,
  type MessageAttributeValue,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSEvent, SQSMessageAttributes, SQSRecord } from 'aws-lambda';
import * as z from '../../shared/schema.ts';
import type { HostedFunction } from './function-host.ts';

const BatchResponse = z.object({
  batchItemFailures: z.array(z.object({ itemIdentifier: z.string() })),
});

export interface PollerOptions {
  sqs: SQSClient;
  queueUrl: string;
  queueArn: string;
  fn: HostedFunction;
  batchSize: number;
  /** Parallel pollers, like the several batches Lambda runs at once for a busy queue. */
  concurrency: number;
  onError?: (error: unknown) => void;
}

const toLambdaAttributes = (
  attributes: Record<string, MessageAttributeValue> | undefined,
): SQSMessageAttributes => {
  const out: SQSMessageAttributes = {};
  for (const [name, value] of Object.entries(attributes ?? {})) {
    out[name] = {
      dataType: value.DataType ?? 'String',
      stringValue: value.StringValue,
      binaryValue: value.BinaryValue ? Buffer.from(value.BinaryValue).toString('base64') : undefined,
      stringListValues: [],
      binaryListValues: [],
    };
  }
  return out;
};

/** A received message as Lambda's event source mapping hands it to the function. */
export function toRecord(message: Message, queueArn: string): SQSRecord {
  const a = message.Attributes ?? {};
  return {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    attributes: {
      ApproximateReceiveCount: a.ApproximateReceiveCount ?? '1',
      SentTimestamp: a.SentTimestamp ?? String(Date.now()),
      SenderId: a.SenderId ?? '000000000000',
      ApproximateFirstReceiveTimestamp: a.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
    },
    messageAttributes: toLambdaAttributes(message.MessageAttributes),
    md5OfBody: message.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: 'us-east-1',
  };
}

/** Ids of the records to delete after an invocation, following Lambda's partial-batch rules. */
export function succeededIds(records: SQSRecord[], result: unknown): string[] {
  const parsed = BatchResponse.safeParse(result);
  if (!parsed.success) return records.map((r) => r.messageId);
  const failed = new Set(parsed.data.batchItemFailures.map((f) => f.itemIdentifier));
  return records.filter((r) => !failed.has(r.messageId)).map((r) => r.messageId);
}

export function startQueuePoller(options: PollerOptions): { stop(): Promise<void> } {
  const abort = new AbortController();
  const pollOnce = async () => {
    const { Messages = [] } = await options.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: options.queueUrl,
        MaxNumberOfMessages: Math.min(10, options.batchSize),
        WaitTimeSeconds: 2,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
      { abortSignal: abort.signal },
    );
    if (Messages.length === 0) return;
    const records = Messages.map((m) => toRecord(m, options.queueArn));
    const event: SQSEvent = { Records: records };
    let result: unknown;
    try {
      result = await options.fn.invoke(event);
    } catch (error) {
      // The whole batch failed: nothing is deleted, every message comes back later.
      options.onError?.(error);
      return;
    }
    const ok = new Set(succeededIds(records, result));
    const entries = Messages.filter((m) => m.MessageId && ok.has(m.MessageId)).map((m) => ({
      Id: m.MessageId ?? '',
      ReceiptHandle: m.ReceiptHandle ?? '',
    }));
    if (entries.length) {
      await options.sqs.send(new DeleteMessageBatchCommand({ QueueUrl: options.queueUrl, Entries: entries }));
    }
  };
  const loop = async () => {
    while (!abort.signal.aborted) {
      try {
        await pollOnce();
      } catch (error) {
        if (abort.signal.aborted) return;
        options.onError?.(error);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  };
  const loops = Array.from({ length: options.concurrency }, loop);
  return {
    async stop() {
      abort.abort();
      await Promise.allSettled(loops);
    },
  };
}
