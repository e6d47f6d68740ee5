/**
 * A small client of the staff HTTP API, for CLI commands whose rules the API enforces (who may
 * plan or cancel a campaign): signs in with `POST /api/session` and sends the ID token as
 * `Authorization: Bearer …`. Any answer other than 2xx becomes an ApiError carrying the API's error
 * envelope (code, message, field issues). The password only ever comes from the environment.
 */
import * as z from '../../shared/schema.ts';
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
    issues: z.optional(z.array(z.object({ path: z.string(), message: z.string() }))),
  }),
});
/** What API Gateway itself answers, e.g. `{"message":"Not Found"}` for a route it does not have. */
const GatewayError = z.object({ message: z.string() });

const SignedIn = z.object({ idToken: z.string().check(z.minLength(1)) });

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
  /** A GET answered with text (CSV): the body and the headers (e.g. the next chunk's cursor). */
  getText(path: string): Promise<{ text: string; headers: Headers }>;
  post(path: string, body: unknown): Promise<unknown>;
  delete(path: string): Promise<unknown>;
}

async function request(
  apiUrl: string,
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  body: unknown,
  token: string | undefined,
  accept: string,
): Promise<Response> {
  try {
    return await fetch(`${apiUrl}${path}`, {
      method,
      headers: {
        accept,
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
}

const jsonOf = (text: string): unknown => {
  try {
    return text === '' ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
};

/** A refusal as an ApiError: the API's error envelope, or API Gateway's own message. */
function refusal(response: Response, text: string): ApiError {
  const parsed = jsonOf(text);
  const envelope = ErrorEnvelope.safeParse(parsed);
  if (envelope.success) {
    const { code, message, issues } = envelope.data.error;
    return new ApiError(response.status, code, message, issues);
  }
  const gateway = GatewayError.safeParse(parsed);
  return new ApiError(
    response.status,
    'http_error',
    gateway.success ? gateway.data.message : `HTTP ${response.status} ${response.statusText}`.trim(),
  );
}

async function send(
  apiUrl: string,
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  body: unknown,
  token?: string,
): Promise<unknown> {
  const response = await request(apiUrl, method, path, body, token, 'application/json');
  const text = await response.text();
  if (!response.ok) throw refusal(response, text);
  const parsed = jsonOf(text);
  if (parsed === undefined) throw new ApiError(response.status, 'bad_response', 'the API answered no JSON');
  return parsed;
}

/** A GET whose answer is not JSON (a CSV chunk): its text and headers. */
async function sendForText(
  apiUrl: string,
  path: string,
  token: string,
): Promise<{ text: string; headers: Headers }> {
  const response = await request(apiUrl, 'GET', path, undefined, token, 'text/csv, application/json');
  // Not response.text(): it drops a leading byte-order mark, which a CSV for Excel must keep.
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await response.arrayBuffer());
  if (!response.ok) throw refusal(response, text);
  return { text, headers: response.headers };
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
    getText: (path) => sendForText(apiUrl, path, token),
    post: (path, body) => send(apiUrl, 'POST', path, body, token),
    delete: (path) => send(apiUrl, 'DELETE', path, undefined, token),
  };
}
