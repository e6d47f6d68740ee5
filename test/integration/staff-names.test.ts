/**
 * Staff by name and their own unit, end to end on the local runtime: a case's history, as staff
 * read it, names who acted with their name and their own unit (the township centre's dispatcher
 * under their centre, not under the department that owns the case); the resident's public status
 * for the same case names nobody.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { findDemoLogin } from '../../infra/demo/demo-staff.ts';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime.ts';
import { type StaffApi, staffApi } from '../support/staff-api.ts';

const Timeline = z.object({
  timeline: z.array(
    z.object({
      action: z.string().optional(),
      by: z.string(),
      actor: z
        .object({
          name: z.string(),
          role: z.string(),
          unitId: z.string().optional(),
          communityId: z.string().optional(),
        })
        .strict()
        .optional(),
    }),
  ),
});

const nameOf = (username: string): string => {
  const name = findDemoLogin(username)?.claims.name;
  if (!name) throw new Error(`no demo login ${username} with a name`);
  return name;
};

let rt: LocalRuntime;
let api: StaffApi;
beforeAll(async () => {
  rt = await startLocalRuntime({ port: 0, memory: true, quiet: true });
  api = staffApi(rt);
  await api.signIn(['handler.antifraud', 'dispatcher.chengdong', 'supervisor', 'handler.urban-management']);
});
afterAll(async () => {
  await rt?.stop();
});

describe('staff names in a case’s history', () => {
  let id = '';
  let trackingCode = '';
  beforeAll(async () => {
    const { id: caseId, receipt } = await api.dispatchedCase({
      category: 'fraud',
      communityId: 'chengdong-kangning',
      description: '有人打电话冒充公安要我转账',
    });
    id = caseId;
    trackingCode = receipt.trackingCode;
    // The anti-fraud centre returns it, the Chengdong centre (whose township it is) takes it back.
    await api.walk(id, [
      ['handler.antifraud', { action: 'return', note: '不属于诈骗' }],
      ['dispatcher.chengdong', { action: 'reassign', unitId: 'urban-management', note: '转城管' }],
    ]);
  });

  it('names each member of staff and their own unit, not the case’s', async () => {
    const answer = await api.request(`/api/cases/${id}`, { user: 'handler.urban-management' });
    expect(answer.status).toBe(200);
    const { timeline } = Timeline.parse(answer.body);
    expect(timeline.find((e) => e.action === 'return')?.actor).toEqual({
      name: nameOf('handler.antifraud'),
      role: 'unit_handler',
      unitId: 'psb-antifraud',
    });
    expect(timeline.find((e) => e.action === 'reassign')?.actor).toEqual({
      name: nameOf('dispatcher.chengdong'),
      role: 'centre_dispatcher',
      unitId: 'centre-chengdong',
    });
    // The system's own steps name no member of staff.
    expect(timeline.filter((e) => e.by.startsWith('system:')).every((e) => e.actor === undefined)).toBe(true);
  });

  it('keeps staff names and ids out of the public status', async () => {
    const response = await fetch(`${rt.url}/api/reports/${trackingCode}`);
    expect(response.status).toBe(200);
    const text = await response.text();
    for (const username of ['handler.antifraud', 'dispatcher.chengdong']) {
      const login = findDemoLogin(username);
      expect(text).not.toContain(nameOf(username));
      expect(text).not.toContain(login?.claims.sub ?? username);
    }
    expect(text).not.toContain('"actor"');
  });
});
