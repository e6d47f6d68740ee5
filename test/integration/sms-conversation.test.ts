/**
 * The SMS conversation a new user has (issue 14, item 5), through the Aliyun webhook's handler
 * on the local runtime's emulators: greetings get the help text and no case; a report nothing
 * can place asks once where the resident lives, and the answer places it (or, when it cannot,
 * sends it to the county centre's triage instead of asking again); replies come in the language
 * the resident wrote in, each in one part; a provider's retry of any of these changes nothing.
 * The intake queue is the real one, watched on the way through.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, ScheduledEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import tickEvent from '../../events/eventbridge/scheduled-tick.json' with { type: 'json' };
import aliyunPushEvent from '../../events/http/aliyun-smsup-push.json' with { type: 'json' };
import { makeHandler } from '../../functions/sms-webhooks.ts';
import { makeHandler as makeSweepHandler, type SweepHandlerDeps } from '../../functions/sweep-cases.ts';
import { caseWriteServices } from '../../functions/wiring/case-writes.ts';
import { GatewaySettings, sendSmsServices } from '../../functions/wiring/sms.ts';
import { sweepServices } from '../../functions/wiring/sweep.ts';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime.ts';
import { unitQueueName } from '../../infra/topology.ts';
import { createDocumentClient } from '../../shared/adapters/aws-clients.ts';
import { DynamoDbCaseStore } from '../../shared/adapters/dynamodb-case-store.ts';
import { DynamoDbPendingSmsReports } from '../../shared/adapters/dynamodb-pending-sms-reports.ts';
import { localOutbox } from '../../shared/adapters/local-outbox.ts';
import { CaseDispatched } from '../../shared/domain/case.ts';
import type { ReportSubmitted } from '../../shared/domain/report.ts';
import { placeAnswerDueAt } from '../../shared/domain/sms/place-answer-wait.ts';
import { smsParts } from '../../shared/domain/sms/sms-parts.ts';
import { formatTrackingCode } from '../../shared/domain/tracking-code.ts';
import type { SmsSender } from '../../shared/ports/sms-sender.ts';
import { idsForMessage, pendingKeyFor, type ReceiveSmsDeps } from '../../shared/services/receive-sms.ts';
import { dispatchedTo } from '../support/dispatched.ts';
import { type Fault, injectFault } from '../support/faults.ts';
import { lambdaContext } from '../support/lambda-context.ts';
import { receiveMatching } from '../support/queues.ts';

let rt: LocalRuntime;
/** Every report the handler queued, as it went to the real intake queue. */
const queued: ReportSubmitted[] = [];
/** The webhook as Aliyun calls it: the HTTP status it answered. */
type Push = (phone: string, content: string, sequenceId: number, sendTime?: string) => Promise<number>;
/** The Aliyun webhook's handler on the functions' own composition, with `overrides` (a clock, a sender). */
let webhook: (overrides?: Partial<ReceiveSmsDeps>) => Push;
let push: (phone: string, content: string, sequenceId: number, sendTime?: string) => Promise<void>;

beforeAll(async () => {
  rt = await startLocalRuntime({ port: 0, memory: true, quiet: true });
  const services = sendSmsServices();
  const event: APIGatewayProxyEventV2 = aliyunPushEvent;
  webhook = (overrides = {}) => {
    const handler = makeHandler({
      ...services,
      intake: {
        async enqueue(message) {
          queued.push(message);
          await services.intake.enqueue(message);
        },
      },
      logger: new Logger({ logLevel: 'SILENT' }),
      settings: GatewaySettings.parse({}),
      // The sample event's path secret.
      gatewaySecret: async () => event.pathParameters?.secret ?? '',
      twilioAuthToken: async () => '',
      ...overrides,
    });
    return async (phone, content, sequenceId, sendTime = '2026-12-06 10:30:00') => {
      const body = JSON.stringify([
        { phone_number: phone, content, send_time: sendTime, dest_code: '1069', sequence_id: sequenceId },
      ]);
      const response = await handler({ ...structuredClone(event), body }, lambdaContext('sms-webhooks'));
      return typeof response === 'object' && response !== null && 'statusCode' in response
        ? Number(response.statusCode)
        : 0;
    };
  };
  const plain = webhook();
  push = async (phone, content, sequenceId, sendTime) => {
    expect(await plain(phone, content, sequenceId, sendTime)).toBe(200);
  };
});
afterAll(async () => {
  await rt?.stop();
});

