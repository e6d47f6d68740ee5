/**
 * The whole system on a laptop, in one process: dynalite and fauxqs, the topology's tables and
 * queues, the real handler modules behind an HTTP gateway, queue pollers and schedules. The
 * handlers reach the emulators through the same SDK adapters they use in AWS, pointed here by the
 * standard AWS_ENDPOINT_URL_* variables. Staff identity is local too: an in-memory JWT issuer
 * (local-identity.ts) whose key set the staff functions fetch and verify tokens against, as they
 * do Cognito's, and a stand-in for Cognito's sign-in call (local-sign-in.ts) that accepts the
 * demo logins. Secrets are the runtime's own generated values, which the functions read through
 * a stand-in for Secrets Manager (local-secrets.ts), kept with the data directory.
 */
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SNSEvent } from 'aws-lambda';
import { createDocumentClient } from '../../shared/adapters/aws-clients.ts';
import { DynamoDbDirectory } from '../../shared/adapters/dynamodb-directory.ts';
import { DynamoDbPolicies } from '../../shared/adapters/dynamodb-policies.ts';
import { localOutbox } from '../../shared/adapters/local-outbox.ts';
import type { StaffClaims } from '../../shared/domain/staff.ts';
import { staffTokenEnv } from '../../shared/http/staff-identity.ts';
import { unitIds } from '../../shared/reference/county-structure.ts';
import { defaultPolicies } from '../../shared/reference/default-policies.ts';
import type { ClientLimit } from '../client-limits.ts';
import { demoOrganisation } from '../demo/demo-organisation.ts';
import { findDemoLogin } from '../demo/demo-staff.ts';
import { secretsOf, topology as systemTopology, type Topology } from '../topology.ts';
import { createClientLimiter } from './client-limiter.ts';
import { startEmulators } from './emulators.ts';
import { functionEnvironment, type HostedFunction, hostFunctions } from './function-host.ts';
import { mountGridWorkerSimulator } from './grid-worker-simulator.ts';
import { createHttpGateway, type ExtraRoute, routesOf } from './http-gateway.ts';
import {
  createLocalIdentity,
  type IssueOptions,
  localClientId,
  localIssuer,
  localUserPoolId,
} from './local-identity.ts';
import { type LocalSecrets, openLocalSecrets, serveSecretsManager } from './local-secrets.ts';
import { jwksPath, LocalStaffSignIn, serveCognitoSignIn } from './local-sign-in.ts';
import { chainRoutes, mountPhoneSimulator } from './phone-simulator.ts';
import { type ProvisionedResources, provision } from './provision.ts';
import { startQueuePoller } from './queue-poller.ts';
import { serveWecomSimulator, type WecomSimulator } from './wecom-simulator.ts';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const REGION = 'us-east-1';
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

export interface LocalRuntimeOptions {
  /** HTTP port; 0 picks a free one. */
  port?: number;
  host?: string;
  /** Emulator state directory; ignored with `memory`. */
  dataDir?: string;
  memory?: boolean;
  /** Silence the functions' logs (tests, benchmarks), unless CIVICLOOP_CAPTURED_LOG_LEVEL asks for them. */
  quiet?: boolean;
  /** Seed the demo organisation into an empty directory table (default true). */
  seed?: boolean;
  topology?: Topology;
  pollerConcurrency?: number;
  dynamoPort?: number;
  sqsPort?: number;
  onError?: (error: unknown) => void;
  /**
   * Per-client limits the gateway enforces as WAF does in AWS (infra/client-limits.ts). Unset,
   * nothing is limited: tests and benchmarks post hundreds of reports from 127.0.0.1. `npm start`
   * passes the deployed limits.
   */
  clientLimits?: readonly ClientLimit[];
  /** The limiter's clock (ms since the epoch), so tests can move past a window without waiting. */
  clientLimitClock?: () => number;
}

export interface LocalRuntime {
  url: string;
  dynamoEndpoint: string;
  sqsEndpoint: string;
  /** The S3 endpoint (the bridge in front of fauxqs's S3) the functions and browsers use. */
  s3Endpoint: string;
  region: string;
  resources: ProvisionedResources;
  sqsClient: SQSClient;
  dynamoClient: DynamoDBClient;
  /** The runtime's own client of that S3 (the photo buckets), for tests that look inside them. */
  s3Client: S3Client;
  queueUrl(name: string): string;
  functions: ReadonlyMap<string, HostedFunction>;
  /**
   * The runtime's secrets (the gateway path secret, the Twilio token …): their values, and
   * `rotate` to put a new one, which the functions use once their cached value has aged out.
   */
  secrets: LocalSecrets;
  /** The WeChat Work stand-in the functions call (its app messages recorded), when the topology binds it. */
  wecom?: WecomSimulator;
  /**
   * What the platform seals this runtime's WeChat Work callbacks with: the generated Token,
   * EncodingAESKey and corp id, and the app's AgentId (the grid-worker page's appeals use them).
   */
  wecomCallbackKeys(): { token: string; encodingAesKey: string; corpId: string; agentId: string };
  /**
   * A valid ID token for a demo login (infra/demo/demo-staff.ts), to send as
   * `Authorization: Bearer …`; what POST /api/session would answer, without the password.
   */
  signInAs(username: string): Promise<string>;
  /**
   * An ID token with any claims, e.g. a user whose role lacks its scope; with options, one
   * issued long ago (expired) or for another audience.
   */
  issueToken(claims: StaffClaims, options?: IssueOptions): Promise<string>;
  stop(): Promise<void>;
}

