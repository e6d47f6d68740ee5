/**
 * Port: verifies a member of staff's ID token and gives back its claims. Cognito's keys in AWS;
 * the local runtime's issuer on a laptop. The staff routes' HTTP edge calls it on every request
 * (shared/http/staff-identity.ts); nothing else sees tokens.
 */

export interface StaffTokenVerifier {
  /**
   * The verified token's claims. Rejects with `UnauthorizedError` when the token is expired,
   * altered, signed by another key, meant for another issuer or client, or not an ID token, and
   * with `DependencyError` when the keys to check it against cannot be fetched.
   */
  verify(token: string): Promise<Readonly<Record<string, unknown>>>;
}
