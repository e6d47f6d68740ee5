/**
 * Port: exchanges a member of staff's username and password for an ID token. Cognito in AWS; the
 * local runtime's own issuer on a laptop. The token carries the staff claims (shared/domain/staff.ts)
 * that the gateway later verifies and hands to the staff routes.
 */

export interface SignedIn {
  /** A JWT whose claims include `sub` and the `custom:` staff attributes. */
  idToken: string;
  /** Seconds until the token expires. */
  expiresIn: number;
}

/**
 * Where a sign-in comes from, for the identity provider's risk checks (Cognito threat
 * protection's adaptive authentication): without it Cognito sees only the sign-in function.
 */
export interface SignInContext {
  /** The caller's IP address. */
  ipAddress: string;
  /** The host and path the caller signed in at. */
  serverName: string;
  serverPath: string;
  /** Request headers that describe the caller's device (user agent, languages); never credentials. */
  headers: { name: string; value: string }[];
  /** Device data the page collected with Cognito's context data library, when it did. */
  encodedData?: string;
}

export interface StaffSignIn {
  /**
   * Resolves `undefined` for any wrong username or password alike, so that no caller can tell
   * which of the two was wrong. Other failures (the identity service is down) reject.
   */
  signIn(username: string, password: string, context: SignInContext): Promise<SignedIn | undefined>;
}
