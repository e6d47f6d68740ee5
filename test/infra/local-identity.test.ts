/**
 * The local runtime's identity: tokens from its issuer verify with the claims API Gateway would
 * pass on; altered, expired and foreign ones do not. Its sign-in accepts the demo logins only, and
 * the Cognito adapter the sign-in function uses works against its Cognito stand-in unchanged,
 * context data included; the public InitiateAuth flow the deployed client does not allow is
 * refused there too.
 */
import {
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { decodeJwt, decodeProtectedHeader, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPassword, demoStaff } from '../../infra/demo/demo-staff.ts';
import {
  createLocalIdentity,
  type LocalIdentity,
  localClientId,
  localIssuer,
  localUserPoolId,
  tokenLifetimeSeconds,
} from '../../infra/local/local-identity.ts';
import {
  type CognitoSignInServer,
  LocalStaffSignIn,
  serveCognitoSignIn,
} from '../../infra/local/local-sign-in.ts';
import { CognitoStaffSignIn } from '../../shared/adapters/cognito-sign-in.ts';
import type { StaffClaims } from '../../shared/domain/staff.ts';
import type { SignInContext } from '../../shared/ports/staff-sign-in.ts';

const handler: StaffClaims = {
  sub: 'be82ee10-138c-424b-9ce4-6083eac9f13f',
  'custom:role': 'unit_handler',
  'custom:displayName': '反诈中心办理员',
  'custom:unitId': 'psb-antifraud',
};

let identity: LocalIdentity;
beforeAll(async () => {
  identity = await createLocalIdentity();
});

describe('the local identity', () => {
  it('issues an RS256 ID token, as Cognito signs them, that verifies to its claims, as strings', async () => {
    const token = await identity.issueToken(handler, { username: 'handler.antifraud' });
    expect(decodeProtectedHeader(token).alg).toBe('RS256');
    const claims = await identity.verifyToken(token);
    expect(claims).toMatchObject({
      ...handler,
      iss: localIssuer,
      aud: localClientId,
      token_use: 'id',
      'cognito:username': 'handler.antifraud',
    });
    expect(Number(claims.exp) - Number(claims.iat)).toBe(tokenLifetimeSeconds);
    expect(tokenLifetimeSeconds).toBe(3600);
  });

  it('rejects a token whose claims were altered', async () => {
    const [header, payload, signature] = (await identity.issueToken(handler)).split('.');
    const promoted = Buffer.from(
      JSON.stringify({ ...decodeJwt(`${header}.${payload}.${signature}`), 'custom:role': 'admin' }),
    ).toString('base64url');
    await expect(identity.verifyToken(`${header}.${promoted}.${signature}`)).rejects.toThrow();
  });

  it('rejects a token whose signature was altered', async () => {
    const token = await identity.issueToken(handler);
    const flipped = `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`;
    await expect(identity.verifyToken(flipped)).rejects.toThrow();
  });

  it('rejects an expired token', async () => {
    let now = Date.now() - (tokenLifetimeSeconds + 60) * 1000;
    const clocked = await createLocalIdentity({ now: () => now });
    const token = await clocked.issueToken(handler);
    await expect(clocked.verifyToken(token)).resolves.toMatchObject({ sub: handler.sub });
    now = Date.now();
    await expect(clocked.verifyToken(token)).rejects.toThrow(/exp/);
  });

  it('rejects a token from another runtime (another key)', async () => {
    const other = await createLocalIdentity();
    await expect(identity.verifyToken(await other.issueToken(handler))).rejects.toThrow();
  });

  it('rejects a token for another issuer or audience, or with no signature', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    const foreign = await new SignJWT({ ...handler })
      .setProtectedHeader({ alg: 'ES256' })
      .setIssuer('someone-else')
      .setAudience(localClientId)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(privateKey);
    await expect(identity.verifyToken(foreign)).rejects.toThrow();
    const [, payload] = (await identity.issueToken(handler)).split('.');
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url')}.${payload}.`;
    await expect(identity.verifyToken(unsigned)).rejects.toThrow();
    await expect(identity.verifyToken('not-a-token')).rejects.toThrow();
  });
});

