/**
 * Staff authentication end to end on the local runtime, with the real topology plus a fixture
 * staff route that answers with the caller: every staff route refuses a request without a valid
 * token (none, expired, for another client, altered) with 401 in the API's error shape, its
 * function verifying the token against the issuer's published keys; every demo login signs in through POST /api/session (the sign-in
 * function, its Cognito adapter and the runtime's Cognito stand-in) and is then seen by the
 * handler as its role, and a wrong password is indistinguishable from an unknown user.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { demoPassword, demoStaff } from '../../infra/demo/demo-staff.ts';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime.ts';
import { type Topology, topology } from '../../infra/topology.ts';

const fixtureTopology: Topology = {
  ...topology,
  functions: [
    ...topology.functions,
    {
      name: 'whoami',
      entry: 'test/fixtures/whoami.ts',
      description: 'Answers with the calling member of staff',
      timeoutSeconds: 5,
      memoryMb: 128,
      triggers: [{ kind: 'http', method: 'GET', path: '/api/whoami', auth: 'staff' }],
      bindings: [],
    },
  ],
};

const Session = z.object({
  idToken: z.string(),
  expiresIn: z.number(),
  staff: z.object({ role: z.string(), userId: z.string(), name: z.string() }).loose(),
});
const Staff = z
  .object({
    role: z.string(),
    userId: z.string(),
    name: z.string(),
    unitId: z.string().optional(),
    townshipId: z.string().optional(),
    communityId: z.string().optional(),
    gridId: z.string().optional(),
  })
  .strict();
const ErrorBody = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

let rt: LocalRuntime;
beforeAll(async () => {
  rt = await startLocalRuntime({ port: 0, memory: true, quiet: true, topology: fixtureTopology });
});
afterAll(async () => {
  await rt?.stop();
});

const whoami = (authorization?: string) =>
  fetch(`${rt.url}/api/whoami`, { headers: authorization ? { authorization } : {} });

const signIn = (body: string, contentType = 'application/json') =>
  fetch(`${rt.url}/api/session`, { method: 'POST', headers: { 'content-type': contentType }, body });

describe('staff routes on the local runtime', () => {
  it('answers 401 without a token, in the API’s error shape with a message that says what to do', async () => {
    const response = await whoami();
    expect(response.status).toBe(401);
    expect(ErrorBody.parse(await response.json()).error).toEqual({
      code: 'unauthorized',
      message: 'Sign in to use this: the request carries no staff sign-in token.',
    });
  });

  it('answers 401 to a malformed, a foreign or an altered token', async () => {
    const token = await rt.signInAs('supervisor');
    const [header, , signature] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ sub: 'x', 'custom:role': 'admin' })).toString('base64url');
    for (const authorization of [
      'Bearer',
      'Bearer not-a-jwt',
      `Bearer ${header}.${forged}.${signature}`,
      'Basic YWRtaW46YWRtaW4=',
    ]) {
      const response = await whoami(authorization);
      expect(response.status, authorization).toBe(401);
      expect(ErrorBody.parse(await response.json()).error.code, authorization).toBe('unauthorized');
    }
  });

  // Every staff route the topology declares, path parameters filled in.
  const staffRoutes = topology.functions.flatMap((fn) =>
    fn.triggers.flatMap((trigger) =>
      trigger.kind === 'http' && trigger.auth === 'staff'
        ? [[trigger.method, trigger.path.replace(/\{id\}/g, 'K7M2QX9PA').replace(/\{\w+\}/g, 'x')] as const]
        : [],
    ),
  );

  it('answers 401 unauthorized on every staff route: no token, an expired one, one for another client', async () => {
    expect(staffRoutes.length).toBeGreaterThan(10);
    const claims = demoStaff.find((login) => login.username === 'supervisor')?.claims;
    if (!claims) throw new Error('no supervisor demo login');
    const expired = await rt.issueToken(claims, { issuedAt: Math.floor(Date.now() / 1000) - 2 * 3600 });
    const foreign = await rt.issueToken(claims, { audience: 'another-app-client' });
    const cases = [
      [undefined, 'Sign in to use this: the request carries no staff sign-in token.'],
      [`Bearer ${expired}`, 'Your sign-in has expired. Sign in again.'],
      [`Bearer ${foreign}`, 'This sign-in is not valid for this service. Sign in again.'],
    ] as const;
    for (const [method, path] of staffRoutes) {
      for (const [authorization, message] of cases) {
        const response = await fetch(`${rt.url}${path}`, {
          method,
          headers: {
            'content-type': 'application/json',
            ...(authorization ? { authorization } : {}),
          },
          ...(method === 'GET' ? {} : { body: '{}' }),
        });
        const what = `${method} ${path} with ${authorization?.slice(0, 12) ?? 'no token'}`;
        expect(response.status, what).toBe(401);
        expect(ErrorBody.parse(await response.json()).error, what).toEqual({ code: 'unauthorized', message });
      }
    }
  });

  it('passes a valid token’s claims to the handler, with or without the Bearer prefix', async () => {
    const token = await rt.signInAs('handler.antifraud');
    for (const authorization of [`Bearer ${token}`, token]) {
      const response = await whoami(authorization);
      expect(response.status).toBe(200);
      expect(Staff.parse(await response.json())).toMatchObject({
        role: 'unit_handler',
        unitId: 'psb-antifraud',
      });
    }
  });

  it('lets the handler refuse (403) a valid token whose role lacks its scope', async () => {
    const token = await rt.issueToken({
      sub: 'half-set-up',
      'custom:role': 'centre_dispatcher',
      'custom:unitId': 'centre-chengdong',
    });
    const response = await whoami(`Bearer ${token}`);
    expect(response.status).toBe(403);
    expect(ErrorBody.parse(await response.json()).error.code).toBe('forbidden');
  });

  it('keeps public routes open', async () => {
    expect((await fetch(`${rt.url}/api/catalog`)).status).toBe(200);
  });
});

describe('POST /api/session on the local runtime', () => {
  for (const login of demoStaff) {
    it(`signs ${login.username} in, and the staff routes then see a ${login.claims['custom:role']}`, async () => {
      const response = await signIn(JSON.stringify({ username: login.username, password: demoPassword }));
      expect(response.status).toBe(200);
      const session = Session.parse(await response.json());
      expect(session.expiresIn).toBe(3600);

      const seen = await whoami(`Bearer ${session.idToken}`);
      expect(seen.status).toBe(200);
      const staff = Staff.parse(await seen.json());
      expect(staff).toEqual(session.staff);
      expect(staff).toEqual(
        Object.fromEntries(
          Object.entries({
            role: login.claims['custom:role'],
            userId: login.claims.sub,
            name: login.claims.name,
            unitId: login.claims['custom:unitId'],
            townshipId: login.claims['custom:townshipId'],
            communityId: login.claims['custom:communityId'],
            gridId: login.claims['custom:gridId'],
          }).filter(([, value]) => value !== undefined),
        ),
      );
    });
  }

  it('signs in from a plain form post too', async () => {
    const response = await signIn(
      new URLSearchParams({ username: 'grid.kangning', password: demoPassword }).toString(),
      'application/x-www-form-urlencoded',
    );
    expect(response.status).toBe(200);
    expect(Session.parse(await response.json()).staff.role).toBe('grid_worker');
  });

  it('answers a wrong password exactly as it answers an unknown user', async () => {
    const wrongPassword = await signIn(JSON.stringify({ username: 'admin', password: 'civicloop-dem0' }));
    const unknownUser = await signIn(JSON.stringify({ username: 'mayor', password: demoPassword }));
    expect(wrongPassword.status).toBe(401);
    expect(unknownUser.status).toBe(401);
    const [wrong, unknown] = [await wrongPassword.json(), await unknownUser.json()];
    expect(wrong).toEqual(unknown);
    expect(ErrorBody.parse(wrong).error.code).toBe('unauthorized');
  });
});
