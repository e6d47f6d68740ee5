/**
 * Staff tokens for tests that call a staff handler directly: a local issuer, the production
 * verifier (shared/adapters/jwt-staff-tokens.ts) over that issuer's key set, and `signed(event)`,
 * which turns a sample event's authoriser claims into what reaches the function in AWS: the same
 * claims in a bearer token, and no authoriser context.
 */
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { createLocalJWKSet } from 'jose';
import {
  createLocalIdentity,
  type LocalIdentity,
  localClientId,
  localIssuer,
} from '../../infra/local/local-identity.ts';
import { jwtStaffTokens } from '../../shared/adapters/jwt-staff-tokens.ts';
import { StaffClaims } from '../../shared/domain/staff.ts';
import { claimStrings } from '../../shared/http/staff-identity.ts';
import type { StaffTokenVerifier } from '../../shared/ports/staff-tokens.ts';

export interface TestStaffTokens {
  identity: LocalIdentity;
  staffTokens: StaffTokenVerifier;
  signed(event: APIGatewayProxyEventV2WithJWTAuthorizer): Promise<APIGatewayProxyEventV2WithJWTAuthorizer>;
}

export async function testStaffTokens(): Promise<TestStaffTokens> {
  const identity = await createLocalIdentity();
  const staffTokens = jwtStaffTokens({
    issuer: localIssuer,
    audience: localClientId,
    keys: createLocalJWKSet(identity.jwks()),
  });
  return {
    identity,
    staffTokens,
    async signed(event) {
      const claims = StaffClaims.parse(claimStrings(event.requestContext.authorizer.jwt.claims));
      const token = await identity.issueToken(claims);
      const { authorizer: _verifiedByTheFunction, ...requestContext } = event.requestContext;
      return {
        ...event,
        headers: { ...event.headers, authorization: `Bearer ${token}` },
        // What the HTTP API hands over without an authoriser; the function's edge fills it in.
        requestContext: { ...requestContext, authorizer: { jwt: { claims: {}, scopes: null } } },
      };
    },
  };
}
