/**
 * Composition root of staff sign-in (sign-in): Cognito's user pool and app client. In AWS the SDK
 * reaches Cognito; the local runtime points the same client at its stand-in.
 */
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { CognitoStaffSignIn } from '../../shared/adapters/cognito-sign-in.ts';
import { loadConfig } from '../../shared/config.ts';
import type { StaffSignIn } from '../../shared/ports/staff-sign-in.ts';
import * as z from '../../shared/schema.ts';

export function signInServices(env: NodeJS.ProcessEnv = process.env): { staffSignIn: StaffSignIn } {
  const config = loadConfig(
    z.object({
      USER_POOL_ID: z.string().check(z.minLength(1), z.maxLength(128)),
      USER_POOL_CLIENT_ID: z.string().check(z.minLength(1), z.maxLength(128)),
    }),
    env,
  );
  return {
    staffSignIn: new CognitoStaffSignIn(new CognitoIdentityProviderClient({ maxAttempts: 3 }), {
      userPoolId: config.USER_POOL_ID,
      clientId: config.USER_POOL_CLIENT_ID,
    }),
  };
}
