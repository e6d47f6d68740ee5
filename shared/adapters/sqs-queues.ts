/**
 * The intake and dispatch queue ports on SQS. Bodies are the zod-typed messages as JSON; the
 * message type travels as an attribute too, so a department's consumer can filter without parsing.
 */
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { UnitQueueMessage } from '../domain/case.ts';
import type { ReportSubmitted } from '../domain/report.ts';
import { ConfigError } from '../errors.ts';
import type { DispatchQueue } from '../ports/dispatch-queue.ts';
import type { IntakeQueue } from '../ports/intake-queue.ts';
import { awsCall } from './aws-call.ts';

const send = (sqs: SQSClient, queueUrl: string, message: { kind: string }, what: string) =>
  awsCall(what, () =>
    sqs.send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: JSON.stringify(message),
        MessageAttributes: { kind: { DataType: 'String', StringValue: message.kind } },
      }),
    ),
  );

export class SqsIntakeQueue implements IntakeQueue {
  readonly #sqs: SQSClient;
  readonly #queueUrl: string;

  constructor(sqs: SQSClient, queueUrl: string) {
    this.#sqs = sqs;
    this.#queueUrl = queueUrl;
  }

  async enqueue(message: ReportSubmitted): Promise<void> {
    await send(this.#sqs, this.#queueUrl, message, 'queueing the report');
  }
}

export class SqsDispatchQueue implements DispatchQueue {
  readonly #sqs: SQSClient;
  readonly #queueUrls: Readonly<Record<string, string>>;

  constructor(sqs: SQSClient, queueUrls: Readonly<Record<string, string>>) {
    this.#sqs = sqs;
    this.#queueUrls = queueUrls;
  }

  serves(unitId: string): boolean {
    return Object.hasOwn(this.#queueUrls, unitId);
  }

  async dispatch(to: string, message: UnitQueueMessage): Promise<void> {
    const url = this.#queueUrls[to];
    if (!url) throw new ConfigError(`no queue is configured for unit ${to}`);
    await send(this.#sqs, url, message, `dispatching to ${to}`);
  }
}
