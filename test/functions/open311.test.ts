import { Logger } from '@aws-lambda-powertools/logger';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as z from 'zod';
import discoveryEvent from '../../events/open311/discovery-json.json' with { type: 'json' };
import getRequestEvent from '../../events/open311/get-request-json.json' with { type: 'json' };
import badDatesEvent from '../../events/open311/get-requests-bad-dates.json' with { type: 'json' };
import getRequestsEvent from '../../events/open311/get-requests-json.json' with { type: 'json' };
import getRequestsXmlEvent from '../../events/open311/get-requests-xml.json' with { type: 'json' };
import badKeyEvent from '../../events/open311/post-request-bad-key.json' with { type: 'json' };
import postEvent from '../../events/open311/post-request-form.json' with { type: 'json' };
import postUnplacedEvent from '../../events/open311/post-request-xml-unplaced.json' with { type: 'json' };
import definitionEvent from '../../events/open311/service-definition-json.json' with { type: 'json' };
import unknownServiceEvent from '../../events/open311/service-definition-unknown.json' with { type: 'json' };
import otherJurisdictionEvent from '../../events/open311/services-other-jurisdiction.json' with {
  type: 'json',
};
import servicesXmlEvent from '../../events/open311/services-xml.json' with { type: 'json' };
import { makeHandler, type Open311HandlerDeps } from '../../functions/open311.ts';
import { demoOrganisation } from '../../infra/demo/demo-organisation.ts';
import { DynamoDbCaseStore } from '../../shared/adapters/dynamodb-case-store.ts';
import { DynamoDbPartnerKeys } from '../../shared/adapters/dynamodb-partner-keys.ts';
import { DynamoDbServiceRequestFeed } from '../../shared/adapters/dynamodb-service-request-feed.ts';
import { DynamoDbSubmissionLedger } from '../../shared/adapters/dynamodb-submission-ledger.ts';
import { SqsIntakeQueue } from '../../shared/adapters/sqs-queues.ts';
import type { CaseState } from '../../shared/domain/case.ts';
import { categoryCodes } from '../../shared/domain/categories.ts';
import { DEFAULT_PHONE_POLICY } from '../../shared/domain/phone-number.ts';
import { ReportSubmitted, UNPLACED_COMMUNITY } from '../../shared/domain/report.ts';
import type { Staff } from '../../shared/domain/staff.ts';
import { createPartner, revokePartner } from '../../shared/services/administer-partners.ts';
import { closedWebCase } from '../support/closed-case.ts';
import { type EmulatedTables, emulatedTables } from '../support/emulated-tables.ts';
import {
  discoverySchema,
  errorsSchema,
  georeportValidator,
  postResponseSchema,
  serviceDefinitionSchema,
  serviceListSchema,
  serviceRequestsSchema,
} from '../support/georeport-v2-schemas.ts';
import { lambdaContext } from '../support/lambda-context.ts';

const NOW = new Date('2026-12-06T08:00:00.000Z');
const PEPPER = 'pepper-for-the-open311-handler-tests-0123456789';
/** The key the sample events carry: createPartner with every random byte 7. */
const EVENT_KEY = 'o311_070707070707_BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc';
const QUEUE_URL = 'https://sqs.us-east-1.amazonaws.com/000000000000/intake';
const admin: Staff = { role: 'admin', userId: 'u-admin', name: 'Admin' };
const PHONE = '13812345678';
const WORDS = '我家楼下的路灯坏了，我叫王伟';

let env: EmulatedTables;
let eventPartner: { apiKey: string } | undefined;
const sqsMock = mockClient(SQSClient);

const Errors = z.array(z.object({ code: z.number(), description: z.string() }));
const Requests = z.array(z.record(z.string(), z.unknown()));

