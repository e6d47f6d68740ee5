/**
 * The local runtime's identity provider: issues and verifies staff ID tokens shaped like
 * Cognito's (the same `sub` and `custom:` claims, `token_use: id`, a one-hour lifetime), so the
 * handlers read the same claims on a laptop as in AWS. Signed RS256 as Cognito signs; the public
 * key is published as a JSON Web Key Set (`jwks`, served by the Cognito stand-in) that the staff
 * functions fetch and verify against exactly as they fetch Cognito's. The key pair is generated
 * at start and never leaves memory: tokens die with the process, which is what a demo wants.
 */
import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, type JSONWebKeySet, type JWTPayload, jwtVerify, SignJWT } from 'jose';
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

const algorithm = 'RS256';

export interface IssueOptions {
  username?: string;
  /** Another audience than the console client's: a token meant for something else (tests). */
  audience?: string;
  /** Seconds since the epoch; an hour back makes an expired token (tests). */
  issuedAt?: number;
  /** `access`: what Cognito's access tokens say, signed by the same keys (tests). */
  tokenUse?: 'id' | 'access';
}

export interface LocalIdentity {
  /** A signed ID token carrying these claims, valid for `tokenLifetimeSeconds`. */
  issueToken(claims: StaffClaims, options?: IssueOptions): Promise<string>;
  /** The public key, as the key set Cognito publishes at `<issuer>/.well-known/jwks.json`. */
  jwks(): JSONWebKeySet;
  /**
   * The claims of a token this identity issued, as the strings the staff functions' edge puts
   * in the event. Rejects a token that is expired, altered, signed by another key, or meant for
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
  const publicJwk = { ...(await exportJWK(publicKey)), kid: keyId, alg: algorithm, use: 'sig' };
  return {
    jwks: () => ({ keys: [publicJwk] }),
    async issueToken(claims, issue = {}) {
      const { username, audience = localClientId, tokenUse = 'id' } = issue;
      const issuedAt = issue.issuedAt ?? Math.floor(now() / 1000);
      const payload: JWTPayload = {
        ...claims,
        token_use: tokenUse,
        auth_time: issuedAt,
        ...(username === undefined ? {} : { 'cognito:username': username }),
      };
      return new SignJWT(payload)
        .setProtectedHeader({ alg: algorithm, typ: 'JWT', kid: keyId })
        .setIssuer(localIssuer)
        .setAudience(audience)
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
