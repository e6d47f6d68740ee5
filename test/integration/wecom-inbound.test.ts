/**
 * The rest of a grid worker's inbound in WeChat Work on the local runtime and its simulator
 * (issue 16 item 3): an appeal's text with the resident's phone (the phone taken as the contact
 * phone and out of the description, the resident texted like a web reporter), a photo after it
 * stored as the case's photo without its camera metadata, a photo with no appeal before it and a
 * fourth photo not queued, every later status change relayed to the worker with the tracking code
 * and nothing personal, and a repeated callback or relay reaching the worker once.
 */
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseWriteServices } from '../../functions/wiring/case-writes.ts';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime.ts';
import { sealCallback, type WecomSimulator } from '../../infra/local/wecom-simulator.ts';
import { createDocumentClient } from '../../shared/adapters/aws-clients.ts';
import { DynamoDbCaseStore } from '../../shared/adapters/dynamodb-case-store.ts';
import { localOutbox } from '../../shared/adapters/local-outbox.ts';
import { residentPhotoKey, stripJpegMetadata } from '../../shared/domain/photos.ts';
import { imageMessageXml, textMessageXml } from '../../shared/domain/wecom/callback-message.ts';
import { runOutbox } from '../../shared/services/case-effects.ts';
import { jpegWithGps } from '../support/photo-fixtures.ts';
import { eventually, type StaffApi, staffApi } from '../support/staff-api.ts';

let rt: LocalRuntime;
let sim: WecomSimulator;
let api: StaffApi;
beforeAll(async () => {
  rt = await startLocalRuntime({ port: 0, memory: true, quiet: true });
  if (!rt.wecom) throw new Error('the runtime has no WeChat Work simulator');
  sim = rt.wecom;
  api = staffApi(rt);
  await api.signIn(['supervisor']);
});
afterAll(async () => {
  await rt?.stop();
});

const WORKER = 'gw-chengdong-kangning-g1';
const PHONE = '13812345678';
const keys = () => rt.wecomCallbackKeys();
const nowSeconds = () => Math.floor(Date.now() / 1000);
let msgId = 8_100_000_000_000_000_000n;
const nextMsgId = () => String(++msgId);

const sealText = (content: string, fromUser = WORKER) =>
  sealCallback(
    textMessageXml({
      corpId: keys().corpId,
      fromUser,
      createTime: nowSeconds(),
      msgId: nextMsgId(),
      agentId: keys().agentId,
      content,
    }),
    keys(),
    { timestamp: nowSeconds() },
  );

const sealImage = (mediaId: string, fromUser = WORKER) =>
  sealCallback(
    imageMessageXml({
      corpId: keys().corpId,
      fromUser,
      createTime: nowSeconds(),
      msgId: nextMsgId(),
      agentId: keys().agentId,
      picUrl: 'https://wework.qpic.cn/wwpic/test/0',
      mediaId,
    }),
    keys(),
    { timestamp: nowSeconds() },
  );

const post = async (sealed: { query: Record<string, string>; body: string }) => {
  const response = await fetch(`${rt.url}/api/wecom/callback?${new URLSearchParams(sealed.query)}`, {
    method: 'POST',
    headers: { 'content-type': 'text/xml' },
    body: sealed.body,
  });
  expect(response.status).toBe(200);
};

const sentTo = (user: string) => sim.sent.filter((m) => m.touser === user).map((m) => m.content);
const codeIn = (content: string) => /查询码([0-9A-Z]{3}-[0-9A-Z]{3}-[0-9A-Z]{3})/.exec(content)?.[1];

/** The answers (not the status relays) to the worker after the first `from`, once there are `count`. */
const nextMessages = (from: number, count: number) =>
  eventually(`${count} answers to the worker`, async () => {
    const answers = sentTo(WORKER)
      .slice(from)
      .filter((m) => !m.startsWith('【进展】'));
    return answers.length >= count ? answers : undefined;
  });

