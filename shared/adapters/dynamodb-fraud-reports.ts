/**
 * The fraud-report counts per community per Asia/Shanghai day, read by the outreach risk ranking
 * and the campaign-effect reports. They live in the statistics' fraud-intake bucket
 * (`COUNTS#~fraud-intake`, one item per day, a counter `fr|<communityId>` per community), which
 * the stats store adds to in the same write that counts a new fraud case (see
 * case-statistics.ts `statsBucketOf`), so a report costs no write of its own. Reading a range of
 * days is one (paged) Query of that partition, never a Scan. `record` enters a report directly,
 * once per tracking code, for seeding and tests.
 */
import { type DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { counterName, FRAUD_INTAKE_BUCKET } from '../domain/case-statistics.ts';
import type { DailyFraudCounts, FraudReportLedger, FraudReportReader } from '../ports/fraud-reports.ts';
import { awsCall, conditionalWrite } from './aws-call.ts';
import { bucketPk, DAY_PREFIX } from './dynamodb-stats-store.ts';

const PK = bucketPk(FRAUD_INTAKE_BUCKET);
const COUNTER_PREFIX = counterName.fraudReports('');
const DAY = /^\d{4}-\d{2}-\d{2}$/;

export class DynamoDbFraudReports implements FraudReportLedger, FraudReportReader {
  readonly #db: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(db: DynamoDBDocumentClient, tableName: string) {
    this.#db = db;
    this.#table = tableName;
  }

  async record(communityId: string, day: string, trackingCode: string): Promise<void> {
    assertDay(day);
    const id = `${trackingCode}#fraud`;
    await conditionalWrite('recording a fraud report', () =>
      this.#db.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: { pk: PK, sk: `${DAY_PREFIX}${day}` },
          // Community ids contain hyphens, which an expression cannot name directly.
          UpdateExpression: 'ADD #counter :one, applied :ids',
          ConditionExpression: 'NOT contains(applied, :id)',
          ExpressionAttributeNames: { '#counter': counterName.fraudReports(communityId) },
          ExpressionAttributeValues: { ':one': 1, ':id': id, ':ids': new Set([id]) },
        }),
      ),
    );
  }

  async dailyCounts(fromDay: string, toDay: string): Promise<DailyFraudCounts> {
    assertDay(fromDay);
    assertDay(toDay);
    const counts: DailyFraudCounts = {};
    // DynamoDB rejects a BETWEEN whose bounds are reversed; an empty range simply has no reports.
    if (fromDay > toDay) return counts;
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await awsCall('reading fraud reports', () =>
        this.#db.send(
          new QueryCommand({
            TableName: this.#table,
            KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
            ExpressionAttributeValues: {
              ':pk': PK,
              ':from': `${DAY_PREFIX}${fromDay}`,
              ':to': `${DAY_PREFIX}${toDay}`,
            },
            ExclusiveStartKey: startKey,
          }),
        ),
      );
      for (const item of page.Items ?? []) {
        const day = String(item.sk).slice(DAY_PREFIX.length);
        const byCommunity: Record<string, number> = {};
        for (const [name, value] of Object.entries(item)) {
          if (!name.startsWith(COUNTER_PREFIX) || typeof value !== 'number' || value <= 0) continue;
          byCommunity[name.slice(COUNTER_PREFIX.length)] = value;
        }
        if (Object.keys(byCommunity).length > 0) counts[day] = byCommunity;
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return counts;
  }
}

function assertDay(day: string): void {
  if (!DAY.test(day)) throw new RangeError(`not a date as YYYY-MM-DD: ${day}`);
}
