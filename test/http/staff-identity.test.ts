/**
 * staffOf: the claims API Gateway's JWT authoriser put in the event become a Staff, or a 401 when
 * there are none and a 403 when they do not make a usable identity for the role.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { demoStaff } from '../../infra/demo/demo-staff.ts';
import { ForbiddenError, UnauthorizedError } from '../../shared/errors.ts';
import { claimStrings, staffOf } from '../../shared/http/staff-identity.ts';

const baseEvent: APIGatewayProxyEventV2 = {
  version: '2.0',
  routeKey: 'GET /api/cases',
  rawPath: '/api/cases',
  rawQueryString: '',
  headers: {},
  isBase64Encoded: false,
  requestContext: {
    accountId: '000000000000',
    apiId: 'api',
    domainName: 'api.example',
    domainPrefix: 'api',
    http: {
      method: 'GET',
      path: '/api/cases',
      protocol: 'HTTP/1.1',
      sourceIp: '10.0.0.1',
      userAgent: 'test',
    },
    requestId: 'r-1',
    routeKey: 'GET /api/cases',
    stage: '$default',
    time: '29/Nov/2026:08:00:00 +0000',
    timeEpoch: 0,
  },
};

/** An event as API Gateway sends it after its JWT authoriser accepted a Cognito ID token. */
const withClaims = (
  claims: APIGatewayProxyEventV2WithJWTAuthorizer['requestContext']['authorizer']['jwt']['claims'],
): APIGatewayProxyEventV2WithJWTAuthorizer => ({
  ...baseEvent,
  requestContext: { ...baseEvent.requestContext, authorizer: { jwt: { claims, scopes: null } } },
});

/** What a Cognito ID token's claims look like once API Gateway has turned them into strings. */
const cognitoClaims = {
  sub: '7a7c15dd-1a06-4a48-a04b-2711f5a6c665',
  iss: 'https://cognito-idp.cn-north-1.amazonaws.com.cn/cn-north-1_AbCdEf',
  aud: '1example23456789abcdefghij',
  token_use: 'id',
  'cognito:username': 'grid.kangning',
  auth_time: '1795939200',
  iat: '1795939200',
  exp: '1795942800',
  'custom:role': 'grid_worker',
  'custom:displayName': '康宁社区网格员',
  'custom:communityId': 'chengdong-kangning',
  'custom:gridId': 'chengdong-kangning-g1',
};

describe('staffOf', () => {
  it('reads a grid worker from Cognito-style string claims', () => {
    expect(staffOf(withClaims(cognitoClaims))).toEqual({
      role: 'grid_worker',
      userId: '7a7c15dd-1a06-4a48-a04b-2711f5a6c665',
      name: '康宁社区网格员',
      communityId: 'chengdong-kangning',
      gridId: 'chengdong-kangning-g1',
    });
  });

  it('reads every demo login as its role', () => {
    for (const login of demoStaff) {
      const staff = staffOf(withClaims(login.claims));
      expect(staff.role, login.username).toBe(login.claims['custom:role']);
      expect(staff.userId).toBe(login.claims.sub);
      expect(staff.name).toBe(login.claims.name);
    }
  });

  it('names staff by the standard name claim, else the older custom:displayName, else their id', () => {
    const grid = { ...cognitoClaims, name: '王丽' };
    expect(staffOf(withClaims(grid)).name).toBe('王丽');
    expect(staffOf(withClaims(cognitoClaims)).name).toBe('康宁社区网格员');
    const { 'custom:displayName': _unnamed, ...nameless } = cognitoClaims;
    expect(staffOf(withClaims(nameless)).name).toBe(cognitoClaims.sub);
  });

  it('reads a dispatcher with their centre and township', () => {
    const staff = staffOf(
      withClaims({
        sub: 'd-1',
        'custom:role': 'centre_dispatcher',
        'custom:unitId': 'centre-dongquan',
        'custom:townshipId': 'dongquan',
      }),
    );
    expect(staff).toEqual({
      role: 'centre_dispatcher',
      userId: 'd-1',
      name: 'd-1',
      unitId: 'centre-dongquan',
      townshipId: 'dongquan',
    });
  });

  it('accepts numeric, boolean and list claims as a gateway may pass them, and ignores them', () => {
    const staff = staffOf(
      withClaims({
        sub: 's-1',
        'custom:role': 'county_supervisor',
        exp: 1795942800,
        email_verified: false,
        'cognito:groups': ['a', 'b'],
      }),
    );
    expect(staff).toEqual({ role: 'county_supervisor', userId: 's-1', name: 's-1' });
  });

  it('treats an attribute an administrator blanked as absent', () => {
    expect(staffOf(withClaims({ sub: 'a-1', 'custom:role': 'admin', 'custom:unitId': '' }))).toEqual({
      role: 'admin',
      userId: 'a-1',
      name: 'a-1',
    });
  });

  it('is 401 without an authoriser or claims: the route was not behind the authoriser', () => {
    expect(() => staffOf(baseEvent)).toThrow(UnauthorizedError);
    expect(() => staffOf(withClaims({}))).toThrow(UnauthorizedError);
  });

  it('is 403 when the token names no role, an unknown role, or a role without its scope', () => {
    const incomplete: Record<string, string>[] = [
      { sub: 'u-1' },
      { sub: 'u-1', 'custom:role': 'mayor' },
      { sub: 'u-1', 'custom:role': 'unit_handler' },
      { sub: 'u-1', 'custom:role': 'centre_dispatcher', 'custom:unitId': 'centre-chengdong' },
      { sub: 'u-1', 'custom:role': 'grid_worker', 'custom:gridId': 'chengdong-kangning-g1' },
      { sub: 'u-1', 'custom:role': 'unit_handler', 'custom:unitId': 'Not An Id' },
      { 'custom:role': 'admin' },
    ];
    for (const claims of incomplete) {
      expect(() => staffOf(withClaims(claims)), JSON.stringify(claims)).toThrow(ForbiddenError);
    }
  });
});

describe('claimStrings', () => {
  it('turns claims into the strings API Gateway passes on', () => {
    expect(claimStrings({ a: 'x', n: 5, b: true, l: ['p', 'q'], o: { k: 1 }, e: '' })).toEqual({
      a: 'x',
      n: '5',
      b: 'true',
      l: '[p q]',
      o: '{"k":1}',
    });
  });
});