/** A text appeal: its tracking code (as stored, without dashes) from the app message back. */
async function appeal(content: string): Promise<string> {
  const before = sentTo(WORKER).length;
  await post(sealText(content));
  const [reply] = await nextMessages(before, 1);
  const code = codeIn(reply ?? '');
  if (!code) throw new Error(`no code in ${reply}`);
  return code.replaceAll('-', '');
}

const dispatched = (id: string) =>
  eventually(`case ${id} dispatched`, async () => {
    const answer = await api.request(`/api/cases/${id}`, { user: 'supervisor' });
    return answer.status === 200
      ? api.current(id).then((c) => (c.stage === 'dispatched' ? c : undefined))
      : undefined;
  });

const photoObject = async (key: string) => {
  const bucket = rt.resources.buckets?.photos;
  if (!bucket) throw new Error('no photo bucket');
  const out = await rt.s3Client
    .send(new GetObjectCommand({ Bucket: bucket, Key: key }))
    .catch(() => undefined);
  return out?.Body ? new Uint8Array(await out.Body.transformToByteArray()) : undefined;
};

describe("a grid worker's appeal with the resident's phone and photo", () => {
  it('takes the phone as the contact phone, out of the description, and texts the resident', async () => {
    const id = await appeal(`康宁小区3号楼门口路面塌了个坑，电话 ${PHONE}`);
    await dispatched(id);
    const report = await new DynamoDbCaseStore(
      createDocumentClient(rt.dynamoClient),
      rt.resources.tables.cases ?? '',
    ).getReport(id);
    expect(report?.contactPhone).toBe(`+86${PHONE}`);
    expect(report?.description).toBe('康宁小区3号楼门口路面塌了个坑');
    // The resident hears of the dispatch as a web reporter does.
    const texts = await eventually('the text to the resident', async () => {
      const sent = localOutbox()
        .messages(`+86${PHONE}`)
        .filter((m) => m.body.includes(codeOf(id)));
      return sent.length > 0 ? sent : undefined;
    });
    expect(texts[0]?.body).toMatch(/已交.+办理/);
    // Nothing sent to the worker carries the resident's number.
    expect(sentTo(WORKER).join('\n')).not.toContain(PHONE.slice(3));
  });

  it("stores a photo sent after the appeal as the case's photo, its GPS and camera data stripped", async () => {
    const id = await appeal('康宁小区5号楼楼道堆满杂物，堵住了消防通道');
    const original = jpegWithGps(48, 32);
    const before = sentTo(WORKER).length;
    await post(sealImage(sim.addMedia(original)));
    const [reply] = await nextMessages(before, 1);
    expect(reply).toMatch(/照片已收到（第1张）/);
    const stored = await eventually('the photo in the case', () => photoObject(residentPhotoKey(id, 0)));
    expect(Buffer.from(stored)).toEqual(Buffer.from(stripJpegMetadata(original) ?? []));
    const latin = Buffer.from(stored).toString('latin1');
    expect(latin).not.toContain('Exif');
    expect(latin).not.toContain('Civicam');
    expect(latin).not.toContain('Nanda Street');
    expect(latin).not.toContain('GPSLatitude');
  });

  it('asks for the words first when a photo has no recent appeal', async () => {
    const worker = 'gw-chengdong-kangning-g2';
    const before = sentTo(worker).length;
    await post(sealImage(sim.addMedia(), worker));
    const replies = await eventually('the answer', async () => {
      const messages = sentTo(worker).slice(before);
      return messages.length > 0 ? messages : undefined;
    });
    expect(replies[0]).toMatch(/请先发文字描述/);
  });

  it('refuses a fourth photo of one appeal', async () => {
    await appeal('康宁小区7号楼下水道堵了，污水外溢');
    const before = sentTo(WORKER).length;
    for (let i = 0; i < 4; i++) await post(sealImage(sim.addMedia()));
    const replies = await nextMessages(before, 4);
    expect(replies.filter((r) => /照片已收到/.test(r))).toHaveLength(3);
    expect(replies.filter((r) => /已有3张照片/.test(r))).toHaveLength(1);
  });
});