/** Seeded cases: one per shape the feed must show (open with an SLA, resolved, closed, merged, fraud). */
const at = (day: number) => `2026-12-0${day}T02:00:00.000Z`;
const cases: CaseState[] = [
  {
    ...closedWebCase('K7M2QX9PA'),
    stage: 'in_progress',
    submittedAt: at(1),
    updatedAt: at(2),
    location: { lat: 37.201345, lng: 112.176543 },
    timer: { kind: 'resolve_due', at: '2026-12-09T10:00:00.000Z' },
    timeline: [{ stage: 'in_progress', at: at(2), by: 'u-handler', action: 'accept' }],
  },
  {
    ...closedWebCase('R4N7W2K8T'),
    stage: 'resolved',
    submittedAt: at(2),
    updatedAt: at(3),
    timeline: [
      {
        stage: 'resolved',
        at: at(3),
        by: 'u-handler',
        action: 'resolve',
        note: '已修复，联系电话 0354-5681234',
      },
    ],
  },
  { ...closedWebCase('C3H8M5V2D'), submittedAt: at(3) },
  {
    ...closedWebCase('F9T3K6P4N'),
    stage: 'merged',
    mergedInto: 'K7M2QX9PA',
    submittedAt: at(4),
    updatedAt: at(4),
    timeline: [{ stage: 'merged', at: at(4), by: 'u-handler', action: 'merge' }],
  },
  {
    ...closedWebCase('H2W9D4M7K'),
    stage: 'dispatched',
    category: 'fraud',
    unitId: 'psb-antifraud',
    location: { lat: 37.2, lng: 112.17 },
    submittedAt: at(5),
    updatedAt: at(5),
    timeline: [],
  },
];

beforeAll(async () => {
  env = await emulatedTables();
  const store = new DynamoDbCaseStore(env.db, env.tables.cases ?? '');
  for (const state of cases) {
    await store.createCase(state, []);
    await store.saveReport({
      trackingCode: state.trackingCode,
      submissionId: state.submissionId,
      description: WORDS,
      contactPhone: `+86${PHONE}`,
      address: '南大街12号3单元',
    });
  }
  eventPartner = await createPartner(
    admin,
    { name: '12345 热线' },
    partnerAdmin(() => new Uint8Array(1).fill(7)),
  );
});
afterAll(async () => {
  await env?.stop();
});
beforeEach(() => {
  sqsMock.reset();
  sqsMock.on(SendMessageCommand).resolves({ MessageId: 'm-1' });
});

function partnerAdmin(fill: () => Uint8Array) {
  return {
    partners: new DynamoDbPartnerKeys(env.db, env.tables.partners ?? ''),
    keyPepper: async () => PEPPER,
    now: () => NOW,
    randomBytes: (n: number) => Uint8Array.from({ length: n }, () => fill()[0] ?? 0),
  };
}

const handlerWith = (overrides: Partial<Open311HandlerDeps> = {}) =>
  makeHandler({
    logger: new Logger({ logLevel: 'SILENT' }),
    directory: { load: async () => demoOrganisation },
    cases: new DynamoDbCaseStore(env.db, env.tables.cases ?? ''),
    feed: new DynamoDbServiceRequestFeed(env.db, env.tables.cases ?? ''),
    partners: new DynamoDbPartnerKeys(env.db, env.tables.partners ?? ''),
    keyPepper: async () => PEPPER,
    ledger: new DynamoDbSubmissionLedger(env.db, env.tables.idempotency ?? ''),
    intake: new SqsIntakeQueue(new SQSClient({}), QUEUE_URL),
    phonePolicy: DEFAULT_PHONE_POLICY,
    partnerRequestsPerMinute: 1000,
    now: () => NOW,
    randomBytes: (n) => new Uint8Array(n).fill(3),
    newId: () => '0b6f1c8e-5d4a-4e8b-9c61-2f1f4f3a9b10',
    ...overrides,
  });

const invoke = async (event: unknown, handler = handlerWith()) => {
  const response = await handler(
    structuredClone(event) as APIGatewayProxyEventV2,
    lambdaContext('civicloop-open311'),
  );
  return { ...response, headers: response.headers ?? {}, body: String(response.body ?? '') };
};

