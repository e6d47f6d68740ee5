import { describe, expect, it } from 'vitest';
import { CaseState, type Stage } from '../../shared/domain/case.ts';
import {
  type ActionName,
  type Actor,
  allowedActions,
  type CaseAction,
  canSee,
  dueTimerAction,
  enteredStageAt,
  enteredUnitStageAt,
  type LifecycleContext,
  mayContactReporter,
  planDuplicateLink,
  planDuplicateUnlink,
  planTransition,
  worksWithCases,
} from '../../shared/domain/case-lifecycle.ts';
import { type Staff, timelineActor } from '../../shared/domain/staff.ts';

const NOW = new Date('2026-11-30T02:00:00.000Z');

const ctx: LifecycleContext = {
  countyCentreUnitId: 'county-centre',
  townshipCentreOf: (t) => (t ? `centre-${t}` : undefined),
  unitExists: (u) =>
    [
      'county-centre',
      'centre-chengdong',
      'centre-dongquan',
      'transport',
      'urban-management',
      'psb-antifraud',
    ].includes(u),
  deadline: (kind, from) => new Date(from.getTime() + (kind === 'accept' ? 1 : 5) * 86_400_000),
  workingMs: (from, to) => Math.max(0, to.getTime() - from.getTime()),
  ratingWindowDays: 3,
};

const caseAt = (stage: Stage, extra: Partial<CaseState> = {}): CaseState => ({
  trackingCode: 'K7M2QX9PA',
  submissionId: '0b6f1c8e-5d4a-4e8b-9c61-2f1f4f3a9b10',
  stage,
  version: 4,
  category: 'road',
  communityId: 'chengdong-kangning',
  townshipId: 'chengdong',
  unitId: 'urban-management',
  routing: { kind: 'rule', ruleId: 'road-chengdong' },
  channel: 'web',
  submittedAt: '2026-11-29T08:00:00.000Z',
  updatedAt: '2026-11-29T09:00:00.000Z',
  timeline: [
    { stage: 'received', at: '2026-11-29T08:00:00.000Z', by: 'channel:web' },
    {
      stage: 'registered',
      at: '2026-11-29T08:00:01.000Z',
      by: 'system:route-report',
      unitId: 'urban-management',
    },
    {
      stage: 'dispatched',
      at: '2026-11-29T08:00:02.000Z',
      by: 'system:route-report',
      unitId: 'urban-management',
    },
  ],
  ...extra,
});

const staff = {
  handler: { role: 'unit_handler', userId: 'u-handler', name: 'H', unitId: 'urban-management' },
  otherHandler: { role: 'unit_handler', userId: 'u-other', name: 'O', unitId: 'transport' },
  dispatcher: {
    role: 'centre_dispatcher',
    userId: 'u-disp',
    name: 'D',
    unitId: 'centre-chengdong',
    townshipId: 'chengdong',
  },
  otherDispatcher: {
    role: 'centre_dispatcher',
    userId: 'u-disp2',
    name: 'D2',
    unitId: 'centre-dongquan',
    townshipId: 'dongquan',
  },
  gridWorker: { role: 'grid_worker', userId: 'u-grid', name: 'G', communityId: 'chengdong-kangning' },
  otherGridWorker: {
    role: 'grid_worker',
    userId: 'u-grid2',
    name: 'G2',
    communityId: 'dongquan-weijiazhuang',
  },
  supervisor: { role: 'county_supervisor', userId: 'u-sup', name: 'S' },
  admin: { role: 'admin', userId: 'u-admin', name: 'A' },
} satisfies Record<string, Staff>;

const as = (s: Staff): Actor => ({ kind: 'staff', staff: s });
const system: Actor = { kind: 'system', name: 'test' };
const reporter: Actor = { kind: 'reporter' };

/** The specification, written out independently of the table it checks. */
const spec: Record<
  ActionName,
  { from: Stage[]; actor: Actor; action: CaseAction; state?: Partial<CaseState> }
