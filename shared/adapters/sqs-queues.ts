/**
 * The intake, dispatch and outreach queue ports on SQS. Bodies are the zod-typed messages as JSON; the
 * message type travels as an attribute too, so a department's consumer can filter without parsing.
 */
import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { UnitQueueMessage } from '../domain/case.ts';
import type { OutreachBatch, PlanRun } from '../domain/outreach/campaign.ts';
import type { ReportSubmitted } from '../domain/report.ts';
import { ConfigError, DependencyError } from '../errors.ts';
import type { DispatchQueue } from '../ports/dispatch-queue.ts';
import type { IntakeQueue } from '../ports/intake-queue.ts';
import type { OutreachQueue, PlanQueue } from '../ports/outreach.ts';
import { awsCall } from './aws-call.ts';
import { sendQueueMessage } from './sqs-message.ts';

export class SqsIntakeQueue implements IntakeQueue {
  readonly #sqs: SQSClient;
  readonly #queueUrl: string;

  constructor(sqs: SQSClient, queueUrl: string) {
    this.#sqs = sqs;
    this.#queueUrl = queueUrl;
  }

  async enqueue(message: ReportSubmitted): Promise<void> {
    await sendQueueMessage(this.#sqs, this.#queueUrl, message, 'queueing the report');
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
    await sendQueueMessage(this.#sqs, url, message, `dispatching to ${to}`);
  }
}

/** The outreach batch queue: SendMessageBatch ten at a time, retrying entries SQS turned away. */
export class SqsOutreachQueue implements OutreachQueue {
  readonly #sqs: SQSClient;
  readonly #queueUrl: string;

  constructor(sqs: SQSClient, queueUrl: string) {
    this.#sqs = sqs;
    this.#queueUrl = queueUrl;
  }

  async enqueue(batches: OutreachBatch[]): Promise<void> {
    for (let i = 0; i < batches.length; i += 10) {
      let pending = batches.slice(i, i + 10).map((batch, n) => ({ Id: String(n), batch }));
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt === 5) throw new DependencyError('queueing outreach batches kept failing');
        const out = await awsCall('queueing outreach batches', () =>
          this.#sqs.send(
            new SendMessageBatchCommand({
              QueueUrl: this.#queueUrl,
              Entries: pending.map(({ Id, batch }) => ({ Id, MessageBody: JSON.stringify(batch) })),
            }),
          ),
        );
        const failed = new Set((out.Failed ?? []).map((f) => f.Id));
        pending = pending.filter((p) => failed.has(p.Id));
        if (pending.length > 0) await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** attempt));
      }
    }
  }
}

export class SqsPlanQueue implements PlanQueue {
  readonly #sqs: SQSClient;
  readonly #queueUrl: string;

  constructor(sqs: SQSClient, queueUrl: string) {
    this.#sqs = sqs;
    this.#queueUrl = queueUrl;
  }

  async requestPlanning(message: PlanRun): Promise<void> {
    await sendQueueMessage(this.#sqs, this.#queueUrl, message, 'requesting outreach planning');
  }
}
