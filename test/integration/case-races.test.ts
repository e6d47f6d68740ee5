/**
 * Staff acting on the same cases at the same moment, through the staff API on the local runtime
 * (dynalite, real handlers): whatever arrives together, exactly one change wins, the others are
 * told 409 `version_conflict`, and every case's history stays gapless (one timeline event per
 * version). Merges write two cases without a transaction; no set of merges started at once can
 * form a cycle or leave a link behind without its merge.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime.ts';
import { unitQueueName } from '../../infra/topology.ts';
import { receiveMatching } from '../support/queues.ts';

let rt: LocalRuntime;
const tokens = new Map<string, string>();

beforeAll(async () => {
  rt = await startLocalRuntime({ port: 0, memory: true, quiet: true });
  for (const user of ['dispatcher.dongquan', 'supervisor']) tokens.set(user, await rt.signInAs(user));
});
afterAll(async () => {
  await rt?.stop();
});

const Receipt = z.object({ trackingCode: z.string() });
const Detail = z.object({
  id: z.string(),
  stage: z.string(),
  version: z.number(),
  unitId: z.string(),
  timeline: z.array(z.object({ stage: z.string(), action: z.string().optional() })),
  mergedInto: z.string().optional(),
  duplicates: z.array(z.string()),
});
type Detail = z.infer<typeof Detail>;
const ErrorBody = z.object({
  error: z.object({ code: z.string(), currentVersion: z.number().optional() }),
});

type User = 'dispatcher.dongquan' | 'supervisor';

const api = async (path: string, user: User, body?: unknown) => {
  const response = await fetch(`${rt.url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      accept: 'application/json',
      authorization: `Bearer ${tokens.get(user) ?? ''}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as unknown };
};

const detail = async (id: string) => Detail.parse((await api(`/api/cases/${id}`, 'supervisor')).body);
const act = (user: User, id: string, body: Record<string, unknown>) =>
  api(`/api/cases/${id}/transitions`, user, body);

/**
 * Timeline events beyond versions, fixed for each case when it is created; a history with a gap
 * (a version without its event, or an event without its version) changes it.
 */
const baseline = new Map<string, number>();
const expectGapless = (c: Detail) => {
  expect(c.timeline.length - c.version, `history of ${c.id}`).toBe(baseline.get(c.id));
};

/**
 * A neighbour dispute in Dongquan: it goes to the township centre, so the centre's dispatcher owns
 * it and, like the county supervisor, still sees it wherever it is moved — every loser is a 409,
 * never a 404.
 */
async function dispute(description: string): Promise<Detail> {
  const response = await fetch(`${rt.url}/api/reports`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ category: 'dispute', communityId: 'dongquan-weijiazhuang', description }),
  });
  const { trackingCode } = Receipt.parse(await response.json());
  const id = trackingCode.replaceAll('-', '');
  const delivered = await receiveMatching(
    rt.sqsClient,
    rt.queueUrl(unitQueueName('centre-dongquan')),
    (body) => body.includes(id),
  );
  if (!delivered) throw new Error(`${trackingCode} never reached the Dongquan centre`);
  const c = await detail(id);
  expect(c).toMatchObject({ stage: 'dispatched', unitId: 'centre-dongquan' });
  baseline.set(id, c.timeline.length - c.version);
  return c;
}

const accepted = async (description: string): Promise<Detail> => {
  const c = await dispute(description);
  const response = await act('dispatcher.dongquan', c.id, { action: 'accept', expectedVersion: c.version });
  expect(response.status).toBe(200);
  return Detail.parse(response.body);
};

type Attempt = { user: User; body: Record<string, unknown> };

/** Sends every attempt at once on the version read; returns the one winner and checks the losers. */
async function race(c: Detail, attempts: Attempt[]): Promise<Attempt> {
  const answers = await Promise.all(
    attempts.map((a) => act(a.user, c.id, { ...a.body, expectedVersion: c.version })),
  );
  const winners = attempts.filter((_, i) => answers[i]?.status === 200);
  expect(winners).toHaveLength(1);
  for (const answer of answers.filter((a) => a.status !== 200)) {
    expect(answer.status, JSON.stringify(answer.body)).toBe(409);
    expect(ErrorBody.parse(answer.body).error.code).toBe('version_conflict');
  }
  const [winner] = winners;
  if (!winner) throw new Error('no winner');
  const after = await detail(c.id);
  expect(after.version).toBe(c.version + 1);
  expect(after.timeline.length).toBe(c.timeline.length + 1);
  expect(after.timeline.at(-1)?.action).toBe(winner.body.action);
  expectGapless(after);
  return winner;
}