> = {
  dispatch: { from: ['registered'], actor: system, action: { action: 'dispatch' } },
  accept: { from: ['dispatched'], actor: as(staff.handler), action: { action: 'accept' } },
  return: {
    from: ['dispatched', 'in_progress'],
    actor: as(staff.handler),
    action: { action: 'return', note: '不归我们管' },
  },
  reassign: {
    from: ['registered', 'dispatched', 'in_progress'],
    actor: as(staff.dispatcher),
    action: { action: 'reassign', unitId: 'transport' },
  },
  recategorise: {
    from: ['registered', 'dispatched', 'in_progress'],
    actor: as(staff.dispatcher),
    action: { action: 'recategorise', category: 'sanitation' },
  },
  resolve: {
    from: ['in_progress'],
    actor: as(staff.handler),
    action: { action: 'resolve', note: '已修复路灯' },
  },
  verify: { from: ['resolved'], actor: as(staff.dispatcher), action: { action: 'verify' } },
  reject_resolution: {
    from: ['resolved'],
    actor: as(staff.dispatcher),
    action: { action: 'reject_resolution', note: '现场仍未修好' },
  },
  close: { from: ['verified'], actor: as(staff.dispatcher), action: { action: 'close' } },
  rate: { from: ['closed'], actor: reporter, action: { action: 'rate', score: 4 } },
  flag_unrated: {
    from: ['closed'],
    actor: system,
    action: { action: 'flag_unrated' },
    state: { timer: { kind: 'rating_window', at: '2026-11-30T01:00:00.000Z' } },
  },
  record_return_visit: {
    from: ['closed', 'evaluated'],
    actor: as(staff.gridWorker),
    action: { action: 'record_return_visit', outcome: 'satisfied', note: '居民表示满意' },
    state: { returnVisit: { status: 'pending', reason: 'low_rating' } },
  },
  reopen: {
    from: ['closed', 'evaluated'],
    actor: as(staff.dispatcher),
    action: { action: 'reopen', note: '居民反映问题复发' },
  },
  merge: {
    from: ['registered', 'dispatched', 'in_progress'],
    actor: as(staff.dispatcher),
    action: { action: 'merge', into: 'R4D8WNC3E' },
  },
  escalate: {
    from: ['dispatched', 'in_progress'],
    actor: system,
    action: { action: 'escalate', reason: 'accept_overdue' },
    state: { timer: { kind: 'accept_due', at: '2026-11-30T01:00:00.000Z' } },
  },
};

const allStages: Stage[] = [
  'received',
  'registered',
  'dispatched',
  'in_progress',
  'resolved',
  'verified',
  'closed',
  'evaluated',
  'merged',
];

describe('the case lifecycle table', () => {
  for (const [name, s] of Object.entries(spec)) {
    for (const stage of allStages) {
      const allowed = s.from.includes(stage);
      it(`${allowed ? 'allows' : 'refuses'} ${name} from ${stage}`, () => {
        const result = planTransition(caseAt(stage, s.state), s.action, s.actor, ctx, NOW);
        if (allowed) {
          expect(result.ok).toBe(true);
        } else {
          expect(result).toMatchObject({ ok: false, reason: 'stage' });
        }
      });
    }
  }

  it('names the actions that are allowed when it refuses one for its stage', () => {
    const result = planTransition(
      caseAt('dispatched'),
      { action: 'resolve', note: 'x' },
      as(staff.handler),
      ctx,
      NOW,
    );
    expect(result).toEqual({ ok: false, reason: 'stage', allowed: ['accept', 'return', 'merge'] });
  });

  it('bumps the version by one and records who, when, what and the note', () => {
    const result = planTransition(
      caseAt('in_progress'),
      { action: 'resolve', note: '已修复' },
      as(staff.handler),
      ctx,
      NOW,
    );
    expect(result.ok && result.plan).toMatchObject({
      from: { stage: 'in_progress', version: 4 },
      to: 'resolved',
      event: {
        stage: 'resolved',
        at: NOW.toISOString(),
        by: 'u-handler',
        action: 'resolve',
        note: '已修复',
        unitId: 'urban-management',
      },
      set: { resolvedBy: 'u-handler' },
    });
  });
});

