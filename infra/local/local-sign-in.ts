/**
 * Staff sign-in on a laptop. `LocalStaffSignIn` is the StaffSignIn port over the demo logins
 * (infra/demo/demo-staff.ts) and the local identity. `serveCognitoSignIn` puts it behind
 * the one Cognito API call the sign-in function makes, `AdminInitiateAuth` with
 * `ADMIN_USER_PASSWORD_AUTH`, on its own port: the runtime points the SDK there with
 * AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER, just as it points DynamoDB and SQS at dynalite and
 * fauxqs, so the function signs staff in through the same Cognito adapter in both runtimes. It
 * also publishes the local issuer's keys at `/.well-known/jwks.json`, where the staff functions
 * fetch them as they fetch Cognito's. Like Cognito, it refuses a request whose context data lacks a required field, and the public
 * `InitiateAuth` flow the stack's client does not allow.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { JSONWebKeySet } from 'jose';
import type { SignedIn, StaffSignIn } from '../../shared/ports/staff-sign-in.ts';
import * as z from '../../shared/schema.ts';
import { demoPassword, findDemoLogin } from '../demo/demo-staff.ts';
import { readAwsJson, sendAwsJsonError } from './aws-json-protocol.ts';
import { type LocalIdentity, tokenLifetimeSeconds } from './local-identity.ts';

/** Equal-length digests make the comparison constant-time whatever the lengths of the inputs. */
const sameSecret = (given: string, expected: string): boolean =>
  timingSafeEqual(
    createHash('sha256').update(given, 'utf8').digest(),
    createHash('sha256').update(expected, 'utf8').digest(),
  );

export class LocalStaffSignIn implements StaffSignIn {
  readonly #identity: LocalIdentity;

  constructor(identity: LocalIdentity) {
    this.#identity = identity;
  }

  // The demo logins have no risk checks, so the sign-in context goes unread.
  async signIn(username: string, password: string): Promise<SignedIn | undefined> {
    // Usernames are case-insensitive, as the stack's user pool is configured.
    const login = findDemoLogin(username.trim().toLowerCase());
    // Compared for unknown users too, so the answer takes as long whichever part is wrong.
    const passwordMatches = sameSecret(password, demoPassword);
    if (!login || !passwordMatches) return undefined;
    return {
      idToken: await this.#identity.issueToken(login.claims, { username: login.username }),
      expiresIn: tokenLifetimeSeconds,
    };
  }
}

const adminInitiateAuthTarget = 'AWSCognitoIdentityProviderService.AdminInitiateAuth';
const initiateAuthTarget = 'AWSCognitoIdentityProviderService.InitiateAuth';
const MAX_REQUEST_BYTES = 256 * 1024;
/** Where Cognito publishes a pool's keys, under its issuer URL. */
export const jwksPath = '/.well-known/jwks.json';

/** Cognito's ContextDataType: everything but EncodedData is required. */
const ContextData = z.object({
  IpAddress: z.string(),
  ServerName: z.string(),
  ServerPath: z.string(),
  HttpHeaders: z.array(z.object({ headerName: z.optional(z.string()), headerValue: z.optional(z.string()) })),
  EncodedData: z.optional(z.string()),
});

const AdminInitiateAuthRequest = z.object({
  AuthFlow: z.string(),
  UserPoolId: z.string(),
  ClientId: z.string(),
  AuthParameters: z.optional(z.record(z.string(), z.string())),
  ContextData: z.optional(ContextData),
});

export interface CognitoSignInServer {
  /** Base URL for AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER. */
  endpoint: string;
  stop(): Promise<void>;
}

export interface CognitoSignInOptions {
  userPoolId: string;
  clientId: string;
  host?: string;
  /** The key set to publish at `/.well-known/jwks.json` (the local identity's). */
  jwks?: () => JSONWebKeySet;
  /** Sees the context data of every sign-in attempt, as Cognito's threat protection would. */
  onContextData?: (contextData: z.infer<typeof ContextData> | undefined) => void;
}

/**
 * Answers `AdminInitiateAuth` (`ADMIN_USER_PASSWORD_AUTH`, for `userPoolId` and `clientId`) from
 * `signIn`, as Cognito does: the ID token in `AuthenticationResult`, or `NotAuthorizedException`
 * with one message for any wrong username or password. Every other call is refused.
 */
export async function serveCognitoSignIn(
  signIn: StaffSignIn,
  { userPoolId, clientId, host = '127.0.0.1', jwks, onContextData }: CognitoSignInOptions,
): Promise<CognitoSignInServer> {
  const server = createServer(async (req, res) => {
    try {
      if (req.method === 'GET' && req.url === jwksPath && jwks) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(jwks()));
        return;
      }
      const target = req.headers['x-amz-target'];
      if (req.method === 'POST' && target === initiateAuthTarget) {
        // The stack's console client allows only the server-side flow.
        sendAwsJsonError(
          res,
          'InvalidParameterException',
          'USER_PASSWORD_AUTH flow not enabled for this client',
        );
        return;
      }
      if (req.method !== 'POST' || target !== adminInitiateAuthTarget) {
        sendAwsJsonError(
          res,
          'UnknownOperationException',
          'The local Cognito stand-in only answers AdminInitiateAuth',
        );
        return;
      }
      const request = AdminInitiateAuthRequest.safeParse(await readAwsJson(req, MAX_REQUEST_BYTES));
      if (!request.success) {
        sendAwsJsonError(res, 'InvalidParameterException', 'Malformed AdminInitiateAuth request');
        return;
      }
      const { AuthFlow, UserPoolId, ClientId, AuthParameters = {}, ContextData: contextData } = request.data;
      if (UserPoolId !== userPoolId) {
        sendAwsJsonError(res, 'ResourceNotFoundException', `User pool ${UserPoolId} does not exist.`);
        return;
      }
      if (ClientId !== clientId) {
        sendAwsJsonError(res, 'ResourceNotFoundException', `User pool client ${ClientId} does not exist.`);
        return;
      }
      if (AuthFlow !== 'ADMIN_USER_PASSWORD_AUTH') {
        sendAwsJsonError(res, 'InvalidParameterException', `${AuthFlow} flow not enabled for this client`);
        return;
      }
      const { USERNAME: username, PASSWORD: password } = AuthParameters;
      if (username === undefined || password === undefined) {
        sendAwsJsonError(res, 'InvalidParameterException', 'Missing required parameter USERNAME or PASSWORD');
        return;
      }
      onContextData?.(contextData);
      const signedIn = await signIn.signIn(username, password, {
        ipAddress: contextData?.IpAddress ?? '',
        serverName: contextData?.ServerName ?? '',
        serverPath: contextData?.ServerPath ?? '',
        headers: (contextData?.HttpHeaders ?? []).map((header) => ({
          name: header.headerName ?? '',
          value: header.headerValue ?? '',
        })),
      });
      if (!signedIn) {
        sendAwsJsonError(res, 'NotAuthorizedException', 'Incorrect username or password.');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(
        JSON.stringify({
          ChallengeParameters: {},
          AuthenticationResult: {
            IdToken: signedIn.idToken,
            ExpiresIn: signedIn.expiresIn,
            TokenType: 'Bearer',
          },
        }),
      );
    } catch {
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify({ __type: 'InternalErrorException', message: 'Internal error' }));
      } else res.end();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the Cognito stand-in is not on TCP');
  return {
    endpoint: `http://${host}:${address.port}`,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
