/**
 * SubmissionLedger on DynamoDB (table `idempotency`, key `id`, TTL attribute `expiration`): one
 * PutItem per keyed submission, conditional on the key being new or used with the same body. A
 * retry rewrites the same item, so it costs what the first write did and nothing grows.
 */
import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { SubmissionLedger } from '../ports/submission-ledger.ts';
import { conditionalWrite } from './aws-call.ts';

/** How long a retry with the same key is recognised. */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;

export class DynamoDbSubmissionLedger implements SubmissionLedger {
  readonly #db: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(db: DynamoDBDocumentClient, tableName: string) {
    this.#db = db;
    this.#table = tableName;
  }

  async record(keyHash: string, fingerprint: string, now: Date): Promise<'accepted' | 'conflict'> {
    const accepted = await conditionalWrite('recording the idempotency key', () =>
      this.#db.send(
        new PutCommand({
          TableName: this.#table,
          Item: {
            id: keyHash,
            fingerprint,
            expiration: Math.floor(now.getTime() / 1000) + IDEMPOTENCY_TTL_SECONDS,
          },
          ConditionExpression: 'attribute_not_exists(id) OR fingerprint = :fingerprint',
          ExpressionAttributeValues: { ':fingerprint': fingerprint },
        }),
      ),
    );
    return accepted ? 'accepted' : 'conflict';
  }
}
