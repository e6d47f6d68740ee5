/**
 * Policies (SLAs per category, the working calendar, the rating window) on DynamoDB, in the
 * directory table under the partition `POLICY`: three small items, read together in one Query.
 */
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { ServiceLevels } from '../domain/service-levels.ts';
import { KeywordTable } from '../domain/sms/classify-report.ts';
import { WorkingCalendar } from '../domain/working-calendar.ts';
import { DependencyError } from '../errors.ts';
import type { KeywordStore, Policies, PolicyReader, PolicyWriter } from '../ports/policies.ts';
import { defaultKeywordTable } from '../reference/report-keywords.ts';
import * as z from '../schema.ts';
import { awsCall, batchWriteAll, partitionItems } from './aws-call.ts';

const PK = 'POLICY';
const RatingWindow = z.int().check(z.minimum(1), z.maximum(30));

export class DynamoDbPolicies implements PolicyReader, PolicyWriter, KeywordStore {
  readonly #db: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(db: DynamoDBDocumentClient, tableName: string) {
    this.#db = db;
    this.#table = tableName;
  }

  async loadPolicies(): Promise<Policies> {
    const bySk = new Map<string, unknown>();
    for await (const item of partitionItems(this.#db, this.#table, PK, 'reading policies')) {
      bySk.set(String(item.sk), item.data);
    }
    if (!bySk.has('service-levels') || !bySk.has('calendar')) {
      throw new DependencyError('the case-handling policies have not been seeded');
    }
    return {
      serviceLevels: ServiceLevels.parse(bySk.get('service-levels')),
      calendar: WorkingCalendar.parse(bySk.get('calendar')),
      ratingWindowDays: RatingWindow.parse(bySk.get('rating-window') ?? 3),
    };
  }

  async writePolicies(policies: Policies): Promise<void> {
    const put = (sk: string, data: unknown) => ({ PutRequest: { Item: { pk: PK, sk, data } } });
    await batchWriteAll(
      this.#db,
      this.#table,
      [
        put('service-levels', policies.serviceLevels),
        put('calendar', policies.calendar),
        put('rating-window', policies.ratingWindowDays),
      ],
      'writing policies',
    );
  }

  /** The stored keyword table, or the default one until an admin has saved their own. */
  async loadKeywords(): Promise<KeywordTable> {
    const { Item } = await awsCall('reading the keyword table', () =>
      this.#db.send(new GetCommand({ TableName: this.#table, Key: { pk: PK, sk: 'keywords' } })),
    );
    return Item ? KeywordTable.parse(Item.data) : defaultKeywordTable;
  }

  async writeKeywords(table: KeywordTable): Promise<void> {
    await batchWriteAll(
      this.#db,
      this.#table,
      [{ PutRequest: { Item: { pk: PK, sk: 'keywords', data: table } } }],
      'writing the keyword table',
    );
  }
}
