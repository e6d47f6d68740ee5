/**
 * PartnerKeys on DynamoDB (table `partners`): every partner in one partition (`pk = PARTNER`,
 * `sk = <partnerId>`), read with one GetItem per request and one Query for the admin's list; the
 * rate counters as `pk = RATE#<partnerId>`, `sk = <minute>`, one conditional ADD per request,
 * expiring by TTL (`expiresAt`).
 */
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { PartnerKeys, PartnerRecord } from '../ports/partner-keys.ts';
import * as z from '../schema.ts';
import { awsCall, conditionalWrite, partitionItems } from './aws-call.ts';

const PARTNER_PK = 'PARTNER';

const StoredPartner = z.object({
  partnerId: z.string(),
  name: z.string(),
  keyHash: z.string(),
  createdAt: z.string(),
  createdBy: z.string(),
  revokedAt: z.optional(z.string()),
  revokedBy: z.optional(z.string()),
});

const toRecord = (item: Record<string, unknown>): PartnerRecord => StoredPartner.parse(item);

export class DynamoDbPartnerKeys implements PartnerKeys {
  readonly #db: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(db: DynamoDBDocumentClient, tableName: string) {
    this.#db = db;
    this.#table = tableName;
  }

  async create(record: PartnerRecord): Promise<void> {
    await awsCall('creating a partner', () =>
      this.#db.send(
        new PutCommand({
          TableName: this.#table,
          Item: { pk: PARTNER_PK, sk: record.partnerId, ...record },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
  }

  async get(partnerId: string): Promise<PartnerRecord | undefined> {
    const out = await awsCall('reading a partner', () =>
      this.#db.send(new GetCommand({ TableName: this.#table, Key: { pk: PARTNER_PK, sk: partnerId } })),
    );
    return out.Item ? toRecord(out.Item) : undefined;
  }

  async list(): Promise<PartnerRecord[]> {
    const records: PartnerRecord[] = [];
    for await (const item of partitionItems(this.#db, this.#table, PARTNER_PK, 'listing partners')) {
      records.push(toRecord(item));
    }
    return records;
  }

  async revoke(partnerId: string, at: string, by: string): Promise<PartnerRecord | undefined> {
    const updated = await conditionalWrite('revoking a partner key', () =>
      this.#db.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: { pk: PARTNER_PK, sk: partnerId },
          UpdateExpression:
            'SET revokedAt = if_not_exists(revokedAt, :at), revokedBy = if_not_exists(revokedBy, :by)',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':at': at, ':by': by },
        }),
      ),
    );
    return updated ? this.get(partnerId) : undefined;
  }

  async admit(partnerId: string, window: string, limit: number, expiresAt: Date): Promise<boolean> {
    return conditionalWrite('counting a partner request', () =>
      this.#db.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: { pk: `RATE#${partnerId}`, sk: window },
          UpdateExpression: 'ADD requests :one SET expiresAt = :exp',
          ConditionExpression: 'attribute_not_exists(requests) OR requests < :limit',
          ExpressionAttributeValues: {
            ':one': 1,
            ':limit': limit,
            ':exp': Math.floor(expiresAt.getTime() / 1000),
          },
        }),
      ),
    );
  }
}