const replies = (phone: string) =>
  localOutbox()
    .messages(`+86${phone}`)
    .filter((m) => m.purpose === 'reply');

let nextSequence = 7_140_000 + Math.floor(Math.random() * 100_000) * 10;
/** Texts as Aliyun pushes it; `sequenceId` again is the provider's retry. Returns the replies it caused. */
async function text(phone: string, content: string, sequenceId = nextSequence++) {
  const before = replies(phone).length;
  await push(phone, content, sequenceId);
  return replies(phone).slice(before);
}

const reportsFrom = (phone: string) => queued.filter((m) => m.report.contactPhone === `+86${phone}`);
const codeIn = (reply: string) => /[0-9A-Z]{3}-[0-9A-Z]{3}-[0-9A-Z]{3}/.exec(reply)?.[0] ?? '';

const routed = (unitId: string, code: string) => dispatchedTo(rt, unitId, code);

describe('a new user texting for the first time', () => {
  it.each(['你好', '在吗？', 'hello', 'hi', '?', '😀', '。'])(
    'answers %s with the help text in one part, and opens no case',
    async (greeting) => {
      const phone = `139222${String(nextSequence % 100_000).padStart(5, '0')}`;
      const [reply, ...more] = await text(phone, greeting);
      expect(more).toHaveLength(0);
      expect(reply?.body).toMatch(/即可反映|Text the problem/);
      expect(reply?.parts).toBe(1);
      expect(reportsFrom(phone)).toHaveLength(0);
    },
  );

  it('answers a greeting in the language it came in', async () => {
    expect((await text('13922200101', '你好'))[0]?.body).toMatch(/^【平遥综治】您好/);
    expect((await text('13922200101', 'hello'))[0]?.body).toMatch(/^【平遥综治】Hello/);
  });
});

