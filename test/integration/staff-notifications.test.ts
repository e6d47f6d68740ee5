/**
 * Staff notifications where staff are (issue 16 item 4), on the local runtime with the WeChat
 * Work simulator: the real sweeper escalates an overdue case and puts an unrated one on the
 * return-visit list, the outreach tick reaches tomorrow's lecture, and the notifier (notify-staff,
 * off its queue) sends each as one text card with a link into the console to the unit's handlers
 * or the community's grid workers — nothing of the resident in it. A repeated sweep or a
 * redelivered message sends once; a worker moved off the grid is no longer told; a send the
 * platform refuses (over its rate limit) is redelivered and then sent, once.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeHandler } from '../../functions/notify-staff.ts';
import { demoOrganisation } from '../../infra/demo/demo-organisation.ts';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime.ts';
import {
  type SentAppMessage,
  serveWecomSimulator,
  type WecomSimulator,
} from '../../infra/local/wecom-simulator.ts';
import { createDocumentClient } from '../../shared/adapters/aws-clients.ts';
import { DynamoDbCaseStore } from '../../shared/adapters/dynamodb-case-store.ts';
import { DynamoDbDirectory } from '../../shared/adapters/dynamodb-directory.ts';
import { DynamoDbStaffNotificationLedger } from '../../shared/adapters/dynamodb-staff-notifications.ts';
import { DynamoDbWecomState } from '../../shared/adapters/dynamodb-wecom-state.ts';
import { SqsStaffNotificationQueue } from '../../shared/adapters/sqs-staff-notification-queue.ts';
import { WecomApiClient } from '../../shared/adapters/wecom-api.ts';
import type { CaseState, TimelineEvent } from '../../shared/domain/case.ts';
import { applyCampaignAction, newCampaign } from '../../shared/domain/outreach/campaign-lifecycle.ts';
import type { StaffNotification } from '../../shared/domain/staff-notification.ts';
import { formatTrackingCode, generateTrackingCode } from '../../shared/domain/tracking-code.ts';
import { startDueRuns } from '../../shared/services/start-due-runs.ts';
import { lambdaContext } from '../support/lambda-context.ts';
import { outreachWorld, smsPlan } from '../support/outreach.ts';
import { eventually } from '../support/staff-api.ts';

let rt: LocalRuntime;
let sim: WecomSimulator;
let store: DynamoDbCaseStore;
let consoleUrl = '';

beforeAll(async () => {
  rt = await startLocalRuntime({ port: 0, memory: true, quiet: true });
  if (!rt.wecom) throw new Error('the runtime has no WeChat Work simulator');
  sim = rt.wecom;
  store = new DynamoDbCaseStore(createDocumentClient(rt.dynamoClient), rt.resources.tables.cases ?? '');
  consoleUrl = `${rt.url}/console`;
});
afterAll(async () => {
  await rt?.stop();
});

const DAY = 86_400_000;
const COMMUNITY = 'chengdong-kangning';
const kangningWorkers = demoOrganisation.grids
  .filter((g) => g.communityId === COMMUNITY)
  .flatMap((g) => (g.wecomUserId ? [g.wecomUserId] : []));

/** The cards the simulator took that name `code` (or any text), each with its recipients. */
const cardsAbout = (text: string, on: WecomSimulator = sim): (SentAppMessage & { users: string[] })[] =>
  on.sent
    .filter((m) => m.card !== undefined && m.content.includes(text))
    .map((m) => ({ ...m, users: m.touser.split('|') }));

// The notifier's cards arrive off the request path: polled, at most 10 s.
const cardPolls = { attempts: 100, everyMs: 100 };

