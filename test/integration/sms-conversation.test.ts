/**
 * The SMS conversation a new user has (issue 14, item 5), through the Aliyun webhook's handler
 * on the local runtime's emulators: greetings get the help text and no case; a report nothing
 * can place asks once where the resident lives, and the answer places it (or, when it cannot,
 * sends it to the county centre's triage instead of asking again); replies come in the language
 * the resident wrote in, each in one part; a provider's retry of any of these changes nothing.
 * The intake queue is the real one, watched on the way through.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import aliyunPushEvent from '../../events/http/aliyun-smsup-push.json' with { type: 'json' };
import { makeHandler } from '../../functions/sms-webhooks.ts';
import { GatewaySettings, sendSmsServices } from '../../functions/wiring/sms.ts';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime.ts';
import { unitQueueName } from '../../infra/topology.ts';
import { localOutbox } from '../../shared/adapters/local-outbox.ts';
import type { ReportSubmitted } from '../../shared/domain/report.ts';
import { smsParts } from '../../shared/domain/sms/sms-parts.ts';
import { dispatchedTo } from '../support/dispatched.ts';
import { lambdaContext } from '../support/lambda-context.ts';
import { receiveMatching } from '../support/queues.ts';

let rt: LocalRuntime;
let push: (phone: string, content: string, sequenceId: number) => Promise<void>;
/** Every report the handler queued, as it went to the real intake queue. */
const queued: ReportSubmitted[] = [];

beforeAll(async () => {
  rt = await startLocalRuntime({ port: 0, memory: true, quiet: true });
  const services = sendSmsServices();
  const event: APIGatewayProxyEventV2 = aliyunPushEvent;
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
  });
  push = async (phone, content, sequenceId) => {
    const body = JSON.stringify([
      {
        phone_number: phone,
        content,
        send_time: '2026-12-06 10:30:00',
        dest_code: '1069',
        sequence_id: sequenceId,
      },
    ]);
    const response = await handler({ ...structuredClone(event), body }, lambdaContext('sms-webhooks'));
    expect(response).toMatchObject({ statusCode: 200 });
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
