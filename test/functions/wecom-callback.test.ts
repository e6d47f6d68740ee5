/**
 * The wecom-callback handler from its sample events (events/wecom/, signed and encrypted with
 * WeChat Work's published sample keys), over in-memory ports: the platform's own URL
 * verification sample answered with its plaintext, a text appeal queued for the worker's
 * community and acknowledged with an empty 200, a second delivery doing nothing, CX answered, a
 * bad signature 403 with its code and nothing queued or sent, a callback outside the time window
 * refused, a failure after the replay memory forgotten so the platform's retry does the work;
 * a photo after the appeal queued for the fetcher with the appeal's code, a photo alone not.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import badSignatureEvent from '../../events/wecom/bad-signature.json' with { type: 'json' };
import imageAppealEvent from '../../events/wecom/image-appeal.json' with { type: 'json' };
import statusQueryEvent from '../../events/wecom/status-query.json' with { type: 'json' };
import textAppealEvent from '../../events/wecom/text-appeal.json' with { type: 'json' };
import verificationEvent from '../../events/wecom/url-verification.json' with { type: 'json' };
import { makeHandler } from '../../functions/wecom-callback.ts';
import { demoOrganisation } from '../../infra/demo/demo-organisation.ts';
import type { ReportSubmitted } from '../../shared/domain/report.ts';
import type { WecomPhotoJob } from '../../shared/domain/wecom/worker-photos.ts';
import { DependencyError } from '../../shared/errors.ts';
import { defaultKeywordTable } from '../../shared/reference/report-keywords.ts';
import { lambdaContext } from '../support/lambda-context.ts';

const sampleKeys = {
  token: 'QDG6eK',
  encodingAesKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C',
  receiverId: 'wx5823bf96d3bd56c7',
};
/** When the sample POSTs were sealed (their timestamp). */
const sealedAt = new Date(1_796_000_000_000);

function harness(options: { now?: Date; failIntake?: boolean } = {}) {
  const remembered = new Set<string>();
  const queued: ReportSubmitted[] = [];
  const sent: { to: string; content: string }[] = [];
  const photos: WecomPhotoJob[] = [];
  const latest = new Map<string, { trackingCode: string; at: number; photos: number }>();
  const handler = makeHandler({
    logger: new Logger({ logLevel: 'SILENT' }),
    callbackKeys: async () => sampleKeys,
    memory: {
      async remember(key) {
        if (remembered.has(key)) return false;
        remembered.add(key);
        return true;
      },
      async forget(key) {
        remembered.delete(key);
      },
    },
    intake: {
      async enqueue(message) {
        if (options.failIntake) throw new DependencyError('the intake queue is down');
        queued.push(message);
      },
    },
    messenger: {
      async sendText(to, content) {
        sent.push({ to, content });
      },
    },
    cases: { getCase: async () => undefined },
    directory: { load: async () => demoOrganisation },
    keywords: async () => defaultKeywordTable,
    trackingCodeSecret: async () => 'a-tracking-code-secret-of-32-characters!',
    appeals: {
      async recordAppeal(worker, trackingCode, at) {
        latest.set(worker, { trackingCode, at: at.getTime(), photos: 0 });
      },
      async takePhotoPlace(worker, since, max) {
        const appeal = latest.get(worker);
        if (!appeal || appeal.at < since.getTime()) return { kind: 'no_recent_appeal' };
        if (appeal.photos >= max) return { kind: 'full', trackingCode: appeal.trackingCode };
        appeal.photos += 1;
        return { kind: 'joins', trackingCode: appeal.trackingCode, number: appeal.photos };
      },
    },
    photoQueue: {
      async enqueue(job) {
        photos.push(job);
      },
    },
    now: () => options.now ?? sealedAt,
  });
  const invoke = async (event: APIGatewayProxyEventV2) => handler(event, lambdaContext());
  return { invoke, remembered, queued, sent, photos };
}

