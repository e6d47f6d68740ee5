/**
 * The StaffSignIn port on Cognito: `InitiateAuth` with `USER_PASSWORD_AUTH` against the console's
 * app client (no secret), answering with the ID token, which carries the `custom:` staff
 * attributes the access token lacks. Used in both runtimes: locally the SDK is pointed at the
 * runtime's stand-in by AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER (infra/local/local-sign-in.ts).
 * InitiateAuth is an unauthenticated API, so the function needs no IAM permission for it.
 */
import {
  type CognitoIdentityProviderClient,
  InitiateAuthCommand,
  type InitiateAuthCommandOutput,
} from '@aws-sdk/client-cognito-identity-provider';
import { DependencyError, ForbiddenError } from '../errors.ts';
import type { SignedIn, StaffSignIn } from '../ports/staff-sign-in.ts';

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

export class CognitoStaffSignIn implements StaffSignIn {
  readonly #cognito: CognitoIdentityProviderClient;
  readonly #clientId: string;

  constructor(cognito: CognitoIdentityProviderClient, clientId: string) {
    this.#cognito = cognito;
    this.#clientId = clientId;
  }

  async signIn(username: string, password: string): Promise<SignedIn | undefined> {
    const output = await this.#initiateAuth(username, password);
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
  async #initiateAuth(username: string, password: string): Promise<InitiateAuthCommandOutput | undefined> {
    try {
      return await this.#cognito.send(
        new InitiateAuthCommand({
          AuthFlow: 'USER_PASSWORD_AUTH',
          ClientId: this.#clientId,
          AuthParameters: { USERNAME: username, PASSWORD: password },
        }),
      );
    } catch (error) {
      if (error instanceof Error && rejectedCredentials.has(error.name)) return undefined;
      throw new DependencyError('signing in with Cognito failed', { cause: error });
    }
  }
}
