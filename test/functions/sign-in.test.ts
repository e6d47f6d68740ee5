/**
 * POST /api/session: JSON or form credentials in, the ID token and who it names out; one 401
 * for any wrong username or password; a 403 for an account without a usable role; the password
 * never in the logs; the caller's context (address, device headers, device data) handed to the
 * sign-in for Cognito's adaptive authentication. The Cognito adapter's mapping to and from
 * Cognito is checked with a mock.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import {
  AdminInitiateAuthCommand,
  CognitoIdentityProviderClient,
  NotAuthorizedException,
  UserNotFoundException,
} from '@aws-sdk/client-cognito-identity-provider';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { makeHandler, wrongCredentialsMessage } from '../../functions/sign-in.ts';
import { demoPassword } from '../../infra/demo/demo-staff.ts';
import { createLocalIdentity, type LocalIdentity } from '../../infra/local/local-identity.ts';
import { LocalStaffSignIn } from '../../infra/local/local-sign-in.ts';
import { CognitoStaffSignIn } from '../../shared/adapters/cognito-sign-in.ts';
import { DependencyError, ForbiddenError } from '../../shared/errors.ts';
import { edgeOriginHeader, edgeOriginSecretEnv, viewerAddressHeader } from '../../shared/http/edge-origin.ts';
import type { SignInContext, StaffSignIn } from '../../shared/ports/staff-sign-in.ts';
import { lambdaContext } from '../support/lambda-context.ts';
import { captureOutput } from '../support/logs.ts';

const Body = z.object({
  idToken: z.string(),
  expiresIn: z.number(),
  staff: z.object({ role: z.string(), userId: z.string(), name: z.string() }).loose(),
});
const ErrorBody = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

const sessionEvent = (
  body: string,
  contentType = 'application/json',
  headers: Record<string, string> = {},
): APIGatewayProxyEventV2 => ({
  version: '2.0',
  routeKey: 'POST /api/session',
  rawPath: '/api/session',
  rawQueryString: '',
  headers: { 'content-type': contentType, ...headers },
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

describe("the caller's context for Cognito's risk checks", () => {
  /** A sign-in that accepts everyone as the supervisor and remembers the context it was given. */
  const recording = () => {
    const contexts: SignInContext[] = [];
    const staffSignIn: StaffSignIn = {
      signIn: async (_username, _password, context) => {
        contexts.push(context);
        return new LocalStaffSignIn(identity).signIn('supervisor', demoPassword);
      },
    };
    return { contexts, staffSignIn };
  };
  const browserHeaders = {
    'user-agent': 'Mozilla/5.0 (Linux; Android 14) Chrome/131.0',
    'accept-language': 'zh-CN,zh;q=0.9',
    authorization: 'Bearer not-for-cognito',
    cookie: 'session=not-for-cognito',
  };

  it("hands the sign-in the caller's address, where it signed in, its device headers and no credentials", async () => {
    const { contexts, staffSignIn } = recording();
    const response = await invoke(
      sessionEvent(
        JSON.stringify({ username: 'supervisor', password: 'pw' }),
        'application/json',
        browserHeaders,
      ),
      staffSignIn,
    );
    expect(response.statusCode).toBe(200);
    expect(contexts).toEqual([
      {
        ipAddress: '10.0.0.1',
        serverName: 'api.example',
        serverPath: '/api/session',
        headers: [
          { name: 'user-agent', value: browserHeaders['user-agent'] },
          { name: 'accept-language', value: browserHeaders['accept-language'] },
        ],
      },
    ]);
  });

  it("passes on the device data the page collected with Cognito's library", async () => {
    const { contexts, staffSignIn } = recording();
    await invoke(
      json({ username: 'supervisor', password: 'pw', deviceData: 'eyJwYXlsb2FkIjoi' }),
      staffSignIn,
    );
    expect(contexts[0]?.encodedData).toBe('eyJwYXlsb2FkIjoi');
  });

  describe('behind the CloudFront edge', () => {
    const secret = 'edge-secret-for-the-test';
    beforeEach(() => {
      process.env[edgeOriginSecretEnv] = secret;
      return () => {
        delete process.env[edgeOriginSecretEnv];
      };
    });

    it("gives Cognito the viewer's address CloudFront saw, not the edge server's", async () => {
      const { contexts, staffSignIn } = recording();
      const response = await invoke(
        sessionEvent(JSON.stringify({ username: 'supervisor', password: 'pw' }), 'application/json', {
          [edgeOriginHeader]: secret,
          [viewerAddressHeader]: '2001:db8:85a3::8a2e:370:7334:46532',
        }),
        staffSignIn,
      );
      expect(response.statusCode).toBe(200);
      expect(contexts[0]?.ipAddress).toBe('2001:db8:85a3::8a2e:370:7334');
    });

    it('refuses (403) a sign-in that came around the edge, claiming any viewer address, before it reaches Cognito', async () => {
      const { contexts, staffSignIn } = recording();
      const response = await invoke(
        sessionEvent(JSON.stringify({ username: 'supervisor', password: 'pw' }), 'application/json', {
          [edgeOriginHeader]: 'a guess',
          [viewerAddressHeader]: '198.51.100.10:46532',
        }),
        staffSignIn,
      );
      expect(response.statusCode).toBe(403);
      expect(ErrorBody.parse(JSON.parse(response.body ?? '')).error.code).toBe('forbidden');
      expect(contexts).toEqual([]);
    });
  });
});

