/**
 * The console shell's language: `?lang=` chooses and is remembered in the `lang` cookie, the cookie
 * decides when no `?lang` is given, and the answer varies by it.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import pageEvent from '../../events/http/console-page-lang-cookie.json' with { type: 'json' };
import { makeHandler } from '../../functions/console-page.ts';
import { lambdaContext } from '../support/lambda-context.ts';

const handler = makeHandler({
  logger: new Logger({ logLevel: 'SILENT' }),
  assets: { script: 'var civicloopPage = { start: function () {} };', css: 'body{}' },
});

/** GET /console as API Gateway delivers it, with this query and these cookies. */
const consoleRequest = (query?: Record<string, string>, cookies?: string[]): APIGatewayProxyEventV2 => {
  const { cookies: _none, ...event } = structuredClone(pageEvent);
  return { ...event, queryStringParameters: query, ...(cookies ? { cookies } : {}) };
};

const invoke = async (event: APIGatewayProxyEventV2) => {
  const response = await handler(event, lambdaContext('civicloop-console-page'));
  return { ...response, headers: response.headers ?? {}, body: response.body ?? '' };
};

describe('GET /console', () => {
  it('speaks the language the cookie remembers when no ?lang is given', async () => {
    const english = await invoke(structuredClone(pageEvent));
    expect(english.body).toContain('<html lang="en">');
    expect(english.headers.vary).toBe('Cookie');
    expect(english.cookies).toBeUndefined();
    expect((await invoke(consoleRequest())).body).toContain('<html lang="zh-CN">');
    expect((await invoke(consoleRequest(undefined, ['lang=%E0%A4%A']))).body).toContain(
      '<html lang="zh-CN">',
    );
  });

  it('lets ?lang= override the cookie and remembers the new choice', async () => {
    const response = await invoke(consoleRequest({ lang: 'zh' }, ['lang=en']));
    expect(response.body).toContain('<html lang="zh-CN">');
    expect(response.cookies).toEqual(['lang=zh; Path=/; Max-Age=31536000; SameSite=Lax; Secure']);
  });
});