describe('a report nothing can place', () => {
  it('asks once where the resident lives, and the answer places it in that community', async () => {
    const phone = '13922200201';
    const [question, ...more] = await text(phone, '我们这里有点事情想反映一下，麻烦处理');
    expect(more).toHaveLength(0);
    expect(question?.body).toBe('【平遥综治】已收到。请回复您所在的社区或村，以便转交负责单位。');
    expect(question?.parts).toBe(1);
    expect(reportsFrom(phone)).toHaveLength(0);

    const [receipt] = await text(phone, '城东康宁');
    expect(receipt?.body).toMatch(/^【平遥综治】已收到您的反映，查询码/);
    expect(receipt?.parts).toBe(1);
    const code = codeIn(receipt?.body ?? '');
    expect(reportsFrom(phone)).toHaveLength(1);
    // Nobody's category: the community's own township centre triages it.
    const dispatched = await routed('centre-chengdong', code);
    expect(dispatched).toMatchObject({ communityId: 'chengdong-kangning', category: 'other' });
    expect(dispatched?.description).toBe('我们这里有点事情想反映一下,麻烦处理\n城东康宁');

    // CX is 查询 in pinyin initials: answered in Chinese, in one part, however it is typed.
    for (const query of [`cx ${code.toLowerCase()}`, `ＣＸ　${code}`]) {
      const [status] = await text(phone, query);
      expect(status?.body).toMatch(/^【平遥综治】.{11}：已交办，城东街道综治中心办理。$/u);
      expect(status?.parts).toBe(1);
    }
  });

  it('places it by a mistyped village name, with the receipt in one part', async () => {
    const phone = '13922200202';
    await text(phone, '路灯坏了一个多星期了，晚上出门黑漆漆的');
    const [receipt] = await text(phone, '我住魏家装村');
    const dispatched = await routed('transport', codeIn(receipt?.body ?? ''));
    expect(dispatched).toMatchObject({ communityId: 'dongquan-weijiazhuang', category: 'road' });
  });

  it('sends it to the county centre when the answer cannot place it either, and does not ask again', async () => {
    const phone = '13922200203';
    const [question] = await text(phone, '电信诈骗电话太多了，天天有人打');
    expect(question?.body).toMatch(/请回复您所在的社区或村/);
    // 城东 is a sub-district of five communities: which one is a guess the county centre makes.
    const [receipt, ...more] = await text(phone, '城东');
    expect(more).toHaveLength(0);
    expect(receipt?.body).toMatch(/已收到您的反映，查询码/);
    expect(await routed('county-centre', codeIn(receipt?.body ?? ''))).toMatchObject({
      communityId: 'unplaced',
      routing: { kind: 'county_triage', reason: 'unknown_community' },
    });
    // The next text is a report of its own again, not a second answer.
    const [next] = await text(phone, '康宁社区门口有人摆摊卖假药');
    expect(next?.body).toMatch(/已收到您的反映，查询码/);
    expect(reportsFrom(phone)).toHaveLength(2);
  });

  it('answers commands in between and keeps the report waiting for its place', async () => {
    const phone = '13922200204';
    await text(phone, '小区门口的井盖丢了，很危险');
    expect((await text(phone, '你好'))[0]?.body).toMatch(/即可反映/);
    expect((await text(phone, '查询 K7M-2QX-9PA'))[0]?.body).toMatch(/没有找到这个查询码/);
    expect(reportsFrom(phone)).toHaveLength(0);
    const [receipt] = await text(phone, '顺城社区');
    // Roads in Chengdong are the urban management bureau's (a sub-district routing rule).
    expect(await routed('urban-management', codeIn(receipt?.body ?? ''))).toMatchObject({
      communityId: 'chengdong-shuncheng',
      category: 'road',
    });
  });

  it('talks English to a resident who writes English, each reply in one part', async () => {
    const phone = '13922200205';
    const [question] = await text(
      phone,
      'Someone called pretending to be the police and asked me to transfer money',
    );
    expect(question?.body).toBe('【平遥综治】Got it. Which community or village are you in?');
    // A pinyin answer is not English or Chinese: the reply keeps the report's language.
    const [receipt] = await text(phone, 'kangning');
    expect(receipt?.body).toMatch(/^【平遥综治】Received\. Code [0-9A-Z]{3}-/);
    const code = codeIn(receipt?.body ?? '');
    expect(await routed('psb-antifraud', code)).toMatchObject({
      communityId: 'chengdong-kangning',
      category: 'fraud',
    });
    const [status] = await text(phone, `STATUS ${code}`);
    expect(status?.body).toMatch(/^【平遥综治】.{11}: passed to the unit/);
    for (const reply of [question, receipt, status]) {
      expect(reply?.parts).toBe(1);
      expect(smsParts(reply?.body ?? '').parts).toBe(1);
    }
  });

  it('makes one case and one reply per message when the provider delivers each twice', async () => {
    const phone = '13922200206';
    const report = nextSequence++;
    const answer = nextSequence++;
    expect(await text(phone, '楼道里堆满了杂物，消防通道被堵死了', report)).toHaveLength(1);
    expect(await text(phone, '楼道里堆满了杂物，消防通道被堵死了', report)).toHaveLength(0);
    const [receipt] = await text(phone, '太和社区', answer);
    expect(await text(phone, '太和社区', answer)).toHaveLength(0);
    // The report delivered once more after its answer: still nothing new.
    expect(await text(phone, '楼道里堆满了杂物，消防通道被堵死了', report)).toHaveLength(0);
    expect(replies(phone)).toHaveLength(2);
    const codes = new Set(reportsFrom(phone).map((m) => m.trackingCode));
    expect(codes.size).toBe(1);
    const code = codeIn(receipt?.body ?? '');
    expect(await routed('psb', code)).toMatchObject({ communityId: 'chengdong-taihe' });
    const again = await receiveMatching(
      rt.sqsClient,
      rt.queueUrl(unitQueueName('psb')),
      (b) => b.includes(code.replaceAll('-', '')),
      2,
    );
    expect(again).toBeUndefined();
  });
});

