/**
 * The OpenAPI document against an OpenAPI validator, the topology (the one source of routes) and
 * the schemas the handlers validate with; the conformance helper's own checks are shown failing.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { validate } from '@readme/openapi-parser';
import { describe, expect, it } from 'vitest';
import { type Topology, topology } from '../../infra/topology.ts';
import { categoryCodes } from '../../shared/domain/categories.ts';
import { buildOpenApiDocument } from '../../shared/http/openapi/openapi-document.ts';
import {
  expectResponseMatchesOpenApi,
  openApiDocument,
  operationsNotRouted,
  routesMissingFrom,
  routesOf,
} from '../support/openapi-conformance.ts';

type Json = Record<string, unknown>;
const operation = (method: string, path: string): Json => {
  const op = openApiDocument.paths[path]?.[method];
  if (!op) throw new Error(`no ${method} ${path}`);
  return op;
};
/** A nested value by keys; undefined where the document has none. */
const at = (value: unknown, ...keys: string[]): unknown =>
  keys.reduce<unknown>(
    (node, key) =>
      node !== null && typeof node === 'object'
        ? Object.entries(node).find(([k]) => k === key)?.[1]
        : undefined,
    value,
  );

describe('the OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document for a maintained validator', async () => {
    expect(openApiDocument.openapi).toBe('3.1.0');
    // As a client reads it: the served JSON, from a file (the parser takes a path or its own types).
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'openapi-')), 'openapi.json');
    writeFileSync(file, JSON.stringify(openApiDocument));
    const result = await validate(file);
    expect(result.valid ? [] : result.errors).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('describes every HTTP route of the topology, and nothing the topology does not route', () => {
    expect(routesOf(topology).length).toBeGreaterThan(40);
    expect(routesMissingFrom(openApiDocument, topology)).toEqual([]);
    expect(operationsNotRouted(openApiDocument, topology)).toEqual([]);
  });

  it('names a route the topology gains before the document describes it', () => {
    const grown: Topology = {
      ...topology,
      functions: [
        ...topology.functions,
        {
          name: 'archive-cases',
          entry: 'functions/archive-cases.ts',
          description: 'not yet described',
          timeoutSeconds: 5,
          memoryMb: 512,
          triggers: [{ kind: 'http', method: 'GET', path: '/api/cases/archive', auth: 'staff' }],
          bindings: [],
        },
      ],
    };
    expect(routesMissingFrom(openApiDocument, grown)).toEqual(['GET /api/cases/archive']);
  });

  it('asks staff routes for the bearer token and answers 401 in the error envelope; public routes need none', () => {
    for (const route of routesOf(topology)) {
      const [method = '', routePath = ''] = route.key.split(' ');
      const op = operation(method.toLowerCase(), routePath);
      if (route.auth === 'staff') {
        expect(op.security, route.key).toEqual([{ staffToken: [] }]);
        expect(at(op, 'responses', '401', 'content', 'application/json', 'schema'), route.key).toEqual({
          $ref: '#/components/schemas/Error',
        });
      } else {
        expect(op.security, route.key).toEqual([]);
      }
    }
    expect(at(openApiDocument, 'components', 'securitySchemes', 'staffToken')).toMatchObject({
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
    });
    expect(at(openApiDocument, 'components', 'securitySchemes', 'partnerKey')).toMatchObject({
      type: 'apiKey',
      name: 'api_key',
    });
  });

  it("takes request bodies and queries from the handlers' own zod schemas", () => {
    const report = operation('post', '/api/reports');
    expect(
      at(report, 'requestBody', 'content', 'application/json', 'schema', 'properties', 'category', 'enum'),
    ).toEqual([...categoryCodes]);
    expect(at(report, 'requestBody', 'content', 'application/json', 'schema', 'required')).toEqual([
      'category',
      'communityId',
      'description',
    ]);
    expect(report.parameters).toContainEqual(
      expect.objectContaining({ name: 'Idempotency-Key', in: 'header' }),
    );

    const transition = JSON.stringify(at(operation('post', '/api/cases/{id}/transitions'), 'requestBody'));
    for (const action of ['accept', 'resolve', 'merge', 'recategorise', 'record_return_visit']) {
      expect(transition).toContain(`"const":"${action}"`);
    }
    expect(transition).toContain('expectedVersion');

    const list = operation('get', '/api/cases').parameters;
    expect(list).toContainEqual(
      expect.objectContaining({
        name: 'list',
        in: 'query',
        schema: expect.objectContaining({ enum: ['queue', 'problems', 'transfers', 'return_visits'] }),
      }),
    );
  });

  it('is built the same every time (one document per cold start, the same for every container)', () => {
    expect(JSON.stringify(buildOpenApiDocument())).toBe(JSON.stringify(openApiDocument));
  });
});

describe('expectResponseMatchesOpenApi', () => {
  const status = {
    trackingCode: 'K7M-2QX-9PA',
    stage: 'dispatched',
    category: 'fraud',
    unit: { id: 'psb-antifraud', zh: '反诈中心', en: 'Anti-fraud centre' },
    submittedAt: '2026-12-06T08:00:00.000Z',
    updatedAt: '2026-12-06T08:00:01.000Z',
    timeline: [{ stage: 'received', at: '2026-12-06T08:00:00.000Z' }],
  };
  const json = 'application/json; charset=utf-8';

  it('passes an answer the document describes', () => {
    expectResponseMatchesOpenApi('GET /api/reports/{trackingCode}', {
      status: 200,
      contentType: json,
      body: status,
    });
    expectResponseMatchesOpenApi('GET /api/reports/{trackingCode}', {
      status: 404,
      contentType: json,
      body: { error: { code: 'not_found', message: 'No report with this code' } },
    });
  });

  it('fails a field the document does not describe, a wrong type, an unlisted status and another media type', () => {
    const check = (answer: Parameters<typeof expectResponseMatchesOpenApi>[1]) => () =>
      expectResponseMatchesOpenApi('GET /api/reports/{trackingCode}', answer);
    expect(
      check({ status: 200, contentType: json, body: { ...status, contactPhone: '+8613900001111' } }),
    ).toThrow(/does not match/);
    expect(check({ status: 200, contentType: json, body: { ...status, stage: 'lost' } })).toThrow(
      /does not match/,
    );
    expect(check({ status: 404, contentType: json, body: { message: 'not found' } })).toThrow(
      /does not match/,
    );
    expect(check({ status: 418, contentType: json, body: {} })).toThrow(/does not list/);
    expect(check({ status: 200, contentType: 'text/html', body: '<p>' })).toThrow(/answered text\/html/);
  });
});
