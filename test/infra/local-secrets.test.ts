/**
 * The local runtime's secrets (infra/local/local-secrets.ts): generated once per data directory
 * and kept there, so a restart of `npm start` keeps cursors, SMS tracking codes and the gateway
 * URLs; served as Secrets Manager serves them, so the functions' own reader reads them, and a
 * value rotated here reaches a reader once its cached value is older than the maximum age.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  type LocalSecrets,
  localSecretArn,
  openLocalSecrets,
  type SecretsManagerServer,
  serveSecretsManager,
} from '../../infra/local/local-secrets.ts';
import { secretsOf, topology } from '../../infra/topology.ts';
import { SECRET_MAX_AGE_SECONDS, SecretArn, secretReader } from '../../shared/adapters/secrets.ts';
import { DependencyError } from '../../shared/errors.ts';

const names = ['cursorSecret', 'twilioAuthToken'];

describe('the local secret store', () => {
  const dirs: string[] = [];
  const dataDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'civicloop-secrets-'));
    dirs.push(dir);
    return dir;
  };
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('generates a long random value for every secret the topology binds', () => {
    const all = secretsOf(topology).map((s) => s.name);
    expect(all.sort()).toEqual([
      'cursorSecret',
      'partnerKeyPepper',
      'smsGatewaySecret',
      'trackingCodeSecret',
      'twilioAuthToken',
      'wecomAppSecret',
      'wecomCallbackToken',
      'wecomCorpId',
      'wecomEncodingAesKey',
    ]);
    const secrets = openLocalSecrets(all);
    const values = all.map((name) => secrets.value(name));
    for (const value of values) expect(value.length).toBeGreaterThanOrEqual(32);
    expect(new Set(values).size).toBe(all.length);
  });

  it('keeps the values in the data directory, readable by its owner only, and finds them after a restart', () => {
    const dir = dataDir();
    const before = openLocalSecrets(names, dir);
    expect(statSync(join(dir, 'secrets.json')).mode & 0o777).toBe(0o600);
    const after = openLocalSecrets([...names, 'smsGatewaySecret'], dir);
    for (const name of names) expect(after.value(name)).toBe(before.value(name));
    // A secret the topology gained since is generated and kept beside the others.
    const added = after.value('smsGatewaySecret');
    expect(openLocalSecrets(['smsGatewaySecret'], dir).value('smsGatewaySecret')).toBe(added);
  });

  it('keeps a rotated value for the next start, and generates anew without a data directory', () => {
    const dir = dataDir();
    const rotated = openLocalSecrets(names, dir).rotate('cursorSecret');
    expect(openLocalSecrets(names, dir).value('cursorSecret')).toBe(rotated);
    expect(JSON.parse(readFileSync(join(dir, 'secrets.json'), 'utf8'))).toMatchObject({
      cursorSecret: rotated,
    });
    expect(openLocalSecrets(names).value('cursorSecret')).not.toBe(
      openLocalSecrets(names).value('cursorSecret'),
    );
  });

  it('names each secret by an ARN the functions accept', () => {
    for (const name of names) expect(SecretArn.safeParse(localSecretArn(name)).success).toBe(true);
  });
});

describe('the local Secrets Manager', () => {
  let secrets: LocalSecrets;
  let server: SecretsManagerServer;
  beforeAll(async () => {
    secrets = openLocalSecrets(names);
    server = await serveSecretsManager(secrets);
  });
  afterAll(async () => {
    await server?.stop();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  /** What a function builds: a reader over a client the endpoint variable points here. */
  const readerOf = (secretId: string, options: { VersionStage?: string } = {}) => {
    const client = new SecretsManagerClient({
      endpoint: server.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const provider = new SecretsProvider({ awsSdkV3Client: client });
    if (options.VersionStage === undefined) return secretReader(secretId, { provider });
    const stage = options.VersionStage;
    return () => provider.get(secretId, { sdkOptions: { VersionStage: stage }, forceFetch: true });
  };

  it("answers GetSecretValue with the secret's current value, by ARN", async () => {
    expect(await readerOf(localSecretArn('twilioAuthToken'))()).toBe(secrets.value('twilioAuthToken'));
  });

  it('hands a reader a rotated value once its cached one is older than the maximum age, not before', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-12-01T08:00:00Z') });
    const read = readerOf(localSecretArn('cursorSecret'));
    const old = await read();
    const readsBefore = server.reads;

    const rotated = secrets.rotate('cursorSecret');
    expect(rotated).not.toBe(old);
    vi.advanceTimersByTime((SECRET_MAX_AGE_SECONDS - 1) * 1000);
    expect(await read()).toBe(old);
    expect(server.reads).toBe(readsBefore);

    vi.advanceTimersByTime(2000);
    expect(await read()).toBe(rotated);
    expect(server.reads).toBe(readsBefore + 1);
  });

  it('finds no secret it holds no value for, which the reader reports as a DependencyError', async () => {
    await expect(readerOf(localSecretArn('unknown'))()).rejects.toBeInstanceOf(DependencyError);
    // Only the current value exists locally.
    await expect(readerOf(localSecretArn('cursorSecret'), { VersionStage: 'AWSPREVIOUS' })()).rejects.toThrow(
      /can't find/,
    );
  });

  it('refuses every call but GetSecretValue', async () => {
    const response = await fetch(server.endpoint, {
      method: 'POST',
      headers: {
        'x-amz-target': 'secretsmanager.PutSecretValue',
        'content-type': 'application/x-amz-json-1.1',
      },
      body: JSON.stringify({ SecretId: localSecretArn('cursorSecret'), SecretString: 'x'.repeat(40) }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ __type: 'UnknownOperationException' });
  });
});
