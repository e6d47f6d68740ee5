import { describe, expect, it } from 'vitest';
import { demoOrganisation } from '../../infra/demo/demo-organisation.ts';
import type { CaseState } from '../../shared/domain/case.ts';
import {
  type Actor,
  CategoryCorrection,
  confirmsCategory,
  type LifecycleContext,
  mayReadClassification,
  planTransition,
  StaffRequestAction,
} from '../../shared/domain/case-lifecycle.ts';
import { statsDeltas } from '../../shared/domain/case-statistics.ts';
import type { CategoryCode } from '../../shared/domain/categories.ts';
import type { Staff } from '../../shared/domain/staff.ts';
import { defaultPolicies } from '../../shared/reference/default-policies.ts';
import { lifecycleContext } from '../../shared/services/lifecycle-context.ts';

const NOW = new Date('2026-11-30T02:00:00.000Z');

/** The demo county's routing and Pingyao's SLAs, for a case in 康宁社区 (城东街道). */
const ctx: LifecycleContext = lifecycleContext(
  'other',
  demoOrganisation,
  defaultPolicies,
  'chengdong-kangning',
);

const triageCase = (extra: Partial<CaseState> = {}): CaseState => ({
  trackingCode: 'K7M2QX9PA',
  submissionId: '0b6f1c8e-5d4a-4e8b-9c61-2f1f4f3a9b10',
  stage: 'dispatched',
  version: 3,
  category: 'other',
  communityId: 'chengdong-kangning',
  townshipId: 'chengdong',
  unitId: 'centre-chengdong',
  routing: { kind: 'rule', ruleId: 'other-county' },
  channel: 'sms',
  submittedAt: '2026-11-29T08:00:00.000Z',
  updatedAt: '2026-11-29T08:00:02.000Z',
  timeline: [
    { stage: 'received', at: '2026-11-29T08:00:00.000Z', by: 'channel:sms' },
    {
      stage: 'dispatched',
      at: '2026-11-29T08:00:02.000Z',
      by: 'system:route-report',
      unitId: 'centre-chengdong',
    },
  ],
  ...extra,
});

const staff = {
  townshipDispatcher: {
    role: 'centre_dispatcher',
    userId: 'u-disp',
    name: 'D',
    unitId: 'centre-chengdong',
    townshipId: 'chengdong',
  },
  countyDispatcher: {
    role: 'centre_dispatcher',
    userId: 'u-county',
    name: 'C',
    unitId: 'county-centre',
    townshipId: 'county',
  },
  otherDispatcher: {
    role: 'centre_dispatcher',
    userId: 'u-disp2',
    name: 'D2',
    unitId: 'centre-dongquan',
    townshipId: 'dongquan',
  },
  supervisor: { role: 'county_supervisor', userId: 'u-sup', name: 'S' },
  handler: { role: 'unit_handler', userId: 'u-handler', name: 'H', unitId: 'urban-management' },
  gridWorker: { role: 'grid_worker', userId: 'u-grid', name: 'G', communityId: 'chengdong-kangning' },
  admin: { role: 'admin', userId: 'u-admin', name: 'A' },
} satisfies Record<string, Staff>;

const as = (s: Staff): Actor => ({ kind: 'staff', staff: s });
const recategorise = (category: CategoryCode, note?: string) => ({
  action: 'recategorise' as const,
  category,
  ...(note ? { note } : {}),
});

