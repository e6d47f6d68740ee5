/**
 * The real answers of the local runtime (the same handlers, dynalite and fauxqs) against the
 * OpenAPI document it serves: for a representative set of routes, as residents, staff of each
 * kind, partners and gateways meet them, each answer's status, media type and body must be one the
 * document describes — the errors' envelope included.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { demoPassword } from '../../infra/demo/demo-staff.ts';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime.ts';
import { type AnswerSeen, checkedAnswer, openApiDocument } from '../support/openapi-conformance.ts';
import { type StaffApi, staffApi } from '../support/staff-api.ts';

let rt: LocalRuntime;
let api: StaffApi;
const tokens = new Map<string, string>();
const STAFF = ['supervisor', 'admin', 'handler.antifraud', 'outreach.police', 'grid.kangning'] as const;

beforeAll(async () => {
  rt = await startLocalRuntime({ port: 0, memory: true, quiet: true });
  api = staffApi(rt);
  await api.signIn(STAFF);
  for (const user of STAFF) tokens.set(user, await rt.signInAs(user));
});
afterAll(async () => {
  await rt?.stop();
});

interface Call {
  user?: (typeof STAFF)[number];
  method?: string;
  json?: unknown;
  form?: Record<string, string>;
  /** A body sent as it is, with the content type of `headers`. */
  body?: string;
  headers?: Record<string, string>;
}

/** Calls `path` as the route `routeKey` and checks the answer against the document. */
async function call(routeKey: string, path: string, init: Call = {}): Promise<AnswerSeen> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.user) headers.authorization = `Bearer ${tokens.get(init.user) ?? ''}`;
  let body = init.body;
  if (init.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(init.json);
  } else if (init.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(init.form).toString();
  }
  const method = init.method ?? (body === undefined ? 'GET' : 'POST');
  const response = await fetch(`${rt.url}${path}`, { method, headers, body, redirect: 'manual' });
  return checkedAnswer(routeKey, response);
}

const Receipt = z.object({ trackingCode: z.string(), reporterToken: z.string() });
const Versioned = z.object({ version: z.number() });
const CreatedPartner = z.object({ partner: z.object({ partnerId: z.string() }) });
const CreatedCampaign = z.object({ campaign: z.object({ campaignId: z.string() }) });

const report = {
  category: 'fraud',
  communityId: 'chengdong-kangning',
  description: '有人冒充公安让我转账',
  contactPhone: '13900002222',
};
const inAWeek = `${new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10)}T10:00`;
const smsPlan = {
  title: '康宁社区反诈短信',
  communityIds: ['chengdong-kangning'],
  firstRunAt: inAWeek,
  recurrence: { frequency: 'once' },
  channel: { kind: 'sms', signature: '平遥反诈', body: '公安机关不会通过电话要求您转账到“安全账户”。' },
};

