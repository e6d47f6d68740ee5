/**
 * The AWS JSON protocol (`application/x-amz-json-1.1`) as the local stand-ins for Cognito's
 * sign-in and Secrets Manager speak it: a request body read with a size bound, and errors shaped
 * so the real SDK raises its own exception classes.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readJsonBody } from './http-bodies.ts';

/** An error the way the AWS JSON protocol sends it (`__type`, `x-amzn-errortype`). */
export function sendAwsJsonError(res: ServerResponse, type: string, message: string): void {
  res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': type });
  res.end(JSON.stringify({ __type: type, message }));
}

/** The request's JSON body, or undefined when it is larger than `maxBytes` or not JSON. */
export async function readAwsJson(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  try {
    return await readJsonBody(req, maxBytes);
  } catch {
    return undefined;
  }
}