describe('wecom-callback', () => {
  it("answers the platform's own URL verification sample with its plaintext", async () => {
    const response = await harness().invoke(verificationEvent);
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe('1616140317555161061');
  });

  it("queues a worker's text appeal in their grid's community and sends the code back", async () => {
    const h = harness();
    const response = await h.invoke(textAppealEvent);
    expect(response).toMatchObject({ statusCode: 200, body: '' });
    expect(h.queued).toHaveLength(1);
    expect(h.queued[0]).toMatchObject({ channel: 'wecom', report: { communityId: 'chengdong-kangning' } });
    expect(h.sent).toEqual([{ to: 'gw-chengdong-kangning-g1', content: expect.stringContaining('查询码') }]);
    expect(h.queued[0]?.report.contactPhone).toBeUndefined();
  });

  it('does nothing for a second delivery of the same message', async () => {
    const h = harness();
    await h.invoke(textAppealEvent);
    const again = await h.invoke(textAppealEvent);
    expect(again.statusCode).toBe(200);
    expect(h.queued).toHaveLength(1);
    expect(h.sent).toHaveLength(1);
  });

  it('answers CX <code> for a code nobody has with "not found"', async () => {
    const h = harness();
    await h.invoke(statusQueryEvent);
    expect(h.queued).toHaveLength(0);
    expect(h.sent[0]?.content).toMatch(/没有找到这个查询码/);
  });

  it('refuses a bad signature with 403 bad_signature, queueing and sending nothing', async () => {
    const h = harness();
    const response = await h.invoke(badSignatureEvent);
    expect(response.statusCode).toBe(403);
    expect(JSON.parse(response.body ?? '')).toMatchObject({ error: { code: 'bad_signature' } });
    expect([h.queued, h.sent, [...h.remembered]]).toEqual([[], [], []]);
  });

  it('refuses a callback six minutes off our clock with 403 stale_timestamp', async () => {
    const h = harness({ now: new Date(sealedAt.getTime() + 6 * 60_000) });
    const response = await h.invoke(textAppealEvent);
    expect(response.statusCode).toBe(403);
    expect(JSON.parse(response.body ?? '')).toMatchObject({ error: { code: 'stale_timestamp' } });
    expect(h.queued).toHaveLength(0);
  });

  it('answers 503 and forgets the message when the intake queue fails, so the retry does the work', async () => {
    const h = harness({ failIntake: true });
    const response = await h.invoke(textAppealEvent);
    expect(response.statusCode).toBe(503);
    expect(h.remembered.size).toBe(0);
    expect(h.sent).toHaveLength(0);
  });

  it("queues a photo sent after the appeal for the fetcher, under the appeal's code, and says so", async () => {
    const h = harness({ now: new Date(sealedAt.getTime() + 30_000) });
    await h.invoke(textAppealEvent);
    const response = await h.invoke(imageAppealEvent);
    expect(response).toMatchObject({ statusCode: 200, body: '' });
    const code = h.queued[0]?.trackingCode;
    expect(h.photos).toEqual([
      {
        kind: 'wecom.photo',
        trackingCode: code,
        mediaId: '3fAbCdEfGhIjKlMnOpQrStUvWxYz0123456789sample',
        number: 1,
        worker: 'gw-chengdong-kangning-g1',
      },
    ]);
    expect(h.sent[1]?.content).toMatch(/照片已收到（第1张）/);
  });

  it('asks for the words first when a photo comes with no appeal before it, queueing nothing', async () => {
    const h = harness({ now: new Date(sealedAt.getTime() + 30_000) });
    await h.invoke(imageAppealEvent);
    expect(h.photos).toHaveLength(0);
    expect(h.queued).toHaveLength(0);
    expect(h.sent[0]?.content).toMatch(/请先发文字描述/);
  });

  it('refuses a body that is not XML with 400 malformed_xml', async () => {
    const response = await harness().invoke({ ...textAppealEvent, body: 'not xml at all' });
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body ?? '')).toMatchObject({ error: { code: 'malformed_xml' } });
  });
});
