/**
 * The cost bench's county history must be one the system could have written: valid cases whose
 * steps the lifecycle allowed, nothing after the cutoff, and statistics folded exactly as the
 * stats store records them, change by change.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoOrganisation } from '../../infra/demo/demo-organisation.ts';
import { DynamoDbStatsStore } from '../../shared/adapters/dynamodb-stats-store.ts';
import { CaseState } from '../../shared/domain/case.ts';
import { statsChangesOfCase } from '../../shared/domain/case-statistics.ts';
import { fromShanghaiLocal, shanghaiDay } from '../../shared/domain/outreach/shanghai-time.ts';
import { defaultPolicies } from '../../shared/reference/default-policies.ts';
import { type EmulatedTables, emulatedTables } from '../support/emulated-tables.ts';
import { seededRandom } from './end-to-end.ts';
import { HISTORY_DAY_MS, historicCases, StatsFold, todaysCases, trackingCodes } from './seed-cases.ts';

const NOW = Date.parse('2026-12-06T20:00:00.000Z');
const TODAY = shanghaiDay(new Date(NOW));
const DAY_START = fromShanghaiLocal(`${TODAY}T00:00`).getTime();

const context = (seed: number) => ({
  org: demoOrganisation,
  policies: defaultPolicies,
  random: seededRandom(seed),
  newTrackingCode: trackingCodes(seededRandom(seed + 1)),
  newId: () => crypto.randomUUID(),
});

describe('historic cases', () => {
  const cases = [...historicCases(400, DAY_START - 365 * HISTORY_DAY_MS, DAY_START, context(1))];

  it('are valid cases whose every step happened before the cutoff, in order', () => {
    for (const { state } of cases) {
      expect(CaseState.safeParse(state).success).toBe(true);
      const times = state.timeline.map((e) => Date.parse(e.at));
      expect(times).toEqual([...times].sort((a, b) => a - b));
      expect(Math.max(...times)).toBeLessThan(DAY_START);
      expect(state.version).toBe(state.timeline.length - 1);
    }
  });

  it('went round the loop: most closed or rated, some still open, some escalated or returned', () => {
    const stages = new Set(cases.map((c) => c.state.stage));
    expect(stages).toContain('evaluated');
    expect(stages).toContain('closed');
    expect(cases.some((c) => c.state.escalation !== undefined)).toBe(true);
    expect(cases.some((c) => (c.state.transfers ?? 0) > 0)).toBe(true);
  });
});

describe("today's cases", () => {
  it("fill every unit's bucket of today to the number asked for, with the same cases every time", () => {
    const make = () => [...todaysCases(20, DAY_START, NOW, context(7))];
    const fold = new StatsFold();
    const first = make();
    for (const c of first) fold.add(c.state);
    const counts = fold.changesOn(TODAY);
    for (const unit of demoOrganisation.units) expect(counts.get(unit.id) ?? 0).toBeGreaterThanOrEqual(20);
    expect(make().map((c) => c.state.timeline)).toEqual(first.map((c) => c.state.timeline));
  });
});

describe('the statistics of the history', () => {
  let env: EmulatedTables;
  beforeAll(async () => {
    env = await emulatedTables();
  });
  afterAll(async () => {
    await env?.stop();
  });

  it('are the day buckets the stats store writes when it records every change', async () => {
    const table = env.tables.stats ?? '';
    const store = new DynamoDbStatsStore(env.db, table);
    const fold = new StatsFold();
    for (const { state } of historicCases(60, DAY_START - 30 * HISTORY_DAY_MS, DAY_START, context(3))) {
      fold.add(state);
      for (const change of statsChangesOfCase(state)) await store.record(change);
    }
    for (const bucket of fold.buckets.values()) {
      const { Items = [] } = await env.db.send(
        new QueryCommand({
          TableName: table,
          KeyConditionExpression: 'pk = :pk AND sk = :sk',
          ExpressionAttributeValues: { ':pk': `COUNTS#${bucket.unitId}`, ':sk': `DAY#${bucket.day}` },
        }),
      );
      const { pk: _pk, sk: _sk, applied, ...counters } = Items[0] ?? {};
      expect(applied).toEqual(bucket.applied);
      expect(counters).toEqual(bucket.counters);
    }
  });
});
