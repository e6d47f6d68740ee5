/**
 * The status function's two routes over one use case: the JSON status (now with the resolution
 * note, still without who worked on it) and the server-rendered status page for browsers without
 * JavaScript, which remembers a `?lang=` choice in a cookie and varies by it.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import jsonEvent from '../../events/http/get-report-status.json' with { type: 'json' };
import photoEvent from '../../events/http/public-result-photo.json' with { type: 'json' };
import pageEvent from '../../events/http/status-page.json' with { type: 'json' };
import invalidEvent from '../../events/http/status-page-invalid-code.json' with { type: 'json' };
import { makeHandler } from '../../functions/get-report-status.ts';
import { demoOrganisation } from '../../infra/demo/demo-organisation.ts';
import type { CaseState } from '../../shared/domain/case.ts';
import { pageText } from '../../shared/web/page-text.ts';
import { closedWebCase } from '../support/closed-case.ts';
import { lambdaContext } from '../support/lambda-context.ts';

const publicKey = 'cases/K7M2QX9PA/public-after-AAAAAAAAAAAAAAAAAAAAAA.jpg';

const closedCase: CaseState = {
  ...closedWebCase('K7M2QX9PA'),
  publicPhotos: [publicKey],
  resolvedBy: 'u-handler-wang',
  timeline: [
    { stage: 'received', at: '2026-12-01T00:00:00.000Z', by: 'system:submit-report' },
    { stage: 'dispatched', at: '2026-12-01T00:00:05.000Z', by: 'system:route-report', action: 'dispatch' },
    {
      stage: 'in_progress',
      at: '2026-12-01T02:00:00.000Z',
      by: 'u-handler-wang',
      action: 'accept',
      note: '王师傅明天去',
    },
    {
      stage: 'resolved',
      at: '2026-12-02T02:30:00.000Z',
      by: 'u-handler-wang',
      action: 'resolve',
      note: '已更换路灯。有问题请打 13812345678。<b>谢谢</b>',
    },
    {
      stage: 'verified',
      at: '2026-12-02T06:00:00.000Z',
      by: 'u-supervisor',
      action: 'verify',
      note: '李主任核查',
    },
    { stage: 'closed', at: '2026-12-03T00:00:00.000Z', by: 'u-supervisor', action: 'close' },
  ],
};

const handler = makeHandler({
  logger: new Logger({ logLevel: 'SILENT' }),
  cases: { getCase: async (code) => (code === closedCase.trackingCode ? closedCase : undefined) },
  directory: { load: async () => demoOrganisation },
  photos: { presignView: async (key, ttl) => `https://bucket.example/${key}?expires=${ttl}` },
  photoBucketOrigin: 'https://bucket.example',
});

const invoke = async (event: APIGatewayProxyEventV2) => {
  const response = await handler(structuredClone(event), lambdaContext('civicloop-get-report-status'));
  return { ...response, headers: response.headers ?? {}, body: response.body ?? '' };
};

const withQuery = (
  event: APIGatewayProxyEventV2,
  query: Record<string, string> | undefined,
  cookies?: string[],
) => {
  const { cookies: _dropped, ...rest } = structuredClone(event);
  return { ...rest, queryStringParameters: query, ...(cookies ? { cookies } : {}) };
};

describe('GET /api/reports/{trackingCode}', () => {
  it('carries the resolution note, its phone masked, and nothing about who worked on the case', async () => {
    const response = await invoke(jsonEvent);
    expect(response.statusCode).toBe(200);
    const status = z
      .object({ stage: z.string(), resolution: z.object({ note: z.string(), at: z.string() }) })
      .parse(JSON.parse(response.body));
    expect(status.stage).toBe('closed');
    expect(status.resolution).toEqual({
      note: '已更换路灯。有问题请打 ***********。<b>谢谢</b>',
      at: '2026-12-02T02:30:00.000Z',
    });
    for (const secret of ['u-handler-wang', 'u-supervisor', '王师傅', '李主任', '13812345678'])
      expect(response.body).not.toContain(secret);
  });
});

describe('GET /photos/{trackingCode}/{n}', () => {
  const photoAt = (trackingCode: string, n: string) => ({
    ...structuredClone(photoEvent),
    pathParameters: { trackingCode, n },
  });

  it('redirects to a fresh five-minute URL of the recorded public photo, never cached', async () => {
    const response = await invoke(photoEvent);
    expect(response.statusCode).toBe(302);
    expect(response.headers.location).toBe(`https://bucket.example/${publicKey}?expires=300`);
    expect(response.headers['cache-control']).toBe('no-store');
  });

  it('answers 404 not_found for a number the case has no photo at, a malformed number and an unknown code', async () => {
    for (const [code, n] of [
      ['K7M-2QX-9PA', '2'],
      ['K7M-2QX-9PA', '0'],
      ['K7M-2QX-9PA', 'x'],
      ['AAA-AAA-AAA', '1'],
    ] as const) {
      const response = await invoke(photoAt(code, n));
      expect(response.statusCode).toBe(404);
      expect(
        z.object({ error: z.object({ code: z.string() }) }).parse(JSON.parse(response.body)).error.code,
      ).toBe('not_found');
    }
  });

  it('lists the photo in the JSON status as the redirect path, not as a bucket URL', async () => {
    const response = await invoke(jsonEvent);
    expect(JSON.parse(response.body)).toMatchObject({ photos: [{ url: '/photos/K7M-2QX-9PA/1' }] });
    expect(response.body).not.toContain('cases/');
  });
});

describe('GET /status', () => {
  it('renders the status in the cookie’s language, with the note escaped and the rating form', async () => {
    const response = await invoke(pageEvent);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.headers.vary).toBe('Cookie');
    // The cookie chose English; nothing new to remember.
    expect(response.cookies).toBeUndefined();
    expect(response.body).toContain('<html lang="en">');
    expect(response.body).toContain('<dd>County Transport Bureau</dd>');
    expect(response.body).toContain('有问题请打 ***********。&lt;b&gt;谢谢&lt;/b&gt;');
    expect(response.body).toContain('<form id="rate" method="post" action="/rating"');
    for (const secret of ['u-handler-wang', '王师傅', '李主任', '13812345678'])
      expect(response.body).not.toContain(secret);
  });

  it('remembers a ?lang= choice in a cookie, Secure behind HTTPS, and it wins over the old cookie', async () => {
    const response = await invoke(withQuery(pageEvent, { code: 'K7M2QX9PA', lang: 'zh' }, ['lang=en']));
    expect(response.body).toContain('<html lang="zh-CN">');
    expect(response.cookies).toEqual(['lang=zh; Path=/; Max-Age=31536000; SameSite=Lax; Secure']);
    const local = {
      ...withQuery(pageEvent, { lang: 'en' }),
      headers: { ...pageEvent.headers, 'x-forwarded-proto': 'http' },
    };
    expect((await invoke(local)).cookies).toEqual(['lang=en; Path=/; Max-Age=31536000; SameSite=Lax']);
  });

  it('answers 400 naming the code field for a code that cannot be one', async () => {
    const response = await invoke(invalidEvent);
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain(`<p class="error" id="code-error">${pageText.zh.checkInvalid}</p>`);
    expect(response.body).toContain('value="K7M-2QX-9P"');
  });

  it('answers 404 with the not-found sentence next to the field for a code no report has', async () => {
    const response = await invoke(withQuery(pageEvent, { code: 'AAA-BBB-CCC' }));
    expect(response.statusCode).toBe(404);
    expect(response.body).toContain(`<p class="error" id="code-error">${pageText.zh.checkNotFound}</p>`);
    expect(response.body).not.toContain('{"error"');
    expect(response.body.startsWith('<!doctype html>')).toBe(true);
  });

  it('shows the empty lookup form without a code, and reads odd query values as absent', async () => {
    const empty = await invoke(withQuery(pageEvent, undefined));
    expect(empty.statusCode).toBe(200);
    expect(empty.body).toContain('<form id="check" method="get" action="/status">');
    expect(empty.body).not.toContain('id="status"');
    const odd = await invoke(withQuery(pageEvent, { code: 'K7M2QX9PA', rated: '<x>' }));
    expect(odd.statusCode).toBe(200);
    expect(odd.body).not.toContain('id="rated"');
  });
});
