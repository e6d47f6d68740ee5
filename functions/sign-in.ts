/**
 * POST /api/session — a member of staff signs in with `{ username, password }` (JSON or a form
 * post). 200 with the ID token the console sends as `Authorization: Bearer …` to the staff
 * routes, its lifetime in seconds, and who it names; 401 with one message for every wrong username
 * or password, never saying which. Signs in through Cognito in both runtimes (locally the SDK
 * reaches the runtime's stand-in; see infra/local/local-sign-in.ts), handing it where the sign-in
 * comes from — the caller's address, device headers and, when the page collected it with
 * Cognito's context data library, `deviceData` — for threat protection's risk checks.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { decodeJwt } from 'jose';
import { DependencyError, UnauthorizedError } from '../shared/errors.ts';
import { clientAddress } from '../shared/http/edge-origin.ts';
import { httpEdge } from '../shared/http/http-edge.ts';
import { limitBodySize, readRequestBody } from '../shared/http/request-body.ts';
import { type HttpResponse, jsonResponse } from '../shared/http/responses.ts';
import { staffFromTokenClaims } from '../shared/http/staff-identity.ts';
import { createLogger } from '../shared/logger.ts';
import type { SignInContext, StaffSignIn } from '../shared/ports/staff-sign-in.ts';
import * as z from '../shared/schema.ts';
import { parseOrThrow } from '../shared/validation.ts';
import { onFirstInvocation } from './wiring/on-first-invocation.ts';
import { signInServices } from './wiring/staff-sign-in.ts';

/** Credentials are small; Cognito's encoded device data is a few kilobytes. */
export const MAX_BODY_BYTES = 24 * 1024;

/** Headers that describe the caller's device to Cognito's risk checks; never credentials or cookies. */
const deviceHeaders = ['user-agent', 'accept', 'accept-language', 'origin', 'referer'] as const;

/** The one answer to a wrong username, a wrong password, or both. */
export const wrongCredentialsMessage = 'The username or password is not correct.';

export interface SignInHandlerDeps {
  logger: Logger;
  staffSignIn: StaffSignIn;
}

const Credentials = z.object({
  username: z.string().check(z.trim(), z.minLength(1), z.maxLength(128)),
  password: z.string().check(z.minLength(1), z.maxLength(256)),
  /** `AmazonCognitoAdvancedSecurityData.getData(…)` from the sign-in page, when it ran. */
  deviceData: z.optional(z.string().check(z.minLength(1), z.maxLength(16 * 1024))),
});

/** Where the sign-in comes from, as Cognito's adaptive authentication wants to know it. */
function signInContext(event: APIGatewayProxyEventV2, encodedData: string | undefined): SignInContext {
  return {
    ipAddress: clientAddress(event),
    serverName: event.requestContext.domainName,
    serverPath: event.rawPath,
    headers: deviceHeaders.flatMap((name) => {
      const value = event.headers[name];
      return value === undefined ? [] : [{ name, value }];
    }),
    ...(encodedData === undefined ? {} : { encodedData }),
  };
}

/** The ID token's claims. It came straight from the issuer over TLS, so it is read, not verified. */
function claimsOf(idToken: string): Record<string, unknown> {
  try {
    return decodeJwt(idToken);
  } catch (error) {
    throw new DependencyError('the identity provider returned a malformed ID token', { cause: error });
  }
}

export const makeHandler = (deps: SignInHandlerDeps) =>
  middy<APIGatewayProxyEventV2, HttpResponse>()
    .use(httpEdge({ logger: deps.logger }))
    .use(limitBodySize(MAX_BODY_BYTES))
    .handler(async (event) => {
      const { username, password, deviceData } = parseOrThrow(
        Credentials,
        readRequestBody(event),
        'The sign-in',
      );
      const signedIn = await deps.staffSignIn.signIn(username, password, signInContext(event, deviceData));
      if (!signedIn) throw new UnauthorizedError(wrongCredentialsMessage);
      // Who the token names, so the console can show the right views without decoding it; a
      // user without a usable role and scope is refused here (403) rather than on every call.
      const staff = staffFromTokenClaims(claimsOf(signedIn.idToken));
      deps.logger.info('signed in', { userId: staff.userId, role: staff.role });
      return jsonResponse(200, { idToken: signedIn.idToken, expiresIn: signedIn.expiresIn, staff });
    });

export const handler = onFirstInvocation(() =>
  makeHandler({ logger: createLogger('sign-in'), ...signInServices() }),
);
