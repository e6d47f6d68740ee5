/**
 * The classifier's labelled examples on DynamoDB, in the cases table beside the cases they come
 * from: `pk = EXAMPLE#<YYYY-MM>` (the month the case was reported), `sk = <tracking code>`, with
 * the text and the label only. A month is one partition the trainer reads with a Query; the
 * case's own writers (its effects, its anonymisation) derive the key from the case alone. Never
 * `sk = STATE`, so the scans over cases skip them.
 */
import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { CategoryCode } from '../domain/categories.ts';
import type { TrainingExample, TrainingExampleSource } from '../ports/training-examples.ts';
import * as z from '../schema.ts';
import { awsCall } from './aws-call.ts';

const monthPk = (month: string) => `EXAMPLE#${month}`;

/** The key of a case's example, from its tracking code and when it was reported. */
export const trainingExampleKey = (trackingCode: string, submittedAt: string) => ({
  pk: monthPk(submittedAt.slice(0, 7)),
  sk: trackingCode,
});

/** The stored item of an example. */
export const trainingExampleItem = (example: TrainingExample) => ({
  ...trainingExampleKey(example.trackingCode, example.submittedAt),
  text: example.text,
  label: example.label,
  labelledAt: example.labelledAt,
});

const StoredExample = z.object({ sk: z.string(), text: z.string(), label: CategoryCode });

export class DynamoDbTrainingExamples implements TrainingExampleSource {
  readonly #db: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(db: DynamoDBDocumentClient, tableName: string) {
    this.#db = db;
    this.#table = tableName;
  }

  async examplesOfMonth(month: string) {
    const examples: Array<{ trackingCode: string; text: string; label: CategoryCode }> = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await awsCall('reading training examples', () =>
        this.#db.send(
          new QueryCommand({
            TableName: this.#table,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': monthPk(month) },
            ProjectionExpression: 'sk, #text, label',
            ExpressionAttributeNames: { '#text': 'text' },
            ExclusiveStartKey: startKey,
          }),
        ),
      );
      for (const item of page.Items ?? []) {
        const parsed = StoredExample.safeParse(item);
        if (parsed.success)
          examples.push({ trackingCode: parsed.data.sk, text: parsed.data.text, label: parsed.data.label });
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return examples;
  }
}
