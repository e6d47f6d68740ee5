/**
 * Secrets from AWS Secrets Manager, read at run time. A function's environment names each of its
 * secrets by ARN (`…_ARN`, set by infra/constructs/civic-function.ts) and never holds a value. The
 * Secrets Manager client is built once per cold start, on first use; a value is fetched the first
 * time it is asked for and kept for `SECRET_MAX_AGE_SECONDS`, then fetched again, so a value put
 * into the secret (a rotation) reaches every warm function within that time, without a deploy.
 * Locally the runtime answers the same call from values it generated (infra/local/local-secrets.ts).
 *
 * Built on Powertools' SecretsProvider, whose cache this is. A value never appears in an error or
 * a log: a secret that cannot be read is a DependencyError (the caller answers 503 or has the
 * message delivered again), a value unfit for use a ConfigError; both name the secret's ARN only.
 */
import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ConfigError, DependencyError } from '../errors.ts';
import type { SecretReader } from '../ports/secret.ts';
import * as z from '../schema.ts';

/**
 * How long a value is used before it is fetched again: the longest a rotation takes to reach a
 * warm function. One GetSecretValue per secret per warm function every five minutes costs nothing
 * worth counting ($0.05 per 10,000 calls).
 */
export const SECRET_MAX_AGE_SECONDS = 300;

/** A Secrets Manager secret's ARN, as a function's configuration names it. */
export const SecretArn = z
  .string()
  .check(
    z.regex(
      /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[\w/+=.@-]+$/,
      'expected the ARN of a Secrets Manager secret',
    ),
  );

let coldStartProvider: SecretsProvider | undefined;

/** The cold start's one provider: one client, one cache for every secret the function reads. */
const sharedProvider = (): SecretsProvider => {
  coldStartProvider ??= new SecretsProvider({ awsSdkV3Client: new SecretsManagerClient({ maxAttempts: 3 }) });
  return coldStartProvider;
};

export interface SecretReaderOptions {
  /** Shorter values are refused: a key we sign with must be too long to guess. Default 32. */
  minLength?: number;
  maxAgeSeconds?: number;
  /** The provider to read through; the cold start's own by default (tests pass their own). */
  provider?: SecretsProvider;
}

/** Reads the secret `arn` when asked, from the cache while it is younger than `maxAgeSeconds`. */
export function secretReader(arn: string, options: SecretReaderOptions = {}): SecretReader {
  const { minLength = 32, maxAgeSeconds = SECRET_MAX_AGE_SECONDS } = options;
  return async () => {
    let value: string | Uint8Array | undefined;
    try {
      value = await (options.provider ?? sharedProvider()).get(arn, { maxAge: maxAgeSeconds });
    } catch (error) {
      throw new DependencyError(`The secret ${arn} could not be read`, { cause: error });
    }
    if (typeof value !== 'string' || value.length < minLength) {
      throw new ConfigError(`The secret ${arn} must hold text of at least ${minLength} characters`);
    }
    return value;
  };
}