describe('who may move a case', () => {
  it('lets only the owning unit accept, resolve or return it', () => {
    for (const action of [{ action: 'accept' }, { action: 'return', note: 'n' }] as const) {
      expect(planTransition(caseAt('dispatched'), action, as(staff.otherHandler), ctx, NOW)).toMatchObject({
        reason: 'forbidden',
      });
      expect(planTransition(caseAt('dispatched'), action, as(staff.supervisor), ctx, NOW)).toMatchObject({
        reason: 'forbidden',
      });
    }
    expect(
      planTransition(
        caseAt('in_progress'),
        { action: 'resolve', note: 'n' },
        as(staff.otherHandler),
        ctx,
        NOW,
      ),
    ).toMatchObject({ reason: 'forbidden' });
  });

  it('lets the centre dispatch what its own centre owns', () => {
    const owned = caseAt('dispatched', { unitId: 'centre-chengdong', category: 'dispute' });
    expect(planTransition(owned, { action: 'accept' }, as(staff.dispatcher), ctx, NOW).ok).toBe(true);
  });

  it('never lets the person who resolved a case verify it', () => {
    const resolved = caseAt('resolved', { unitId: 'centre-chengdong', resolvedBy: 'u-disp' });
    expect(planTransition(resolved, { action: 'verify' }, as(staff.dispatcher), ctx, NOW)).toMatchObject({
      reason: 'forbidden',
    });
    expect(planTransition(resolved, { action: 'verify' }, as(staff.supervisor), ctx, NOW).ok).toBe(true);
  });

  it('keeps oversight within the dispatcher’s own township', () => {
    expect(
      planTransition(
        caseAt('dispatched'),
        { action: 'reassign', unitId: 'transport' },
        as(staff.otherDispatcher),
        ctx,
        NOW,
      ),
    ).toMatchObject({ reason: 'forbidden' });
    expect(
      planTransition(
        caseAt('dispatched'),
        { action: 'reassign', unitId: 'transport' },
        as(staff.supervisor),
        ctx,
        NOW,
      ).ok,
    ).toBe(true);
  });

  it('lets only the reporter rate, and only the system escalate or dispatch', () => {
    expect(
      planTransition(caseAt('closed'), { action: 'rate', score: 5 }, as(staff.supervisor), ctx, NOW),
    ).toMatchObject({
      reason: 'forbidden',
    });
    expect(
      planTransition(
        caseAt('dispatched'),
        { action: 'escalate', reason: 'accept_overdue' },
        as(staff.supervisor),
        ctx,
        NOW,
      ),
    ).toMatchObject({ reason: 'forbidden' });
    expect(planTransition(caseAt('registered'), { action: 'dispatch' }, reporter, ctx, NOW)).toMatchObject({
      reason: 'forbidden',
    });
  });

  it('lets the grid worker of the community record a return visit, not one from elsewhere', () => {
    const visit = caseAt('evaluated', { returnVisit: { status: 'pending', reason: 'low_rating' } });
    const action = { action: 'record_return_visit', outcome: 'satisfied', note: '已回访' } as const;
    expect(planTransition(visit, action, as(staff.gridWorker), ctx, NOW).ok).toBe(true);
    expect(planTransition(visit, action, as(staff.otherGridWorker), ctx, NOW)).toMatchObject({
      reason: 'forbidden',
    });
  });

  it('offers each role only what it may do now', () => {
    expect(allowedActions(caseAt('dispatched'), as(staff.handler))).toEqual(['accept', 'return', 'merge']);
    expect(allowedActions(caseAt('dispatched'), as(staff.dispatcher))).toEqual([
      'reassign',
      'recategorise',
      'merge',
    ]);
    expect(allowedActions(caseAt('dispatched'), as(staff.gridWorker))).toEqual([]);
    expect(allowedActions(caseAt('resolved'), as(staff.supervisor))).toEqual(['verify', 'reject_resolution']);
  });
});