describe('the Cognito sign-in adapter', () => {
  const cognitoMock = mockClient(CognitoIdentityProviderClient);
  const adapter = () =>
    new CognitoStaffSignIn(new CognitoIdentityProviderClient({ region: 'us-east-1' }), {
      userPoolId: 'us-east-1_staffPool',
      clientId: 'console-client',
    });
  const context: SignInContext = {
    ipAddress: '198.51.100.10',
    serverName: 'abc123.execute-api.us-east-1.amazonaws.com',
    serverPath: '/api/session',
    headers: [{ name: 'user-agent', value: 'Mozilla/5.0' }],
  };
  beforeEach(() => cognitoMock.reset());

  it("signs in on the server (ADMIN_USER_PASSWORD_AUTH) with the caller's context data, and returns the ID token", async () => {
    cognitoMock
      .on(AdminInitiateAuthCommand)
      .resolves({ AuthenticationResult: { IdToken: 'id.token.x', AccessToken: 'a', ExpiresIn: 3600 } });
    expect(await adapter().signIn('admin', 'pw', { ...context, encodedData: 'device-data' })).toEqual({
      idToken: 'id.token.x',
      expiresIn: 3600,
    });
    expect(cognitoMock.commandCalls(AdminInitiateAuthCommand)[0]?.args[0].input).toEqual({
      AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
      UserPoolId: 'us-east-1_staffPool',
      ClientId: 'console-client',
      AuthParameters: { USERNAME: 'admin', PASSWORD: 'pw' },
      ContextData: {
        IpAddress: '198.51.100.10',
        ServerName: 'abc123.execute-api.us-east-1.amazonaws.com',
        ServerPath: '/api/session',
        HttpHeaders: [{ headerName: 'user-agent', headerValue: 'Mozilla/5.0' }],
        EncodedData: 'device-data',
      },
    });
  });

  it('sends no EncodedData when the page collected none', async () => {
    cognitoMock
      .on(AdminInitiateAuthCommand)
      .resolves({ AuthenticationResult: { IdToken: 'id.token.x', ExpiresIn: 3600 } });
    await adapter().signIn('admin', 'pw', context);
    const sent = cognitoMock.commandCalls(AdminInitiateAuthCommand)[0]?.args[0].input.ContextData;
    expect(sent?.IpAddress).toBe('198.51.100.10');
    expect(sent && 'EncodedData' in sent).toBe(false);
  });

  it('turns refused credentials into undefined, whichever way Cognito refuses them', async () => {
    cognitoMock
      .on(AdminInitiateAuthCommand)
      .rejectsOnce(new NotAuthorizedException({ message: 'Incorrect username or password.', $metadata: {} }));
    expect(await adapter().signIn('admin', 'pw', context)).toBeUndefined();
    cognitoMock
      .on(AdminInitiateAuthCommand)
      .rejectsOnce(new UserNotFoundException({ message: 'User does not exist.', $metadata: {} }));
    expect(await adapter().signIn('nobody', 'pw', context)).toBeUndefined();
  });

  it('refuses (403) an account Cognito wants another step from, such as a first new password', async () => {
    cognitoMock
      .on(AdminInitiateAuthCommand)
      .resolves({ ChallengeName: 'NEW_PASSWORD_REQUIRED', Session: 's' });
    await expect(adapter().signIn('new.user', 'Temp0rary!pw', context)).rejects.toThrow(ForbiddenError);
  });

  it('reports any other failure as a dependency error (503)', async () => {
    cognitoMock.on(AdminInitiateAuthCommand).rejects(new Error('socket hang up'));
    await expect(adapter().signIn('admin', 'pw', context)).rejects.toThrow(DependencyError);
  });
});
