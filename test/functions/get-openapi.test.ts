/**
 * GET /api/openapi.json from its sample event: the document, cacheable by anyone, built once per
 * container, and 304 for a client that holds the current version.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { describe, expect, it } from 'vitest';
import openApiEvent from '../../events/http/get-openapi.json' with { type: 'json' };
import { makeHandler } from '../../functions/get-openapi.ts';
import { lambdaContext } from '../support/lambda-context.ts';
import { expectResponseMatchesOpenApi, openApiDocument } from '../support/openapi-conformance.ts';

const handler = makeHandler({ logger: new Logger({ logLevel: 'SILENT' }) });
const invoke = async (headers: Record<string, string> = {}) => {
  const event = structuredClone(openApiEvent);
  const response = await handler(
    { ...event, headers: { ...event.headers, ...headers } },
    lambdaContext('civicloop-get-openapi'),
  );
  return { ...response, headers: response.headers ?? {}, body: response.body ?? '' };
};

describe('GET /api/openapi.json', () => {
  it('answers the OpenAPI document as JSON that shared caches may keep for an hour, with an ETag', async () => {
    const response = await invoke();
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(response.headers['cache-control']).toBe('public, max-age=3600');
    expect(response.headers.etag).toMatch(/^"[\w-]{27}"$/);
    const body: unknown = JSON.parse(response.body);
    expect(body).toEqual(JSON.parse(JSON.stringify(openApiDocument)));
    expectResponseMatchesOpenApi('GET /api/openapi.json', {
      status: response.statusCode,
      contentType: String(response.headers['content-type']),
      body,
    });
  });

  it('answers 304 without the document to a client that holds the current version', async () => {
    const { headers } = await invoke();
    const again = await invoke({ 'if-none-match': String(headers.etag) });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    expect(again.headers.etag).toBe(headers.etag);
    expect((await invoke({ 'if-none-match': '"an-older-version"' })).statusCode).toBe(200);
  });
});
