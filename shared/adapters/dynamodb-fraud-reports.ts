/**
 * The fraud-report ledger on DynamoDB, in the `stats` table beside the case counters but in its
 * own partition `FRAUD`, so the counters' one-partition read never sees it. One item per
 * Asia/Shanghai day (sk `DAY#YYYY-MM-DD`) with one string set per community (attribute
 * `C#<communityId>`) holding the tracking codes of that day's fraud reports there. Set ADD is
 * idempotent, so a replayed case creation counts once. A day's item stays far below DynamoDB's
 * 400 KB item limit: the whole county files tens of fraud reports a day, ~10 bytes each.
 * Reading a range of days is one (paged) Query of the partition, never a Scan.
 */
import { type DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DailyFraudCounts, FraudReportLedger, FraudReportReader } from '../ports/fraud-reports.ts';
import { awsCall } from './aws-call.ts';

const PK = 'FRAUD';
const DAY_PREFIX = 'DAY#';
/** Prefixed so a community id can never collide with the key attributes `pk` and `sk`. */
const COMMUNITY_PREFIX = 'C#';
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
    await awsCall('recording a fraud report', () =>
      this.#db.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: { pk: PK, sk: `${DAY_PREFIX}${day}` },
          // Community ids contain hyphens, which an expression cannot name directly.
          UpdateExpression: 'ADD #community :code',
          ExpressionAttributeNames: { '#community': `${COMMUNITY_PREFIX}${communityId}` },
          ExpressionAttributeValues: { ':code': new Set([trackingCode]) },
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
          if (!name.startsWith(COMMUNITY_PREFIX) || !(value instanceof Set) || value.size === 0) continue;
          byCommunity[name.slice(COMMUNITY_PREFIX.length)] = value.size;
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
