/**
 * The HTTP edge every API function wears: normalised headers, Powertools logging with the Lambda
 * context, one access-log line per request (no personal data), the check that the request came
 * through the CloudFront edge where there is one (edge-origin.ts), on staff routes the staff
 * token's verification (staff-identity.ts), and the one place where errors become HTTP answers. Known errors map to their status; anything else is a generic 500.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { MiddlewareObj } from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import {
  CaseConflictError,
  CaseStateError,
  CivicloopError,
  DependencyError,
  ForbiddenError,
  IdempotencyConflictError,
  MalformedBodyError,
  NotFoundError,
  PayloadTooLargeError,
  RateLimitedError,
  UnauthorizedError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '../errors.ts';
import type { StaffTokenVerifier } from '../ports/staff-tokens.ts';
import { requireEdgeOrigin } from './edge-origin.ts';
import { errorResponse, type HttpResponse } from './responses.ts';
import { authenticateStaff } from './staff-identity.ts';

const statusOf = (error: CivicloopError): number => {
  if (error instanceof ValidationError || error instanceof MalformedBodyError) return 400;
  if (error instanceof UnauthorizedError) return 401;
  if (error instanceof ForbiddenError) return 403;
  if (error instanceof NotFoundError) return 404;
  if (
    error instanceof IdempotencyConflictError ||
    error instanceof CaseConflictError ||
    error instanceof CaseStateError
  ) {
    return 409;
  }
  if (error instanceof PayloadTooLargeError) return 413;
  if (error instanceof RateLimitedError) return 429;
  if (error instanceof UnsupportedMediaTypeError) return 415;
  if (error instanceof DependencyError) return 503;
  return 500;
};

export function toHttpError(error: unknown): HttpResponse {
  const known = error instanceof CivicloopError ? error : undefined;
  const status = known ? statusOf(known) : 500;
  if (!known || status === 500)
    return errorResponse(500, {
      code: 'internal',
      message: 'Something went wrong on our side. Please try again.',
    });
  return errorResponse(status, {
    code: known.code,
    message: known.message,
    ...(known instanceof ValidationError ? { issues: known.issues } : {}),
    ...(known instanceof CaseStateError
      ? { currentVersion: known.currentVersion, allowedActions: known.allowedActions }
      : {}),
  });
}

export interface HttpEdgeOptions {
  logger: Logger;
  /** On staff routes: every request must carry a staff token this verifies, or is answered 401. */
  staffTokens?: StaffTokenVerifier;
}

/** Middlewares in the order to `.use()` them; the edge must come first so its onError runs last. */
export function httpEdge({ logger, staffTokens }: HttpEdgeOptions): MiddlewareObj<APIGatewayProxyEventV2>[] {
  const started = new WeakMap<object, number>();
  const accessLog: MiddlewareObj<APIGatewayProxyEventV2, HttpResponse> = {
    before: (request) => {
      started.set(request, performance.now());
    },
    after: (request) => {
      logRequest(request.event, request.response?.statusCode ?? 200, started.get(request));
    },
    onError: (request) => {
      const response = toHttpError(request.error);
      if (response.statusCode >= 500) {
        logger.error('request failed', { error: request.error });
      } else {
        logger.info('request rejected', {
          code: request.error instanceof Error ? request.error.name : 'unknown',
        });
      }
      logRequest(request.event, response.statusCode, started.get(request));
      request.response = response;
    },
  };
  const logRequest = (event: APIGatewayProxyEventV2, status: number, t0: number | undefined) => {
    logger.info('http', {
      route: event.routeKey,
      status,
      ms: t0 === undefined ? undefined : Math.round(performance.now() - t0),
    });
  };
  return [
    accessLog,
    injectLambdaContext(logger, { resetKeys: true }),
    httpHeaderNormalizer(),
    requireEdgeOrigin(),
    ...(staffTokens ? [authenticateStaff(staffTokens)] : []),
  ];
}
