/**
 * Driving the local runtime's HTTP API as residents and demo staff in integration tests: sign-in
 * tokens per demo login, JSON requests, reports, and cases brought to a given point of the closed
 * loop through the same API a console would use. Waiting is polling with a bound, never a sleep
 * of a fixed length. Every answer is checked against the OpenAPI document on the way
 * (openapi-conformance.ts), so the integration tests that drive the API hold it to its description.
 */
import * as z from 'zod';
import type { LocalRuntime } from '../../infra/local/runtime.ts';
import { expectResponseMatchesOpenApi, routeKeyOf } from './openapi-conformance.ts';

export const ErrorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    currentVersion: z.number().optional(),
    allowedActions: z.array(z.string()).optional(),
  }),
});

export const CaseDetail = z.object({
  id: z.string(),
  stage: z.string(),
  version: z.number(),
  unitId: z.string(),
  communityId: z.string(),
  townshipId: z.string().optional(),
  allowedActions: z.array(z.string()),
  returnVisit: z.object({ status: z.string() }).optional(),
  report: z.object({ description: z.string(), contactPhone: z.string().optional() }).nullable(),
});
export type CaseDetail = z.infer<typeof CaseDetail>;

export const CaseRow = z.object({
  id: z.string(),
  stage: z.string(),
  unitId: z.string(),
  communityId: z.string(),
  townshipId: z.string().optional(),
  transfers: z.number(),
  returnVisit: z.object({ status: z.string() }).optional(),
});
export const CasePage = z.object({ cases: z.array(CaseRow), cursor: z.string().optional() });
export type CasePage = z.infer<typeof CasePage>;

const Receipt = z.object({ trackingCode: z.string(), reporterToken: z.string() });
export type Receipt = z.infer<typeof Receipt>;

export interface ApiAnswer {
  status: number;
  body: unknown;
}

/** Polls `probe` until it returns a value, at most `attempts` times `everyMs` apart. */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  { attempts = 400, everyMs = 25 } = {},
): Promise<T> {
  for (let attempt = 0; attempt < attempts; attempt++) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  throw new Error(`${what}: not within ${attempts} polls`);
}

export interface StaffApi {
  signIn(usernames: readonly string[]): Promise<void>;
  request(path: string, init?: { user?: string; method?: string; body?: unknown }): Promise<ApiAnswer>;
  act(user: string, id: string, body: Record<string, unknown>): Promise<ApiAnswer>;
  /** The case as the county supervisor sees it (everything), to read a fresh version. */
  current(id: string): Promise<CaseDetail>;
  submit(report: Record<string, unknown>): Promise<Receipt>;
  /** A new case, once the router has dispatched it: its id (the tracking code without dashes). */
  dispatchedCase(report: Record<string, unknown>): Promise<{ id: string; receipt: Receipt }>;
  /** Moves a case through `steps` as the given staff, each with the version it has then. */
  walk(id: string, steps: readonly (readonly [string, Record<string, unknown>])[]): Promise<CaseDetail>;
}

export function staffApi(rt: LocalRuntime): StaffApi {
  const tokens = new Map<string, string>();

  const request: StaffApi['request'] = async (path, init = {}) => {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (init.user) {
      const token = tokens.get(init.user);
      if (!token) throw new Error(`no token for ${init.user}: sign in first`);
      headers.authorization = `Bearer ${token}`;
    }
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    const method = init.method ?? (init.body === undefined ? 'GET' : 'POST');
    const response = await fetch(`${rt.url}${path}`, {
      method,
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    const body: unknown = await response.json();
    // Every answer the integration tests get through here is held to the OpenAPI document.
    expectResponseMatchesOpenApi(routeKeyOf(method, path), {
      status: response.status,
      contentType: response.headers.get('content-type') ?? undefined,
      body,
    });
    return { status: response.status, body };
  };

  const act: StaffApi['act'] = (user, id, body) => request(`/api/cases/${id}/transitions`, { user, body });

  const current: StaffApi['current'] = async (id) => {
    const answer = await request(`/api/cases/${id}`, { user: 'supervisor' });
    if (answer.status !== 200) throw new Error(`case ${id}: ${answer.status} ${JSON.stringify(answer.body)}`);
    return CaseDetail.parse(answer.body);
  };

  const submit: StaffApi['submit'] = async (report) => {
    const answer = await request('/api/reports', { body: report });
    if (answer.status !== 202)
      throw new Error(`report refused: ${answer.status} ${JSON.stringify(answer.body)}`);
    return Receipt.parse(answer.body);
  };

  return {
    async signIn(usernames) {
      for (const username of usernames) tokens.set(username, await rt.signInAs(username));
    },
    request,
    act,
    current,
    submit,
    async dispatchedCase(report) {
      const receipt = await submit(report);
      const id = receipt.trackingCode.replaceAll('-', '');
      await eventually(`case ${id} dispatched`, async () => {
        const answer = await request(`/api/cases/${id}`, { user: 'supervisor' });
        return answer.status === 200 && CaseDetail.parse(answer.body).stage === 'dispatched'
          ? true
          : undefined;
      });
      return { id, receipt };
    },
    async walk(id, steps) {
      let state = await current(id);
      for (const [user, body] of steps) {
        const answer = await act(user, id, { ...body, expectedVersion: state.version });
        if (answer.status !== 200)
          throw new Error(
            `${user} ${String(body.action)} on ${id}: ${answer.status} ${JSON.stringify(answer.body)}`,
          );
        state = await current(id);
      }
      return state;
    },
  };
}
