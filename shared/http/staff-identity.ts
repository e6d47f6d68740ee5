/**
 * Who is calling a staff route. The gateway has already verified the token (API Gateway's JWT
 * authoriser in AWS, the local runtime's stand-in on a laptop) and put its claims where API
 * Gateway puts them: `event.requestContext.authorizer.jwt.claims`. Handlers never see or verify
 * tokens; they only turn those claims into a `Staff`, here, the same way in both runtimes.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import * as z from 'zod';
import { type Staff, StaffClaims, staffFromClaims } from '../domain/staff.ts';
import { ForbiddenError, UnauthorizedError } from '../errors.ts';

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
 * (401) when the event carries no verified claims — the route is not behind the authoriser — and
 * `ForbiddenError` (403) when the claims are incomplete for the role (see staffFromTokenClaims).
 */
export function staffOf(event: APIGatewayProxyEventV2WithJWTAuthorizer | APIGatewayProxyEventV2): Staff {
  const context = JwtAuthorizerContext.safeParse(event.requestContext);
  const claims = context.success ? context.data.authorizer.jwt.claims : {};
  if (Object.keys(claims).length === 0) throw new UnauthorizedError('Sign in to use this.');
  return staffFromTokenClaims(claims);
}
