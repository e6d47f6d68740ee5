/**
 * One message onto an SQS queue, as every queue port of ours sends it: the zod-typed message as
 * JSON, its `kind` also as an attribute (a consumer can filter without parsing), an optional delay
 * (SQS holds a message back up to 900 s).
 */
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { awsCall } from './aws-call.ts';

/** SQS's longest delay. */
const MAX_DELAY_SECONDS = 900;

export const sendQueueMessage = (
  sqs: SQSClient,
  queueUrl: string,
  message: { kind: string },
  what: string,
  delaySeconds?: number,
) =>
  awsCall(what, () =>
    sqs.send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: JSON.stringify(message),
        MessageAttributes: { kind: { DataType: 'String', StringValue: message.kind } },
        ...(delaySeconds === undefined
          ? {}
          : { DelaySeconds: Math.max(0, Math.min(MAX_DELAY_SECONDS, Math.round(delaySeconds))) }),
      }),
    ),
  );
