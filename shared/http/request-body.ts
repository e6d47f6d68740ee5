/**
 * Request-body handling at the HTTP edge: a size limit checked before anything is parsed, and
 * the parsed body handed on as `unknown` so only a zod schema can give it a type. (middy's body
 * parsers retype the event as a union of every API Gateway shape, which loses payload v2's types.)
 */
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { MalformedBodyError, PayloadTooLargeError, UnsupportedMediaTypeError } from '../errors.ts';

const byteLength = (body: string, isBase64Encoded: boolean): number =>
  isBase64Encoded ? Buffer.from(body, 'base64').byteLength : Buffer.byteLength(body, 'utf8');

/** Whether the body is over `maxBytes`, measured before any parser touches it. */
export const bodyExceeds = ({ body, isBase64Encoded }: APIGatewayProxyEventV2, maxBytes: number): boolean =>
  body !== undefined && byteLength(body, isBase64Encoded) > maxBytes;

/** Throws PayloadTooLargeError (413) for a body over `maxBytes`. */
export function assertBodyWithin(event: APIGatewayProxyEventV2, maxBytes: number): void {
  if (bodyExceeds(event, maxBytes)) {
    throw new PayloadTooLargeError(`The request body is larger than ${maxBytes / 1024} KB`);
  }
}

/** Rejects bodies over `maxBytes` with 413 before any parser touches them. */
export const limitBodySize = (maxBytes: number): MiddlewareObj<APIGatewayProxyEventV2> => ({
  before: (request) => assertBodyWithin(request.event, maxBytes),
});

const decode = (body: string, isBase64Encoded: boolean): string =>
  isBase64Encoded ? Buffer.from(body, 'base64').toString('utf8') : body;

/**
 * The request body as plain data: JSON, or an HTML form post (`application/x-www-form-urlencoded`,
 * which the HTTP API delivers base64-encoded). Returned as `unknown` so only a schema can type it;
 * a missing body is `undefined`, left to the schema to reject.
 */
export function readRequestBody(event: APIGatewayProxyEventV2): unknown {
  const { body, isBase64Encoded } = event;
  if (body === undefined || body === '') return undefined;
  const contentType = (event.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (contentType === 'application/json' || contentType.endsWith('+json')) {
    try {
      return JSON.parse(decode(body, isBase64Encoded));
    } catch (error) {
      throw new MalformedBodyError('The request body is not valid JSON', { cause: error });
    }
  }
  if (contentType === 'application/x-www-form-urlencoded') {
    const fields: Record<string, string | string[]> = {};
    for (const [key, value] of new URLSearchParams(decode(body, isBase64Encoded))) {
      const previous = fields[key];
      fields[key] =
        previous === undefined ? value : [...(Array.isArray(previous) ? previous : [previous]), value];
    }
    return fields;
  }
  throw new UnsupportedMediaTypeError(
    `Unsupported content type ${JSON.stringify(contentType)}: send application/json or application/x-www-form-urlencoded`,
  );
}

/** True when the client prefers an HTML page to JSON, as a browser posting a plain form does. */
export function prefersHtml(event: APIGatewayProxyEventV2): boolean {
  const accept = event.headers.accept ?? '';
  const html = accept.indexOf('text/html');
  const json = accept.indexOf('application/json');
  return html !== -1 && (json === -1 || html < json);
}
