/**
 * The functions' view of the CloudFront edge: a request without the edge's secret header is
 * refused where there is an edge, and only a request that came through it has its
 * CloudFront-Viewer-Address believed as the caller's address.
 */
import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { ForbiddenError } from '../../shared/errors.ts';
import {
  clientAddress,
  edgeOriginHeader,
  requireEdgeOrigin,
  viewerAddressHeader,
} from '../../shared/http/edge-origin.ts';
import { lambdaContext } from '../support/lambda-context.ts';

const secret = 'k3Jx9bq2LmZ7vR4tW8yN1cF6hD0sG5pA';

const event = (headers: Record<string, string>): APIGatewayProxyEventV2 => ({
  version: '2.0',
  routeKey: 'POST /api/session',
  rawPath: '/api/session',
  rawQueryString: '',
  headers,
  isBase64Encoded: false,
  requestContext: {
    accountId: '000000000000',
    apiId: 'api',
    domainName: 'abc123.execute-api.us-east-1.amazonaws.com',
    domainPrefix: 'abc123',
    http: {
      method: 'POST',
      path: '/api/session',
      protocol: 'HTTP/1.1',
      sourceIp: '130.176.1.20',
      userAgent: 'Amazon CloudFront',
    },
    requestId: 'r-1',
    routeKey: 'POST /api/session',
    stage: '$default',
    time: '29/Nov/2026:08:00:00 +0000',
    timeEpoch: 0,
  },
});

describe("the caller's address", () => {
  it("is the viewer's, without the port, on a request that came through the edge", () => {
    expect(
      clientAddress(
        event({ [edgeOriginHeader]: secret, [viewerAddressHeader]: '198.51.100.10:46532' }),
        secret,
      ),
    ).toBe('198.51.100.10');
    expect(
      clientAddress(
        event({ [edgeOriginHeader]: secret, [viewerAddressHeader]: '2001:db8:85a3::8a2e:370:7334:443' }),
        secret,
      ),
    ).toBe('2001:db8:85a3::8a2e:370:7334');
  });

  it('is the TCP peer when the request did not come through the edge, whatever viewer address it claims', () => {
    expect(
      clientAddress(event({ [edgeOriginHeader]: 'guess', [viewerAddressHeader]: '198.51.100.10:1' }), secret),
    ).toBe('130.176.1.20');
    expect(clientAddress(event({ [viewerAddressHeader]: '198.51.100.10:1' }), secret)).toBe('130.176.1.20');
  });

  it('is the TCP peer where there is no edge (the local runtime), even with the headers set', () => {
    expect(
      clientAddress(event({ [edgeOriginHeader]: '', [viewerAddressHeader]: '198.51.100.10:46532' }), ''),
    ).toBe('130.176.1.20');
  });

  it('is the TCP peer when the viewer address is not an address', () => {
    for (const value of ['', 'localhost:80', '198.51.100.10', ':443', 'not an ip:1']) {
      expect(clientAddress(event({ [edgeOriginHeader]: secret, [viewerAddressHeader]: value }), secret)).toBe(
        '130.176.1.20',
      );
    }
  });
});

describe('the edge-origin check', () => {
  const handler = (configured: string) =>
    middy<APIGatewayProxyEventV2, string>()
      .use(requireEdgeOrigin(configured))
      .handler(async () => 'served');

  it('serves a request carrying the edge secret', async () => {
    await expect(handler(secret)(event({ [edgeOriginHeader]: secret }), lambdaContext('f'))).resolves.toBe(
      'served',
    );
  });

  it('refuses (forbidden) a request without it or with another value, before the handler runs', async () => {
    await expect(handler(secret)(event({}), lambdaContext('f'))).rejects.toThrow(ForbiddenError);
    await expect(
      handler(secret)(event({ [edgeOriginHeader]: `${secret}x` }), lambdaContext('f')),
    ).rejects.toThrow(ForbiddenError);
  });

  it('lets everything through where no edge is configured', async () => {
    await expect(handler('')(event({}), lambdaContext('f'))).resolves.toBe('served');
  });
});
