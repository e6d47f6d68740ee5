/**
 * The one error taxonomy. Domain and adapters throw these; the HTTP edge maps them to status
 * codes once (shared/http/error-response.ts). Anything else is an unknown error and becomes a
 * generic 500 that says nothing about the inside.
 */

export interface FieldIssue {
  /** Dotted path of the offending field, e.g. `location.lat`; empty for the whole body. */
  path: string;
  message: string;
}

export abstract class CivicloopError extends Error {
  abstract readonly code: string;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Input that does not meet the contract; names every bad field. */
export class ValidationError extends CivicloopError {
  readonly code = 'invalid_request';
  readonly issues: FieldIssue[];
  constructor(message: string, issues: FieldIssue[], options?: { cause?: unknown }) {
    super(message, options);
    this.issues = issues;
  }
}

export class MalformedBodyError extends CivicloopError {
  readonly code = 'malformed_body';
}

export class PayloadTooLargeError extends CivicloopError {
  readonly code = 'payload_too_large';
}

export class UnsupportedMediaTypeError extends CivicloopError {
  readonly code = 'unsupported_media_type';
}

export class NotFoundError extends CivicloopError {
  readonly code = 'not_found';
}

/** No valid staff identity came with a request that needs one: sign in (again). */
export class UnauthorizedError extends CivicloopError {
  readonly code = 'unauthorized';
}

/** The caller is signed in but may not do this, or their account lacks the scope its role needs. */
export class ForbiddenError extends CivicloopError {
  readonly code = 'forbidden';
}

/** A client went over its request limit (an Open311 partner's per-minute limit); try after `retryAfterSeconds`. */
export class RateLimitedError extends CivicloopError {
  readonly code = 'rate_limited';
  readonly retryAfterSeconds: number;
  constructor(message: string, retryAfterSeconds: number, options?: { cause?: unknown }) {
    super(message, options);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** The same Idempotency-Key was sent with a different request body, or is still being processed. */
export class IdempotencyConflictError extends CivicloopError {
  readonly code = 'idempotency_conflict';
}

/** A case's stored state contradicts what a message claims (e.g. a tracking-code collision). */
export class CaseConflictError extends CivicloopError {
  readonly code = 'case_conflict';
}

/** A downstream service (DynamoDB, SQS) failed; the caller may retry. */
export class DependencyError extends CivicloopError {
  readonly code = 'dependency_unavailable';
}

/**
 * A message the provider refused for good (an invalid or unreachable number, an opted-out
 * destination, no sender identity): retrying cannot help.
 */
export class UndeliverableError extends CivicloopError {
  readonly code = 'undeliverable';
}

/**
 * A send whose outcome is unknown (the request went out, no answer came back). For text
 * messages, which providers cannot deduplicate, it must not be repeated.
 */
export class DeliveryUnconfirmedError extends CivicloopError {
  readonly code = 'delivery_unconfirmed';
}

/** Startup configuration is missing or malformed: fail the cold start, loudly. */
export class ConfigError extends CivicloopError {
  readonly code = 'config_invalid';
}

/** A case is not where the caller thought: carries its current version and what is allowed now. */
export abstract class CaseStateError extends CivicloopError {
  readonly currentVersion: number;
  readonly allowedActions: string[];
  constructor(
    message: string,
    currentVersion: number,
    allowedActions: string[],
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.currentVersion = currentVersion;
    this.allowedActions = allowedActions;
  }
}

/** Someone else changed the case first: the client reloads and decides again. */
export class VersionConflictError extends CaseStateError {
  readonly code = 'version_conflict';
}

/** The action is not possible from the case's current stage; names the ones that are. */
export class TransitionNotAllowedError extends CaseStateError {
  readonly code = 'transition_not_allowed';
}