describe('what a transition records', () => {
  it('starts the accept clock when a case is dispatched and sends it to its unit', () => {
    const result = planTransition(caseAt('registered'), { action: 'dispatch' }, system, ctx, NOW);
    expect(result.ok && result.plan.set.timer).toEqual({
      kind: 'accept_due',
      at: '2026-12-01T02:00:00.000Z',
    });
    expect(result.ok && result.plan.effects[0]).toEqual({
      kind: 'dispatch',
      unitId: 'urban-management',
      reason: 'routed',
    });
  });

  it('counts the resolve deadline from when the case reached the unit', () => {
    const result = planTransition(caseAt('dispatched'), { action: 'accept' }, as(staff.handler), ctx, NOW);
    expect(result.ok && result.plan.set.timer).toEqual({
      kind: 'resolve_due',
      at: '2026-12-04T08:00:02.000Z',
    });
  });

  it('counts the resolve deadline from the arrival, not from an escalation or merge noted since', () => {
    const base = caseAt('dispatched');
    const noted = caseAt('dispatched', {
      timeline: [
        ...base.timeline,
        { stage: 'dispatched', at: '2026-11-29T20:00:00.000Z', by: 'system:sweep-cases', action: 'escalate' },
        { stage: 'dispatched', at: '2026-11-30T01:00:00.000Z', by: 'u-disp', action: 'link_duplicate' },
      ],
    });
    const result = planTransition(noted, { action: 'accept' }, as(staff.handler), ctx, NOW);
    expect(result.ok && result.plan.set.timer).toEqual({
      kind: 'resolve_due',
      at: '2026-12-04T08:00:02.000Z',
    });
  });

  it('returns a case that is not the unit’s own to its township centre, as a transfer', () => {
    const result = planTransition(
      caseAt('dispatched'),
      { action: 'return', note: '非本单位职责' },
      as(staff.handler),
      ctx,
      NOW,
    );
    expect(result.ok && result.plan).toMatchObject({
      to: 'dispatched',
      set: { unitId: 'centre-chengdong' },
      transfer: true,
      effects: [
        { kind: 'dispatch', unitId: 'centre-chengdong', reason: 'returned' },
        { kind: 'stats' },
        { kind: 'search_index' },
      ],
    });
  });

  it('sends a case the township centre returns on to the county centre', () => {
    const owned = caseAt('dispatched', { unitId: 'centre-chengdong' });
    const result = planTransition(
      owned,
      { action: 'return', note: '跨乡镇' },
      as(staff.dispatcher),
      ctx,
      NOW,
    );
    expect(result.ok && result.plan.set.unitId).toBe('county-centre');
  });

  it('refuses to reassign to a unit that does not exist or already has it, naming the field', () => {
    expect(
      planTransition(
        caseAt('dispatched'),
        { action: 'reassign', unitId: 'nobody' },
        as(staff.dispatcher),
        ctx,
        NOW,
      ),
    ).toMatchObject({ ok: false, reason: 'invalid', path: 'unitId' });
    expect(
      planTransition(
        caseAt('dispatched'),
        { action: 'reassign', unitId: 'urban-management' },
        as(staff.dispatcher),
        ctx,
        NOW,
      ),
    ).toMatchObject({ ok: false, reason: 'invalid', path: 'unitId' });
  });

  it('opens a three-day rating window on close', () => {
    const result = planTransition(caseAt('verified'), { action: 'close' }, as(staff.dispatcher), ctx, NOW);
    expect(result.ok && result.plan.set.timer).toEqual({
      kind: 'rating_window',
      at: '2026-12-03T02:00:00.000Z',
    });
  });

  it('puts a rating of 1 or 2 on the return-visit list, and not a 3', () => {
    const low = planTransition(
      caseAt('closed'),
      { action: 'rate', score: 2, comment: '没修好' },
      reporter,
      ctx,
      NOW,
    );
    expect(low.ok && low.plan.set).toMatchObject({
      rating: { score: 2, comment: '没修好' },
      returnVisit: { status: 'pending', reason: 'low_rating' },
    });
    const fine = planTransition(caseAt('closed'), { action: 'rate', score: 3 }, reporter, ctx, NOW);
    expect(fine.ok && fine.plan.set.returnVisit).toBeUndefined();
    expect(planTransition(caseAt('closed'), { action: 'rate', score: 6 }, reporter, ctx, NOW)).toMatchObject({
      path: 'score',
    });
  });

  it('merges a duplicate into its original (the original links it itself), never into itself', () => {
    const result = planTransition(
      caseAt('dispatched'),
      { action: 'merge', into: 'R4D8WNC3E' },
      as(staff.dispatcher),
      ctx,
      NOW,
    );
    expect(result.ok && result.plan).toMatchObject({
      to: 'merged',
      set: { mergedInto: 'R4D8WNC3E' },
      effects: [{ kind: 'stats' }],
    });
    expect(
      planTransition(
        caseAt('dispatched'),
        { action: 'merge', into: 'K7M2QX9PA' },
        as(staff.dispatcher),
        ctx,
        NOW,
      ),
    ).toMatchObject({ ok: false, path: 'into' });
  });

  it('counts every move in the statistics, from the time the case entered its stage', () => {
    const withTimer = caseAt('dispatched', { timer: { kind: 'accept_due', at: '2026-11-30T08:00:02.000Z' } });
    const result = planTransition(withTimer, { action: 'accept' }, as(staff.handler), ctx, NOW);
    expect(result.ok && result.plan.effects.find((e) => e.kind === 'stats')).toEqual({
      kind: 'stats',
      at: NOW.toISOString(),
      from: {
        stage: 'dispatched',
        unitId: 'urban-management',
        since: '2026-11-29T08:00:02.000Z',
        heldSince: '2026-11-29T08:00:02.000Z',
      },
      to: { stage: 'in_progress', unitId: 'urban-management' },
      action: 'accept',
      due: '2026-11-30T08:00:02.000Z',
      workingMs: NOW.getTime() - Date.parse('2026-11-29T08:00:02.000Z'),
      townshipId: 'chengdong',
    });
  });

  it('records on an acceptance the deadline it answered, also once that deadline was escalated', () => {
    const withTimer = caseAt('dispatched', { timer: { kind: 'accept_due', at: '2026-11-30T08:00:02.000Z' } });
    const running = planTransition(withTimer, { action: 'accept' }, as(staff.handler), ctx, NOW);
    expect(running.ok && running.plan.event.due).toBe('2026-11-30T08:00:02.000Z');
    const escalated = caseAt('dispatched', {
      timer: undefined,
      escalation: {
        at: '2026-11-30T01:00:00.000Z',
        reason: 'accept_overdue',
        deadline: '2026-11-30T00:00:00.000Z',
      },
    });
    const late = planTransition(escalated, { action: 'accept' }, as(staff.handler), ctx, NOW);
    expect(late.ok && late.plan.event.due).toBe('2026-11-30T00:00:00.000Z');
    const verify = planTransition(caseAt('resolved'), { action: 'verify' }, as(staff.dispatcher), ctx, NOW);
    expect(verify.ok && verify.plan.event.due).toBeUndefined();
  });

  it('starts a new stay at the unit a case is reassigned to, for the time that unit is assessed on', () => {
    const reassigned = caseAt('dispatched', {
      unitId: 'transport',
      timeline: [
        ...caseAt('dispatched').timeline,
        {
          stage: 'dispatched',
          at: '2026-11-29T10:00:00.000Z',
          by: 'd1',
          action: 'reassign',
          unitId: 'transport',
        },
      ],
    });
    expect(enteredUnitStageAt(reassigned)).toBe('2026-11-29T10:00:00.000Z');
    expect(enteredStageAt(reassigned)).toBe('2026-11-29T08:00:02.000Z');
  });
});

