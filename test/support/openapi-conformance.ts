/**
 * Holding real answers against the OpenAPI document (shared/http/openapi/openapi-document.ts):
 * the status must be one the route documents, the content type one of that status's media types,
 * and a JSON body must validate against the documented schema, compiled with Ajv's JSON Schema
 * 2020-12 (the dialect OpenAPI 3.1 uses) against the document's own components. Formats
 * (date-time …) are not checked: the document's patterns and types are.
 *
 * Also: which topology routes the document leaves out, and which it describes that nobody routes.
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { expect } from 'vitest';
import type { Topology } from '../../infra/topology.ts';
import { buildOpenApiDocument, type OpenApiDocument } from '../../shared/http/openapi/openapi-document.ts';

export const openApiDocument: OpenApiDocument = buildOpenApiDocument();

const DOCUMENT_ID = 'https://civicloop.invalid/api/openapi.json';
const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
ajv.addSchema(openApiDocument, DOCUMENT_ID);
const compiled = new Map<string, ValidateFunction>();

/** `/api/cases/{id}` → `~1api~1cases~1{id}` (RFC 6901). */
const pointerSegment = (s: string) => s.replaceAll('~', '~0').replaceAll('/', '~1');

export interface AnswerSeen {
  status: number;
  /** The Content-Type header as sent (parameters such as charset are ignored). */
  contentType: string | undefined;
  /** The parsed JSON body, or the text of any other body. */
  body: unknown;
}

function operationOf(routeKey: string): { path: string; method: string; operation: Record<string, unknown> } {
  const [method = '', path = ''] = routeKey.split(' ');
  const operation = openApiDocument.paths[path]?.[method.toLowerCase()];
  if (!operation) throw new Error(`the OpenAPI document has no operation for ${routeKey}`);
  return { path, method: method.toLowerCase(), operation };
}

/** Fails the test unless `answer` is one the document describes for `routeKey` (`'GET /api/cases/{id}'`). */
export function expectResponseMatchesOpenApi(routeKey: string, answer: AnswerSeen): void {
  const { path, method, operation } = operationOf(routeKey);
  const responses = (operation.responses ?? {}) as Record<string, { content?: Record<string, unknown> }>;
  const documented = responses[String(answer.status)];
  expect(documented, `${routeKey} answered ${answer.status}, which the document does not list`).toBeDefined();
  const media = (answer.contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const content = documented?.content ?? {};
  if (Object.keys(content).length === 0) {
    expect(
      answer.body === '' || answer.body === undefined || media !== 'application/json',
      `${routeKey} ${answer.status} has no documented body`,
    ).toBe(true);
    return;
  }
  expect(Object.keys(content), `${routeKey} ${answer.status} answered ${media}`).toContain(media);
  if (media !== 'application/json') return;
  const pointer = ['paths', path, method, 'responses', String(answer.status), 'content', media, 'schema']
    .map(pointerSegment)
    .join('/');
  const ref = `${DOCUMENT_ID}#/${pointer}`;
  let validate = compiled.get(ref);
  if (!validate) {
    validate = ajv.compile({ $ref: ref });
    compiled.set(ref, validate);
  }
  const valid = validate(answer.body);
  expect(
    valid
      ? []
      : (validate.errors ?? []).map(
          (e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`,
        ),
    `${routeKey} ${answer.status}: the body does not match the document`,
  ).toEqual([]);
}

/**
 * The route key a request reaches (`'GET /api/cases/{id}'` for `GET /api/cases/K7M2QX9PA?x=1`):
 * the documented path that matches, a literal segment winning over a parameter, as API Gateway
 * picks the most specific route.
 */
export function routeKeyOf(method: string, url: string): string {
  const segments = (url.split('?')[0] ?? '').split('/');
  let best: { key: string; literals: number } | undefined;
  for (const [path, item] of Object.entries(openApiDocument.paths)) {
    if (item[method.toLowerCase()] === undefined) continue;
    const template = path.split('/');
    if (template.length !== segments.length) continue;
    const fits = template.every((part, i) => /^\{\w+\}$/.test(part) || part === segments[i]);
    const literals = template.filter((part) => !part.startsWith('{')).length;
    if (fits && (!best || literals > best.literals))
      best = { key: `${method.toUpperCase()} ${path}`, literals };
  }
  if (!best) throw new Error(`no documented route for ${method} ${url}`);
  return best.key;
}

/** A fetch Response read and checked: its status, content type and body as `AnswerSeen`. */
export async function checkedAnswer(routeKey: string, response: Response): Promise<AnswerSeen> {
  const contentType = response.headers.get('content-type') ?? undefined;
  const text = await response.text();
  const isJson = (contentType ?? '').startsWith('application/json');
  const answer: AnswerSeen = {
    status: response.status,
    contentType,
    body: isJson && text !== '' ? (JSON.parse(text) as unknown) : text,
  };
  expectResponseMatchesOpenApi(routeKey, answer);
  return answer;
}

/** The topology's HTTP routes as route keys, with who may call them. */
export function routesOf(topology: Topology): { key: string; auth: 'public' | 'staff' }[] {
  return topology.functions.flatMap((fn) =>
    fn.triggers.flatMap((trigger) =>
      trigger.kind === 'http' ? [{ key: `${trigger.method} ${trigger.path}`, auth: trigger.auth }] : [],
    ),
  );
}

/** Route keys of the topology the document has no operation for. */
export function routesMissingFrom(document: OpenApiDocument, topology: Topology): string[] {
  return routesOf(topology)
    .map((route) => route.key)
    .filter((key) => {
      const [method = '', path = ''] = key.split(' ');
      return document.paths[path]?.[method.toLowerCase()] === undefined;
    });
}

/** Operations of the document no topology route serves. */
export function operationsNotRouted(document: OpenApiDocument, topology: Topology): string[] {
  const routed = new Set(routesOf(topology).map((route) => route.key));
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.keys(item)
      .map((method) => `${method.toUpperCase()} ${path}`)
      .filter((key) => !routed.has(key)),
  );
}
