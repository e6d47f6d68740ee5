/**
 * StatsStore on DynamoDB (table `stats`). Two kinds of item, neither growing with the county's
 * history:
 * - a day bucket per unit, `pk = COUNTS#<unitId>`, `sk = DAY#<YYYY-MM-DD>` (Asia/Shanghai day of
 *   the change, unit the case moved to): numeric counters (see case-statistics.ts) and `applied`,
 *   the ids of the changes already added — one conditional update adds a change's deltas and its
 *   id together, so a replay fails the condition and adds nothing. The set holds one day of one
 *   unit's changes (tens), and the partition key spreads writes over units and days;
 * - a balance per unit, `pk = BALANCE`, `sk = <unitId>`: the sum of that unit's days up to
 *   `throughDay`. `settle` freezes every calendar day it folds (`settled`; a day without changes
 *   gets an empty frozen item, so every day up to `throughDay` is frozen), then adds their
 *   counters to the balance with a condition on `throughDay`, so a repeated or concurrent settle
 *   adds nothing twice. A change that arrives for a frozen day (an effect parked for days and
 *   re-run) is added to its day (marked `lateApplied` there) and to the balance (deduplicated by
 *   the balance's own `lateApplied`), each once. `rebuildBalances` sets each balance to the sum of
 *   all its days instead, after the day counters were rebuilt from the cases.
 * - a month per bucket, `pk = COUNTS#<unitId>`, `sk = MONTH#<YYYY-MM>`: the sum of that month's
 *   days, written once by `settle` when every day of the month is frozen (in order, so the
 *   latest month item says where the next starts; a month without changes gets an empty item).
 *   A late change for a frozen day is added to its month too (deduplicated by the month's own
 *   `lateApplied`); `rebuildBalances` rewrites each month as the sum of its days. Day items stay.
 * Reading is one Query of the balances and one Query per unit of the days after its balance: a
 * number of items set by units and days not yet settled, never by cases. A date range reads, per
 * bucket, one Query of its months and one Query per stretch of days the months do not cover (the
 * range's partial first and last months, and months not settled yet): units × (months + edge
 * days) items.
 * A new fraud report is counted in the fraud-intake bucket (`COUNTS#~fraud-intake`) of the day it
 * was submitted, with a counter per community, which the outreach risk ranking reads by day (see
 * dynamodb-fraud-reports.ts): no write of its own.
 * Outreach reach (channel-statistics.ts) is counted in the outreach-reach bucket
 * (`COUNTS#~outreach-reach`) of the day it was sent, one conditional update per batch or poll,
 * its id hashed to 16 characters so a day's `applied` set stays small (a county-wide notice is
 * about 1,500 SMS batches and 2,348 groups: under 100 KB); settled and rebuilt with the others.
 */

import { createHash } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  addCounters,
  type CounterDeltas,
  FRAUD_INTAKE_BUCKET,
  type StatsBucketChange,
  type StatsChange,
  type StatsSnapshot,
  snapshotOf,
  statsBucketOf,
  statsEventId,
} from '../domain/case-statistics.ts';
import { OUTREACH_REACH_BUCKET } from '../domain/channel-statistics.ts';
import { shanghaiDay } from '../domain/outreach/shanghai-time.ts';
import { DependencyError } from '../errors.ts';
import type { OutreachReachCounter } from '../ports/outreach-reach.ts';
import type { MonthCounters, SettleReport, StatsStore } from '../ports/stats-store.ts';
import { awsCall, conditionalWrite } from './aws-call.ts';

const BALANCE_PK = 'BALANCE';
/** The partition of a bucket's days. */
export const bucketPk = (bucketId: string) => `COUNTS#${bucketId}`;
export const DAY_PREFIX = 'DAY#';
export const MONTH_PREFIX = 'MONTH#';

/** The first and last calendar day of a YYYY-MM month. */
export const monthDays = (month: string): { first: string; last: string } => {
  const [y, m] = month.split('-').map(Number);
  const last = new Date(Date.UTC(y ?? 0, m ?? 0, 0)).toISOString().slice(0, 10);
  return { first: `${month}-01`, last };
};

/** The month before a YYYY-MM month. */
const previousMonth = (month: string): string =>
  new Date(Date.parse(`${month}-01T00:00:00Z`) - 86_400_000).toISOString().slice(0, 7);