describe('the answers of the local runtime match its OpenAPI document', () => {
  it('serves the document it is checked against, and 304 to a client holding it', async () => {
    const response = await fetch(`${rt.url}/api/openapi.json`);
    expect(response.headers.get('cache-control')).toBe('public, max-age=3600');
    const etag = response.headers.get('etag') ?? '';
    const answer = await checkedAnswer('GET /api/openapi.json', response);
    expect(answer.body).toEqual(JSON.parse(JSON.stringify(openApiDocument)));
    const again = await call('GET /api/openapi.json', '/api/openapi.json', {
      headers: { 'if-none-match': etag },
    });
    expect(again.status).toBe(304);
  });

  it('the pages and the catalogue', async () => {
    expect((await call('GET /', '/?lang=en')).status).toBe(200);
    expect((await call('GET /console', '/console')).status).toBe(200);
    expect((await call('GET /status', '/status?code=nonsense')).status).toBe(400);
    expect((await call('GET /status', '/status?code=K7M-2QX-9PA')).status).toBe(404);
    expect((await call('GET /api/catalog', '/api/catalog')).status).toBe(200);
  });

  it('intake: 202 with a receipt, 400 naming fields, 409 for a key reused with another body, 415', async () => {
    const key = crypto.randomUUID();
    const accepted = await call('POST /api/reports', '/api/reports', {
      json: report,
      headers: { 'idempotency-key': key },
    });
    expect(accepted.status).toBe(202);
    const reused = await call('POST /api/reports', '/api/reports', {
      json: { ...report, description: '另一件事' },
      headers: { 'idempotency-key': key },
    });
    expect(reused.status).toBe(409);
    const refused = await call('POST /api/reports', '/api/reports', { json: { category: 'nothing' } });
    expect(refused.status).toBe(400);
    const plain = await call('POST /api/reports', '/api/reports', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: '有人冒充公安让我转账',
    });
    expect(plain.status).toBe(415);
  });

  it('the public status and rating: 200 once routed, 404 for an unknown code, 404 for a wrong token', async () => {
    const { id, receipt } = await api.dispatchedCase(report);
    expect(Receipt.parse(receipt).trackingCode.replaceAll('-', '')).toBe(id);
    const status = await call('GET /api/reports/{trackingCode}', `/api/reports/${receipt.trackingCode}`);
    expect(status.status).toBe(200);
    expect((await call('GET /api/reports/{trackingCode}', '/api/reports/K7M-2QX-9PA')).status).toBe(404);
    const rating = await call('POST /api/reports/{trackingCode}/rating', `/api/reports/${id}/rating`, {
      json: { token: 'not-the-reporter-token', score: 5 },
    });
    expect(rating.status).toBe(404);
  });

  it('sign-in: 200 with the token and the staff member, 401 for a wrong password', async () => {
    const signedIn = await call('POST /api/session', '/api/session', {
      json: { username: 'dispatcher.chengdong', password: demoPassword },
    });
    expect(signedIn.status).toBe(200);
    const wrong = await call('POST /api/session', '/api/session', {
      json: { username: 'supervisor', password: 'not-the-password' },
    });
    expect(wrong.status).toBe(401);
  });

  it('cases: the list, search, the case view and the transitions with their 409s, and who is refused', async () => {
    const { id } = await api.dispatchedCase({ ...report, description: '冒充客服退款诈骗' });
    expect((await call('GET /api/cases', '/api/cases', { user: 'supervisor' })).status).toBe(200);
    expect(
      (await call('GET /api/cases', '/api/cases?list=problems&status=done', { user: 'supervisor' })).status,
    ).toBe(200);
    expect((await call('GET /api/cases', '/api/cases?cursor=forged', { user: 'supervisor' })).status).toBe(
      400,
    );
    expect((await call('GET /api/cases', '/api/cases')).status).toBe(401);
    expect((await call('GET /api/cases', '/api/cases', { user: 'outreach.police' })).status).toBe(403);
    expect(
      (await call('GET /api/cases/search', `/api/cases/search?q=${id}`, { user: 'supervisor' })).status,
    ).toBe(200);
    expect((await call('GET /api/cases/search', '/api/cases/search?q=', { user: 'supervisor' })).status).toBe(
      400,
    );

    const view = await call('GET /api/cases/{id}', `/api/cases/${id}`, { user: 'handler.antifraud' });
    expect(view.status).toBe(200);
    expect((await call('GET /api/cases/{id}', '/api/cases/K7M2QX9PA', { user: 'supervisor' })).status).toBe(
      404,
    );

    const { version } = Versioned.parse(view.body);
    const transitions = `/api/cases/${id}/transitions`;
    const accepted = await call('POST /api/cases/{id}/transitions', transitions, {
      user: 'handler.antifraud',
      json: { action: 'accept', expectedVersion: version },
    });
    expect(accepted.status).toBe(200);
    const stale = await call('POST /api/cases/{id}/transitions', transitions, {
      user: 'handler.antifraud',
      json: { action: 'resolve', note: '已处理', expectedVersion: version },
    });
    expect(stale.status).toBe(409);
    const notNow = await call('POST /api/cases/{id}/transitions', transitions, {
      user: 'handler.antifraud',
      json: { action: 'accept', expectedVersion: version + 1 },
    });
    expect(notNow.status).toBe(409);
    const resolved = await call('POST /api/cases/{id}/transitions', transitions, {
      user: 'handler.antifraud',
      json: { action: 'resolve', note: '已联系报告人核实', expectedVersion: version + 1 },
    });
    expect(resolved.status).toBe(200);
  });

  it('statistics and the unit assessment, JSON and CSV', async () => {
    expect((await call('GET /api/stats', '/api/stats', { user: 'supervisor' })).status).toBe(200);
    expect((await call('GET /api/stats', '/api/stats', { user: 'handler.antifraud' })).status).toBe(200);
    expect((await call('GET /api/stats', '/api/stats?from=2026-11-01', { user: 'supervisor' })).status).toBe(
      400,
    );
    expect((await call('GET /api/assessment', '/api/assessment', { user: 'supervisor' })).status).toBe(200);
    expect((await call('GET /api/assessment', '/api/assessment', { user: 'grid.kangning' })).status).toBe(
      403,
    );
    const csv = await call('GET /api/assessment/export', '/api/assessment/export?lang=en', {
      user: 'supervisor',
    });
    expect(csv.status).toBe(200);
  });

  it('the admin routes, and 403 for staff who are not admins', async () => {
    for (const path of ['/api/admin/routing-rules', '/api/admin/policies', '/api/admin/keywords']) {
      expect((await call(`GET ${path}`, path, { user: 'admin' })).status).toBe(200);
    }
    expect(
      (await call('GET /api/admin/policies', '/api/admin/policies', { user: 'supervisor' })).status,
    ).toBe(403);
    const policies = await call('GET /api/admin/policies', '/api/admin/policies', { user: 'admin' });
    const replaced = await call('PUT /api/admin/policies', '/api/admin/policies', {
      user: 'admin',
      method: 'PUT',
      json: policies.body,
    });
    expect(replaced.status).toBe(200);
    expect(
      (
        await call('PUT /api/admin/policies', '/api/admin/policies', {
          user: 'admin',
          method: 'PUT',
          json: {},
        })
      ).status,
    ).toBe(400);

    const created = await call('POST /api/admin/partners', '/api/admin/partners', {
      user: 'admin',
      json: { name: '12345 热线' },
    });
    expect(created.status).toBe(201);
    expect((await call('GET /api/admin/partners', '/api/admin/partners', { user: 'admin' })).status).toBe(
      200,
    );
    const { partner } = CreatedPartner.parse(created.body);
    const revoke = (partnerId: string) =>
      call('DELETE /api/admin/partners/{partnerId}', `/api/admin/partners/${partnerId}`, {
        user: 'admin',
        method: 'DELETE',
      });
    expect((await revoke(partner.partnerId)).status).toBe(200);
    expect((await revoke('000000000000')).status).toBe(404);
    expect((await call('GET /api/admin/classifier', '/api/admin/classifier', { user: 'admin' })).status).toBe(
      200,
    );
  });

  it('the campaign planner and the outreach tasks', async () => {
    expect(
      (await call('GET /api/outreach/risk', '/api/outreach/risk', { user: 'outreach.police' })).status,
    ).toBe(200);
    expect((await call('GET /api/campaigns', '/api/campaigns', { user: 'outreach.police' })).status).toBe(
      200,
    );
    expect(
      (
        await call('POST /api/campaign-previews', '/api/campaign-previews', {
          user: 'outreach.police',
          json: smsPlan,
        })
      ).status,
    ).toBe(200);
    const created = await call('POST /api/campaigns', '/api/campaigns', {
      user: 'outreach.police',
      json: smsPlan,
    });
    expect(created.status).toBe(201);
    const { campaign } = CreatedCampaign.parse(created.body);
    const path = `/api/campaigns/${campaign.campaignId}`;
    expect((await call('GET /api/campaigns/{id}', path, { user: 'outreach.police' })).status).toBe(200);
    expect(
      (
        await call('POST /api/campaigns/{id}/actions', `${path}/actions`, {
          user: 'outreach.police',
          json: { action: 'schedule', expectedVersion: 99 },
        })
      ).status,
    ).toBe(409);
    expect(
      (await call('POST /api/campaigns', '/api/campaigns', { user: 'handler.antifraud', json: smsPlan }))
        .status,
    ).toBe(403);
    expect(
      (await call('GET /api/outreach/tasks', '/api/outreach/tasks', { user: 'grid.kangning' })).status,
    ).toBe(200);
  });

  it('Open311 and the SMS webhooks, their refusals included', async () => {
    expect((await call('GET /open311/v2/discovery.json', '/open311/v2/discovery.json')).status).toBe(200);
    expect((await call('GET /open311/v2/services.json', '/open311/v2/services.json')).status).toBe(200);
    expect((await call('GET /open311/v2/services.xml', '/open311/v2/services.xml')).status).toBe(200);
    expect((await call('GET /open311/v2/requests.json', '/open311/v2/requests.json')).status).toBe(200);
    expect(
      (await call('GET /open311/v2/requests/{file}', '/open311/v2/requests/K7M2QX9PA.json')).status,
    ).toBe(404);
    const keyless = await call('POST /open311/v2/requests.json', '/open311/v2/requests.json', {
      form: { service_code: 'road', description: '路灯坏了' },
    });
    expect(keyless.status).toBe(403);
    const unsigned = await call('POST /api/sms/inbound/twilio', '/api/sms/inbound/twilio', {
      form: {
        From: '+8613900003333',
        Body: 'CX K7M-2QX-9PA',
        MessageSid: 'SM00000000000000000000000000000000',
      },
    });
    expect(unsigned.status).toBe(403);
  });
});
