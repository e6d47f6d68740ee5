/**
 * Secrets on a laptop. `openLocalSecrets` holds a generated value for each secret the topology
 * binds: kept in `secrets.json` beside the emulators' data (so cursors, SMS tracking codes and
 * the gateway URLs stay the same across restarts of `npm start`), or in memory for a runtime
 * without a data directory. `serveSecretsManager` answers the one Secrets Manager call the
 * functions make, `GetSecretValue`, from it, on its own port: the runtime points the SDK there
 * with AWS_ENDPOINT_URL_SECRETS_MANAGER, so the functions read secrets through the same adapter
 * and cache as in AWS (shared/adapters/secrets.ts), and a value rotated here reaches them as a
 * `put-secret-value` does in AWS: once their cached value is older than its maximum age.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import * as z from '../../shared/schema.ts';
import { readAwsJson, sendAwsJsonError } from './aws-json-protocol.ts';

const REGION = 'us-east-1';
const ACCOUNT = '000000000000';

/** The ARN a function is given for a secret locally, shaped as Secrets Manager's. */
export const localSecretArn = (name: string): string =>
  `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:civicloop/${name}-local`;

/** As random as the 48 characters the stack has Secrets Manager generate, in fewer of them. */
const generatedValue = (): string => randomBytes(32).toString('base64url');

const StoredSecrets = z.record(z.string(), z.string().check(z.minLength(1)));

interface Version {
  value: string;
  versionId: string;
  createdAt: Date;
}

export interface LocalSecrets {
  /** The secret names, as the topology binds them. */
  readonly names: readonly string[];
  /** The current value of a secret (what a test signs or addresses a gateway with). */
  value(name: string): string;
  /** Puts a new value (generated unless given), as `put-secret-value` would; returns it. */
  rotate(name: string, value?: string): string;
  /** The current version of the secret with this ARN or name, if there is one. */
  current(secretId: string): (Version & { name: string }) | undefined;
}

/**
 * The local value of every secret in `names`: read from `<dataDir>/secrets.json`, where missing
 * ones are generated and added (the file is readable by its owner only); without a data
 * directory, generated for this runtime alone.
 */
export function openLocalSecrets(names: readonly string[], dataDir?: string): LocalSecrets {
  const file = dataDir ? join(dataDir, 'secrets.json') : undefined;
  const stored: Record<string, string> =
    file && existsSync(file) ? StoredSecrets.parse(JSON.parse(readFileSync(file, 'utf8'))) : {};
  const versions = new Map<string, Version>();
  const save = () => {
    if (!file) return;
    const values = Object.fromEntries([...versions].map(([name, version]) => [name, version.value]));
    writeFileSync(file, `${JSON.stringify(values, null, 2)}\n`, { mode: 0o600 });
  };
  const put = (name: string, value: string) => {
    versions.set(name, { value, versionId: randomUUID(), createdAt: new Date() });
  };
  for (const name of names) put(name, stored[name] ?? generatedValue());
  save();

  const known = (name: string): Version => {
    const version = versions.get(name);
    if (!version) throw new Error(`no local secret named ${name}`);
    return version;
  };
  const byArn = new Map(names.map((name) => [localSecretArn(name), name]));
  return {
    names,
    value: (name) => known(name).value,
    rotate(name, value = generatedValue()) {
      known(name);
      put(name, value);
      save();
      return value;
    },
    current(secretId) {
      const name = byArn.get(secretId) ?? (versions.has(secretId) ? secretId : undefined);
      const version = name === undefined ? undefined : versions.get(name);
      return name === undefined || version === undefined ? undefined : { name, ...version };
    },
  };
}

const getSecretValueTarget = 'secretsmanager.GetSecretValue';
const MAX_REQUEST_BYTES = 64 * 1024;

const GetSecretValueRequest = z.object({
  SecretId: z.string(),
  VersionId: z.optional(z.string()),
  VersionStage: z.optional(z.string()),
});

export interface SecretsManagerServer {
  /** Base URL for AWS_ENDPOINT_URL_SECRETS_MANAGER. */
  endpoint: string;
  /** GetSecretValue calls answered so far (to see the functions' cache at work). */
  readonly reads: number;
  stop(): Promise<void>;
}

/**
 * Answers `GetSecretValue` for the current version of a local secret, by ARN or name, as Secrets
 * Manager does; `ResourceNotFoundException` for anything else it holds no value for (an older
 * version, an unknown secret), and every other call is refused.
 */
export async function serveSecretsManager(
  secrets: LocalSecrets,
  { host = '127.0.0.1' }: { host?: string } = {},
): Promise<SecretsManagerServer> {
  let reads = 0;
  const server = createServer(async (req, res) => {
    try {
      if (req.method !== 'POST' || req.headers['x-amz-target'] !== getSecretValueTarget) {
        sendAwsJsonError(
          res,
          'UnknownOperationException',
          'The local Secrets Manager only answers GetSecretValue',
        );
        return;
      }
      const request = GetSecretValueRequest.safeParse(await readAwsJson(req, MAX_REQUEST_BYTES));
      if (!request.success) {
        sendAwsJsonError(res, 'InvalidParameterException', 'Malformed GetSecretValue request');
        return;
      }
      const { SecretId, VersionId, VersionStage } = request.data;
      const version = secrets.current(SecretId);
      if (
        !version ||
        (VersionId !== undefined && VersionId !== version.versionId) ||
        (VersionStage !== undefined && VersionStage !== 'AWSCURRENT')
      ) {
        sendAwsJsonError(
          res,
          'ResourceNotFoundException',
          "Secrets Manager can't find the specified secret.",
        );
        return;
      }
      reads += 1;
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(
        JSON.stringify({
          ARN: localSecretArn(version.name),
          Name: `civicloop/${version.name}`,
          VersionId: version.versionId,
          SecretString: version.value,
          VersionStages: ['AWSCURRENT'],
          CreatedDate: version.createdAt.getTime() / 1000,
        }),
      );
    } catch {
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify({ __type: 'InternalServiceError', message: 'Internal error' }));
      } else res.end();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') {
    throw new Error('the Secrets Manager stand-in is not on TCP');
  }
  return {
    endpoint: `http://${host}:${address.port}`,
    get reads() {
      return reads;
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
