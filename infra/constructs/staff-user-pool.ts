/**
 * Staff identity in AWS: a Cognito user pool whose users carry their role and scope as custom
 * attributes (the `custom:` claims of shared/domain/staff.ts), the staff console's app client,
 * and what the staff functions verify the pool's ID tokens against (issuer, audience, key set).
 * They verify them themselves, not an API Gateway JWT authoriser, so that a refused token is
 * answered in the API's error shape: an HTTP API's authoriser answers a fixed
 * `{"message":"Unauthorized"}` that cannot be changed.
 * Residents have no accounts; only staff are in this pool.
 */
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';

/** The custom attributes, named as in the pool; tokens carry them as `custom:<name>`. */
export const staffAttributes = [
  'role',
  'displayName',
  'unitId',
  'townshipId',
  'communityId',
  'gridId',
] as const;

/** How long an ID token (and so a console session) lasts: Cognito's default, and the local one's. */
export const staffTokenValidity = Duration.hours(1);

// Mutable so an administrator can move a member of staff to another unit or role without a new
// account (which would change their `sub` and split their case history). Only administrators can
// change them (AdminUpdateUserAttributes, an IAM-authorised call): the console's client may not
// write them, see `writeAttributes` below.
const idAttribute = () => new cognito.StringAttribute({ minLen: 1, maxLen: 64, mutable: true });
const customAttributes: Record<(typeof staffAttributes)[number], cognito.ICustomAttribute> = {
  role: new cognito.StringAttribute({ minLen: 1, maxLen: 32, mutable: true }),
  displayName: new cognito.StringAttribute({ minLen: 1, maxLen: 64, mutable: true }),
  unitId: idAttribute(),
  townshipId: idAttribute(),
  communityId: idAttribute(),
  gridId: idAttribute(),
};

export class StaffUserPool extends Construct {
  readonly userPool: cognito.UserPool;
  readonly client: cognito.UserPoolClient;
  /**
   * What an ID token of this pool is checked against: its issuer (the pool's ProviderURL, which
   * names the right domain in every partition), its audience (the console client) and the URL
   * of the pool's signing keys.
   */
  readonly tokens: { issuer: string; audience: string; jwksUrl: string };

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const stackName = Stack.of(this).stackName;

    this.userPool = new cognito.UserPool(this, 'UserPool', {
      userPoolName: `${stackName}-staff`,
      // Administrators create staff accounts; nobody signs themselves up.
      selfSignUpEnabled: false,
      signInAliases: { username: true },
      signInCaseSensitive: false,
      customAttributes,
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
        passwordHistorySize: 5,
      },
      // No email or phone is kept for staff, so there is no self-service recovery: an
      // administrator resets the password.
      accountRecovery: cognito.AccountRecovery.NONE,
      mfa: cognito.Mfa.OPTIONAL,
      mfaSecondFactor: { sms: false, otp: true },
      // Plus: threat protection blocks sign-ins with credentials known to be leaked and adds
      // risk-based checks; staff accounts can read residents' phone numbers and fraud reports.
      featurePlan: cognito.FeaturePlan.PLUS,
      standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions-COG2',
      reason:
        'MFA is optional (TOTP only) until the staff console can answer an MFA challenge; USER_PASSWORD_AUTH sign-in cannot complete one yet. Plus-tier threat protection blocks leaked credentials and risky sign-ins meanwhile.',
    });

    // The standard `name` attribute is the person's name, which other staff see on what they did
    // (set by an administrator, like the custom attributes; `custom:displayName` is the fallback).
    const readAttributes = new cognito.ClientAttributes()
      .withStandardAttributes({ fullname: true })
      .withCustomAttributes(...staffAttributes);
    this.client = this.userPool.addClient('ConsoleClient', {
      userPoolClientName: `${stackName}-console`,
      // Only the sign-in function signs staff in, with the server-side flow (AdminInitiateAuth,
      // IAM-authorised), which hands threat protection the caller's address and device data.
      // Without the public USER_PASSWORD_AUTH flow the client id is not enough to try passwords
      // against the pool directly, around the edge's per-client limit. No secret: the flow needs
      // none.
      authFlows: { adminUserPassword: true },
      generateSecret: false,
      // Unknown users fail exactly like wrong passwords.
      preventUserExistenceErrors: true,
      idTokenValidity: staffTokenValidity,
      accessTokenValidity: staffTokenValidity,
      // The console never receives the refresh token; the shortest Cognito allows.
      refreshTokenValidity: Duration.minutes(60),
      // ID tokens carry the name, role and scope; nothing else about the user.
      readAttributes,
      // Staff must not change their own role or scope with their access token
      // (UpdateUserAttributes). An empty list would mean Cognito's default, which lets the client
      // write attributes, so one harmless standard attribute is named instead.
      writeAttributes: new cognito.ClientAttributes().withStandardAttributes({ locale: true }),
    });

    // What threat protection does with what it scores from each sign-in's context data (the
    // caller's address and device, sent by the sign-in function): credentials found in a leak
    // never sign in; a high-risk sign-in is blocked (the console shows the one wrong-credentials
    // message); a medium-risk one needs MFA where the account has it. Nobody is notified: staff
    // have no email in the pool.
    new cognito.CfnUserPoolRiskConfigurationAttachment(this, 'RiskConfiguration', {
      userPoolId: this.userPool.userPoolId,
      clientId: 'ALL',
      compromisedCredentialsRiskConfiguration: {
        actions: { eventAction: 'BLOCK' },
        eventFilter: ['SIGN_IN', 'PASSWORD_CHANGE'],
      },
      accountTakeoverRiskConfiguration: {
        actions: {
          highAction: { eventAction: 'BLOCK', notify: false },
          mediumAction: { eventAction: 'MFA_IF_CONFIGURED', notify: false },
          lowAction: { eventAction: 'NO_ACTION', notify: false },
        },
      },
    });

    this.tokens = {
      issuer: this.userPool.userPoolProviderUrl,
      audience: this.client.userPoolClientId,
      jwksUrl: `${this.userPool.userPoolProviderUrl}/.well-known/jwks.json`,
    };
  }
}