/** A sample event with other query parameters (the gateway's comma-joined form). */
const withQuery = <E extends object>(event: E, query: Record<string, string>) => ({
  ...event,
  rawQueryString: new URLSearchParams(query).toString(),
  queryStringParameters: query,
});

/** The POST sample with other form fields. */
function withForm(
  event: typeof postEvent,
  fields: Record<string, string | undefined>,
  headers: Record<string, string> = {},
) {
  const form = new URLSearchParams(Buffer.from(event.body, 'base64').toString('utf8'));
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) form.delete(key);
    else form.set(key, value);
  }
  return {
    ...event,
    headers: { ...event.headers, ...headers },
    body: Buffer.from(form.toString()).toString('base64'),
  };
}

const xml = new XMLParser({
  parseTagValue: false,
  isArray: (name) => ['service', 'request', 'error', 'attribute', 'value'].includes(name),
});

const queued = () =>
  sqsMock
    .commandCalls(SendMessageCommand)
    .map((call) => ReportSubmitted.parse(JSON.parse(call.args[0].input.MessageBody ?? '')));

function expectSchema(schema: object, value: unknown) {
  expect(georeportValidator(schema)(value)).toEqual([]);
}

function expectNoPersonalData(body: string) {
  expect(body).not.toContain(PHONE);
  expect(body).not.toContain('王伟');
  expect(body).not.toContain('南大街12号');
  expect(body).not.toMatch(/description|address|email|phone|first_name|last_name/);
}

describe('Open311 discovery and services', () => {
  it('answers discovery with this endpoint, its formats and the spec it follows', async () => {
    const res = await invoke(discoveryEvent);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    const body: unknown = JSON.parse(res.body);
    expectSchema(discoverySchema, body);
    expect(body).toMatchObject({
      endpoints: [
        {
          specification: 'http://wiki.open311.org/GeoReport_v2',
          url: 'https://abc123.execute-api.cn-north-1.amazonaws.com.cn/open311/v2',
          formats: ['text/xml', 'application/json'],
        },
      ],
    });
  });

  it('names the configured public address in discovery and page links, as behind CloudFront the host is the API’s own', async () => {
    const handler = handlerWith({ endpointUrl: 'https://12345.pingyao.gov.cn/open311/v2/' });
    const body = JSON.parse((await invoke(discoveryEvent, handler)).body);
    expect(body.endpoints[0].url).toBe('https://12345.pingyao.gov.cn/open311/v2');
    const page = await invoke(withQuery(getRequestsEvent, { page_size: '1' }), handler);
    expect(page.headers.link).toMatch(
      /^<https:\/\/12345\.pingyao\.gov\.cn\/open311\/v2\/requests\.json\?page_size=1&cursor=[^>]+>; rel="next"$/,
    );
  });

  it('lists every category as a realtime service with metadata, in XML under services/service', async () => {
    const res = await invoke(servicesXmlEvent);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/xml; charset=utf-8');
    expect(res.body.startsWith('<?xml version="1.0" encoding="utf-8"?>')).toBe(true);
    const services = z
      .object({ services: z.object({ service: z.array(z.record(z.string(), z.string())) }) })
      .parse(xml.parse(res.body)).services.service;
    expect(services.map((s) => s.service_code)).toEqual(categoryCodes);
    expect(services[3]).toMatchObject({ service_name: '道路交通与路灯', metadata: 'true', type: 'realtime' });
    const json = await invoke({
      ...servicesXmlEvent,
      routeKey: 'GET /open311/v2/services.json',
      rawPath: '/open311/v2/services.json',
    });
    expectSchema(serviceListSchema, JSON.parse(json.body));
  });

  it('answers 404 in the error list for another jurisdiction_id', async () => {
    const res = await invoke(otherJurisdictionEvent);
    expect(res.statusCode).toBe(404);
    const errors = Errors.parse(JSON.parse(res.body));
    expectSchema(errorsSchema, errors);
    expect(errors).toEqual([{ code: 404, description: expect.stringContaining('jurisdiction_id') }]);
  });

  it('defines each service with the optional community attribute listing every community', async () => {
    const res = await invoke(definitionEvent);
    expect(res.statusCode).toBe(200);
    const definition = JSON.parse(res.body);
    expectSchema(serviceDefinitionSchema, definition);
    expect(definition.service_code).toBe('road');
    expect(definition.attributes).toHaveLength(1);
    expect(definition.attributes[0]).toMatchObject({
      code: 'community',
      datatype: 'singlevaluelist',
      required: false,
      order: 1,
    });
    expect(definition.attributes[0].values).toHaveLength(demoOrganisation.communities.length);
    expect(definition.attributes[0].values).toContainEqual({
      key: 'chengdong-kangning',
      name: expect.stringContaining('康宁'),
    });
  });

  it('answers 404 for an unknown service_code, in XML errors/error when the path asks for XML', async () => {
    const res = await invoke(unknownServiceEvent);
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toBe('text/xml; charset=utf-8');
    const parsed = z
      .object({
        errors: z.object({ error: z.array(z.object({ code: z.string(), description: z.string() })) }),
      })
      .parse(xml.parse(res.body));
    expect(parsed.errors.error).toEqual([{ code: '404', description: expect.stringContaining('potholes') }]);
  });

  it('answers 404 naming the formats when the resource has none', async () => {
    const res = await invoke({
      ...definitionEvent,
      rawPath: '/open311/v2/services/road',
      pathParameters: { file: 'road' },
    });
    expect(res.statusCode).toBe(404);
    expect(Errors.parse(JSON.parse(res.body))).toEqual([
      { code: 404, description: expect.stringContaining('.json or .xml') },
    ]);
  });
});

