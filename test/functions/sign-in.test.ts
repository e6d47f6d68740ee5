/**
 * POST /api/session: JSON or form credentials in, the ID token and who it names out; one 401
 * for any wrong username or password; a 403 for an account without a usable role; the password
 * never in the logs. The Cognito adapter's mapping of Cognito's answers is checked with a mock.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import {
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  NotAuthorizedException,
  UserNotFoundException,
} from '@aws-sdk/client-cognito-identity-provider';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import { createLocalIdentity, type LocalIdentity } from '../../infra/local/local-identity.ts';
import { LocalStaffSignIn } from '../../infra/local/local-sign-in.ts';
import { CognitoStaffSignIn } from '../../shared/adapters/cognito-sign-in.ts';
import { DependencyError, ForbiddenError } from '../../shared/errors.ts';
import { demoPassword } from '../../shared/organisation/demo-staff.ts';
import type { StaffSignIn } from '../../shared/ports/staff-sign-in.ts';
import { lambdaContext } from '../support/lambda-context.ts';
import { captureOutput } from '../support/logs.ts';

// The module builds its Cognito client from configuration at import, as at a cold start.
vi.hoisted(() => {
  process.env.USER_POOL_CLIENT_ID ??= 'test-console-client';
});
const { makeHandler, wrongCredentialsMessage } = await import('../../functions/sign-in.ts');

const Body = z.object({
  idToken: z.string(),
  expiresIn: z.number(),
  staff: z.object({ role: z.string(), userId: z.string(), name: z.string() }).loose(),
});
const ErrorBody = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

const sessionEvent = (body: string, contentType = 'application/json'): APIGatewayProxyEventV2 => ({
  version: '2.0',
  routeKey: 'POST /api/session',
  rawPath: '/api/session',
  rawQueryString: '',
  headers: { 'content-type': contentType },
  body: contentType === 'application/json' ? body : Buffer.from(body).toString('base64'),
  isBase64Encoded: contentType !== 'application/json',
  requestContext: {
    accountId: '000000000000',
    apiId: 'api',
    domainName: 'api.example',
    domainPrefix: 'api',
    http: {
      method: 'POST',
      path: '/api/session',
      protocol: 'HTTP/1.1',
      sourceIp: '10.0.0.1',
      userAgent: 'test',
    },
    requestId: 'r-1',
    routeKey: 'POST /api/session',
    stage: '$default',
    time: '29/Nov/2026:08:00:00 +0000',
    timeEpoch: 0,
  },
});

let identity: LocalIdentity;
beforeAll(async () => {
  identity = await createLocalIdentity();
});

const invoke = (
  event: APIGatewayProxyEventV2,
  staffSignIn: StaffSignIn,
  logger = new Logger({ logLevel: 'SILENT' }),
) => makeHandler({ logger, staffSignIn })(event, lambdaContext('civicloop-sign-in'));

const json = (credentials: unknown) => sessionEvent(JSON.stringify(credentials));

describe('POST /api/session', () => {
  it('answers 200 with the ID token, its lifetime and the staff it names', async () => {
    const response = await invoke(
      json({ username: 'dispatcher.chengdong', password: demoPassword }),
      new LocalStaffSignIn(identity),
    );
    expect(response.statusCode).toBe(200);
    expect(response.headers?.['cache-control']).toBe('no-store');
    const body = Body.parse(JSON.parse(response.body ?? ''));
    expect(body.expiresIn).toBe(3600);
    expect(body.staff).toEqual({
      role: 'centre_dispatcher',
      userId: '4dfa2178-f966-4d8b-8a2d-7a1ef9dd67ca',
      name: '城东街道综治中心调度员',
      unitId: 'centre-chengdong',
      townshipId: 'chengdong',
    });
    await expect(identity.verifyToken(body.idToken)).resolves.toMatchObject({
      'custom:role': 'centre_dispatcher',
    });
  });

  it('accepts a plain form post', async () => {
    const response = await invoke(
      sessionEvent(`username=grid.kangning&password=${demoPassword}`, 'application/x-www-form-urlencoded'),
      new LocalStaffSignIn(identity),
    );
    expect(response.statusCode).toBe(200);
    expect(Body.parse(JSON.parse(response.body ?? '')).staff.role).toBe('grid_worker');
  });

  it('answers a wrong password and an unknown user with the same 401', async () => {
    const signIn = new LocalStaffSignIn(identity);
    const wrongPassword = await invoke(json({ username: 'admin', password: 'admin' }), signIn);
    const unknownUser = await invoke(json({ username: 'root', password: demoPassword }), signIn);
    expect(wrongPassword.statusCode).toBe(401);
    expect(unknownUser.statusCode).toBe(401);
    expect(wrongPassword.body).toBe(unknownUser.body);
    expect(ErrorBody.parse(JSON.parse(wrongPassword.body ?? ''))).toEqual({
      error: { code: 'unauthorized', message: wrongCredentialsMessage },
    });
  });

  it('answers 400 naming the missing fields, without echoing them', async () => {
    const response = await invoke(json({ username: 'admin' }), new LocalStaffSignIn(identity));
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('password');
  });

  it('answers 403 for an account whose token names no usable role', async () => {
    const incomplete: StaffSignIn = {
      signIn: async () => ({
        idToken: await identity.issueToken({ sub: 'u-1', 'custom:role': 'unit_handler' }),
        expiresIn: 3600,
      }),
    };
    const response = await invoke(json({ username: 'half.set.up', password: 'x' }), incomplete);
    expect(response.statusCode).toBe(403);
  });

  it('never logs the password or the token', async () => {
    const output = captureOutput();
    let token = '';
    try {
      const logger = new Logger({ logLevel: 'DEBUG' });
      const response = await invoke(
        json({ username: 'supervisor', password: demoPassword }),
        new LocalStaffSignIn(identity),
        logger,
      );
      token = Body.parse(JSON.parse(response.body ?? '')).idToken;
      await invoke(
        json({ username: 'supervisor', password: 'Sup3r-Secret!' }),
        new LocalStaffSignIn(identity),
        logger,
      );
    } finally {
      output.restore();
    }
    const logs = output.text();
    expect(logs).toContain('signed in');
    expect(logs).not.toContain(demoPassword);
    expect(logs).not.toContain('Sup3r-Secret!');
    expect(logs).not.toContain(token);
  });
});

describe('the Cognito sign-in adapter', () => {
  const cognitoMock = mockClient(CognitoIdentityProviderClient);
  const adapter = () =>
    new CognitoStaffSignIn(new CognitoIdentityProviderClient({ region: 'us-east-1' }), 'console-client');
  beforeEach(() => cognitoMock.reset());

  it('asks for USER_PASSWORD_AUTH on the console client and returns the ID token', async () => {
    cognitoMock
      .on(InitiateAuthCommand)
      .resolves({ AuthenticationResult: { IdToken: 'id.token.x', AccessToken: 'a', ExpiresIn: 3600 } });
    expect(await adapter().signIn('admin', 'pw')).toEqual({ idToken: 'id.token.x', expiresIn: 3600 });
    expect(cognitoMock.commandCalls(InitiateAuthCommand)[0]?.args[0].input).toEqual({
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: 'console-client',
      AuthParameters: { USERNAME: 'admin', PASSWORD: 'pw' },
    });
  });

  it('turns refused credentials into undefined, whichever way Cognito refuses them', async () => {
    cognitoMock
      .on(InitiateAuthCommand)
      .rejectsOnce(new NotAuthorizedException({ message: 'Incorrect username or password.', $metadata: {} }));
    expect(await adapter().signIn('admin', 'pw')).toBeUndefined();
    cognitoMock
      .on(InitiateAuthCommand)
      .rejectsOnce(new UserNotFoundException({ message: 'User does not exist.', $metadata: {} }));
    expect(await adapter().signIn('nobody', 'pw')).toBeUndefined();
  });

  it('refuses (403) an account Cognito wants another step from, such as a first new password', async () => {
    cognitoMock.on(InitiateAuthCommand).resolves({ ChallengeName: 'NEW_PASSWORD_REQUIRED', Session: 's' });
    await expect(adapter().signIn('new.user', 'Temp0rary!pw')).rejects.toThrow(ForbiddenError);
  });

  it('reports any other failure as a dependency error (503)', async () => {
    cognitoMock.on(InitiateAuthCommand).rejects(new Error('socket hang up'));
    await expect(adapter().signIn('admin', 'pw')).rejects.toThrow(DependencyError);
  });
});
