/** The campaign lifecycle as pure functions: what each state allows, when runs are due, what a late scheduler skips. */
import { describe, expect, it } from 'vitest';
import { type CampaignPlan, emptyCounts } from '../../../shared/domain/outreach/campaign.ts';
import {
  advanceCampaign,
  applyCampaignAction,
  completeIfDone,
  dueAtFor,
  editCampaign,
  newCampaign,
} from '../../../shared/domain/outreach/campaign-lifecycle.ts';
import { fromShanghaiLocal } from '../../../shared/domain/outreach/shanghai-time.ts';
import type { Staff } from '../../../shared/domain/staff.ts';
import { TransitionNotAllowedError, ValidationError } from '../../../shared/errors.ts';

const officer: Staff = { role: 'outreach_staff', userId: 'u-1', name: '民警' };
const at = (local: string) => fromShanghaiLocal(local);
const weekly: CampaignPlan = {
  title: '每周提醒',
  communityIds: ['chengdong-kangning'],
  firstRunAt: '2026-12-01T10:00',
  recurrence: { frequency: 'weekly', interval: 1, count: 4 },
  channel: { kind: 'sms', signature: '平遥反诈', body: '谨防电信诈骗。' },
};
const lecture: CampaignPlan = {
  ...weekly,
  firstRunAt: '2026-12-10T15:00',
  recurrence: { frequency: 'once' },
  channel: {
    kind: 'lecture',
    venue: '活动室',
    durationMinutes: 60,
    assignee: { role: 'police_officer', name: '王警官', phone: '+8613911112222' },
  },
};
const schedule = (plan: CampaignPlan, now: Date) =>
  applyCampaignAction(newCampaign(plan, 'c', officer, now), { action: 'schedule', expectedVersion: 1 }, now);

describe('scheduling', () => {
  it('points a scheduled SMS campaign at its first run, due at that minute', () => {
    const c = schedule(weekly, at('2026-11-30T09:00'));
    expect(c).toMatchObject({ status: 'scheduled', version: 2, nextRunAt: '2026-12-01T02:00:00.000Z' });
    expect(c.nextDueAt).toBe(c.nextRunAt);
  });

  it('treats a first run in the last five minutes as "send now", and an older one as missed', () => {
    expect(schedule(weekly, at('2026-12-01T10:04')).nextRunAt).toBe('2026-12-01T02:00:00.000Z');
    expect(schedule(weekly, at('2026-12-01T10:06')).nextRunAt).toBe('2026-12-08T02:00:00.000Z');
    expect(() => schedule({ ...weekly, recurrence: { frequency: 'once' } }, at('2026-12-01T10:06'))).toThrow(
      ValidationError,
    );
  });

  it('reminds a lecture’s assignee at 10:00 the day before, or at once when planned later than that', () => {
    expect(schedule(lecture, at('2026-12-01T09:00')).nextDueAt).toBe(at('2026-12-09T10:00').toISOString());
    const late = at('2026-12-09T18:00');
    expect(dueAtFor(lecture, at('2026-12-10T15:00'), late)).toEqual(late);
  });

  it('refuses an SMS start in quiet hours, naming firstRunAt', () => {
    expect(() =>
      newCampaign({ ...weekly, firstRunAt: '2026-12-01T21:00' }, 'c', officer, at('2026-11-30T09:00')),
    ).toThrow(expect.objectContaining({ issues: [expect.objectContaining({ path: 'firstRunAt' })] }));
    expect(() =>
      newCampaign({ ...weekly, firstRunAt: '2026-12-01T20:59' }, 'c', officer, at('2026-11-30T09:00')),
    ).not.toThrow();
  });

  it('refuses a weekly rule whose weekdays leave out the first run’s day', () => {
    const tuesdayStart = {
      ...weekly,
      recurrence: { frequency: 'weekly' as const, interval: 1, weekdays: ['MO' as const] },
    };
    expect(() => newCampaign(tuesdayStart, 'c', officer, at('2026-11-30T09:00'))).toThrow(
      expect.objectContaining({ issues: [expect.objectContaining({ path: 'recurrence.weekdays' })] }),
    );
  });
});

describe('running and finishing', () => {
  it('moves to running with the next occurrence once a run has started, and skips occurrences missed by hours', () => {
    const c = schedule(weekly, at('2026-11-30T09:00'));
    const running = advanceCampaign(c, at('2026-12-01T10:00'), at('2026-12-01T10:00'));
    expect(running).toMatchObject({ status: 'running', nextRunAt: at('2026-12-08T10:00').toISOString() });
    // The scheduler was down for a week and a half: the 8th is 9 days late, the 15th is next.
    const late = advanceCampaign(c, at('2026-12-01T10:00'), at('2026-12-10T12:00'));
    expect(late.nextRunAt).toBe(at('2026-12-15T10:00').toISOString());
  });

  it('completes once the series has ended and every run is done, not before', () => {
    const once = schedule({ ...weekly, recurrence: { frequency: 'once' } }, at('2026-11-30T09:00'));
    const running = advanceCampaign(once, at('2026-12-01T10:00'), at('2026-12-01T10:00'));
    expect(running.nextRunAt).toBeUndefined();
    const run = (status: 'sending' | 'completed') => ({
      campaignId: 'c',
      runId: 'r',
      occurrenceAt: running.lastRunAt ?? '',
      campaignVersion: 2,
      title: 't',
      communityIds: [],
      channel: weekly.channel,
      status,
      createdAt: running.lastRunAt ?? '',
      counts: emptyCounts(),
    });
    expect(completeIfDone(running, [run('sending')], at('2026-12-01T11:00'))).toBeUndefined();
    expect(completeIfDone(running, [run('completed')], at('2026-12-01T11:00'))?.status).toBe('completed');
  });

  it('allows no edit or cancel after cancellation, and names what is allowed', () => {
    const cancelled = applyCampaignAction(
      newCampaign(weekly, 'c', officer, at('2026-11-30T09:00')),
      { action: 'cancel', expectedVersion: 1 },
      at('2026-11-30T09:00'),
    );
    expect(() => editCampaign(cancelled, weekly, at('2026-11-30T09:00'))).toThrow(TransitionNotAllowedError);
    expect(() =>
      applyCampaignAction(cancelled, { action: 'cancel', expectedVersion: 2 }, at('2026-11-30T09:00')),
    ).toThrow('A cancelled campaign cannot be cancelled');
  });
});