/** The month after a YYYY-MM month. */
const nextMonth = (month: string): string => nextDay(monthDays(month).last).slice(0, 7);

/**
 * Every bucket to settle: the units', the fraud-intake bucket (see case-statistics.ts) and the
 * outreach-reach bucket (channel-statistics.ts).
 */
const withFraudIntake = (unitIds: readonly string[]) => [
  ...new Set([...unitIds, FRAUD_INTAKE_BUCKET, OUTREACH_REACH_BUCKET]),
];

/** The calendar day after a YYYY-MM-DD day. */
const nextDay = (day: string): string =>
  new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/** Counters are the numeric attributes whose names carry a `|`; keys and markers never do. */
function countersOf(item: Record<string, unknown>): CounterDeltas {
  const counters: CounterDeltas = {};
  for (const [name, value] of Object.entries(item)) {
    if (name.includes('|') && typeof value === 'number') counters[name] = value;
  }
  return counters;
}

/** `ADD` clauses for the deltas, with their names and values registered on `input`. */
function addClauses(deltas: CounterDeltas, names: Record<string, string>, values: Record<string, unknown>) {
  return Object.entries(deltas).map(([name, value], i) => {
    names[`#c${i}`] = name;
    values[`:c${i}`] = value;
    return `#c${i} :c${i}`;
  });
}

