/**
 * The campaign planner's use cases on dynalite: who may plan, preview before scheduling, the
 * lifecycle through the API (draft → scheduled → running → completed, or cancelled), edits that
 * only reach runs not yet started, concurrent edits, attendance, and the calendar; and the
 * outreach tasks a grid worker sees and records attendance for, in their own community only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoOrganisation } from '../../infra/demo/demo-organisation.ts';
import { DynamoDbFraudReports } from '../../shared/adapters/dynamodb-fraud-reports.ts';
import type { CampaignPlan } from '../../shared/domain/outreach/campaign.ts';
import type { Staff } from '../../shared/domain/staff.ts';
import { ForbiddenError, ValidationError, VersionConflictError } from '../../shared/errors.ts';
import { listCampaigns } from '../../shared/services/campaigns/campaign-calendar.ts';
import { fraudRiskRanking } from '../../shared/services/campaigns/fraud-risk-ranking.ts';
import {
  listOutreachTasks,
  type OutreachTask,
  recordAttendance,
} from '../../shared/services/campaigns/outreach-tasks.ts';
import {
  actOnCampaign,
  createCampaign,
  getCampaign,
  updateCampaign,
} from '../../shared/services/campaigns/plan-campaigns.ts';
import type { CampaignApiDeps } from '../../shared/services/campaigns/planner-context.ts';
import { previewCampaign } from '../../shared/services/campaigns/preview-campaign.ts';
import { startDueRuns } from '../../shared/services/start-due-runs.ts';
import { type EmulatedTables, emulatedTables } from '../support/emulated-tables.ts';
import { DAY_MS, type OutreachWorld, outreachWorld, smsPlan } from '../support/outreach.ts';

let env: EmulatedTables;
let world: OutreachWorld;
let deps: CampaignApiDeps;
let ids = 0;

beforeAll(async () => {
  env = await emulatedTables();
  world = outreachWorld(env);
  deps = {
    campaigns: world.store,
    directory: { load: async () => demoOrganisation },
    fraudReports: new DynamoDbFraudReports(env.db, env.tables.stats ?? ''),
    households: world.registry,
    reach: world.store,
    capWindowMs: 7 * DAY_MS,
    quietHours: { start: '21:00', end: '08:00' },
    newId: () => `cmp-test-${++ids}`,
    now: () => world.clock.now,
  };
});
afterAll(async () => {
  await env?.stop();
});

const officer: Staff = { role: 'outreach_staff', userId: 'u-1', name: '反诈宣传民警' };
const supervisor: Staff = { role: 'county_supervisor', userId: 'u-2', name: '督办员' };
const admin: Staff = { role: 'admin', userId: 'u-3', name: '管理员' };
const handler: Staff = { role: 'unit_handler', userId: 'u-4', name: '办理员', unitId: 'psb-antifraud' };
const dispatcher: Staff = {
  role: 'centre_dispatcher',
  userId: 'u-5',
  name: '调度员',
  unitId: 'centre-chengxi',
  townshipId: 'chengxi',
};
const GUCHENG = 'chengxi-gucheng';
const DONGYING = 'duancun-dongying';
const gridGucheng: Staff = { role: 'grid_worker', userId: 'u-6', name: '古城网格员', communityId: GUCHENG };
const gridTaihe: Staff = {
  role: 'grid_worker',
  userId: 'u-7',
  name: '太和网格员',
  communityId: 'chengdong-taihe',
};

describe('who may plan', () => {
  it('lets outreach staff and the county supervisor create campaigns', async () => {
    world.clock.set('2026-12-01T09:00');
    expect((await createCampaign(officer, smsPlan(), deps)).campaign.status).toBe('draft');
    expect((await createCampaign(supervisor, smsPlan(), deps)).campaign.createdBy.name).toBe('督办员');
  });

  it('answers 403 to an admin or a case handler who tries to create or cancel one', async () => {
    await expect(createCampaign(admin, smsPlan(), deps)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(createCampaign(handler, smsPlan(), deps)).rejects.toBeInstanceOf(ForbiddenError);
    const { campaign } = await createCampaign(officer, smsPlan(), deps);
    await expect(
      actOnCampaign(admin, campaign.campaignId, { action: 'cancel', expectedVersion: 1 }, deps),
    ).rejects.toBeInstanceOf(ForbiddenError);
    // Admins may look, without the buttons.
    expect((await getCampaign(admin, campaign.campaignId, deps)).allowedActions).toEqual([]);
    await expect(fraudRiskRanking(handler, deps)).rejects.toBeInstanceOf(ForbiddenError);
  });
});

describe('previewCampaign', () => {
  it('shows the whole message, its part count and the messages and parts it will cost', async () => {
    const body =
      '近期冒充客服退款诈骗高发，凡是要求您下载会议软件、开启屏幕共享、提供验证码的都是诈骗，请立即挂断，并拨打110报警或向社区民警求助。';
    const preview = await previewCampaign(
      officer,
      smsPlan({
        communityIds: ['chengdong-kangning', 'dongquan-weijiazhuang'],
        channel: { kind: 'sms', signature: '平遥反诈', body },
      }),
      deps,
    );
    const households = demoOrganisation.communities
      .filter((c) => c.id === 'chengdong-kangning' || c.id === 'dongquan-weijiazhuang')
      .reduce((n, c) => n + c.households, 0);
    expect(preview.message?.text).toBe(`【平遥反诈】${body}拒收请回复R`);
    expect(preview.message?.parts).toBe(2);
    expect(preview.households).toBe(households);
    expect(preview.message).toMatchObject({ estimatedMessages: households, estimatedParts: households * 2 });
  });

  it('names the field when the text imitates the national anti-fraud centre or the time is in quiet hours', async () => {
    const bad = smsPlan({ channel: { kind: 'sms', signature: '平遥反诈', body: '有疑问请拨打96110咨询' } });
    await expect(previewCampaign(officer, bad, deps)).rejects.toMatchObject({
      issues: [expect.objectContaining({ path: 'channel.body' })],
    });
    await expect(
      createCampaign(officer, smsPlan({ firstRunAt: '2026-12-01T21:30' }), deps),
    ).rejects.toMatchObject({
      issues: [expect.objectContaining({ path: 'firstRunAt' })],
    });
    await expect(createCampaign(officer, smsPlan({ communityIds: ['nowhere'] }), deps)).rejects.toMatchObject(
      {
        issues: [{ path: 'communityIds.0', message: 'no community nowhere' }],
      },
    );
  });

  it('warns that a monthly series on the 31st skips shorter months', async () => {
    const preview = await previewCampaign(
      officer,
      smsPlan({
        firstRunAt: '2026-12-31T10:00',
        recurrence: { frequency: 'monthly', interval: 1, monthDay: 'same_day', count: 3 },
      }),
      deps,
    );
    expect(preview.upcoming).toEqual([
      '2026-12-31T02:00:00.000Z',
      '2027-01-31T02:00:00.000Z',
      '2027-03-31T02:00:00.000Z',
    ]);
    expect(preview.warnings.join(' ')).toMatch(/skipped/);
  });
});

describe('the campaign lifecycle through the planner', () => {
  it('edits a running weekly campaign so that only runs not yet started change', async () => {
    world.clock.set('2026-12-07T09:00');
    const { campaign } = await createCampaign(
      officer,
      {
        ...smsPlan({
          firstRunAt: '2026-12-07T10:00',
          recurrence: { frequency: 'weekly', interval: 1, count: 3 },
        }),
        schedule: true,
      },
      deps,
    );
    world.clock.set('2026-12-07T10:00');
    await startDueRuns(world.tickDeps);
    const started = await getCampaign(officer, campaign.campaignId, deps);
    expect(started.campaign.status).toBe('running');

    const edited = await updateCampaign(
      officer,
      campaign.campaignId,
      {
        ...smsPlan({
          firstRunAt: '2026-12-07T10:00',
          recurrence: { frequency: 'weekly', interval: 1, count: 3 },
          channel: { kind: 'sms', signature: '平遥反诈', body: '新的提醒内容。' },
        }),
        expectedVersion: started.campaign.version,
      },
      deps,
    );
    expect(edited.campaign.nextRunAt).toBe('2026-12-14T02:00:00.000Z');
    // The run already started keeps the text it started with.
    expect(edited.runs[0]?.channel).toMatchObject({ body: '公安机关不会要求转账到安全账户。' });

    world.clock.set('2026-12-14T10:00');
    await startDueRuns(world.tickDeps);
    const runs = (await getCampaign(officer, campaign.campaignId, deps)).runs;
    expect(runs.map((r) => (r.channel.kind === 'sms' ? r.channel.body : ''))).toEqual([
      '公安机关不会要求转账到安全账户。',
      '新的提醒内容。',
    ]);
  });

  it('answers a version conflict when two planners change the same campaign at once', async () => {
    world.clock.set('2026-12-01T09:00');
    const { campaign } = await createCampaign(officer, smsPlan(), deps);
    const attempts = await Promise.allSettled([
      actOnCampaign(officer, campaign.campaignId, { action: 'schedule', expectedVersion: 1 }, deps),
      actOnCampaign(supervisor, campaign.campaignId, { action: 'cancel', expectedVersion: 1 }, deps),
    ]);
    const rejected = attempts.filter((a) => a.status === 'rejected');
    expect(rejected).toHaveLength(1);
    expect(rejected[0]?.status === 'rejected' ? rejected[0].reason : undefined).toBeInstanceOf(
      VersionConflictError,
    );
  });

  it('refuses to schedule a campaign whose only run is in the past', async () => {
    world.clock.set('2026-12-02T09:00');
    const { campaign } = await createCampaign(officer, smsPlan({ firstRunAt: '2026-12-01T10:00' }), deps);
    await expect(
      actOnCampaign(officer, campaign.campaignId, { action: 'schedule', expectedVersion: 1 }, deps),
    ).rejects.toBeInstanceOf(ValidationError);
  });

  it('completes a screening once attendance is recorded for each of its communities', async () => {
    world.clock.set('2026-12-01T09:00');
    const { campaign } = await createCampaign(
      officer,
      {
        ...smsPlan({
          firstRunAt: '2026-12-03T19:30',
          communityIds: ['chengdong-kangning', 'chengdong-taihe'],
          channel: {
            kind: 'video',
            venue: '社区文化广场',
            durationMinutes: 30,
            assignee: { role: 'grid_worker', name: '李网格', phone: '13911113333' },
          },
        }),
        schedule: true,
      },
      deps,
    );
    world.clock.set('2026-12-02T10:00');
    await startDueRuns(world.tickDeps);
    const [run] = (await getCampaign(officer, campaign.campaignId, deps)).runs;
    const runId = run?.runId ?? '';
    await expect(
      recordAttendance(officer, campaign.campaignId, runId, { counts: { 'chengdong-kangning': 40 } }, deps),
    ).rejects.toMatchObject({ issues: [expect.objectContaining({ path: 'runId' })] });

    world.clock.set('2026-12-03T21:00');
    const partly = await recordAttendance(
      officer,
      campaign.campaignId,
      runId,
      { counts: { 'chengdong-kangning': 40 } },
      deps,
    );
    expect(partly.runs[0]?.status).toBe('awaiting_attendance');
    const done = await recordAttendance(
      officer,
      campaign.campaignId,
      runId,
      { counts: { 'chengdong-taihe': 25 } },
      deps,
    );
    expect(done.runs[0]).toMatchObject({
      status: 'completed',
      attendance: { 'chengdong-kangning': 40, 'chengdong-taihe': 25 },
    });
    expect('campaign' in done && done.campaign.status).toBe('completed');
  });

  it('shows scheduled occurrences on the calendar, not drafts or cancelled ones', async () => {
    world.clock.set('2027-03-01T09:00');
    const shown = await createCampaign(
      officer,
      {
        ...smsPlan({
          title: '三月周报',
          firstRunAt: '2027-03-02T10:00',
          recurrence: { frequency: 'weekly', interval: 1, count: 2 },
        }),
        schedule: true,
      },
      deps,
    );
    await createCampaign(officer, smsPlan({ title: '草稿', firstRunAt: '2027-03-03T10:00' }), deps);
    const calendar = await listCampaigns(officer, { from: '2027-03-01', to: '2027-03-31' }, deps);
    expect(calendar.calendar.map((e) => [e.campaignId, e.at])).toEqual([
      [shown.campaign.campaignId, '2027-03-02T02:00:00.000Z'],
      [shown.campaign.campaignId, '2027-03-09T02:00:00.000Z'],
    ]);
  });
});

describe('outreach tasks', () => {
  const phone = '13700005678';
  const lecture = (overrides: Partial<CampaignPlan> = {}) => ({
    ...smsPlan({
      title: '古城东营以案说法',
      communityIds: [GUCHENG, DONGYING],
      firstRunAt: '2027-06-03T19:30',
      recurrence: { frequency: 'weekly', interval: 1, count: 3 },
      channel: {
        kind: 'lecture',
        venue: '古城社区活动室',
        durationMinutes: 90,
        assignee: { role: 'police_officer', name: '王警官', phone },
      },
      ...overrides,
    }),
    schedule: true,
  });
  let lectureId = '';
  let screeningId = '';

  beforeAll(async () => {
    world.clock.set('2027-06-01T09:00');
    lectureId = (await createCampaign(officer, lecture(), deps)).campaign.campaignId;
    // A screening in Dongying only, and what is no task: a draft, a cancelled lecture, an SMS.
    screeningId = (
      await createCampaign(
        officer,
        lecture({
          title: '东营反诈短视频',
          communityIds: [DONGYING],
          firstRunAt: '2027-06-05T19:00',
          recurrence: { frequency: 'once' },
          channel: {
            kind: 'video',
            venue: '东营村广场',
            durationMinutes: 30,
            assignee: { role: 'grid_worker', name: '东营网格员', phone: '13911112222' },
          },
        }),
        deps,
      )
    ).campaign.campaignId;
    await createCampaign(officer, { ...lecture({ title: '草稿讲座' }), schedule: false }, deps);
    const cancelled = await createCampaign(officer, lecture({ title: '取消的讲座' }), deps);
    await actOnCampaign(
      officer,
      cancelled.campaign.campaignId,
      { action: 'cancel', expectedVersion: 2 },
      deps,
    );
    await createCampaign(
      officer,
      { ...smsPlan({ communityIds: [GUCHENG], firstRunAt: '2027-06-04T10:00' }), schedule: true },
      deps,
    );
  });

  it('shows a grid worker the lectures and screenings of their community only, without the assignee’s phone', async () => {
    const answer = await listOutreachTasks(gridGucheng, {}, deps);
    expect(answer.communityId).toBe(GUCHENG);
    expect(answer.tasks.map((t) => t.campaignId)).toEqual([lectureId]);
    expect(answer.tasks[0]).toEqual({
      campaignId: lectureId,
      title: '古城东营以案说法',
      kind: 'lecture',
      status: 'scheduled',
      communityIds: [GUCHENG],
      venue: '古城社区活动室',
      durationMinutes: 90,
      assignee: { role: 'police_officer', name: '王警官' },
      upcoming: ['2027-06-03T11:30:00.000Z', '2027-06-10T11:30:00.000Z', '2027-06-17T11:30:00.000Z'],
      runs: [],
    });
    expect(JSON.stringify(answer)).not.toContain(phone.slice(-8));
    // Their own community by name is fine; another community's is not theirs to ask for.
    expect((await listOutreachTasks(gridGucheng, { communityId: GUCHENG }, deps)).tasks).toHaveLength(1);
    await expect(listOutreachTasks(gridGucheng, { communityId: DONGYING }, deps)).rejects.toBeInstanceOf(
      ForbiddenError,
    );
  });

  it('shows outreach staff and the supervisor every community, or the one asked for', async () => {
    const dongying = await listOutreachTasks(officer, { communityId: DONGYING }, deps);
    expect(dongying.tasks.map((t) => t.campaignId).sort()).toEqual([lectureId, screeningId].sort());
    expect(dongying.tasks.every((t) => t.communityIds.join() === DONGYING)).toBe(true);
    const all = await listOutreachTasks(supervisor, undefined, deps);
    expect(all.communityId).toBeUndefined();
    expect(all.tasks.find((t) => t.campaignId === lectureId)?.communityIds).toEqual([GUCHENG, DONGYING]);
    await expect(listOutreachTasks(officer, { communityId: 'nowhere' }, deps)).rejects.toMatchObject({
      issues: [{ path: 'communityId', message: 'no community nowhere' }],
    });
  });

  it('answers 403 to case handlers, dispatchers and admins', async () => {
    for (const staff of [handler, dispatcher, admin])
      await expect(listOutreachTasks(staff, {}, deps)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(
      recordAttendance(handler, lectureId, '20270603T1930', { counts: { [GUCHENG]: 1 } }, deps),
    ).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('lets a grid worker record the attendance of their own community on a run that covers it, and nothing else', async () => {
    world.clock.set('2027-06-02T10:00');
    await startDueRuns(world.tickDeps);
    const runId = '20270603T1930';
    const waiting = (await listOutreachTasks(gridGucheng, {}, deps)).tasks[0]?.runs;
    expect(waiting).toEqual([
      {
        runId,
        occurrenceAt: '2027-06-03T11:30:00.000Z',
        status: 'awaiting_attendance',
        communityIds: [GUCHENG],
        attendance: {},
        awaitingAttendance: [GUCHENG],
      },
    ]);
    // Not before the event.
    await expect(
      recordAttendance(gridGucheng, lectureId, runId, { counts: { [GUCHENG]: 30 } }, deps),
    ).rejects.toMatchObject({ issues: [expect.objectContaining({ path: 'runId' })] });

    world.clock.set('2027-06-03T21:30');
    const forbidden = [
      recordAttendance(gridGucheng, lectureId, runId, { counts: { [DONGYING]: 10 } }, deps),
      recordAttendance(gridGucheng, lectureId, runId, { counts: { [GUCHENG]: 30, [DONGYING]: 10 } }, deps),
      // Taihe's grid worker, for Taihe, on a run that was not held there.
      recordAttendance(gridTaihe, lectureId, runId, { counts: { 'chengdong-taihe': 3 } }, deps),
    ];
    for (const attempt of forbidden) await expect(attempt).rejects.toBeInstanceOf(ForbiddenError);

    const answer = await recordAttendance(gridGucheng, lectureId, runId, { counts: { [GUCHENG]: 30 } }, deps);
    const task: OutreachTask | undefined = 'campaign' in answer ? undefined : answer;
    expect(task?.runs[0]).toMatchObject({
      runId,
      status: 'awaiting_attendance',
      attendance: { [GUCHENG]: 30 },
      awaitingAttendance: [],
    });
    expect(JSON.stringify(answer)).not.toContain(phone.slice(-8));

    // Dongying is still to come, which the officer records; then the run is complete.
    const planner = await listOutreachTasks(officer, { communityId: DONGYING }, deps);
    expect(planner.tasks.find((t) => t.campaignId === lectureId)?.runs[0]?.awaitingAttendance).toEqual([
      DONGYING,
    ]);
    const done = await recordAttendance(officer, lectureId, runId, { counts: { [DONGYING]: 12 } }, deps);
    expect('campaign' in done && done.runs[0]).toMatchObject({
      status: 'completed',
      attendance: { [GUCHENG]: 30, [DONGYING]: 12 },
    });
    const after = (await listOutreachTasks(gridGucheng, {}, deps)).tasks[0];
    expect(after?.runs[0]).toMatchObject({ status: 'completed', attendance: { [GUCHENG]: 30 } });
    expect(after?.upcoming).toEqual(['2027-06-10T11:30:00.000Z', '2027-06-17T11:30:00.000Z']);
  });
});

describe('sending now', () => {
  it('previews a first run in the current minute as the next run, without a warning', async () => {
    world.clock.set('2026-12-01T10:00');
    world.clock.now = new Date(world.clock.now.getTime() + 30_000);
    const preview = await previewCampaign(officer, smsPlan({ firstRunAt: '2026-12-01T10:00' }), deps);
    expect(preview.upcoming).toEqual(['2026-12-01T02:00:00.000Z']);
    expect(preview.warnings).toEqual([]);
  });
});
