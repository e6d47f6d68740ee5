/**
 * The edge in front of the HTTP API, as its functions see it. In AWS every request comes through
 * the CloudFront distribution whose WAF applies the per-client limits (infra/constructs/
 * edge-protection.ts). CloudFront adds a secret header to what it forwards; a request without it
 * came to the API's own address around the edge and is refused (403), so the limits cannot be
 * dodged that way. Only on a request that came through the edge is `CloudFront-Viewer-Address`
 * believed: there it is the caller's address, and the TCP peer is a CloudFront server.
 *
 * The secret reaches the functions in `EDGE_ORIGIN_SECRET` (set by the stack for every function
 * behind the API). Where it is unset — the local runtime, unit tests — there is no edge: nothing
 * is refused and the caller's address is the socket's.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { ForbiddenError } from '../errors.ts';

/** The header CloudFront adds to every origin request (lower case, as the HTTP API delivers it). */
export const edgeOriginHeader = 'x-civicloop-origin';
/** The environment variable holding the header's expected value. */
export const edgeOriginSecretEnv = 'EDGE_ORIGIN_SECRET';
/** `198.51.100.10:46532` or `2001:db8::1:46532`: the viewer's address and source port. */
export const viewerAddressHeader = 'cloudfront-viewer-address';

const configuredSecret = (): string => process.env[edgeOriginSecretEnv] ?? '';

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/** Whether the request carries the edge's secret; equal-length digests keep the comparison constant-time. */
function cameThroughEdge(event: APIGatewayProxyEventV2, secret: string): boolean {
  const presented = event.headers?.[edgeOriginHeader];
  return presented !== undefined && timingSafeEqual(digest(presented), digest(secret));
}

/** Refuses requests that did not come through the edge, when there is one. Runs before the handler. */
export function requireEdgeOrigin(
  secret: string = configuredSecret(),
): MiddlewareObj<APIGatewayProxyEventV2> {
  return {
    before: (request) => {
      if (secret && !cameThroughEdge(request.event, secret)) {
        throw new ForbiddenError('This address does not serve requests; use the public address.');
      }
    },
  };
}

/** The address in `CloudFront-Viewer-Address` without its port, if it is one. */
function viewerAddress(event: APIGatewayProxyEventV2): string | undefined {
  const value = event.headers?.[viewerAddressHeader]?.trim();
  const portAt = value?.lastIndexOf(':') ?? -1;
  if (value === undefined || portAt <= 0) return undefined;
  const address = value.slice(0, portAt);
  return isIP(address) ? address : undefined;
}

/**
 * The caller's IP address: the viewer's as CloudFront saw it, for a request that came through
 * the edge; otherwise the TCP peer API Gateway (or the local gateway) reports.
 */
export function clientAddress(event: APIGatewayProxyEventV2, secret: string = configuredSecret()): string {
  const behindEdge = secret !== '' && cameThroughEdge(event, secret);
  return (behindEdge ? viewerAddress(event) : undefined) ?? event.requestContext.http.sourceIp;
}