describe('Open311 POST requests', () => {
  it('queues a partner request as our intake would: category, community, location, phone in E.164', async () => {
    // The sample events carry the key an admin was shown when creating this partner.
    expect(eventPartner?.apiKey).toBe(EVENT_KEY);
    const res = await invoke(postEvent);
    expect(res.statusCode).toBe(200);
    const body = JSON.parse(res.body);
    expectSchema(postResponseSchema, body);
    expect(body).toEqual([
      {
        service_request_id: expect.stringMatching(/^[A-Z0-9]{3}-[A-Z0-9]{3}-[A-Z0-9]{3}$/),
        service_notice: expect.any(String),
      },
    ]);
    const [message] = queued();
    expect(message).toMatchObject({
      kind: 'report.submitted',
      channel: 'web',
      trackingCode: body[0].service_request_id.replaceAll('-', ''),
      report: {
        category: 'road',
        communityId: 'chengdong-kangning',
        description: '南大街路灯不亮已经一周了',
        contactPhone: '+8613812345678',
        location: { lat: 37.2013, lng: 112.1765 },
        address: '城东街道康宁社区 南大街与顺城路口',
      },
    });
    // Names and email are read and dropped; the answer never echoes the phone.
    expect(JSON.stringify(message)).not.toMatch(/resident@example.com|王"|first_name/);
    expect(res.body).not.toContain(PHONE);
  });

  it('gives a resent identical POST the same service_request_id (one case), and refuses the same Idempotency-Key with another body', async () => {
    const first = JSON.parse((await invoke(postEvent)).body);
    const again = JSON.parse((await invoke(postEvent)).body);
    expect(again[0].service_request_id).toBe(first[0].service_request_id);
    const keyed = withForm(postEvent, {}, { 'idempotency-key': 'partner-ticket-000123' });
    const keyedFirst = JSON.parse((await invoke(keyed)).body);
    expect(keyedFirst[0].service_request_id).not.toBe(first[0].service_request_id);
    const conflict = await invoke(withForm(keyed, { description: '另一个问题' }));
    expect(conflict.statusCode).toBe(409);
    expect(Errors.parse(JSON.parse(conflict.body))[0]?.code).toBe(409);
  });

  it('places a request by the community named in its address, else sends it to triage; answers in XML', async () => {
    const byAddress = await invoke(
      withForm(postEvent, { 'attribute[community]': undefined, address_string: '城东街道康宁社区南门' }),
    );
    expect(byAddress.statusCode).toBe(200);
    const res = await invoke(postUnplacedEvent);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/xml; charset=utf-8');
    const parsed = z
      .object({
        service_requests: z.object({
          request: z.array(z.object({ service_request_id: z.string(), service_notice: z.string() })),
        }),
      })
      .parse(xml.parse(res.body));
    const [placed, unplaced] = queued();
    expect(placed?.report.communityId).toBe('chengdong-kangning');
    expect(unplaced?.report.communityId).toBe(UNPLACED_COMMUNITY);
    expect(unplaced?.trackingCode).toBe(
      parsed.service_requests.request[0]?.service_request_id.replaceAll('-', ''),
    );
  });

  it('answers 403 with code 403 for a wrong, missing or revoked api_key, and queues nothing', async () => {
    const wrong = await invoke(badKeyEvent);
    expect(wrong.statusCode).toBe(403);
    expect(Errors.parse(JSON.parse(wrong.body))).toEqual([
      { code: 403, description: 'api_key was not provided or is not valid' },
    ]);
    const missing = await invoke(withForm(postEvent, { api_key: undefined }));
    expect(missing.statusCode).toBe(403);
    const other = await createPartner(
      admin,
      { name: 'Neighbouring county' },
      partnerAdmin(() => new Uint8Array(1).fill(9)),
    );
    expect((await invoke(withForm(postEvent, { api_key: other.apiKey }))).statusCode).toBe(200);
    await revokePartner(
      admin,
      other.partner.partnerId,
      partnerAdmin(() => new Uint8Array(1)),
    );
    const revoked = await invoke(withForm(postEvent, { api_key: other.apiKey, description: '撤销之后' }));
    expect(revoked.statusCode).toBe(403);
    expect(Errors.parse(JSON.parse(revoked.body))[0]?.code).toBe(403);
    expect(queued()).toHaveLength(1);
  });

  it('answers 404 for an unknown service_code and 400 naming each bad field in the spec’s names', async () => {
    const unknown = await invoke(withForm(postEvent, { service_code: 'potholes' }));
    expect(unknown.statusCode).toBe(404);
    expect(Errors.parse(JSON.parse(unknown.body))[0]?.code).toBe(404);
    const bad = await invoke(
      withForm(postEvent, {
        description: undefined,
        phone: '12345',
        long: undefined,
        'attribute[community]': 'atlantis',
      }),
    );
    expect(bad.statusCode).toBe(400);
    const errors = Errors.parse(JSON.parse(bad.body));
    expectSchema(errorsSchema, errors);
    expect(errors.every((e) => e.code === 400)).toBe(true);
    expect(errors.map((e) => e.description.split(':')[0])).toEqual(['attribute[community]']);
    const fields = await invoke(
      withForm(postEvent, { description: undefined, phone: '12345', long: undefined }),
    );
    expect(
      Errors.parse(JSON.parse(fields.body))
        .map((e) => e.description.split(':')[0])
        .sort(),
    ).toEqual(['description', 'long', 'phone']);
    expect(fields.body).not.toContain('12345');
    expect(queued()).toHaveLength(0);
  });

  it('answers 429 with Retry-After once a key goes over its requests per minute', async () => {
    const handler = handlerWith({
      partnerRequestsPerMinute: 2,
      now: () => new Date('2026-12-06T09:30:15.000Z'),
    });
    for (const description of ['一', '二']) {
      expect((await invoke(withForm(postEvent, { description }), handler)).statusCode).toBe(200);
    }
    const over = await invoke(withForm(postEvent, { description: '三' }), handler);
    expect(over.statusCode).toBe(429);
    expect(over.headers['retry-after']).toBe('45');
    expect(Errors.parse(JSON.parse(over.body))[0]?.code).toBe(429);
  });
});

describe('Open311 GET requests', () => {
  const window = { start_date: '2026-11-20T00:00:00+08:00', end_date: '2026-12-06T00:00:00+08:00' };

  it('lists the window’s requests, open first then closed, newest first, with nothing personal', async () => {
    const res = await invoke(withQuery(getRequestsEvent, window));
    expect(res.statusCode).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    const requests = Requests.parse(JSON.parse(res.body));
    expectSchema(serviceRequestsSchema, requests);
    expect(requests.map((r) => [r.service_request_id, r.status])).toEqual([
      ['H2W-9D4-M7K', 'open'],
      ['R4N-7W2-K8T', 'open'],
      ['K7M-2QX-9PA', 'open'],
      ['F9T-3K6-P4N', 'closed'],
      ['C3H-8M5-V2D', 'closed'],
    ]);
    expectNoPersonalData(res.body);
  });

  it('maps a case: unit as agency, SLA deadline as expected_datetime, public note as status_notes, place rounded', async () => {
    const res = await invoke(withQuery(getRequestsEvent, { ...window, service_code: 'road,fraud' }));
    const byId = new Map(Requests.parse(JSON.parse(res.body)).map((r) => [r.service_request_id, r]));
    expect(byId.get('K7M-2QX-9PA')).toEqual({
      service_request_id: 'K7M-2QX-9PA',
      status: 'open',
      service_name: '道路交通与路灯',
      service_code: 'road',
      agency_responsible: '县交通运输局',
      requested_datetime: '2026-12-01T02:00:00Z',
      updated_datetime: '2026-12-02T02:00:00Z',
      expected_datetime: '2026-12-09T10:00:00Z',
      lat: 37.201,
      long: 112.177,
    });
    expect(byId.get('R4N-7W2-K8T')?.status_notes).toBe('已修复，联系电话 ****-*******');
    expect(byId.get('F9T-3K6-P4N')?.status_notes).toContain('K7M-2QX-9PA');
    // A fraud report's place is most likely the reporter's home: never shown.
    expect(byId.get('H2W-9D4-M7K')).not.toHaveProperty('lat');
  });

  it('filters by status and service_code, and answers in XML under service_requests/request', async () => {
    const closed = Requests.parse(
      JSON.parse((await invoke(withQuery(getRequestsEvent, { ...window, status: 'closed' }))).body),
    );
    expect(closed.map((r) => r.service_request_id)).toEqual(['F9T-3K6-P4N', 'C3H-8M5-V2D']);
    const fraud = Requests.parse(
      JSON.parse((await invoke(withQuery(getRequestsEvent, { ...window, service_code: 'fraud' }))).body),
    );
    expect(fraud.map((r) => r.service_request_id)).toEqual(['H2W-9D4-M7K']);
    const res = await invoke(withQuery(getRequestsXmlEvent, { ...window, status: 'closed' }));
    expect(res.statusCode).toBe(200);
    const parsed = z
      .object({ service_requests: z.object({ request: z.array(z.record(z.string(), z.string())) }) })
      .parse(xml.parse(res.body));
    expect(parsed.service_requests.request.map((r) => r.status)).toEqual(['closed', 'closed']);
    expectNoPersonalData(res.body);
  });

  it('reads the most recent 90 days when no dates are given', async () => {
    const recent = Requests.parse(JSON.parse((await invoke(withQuery(getRequestsEvent, {}))).body));
    expect(recent).toHaveLength(cases.length);
    const later = handlerWith({ now: () => new Date('2027-03-06T00:00:00.000Z') });
    expect(
      Requests.parse(JSON.parse((await invoke(withQuery(getRequestsEvent, {}), later)).body)),
    ).toHaveLength(0);
  });

  it.each([
    [{ page_size: '2' }, ['H2W-9D4-M7K', 'R4N-7W2-K8T', 'K7M-2QX-9PA', 'F9T-3K6-P4N', 'C3H-8M5-V2D']],
    [{ page_size: '1', service_code: 'road' }, ['R4N-7W2-K8T', 'K7M-2QX-9PA', 'F9T-3K6-P4N', 'C3H-8M5-V2D']],
  ])(
    'pages with a cursor in the Link header until every request was seen once (%o)',
    async (paging, expected) => {
      const seen: unknown[] = [];
      let event = withQuery(getRequestsEvent, { ...window, ...paging });
      for (let pages = 0; pages < 10; pages++) {
        const res = await invoke(event);
        expect(res.statusCode).toBe(200);
        seen.push(...Requests.parse(JSON.parse(res.body)).map((r) => r.service_request_id));
        const link = res.headers.link;
        if (link === undefined) break;
        const next = new URL(/^<([^>]+)>; rel="next"$/.exec(String(link))?.[1] ?? '');
        event = withQuery(getRequestsEvent, Object.fromEntries(next.searchParams));
      }
      expect(seen).toEqual(expected);
    },
  );

  it('answers 400 with code 400 for a window over 90 days, reversed dates, a date without time zone, page numbers or a forged cursor', async () => {
    const tooLong = await invoke(badDatesEvent);
    expect(tooLong.statusCode).toBe(400);
    const errors = Errors.parse(JSON.parse(tooLong.body));
    expectSchema(errorsSchema, errors);
    expect(errors).toContainEqual({
      code: 400,
      description: 'start_date: the range may span at most 90 days',
    });
    const reversed = await invoke(
      withQuery(getRequestsEvent, { start_date: '2026-12-05T00:00:00Z', end_date: '2026-12-01T00:00:00Z' }),
    );
    expect(Errors.parse(JSON.parse(reversed.body))[0]).toEqual({
      code: 400,
      description: 'start_date: start_date must not be after end_date',
    });
    const noZone = await invoke(withQuery(getRequestsEvent, { start_date: '2026-12-01T00:00:00' }));
    expect(noZone.statusCode).toBe(400);
    expect(Errors.parse(JSON.parse(noZone.body))[0]?.description).toMatch(/^start_date: a w3 datetime/);
    const page = await invoke(withQuery(getRequestsEvent, { page: '2' }));
    expect(page.statusCode).toBe(400);
    expect(Errors.parse(JSON.parse(page.body))[0]?.description).toMatch(/^page: /);
    const forged = await invoke(
      withQuery(getRequestsEvent, { cursor: Buffer.from('{"s":0,"q":"x"}').toString('base64url') }),
    );
    expect(forged.statusCode).toBe(400);
    expect(Errors.parse(JSON.parse(forged.body))[0]?.description).toMatch(/^cursor: /);
  });

  it('answers a list of service_request_id (overriding the other filters), and one request by its path', async () => {
    const listed = await invoke(
      withQuery(getRequestsEvent, { service_request_id: 'K7M-2QX-9PA,c3h8m5v2d,NOT-A-COD', status: 'open' }),
    );
    expect(Requests.parse(JSON.parse(listed.body)).map((r) => r.service_request_id)).toEqual([
      'K7M-2QX-9PA',
      'C3H-8M5-V2D',
    ]);
    const one = await invoke(getRequestEvent);
    expect(one.statusCode).toBe(200);
    const body = JSON.parse(one.body);
    expectSchema(serviceRequestsSchema, body);
    expect(body).toHaveLength(1);
    expectNoPersonalData(one.body);
    const missing = await invoke({ ...getRequestEvent, pathParameters: { file: 'ZZZ-ZZZ-ZZZ.xml' } });
    expect(missing.statusCode).toBe(404);
    expect(missing.body).toContain('<code>404</code>');
  });
});
