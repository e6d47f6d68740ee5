/**
 * Reading secrets from Secrets Manager (shared/adapters/secrets.ts), against a mocked client:
 * nothing is read before it is asked for, a value is fetched once and kept for its maximum age,
 * then fetched again (a rotation arrives without a restart); failures are errors of the taxonomy
 * that name the secret and never carry a value.
 */
import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SECRET_MAX_AGE_SECONDS, SecretArn, secretReader } from '../../shared/adapters/secrets.ts';
import { ConfigError, DependencyError } from '../../shared/errors.ts';

const secretsManager = mockClient(SecretsManagerClient);
const arn = (name: string) => `arn:aws:secretsmanager:ap-east-1:123456789012:secret:Civicloop${name}-AbCdEf`;
const first = 'first-value-0123456789abcdefghijklmnop';
const second = 'second-value-0123456789abcdefghijklmno';

/** A provider of its own per test, so no test sees another's cache. */
const freshProvider = () =>
  new SecretsProvider({ awsSdkV3Client: new SecretsManagerClient({ region: 'ap-east-1' }) });
const reads = () => secretsManager.commandCalls(GetSecretValueCommand).length;

beforeEach(() => {
  secretsManager.reset();
  vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-12-01T08:00:00Z') });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('secretReader', () => {
  it('reads nothing until the value is asked for, then fetches it by ARN once and keeps it', async () => {
    secretsManager.on(GetSecretValueCommand).resolves({ SecretString: first });
    const read = secretReader(arn('Cursor'), { provider: freshProvider() });
    expect(reads()).toBe(0);

    expect(await read()).toBe(first);
    vi.advanceTimersByTime((SECRET_MAX_AGE_SECONDS - 1) * 1000);
    expect(await read()).toBe(first);
    expect(await read()).toBe(first);

    expect(reads()).toBe(1);
    expect(secretsManager.commandCalls(GetSecretValueCommand)[0]?.args[0].input).toEqual({
      SecretId: arn('Cursor'),
    });
  });

  it('fetches again once the value is older than its maximum age, so a new value arrives without a restart', async () => {
    secretsManager.on(GetSecretValueCommand).resolvesOnce({ SecretString: first }).resolves({
      SecretString: second,
    });
    const read = secretReader(arn('Gateway'), { provider: freshProvider() });
    expect(await read()).toBe(first);
    vi.advanceTimersByTime((SECRET_MAX_AGE_SECONDS + 1) * 1000);
    expect(await read()).toBe(second);
    expect(await read()).toBe(second);
    expect(reads()).toBe(2);
  });

  it('keeps a value five minutes by default, and as long as it is told', async () => {
    expect(SECRET_MAX_AGE_SECONDS).toBe(300);
    secretsManager.on(GetSecretValueCommand).resolves({ SecretString: first });
    const read = secretReader(arn('Short'), { provider: freshProvider(), maxAgeSeconds: 10 });
    await read();
    vi.advanceTimersByTime(11_000);
    await read();
    expect(reads()).toBe(2);
  });

  it('shares one client and one cache per cold start between readers of the same secret', async () => {
    secretsManager.on(GetSecretValueCommand).resolves({ SecretString: first });
    const [one, other] = [secretReader(arn('Shared')), secretReader(arn('Shared'))];
    expect(await one()).toBe(first);
    expect(await other()).toBe(first);
    expect(reads()).toBe(1);
  });

  it('is a DependencyError naming the secret when it cannot be read, and tries again next time', async () => {
    secretsManager
      .on(GetSecretValueCommand)
      .rejectsOnce(
        new ResourceNotFoundException({
          message: "Secrets Manager can't find the specified secret.",
          $metadata: { httpStatusCode: 400 },
        }),
      )
      .resolves({ SecretString: first });
    const read = secretReader(arn('Twilio'), { provider: freshProvider() });
    const failure = await read().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(DependencyError);
    expect(failure).toMatchObject({ message: expect.stringContaining(arn('Twilio')) });
    expect(await read()).toBe(first);
  });

  it('is a ConfigError that does not show the value when the value is too short or not text', async () => {
    const short = 'short-value';
    secretsManager
      .on(GetSecretValueCommand)
      .resolvesOnce({ SecretString: short })
      .resolves({ SecretBinary: new Uint8Array(48) });
    const provider = freshProvider();
    const failure = await secretReader(arn('Short'), { provider })().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ConfigError);
    expect(String(failure)).not.toContain(short);
    expect(JSON.stringify(failure)).not.toContain(short);
    expect(failure).toMatchObject({ message: expect.stringContaining(arn('Short')) });
    await expect(secretReader(arn('Binary'), { provider })()).rejects.toBeInstanceOf(ConfigError);
  });
});

describe('SecretArn', () => {
  it('takes a Secrets Manager ARN, in any partition, and refuses a value put where the ARN belongs', () => {
    expect(SecretArn.safeParse(arn('Cursor')).success).toBe(true);
    expect(
      SecretArn.safeParse('arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:civicloop/x-AbCdEf')
        .success,
    ).toBe(true);
    expect(SecretArn.safeParse(first).success).toBe(false);
    expect(SecretArn.safeParse('arn:aws:ssm:us-east-1:123456789012:parameter/x').success).toBe(false);
  });
});
