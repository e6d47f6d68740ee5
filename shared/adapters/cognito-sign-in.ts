/**
 * The StaffSignIn port on Cognito: `AdminInitiateAuth` with `ADMIN_USER_PASSWORD_AUTH` on the
 * staff user pool and the console's app client, answering with the ID token, which carries the
 * `custom:` staff attributes the access token lacks. Used in both runtimes: locally the SDK is
 * pointed at the runtime's stand-in by AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER
 * (infra/local/local-sign-in.ts).
 *
 * Why the server-side call rather than the public `InitiateAuth`: it carries the caller's context
 * data (IP address, headers, device data) that threat protection's adaptive authentication
 * scores; `InitiateAuth` from a client without a secret cannot pass the IP address, so Cognito
 * would judge every sign-in by the sign-in function's own address. It is also IAM-authorised, so
 * the console's client id alone no longer lets anyone try passwords against the pool directly,
 * around the edge's per-client limit.
 */
import {
  AdminInitiateAuthCommand,
  type AdminInitiateAuthCommandOutput,
  type CognitoIdentityProviderClient,
  type ContextDataType,
} from '@aws-sdk/client-cognito-identity-provider';
import { DependencyError, ForbiddenError } from '../errors.ts';
import type { SignedIn, SignInContext, StaffSignIn } from '../ports/staff-sign-in.ts';

/**
 * Cognito's answers to credentials that do not sign in. All become "wrong username or
 * password": with the client's prevent-user-existence-errors setting Cognito already folds
 * unknown users into NotAuthorizedException; the others would tell a guesser the account exists.
 */
const rejectedCredentials = new Set([
  'NotAuthorizedException',
  'UserNotFoundException',
  'UserNotConfirmedException',
  'PasswordResetRequiredException',
]);

export interface StaffUserPoolClient {
  userPoolId: string;
  clientId: string;
}

/** The context in Cognito's shape for server-side sign-ins. */
export const toContextData = (context: SignInContext): ContextDataType => ({
  IpAddress: context.ipAddress,
  ServerName: context.serverName,
  ServerPath: context.serverPath,
  HttpHeaders: context.headers.map(({ name, value }) => ({ headerName: name, headerValue: value })),
  ...(context.encodedData === undefined ? {} : { EncodedData: context.encodedData }),
});

export class CognitoStaffSignIn implements StaffSignIn {
  readonly #cognito: CognitoIdentityProviderClient;
  readonly #pool: StaffUserPoolClient;

  constructor(cognito: CognitoIdentityProviderClient, pool: StaffUserPoolClient) {
    this.#cognito = cognito;
    this.#pool = pool;
  }

  async signIn(username: string, password: string, context: SignInContext): Promise<SignedIn | undefined> {
    const output = await this.#initiateAuth(username, password, context);
    if (!output) return undefined;
    if (output.ChallengeName) {
      // The password was right, but Cognito wants another step (a new password for an account an
      // administrator created, or MFA) that this console does not offer yet.
      throw new ForbiddenError(
        'This account must finish its setup before it can sign in here. Ask an administrator.',
      );
    }
    const idToken = output.AuthenticationResult?.IdToken;
    const expiresIn = output.AuthenticationResult?.ExpiresIn;
    if (!idToken || expiresIn === undefined) {
      throw new DependencyError('Cognito signed in without returning an ID token');
    }
    return { idToken, expiresIn };
  }

  /** Cognito's answer, or `undefined` when it refused the credentials. */
  async #initiateAuth(
    username: string,
    password: string,
    context: SignInContext,
  ): Promise<AdminInitiateAuthCommandOutput | undefined> {
    try {
      return await this.#cognito.send(
        new AdminInitiateAuthCommand({
          AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
          UserPoolId: this.#pool.userPoolId,
          ClientId: this.#pool.clientId,
          AuthParameters: { USERNAME: username, PASSWORD: password },
          ContextData: toContextData(context),
        }),
      );
    } catch (error) {
      if (error instanceof Error && rejectedCredentials.has(error.name)) return undefined;
      throw new DependencyError('signing in with Cognito failed', { cause: error });
    }
  }
}
