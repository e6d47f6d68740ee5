/**
 * Staff notifications as data: who gets each kind, read from the directory as it stands (a worker
 * moved off the grid is not among them), the card with its link into the console and nothing of
 * the resident, the platform's byte limits, recipients in groups of 1,000, and the lifecycle
 * planning a return-visit notification exactly when a case goes on the list.
 */
import { describe, expect, it } from 'vitest';
import { demoOrganisation } from '../../infra/demo/demo-organisation.ts';
import type { CaseState } from '../../shared/domain/case.ts';
import { type LifecycleContext, planTransition } from '../../shared/domain/case-lifecycle.ts';
import type { Organisation } from '../../shared/domain/organisation.ts';
import {
  clipUtf8,
  recipientBatches,
  recipientsOf,
  renderStaffCard,
  StaffNotification,
} from '../../shared/domain/staff-notification.ts';

const CONSOLE = 'https://grid.example.gov.cn/console';

const returnVisit: StaffNotification = {
  kind: 'staff.notify',
  about: 'return_visit',
  key: 'rv#K7M2QX9PA#v9',
  trackingCode: 'K7M2QX9PA',
  category: 'sanitation',
  communityId: 'chengdong-kangning',
  reason: 'low_rating',
};
const overdue: StaffNotification = {
  kind: 'staff.notify',
  about: 'overdue',
  key: 'od#K7M2QX9PA#v4',
  trackingCode: 'K7M2QX9PA',
  category: 'road',
  communityId: 'chengdong-kangning',
  unitId: 'urban-management',
  reason: 'resolve_overdue',
};
const lecture: StaffNotification = {
  kind: 'staff.notify',
  about: 'outreach_task',
  key: 'task#cmp-1#20261210T1500',
  campaignId: 'cmp-1',
  task: 'lecture',
  occurrenceAt: '2026-12-10T07:00:00.000Z',
  venue: '康宁社区活动室',
  communityIds: ['chengdong-kangning', 'chengdong-shuncheng'],
};

const kangningWorkers = demoOrganisation.grids
  .filter((g) => g.communityId === 'chengdong-kangning')
  .map((g) => g.wecomUserId);

describe('who a staff notification reaches', () => {
  it("sends a return visit to the grid workers of the case's community", () => {
    expect(kangningWorkers.length).toBeGreaterThan(0);
    expect(recipientsOf(returnVisit, demoOrganisation)).toEqual(kangningWorkers);
  });

  it("sends an overdue case to its unit's handlers and the county centre's", () => {
    expect(recipientsOf(overdue, demoOrganisation)).toEqual(['duty-urban-management', 'duty-county-centre']);
  });

  it("sends tomorrow's lecture to the grid workers of every community it is held for", () => {
    const recipients = recipientsOf(lecture, demoOrganisation);
    expect(recipients).toEqual(expect.arrayContaining(kangningWorkers));
    expect(recipients.some((u) => u?.startsWith('gw-chengdong-shuncheng-'))).toBe(true);
  });

  it('reads the grid as it is now: a worker who left it is not told, their successor is', () => {
    const [first, ...rest] = demoOrganisation.grids;
    if (!first) throw new Error('the demo has grids');
    const moved: Organisation = {
      ...demoOrganisation,
      grids: [{ ...first, wecomUserId: 'gw-successor' }, ...rest],
    };
    const notification = { ...returnVisit, communityId: first.communityId };
    expect(recipientsOf(notification, demoOrganisation)).toContain(first.wecomUserId);
    expect(recipientsOf(notification, moved)).not.toContain(first.wecomUserId);
    expect(recipientsOf(notification, moved)).toContain('gw-successor');
  });

  it('reaches nobody in a community without a registered grid worker', () => {
    expect(recipientsOf({ ...returnVisit, communityId: 'dongquan-weijiazhuang' }, demoOrganisation)).toEqual(
      [],
    );
  });
});

