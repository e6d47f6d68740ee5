/**
 * Composition root of staff-token verification, which every function behind a staff route
 * wears in its HTTP edge: the issuer, the audience and where the issuer's keys are, from the
 * environment the stack sets on those functions (the user pool's provider URL, the console
 * client's id, `<issuer>/.well-known/jwks.json`); the local runtime sets its issuer's.
 */
import { jwtStaffTokens, remoteKeys } from '../../shared/adapters/jwt-staff-tokens.ts';
import { loadConfig } from '../../shared/config.ts';
import { staffTokenEnv } from '../../shared/http/staff-identity.ts';
import type { StaffTokenVerifier } from '../../shared/ports/staff-tokens.ts';
import * as z from '../../shared/schema.ts';

const StaffTokenConfig = z.object({
  [staffTokenEnv.issuer]: z.string().check(z.minLength(1)),
  [staffTokenEnv.audience]: z.string().check(z.minLength(1), z.maxLength(128)),
  // Any host: a Cognito URL in AWS, the stand-in's 127.0.0.1 locally (z.httpUrl wants a domain).
  [staffTokenEnv.keys]: z.url({ protocol: /^https?$/ }),
});

export function staffTokenServices(env: NodeJS.ProcessEnv = process.env): {
  staffTokens: StaffTokenVerifier;
} {
  const config = loadConfig(StaffTokenConfig, env);
  return {
    staffTokens: jwtStaffTokens({
      issuer: config[staffTokenEnv.issuer],
      audience: config[staffTokenEnv.audience],
      // Module-level per container: built on the first invocation, kept with the handler.
      keys: remoteKeys(config[staffTokenEnv.keys]),
    }),
  };
}
