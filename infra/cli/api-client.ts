/**
 * A small client of the staff HTTP API, for CLI commands whose rules the API enforces (who may
 * plan or cancel a campaign): signs in with `POST /api/session` and sends the ID token as
 * `Authorization: Bearer …`. Any answer other than 2xx becomes an ApiError carrying the API's error
 * envelope (code, message, field issues). The password only ever comes from the environment.
 */
import * as z from 'zod';
import { TargetError } from './targets.ts';

const REQUEST_TIMEOUT_MS = 30_000;

export interface FieldIssue {
  path: string;
  message: string;
}

const ErrorEnvelope = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});
/** What API Gateway itself answers, e.g. `{"message":"Not Found"}` for a route it does not have. */
const GatewayError = z.object({ message: z.string() });

const SignedIn = z.object({ idToken: z.string().min(1) });

export class ApiError extends Error {
  override name = 'ApiError';
  readonly status: number;
  readonly code: string;
  readonly issues: FieldIssue[];

  constructor(status: number, code: string, message: string, issues: FieldIssue[] = []) {
    super(message);
    this.status = status;
    this.code = code;
    this.issues = issues;
  }
}

export interface Credentials {
  username: string;
  password: string;
}

/**
 * The sign-in: the username from `--user` or CIVICLOOP_USERNAME, the password from
 * CIVICLOOP_PASSWORD (never a flag: it would end up in the shell history). Undefined if either is missing.
 */
export function credentialsFrom(
  env: Record<string, string | undefined>,
  userFlag: string | undefined,
): Credentials | undefined {
  const username = userFlag || env.CIVICLOOP_USERNAME;
  const password = env.CIVICLOOP_PASSWORD;
  return username && password ? { username, password } : undefined;
}

export interface StaffApi {
  apiUrl: string;
  username: string;
  get(path: string): Promise<unknown>;
  post(path: string, body: unknown): Promise<unknown>;
  delete(path: string): Promise<unknown>;
}

async function send(
  apiUrl: string,
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  body: unknown,
  token?: string,
): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(`${apiUrl}${path}`, {
      method,
      headers: {
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
    throw new TargetError(
      `cannot reach the API at ${apiUrl}: ${cause instanceof Error ? cause.message : String(cause)}`,
    );
  }
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (response.ok) {
    if (parsed === undefined) throw new ApiError(response.status, 'bad_response', 'the API answered no JSON');
    return parsed;
  }
  const envelope = ErrorEnvelope.safeParse(parsed);
  if (envelope.success) {
    const { code, message, issues } = envelope.data.error;
    throw new ApiError(response.status, code, message, issues);
  }
  const gateway = GatewayError.safeParse(parsed);
  throw new ApiError(
    response.status,
    'http_error',
    gateway.success ? gateway.data.message : `HTTP ${response.status} ${response.statusText}`.trim(),
  );
}

/** Signs in and returns a client that sends the ID token; an ApiError (401) for wrong credentials. */
export async function signIn(apiUrl: string, credentials: Credentials): Promise<StaffApi> {
  const session = SignedIn.safeParse(await send(apiUrl, 'POST', '/api/session', credentials));
  if (!session.success) throw new ApiError(200, 'bad_response', 'the sign-in answered no ID token');
  const token = session.data.idToken;
  return {
    apiUrl,
    username: credentials.username,
    get: (path) => send(apiUrl, 'GET', path, undefined, token),
    post: (path, body) => send(apiUrl, 'POST', path, body, token),
    delete: (path) => send(apiUrl, 'DELETE', path, undefined, token),
  };
}
