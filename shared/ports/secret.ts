/**
 * Port: a secret the deployment keeps out of the code, the configuration and the environment (a
 * key we sign with, a provider's token). Asked for each time it is needed, never held by the
 * caller: the adapter (shared/adapters/secrets.ts) caches it for a few minutes, so a value put
 * into the store reaches every function without a deploy or a restart.
 */
export type SecretReader = () => Promise<string>;
