/**
 * Polling requests of WeChat-group runs on the outreach-plan queue, each delayed (SQS holds a
 * message back up to 900 s), so one request is one round and the chain paces itself.
 */
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { PollGroupRun } from '../domain/outreach/campaign.ts';
import type { GroupPollQueue } from '../ports/group-mass-send.ts';
import { sendQueueMessage } from './sqs-message.ts';

export class SqsGroupPollQueue implements GroupPollQueue {
  readonly #sqs: SQSClient;
  readonly #queueUrl: string;

  constructor(sqs: SQSClient, queueUrl: string) {
    this.#sqs = sqs;
    this.#queueUrl = queueUrl;
  }

  async requestPolling(message: PollGroupRun, delaySeconds: number): Promise<void> {
    await sendQueueMessage(
      this.#sqs,
      this.#queueUrl,
      message,
      'requesting a group run’s polling',
      delaySeconds,
    );
  }
}
