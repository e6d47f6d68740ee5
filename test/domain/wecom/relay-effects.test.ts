/**
 * Which transitions of a case relay to the grid worker who forwarded it (relay_to_worker in
 * shared/domain/case-lifecycle.ts): every change of stage or unit of a forwarded appeal's case,
 * none of a case without a worker, none of a change the public status does not show.
 */
import { describe, expect, it } from 'vitest';
import type { CaseState } from '../../../shared/domain/case.ts';
import { type Actor, type LifecycleContext, planTransition } from '../../../shared/domain/case-lifecycle.ts';

const NOW = new Date('2026-11-30T02:00:00.000Z');
const ctx: LifecycleContext = {
  countyCentreUnitId: 'county-centre',
  townshipCentreOf: (t) => (t ? `centre-${t}` : undefined),
  unitExists: (u) => ['county-centre', 'centre-chengdong', 'transport', 'urban-management'].includes(u),
  deadline: (kind, from) => new Date(from.getTime() + (kind === 'accept' ? 1 : 5) * 86_400_000),
  workingMs: (from, to) => Math.max(0, to.getTime() - from.getTime()),
  ratingWindowDays: 3,
};

const forwarded = (extra: Partial<CaseState> = {}): CaseState => ({
  trackingCode: 'K7M2QX9PA',
  submissionId: '0b6f1c8e-5d4a-4e8b-9c61-2f1f4f3a9b10',
  stage: 'dispatched',
  version: 2,
  category: 'road',
  communityId: 'chengdong-kangning',
  townshipId: 'chengdong',
  unitId: 'urban-management',
  routing: { kind: 'rule', ruleId: 'road-chengdong' },
  channel: 'wecom',
  submittedAt: '2026-11-29T08:00:00.000Z',
  updatedAt: '2026-11-29T08:00:02.000Z',
  timeline: [
    { stage: 'received', at: '2026-11-29T08:00:00.000Z', by: 'channel:wecom' },
    {
      stage: 'dispatched',
      at: '2026-11-29T08:00:02.000Z',
      by: 'system:route-report',
      unitId: 'urban-management',
    },
  ],
  forwardedBy: 'gw-chengdong-kangning-g1',
  ...extra,
});

const handler: Actor = {
  kind: 'staff',
  staff: { role: 'unit_handler', userId: 'u-handler', name: 'H', unitId: 'urban-management' },
};
const dispatcher: Actor = {
  kind: 'staff',
  staff: {
    role: 'centre_dispatcher',
    userId: 'u-dispatcher',
    name: 'D',
    unitId: 'centre-chengdong',
    townshipId: 'chengdong',
  },
};

const relaysOf = (c: CaseState, action: Parameters<typeof planTransition>[1], actor: Actor) => {
  const planned = planTransition(c, action, actor, ctx, NOW);
  if (!planned.ok) throw new Error(`refused: ${planned.reason}`);
  return planned.plan.effects.filter((e) => e.kind === 'relay_to_worker');
};

describe("relaying a forwarded appeal's changes", () => {
  it('relays an acceptance with its new stage', () => {
    expect(relaysOf(forwarded(), { action: 'accept' }, handler)).toEqual([
      { kind: 'relay_to_worker', stage: 'in_progress', action: 'accept' },
    ]);
  });

  it('relays a reassignment, which keeps the stage but changes the unit', () => {
    expect(relaysOf(forwarded(), { action: 'reassign', unitId: 'transport' }, dispatcher)).toEqual([
      { kind: 'relay_to_worker', stage: 'dispatched', action: 'reassign' },
    ]);
  });

  it('relays nothing for a case nobody forwarded', () => {
    const { forwardedBy: _none, ...web } = forwarded({ channel: 'web' });
    expect(relaysOf(web, { action: 'accept' }, handler)).toEqual([]);
  });

  it('relays nothing when neither stage nor unit changes (an overdue escalation)', () => {
    const overdue = forwarded({ timer: { kind: 'accept_due', at: '2026-11-29T09:00:00.000Z' } });
    expect(
      relaysOf(
        overdue,
        { action: 'escalate', reason: 'accept_overdue' },
        { kind: 'system', name: 'sweeper' },
      ),
    ).toEqual([]);
  });
});
