/**
 * The StaffTokenVerifier over JSON Web Tokens (jose): the signature against the issuer's key set
 * (Cognito's `<issuer>/.well-known/jwks.json`, fetched once per container and kept; fetched
 * again only for a key id it has not seen), the issuer, the audience (the console's app client),
 * the expiry, and `token_use: id`, since Cognito's access tokens are signed by the same keys.
 * RS256 only, the one algorithm Cognito signs with.
 */
import { createRemoteJWKSet, errors, type JWTVerifyGetKey, jwtVerify } from 'jose';
import { DependencyError, UnauthorizedError } from '../errors.ts';
import type { StaffTokenVerifier } from '../ports/staff-tokens.ts';

export interface JwtStaffTokenOptions {
  issuer: string;
  /** The app client id: Cognito puts it in an ID token's `aud`. */
  audience: string;
  /** The issuer's keys: `createRemoteJWKSet(jwksUrl)` in a function, a local set in tests. */
  keys: JWTVerifyGetKey;
  /** Milliseconds since the epoch; tests move it to make tokens expire. */
  now?: () => number;
}

/** Clocks differ a little between Cognito and Lambda; a token is not refused over seconds. */
const CLOCK_TOLERANCE_SECONDS = 5;
const JWKS_TIMEOUT_MS = 3_000;

/** The key set at this URL, fetched on first use and kept for the container's life. */
export const remoteKeys = (jwksUrl: string): JWTVerifyGetKey =>
  createRemoteJWKSet(new URL(jwksUrl), { timeoutDuration: JWKS_TIMEOUT_MS });

const signInAgain = 'Sign in again.';

export function jwtStaffTokens({ issuer, audience, keys, now }: JwtStaffTokenOptions): StaffTokenVerifier {
  return {
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, keys, {
          issuer,
          audience,
          algorithms: ['RS256'],
          requiredClaims: ['sub', 'exp', 'iat', 'token_use'],
          clockTolerance: CLOCK_TOLERANCE_SECONDS,
          ...(now ? { currentDate: new Date(now()) } : {}),
        });
        if (payload.token_use !== 'id')
          throw new UnauthorizedError(`This is not a sign-in (ID) token. ${signInAgain}`);
        return payload;
      } catch (error) {
        throw asAuthenticationError(error);
      }
    },
  };
}

function asAuthenticationError(error: unknown): Error {
  if (error instanceof UnauthorizedError) return error;
  if (error instanceof errors.JWTExpired)
    return new UnauthorizedError(`Your sign-in has expired. ${signInAgain}`, { cause: error });
  const keysUnavailable =
    error instanceof errors.JWKSTimeout ||
    error instanceof errors.JWKSInvalid ||
    // jose's base class alone: the key set answered other than 200, or not JSON.
    (error instanceof errors.JOSEError && error.constructor === errors.JOSEError) ||
    // fetch's own failure (no network, DNS): not a JOSE error at all.
    !(error instanceof errors.JOSEError);
  if (keysUnavailable) {
    // Not the caller's fault, and the caller may retry: 503, not 401.
    return new DependencyError('Sign-ins cannot be checked right now. Please try again.', { cause: error });
  }
  if (error instanceof errors.JWTClaimValidationFailed)
    return new UnauthorizedError(`This sign-in is not valid for this service. ${signInAgain}`, {
      cause: error,
    });
  return new UnauthorizedError(`This sign-in token is not valid. ${signInAgain}`, { cause: error });
}
