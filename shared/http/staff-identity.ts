/**
 * Who is calling a staff route. The route's HTTP edge verifies the bearer ID token itself
 * (`authenticateStaff`, with the StaffTokenVerifier: Cognito's keys in AWS, the local issuer's on
 * a laptop), so a missing, expired or foreign token is answered in the API's own error shape
 * instead of API Gateway's fixed `{"message":"Unauthorized"}`. It puts the verified claims where
 * API Gateway's JWT authoriser would: `event.requestContext.authorizer.jwt.claims`. Handlers
 * never see tokens; they only turn those claims into a `Staff`, here, the same way in both
 * runtimes.
 */
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { type Staff, StaffClaims, staffFromClaims } from '../domain/staff.ts';
import { ForbiddenError, UnauthorizedError } from '../errors.ts';
import type { StaffTokenVerifier } from '../ports/staff-tokens.ts';
import * as z from '../schema.ts';

/**
 * The variables the stack and the local runtime set on every function with a staff route: the
 * issuer, the audience (the console's app client id) and the URL of the issuer's key set.
 */
export const staffTokenEnv = {
  issuer: 'STAFF_TOKEN_ISSUER',
  audience: 'STAFF_TOKEN_AUDIENCE',
  keys: 'STAFF_TOKEN_JWKS_URL',
} as const;

/**
 * The token in an `Authorization` header, with or without `Bearer ` (as API Gateway's JWT
 * authoriser read it); undefined when there is none.
 */
export const bearerToken = (authorization: string | undefined): string | undefined =>
  /^(?:Bearer\s+)?([^\s,]+)$/i.exec(authorization?.trim() ?? '')?.[1];

/**
 * Verifies the request's staff token before the handler runs and puts its claims in the event,
 * as strings, where API Gateway's JWT authoriser puts them; whatever the event carried there
 * before is replaced. 401 (`unauthorized`) without a token or with one that does not verify.
 * Runs after the header normaliser (the header is read in lower case).
 */
export function authenticateStaff(tokens: StaffTokenVerifier): MiddlewareObj<APIGatewayProxyEventV2> {
  return {
    before: async (request) => {
      const token = bearerToken(request.event.headers?.authorization);
      if (token === undefined) {
        throw new UnauthorizedError('Sign in to use this: the request carries no staff sign-in token.');
      }
      const claims = claimStrings(await tokens.verify(token));
      const requestContext: APIGatewayProxyEventV2WithJWTAuthorizer['requestContext'] = {
        ...request.event.requestContext,
        authorizer: { jwt: { claims, scopes: null } },
      };
      request.event.requestContext = requestContext;
    },
  };
}

// API Gateway passes claims as strings, but its type allows numbers, booleans and arrays, and an
// event reaching a handler outside the gateway (a test, a misconfigured route) may carry anything.
const JwtAuthorizerContext = z.object({
  authorizer: z.object({
    jwt: z.object({ claims: z.record(z.string(), z.unknown()) }),
  }),
});

/**
 * Claims as the strings API Gateway hands over (numbers as digits, lists as `[a b]`); empty
 * values dropped, because Cognito cannot unset a custom attribute, only set it to ''.
 */
export function claimStrings(claims: Readonly<Record<string, unknown>>): Record<string, string> {
  const strings: Record<string, string> = {};
  for (const [name, value] of Object.entries(claims)) {
    const text =
      typeof value === 'string'
        ? value
        : typeof value === 'number' || typeof value === 'boolean'
          ? String(value)
          : Array.isArray(value)
            ? `[${value.map(String).join(' ')}]`
            : JSON.stringify(value);
    if (text !== undefined && text !== '') strings[name] = text;
  }
  return strings;
}

/**
 * The member of staff a verified token's claims name. Throws `ForbiddenError` (403) when the
 * claims do not make a usable staff identity: no or unknown role, or a role without the unit,
 * township or community it needs (a user an administrator has not finished setting up).
 */
export function staffFromTokenClaims(claims: Readonly<Record<string, unknown>>): Staff {
  const parsed = StaffClaims.safeParse(claimStrings(claims));
  const staff = parsed.success ? staffFromClaims(parsed.data) : undefined;
  if (!staff) {
    throw new ForbiddenError(
      'This account has no role, or lacks the unit or area its role needs. Ask an administrator to set it up.',
    );
  }
  return staff;
}

/**
 * The signed-in member of staff behind a request to a staff route. Throws `UnauthorizedError`
 * (401) when the event carries no verified claims — the handler does not wear `authenticateStaff` — and
 * `ForbiddenError` (403) when the claims are incomplete for the role (see staffFromTokenClaims).
 */
export function staffOf(event: APIGatewayProxyEventV2WithJWTAuthorizer | APIGatewayProxyEventV2): Staff {
  const context = JwtAuthorizerContext.safeParse(event.requestContext);
  const claims = context.success ? context.data.authorizer.jwt.claims : {};
  if (Object.keys(claims).length === 0) throw new UnauthorizedError('Sign in to use this.');
  return staffFromTokenClaims(claims);
}