describe('the card', () => {
  it('links a case notification to the case in the console and names category, community and code only', () => {
    const card = renderStaffCard(returnVisit, demoOrganisation, CONSOLE);
    expect(card.url).toBe(`${CONSOLE}#/case/K7M2QX9PA`);
    expect(card.title).toBe('回访任务：环境卫生');
    expect(card.description).toContain('康宁社区');
    expect(card.description).toContain('K7M-2QX-9PA');
    expect(card.description).not.toMatch(/1[3-9]\d{9}/);
  });

  it('says which deadline passed and where the case is held', () => {
    const card = renderStaffCard(overdue, demoOrganisation, CONSOLE);
    expect(card.url).toBe(`${CONSOLE}#/case/K7M2QX9PA`);
    expect(card.description).toContain('超期未办结');
    expect(card.description).toContain('城市管理');
  });

  it("links a lecture to the grid worker's task list, with the Shanghai date, time and venue", () => {
    const card = renderStaffCard(lecture, demoOrganisation, CONSOLE);
    expect(card.url).toBe(`${CONSOLE}#/tasks`);
    expect(card.description).toContain('12月10日15:00在康宁社区活动室');
  });

  it('goes without a link when no console address is configured', () => {
    expect(renderStaffCard(overdue, demoOrganisation, undefined).url).toBeUndefined();
  });

  it("keeps within the platform's 512-byte description, cutting whole characters", () => {
    const longest = { ...lecture, venue: '场'.repeat(80) };
    const card = renderStaffCard(longest, demoOrganisation, CONSOLE);
    expect(new TextEncoder().encode(card.description).length).toBeLessThanOrEqual(512);
    expect(card.description).toContain('场'.repeat(80));
    expect(clipUtf8('康宁社区', 7)).toBe('康…');
    expect(clipUtf8('康宁社区', 12)).toBe('康宁社区');
  });
});

describe('the message', () => {
  it('refuses a notification without its key, naming the field', () => {
    const parsed = StaffNotification.safeParse({ ...overdue, key: '' });
    expect(parsed.success).toBe(false);
    expect(JSON.stringify(parsed.error?.issues)).toContain('key');
  });

  it('puts at most 1,000 userids in one message/send', () => {
    const users = Array.from({ length: 2_345 }, (_, i) => `u${i}`);
    const batches = recipientBatches(users);
    expect(batches.map((b) => b.length)).toEqual([1000, 1000, 345]);
    expect(batches.flat()).toEqual(users);
  });
});

describe('what the lifecycle plans', () => {
  const NOW = new Date('2026-11-30T02:00:00.000Z');
  const ctx: LifecycleContext = {
    countyCentreUnitId: 'county-centre',
    townshipCentreOf: (t) => (t ? `centre-${t}` : undefined),
    unitExists: () => true,
    deadline: (_kind, from) => new Date(from.getTime() + 86_400_000),
    workingMs: (from, to) => Math.max(0, to.getTime() - from.getTime()),
    ratingWindowDays: 3,
  };
  const closed = (extra: Partial<CaseState> = {}): CaseState => ({
    trackingCode: 'K7M2QX9PA',
    submissionId: '0b6f1c8e-5d4a-4e8b-9c61-2f1f4f3a9b10',
    stage: 'closed',
    version: 7,
    category: 'road',
    communityId: 'chengdong-kangning',
    townshipId: 'chengdong',
    unitId: 'urban-management',
    routing: { kind: 'rule', ruleId: 'road-chengdong' },
    channel: 'web',
    submittedAt: '2026-11-20T08:00:00.000Z',
    updatedAt: '2026-11-26T09:00:00.000Z',
    timeline: [{ stage: 'closed', at: '2026-11-26T09:00:00.000Z', by: 'system:test' }],
    ...extra,
  });
  const notifies = (result: ReturnType<typeof planTransition>) =>
    result.ok && result.plan.effects.some((e) => e.kind === 'notify_staff' && e.about === 'return_visit');

  it('tells the grid workers when a rating of 1 or 2 puts the case on the return-visit list, not for a 3', () => {
    const reporter = { kind: 'reporter' } as const;
    expect(notifies(planTransition(closed(), { action: 'rate', score: 2 }, reporter, ctx, NOW))).toBe(true);
    expect(notifies(planTransition(closed(), { action: 'rate', score: 3 }, reporter, ctx, NOW))).toBe(false);
  });

  it('tells them when nobody rated in time, and not when the visit is recorded', () => {
    const system = { kind: 'system', name: 'sweep-cases' } as const;
    const unrated = closed({ timer: { kind: 'rating_window', at: '2026-11-29T09:00:00.000Z' } });
    expect(notifies(planTransition(unrated, { action: 'flag_unrated' }, system, ctx, NOW))).toBe(true);
    const worker = {
      kind: 'staff',
      staff: { role: 'grid_worker', userId: 'u-gw', name: 'G', communityId: 'chengdong-kangning' },
    } as const;
    const onList = closed({ returnVisit: { status: 'pending', reason: 'no_rating' } });
    const visit = planTransition(
      onList,
      { action: 'record_return_visit', outcome: 'satisfied', note: '已电话回访，群众满意' },
      worker,
      ctx,
      NOW,
    );
    expect(visit.ok).toBe(true);
    expect(notifies(visit)).toBe(false);
  });
});