export class DynamoDbStatsStore implements StatsStore, OutreachReachCounter {
  readonly #db: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(db: DynamoDBDocumentClient, tableName: string) {
    this.#db = db;
    this.#table = tableName;
  }

  async record(change: StatsChange): Promise<void> {
    const bucket = statsBucketOf(change);
    if (Object.keys(bucket.deltas).length === 0) return;
    await this.#addToDay(statsEventId(change), bucket);
  }

  async recordReach(id: string, at: Date, deltas: CounterDeltas): Promise<void> {
    if (Object.keys(deltas).length === 0) return;
    const hashed = createHash('sha256').update(id).digest('base64url').slice(0, 16);
    await this.#addToDay(`r:${hashed}`, { bucketId: OUTREACH_REACH_BUCKET, day: shanghaiDay(at), deltas });
  }

  async #addToDay(id: string, { bucketId, day, deltas }: StatsBucketChange): Promise<void> {
    const key = { pk: bucketPk(bucketId), sk: `${DAY_PREFIX}${day}` };
    const names: Record<string, string> = { '#applied': 'applied', '#settled': 'settled' };
    const values: Record<string, unknown> = { ':id': id, ':ids': new Set([id]) };
    const adds = addClauses(deltas, names, values);
    const added = await conditionalWrite('updating statistics', () =>
      this.#db.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: key,
          UpdateExpression: `ADD ${[...adds, '#applied :ids'].join(', ')}`,
          ConditionExpression: 'NOT contains(#applied, :id) AND attribute_not_exists(#settled)',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      ),
    );
    if (added) return;
    const stored = await this.#get(key);
    const has = (attribute: string) => {
      const set = stored?.[attribute];
      return set instanceof Set && set.has(id);
    };
    // Counted before its day was frozen, so the balance took it in with the day: a replay.
    if (has('applied') && !has('lateApplied')) return;
    await this.#addLate(key, bucketId, id, deltas);
  }

  /**
   * A change for a frozen day: into the day (so a recount of the days has it) and into the
   * balance (which took the day in without it), each deduplicated on its own, so a retry after a
   * crash between the two completes the second and repeats neither.
   */
  async #addLate(key: Record<string, string>, unitId: string, id: string, deltas: CounterDeltas) {
    const dayNames: Record<string, string> = { '#applied': 'applied', '#late': 'lateApplied' };
    const dayValues: Record<string, unknown> = { ':id': id, ':ids': new Set([id]) };
    const dayAdds = addClauses(deltas, dayNames, dayValues);
    await conditionalWrite('updating statistics', () =>
      this.#db.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: key,
          UpdateExpression: `ADD ${[...dayAdds, '#applied :ids', '#late :ids'].join(', ')}`,
          ConditionExpression: 'NOT contains(#applied, :id)',
          ExpressionAttributeNames: dayNames,
          ExpressionAttributeValues: dayValues,
        }),
      ),
    );
    const names: Record<string, string> = { '#late': 'lateApplied', '#version': 'version' };
    const values: Record<string, unknown> = { ':id': id, ':ids': new Set([id]), ':one': 1 };
    const adds = addClauses(deltas, names, values);
    await conditionalWrite('updating statistics', () =>
      this.#db.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: { pk: BALANCE_PK, sk: unitId },
          UpdateExpression: `ADD ${[...adds, '#late :ids', '#version :one'].join(', ')}`,
          ConditionExpression: 'NOT contains(#late, :id)',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      ),
    );
    // Into its month only once the month is written: until then the month's sum will read the day.
    const monthNames: Record<string, string> = { '#late': 'lateApplied', '#through': 'throughDay' };
    const monthValues: Record<string, unknown> = { ':id': id, ':ids': new Set([id]) };
    const monthAdds = addClauses(deltas, monthNames, monthValues);
    await conditionalWrite('updating statistics', () =>
      this.#db.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: {
            pk: key.pk,
            sk: `${MONTH_PREFIX}${String(key.sk).slice(DAY_PREFIX.length, DAY_PREFIX.length + 7)}`,
          },
          UpdateExpression: `ADD ${[...monthAdds, '#late :ids'].join(', ')}`,
          ConditionExpression: 'attribute_exists(#through) AND NOT contains(#late, :id)',
          ExpressionAttributeNames: monthNames,
          ExpressionAttributeValues: monthValues,
        }),
      ),
    );
  }

  async snapshot(unitIds: readonly string[]): Promise<StatsSnapshot> {
    const balances = new Map<string, Record<string, unknown>>();
    for await (const item of this.#items({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': BALANCE_PK },
    })) {
      balances.set(String(item.sk), item);
    }
    const units = new Set([...withFraudIntake(unitIds), ...balances.keys()]);
    const totals: CounterDeltas = {};
    await Promise.all(
      [...units].map(async (unitId) => {
        const balance = balances.get(unitId);
        if (balance) addCounters(totals, countersOf(balance));
        for await (const day of this.#daysAfter(unitId, balance?.throughDay)) {
          addCounters(totals, countersOf(day));
        }
      }),
    );
    return snapshotOf(totals);
  }

  async settle(unitIds: readonly string[], throughDay: string): Promise<SettleReport> {
    const report: SettleReport = { settled: {} };
    for (const unitId of withFraudIntake(unitIds)) {
      const balance = await this.#get({ pk: BALANCE_PK, sk: unitId });
      const previous = typeof balance?.throughDay === 'string' ? balance.throughDay : undefined;
      if (previous !== undefined && previous >= throughDay) continue;
      // Every calendar day after the balance (or from the unit's first) is frozen, with or without
      // changes, so a change that comes later for any of them is known to be late.
      const first = previous === undefined ? await this.#firstDay(unitId, throughDay) : nextDay(previous);
      if (first === undefined) continue; // nothing recorded yet
      const sums: CounterDeltas = {};
      let days = 0;
      for (let day = first; day <= throughDay; day = nextDay(day)) {
        addCounters(sums, await this.#freeze(unitId, day));
        days++;
      }
      const names: Record<string, string> = { '#through': 'throughDay', '#version': 'version' };
      const values: Record<string, unknown> = { ':through': throughDay, ':one': 1 };
      const adds = addClauses(sums, names, values);
      if (previous !== undefined) values[':previous'] = previous;
      const moved = await conditionalWrite('settling statistics', () =>
        this.#db.send(
          new UpdateCommand({
            TableName: this.#table,
            Key: { pk: BALANCE_PK, sk: unitId },
            UpdateExpression: `SET #through = :through ADD ${[...adds, '#version :one'].join(', ')}`,
            ConditionExpression:
              previous === undefined ? 'attribute_not_exists(#through)' : '#through = :previous',
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
          }),
        ),
      );
      // Lost to a concurrent settle, which added the same frozen days itself.
      if (moved) report.settled[unitId] = days;
    }
    for (const unitId of withFraudIntake(unitIds)) await this.#settleMonths(unitId, throughDay, false);
    return report;
  }

  /**
   * Writes each month whose days are all frozen (up to `throughDay`) as the sum of its days: after
   * the latest month written (in order, so there are no gaps), or from the bucket's first day.
   * `rewrite` (the rebuild) writes every such month again.
   */
  async #settleMonths(unitId: string, throughDay: string, rewrite: boolean): Promise<void> {
    const current = throughDay.slice(0, 7);
    const lastComplete = monthDays(current).last === throughDay ? current : previousMonth(current);
    let month: string | undefined;
    if (!rewrite) {
      const latest = await this.#latestMonth(unitId);
      if (latest !== undefined) month = nextMonth(latest);
    }
    if (month === undefined) month = (await this.#firstDay(unitId, throughDay))?.slice(0, 7);
    for (; month !== undefined && month <= lastComplete; month = nextMonth(month)) {
      const { first, last } = monthDays(month);
      const sums: CounterDeltas = {};
      const late = new Set<string>();
      for await (const day of this.#daysBetween(unitId, first, last)) {
        addCounters(sums, countersOf(day));
        if (day.lateApplied instanceof Set) for (const id of day.lateApplied) late.add(String(id));
      }
      const item = {
        pk: bucketPk(unitId),
        sk: `${MONTH_PREFIX}${month}`,
        throughDay: last,
        ...sums,
        ...(late.size ? { lateApplied: late } : {}),
      };
      // A concurrent settle writing the same month wrote the same sum.
      await conditionalWrite('settling statistics', () =>
        this.#db.send(
          new PutCommand({
            TableName: this.#table,
            Item: item,
            ...(rewrite ? {} : { ConditionExpression: 'attribute_not_exists(pk)' }),
          }),
        ),
      );
    }
  }

  async #latestMonth(unitId: string): Promise<string | undefined> {
    const page = await awsCall('reading statistics', () =>
      this.#db.send(
        new QueryCommand({
          TableName: this.#table,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :month)',
          ExpressionAttributeValues: { ':pk': bucketPk(unitId), ':month': MONTH_PREFIX },
          ProjectionExpression: 'sk',
          ScanIndexForward: false,
          Limit: 1,
          ConsistentRead: true,
        }),
      ),
    );
    const sk = page.Items?.[0]?.sk;
    return typeof sk === 'string' ? sk.slice(MONTH_PREFIX.length) : undefined;
  }

  async countersByMonth(unitIds: readonly string[], from: string, to: string): Promise<MonthCounters[]> {
    const months: MonthCounters[] = [];
    for (let month = from.slice(0, 7); month <= to.slice(0, 7); month = nextMonth(month)) {
      const { first, last } = monthDays(month);
      months.push({ month, from: first < from ? from : first, to: last > to ? to : last, counters: {} });
    }
    await Promise.all(
      withFraudIntake(unitIds).map(async (unitId) => {
        const stored = new Map<string, Record<string, unknown>>();
        for await (const item of this.#items({
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ExpressionAttributeValues: {
            ':pk': bucketPk(unitId),
            ':from': `${MONTH_PREFIX}${from.slice(0, 7)}`,
            ':to': `${MONTH_PREFIX}${to.slice(0, 7)}`,
          },
          ConsistentRead: true,
        })) {
          stored.set(String(item.sk).slice(MONTH_PREFIX.length), item);
        }
        // Whole months from their items; the rest day by day, adjacent stretches in one Query.
        const stretches: Array<{ from: string; to: string }> = [];
        for (const m of months) {
          const item = stored.get(m.month);
          const whole = m.from === monthDays(m.month).first && m.to === monthDays(m.month).last;
          if (whole && item) {
            addCounters(m.counters, countersOf(item));
            continue;
          }
          const previous = stretches.at(-1);
          if (previous && nextDay(previous.to) === m.from) previous.to = m.to;
          else stretches.push({ from: m.from, to: m.to });
        }
        for (const stretch of stretches) {
          for await (const day of this.#daysBetween(unitId, stretch.from, stretch.to)) {
            const month = months.find(
              (m) => m.month === String(day.sk).slice(DAY_PREFIX.length, DAY_PREFIX.length + 7),
            );
            if (month) addCounters(month.counters, countersOf(day));
          }
        }
      }),
    );
    return months;
  }

  async rebuildBalances(unitIds: readonly string[], throughDay: string): Promise<void> {
    for (const unitId of withFraudIntake(unitIds)) {
      for (let attempt = 0; ; attempt++) {
        if (attempt === 5) throw new DependencyError(`the statistics balance of ${unitId} kept changing`);
        const balance = await this.#get({ pk: BALANCE_PK, sk: unitId });
        const version = typeof balance?.version === 'number' ? balance.version : undefined;
        const first = await this.#firstDay(unitId, throughDay);
        if (first === undefined) break;
        const sums: CounterDeltas = {};
        const late = new Set<string>();
        // Frozen (or found frozen) day by day: the final counters of every day, late changes
        // included; their ids stay on the balance, so a replay of one is still recognised there.
        for (let day = first; day <= throughDay; day = nextDay(day)) {
          const item = await this.#frozenDay(unitId, day);
          addCounters(sums, countersOf(item));
          if (item.lateApplied instanceof Set) for (const id of item.lateApplied) late.add(String(id));
        }
        // Set, not added: the balance becomes the sum of its days. A late change landing meanwhile
        // bumps the version, and this starts over.
        const replaced = await conditionalWrite('rebuilding statistics', () =>
          this.#db.send(
            new PutCommand({
              TableName: this.#table,
              Item: {
                pk: BALANCE_PK,
                sk: unitId,
                throughDay,
                version: (version ?? 0) + 1,
                ...sums,
                ...(late.size ? { lateApplied: late } : {}),
              },
              ConditionExpression:
                version === undefined ? 'attribute_not_exists(version)' : 'version = :version',
              ...(version === undefined ? {} : { ExpressionAttributeValues: { ':version': version } }),
            }),
          ),
        );
        if (replaced) break;
      }
      await this.#settleMonths(unitId, throughDay, true);
    }
  }

  /** The unit's earliest day bucket up to `throughDay`, if any. */
  async #firstDay(unitId: string, throughDay: string): Promise<string | undefined> {
    const page = await awsCall('reading statistics', () =>
      this.#db.send(
        new QueryCommand({
          TableName: this.#table,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ExpressionAttributeValues: {
            ':pk': bucketPk(unitId),
            ':from': DAY_PREFIX,
            ':to': `${DAY_PREFIX}${throughDay}`,
          },
          ProjectionExpression: 'sk',
          Limit: 1,
          ConsistentRead: true,
        }),
      ),
    );
    const sk = page.Items?.[0]?.sk;
    return typeof sk === 'string' ? sk.slice(DAY_PREFIX.length) : undefined;
  }

  /** Freezes a day (creating it empty if it had no changes) and returns its final counters. */
  async #freeze(unitId: string, day: string): Promise<CounterDeltas> {
    return countersOf(await this.#frozenDay(unitId, day));
  }

  async #frozenDay(unitId: string, day: string): Promise<Record<string, unknown>> {
    const frozen = await awsCall('settling statistics', () =>
      this.#db.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: { pk: bucketPk(unitId), sk: `${DAY_PREFIX}${day}` },
          UpdateExpression: 'SET settled = :t',
          ExpressionAttributeValues: { ':t': true },
          ReturnValues: 'ALL_NEW',
        }),
      ),
    );
    return frozen.Attributes ?? {};
  }

  #get(key: Record<string, string>) {
    return awsCall('reading statistics', async () => {
      const out = await this.#db.send(
        new GetCommand({ TableName: this.#table, Key: key, ConsistentRead: true }),
      );
      return out.Item;
    });
  }

  /** A unit's day buckets after `afterDay` (all when undefined), up to `throughDay` when given. */
  #daysAfter(unitId: string, afterDay: unknown, throughDay?: string) {
    const from = typeof afterDay === 'string' ? `${DAY_PREFIX}${afterDay}~` : DAY_PREFIX;
    const to = throughDay ? `${DAY_PREFIX}${throughDay}` : `${DAY_PREFIX}~`;
    return this.#items({
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': bucketPk(unitId), ':from': from, ':to': to },
      ConsistentRead: true,
    });
  }

  #daysBetween(unitId: string, first: string, last: string) {
    return this.#items({
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: {
        ':pk': bucketPk(unitId),
        ':from': `${DAY_PREFIX}${first}`,
        ':to': `${DAY_PREFIX}${last}`,
      },
      ConsistentRead: true,
    });
  }

  async *#items(input: Omit<QueryCommandInput, 'TableName'>): AsyncGenerator<Record<string, unknown>> {
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await awsCall('reading statistics', () =>
        this.#db.send(new QueryCommand({ TableName: this.#table, ...input, ExclusiveStartKey: startKey })),
      );
      yield* page.Items ?? [];
      startKey = page.LastEvaluatedKey;
    } while (startKey);
  }
}
