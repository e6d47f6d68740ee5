/**
 * Polling requests of WeChat-group runs on the outreach-plan queue, each delayed (SQS holds a
 * message back up to 900 s), so one request is one round and the chain paces itself.
 */
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { PollGroupRun } from '../domain/outreach/campaign.ts';
import type { GroupPollQueue } from '../ports/group-mass-send.ts';
import { awsCall } from './aws-call.ts';

/** SQS's longest delay. */
const MAX_DELAY_SECONDS = 900;

export class SqsGroupPollQueue implements GroupPollQueue {
  readonly #sqs: SQSClient;
  readonly #queueUrl: string;

  constructor(sqs: SQSClient, queueUrl: string) {
    this.#sqs = sqs;
    this.#queueUrl = queueUrl;
  }

  async requestPolling(message: PollGroupRun, delaySeconds: number): Promise<void> {
    await awsCall('requesting a group run’s polling', () =>
      this.#sqs.send(
        new SendMessageCommand({
          QueueUrl: this.#queueUrl,
          MessageBody: JSON.stringify(message),
          MessageAttributes: { kind: { DataType: 'String', StringValue: message.kind } },
          DelaySeconds: Math.max(0, Math.min(MAX_DELAY_SECONDS, Math.round(delaySeconds))),
        }),
      ),
    );
  }
}