describe('who can see a case', () => {
  const c = caseAt('dispatched');
  it.each([
    ['the owning unit', staff.handler, true],
    ['another unit', staff.otherHandler, false],
    ['the township centre', staff.dispatcher, true],
    ['another township centre', staff.otherDispatcher, false],
    ['the community grid worker', staff.gridWorker, true],
    ['a grid worker elsewhere', staff.otherGridWorker, false],
    ['the county supervisor', staff.supervisor, true],
    ['the admin', staff.admin, true],
  ] as const)('%s: %s', (_who, s, visible) => {
    expect(canSee(s, c)).toBe(visible);
  });
});

describe("who may read the reporter's phone", () => {
  const open = caseAt('dispatched');
  const visit = caseAt('evaluated', { returnVisit: { status: 'pending', reason: 'low_rating' } });
  const reopened = caseAt('dispatched', { returnVisit: { status: 'pending', reason: 'low_rating' } });
  const visited = caseAt('evaluated', {
    returnVisit: { status: 'done', reason: 'low_rating', outcome: 'satisfied' },
  });
  it.each([
    ['the owning unit', staff.handler, [true, true, true]],
    ['another unit', staff.otherHandler, [false, false, false]],
    ['the township centre', staff.dispatcher, [true, true, true]],
    ['another township centre', staff.otherDispatcher, [false, false, false]],
    [
      'the community grid worker, only for the visit they are to make',
      staff.gridWorker,
      [false, true, false],
    ],
    ['a grid worker elsewhere', staff.otherGridWorker, [false, false, false]],
    ['the county supervisor', staff.supervisor, [true, true, true]],
    ['the admin, never', staff.admin, [false, false, false]],
  ] as const)(
    '%s (open case, awaiting a visit, reopened before it)',
    (_who, s, [onOpen, onVisit, onReopened]) => {
      expect(mayContactReporter(s, open)).toBe(onOpen);
      expect(mayContactReporter(s, visit)).toBe(onVisit);
      expect(mayContactReporter(s, reopened)).toBe(onReopened);
      expect(mayContactReporter(s, visited)).toBe(onOpen);
    },
  );

  it('is never outreach staff, who have no case access at all', () => {
    const outreach: Staff = { role: 'outreach_staff', userId: 'u-police', name: 'P' };
    expect(worksWithCases(outreach)).toBe(false);
    expect(canSee(outreach, visit)).toBe(false);
    expect(mayContactReporter(outreach, visit)).toBe(false);
  });
});