describe("relaying the case's changes to the worker", () => {
  it('relays every change with the code and nothing of the resident', async () => {
    const id = await appeal(`康宁小区9号楼前的路灯不亮了 ${PHONE}`);
    const state = await dispatched(id);
    const handler = `handler.${state.unitId}`;
    await api.signIn([handler]);
    const relays = () => sentTo(WORKER).filter((m) => m.startsWith('【进展】') && m.includes(codeOf(id)));
    await eventually('the dispatch relayed', async () => (relays().length >= 1 ? true : undefined));
    await api.walk(id, [
      [handler, { action: 'accept' }],
      [handler, { action: 'resolve', note: '已更换灯泡' }],
      ['supervisor', { action: 'verify' }],
      ['supervisor', { action: 'close' }],
    ]);
    const all = await eventually('five relays', async () => (relays().length >= 5 ? relays() : undefined));
    expect(all.map((m) => /：(.*?)。/.exec(m)?.[1])).toEqual([
      expect.stringMatching(/^已交.+办理$/),
      expect.stringMatching(/已受理，正在办理$/),
      expect.stringMatching(/已办结，待核查$/),
      '办理结果已核查',
      expect.stringMatching(/^已结案/),
    ]);
    expect(all.join('\n')).not.toContain(PHONE.slice(3));
    expect(all.join('\n')).not.toContain('路灯');

    // The outbox runs the closing's relay again, twice (a lost outcome, the sweeper): the
    // platform's duplicate check holds the identical text back, so the worker still has five.
    const services = caseWriteServices();
    const closed = await services.cases.getCase(id);
    if (!closed) throw new Error('the case is gone');
    const held = sim.duplicatesHeldBack();
    const entry = {
      id: `v${closed.version}e9`,
      version: closed.version,
      effect: { kind: 'relay_to_worker' as const, stage: 'closed' as const, action: 'close' },
      attempts: 1,
      nextAt: new Date().toISOString(),
    };
    const store = services.cases;
    const rerun = {
      ...services,
      countyCentreUnitId: (await services.directory.load()).countyCentreUnitId,
      // Outcomes are not recorded: the same entry stays due, as after a lost settle.
      cases: {
        getReport: (code: string) => store.getReport(code),
        linkDuplicate: (into: string, code: string) => store.linkDuplicate(into, code),
        claimEntry: store.claimEntry.bind(store),
        saveTrainingExample: store.saveTrainingExample.bind(store),
        settleEffects: async () => undefined,
      },
    };
    for (let i = 0; i < 2; i++) {
      expect(await runOutbox({ state: closed, entries: [entry] }, [entry], rerun)).toEqual([
        { id: entry.id, kind: 'done', detail: { relayed: 'closed' } },
      ]);
    }
    // Both reach the platform (relay-to-workers), which holds the identical text back.
    await eventually('both repeats at the platform', async () =>
      sim.duplicatesHeldBack() >= held + 2 ? true : undefined,
    );
    expect(sim.duplicatesHeldBack()).toBe(held + 2);
    expect(relays()).toHaveLength(5);
  });
});

const codeOf = (id: string) => `${id.slice(0, 3)}-${id.slice(3, 6)}-${id.slice(6)}`;

describe('repeats reach the worker once', () => {
  it('a redelivered callback makes one case and one answer', async () => {
    const sealed = sealText('康宁小区11号楼电梯困人了');
    const before = sentTo(WORKER).length;
    await post(sealed);
    await post(sealed);
    const [reply] = await nextMessages(before, 1);
    const id = (codeIn(reply ?? '') ?? '').replaceAll('-', '');
    await dispatched(id);
    // The dispatch relay arrives after the code; then nothing more comes for this message.
    await eventually('the dispatch relay', async () =>
      sentTo(WORKER).some((m) => m.startsWith('【进展】') && m.includes(codeOf(id))) ? true : undefined,
    );
    expect(
      sentTo(WORKER)
        .slice(before)
        .filter((m) => m.includes(codeOf(id))),
    ).toHaveLength(2);
  });
});
