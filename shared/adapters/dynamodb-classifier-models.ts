/**
 * The classifier's models on DynamoDB, in their own table: `pk = MODEL`, `sk = V#<10-digit
 * version>` for each version (its summary as attributes and the model as gzip-compressed JSON in
 * one binary attribute), `sk = ACTIVE` for the pointer. A model of 12,000 features takes about
 * 300 KB as JSON and well under half of that compressed, inside the 400 KB item limit; a model
 * that would not fit is refused rather than split.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { CategoryCode } from '../domain/categories.ts';
import { TextModel } from '../domain/sms/text-model.ts';
import { ValidationError } from '../errors.ts';
import type { ActiveModel, ClassifierModels, ModelSummary } from '../ports/classifier-models.ts';
import * as z from '../schema.ts';
import { awsCall, conditionalWrite } from './aws-call.ts';

const PK = 'MODEL';
const ACTIVE = 'ACTIVE';
const versionSk = (version: number) => `V#${String(version).padStart(10, '0')}`;
/** Room for the summary attributes beside the blob. */
export const MAX_MODEL_BYTES = 380_000;

const Rate = z.object({ precision: z.number(), coverage: z.number() });
const StoredSummary = z.object({
  version: z.int().check(z.positive()),
  trainedAt: z.string(),
  examples: z.int().check(z.nonnegative()),
  perCategory: z.partialRecord(CategoryCode, z.int().check(z.nonnegative())),
  measured: z.extend(Rate, { folds: z.int() }),
  keywordsOnly: Rate,
  threshold: z.number(),
  features: z.int().check(z.nonnegative()),
  storedBytes: z.int().check(z.nonnegative()),
  examplesDigest: z.string(),
});
const StoredPointer = z.object({
  version: z.optional(z.int().check(z.positive())),
  changedAt: z.string(),
  changedBy: z.string(),
});

const summaryOf = (item: Record<string, unknown>): ModelSummary => StoredSummary.parse(item);

export class DynamoDbClassifierModels implements ClassifierModels {
  readonly #db: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(db: DynamoDBDocumentClient, tableName: string) {
    this.#db = db;
    this.#table = tableName;
  }

  async active(): Promise<ActiveModel | undefined> {
    const { Item } = await awsCall('reading the active classifier model', () =>
      this.#db.send(
        new GetCommand({ TableName: this.#table, Key: { pk: PK, sk: ACTIVE }, ConsistentRead: true }),
      ),
    );
    return Item ? StoredPointer.parse(Item) : undefined;
  }

  async load(version: number): Promise<{ summary: ModelSummary; model: TextModel } | undefined> {
    const { Item } = await awsCall('reading a classifier model', () =>
      this.#db.send(new GetCommand({ TableName: this.#table, Key: { pk: PK, sk: versionSk(version) } })),
    );
    if (!Item) return undefined;
    const blob = Item.model;
    if (!(blob instanceof Uint8Array))
      throw new TypeError(`classifier model ${version} has no model attribute`);
    const model = TextModel.parse(JSON.parse(gunzipSync(blob).toString('utf8')));
    return { summary: summaryOf(Item), model };
  }

  async list(limit: number): Promise<ModelSummary[]> {
    const out = await awsCall('listing classifier models', () =>
      this.#db.send(
        new QueryCommand({
          TableName: this.#table,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :v)',
          ExpressionAttributeValues: { ':pk': PK, ':v': 'V#' },
          // Everything but the model itself.
          ProjectionExpression:
            'version, trainedAt, examples, perCategory, measured, keywordsOnly, threshold, features, storedBytes, examplesDigest',
          ScanIndexForward: false,
          Limit: limit,
        }),
      ),
    );
    return (out.Items ?? []).map(summaryOf);
  }

  async save(
    summary: Omit<ModelSummary, 'version' | 'storedBytes'>,
    model: TextModel,
  ): Promise<ModelSummary> {
    const blob = gzipSync(Buffer.from(JSON.stringify(model), 'utf8'), { level: 9 });
    if (blob.byteLength > MAX_MODEL_BYTES) {
      throw new ValidationError(
        `the model takes ${blob.byteLength} bytes compressed, over ${MAX_MODEL_BYTES}`,
        [{ path: 'model', message: 'too large to store; train with fewer features' }],
      );
    }
    // The next number after the newest; two trainers at once: the loser's conditional put fails and it retries.
    for (let attempt = 0; attempt < 5; attempt++) {
      const [newest] = await this.list(1);
      const stored: ModelSummary = {
        ...summary,
        version: (newest?.version ?? 0) + 1,
        storedBytes: blob.byteLength,
      };
      const written = await conditionalWrite('storing a classifier model', () =>
        this.#db.send(
          new PutCommand({
            TableName: this.#table,
            Item: { pk: PK, sk: versionSk(stored.version), ...stored, model: blob },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        ),
      );
      if (written) return stored;
    }
    throw new Error('could not allocate a classifier model version');
  }

  async activate(
    version: number | undefined,
    expected: ActiveModel | undefined,
    changedBy: string,
    at: string,
  ): Promise<boolean> {
    const item = {
      pk: PK,
      sk: ACTIVE,
      ...(version === undefined ? {} : { version }),
      changedAt: at,
      changedBy,
    };
    return conditionalWrite('switching the classifier model', () =>
      this.#db.send(
        new PutCommand({
          TableName: this.#table,
          Item: item,
          ...(expected === undefined
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : {
                ConditionExpression: 'changedAt = :at',
                ExpressionAttributeValues: { ':at': expected.changedAt },
              }),
        }),
      ),
    );
  }
}
