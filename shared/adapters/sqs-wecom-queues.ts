/**
 * The WeChat Work channel's two queues on SQS: photos grid workers forwarded (fetched by
 * attach-wecom-photos, off the callback's five seconds) and case changes to relay to them (sent
 * by relay-to-workers). Bodies are the messages as JSON (ASCII codes and ids, a unit's name), the
 * kind an attribute as on the other queues.
 */
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { WecomPhotoJob } from '../domain/wecom/worker-photos.ts';
import type { WorkerRelay } from '../domain/wecom/worker-relays.ts';
import type { WecomPhotoQueue, WorkerRelayQueue } from '../ports/wecom.ts';
import { sendQueueMessage } from './sqs-message.ts';

export class SqsWecomPhotoQueue implements WecomPhotoQueue {
  readonly #sqs: SQSClient;
  readonly #queueUrl: string;

  constructor(sqs: SQSClient, queueUrl: string) {
    this.#sqs = sqs;
    this.#queueUrl = queueUrl;
  }

  async enqueue(job: WecomPhotoJob): Promise<void> {
    await sendQueueMessage(this.#sqs, this.#queueUrl, job, 'queueing the forwarded photo');
  }
}

export class SqsWorkerRelayQueue implements WorkerRelayQueue {
  readonly #sqs: SQSClient;
  readonly #queueUrl: string;

  constructor(sqs: SQSClient, queueUrl: string) {
    this.#sqs = sqs;
    this.#queueUrl = queueUrl;
  }

  async enqueue(relay: WorkerRelay): Promise<void> {
    await sendQueueMessage(this.#sqs, this.#queueUrl, relay, "queueing the worker's relay");
  }
}
