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

export interface StaffSignIn {
  /**
   * Resolves `undefined` for any wrong username or password alike, so that no caller can tell
   * which of the two was wrong. Other failures (the identity service is down) reject.
   */
  signIn(username: string, password: string): Promise<SignedIn | undefined>;
}
