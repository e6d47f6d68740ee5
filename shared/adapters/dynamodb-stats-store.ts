/**
 * StatsStore on DynamoDB (table `stats`, one partition `STATS`). Items hold string sets:
 * `STAGE#<stage>#UNIT#<id>` and `STAGE#<stage>#COMMUNITY#<id>` hold the codes of the cases in that
 * stage there; `DURATION#<stage>` holds `code|since|ms` entries; `RATING#UNIT#<id>` holds
 * `code|score`; `OVERDUE#UNIT#<id>` holds codes. Set ADD/DELETE are idempotent, so a replayed
 * change leaves the counts as they were. Reading is one Query of that partition.
 * A fraud case's creation is also entered in the fraud-report ledger (partition `FRAUD` of the
 * same table, see dynamodb-fraud-reports.ts), which the snapshot's query never reads.
 */
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { Stage } from '../domain/case.ts';
import { shanghaiDay } from '../domain/outreach/shanghai-time.ts';
import type { FraudReportLedger } from '../ports/fraud-reports.ts';
import type { StatsChange, StatsSnapshot, StatsStore } from '../ports/stats-store.ts';
import { awsCall, partitionItems } from './aws-call.ts';
import { DynamoDbFraudReports } from './dynamodb-fraud-reports.ts';

const PK = 'STATS';

export class DynamoDbStatsStore implements StatsStore {
  readonly #db: DynamoDBDocumentClient;
  readonly #table: string;
  readonly #fraudReports: FraudReportLedger;

  constructor(
    db: DynamoDBDocumentClient,
    tableName: string,
    fraudReports: FraudReportLedger = new DynamoDbFraudReports(db, tableName),
  ) {
    this.#db = db;
    this.#table = tableName;
    this.#fraudReports = fraudReports;
  }

  #update(sk: string, op: 'ADD' | 'DELETE', value: string) {
    return awsCall('updating statistics', () =>
      this.#db.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: { pk: PK, sk },
          UpdateExpression: `${op} members :m`,
          ExpressionAttributeValues: { ':m': new Set([value]) },
        }),
      ),
    );
  }

  async record(change: StatsChange): Promise<void> {
    const { trackingCode: code, from, to, communityId } = change;
    const writes: Promise<unknown>[] = [];
    // Removing from and adding to the same item at once would race, so unchanged ones are skipped.
    if (from.stage !== to.stage || from.unitId !== to.unitId) {
      writes.push(this.#update(`STAGE#${from.stage}#UNIT#${from.unitId}`, 'DELETE', code));
      writes.push(this.#update(`STAGE#${to.stage}#UNIT#${to.unitId}`, 'ADD', code));
    }
    if (from.stage !== to.stage) {
      writes.push(this.#update(`STAGE#${from.stage}#COMMUNITY#${communityId}`, 'DELETE', code));
      writes.push(this.#update(`STAGE#${to.stage}#COMMUNITY#${communityId}`, 'ADD', code));
    }
    if (from.stage !== to.stage) {
      const ms = Math.max(0, Date.parse(change.at) - Date.parse(from.since));
      writes.push(this.#update(`DURATION#${from.stage}`, 'ADD', `${code}|${from.since}|${ms}`));
    }
    if (change.rating !== undefined)
      writes.push(this.#update(`RATING#UNIT#${to.unitId}`, 'ADD', `${code}|${change.rating}`));
    if (change.escalated) writes.push(this.#update(`OVERDUE#UNIT#${to.unitId}`, 'ADD', code));
    // Leaving `received` happens once per case, at its creation; the report counts on the day the
    // resident submitted it (Asia/Shanghai), not the day routing got round to it.
    if (from.stage === 'received' && change.category === 'fraud') {
      writes.push(this.#fraudReports.record(communityId, shanghaiDay(from.since), code));
    }
    await Promise.all(writes);
  }

  async snapshot(): Promise<StatsSnapshot> {
    const snapshot: StatsSnapshot = {
      byStage: {},
      byUnit: {},
      byCommunity: {},
      overdueByUnit: {},
      meanMsInStage: {},
      satisfaction: { ratings: 0, mean: null, byUnit: {} },
    };
    const durations: Partial<Record<Stage, number[]>> = {};
    const ratings: Record<string, number[]> = {};
    for await (const item of partitionItems(this.#db, this.#table, PK, 'reading statistics')) {
      const sk = String(item.sk);
      const members = item.members instanceof Set ? [...item.members].map(String) : [];
      const [kind, a, b, c] = sk.split('#');
      if (kind === 'STAGE' && a && c) {
        const stage = Stage.safeParse(a);
        if (!stage.success) continue;
        const table = b === 'UNIT' ? snapshot.byUnit : snapshot.byCommunity;
        table[c] = { ...table[c], [stage.data]: members.length };
        if (b === 'UNIT') snapshot.byStage[stage.data] = (snapshot.byStage[stage.data] ?? 0) + members.length;
      } else if (kind === 'DURATION' && a) {
        const stage = Stage.safeParse(a);
        if (stage.success) durations[stage.data] = members.map((m) => Number(m.split('|')[2] ?? 0));
      } else if (kind === 'RATING' && b) {
        ratings[b] = members.map((m) => Number(m.split('|')[1] ?? 0));
      } else if (kind === 'OVERDUE' && b) {
        snapshot.overdueByUnit[b] = members.length;
      }
    }

    for (const [stage, values] of Object.entries(durations)) {
      const parsed = Stage.safeParse(stage);
      if (parsed.success && values.length) snapshot.meanMsInStage[parsed.data] = mean(values);
    }
    const all = Object.values(ratings).flat();
    snapshot.satisfaction = {
      ratings: all.length,
      mean: all.length ? mean(all) : null,
      byUnit: Object.fromEntries(
        Object.entries(ratings).map(([unitId, values]) => [
          unitId,
          { ratings: values.length, mean: mean(values) },
        ]),
      ),
    };
    return snapshot;
  }
}

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
