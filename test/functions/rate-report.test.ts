/**
 * The rating function's form route beside its JSON route, on the emulated tables: a plain form post
 * with the same validation, limits and one-rating rule as the JSON API, answered with a redirect to
 * the status page (post, redirect, get) or with the form again naming the field, never JSON.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import formEvent from '../../events/http/rate-report-form.json' with { type: 'json' };
import invalidFormEvent from '../../events/http/rate-report-form-invalid.json' with { type: 'json' };
import { FORM_MAX_BODY_BYTES, makeHandler } from '../../functions/rate-report.ts';
import { hashReporterToken } from '../../shared/domain/reporter-token.ts';
import { pageText } from '../../shared/web/page-text.ts';
import { type CaseWork, emulatedCaseWork } from '../support/case-work.ts';
import { closedWebCase } from '../support/closed-case.ts';
import { lambdaContext } from '../support/lambda-context.ts';

let work: CaseWork;
beforeAll(async () => {
  work = await emulatedCaseWork();
}, 60_000);
afterAll(async () => {
  await work?.stop();
});

const TOKEN = 'q2Vw3kX9mZ8pL7nB6vC5xA4s';

/** A web report's case, closed by staff, waiting for its reporter's rating. */
async function closedCase(trackingCode: string): Promise<void> {
  const state = closedWebCase(trackingCode);
  await work.deps.cases.createCase(state, []);
  await work.deps.cases.saveReport({
    trackingCode,
    submissionId: state.submissionId,
    description: '路灯坏了',
    reporterTokenHash: hashReporterToken(TOKEN),
  });
}

const handler = () => makeHandler({ logger: new Logger({ logLevel: 'SILENT' }), ...work.deps });

const invoke = async (event: APIGatewayProxyEventV2) => {
  const response = await handler()(structuredClone(event), lambdaContext('civicloop-rate-report'));
  return { ...response, headers: response.headers ?? {}, body: response.body ?? '' };
};

const formPost = (fields: Record<string, string>): APIGatewayProxyEventV2 => ({
  ...structuredClone(formEvent),
  body: Buffer.from(new URLSearchParams(fields).toString()).toString('base64'),
});

const jsonPost = (code: string, body: string): APIGatewayProxyEventV2 => ({
  ...structuredClone(formEvent),
  routeKey: 'POST /api/reports/{trackingCode}/rating',
  pathParameters: { trackingCode: code },
  headers: { ...formEvent.headers, 'content-type': 'application/json', accept: 'application/json' },
  body,
  isBase64Encoded: false,
});

const ErrorBody = z.object({
  error: z.object({ code: z.string(), issues: z.array(z.object({ path: z.string() })).optional() }),
});