describe('the local sign-in', () => {
  let signIn: LocalStaffSignIn;
  beforeAll(() => {
    signIn = new LocalStaffSignIn(identity);
  });

  it('signs every demo login in with the demo password, as its own claims', async () => {
    for (const login of demoStaff) {
      const signedIn = await signIn.signIn(login.username, demoPassword);
      expect(signedIn?.expiresIn).toBe(tokenLifetimeSeconds);
      const claims = await identity.verifyToken(signedIn?.idToken ?? '');
      expect(claims).toMatchObject(login.claims);
    }
  });

  it('ignores the case of the username, as the user pool does', async () => {
    expect(await signIn.signIn(' Supervisor ', demoPassword)).toBeDefined();
  });

  it('refuses a wrong password and an unknown user alike', async () => {
    expect(await signIn.signIn('supervisor', 'civicloop-demo ')).toBeUndefined();
    expect(await signIn.signIn('supervisor', '')).toBeUndefined();
    expect(await signIn.signIn('mayor', demoPassword)).toBeUndefined();
  });
});

describe('the Cognito adapter against the local Cognito stand-in', () => {
  let server: CognitoSignInServer;
  let client: CognitoIdentityProviderClient;
  const seenContextData: unknown[] = [];
  const pool = { userPoolId: localUserPoolId, clientId: localClientId };
  const context: SignInContext = {
    ipAddress: '198.51.100.10',
    serverName: 'localhost',
    serverPath: '/api/session',
    headers: [{ name: 'user-agent', value: 'Mozilla/5.0' }],
  };
  beforeAll(async () => {
    server = await serveCognitoSignIn(new LocalStaffSignIn(identity), {
      ...pool,
      onContextData: (contextData) => seenContextData.push(contextData),
    });
    client = new CognitoIdentityProviderClient({
      endpoint: server.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 1,
    });
  });
  afterAll(async () => {
    client?.destroy();
    await server?.stop();
  });

  it('signs a demo login in and returns a token the local identity verifies', async () => {
    const signedIn = await new CognitoStaffSignIn(client, pool).signIn(
      'grid.kangning',
      demoPassword,
      context,
    );
    expect(signedIn?.expiresIn).toBe(tokenLifetimeSeconds);
    await expect(identity.verifyToken(signedIn?.idToken ?? '')).resolves.toMatchObject({
      'custom:role': 'grid_worker',
      'custom:communityId': 'chengdong-kangning',
    });
  });

  it("delivers the caller's context data in Cognito's wire format", async () => {
    seenContextData.length = 0;
    await new CognitoStaffSignIn(client, pool).signIn('supervisor', demoPassword, {
      ...context,
      encodedData: 'device-data',
    });
    expect(seenContextData).toEqual([
      {
        IpAddress: '198.51.100.10',
        ServerName: 'localhost',
        ServerPath: '/api/session',
        HttpHeaders: [{ headerName: 'user-agent', headerValue: 'Mozilla/5.0' }],
        EncodedData: 'device-data',
      },
    ]);
  });

  it('answers undefined for wrong credentials (NotAuthorizedException)', async () => {
    const adapter = new CognitoStaffSignIn(client, pool);
    expect(await adapter.signIn('grid.kangning', 'wrong', context)).toBeUndefined();
    expect(await adapter.signIn('nobody', demoPassword, context)).toBeUndefined();
  });

  it('fails as a dependency error for another pool or client id, which is a configuration fault', async () => {
    await expect(
      new CognitoStaffSignIn(client, { ...pool, clientId: 'other-client' }).signIn(
        'admin',
        demoPassword,
        context,
      ),
    ).rejects.toThrow(/Cognito/);
    await expect(
      new CognitoStaffSignIn(client, { ...pool, userPoolId: 'us-east-1_other' }).signIn(
        'admin',
        demoPassword,
        context,
      ),
    ).rejects.toThrow(/Cognito/);
  });

  it('refuses the public USER_PASSWORD_AUTH flow, as the deployed client does', async () => {
    await expect(
      client.send(
        new InitiateAuthCommand({
          AuthFlow: 'USER_PASSWORD_AUTH',
          ClientId: localClientId,
          AuthParameters: { USERNAME: 'admin', PASSWORD: demoPassword },
        }),
      ),
    ).rejects.toThrow(/not enabled/);
  });
});
