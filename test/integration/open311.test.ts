/**
 * Open311 on the real local runtime: an admin registers a partner system, the partner POSTs a
 * service request form, the router delivers it to the owning unit's queue like any report, the
 * public GETs show it with nothing personal, and it turns closed when staff close the case.
 */
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime.ts';
import { dispatchedTo } from '../support/dispatched.ts';
import { georeportValidator, serviceRequestsSchema } from '../support/georeport-v2-schemas.ts';
import { type StaffApi, staffApi } from '../support/staff-api.ts';

let rt: LocalRuntime;
let api: StaffApi;

beforeAll(async () => {
  rt = await startLocalRuntime({ port: 0, memory: true, quiet: true });
  api = staffApi(rt);
  await api.signIn(['admin', 'supervisor', 'handler.urban-management']);
});
afterAll(async () => {
  await rt?.stop();
});

const Created = z.object({
  partner: z.object({ partnerId: z.string(), name: z.string(), status: z.literal('active') }),
  apiKey: z.string(),
});
const Requests = z.array(
  z.object({ service_request_id: z.string(), status: z.enum(['open', 'closed']) }).catchall(z.unknown()),
);
const Errors = z.array(z.object({ code: z.number(), description: z.string() }));

const PHONE = '13600001234';
const WORDS = '顺城路口的红绿灯坏了，早上很危险';

const postForm = (fields: Record<string, string>, format = 'json') =>
  fetch(`${rt.url}/open311/v2/requests.${format}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body: new URLSearchParams(fields).toString(),
  });

const getText = async (path: string) => {
  const response = await fetch(`${rt.url}${path}`);
  return { status: response.status, text: await response.text() };
};

describe('Open311 with a registered partner, end to end', () => {
  it('routes a partner’s request to the unit’s queue, lists it without personal data, and shows it closed once closed', async () => {
    const refused = await api.request('/api/admin/partners', { user: 'supervisor', body: { name: 'x' } });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ error: { code: 'forbidden' } });

    const created = await api.request('/api/admin/partners', { user: 'admin', body: { name: '12345 热线' } });
    expect(created.status).toBe(201);
    const { partner, apiKey } = Created.parse(created.body);
    const listed = await api.request('/api/admin/partners', { user: 'admin' });
    expect(listed.status).toBe(200);
    expect(JSON.stringify(listed.body)).not.toContain(apiKey);
    expect(JSON.stringify(listed.body)).not.toContain('keyHash');

    const posted = await postForm({
      api_key: apiKey,
      service_code: 'road',
      'attribute[community]': 'chengdong-kangning',
      description: WORDS,
      phone: PHONE,
      email: 'li@example.com',
      first_name: '丽',
      last_name: '李',
      lat: '37.20151',
      long: '112.17733',
      address_string: '顺城路口',
    });
    expect(posted.status).toBe(200);
    const [receipt] = z.array(z.object({ service_request_id: z.string() })).parse(await posted.json());
    const id = receipt?.service_request_id ?? '';

    const routed = await dispatchedTo(rt, 'urban-management', id);
    expect(routed).toMatchObject({
      category: 'road',
      communityId: 'chengdong-kangning',
      hasContactPhone: true,
    });

    const one = await getText(`/open311/v2/requests/${id}.json`);
    expect(one.status).toBe(200);
    const [open] = Requests.parse(JSON.parse(one.text));
    expect(open).toMatchObject({
      service_request_id: id,
      status: 'open',
      agency_responsible: '县城市管理局',
    });
    expect(georeportValidator(serviceRequestsSchema)(JSON.parse(one.text))).toEqual([]);
    const list = await getText(`/open311/v2/requests.xml?service_code=road&status=open`);
    expect(list.status).toBe(200);
    expect(new XMLParser().parse(list.text)).toMatchObject({
      service_requests: { request: { service_request_id: id } },
    });
    for (const text of [one.text, list.text]) {
      for (const personal of [PHONE, WORDS, 'li@example.com', '李', '顺城路口'])
        expect(text).not.toContain(personal);
    }

    await api.walk(id.replaceAll('-', ''), [
      ['handler.urban-management', { action: 'accept' }],
      ['handler.urban-management', { action: 'resolve', note: '信号灯已更换' }],
      ['supervisor', { action: 'verify' }],
      ['supervisor', { action: 'close' }],
    ]);
    const closed = Requests.parse(
      JSON.parse((await getText(`/open311/v2/requests.json?service_request_id=${id}`)).text),
    );
    expect(closed).toEqual([
      expect.objectContaining({ service_request_id: id, status: 'closed', status_notes: '信号灯已更换' }),
    ]);
    const closedList = Requests.parse(
      JSON.parse((await getText('/open311/v2/requests.json?status=closed')).text),
    );
    expect(closedList.map((r) => r.service_request_id)).toContain(id);

    const revoked = await api.request(`/api/admin/partners/${partner.partnerId}`, {
      user: 'admin',
      method: 'DELETE',
    });
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ partner: { status: 'revoked' } });
    const after = await postForm({ api_key: apiKey, service_code: 'road', description: '撤销后' }, 'xml');
    expect(after.status).toBe(403);
    expect(await after.text()).toContain('<code>403</code>');
  });

  it('answers a bad api_key 403 and an unknown service 404 in the spec’s error list over HTTP', async () => {
    const bad = await postForm({ api_key: 'nope', service_code: 'road', description: 'x' });
    expect(bad.status).toBe(403);
    expect(Errors.parse(await bad.json())).toEqual([{ code: 403, description: expect.any(String) }]);
    const unknown = await getText('/open311/v2/services/potholes.json');
    expect(unknown.status).toBe(404);
    expect(Errors.parse(JSON.parse(unknown.text))[0]?.code).toBe(404);
  });
});