/** Every merged case is listed by its original, every listed duplicate is merged into it; no chains. */
async function expectConsistentMerges(ids: string[]) {
  const cases = await Promise.all(ids.map(detail));
  const byId = new Map(cases.map((c) => [c.id, c]));
  for (const c of cases) {
    expectGapless(c);
    if (c.stage === 'merged') {
      const original = byId.get(c.mergedInto ?? '');
      expect(original, `${c.id} merged into one of the cases`).toBeDefined();
      expect(original?.stage).not.toBe('merged');
      expect(original?.duplicates).toContain(c.id);
    }
    for (const duplicate of c.duplicates) {
      expect(byId.get(duplicate)).toMatchObject({ stage: 'merged', mergedInto: c.id });
    }
  }
  return cases;
}

describe('transitions at the same moment', () => {
  it('answers 409 to all but one of 50 different transitions sent at once on one case; its history has no gap', async () => {
    const c = await dispute('邻里之间因院墙归属发生争执');
    const other = await dispute('邻居在院墙边堆放柴草');
    const attempts: Attempt[] = [
      ...Array.from(
        { length: 13 },
        (): Attempt => ({ user: 'dispatcher.dongquan', body: { action: 'accept' } }),
      ),
      ...Array.from(
        { length: 13 },
        (_, i): Attempt => ({ user: 'dispatcher.dongquan', body: { action: 'return', note: `退回 ${i}` } }),
      ),
      ...Array.from(
        { length: 12 },
        (): Attempt => ({ user: 'supervisor', body: { action: 'reassign', unitId: 'psb' } }),
      ),
      ...Array.from(
        { length: 12 },
        (): Attempt => ({ user: 'supervisor', body: { action: 'merge', into: other.id } }),
      ),
    ];
    const winner = await race(c, attempts);

    const expected: Record<string, Partial<Detail>> = {
      accept: { stage: 'in_progress', unitId: 'centre-dongquan' },
      return: { stage: 'dispatched', unitId: 'county-centre' },
      reassign: { stage: 'dispatched', unitId: 'psb' },
      merge: { stage: 'merged', mergedInto: other.id },
    };
    expect(await detail(c.id)).toMatchObject(expected[String(winner.body.action)] ?? {});
    // Twelve merges of the same case at once: the original lists it exactly when it was merged.
    const [, original] = await expectConsistentMerges([c.id, other.id]);
    expect(original?.duplicates).toEqual(winner.body.action === 'merge' ? [c.id] : []);
  });

  it('lets exactly one of return and resolve win when both are sent at once', async () => {
    const winners = new Set<unknown>();
    for (const round of [1, 2, 3]) {
      const c = await accepted(`宅基地纠纷调解 ${round}`);
      const attempts: Attempt[] = [1, 2, 3].flatMap((i): Attempt[] => [
        { user: 'dispatcher.dongquan', body: { action: 'return', note: `请县中心协调 ${i}` } },
        { user: 'dispatcher.dongquan', body: { action: 'resolve', note: `双方已达成协议 ${i}` } },
      ]);
      const winner = await race(c, attempts);
      winners.add(winner.body.action);
      expect(await detail(c.id)).toMatchObject(
        winner.body.action === 'return'
          ? { stage: 'dispatched', unitId: 'county-centre' }
          : { stage: 'resolved', unitId: 'centre-dongquan' },
      );
    }
    expect(winners.size).toBeGreaterThan(0);
  });

  it('lets exactly one of reassign and accept win when both are sent at once; a winning reassignment reaches its unit', async () => {
    for (const round of [1, 2, 3]) {
      const c = await dispute(`噪音扰民纠纷 ${round}`);
      const attempts: Attempt[] = [1, 2, 3].flatMap((): Attempt[] => [
        { user: 'supervisor', body: { action: 'reassign', unitId: 'psb' } },
        { user: 'dispatcher.dongquan', body: { action: 'accept' } },
      ]);
      const winner = await race(c, attempts);
      if (winner.body.action === 'reassign') {
        expect(await detail(c.id)).toMatchObject({ stage: 'dispatched', unitId: 'psb' });
        const message = await receiveMatching(rt.sqsClient, rt.queueUrl(unitQueueName('psb')), (body) =>
          body.includes(c.id),
        );
        expect(message?.Body).toContain('"reason":"reassigned"');
      } else {
        expect(await detail(c.id)).toMatchObject({ stage: 'in_progress', unitId: 'centre-dongquan' });
      }
    }
  });
});