describe('recategorise', () => {
  it('is accepted by the transitions route with a category code, and refused naming `category` otherwise', () => {
    expect(StaffRequestAction.parse({ action: 'recategorise', category: 'road' })).toEqual({
      action: 'recategorise',
      category: 'road',
    });
    const bad = CategoryCorrection.safeParse({ action: 'recategorise', category: 'potholes' });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(['category']);
  });

  it('moves the case to the new category’s owner as a reassignment would, and keeps the text as a labelled example', () => {
    const result = planTransition(
      triageCase(),
      recategorise('sanitation', '饭店往下水道倒泔水'),
      as(staff.townshipDispatcher),
      ctx,
      NOW,
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.plan).toMatchObject({
      to: 'dispatched',
      set: {
        category: 'sanitation',
        unitId: 'urban-management',
        timer: { kind: 'accept_due' },
      },
      transfer: true,
    });
    expect(result.plan.event).toMatchObject({
      action: 'recategorise',
      category: 'sanitation',
      unitId: 'urban-management',
      by: 'u-disp',
      note: '饭店往下水道倒泔水',
    });
    expect(result.plan.effects).toEqual(
      expect.arrayContaining([
        { kind: 'dispatch', unitId: 'urban-management', reason: 'reassigned' },
        { kind: 'training_example', category: 'sanitation' },
      ]),
    );
  });

  it('keeps the case where it is when the new category has the same owner, or the routing is not known', () => {
    const same = planTransition(
      triageCase(),
      recategorise('dispute'),
      as(staff.townshipDispatcher),
      ctx,
      NOW,
    );
    expect(same.ok && same.plan).toMatchObject({
      to: 'dispatched',
      set: { category: 'dispute' },
      transfer: false,
    });
    expect(same.ok && same.plan.set.unitId).toBeUndefined();
    const { ownerFor: _, ...noRouting } = ctx;
    const unplaced = planTransition(
      triageCase(),
      recategorise('heritage'),
      as(staff.townshipDispatcher),
      noRouting,
      NOW,
    );
    expect(unplaced.ok && unplaced.plan.set).toEqual({ category: 'heritage' });
    const accepted = planTransition(
      triageCase({ stage: 'in_progress' }),
      recategorise('dispute'),
      as(staff.townshipDispatcher),
      ctx,
      NOW,
    );
    expect(accepted.ok && accepted.plan.to).toBe('in_progress');
  });

  it('moves the category counters with the case', () => {
    const result = planTransition(
      triageCase(),
      recategorise('dispute'),
      as(staff.townshipDispatcher),
      ctx,
      NOW,
    );
    const stats = result.ok ? result.plan.effects.find((e) => e.kind === 'stats') : undefined;
    expect(stats?.kind === 'stats' && stats.fromCategory).toBe('other');
    if (stats?.kind !== 'stats') return;
    const deltas = statsDeltas({
      ...stats,
      trackingCode: 'K7M2QX9PA',
      version: 4,
      communityId: 'chengdong-kangning',
      category: 'dispute',
    });
    expect(deltas['k|other|dispatched']).toBe(-1);
    expect(deltas['k|dispute|dispatched']).toBe(1);
  });

  it('may be done by the township centre’s dispatchers, the county centre (supervisors, and dispatchers holding it), nobody else', () => {
    const atCounty = triageCase({
      unitId: 'county-centre',
      townshipId: undefined,
      routing: { kind: 'county_triage' },
    });
    expect(
      planTransition(triageCase(), recategorise('road'), as(staff.townshipDispatcher), ctx, NOW).ok,
    ).toBe(true);
    expect(planTransition(triageCase(), recategorise('road'), as(staff.supervisor), ctx, NOW).ok).toBe(true);
    expect(planTransition(atCounty, recategorise('road'), as(staff.countyDispatcher), ctx, NOW).ok).toBe(
      true,
    );
    for (const who of [staff.otherDispatcher, staff.handler, staff.gridWorker, staff.admin]) {
      expect(planTransition(triageCase(), recategorise('road'), as(who), ctx, NOW)).toMatchObject({
        ok: false,
        reason: 'forbidden',
      });
    }
  });

  it('is refused once the case is resolved, and for the category it already has (naming `category`)', () => {
    expect(
      planTransition(triageCase({ stage: 'resolved' }), recategorise('road'), as(staff.supervisor), ctx, NOW),
    ).toMatchObject({ ok: false, reason: 'stage' });
    expect(planTransition(triageCase(), recategorise('other'), as(staff.supervisor), ctx, NOW)).toMatchObject(
      {
        ok: false,
        reason: 'invalid',
        path: 'category',
      },
    );
  });
});

describe('a confirmed category', () => {
  const inProgress = (category: CategoryCode, unitId: string) =>
    triageCase({ stage: 'in_progress', category, unitId, routing: { kind: 'rule', ruleId: 'r' } });

  it('is a resolution by the unit the rules give the category: it keeps a labelled example', () => {
    // In 城东街道 the urban-management bureau owns roads.
    const result = planTransition(
      inProgress('road', 'urban-management'),
      { action: 'resolve', note: '已修' },
      as(staff.handler),
      ctx,
      NOW,
    );
    expect(result.ok && result.plan.effects).toContainEqual({ kind: 'training_example', category: 'road' });
    expect(confirmsCategory(inProgress('road', 'urban-management'), 'resolve', ctx)).toBe(true);
  });

  it('is not a resolution by a unit the case was only reassigned to, nor an acceptance, nor anything without routing', () => {
    const transport = { ...staff.handler, unitId: 'transport' };
    const result = planTransition(
      inProgress('road', 'transport'),
      { action: 'resolve', note: '已处理' },
      as(transport),
      ctx,
      NOW,
    );
    expect(result.ok && result.plan.effects.some((e) => e.kind === 'training_example')).toBe(false);
    expect(confirmsCategory(inProgress('road', 'urban-management'), 'accept', ctx)).toBe(false);
    const { ownerFor: _, ...noRouting } = ctx;
    expect(confirmsCategory(inProgress('road', 'urban-management'), 'resolve', noRouting)).toBe(false);
  });
});

describe('who reads why the classifier chose the category', () => {
  it('is those who may correct it and the unit holding the case, nobody else', () => {
    const atUrbanManagement = triageCase({ unitId: 'urban-management', category: 'sanitation' });
    const readers = (c: CaseState) =>
      Object.entries(staff)
        .filter(([, s]) => mayReadClassification(s, c))
        .map(([name]) => name);
    expect(readers(triageCase())).toEqual(['townshipDispatcher', 'supervisor']);
    expect(readers(atUrbanManagement)).toEqual(['townshipDispatcher', 'supervisor', 'handler']);
    // The grid worker sees the case (their community) and the admin every case; neither reads why.
    expect(readers(atUrbanManagement)).not.toContain('gridWorker');
    expect(readers(atUrbanManagement)).not.toContain('admin');
  });
});
