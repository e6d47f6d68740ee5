/**
 * SendPacer on DynamoDB: a fixed one-second window shared by every concurrent sender. Each send
 * adds one to the current second's item if it is under the limit; when the second is full the
 * sender waits for the next one. One conditional write per message; items expire by TTL.
 */
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { SendPacer } from '../ports/outreach.ts';
import { conditionalWrite } from './aws-call.ts';

export interface SendPacerOptions {
  messagesPerSecond: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export class DynamoDbSendPacer implements SendPacer {
  readonly #db: DynamoDBDocumentClient;
  readonly #table: string;
  readonly #limit: number;
  readonly #now: () => number;
  readonly #sleep: (ms: number) => Promise<void>;

  constructor(db: DynamoDBDocumentClient, tableName: string, options: SendPacerOptions) {
    this.#db = db;
    this.#table = tableName;
    this.#limit = options.messagesPerSecond;
    this.#now = options.now ?? Date.now;
    this.#sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  async acquire(): Promise<void> {
    for (;;) {
      const now = this.#now();
      const second = Math.floor(now / 1000);
      const admitted = await conditionalWrite('pacing outreach', () =>
        this.#db.send(
          new UpdateCommand({
            TableName: this.#table,
            Key: { pk: `PACE#${second}`, sk: 'PACE' },
            UpdateExpression: 'ADD sent :one SET expiresAt = :exp',
            ConditionExpression: 'attribute_not_exists(sent) OR sent < :limit',
            ExpressionAttributeValues: { ':one': 1, ':limit': this.#limit, ':exp': second + 3600 },
          }),
        ),
      );
      if (admitted) return;
      await this.#sleep((second + 1) * 1000 - now);
    }
  }
}
