/**
 * The queue of photos grid workers forwarded in WeChat Work, on SQS: each job is fetched from the
 * platform by attach-wecom-photos, off the callback's five seconds. The body is the job as JSON
 * (ASCII only: codes, a media id and a userid), its kind an attribute as on the other queues.
 */
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { WecomPhotoJob } from '../domain/wecom/worker-photos.ts';
import type { WecomPhotoQueue } from '../ports/wecom.ts';
import { awsCall } from './aws-call.ts';

export class SqsWecomPhotoQueue implements WecomPhotoQueue {
  readonly #sqs: SQSClient;
  readonly #queueUrl: string;

  constructor(sqs: SQSClient, queueUrl: string) {
    this.#sqs = sqs;
    this.#queueUrl = queueUrl;
  }

  async enqueue(job: WecomPhotoJob): Promise<void> {
    await awsCall('queueing the forwarded photo', () =>
      this.#sqs.send(
        new SendMessageCommand({
          QueueUrl: this.#queueUrl,
          MessageBody: JSON.stringify(job),
          MessageAttributes: { kind: { DataType: 'String', StringValue: job.kind } },
        }),
      ),
    );
  }
}