describe('return visits (回访)', () => {
  const pending = caseAt('evaluated', { returnVisit: { status: 'pending', reason: 'low_rating' } });

  it('closes the visit when the resident is satisfied, leaving the case where it is', () => {
    const result = planTransition(
      pending,
      { action: 'record_return_visit', outcome: 'satisfied', note: '已解决' },
      as(staff.gridWorker),
      ctx,
      NOW,
    );
    expect(result.ok && result.plan).toMatchObject({
      to: 'evaluated',
      set: { returnVisit: { status: 'done', outcome: 'satisfied' } },
    });
  });

  it('reopens the case with the same unit when the resident is still unhappy', () => {
    const result = planTransition(
      pending,
      { action: 'record_return_visit', outcome: 'unresolved', note: '问题复发' },
      as(staff.gridWorker),
      ctx,
      NOW,
    );
    expect(result.ok && result.plan).toMatchObject({
      to: 'dispatched',
      set: { returnVisit: { status: 'done', outcome: 'unresolved' }, timer: { kind: 'accept_due' } },
      effects: [{ kind: 'dispatch', unitId: 'urban-management', reason: 'reopened' }, { kind: 'stats' }],
    });
  });

  it('refuses a visit for a case that is not on the list', () => {
    const result = planTransition(
      caseAt('evaluated'),
      { action: 'record_return_visit', outcome: 'satisfied', note: 'x' },
      as(staff.gridWorker),
      ctx,
      NOW,
    );
    expect(result).toMatchObject({ ok: false, reason: 'invalid' });
  });
});