describe('POST /rating (the status page’s form)', () => {
  it('rates the case and redirects to its status page, which then thanks the reporter', async () => {
    await closedCase('K7M2QX9PA');
    const response = await invoke(formEvent);
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/status?code=K7M2QX9PA&rated=1');
    expect(response.body).toBe('');
    const state = await work.deps.cases.getCase('K7M2QX9PA');
    expect(state?.stage).toBe('evaluated');
    expect(state?.rating).toMatchObject({ score: 4, comment: '处理得很及时' });
  });

  it('answers a second rating of the same case 409 with the form and the reason, and stores nothing more', async () => {
    await closedCase('RATE2TWCE');
    const fields = { lang: 'zh', code: 'RATE2TWCE', token: TOKEN, score: '5' };
    expect((await invoke(formPost(fields))).statusCode).toBe(303);
    const again = await invoke(formPost({ ...fields, score: '1' }));
    expect(again.statusCode).toBe(409);
    expect(again.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(again.body).toContain(`<li>${pageText.zh.rateNotYet}</li>`);
    expect((await work.deps.cases.getCase('RATE2TWCE'))?.rating?.score).toBe(5);
  });

  it('answers 400 with the form naming each bad field in the form’s language, keeping what was typed', async () => {
    const response = await invoke(invalidFormEvent);
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.body).toContain('<html lang="en">');
    expect(response.body).toContain(
      `<p class="error" id="rate-token-error">${pageText.en.rateFieldErrors.token}</p>`,
    );
    expect(response.body).toContain(
      `<p class="error" id="rate-score-error">${pageText.en.rateFieldErrors.score}</p>`,
    );
    expect(response.body).toContain('id="rate-code-error" hidden');
    expect(response.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;</textarea>');
    expect(response.body).not.toContain('<script>alert(1)');
  });

  it('names a mistyped code and a comment over 500 characters, with the JSON API’s limits', async () => {
    const response = await invoke(
      formPost({ lang: 'zh', code: 'K7M-2QX', token: TOKEN, score: '3', comment: '长'.repeat(501) }),
    );
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain(
      `<p class="error" id="rate-code-error">${pageText.zh.rateFieldErrors.code}</p>`,
    );
    expect(response.body).toContain(
      `<p class="error" id="rate-comment-error">${pageText.zh.rateFieldErrors.comment}</p>`,
    );
    // 500 Chinese characters fit: percent-encoded they are 4.5 KB, over the JSON route's 4 KB.
    await closedCase('CMMNT5000');
    const longest = await invoke(
      formPost({ lang: 'zh', code: 'CMMNT5000', token: TOKEN, score: '3', comment: '长'.repeat(500) }),
    );
    expect(longest.statusCode).toBe(303);
  });

  it('answers 404 with the mismatch next to the key, whether the case is missing or the key is wrong', async () => {
    const missing = await invoke(formPost({ lang: 'zh', code: 'AAABBBCCC', token: TOKEN, score: '4' }));
    expect(missing.statusCode).toBe(404);
    expect(missing.body).toContain(`<p class="error" id="rate-token-error">${pageText.zh.rateRefused}</p>`);
    await closedCase('WRNGKEY77');
    const wrong = await invoke(
      formPost({ lang: 'zh', code: 'WRNGKEY77', token: 'not-the-right-key', score: '4' }),
    );
    expect(wrong.statusCode).toBe(404);
    // The same words either way: the code alone must not tell whether a case exists.
    expect(wrong.body.replace('not-the-right-key', TOKEN).replace('WRNGKEY77', 'AAABBBCCC')).toBe(
      missing.body,
    );
    expect((await work.deps.cases.getCase('WRNGKEY77'))?.stage).toBe('closed');
  });

  it('answers a body over its limit 413 with the form, not JSON', async () => {
    const response = await invoke(
      formPost({ code: 'K7M2QX9PA', token: TOKEN, comment: 'x'.repeat(FORM_MAX_BODY_BYTES) }),
    );
    expect(response.statusCode).toBe(413);
    expect(response.body).toContain(
      `<p class="error" id="rate-comment-error">${pageText.zh.rateFieldErrors.comment}</p>`,
    );
  });
});

describe('POST /api/reports/{trackingCode}/rating (JSON, unchanged)', () => {
  it('still answers bad fields 400 in the error envelope and a body over 4 KB 413', async () => {
    const bad = await invoke(jsonPost('K7M2QX9PA', JSON.stringify({ token: 'short', score: 9 })));
    expect(bad.statusCode).toBe(400);
    const error = ErrorBody.parse(JSON.parse(bad.body)).error;
    expect(error.code).toBe('invalid_request');
    expect(error.issues?.map((i) => i.path)).toEqual(['token', 'score']);
    const large = await invoke(
      jsonPost('K7M2QX9PA', JSON.stringify({ token: TOKEN, score: 3, comment: 'x'.repeat(4200) })),
    );
    expect(large.statusCode).toBe(413);
    expect(ErrorBody.parse(JSON.parse(large.body)).error.code).toBe('payload_too_large');
  });
});
