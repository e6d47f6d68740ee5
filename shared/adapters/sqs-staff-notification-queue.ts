/** The staff notifier's queue on SQS: one message per notification, its body the zod-typed JSON. */
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { StaffNotification } from '../domain/staff-notification.ts';
import type { StaffNotificationQueue } from '../ports/staff-notifications.ts';
import { awsCall } from './aws-call.ts';

export class SqsStaffNotificationQueue implements StaffNotificationQueue {
  readonly #sqs: SQSClient;
  readonly #queueUrl: string;

  constructor(sqs: SQSClient, queueUrl: string) {
    this.#sqs = sqs;
    this.#queueUrl = queueUrl;
  }

  async enqueue(notification: StaffNotification): Promise<void> {
    await awsCall('queueing the staff notification', () =>
      this.#sqs.send(
        new SendMessageCommand({
          QueueUrl: this.#queueUrl,
          MessageBody: JSON.stringify(notification),
          MessageAttributes: { about: { DataType: 'String', StringValue: notification.about } },
        }),
      ),
    );
  }
}
