/**
 * The local runtime's identity provider: issues and verifies staff ID tokens shaped like
 * Cognito's (the same `sub` and `custom:` claims, `token_use: id`, a one-hour lifetime), so the
 * handlers read the same claims on a laptop as in AWS. The ES256 key pair is generated at start
 * and never leaves memory: tokens die with the process, which is what a demo wants.
 */
import { randomUUID } from 'node:crypto';
import { generateKeyPair, type JWTPayload, jwtVerify, SignJWT } from 'jose';
import type { StaffClaims } from '../../shared/domain/staff.ts';
import { claimStrings } from '../../shared/http/staff-identity.ts';

export const localIssuer = 'civicloop-local';
/**
 * The audience of local tokens. In Cognito an ID token's `aud` is the app client id, so this is
 * also the local user-pool client id the sign-in function is configured with.
 */
export const localClientId = 'civicloop-console';
/** The id of the local stand-in's one user pool, which the sign-in function names. */
export const localUserPoolId = 'us-east-1_civicloopLocal';
/** Cognito's default ID-token lifetime, which the stack keeps. */
export const tokenLifetimeSeconds = 3600;

const algorithm = 'ES256';

export interface LocalIdentity {
  /** A signed ID token carrying these claims, valid for `tokenLifetimeSeconds`. */
  issueToken(claims: StaffClaims, options?: { username?: string }): Promise<string>;
  /**
   * The claims of a token this identity issued, as the strings API Gateway's JWT authoriser
   * passes on. Rejects a token that is expired, altered, signed by another key, or meant for
   * another issuer or audience.
   */
  verifyToken(token: string): Promise<Record<string, string>>;
}

export interface LocalIdentityOptions {
  /** Milliseconds since the epoch; tests move it to make tokens expire. */
  now?: () => number;
}

export async function createLocalIdentity(options: LocalIdentityOptions = {}): Promise<LocalIdentity> {
  const now = options.now ?? Date.now;
  const { privateKey, publicKey } = await generateKeyPair(algorithm);
  const keyId = randomUUID();
  return {
    async issueToken(claims, { username } = {}) {
      const issuedAt = Math.floor(now() / 1000);
      const payload: JWTPayload = {
        ...claims,
        token_use: 'id',
        auth_time: issuedAt,
        ...(username === undefined ? {} : { 'cognito:username': username }),
      };
      return new SignJWT(payload)
        .setProtectedHeader({ alg: algorithm, typ: 'JWT', kid: keyId })
        .setIssuer(localIssuer)
        .setAudience(localClientId)
        .setSubject(claims.sub)
        .setIssuedAt(issuedAt)
        .setExpirationTime(issuedAt + tokenLifetimeSeconds)
        .setJti(randomUUID())
        .sign(privateKey);
    },
    async verifyToken(token) {
      const { payload } = await jwtVerify(token, publicKey, {
        issuer: localIssuer,
        audience: localClientId,
        algorithms: [algorithm],
        requiredClaims: ['sub', 'iat', 'exp'],
        currentDate: new Date(now()),
      });
      return claimStrings(payload);
    },
  };
}