/** Waits until the notifier's queue is empty and nothing is in flight (bounded). */
async function notifierSettled(): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const { Attributes } = await rt.sqsClient.send(
      new GetQueueAttributesCommand({
        QueueUrl: rt.queueUrl('staff-notifications'),
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    if (
      Attributes?.ApproximateNumberOfMessages === '0' &&
      Attributes.ApproximateNumberOfMessagesNotVisible === '0'
    )
      return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the notifier did not settle in time');
}

/** A road case in Kangning held by urban management, written as the lifecycle leaves it. */
function storedCase(stage: 'dispatched' | 'closed', extra: Partial<CaseState>): CaseState {
  const at = Date.now() - 20 * DAY;
  const iso = (i: number) => new Date(at + i * 60_000).toISOString();
  const open: CaseState['stage'][] = ['received', 'registered', 'dispatched'];
  const path: CaseState['stage'][] =
    stage === 'closed' ? [...open, 'in_progress', 'resolved', 'verified', 'closed'] : open;
  const timeline = path.map(
    (s, i): TimelineEvent => ({
      stage: s,
      at: iso(i),
      by: 'system:route-report',
      unitId: 'urban-management',
    }),
  );
  return {
    trackingCode: generateTrackingCode(randomBytes),
    submissionId: randomUUID(),
    stage,
    version: timeline.length - 1,
    category: 'road',
    communityId: COMMUNITY,
    townshipId: 'chengdong',
    unitId: 'urban-management',
    routing: { kind: 'rule', ruleId: 'road-county' },
    channel: 'web',
    submittedAt: iso(0),
    updatedAt: timeline.at(-1)?.at ?? iso(0),
    timeline,
    ...extra,
  };
}

const sweep = async () => {
  const fn = rt.functions.get('sweep-cases');
  if (!fn) throw new Error('no sweep-cases function');
  await fn.invoke({ 'detail-type': 'Scheduled Event', source: 'aws.events', detail: {}, id: randomUUID() });
};

describe('an overdue case', () => {
  it("reaches the unit's handlers and the county centre as one card linking to the case, once however often the sweeper runs", async () => {
    const past = new Date(Date.now() - 2 * DAY).toISOString();
    const state = storedCase('dispatched', { timer: { kind: 'accept_due', at: past } });
    expect((await store.createCase(state, [])).created).toBe(true);

    await sweep();
    const card = await eventually(
      'the card',
      () => cardsAbout(formatTrackingCode(state.trackingCode))[0],
      cardPolls,
    );
    await sweep();
    await notifierSettled();

    expect(cardsAbout(formatTrackingCode(state.trackingCode))).toHaveLength(1);
    expect(card.users.sort()).toEqual(['duty-county-centre', 'duty-urban-management']);
    expect(card.card?.url).toBe(`${consoleUrl}#/case/${state.trackingCode}`);
    expect(card.card?.title).toBe('案件超期督办：道路交通与路灯');
    expect(card.content).toContain('康宁社区');
    expect(card.content).toContain('超期未受理');
  });
});

describe('a case put on the return-visit list', () => {
  it("reaches the grid workers of the case's community with a link to the case", async () => {
    const past = new Date(Date.now() - DAY).toISOString();
    const state = storedCase('closed', { timer: { kind: 'rating_window', at: past } });
    expect((await store.createCase(state, [])).created).toBe(true);

    await sweep();
    const card = await eventually(
      'the card',
      () => cardsAbout(formatTrackingCode(state.trackingCode))[0],
      cardPolls,
    );
    expect(card.users.sort()).toEqual([...kangningWorkers].sort());
    expect(card.card?.title).toBe('回访任务：道路交通与路灯');
    expect(card.card?.url).toBe(`${consoleUrl}#/case/${state.trackingCode}`);
    expect((await store.getCase(state.trackingCode))?.returnVisit).toMatchObject({ status: 'pending' });
  });
});

describe("tomorrow's lecture", () => {
  it("reaches the grid workers of the lecture's community the day before, with a link to their tasks", async () => {
    const world = outreachWorld({
      dynamo: rt.dynamoClient,
      db: createDocumentClient(rt.dynamoClient),
      tables: rt.resources.tables,
      stop: async () => undefined,
    });
    const staffNotifications = new SqsStaffNotificationQueue(
      rt.sqsClient,
      rt.queueUrl('staff-notifications'),
    );
    world.clock.set('2026-12-01T09:00');
    const officer = { role: 'outreach_staff' as const, userId: 'u-1', name: '反诈宣传民警' };
    const draft = newCampaign(
      smsPlan({
        firstRunAt: '2026-12-10T15:00',
        communityIds: [COMMUNITY],
        channel: {
          kind: 'lecture',
          venue: '康宁社区活动室',
          durationMinutes: 60,
          assignee: { role: 'grid_worker', name: '李网格员', phone: '+8613911113333' },
        },
      }),
      'cmp-notify-lecture',
      officer,
      world.clock.now,
    );
    await world.store.create(
      applyCampaignAction(draft, { action: 'schedule', expectedVersion: 1 }, world.clock.now),
    );

    world.clock.set('2026-12-09T10:00');
    const deps = { ...world.tickDeps, staffNotifications };
    expect((await startDueRuns(deps)).remindersSent).toBe(1);
    await startDueRuns(deps);

    const card = await eventually('the card', () => cardsAbout('康宁社区活动室')[0], cardPolls);
    expect(card.users.sort()).toEqual([...kangningWorkers].sort());
    expect(card.card?.url).toBe(`${consoleUrl}#/tasks`);
    expect(card.content).toContain('12月10日15:00');
    expect(card.content).not.toContain('13911113333');
    expect(card.content).not.toContain('李网格员');
    await notifierSettled();
    expect(cardsAbout('康宁社区活动室')).toHaveLength(1);
  });
});

describe('the notifier', () => {
  const returnVisit = (key: string): Extract<StaffNotification, { about: 'return_visit' }> => ({
    kind: 'staff.notify',
    about: 'return_visit',
    key,
    trackingCode: generateTrackingCode(randomBytes),
    category: 'sanitation',
    communityId: 'chengdong-shuncheng',
    reason: 'no_rating',
  });

  // A simulator of its own, so the runtime's other WeChat Work callers neither take the refusals
  // this test arranges nor hold the token lease it needs (its corp has its own token).
  let platform: WecomSimulator;
  beforeAll(async () => {
    platform = await serveWecomSimulator({
      corpId: () => 'wwnotifiertest',
      appSecret: () => 'notifier-secret',
    });
  });
  afterAll(async () => {
    await platform?.stop();
  });

  /** The notify-staff handler over the runtime's tables and the simulator, reading the directory uncached. */
  const handler = () => {
    const db = createDocumentClient(rt.dynamoClient);
    const sms = rt.resources.tables.sms ?? '';
    return makeHandler({
      logger: new Logger({ logLevel: 'SILENT' }),
      directory: new DynamoDbDirectory(db, rt.resources.tables.directory ?? ''),
      ledger: new DynamoDbStaffNotificationLedger(db, sms),
      messenger: new WecomApiClient({
        baseUrl: platform.endpoint,
        corpId: async () => 'wwnotifiertest',
        appSecret: async () => 'notifier-secret',
        agentId: '1000002',
        tokens: new DynamoDbWecomState(db, sms),
        sleep: async () => undefined,
      }),
      consoleUrl,
      now: () => new Date(),
    });
  };
  const record = (notification: StaffNotification, receiveCount = 1): SQSRecord => ({
    messageId: randomUUID(),
    receiptHandle: randomUUID(),
    body: JSON.stringify(notification),
    attributes: {
      ApproximateReceiveCount: String(receiveCount),
      SentTimestamp: String(Date.now()),
      SenderId: 'test',
      ApproximateFirstReceiveTimestamp: String(Date.now()),
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:civicloop-staff-notifications',
    awsRegion: 'us-east-1',
  });
  const deliver = async (records: SQSRecord[]) => {
    const event: SQSEvent = { Records: records };
    return handler()(event, lambdaContext('civicloop-notify-staff'));
  };

  it('sends a notification delivered twice, or in the same batch twice, once', async () => {
    const n = returnVisit(`rv#twice-${randomUUID()}`);
    await deliver([record(n), record(n)]);
    await deliver([record(n, 2)]);
    expect(cardsAbout(formatTrackingCode(n.trackingCode), platform)).toHaveLength(1);
  });

  it('tells the grid worker who holds the grid when it is sent, not the one who left it', async () => {
    const directory = new DynamoDbDirectory(
      createDocumentClient(rt.dynamoClient),
      rt.resources.tables.directory ?? '',
    );
    const before = await directory.load();
    const grid = before.grids.find((g) => g.communityId === 'chengdong-shuncheng');
    if (!grid?.wecomUserId) throw new Error('the demo grid has a worker');
    const leaver = grid.wecomUserId;
    await directory.write({
      ...before,
      grids: before.grids.map((g) => (g.id === grid.id ? { ...g, wecomUserId: 'gw-newcomer' } : g)),
    });
    try {
      const n = returnVisit(`rv#moved-${randomUUID()}`);
      await deliver([record(n)]);
      const [card] = cardsAbout(formatTrackingCode(n.trackingCode), platform);
      expect(card?.users).toContain('gw-newcomer');
      expect(card?.users).not.toContain(leaver);
    } finally {
      await directory.write(before);
    }
  });

  it('reports a send the platform refused (rate limit) for redelivery, then sends it once', async () => {
    const n = returnVisit(`rv#limited-${randomUUID()}`);
    // More refusals than the client's own back-off absorbs (4 tries): the record fails.
    platform.rateLimitNext(4);
    const first = await deliver([record(n)]);
    expect(first).toEqual({ batchItemFailures: [{ itemIdentifier: expect.any(String) }] });
    expect(cardsAbout(formatTrackingCode(n.trackingCode), platform)).toHaveLength(0);

    const second = await deliver([record(n, 2)]);
    expect(second).toEqual({ batchItemFailures: [] });
    await deliver([record(n, 3)]);
    expect(cardsAbout(formatTrackingCode(n.trackingCode), platform)).toHaveLength(1);
  });
});