export async function startLocalRuntime(options: LocalRuntimeOptions = {}): Promise<LocalRuntime> {
  const topology = options.topology ?? systemTopology;
  const dataDir = options.memory ? undefined : (options.dataDir ?? `${REPO_ROOT}.data`);
  const emulators = await startEmulators({
    dataDir,
    dynamoPort: options.dynamoPort,
    sqsPort: options.sqsPort,
  });

  Object.assign(process.env, {
    AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: emulators.dynamoEndpoint,
    AWS_ENDPOINT_URL_SQS: emulators.sqsEndpoint,
    AWS_ENDPOINT_URL_S3: emulators.s3Endpoint,
    POWERTOOLS_SERVICE_NAME: 'civicloop',
    // A process that captures the functions' logs (the integration suite, test/support/log-guard.ts)
    // asks for its level, quiet or not: it holds every line to the no-personal-data rule.
    POWERTOOLS_LOG_LEVEL:
      process.env.CIVICLOOP_CAPTURED_LOG_LEVEL ??
      (options.quiet ? 'SILENT' : (process.env.POWERTOOLS_LOG_LEVEL ?? 'INFO')),
  });

  const dynamoClient = new DynamoDBClient({
    endpoint: emulators.dynamoEndpoint,
    region: REGION,
    credentials,
  });
  const sqsClient = new SQSClient({ endpoint: emulators.sqsEndpoint, region: REGION, credentials });
  const s3Client = new S3Client({ endpoint: emulators.s3Endpoint, region: REGION, credentials });
  const resources = await provision(topology, dynamoClient, sqsClient, s3Client);

  const directoryTable = resources.tables.directory;
  if (directoryTable && options.seed !== false) {
    const db = createDocumentClient(dynamoClient);
    const directory = new DynamoDbDirectory(db, directoryTable);
    const policies = new DynamoDbPolicies(db, directoryTable);
    // Checked on their own: a data directory from before policies existed gets them too.
    const hasPolicies = await policies.loadPolicies().then(
      () => true,
      () => false,
    );
    if (!hasPolicies) await policies.writePolicies(defaultPolicies);
    if (!(await directory.isSeeded())) await directory.write(demoOrganisation);
  }

  // Staff identity: an in-memory issuer, and Cognito's sign-in call served from it, where the
  // SDK in the sign-in function finds it (set before the handlers are imported and build clients).
  const identity = await createLocalIdentity();
  const cognito = await serveCognitoSignIn(new LocalStaffSignIn(identity), {
    userPoolId: localUserPoolId,
    clientId: localClientId,
    jwks: identity.jwks,
  });
  process.env.AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER = cognito.endpoint;
  Object.assign(process.env, {
    [staffTokenEnv.issuer]: localIssuer,
    [staffTokenEnv.audience]: localClientId,
    [staffTokenEnv.keys]: `${cognito.endpoint}${jwksPath}`,
  });

  // Secrets: generated once per data directory, read by the functions as in AWS.
  const secrets = openLocalSecrets(
    secretsOf(topology).map((secret) => secret.name),
    dataDir,
  );
  const secretsManager = await serveSecretsManager(secrets);
  process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = secretsManager.endpoint;

  Object.assign(process.env, functionEnvironment(topology, resources, unitIds));
  // WeChat Work: the functions call the local stand-in, which knows the runtime's own secrets.
  const wecom = secrets.names.includes('wecomCorpId')
    ? await serveWecomSimulator({
        corpId: () => secrets.value('wecomCorpId'),
        appSecret: () => secrets.value('wecomAppSecret'),
      })
    : undefined;
  if (wecom) process.env.WECOM_API_BASE_URL = wecom.endpoint;
  const functions = await hostFunctions(topology, REPO_ROOT);

  const pollers: { stop(): Promise<void> }[] = [];
  const timers: NodeJS.Timeout[] = [];
  for (const fn of functions.values()) {
    for (const trigger of fn.spec.triggers) {
      if (trigger.kind === 'queue') {
        const queueUrl = resources.queues[trigger.queue];
        if (!queueUrl) throw new Error(`queue ${trigger.queue} was not provisioned`);
        const { Attributes } = await sqsClient.send(
          new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
        );
        pollers.push(
          startQueuePoller({
            sqs: sqsClient,
            queueUrl,
            queueArn: Attributes?.QueueArn ?? '',
            fn,
            batchSize: trigger.batchSize,
            concurrency: Math.min(
              options.pollerConcurrency ?? 4,
              trigger.maxConcurrency ?? Number.POSITIVE_INFINITY,
            ),
            onError: options.onError,
          }),
        );
      } else if (trigger.kind === 'schedule') {
        const tick = () => {
          fn.invoke(scheduledEvent(fn.spec.name)).catch((error: unknown) => options.onError?.(error));
        };
        timers.push(setInterval(tick, trigger.everyMinutes * 60_000));
        if (trigger.localAtStart) timers.push(setTimeout(tick, 0));
      }
    }
  }

  const health: ExtraRoute = async (_req, res, url) => {
    if (url.pathname !== '/_local/health') return false;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ ok: true }));
    return true;
  };
  // SNS delivers to its subscribers asynchronously; locally the publisher waits for them.
  const deliverToTopic = async (topic: string, event: SNSEvent) => {
    const subscribers = [...functions.values()].filter((fn) =>
      fn.spec.triggers.some((t) => t.kind === 'topic' && t.topic === topic),
    );
    return Promise.all(subscribers.map((fn) => fn.invoke(event)));
  };
  const phone = mountPhoneSimulator({
    outbox: localOutbox(),
    deliverSns: (event) => deliverToTopic('inbound-sms', event),
  });
  // The grid worker page posts its sealed callbacks to this runtime's own gateway, once it listens.
  let selfUrl = '';
  const wecomCallbackKeys = () => ({
    token: secrets.value('wecomCallbackToken'),
    encodingAesKey: secrets.value('wecomEncodingAesKey'),
    corpId: secrets.value('wecomCorpId'),
    agentId: process.env.WECOM_AGENT_ID || '1000002',
  });
  const gridWorker = wecom
    ? mountGridWorkerSimulator({
        wecom,
        keys: wecomCallbackKeys,
        workers: demoOrganisation.grids.flatMap((g) =>
          g.wecomUserId ? [{ userId: g.wecomUserId, gridId: g.id, name: g.zh }] : [],
        ),
        deliver: async (sealed) => {
          const response = await fetch(`${selfUrl}/api/wecom/callback?${new URLSearchParams(sealed.query)}`, {
            method: 'POST',
            headers: { 'content-type': 'text/xml' },
            body: sealed.body,
          });
          return { status: response.status, body: await response.text() };
        },
      })
    : undefined;
  const server = createHttpGateway(
    routesOf(functions.values()),
    chainRoutes(health, phone, ...(gridWorker ? [gridWorker] : [])),
    options.clientLimits ? createClientLimiter(options.clientLimits, options.clientLimitClock) : undefined,
  );
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 3000, host, () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string')
    throw new Error('the HTTP gateway is not listening on TCP');
  selfUrl = `http://${host}:${address.port}`;
  // The staff notifier's links (CONSOLE_URL) point at this runtime's console, once its port is known.
  if (!process.env.CONSOLE_URL) process.env.CONSOLE_URL = `http://${host}:${address.port}/console`;

  return {
    url: `http://${host}:${address.port}`,
    dynamoEndpoint: emulators.dynamoEndpoint,
    sqsEndpoint: emulators.sqsEndpoint,
    s3Endpoint: emulators.s3Endpoint,
    region: REGION,
    resources,
    sqsClient,
    dynamoClient,
    s3Client,
    functions,
    secrets,
    ...(wecom ? { wecom } : {}),
    wecomCallbackKeys,
    async signInAs(username) {
      const login = findDemoLogin(username);
      if (!login) throw new Error(`no demo login named ${username}`);
      return identity.issueToken(login.claims, { username: login.username });
    },
    issueToken: (claims, issue) => identity.issueToken(claims, issue),
    queueUrl(name) {
      const url = resources.queues[name];
      if (!url) throw new Error(`no queue named ${name}`);
      return url;
    },
    async stop() {
      for (const timer of timers) clearInterval(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.all(pollers.map((p) => p.stop()));
      await cognito.stop();
      await secretsManager.stop();
      await wecom?.stop();
      await emulators.stop();
      sqsClient.destroy();
      dynamoClient.destroy();
      s3Client.destroy();
    },
  };
}

function scheduledEvent(name: string) {
  return {
    version: '0',
    id: crypto.randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: '000000000000',
    time: new Date().toISOString(),
    region: REGION,
    resources: [`arn:aws:events:${REGION}:000000000000:rule/civicloop-${name}`],
    detail: {},
  };
}