describe('timers (escalation once per deadline, rating windows)', () => {
  const PAST = '2026-11-30T01:00:00.000Z';
  const LATER = '2026-11-30T03:00:00.000Z';
  const escalate = (reason: 'accept_overdue' | 'resolve_overdue') =>
    ({ action: 'escalate', reason }) as const;

  it('escalates a passed deadline, remembering which deadline it was, and clears the timer', () => {
    const overdue = caseAt('dispatched', { timer: { kind: 'accept_due', at: PAST } });
    const result = planTransition(overdue, escalate('accept_overdue'), system, ctx, NOW);
    expect(result.ok && result.plan).toMatchObject({
      to: 'dispatched',
      set: { escalation: { at: NOW.toISOString(), reason: 'accept_overdue', deadline: PAST } },
      remove: ['timer'],
      effects: [
        { kind: 'escalation_notice', reason: 'accept_overdue' },
        { kind: 'stats', escalated: true },
      ],
    });
  });

  it('escalates again when a new deadline passes after an earlier escalation, even one stored without its deadline', () => {
    for (const escalation of [
      { at: '2026-11-29T12:00:00.000Z', reason: 'accept_overdue', deadline: '2026-11-29T10:00:00.000Z' },
      { at: '2026-11-29T12:00:00.000Z', reason: 'accept_overdue' },
    ] as const) {
      const again = caseAt('in_progress', { escalation, timer: { kind: 'resolve_due', at: PAST } });
      const result = planTransition(again, escalate('resolve_overdue'), system, ctx, NOW);
      expect(result.ok && result.plan.set.escalation).toEqual({
        at: NOW.toISOString(),
        reason: 'resolve_overdue',
        deadline: PAST,
      });
    }
  });

  it('escalates a deadline once: the same deadline restored (a rejected resolution) is refused', () => {
    const same = caseAt('in_progress', {
      escalation: { at: '2026-11-30T01:30:00.000Z', reason: 'resolve_overdue', deadline: PAST },
      timer: { kind: 'resolve_due', at: PAST },
    });
    expect(planTransition(same, escalate('resolve_overdue'), system, ctx, NOW)).toMatchObject({
      ok: false,
      reason: 'invalid',
      message: 'already escalated for this deadline',
    });
  });

  it('refuses to escalate without a passed deadline of the kind named', () => {
    const cases = [
      caseAt('dispatched'),
      caseAt('dispatched', { timer: { kind: 'accept_due', at: LATER } }),
      caseAt('dispatched', { timer: { kind: 'resolve_due', at: PAST } }),
    ];
    for (const c of cases) {
      expect(planTransition(c, escalate('accept_overdue'), system, ctx, NOW)).toMatchObject({
        ok: false,
        reason: 'invalid',
      });
    }
  });

  it('puts a closed case whose rating window ended on the return-visit list, also after an earlier visit was done', () => {
    for (const returnVisit of [
      undefined,
      { status: 'done', reason: 'low_rating', outcome: 'unresolved' },
    ] as const) {
      const unrated = caseAt('closed', { returnVisit, timer: { kind: 'rating_window', at: PAST } });
      const result = planTransition(unrated, { action: 'flag_unrated' }, system, ctx, NOW);
      expect(result.ok && result.plan).toMatchObject({
        to: 'closed',
        set: { returnVisit: { status: 'pending', reason: 'no_rating' } },
        remove: ['timer'],
      });
    }
  });

  it('refuses to flag a case already on the list, or one whose window has not ended', () => {
    const pending = caseAt('closed', {
      returnVisit: { status: 'pending', reason: 'low_rating' },
      timer: { kind: 'rating_window', at: PAST },
    });
    expect(planTransition(pending, { action: 'flag_unrated' }, system, ctx, NOW)).toMatchObject({
      ok: false,
      message: 'already on the return-visit list',
    });
    const open = caseAt('closed', { timer: { kind: 'rating_window', at: LATER } });
    expect(planTransition(open, { action: 'flag_unrated' }, system, ctx, NOW)).toMatchObject({
      ok: false,
      reason: 'invalid',
    });
  });

  it('names the system action each timer calls for', () => {
    expect(dueTimerAction(caseAt('dispatched', { timer: { kind: 'accept_due', at: PAST } }))).toEqual(
      escalate('accept_overdue'),
    );
    expect(dueTimerAction(caseAt('in_progress', { timer: { kind: 'resolve_due', at: PAST } }))).toEqual(
      escalate('resolve_overdue'),
    );
    expect(dueTimerAction(caseAt('closed', { timer: { kind: 'rating_window', at: PAST } }))).toEqual({
      action: 'flag_unrated',
    });
    expect(dueTimerAction(caseAt('closed'))).toBeUndefined();
  });

  it('still reads an escalation stored before it named its deadline', () => {
    const stored = CaseState.parse(
      caseAt('dispatched', { escalation: { at: PAST, reason: 'accept_overdue' } }),
    );
    expect(stored.escalation).toEqual({ at: PAST, reason: 'accept_overdue' });
  });
});

