/**
 * The staff-token verifier the staff functions wear: an ID token from the issuer verifies to its
 * claims; an expired, foreign, altered or access token is a 401 (`UnauthorizedError`) with a
 * message saying what to do; key-set trouble (unreachable, not 200) is a 503 (`DependencyError`),
 * not the caller's fault. Keys come over HTTP as in a function, from the local Cognito stand-in.
 */
import { generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
  jwksPath,
  LocalStaffSignIn,
  serveCognitoSignIn,
} from '../../infra/local/local-sign-in.ts';
import { jwtStaffTokens, remoteKeys } from '../../shared/adapters/jwt-staff-tokens.ts';
import type { StaffClaims } from '../../shared/domain/staff.ts';
import { DependencyError, UnauthorizedError } from '../../shared/errors.ts';
import type { StaffTokenVerifier } from '../../shared/ports/staff-tokens.ts';

const handler: StaffClaims = {
  sub: 'be82ee10-138c-424b-9ce4-6083eac9f13f',
  'custom:role': 'unit_handler',
  'custom:unitId': 'psb-antifraud',
};

let identity: LocalIdentity;
let cognito: CognitoSignInServer;
let verifier: StaffTokenVerifier;
beforeAll(async () => {
  identity = await createLocalIdentity();
  cognito = await serveCognitoSignIn(new LocalStaffSignIn(identity), {
    userPoolId: localUserPoolId,
    clientId: localClientId,
    jwks: identity.jwks,
  });
  verifier = jwtStaffTokens({
    issuer: localIssuer,
    audience: localClientId,
    keys: remoteKeys(`${cognito.endpoint}${jwksPath}`),
  });
});
afterAll(async () => {
  await cognito?.stop();
});

const rejection = async (token: string) => {
  const error = await verifier.verify(token).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, 'the token should have been refused').toBeInstanceOf(Error);
  return error;
};

describe('the staff-token verifier', () => {
  it('answers an ID token from the issuer with its claims', async () => {
    const claims = await verifier.verify(await identity.issueToken(handler));
    expect(claims).toMatchObject({ ...handler, iss: localIssuer, aud: localClientId, token_use: 'id' });
  });

  it('refuses an expired token, saying the sign-in expired', async () => {
    const issuedAt = Math.floor(Date.now() / 1000) - tokenLifetimeSeconds - 60;
    const error = await rejection(await identity.issueToken(handler, { issuedAt }));
    expect(error).toBeInstanceOf(UnauthorizedError);
    expect(error).toHaveProperty('message', 'Your sign-in has expired. Sign in again.');
  });

  it('refuses a token meant for another client', async () => {
    const error = await rejection(await identity.issueToken(handler, { audience: 'another-client' }));
    expect(error).toBeInstanceOf(UnauthorizedError);
    expect(error).toHaveProperty('message', 'This sign-in is not valid for this service. Sign in again.');
  });

  it('refuses an access token signed by the same keys', async () => {
    const error = await rejection(await identity.issueToken(handler, { tokenUse: 'access' }));
    expect(error).toBeInstanceOf(UnauthorizedError);
    expect(error).toHaveProperty('message', 'This is not a sign-in (ID) token. Sign in again.');
  });

  it('refuses a token signed by another key, an altered one and garbage', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const foreign = await new SignJWT({ ...handler, token_use: 'id' })
      .setProtectedHeader({ alg: 'RS256', kid: identity.jwks().keys[0]?.kid ?? '' })
      .setIssuer(localIssuer)
      .setAudience(localClientId)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(privateKey);
    const [header, payload, signature] = (await identity.issueToken(handler)).split('.');
    const promoted = Buffer.from(
      JSON.stringify({
        ...JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()),
        'custom:role': 'admin',
      }),
    ).toString('base64url');
    for (const token of [foreign, `${header}.${promoted}.${signature}`, 'not-a-jwt']) {
      const error = await rejection(token);
      expect(error, token).toBeInstanceOf(UnauthorizedError);
      expect(error).toHaveProperty('message', 'This sign-in token is not valid. Sign in again.');
    }
  });

  it('is a dependency failure, not the caller’s, when the key set cannot be fetched', async () => {
    const token = await identity.issueToken(handler);
    for (const keysAt of [`${cognito.endpoint}/no-such-keys.json`, 'http://127.0.0.1:1/keys.json']) {
      const unreachable = jwtStaffTokens({
        issuer: localIssuer,
        audience: localClientId,
        keys: remoteKeys(keysAt),
      });
      await expect(unreachable.verify(token), keysAt).rejects.toBeInstanceOf(DependencyError);
    }
  });
});