describe('merges at the same moment', () => {
  const mergeAll = (pairs: [Detail, Detail][]) =>
    Promise.all(
      pairs.map(([from, into]) =>
        act('dispatcher.dongquan', from.id, {
          action: 'merge',
          into: into.id,
          expectedVersion: from.version,
        }),
      ),
    );

  it('never merges A into B and B into A both, and a merge that loses leaves no link behind', async () => {
    for (const round of [1, 2, 3]) {
      const a = await dispute(`灌溉用水纠纷 A${round}`);
      const b = await dispute(`灌溉用水纠纷 B${round}`);
      const answers = await mergeAll([
        [a, b],
        [b, a],
      ]);
      expect(answers.filter((r) => r.status === 200).length).toBeLessThanOrEqual(1);
      for (const loser of answers.filter((r) => r.status !== 200)) {
        expect(loser.status, JSON.stringify(loser.body)).toBe(409);
        expect(ErrorBody.parse(loser.body).error.code).toBe('version_conflict');
      }
      const cases = await expectConsistentMerges([a.id, b.id]);
      expect(cases.filter((c) => c.stage === 'merged').length).toBe(
        answers.filter((r) => r.status === 200).length,
      );
      // Nothing is left holding either case: asked again, one of the merges goes through.
      if (cases.every((c) => c.stage !== 'merged')) {
        const fresh = await detail(a.id);
        const again = await act('dispatcher.dongquan', a.id, {
          action: 'merge',
          into: b.id,
          expectedVersion: fresh.version,
        });
        expect(again.status, JSON.stringify(again.body)).toBe(200);
        const [merged, original] = await expectConsistentMerges([a.id, b.id]);
        expect(merged?.mergedInto).toBe(b.id);
        expect(original?.duplicates).toEqual([a.id]);
      }
    }
  });

  it('never closes a cycle A→B, B→C, C→A started at once', async () => {
    for (const round of [1, 2, 3]) {
      const a = await dispute(`停车位纠纷 A${round}`);
      const b = await dispute(`停车位纠纷 B${round}`);
      const c = await dispute(`停车位纠纷 C${round}`);
      const answers = await mergeAll([
        [a, b],
        [b, c],
        [c, a],
      ]);
      // Each pair of these merges writes one case in common, on the same version: at most one completes.
      expect(answers.filter((r) => r.status === 200).length).toBeLessThanOrEqual(1);
      for (const loser of answers.filter((r) => r.status !== 200)) {
        expect(ErrorBody.parse(loser.body).error.code).toBe('version_conflict');
      }
      const cases = await expectConsistentMerges([a.id, b.id, c.id]);
      expect(cases.filter((x) => x.stage === 'merged').length).toBeLessThanOrEqual(1);
    }
  });

  it('takes the link back when the duplicate is moved at the same moment, and can then be merged', async () => {
    const a = await dispute('土地承包纠纷 甲');
    const b = await dispute('土地承包纠纷 乙');
    const [merge, accept] = await Promise.all([
      act('dispatcher.dongquan', a.id, { action: 'merge', into: b.id, expectedVersion: a.version }),
      act('dispatcher.dongquan', a.id, { action: 'accept', expectedVersion: a.version }),
    ]);
    expect([merge.status, accept.status].sort()).toEqual([200, 409]);
    await expectConsistentMerges([a.id, b.id]);

    if (merge.status === 409) {
      expect(ErrorBody.parse(merge.body).error.code).toBe('version_conflict');
      const moved = await detail(a.id);
      const again = await act('dispatcher.dongquan', a.id, {
        action: 'merge',
        into: b.id,
        expectedVersion: moved.version,
      });
      expect(again.status, JSON.stringify(again.body)).toBe(200);
    }
    const [merged, original] = await expectConsistentMerges([a.id, b.id]);
    expect(merged?.stage).toBe('merged');
    expect(original?.duplicates).toEqual([a.id]);
  });
});