describe('a held report nobody answers', () => {
  // The clock the SMS functions and the sweeper read here: real time at first, so the runtime's
  // own five-minute sweep (on real time) never reaches a report held here, then moved on by the
  // tests themselves. Nothing sleeps.
  let clock: Date;
  let onClock: Push;
  /** On the runtime's own DynamoDB client, where faults are injected. */
  let pendingReports: DynamoDbPendingSmsReports;
  let secret: string;
  beforeAll(async () => {
    clock = new Date(Math.floor(Date.now() / 60_000) * 60_000);
    onClock = webhook({ now: () => clock });
    pendingReports = new DynamoDbPendingSmsReports(
      createDocumentClient(rt.dynamoClient),
      rt.resources.tables.sms ?? '',
    );
    secret = await sendSmsServices().trackingCodeSecret();
  });

  /** Aliyun's send_time: Beijing wall-clock time. */
  const sendTime = (at: Date) =>
    new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
  const minutes = (n: number) => {
    clock = new Date(clock.getTime() + n * 60_000);
  };
  /** Texts at the clock's time; the webhook's status and the replies it caused. */
  async function textNow(phone: string, content: string, sequenceId = nextSequence++, via = onClock) {
    const before = replies(phone).length;
    const status = await via(phone, content, sequenceId, sendTime(clock));
    return { status, replies: replies(phone).slice(before) };
  }
  /** The scheduled sweep-cases function on its own composition, reading the clock. */
  const sweep = (overrides: Partial<SweepHandlerDeps> = {}) =>
    makeSweepHandler({
      ...sweepServices(),
      logger: new Logger({ logLevel: 'SILENT' }),
      now: () => clock,
      ...overrides,
    })(tickEvent as ScheduledEvent, lambdaContext('sweep-cases'));
  const heldFor = (phone: string) => pendingReports.find(pendingKeyFor(`+86${phone}`, secret), clock);
  const heldItem = async (phone: string) =>
    (
      await createDocumentClient(rt.dynamoClient).send(
        new GetCommand({
          TableName: rt.resources.tables.sms,
          Key: { pk: `PENDING#${pendingKeyFor(`+86${phone}`, secret)}`, sk: 'PENDING' },
        }),
      )
    ).Item;
  /** Moves the clock to a minute past the held report's due time; its tracking code. */
  async function untilDue(phone: string): Promise<string> {
    const held = await heldFor(phone);
    expect(held?.stage).toBe('waiting');
    clock = new Date(Date.parse(held?.dueAt ?? '') + 60_000);
    return held?.trackingCode ?? '';
  }
  const updates = (phone: string) =>
    localOutbox()
      .messages(`+86${phone}`)
      .filter((m) => m.purpose === 'notification');
  const caseOf = (code: string) => caseWriteServices().cases.getCase(code);
  /**
   * The case's first delivery (reason routed) on the unit's queue. The sweeps here run hours
   * ahead of the runtime's router, so cases it made may be escalated meanwhile: their notices on
   * the same queue are not deliveries.
   */
  const firstDispatch = async (unitId: string, code: string, maxPolls?: number) => {
    const message = await receiveMatching(
      rt.sqsClient,
      rt.queueUrl(unitQueueName(unitId)),
      (body) => body.includes(code) && body.includes('"case.dispatched"') && body.includes('"routed"'),
      maxPolls,
    );
    return message ? CaseDispatched.parse(JSON.parse(message.Body ?? '')) : undefined;
  };
  /** The code the message would have had as a report of its own. */
  const ownCode = (sequenceId: number) =>
    idsForMessage({ provider: 'aliyun', providerMessageId: String(sequenceId) }, secret).trackingCode;

  it('sends it on to the county centre after two daytime hours, with the phone: the resident is texted its code', async () => {
    const phone = '13922200301';
    const asked = clock;
    const {
      replies: [question],
    } = await textNow(phone, '路灯坏了一个多星期了，晚上出门黑漆漆的');
    expect(question?.body).toMatch(/请回复您所在的社区或村/);
    const held = await heldFor(phone);
    expect(held).toMatchObject({ stage: 'waiting', dueAt: placeAnswerDueAt(asked).toISOString() });
    const code = held?.trackingCode ?? '';

    // A minute before it is due the sweep leaves it waiting.
    clock = new Date(Date.parse(held?.dueAt ?? '') - 60_000);
    expect((await sweep()).smsReportsForwarded).not.toContain(code);
    expect((await heldFor(phone))?.stage).toBe('waiting');

    minutes(2);
    expect((await sweep()).smsReportsForwarded).toContain(code);
    expect(await firstDispatch('county-centre', code)).toMatchObject({
      communityId: 'unplaced',
      category: 'road',
      routing: { kind: 'county_triage', reason: 'unknown_community' },
      description: '路灯坏了一个多星期了,晚上出门黑漆漆的',
    });
    expect((await caseWriteServices().cases.getReport(code))?.contactPhone).toBe(`+86${phone}`);
    // The case's first update tells the resident the code, in one part.
    const [update, ...more] = updates(phone);
    expect(more).toHaveLength(0);
    expect(update?.body).toContain(formatTrackingCode(code));
    expect(update?.parts).toBe(1);
    // The held item keeps the ids for late retries, not the phone or the words.
    const item = await heldItem(phone);
    expect(item).toMatchObject({ stage: 'forwarded', trackingCode: code });
    expect(JSON.stringify(item)).not.toContain(phone);
    expect(JSON.stringify(item)).not.toContain('路灯');

    // The sweep again, and again later: nothing more.
    expect((await sweep()).smsReportsForwarded).not.toContain(code);
    minutes(60);
    expect((await sweep()).smsReportsForwarded).not.toContain(code);
    expect(await firstDispatch('county-centre', code, 2)).toBeUndefined();
    expect(updates(phone)).toHaveLength(1);

    // The code works, and the next report is a report of its own, asked about again.
    const {
      replies: [status],
    } = await textNow(phone, `CX ${code}`);
    expect(status?.body).toMatch(/已交办/);
    const {
      replies: [next],
    } = await textNow(phone, '井盖丢了，很危险');
    expect(next?.body).toMatch(/请回复您所在的社区或村/);
  });

  it('makes one case when the sweep sends it on before an answer sent at that moment is processed', async () => {
    const phone = '13922200302';
    await textNow(phone, '楼道里堆满了杂物，消防通道被堵死了');
    const code = await untilDue(phone);
    const answer = nextSequence++;
    await sweep();
    // The answer was sent as the sweep ran and reaches us after it: it lost, and says so with the code.
    const {
      replies: [receipt, ...more],
    } = await textNow(phone, '太和社区', answer);
    expect(more).toHaveLength(0);
    expect(receipt?.body).toContain(formatTrackingCode(code));
    expect(await firstDispatch('county-centre', code)).toMatchObject({ communityId: 'unplaced' });
    expect(await caseOf(ownCode(answer))).toBeUndefined();
    expect(reportsFrom(phone)).toHaveLength(0);
    expect(updates(phone)).toHaveLength(1);
  });

  it('makes one case when the answer is recorded before the sweep runs', async () => {
    const phone = '13922200303';
    await textNow(phone, '楼道里堆满了杂物，消防通道被堵死了');
    const code = await untilDue(phone);
    const answer = nextSequence++;
    const {
      replies: [receipt],
    } = await textNow(phone, '太和社区', answer);
    expect(receipt?.body).toContain(formatTrackingCode(code));
    expect((await sweep()).smsReportsForwarded).not.toContain(code);
    expect(await firstDispatch('psb', code)).toMatchObject({ communityId: 'chengdong-taihe' });
    expect(await firstDispatch('county-centre', code, 2)).toBeUndefined();
    expect(await caseOf(ownCode(answer))).toBeUndefined();
    expect(reportsFrom(phone).map((m) => m.trackingCode)).toEqual([code]);
  });

  it.each(['13922200304', '13922200305', '13922200306'])(
    'makes one case when the answer and the sweep run at the same moment (%s)',
    async (phone) => {
      await textNow(phone, '楼道里堆满了杂物，消防通道被堵死了');
      const code = await untilDue(phone);
      const answer = nextSequence++;
      const [answered] = await Promise.all([textNow(phone, '太和社区', answer), sweep()]);
      expect(answered.replies).toHaveLength(1);
      expect(answered.replies[0]?.body).toContain(formatTrackingCode(code));
      const [triaged, placed] = [
        await firstDispatch('county-centre', code, 3),
        await firstDispatch('psb', code, 3),
      ];
      // One winner: the sweep (triage) or the answer (placed), never both, never neither.
      expect([triaged, placed].filter((d) => d !== undefined)).toHaveLength(1);
      expect((await caseOf(code))?.communityId).toBe(triaged ? 'unplaced' : 'chengdong-taihe');
      expect(await caseOf(ownCode(answer))).toBeUndefined();
      expect((await heldFor(phone))?.stage).toBe('forwarded');
      await sweep();
      expect(await firstDispatch('county-centre', code, 2)).toBeUndefined();
    },
  );

  it('never takes a retried answer as the answer to a newer report', async () => {
    const phone = '13922200307';
    // The first reply to the answer fails at the provider: the webhook answers 503, Aliyun retries.
    let failOnce = true;
    const base = sendSmsServices().sender;
    const flaky: SmsSender = {
      async send(sms) {
        if (failOnce && sms.to === `+86${phone}`) {
          failOnce = false;
          throw Object.assign(new Error('refused by the provider'), { $metadata: { httpStatusCode: 503 } });
        }
        return base.send(sms);
      },
    };
    await textNow(phone, '路灯坏了一个多星期了');
    const first = (await heldFor(phone))?.trackingCode ?? '';
    minutes(1);
    const answer = nextSequence++;
    const crashed = await textNow(phone, '太和社区', answer, webhook({ now: () => clock, sender: flaky }));
    expect(crashed).toMatchObject({ status: 503, replies: [] });

    // Before Aliyun retries, the resident reports something else nothing can place.
    minutes(1);
    const {
      replies: [question],
    } = await textNow(phone, '有人在河边倒垃圾，臭得很');
    expect(question?.body).toMatch(/请回复您所在的社区或村/);
    const second = (await heldFor(phone))?.trackingCode ?? '';

    minutes(1);
    const {
      replies: [receipt],
    } = await textNow(phone, '太和社区', answer);
    expect(receipt?.body).toContain(formatTrackingCode(first));
    expect(await heldFor(phone)).toMatchObject({ stage: 'waiting', trackingCode: second });
    expect(await caseOf(ownCode(answer))).toBeUndefined();
    expect(await firstDispatch('urban-management', first)).toMatchObject({ communityId: 'chengdong-taihe' });

    // The newer report still waits for its own answer.
    minutes(1);
    const {
      replies: [placed],
    } = await textNow(phone, '康宁社区');
    expect(placed?.body).toContain(formatTrackingCode(second));
    const dispatched = await firstDispatch('urban-management', second);
    expect(dispatched).toMatchObject({ communityId: 'chengdong-kangning' });
    expect(dispatched?.description).toBe('有人在河边倒垃圾,臭得很\n康宁社区');
    expect(reportsFrom(phone).map((m) => m.trackingCode)).toEqual([first, second]);
  });

  const smsTable = () => rt.resources.tables.sms ?? '';
  const casesTable = () => rt.resources.tables.cases ?? '';
  const updateOf =
    (what: string, table: () => string): Fault['matches'] =>
    (call) =>
      call.input.TableName === table() &&
      typeof call.input.UpdateExpression === 'string' &&
      call.input.UpdateExpression.includes(what);
  it.each<[string, Fault['matches'], Fault['phase']]>([
    ["the sweep's decision is written but its answer lost", updateOf(':timedOut', smsTable), 'after'],
    [
      'routing the report fails',
      (call) => call.input.TableName === casesTable() && /Put/.test(call.commandName),
      'before',
    ],
    ['recording it forwarded is refused', updateOf(':forwarded', smsTable), 'before'],
    ['recording it forwarded is written but its answer lost', updateOf(':forwarded', smsTable), 'after'],
  ])('loses nothing when %s: the next sweep finishes it, one case, one text', async (_, matches, phase) => {
    const phone = `139222004${String(nextSequence % 100).padStart(2, '0')}`;
    await textNow(phone, '楼道里堆满了杂物，消防通道被堵死了');
    const code = await untilDue(phone);
    const fault = injectFault(rt.dynamoClient, { matches, phase });
    const faulted = await sweep({
      pendingReports,
      cases: new DynamoDbCaseStore(createDocumentClient(rt.dynamoClient), casesTable()),
    });
    fault.remove();
    expect(fault.fired).toBe(1);
    expect(faulted.failed.map((f) => f.trackingCode)).toContain(code);

    minutes(5);
    await sweep();
    expect((await heldFor(phone))?.stage).toBe('forwarded');
    expect(await firstDispatch('county-centre', code)).toMatchObject({ communityId: 'unplaced' });
    expect((await caseWriteServices().cases.getReport(code))?.contactPhone).toBe(`+86${phone}`);
    expect(updates(phone)).toHaveLength(1);
    minutes(5);
    await sweep();
    expect(await firstDispatch('county-centre', code, 2)).toBeUndefined();
    expect(updates(phone)).toHaveLength(1);
  });
});