describe("the original's half of a merge", () => {
  const duplicate = caseAt('dispatched', { trackingCode: 'R4D8WNC3E' });
  const original = caseAt('in_progress', { version: 7 });

  it('links the duplicate as one new version of the original, conditioned on the version read', () => {
    const result = planDuplicateLink(original, duplicate, staff.dispatcher, NOW);
    expect(result).toMatchObject({
      ok: true,
      plan: {
        change: 'link',
        duplicate: 'R4D8WNC3E',
        from: { stage: 'in_progress', version: 7 },
        event: { stage: 'in_progress', at: NOW.toISOString(), by: 'u-disp', action: 'link_duplicate' },
      },
    });
    expect(result.ok && result.plan.event.note).toContain('R4D-8WN-C3E');
  });

  it('refuses, naming `into`, an original that is unknown, unseen, closed, merged, of another category or itself', () => {
    const refusals: [CaseState | undefined, string][] = [
      [undefined, 'no case with this code is visible to you'],
      [caseAt('dispatched', { communityId: 'dongquan-weijiazhuang', townshipId: 'dongquan' }), 'visible'],
      [caseAt('closed'), 'open case'],
      [caseAt('merged', { mergedInto: 'R4D8WNC3E' }), 'open case'],
      [caseAt('dispatched', { category: 'fraud' }), 'same category'],
      [caseAt('dispatched', { trackingCode: 'R4D8WNC3E' }), 'itself'],
    ];
    for (const [target, message] of refusals) {
      const result = planDuplicateLink(target, duplicate, staff.dispatcher, NOW);
      expect(result.ok).toBe(false);
      expect(!result.ok && result).toMatchObject({ path: 'into', message: expect.stringContaining(message) });
    }
  });

  it('takes back only its own hold: the duplicate stays listed while another attempt holds it', () => {
    const first = planDuplicateLink(original, duplicate, staff.dispatcher, NOW);
    expect(first.ok && first.plan.holds).toBe(1);
    const heldTwice = {
      ...original,
      version: 9,
      duplicates: ['R4D8WNC3E'],
      duplicateLinks: { R4D8WNC3E: 2 },
    };
    expect(planDuplicateUnlink(heldTwice, 'R4D8WNC3E', as(staff.dispatcher), NOW)).toMatchObject({
      change: 'unlink',
      holds: 1,
      from: { stage: 'in_progress', version: 9 },
      event: { action: 'unlink_duplicate', by: 'u-disp' },
    });
    const heldOnce = { ...original, version: 8, duplicates: ['R4D8WNC3E'], duplicateLinks: { R4D8WNC3E: 1 } };
    expect(planDuplicateUnlink(heldOnce, 'R4D8WNC3E', as(staff.dispatcher), NOW)).toMatchObject({ holds: 0 });
    expect(planDuplicateUnlink(original, 'R4D8WNC3E', as(staff.dispatcher), NOW)).toBeUndefined();
  });

  it('counts a duplicate listed before links were held as held once', () => {
    const legacy = { ...original, duplicates: ['R4D8WNC3E'] };
    expect(planDuplicateUnlink(legacy, 'R4D8WNC3E', as(staff.dispatcher), NOW)).toMatchObject({ holds: 0 });
  });
});

describe('who did it, in the history', () => {
  it('records a dispatcher’s action with their name and their own centre, not the case’s unit', () => {
    const result = planTransition(
      caseAt('in_progress', { unitId: 'psb-antifraud' }),
      { action: 'reassign', unitId: 'transport', note: '应由交通局处理' },
      as(staff.dispatcher),
      ctx,
      NOW,
    );
    if (!result.ok) throw new Error(`refused: ${result.reason}`);
    expect(result.plan.event).toMatchObject({
      by: 'u-disp',
      actor: { name: 'D', role: 'centre_dispatcher', unitId: 'centre-chengdong' },
    });
  });

  it('records a grid worker with their community and a supervisor with the county centre', () => {
    expect(timelineActor(staff.gridWorker, 'county-centre')).toEqual({
      name: 'G',
      role: 'grid_worker',
      communityId: 'chengdong-kangning',
    });
    const original = caseAt('dispatched', { trackingCode: 'R4D8WNC3E' });
    const linked = planDuplicateLink(original, caseAt('registered'), staff.supervisor, NOW, 'county-centre');
    if (!linked.ok) throw new Error(linked.message);
    expect(linked.plan.event.actor).toEqual({
      name: 'S',
      role: 'county_supervisor',
      unitId: 'county-centre',
    });
  });

  it('records no staff actor for the system or the reporter', () => {
    const escalated = planTransition(
      caseAt('dispatched', { timer: { kind: 'accept_due', at: '2026-11-30T01:00:00.000Z' } }),
      { action: 'escalate', reason: 'accept_overdue' },
      system,
      ctx,
      NOW,
    );
    if (!escalated.ok) throw new Error(`refused: ${escalated.reason}`);
    expect(escalated.plan.event.actor).toBeUndefined();
  });
});
