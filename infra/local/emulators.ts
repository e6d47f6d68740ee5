/**
 * The embedded AWS emulators of the local runtime: dynalite for DynamoDB and fauxqs for SQS and
 * S3, in this process, on loopback. Persistent under a data directory, or in memory. SQS clients
 * reach fauxqs through the bridge in sqs-emulator-bridge.ts, which gives them SQS's behaviour where
 * fauxqs differs (characters above U+FFFF, visibility 0); S3 clients and browsers through
 * s3-emulator-bridge.ts (presigned POST policies, CORS).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import dynalite from 'dynalite';
import { startFauxqs } from 'fauxqs';
import { startS3Bridge } from './s3-emulator-bridge.ts';
import { startSqsBridge } from './sqs-emulator-bridge.ts';

export interface Emulators {
  dynamoEndpoint: string;
  sqsEndpoint: string;
  s3Endpoint: string;
  stop(): Promise<void>;
}

export interface EmulatorOptions {
  /** Where state persists; omitted for in-memory emulators. */
  dataDir?: string;
  dynamoPort?: number;
  /** The port of the SQS endpoint (the bridge); fauxqs itself listens on a free port behind it. */
  sqsPort?: number;
}

export async function startEmulators(options: EmulatorOptions): Promise<Emulators> {
  const dynamoPath = options.dataDir ? join(options.dataDir, 'dynamodb') : undefined;
  const sqsPath = options.dataDir ? join(options.dataDir, 'sqs') : undefined;
  const s3Path = options.dataDir ? join(options.dataDir, 's3') : undefined;
  for (const dir of [dynamoPath, sqsPath, s3Path]) if (dir) mkdirSync(dir, { recursive: true });

  const dynamo = dynalite({ path: dynamoPath, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    dynamo.once('error', reject);
    dynamo.listen(options.dynamoPort ?? 0, '127.0.0.1', () => resolve());
  });
  const address = dynamo.address();
  if (address === null || typeof address === 'string') throw new Error('dynalite is not listening on TCP');
  const dynamoPort = address.port;

  // Queue URLs read `sqs.<region>.localhost:<port>`: valid URLs; the SDK still talks to the endpoint.
  const sqs = await startFauxqs({
    port: 0,
    host: 'localhost',
    logger: false,
    dataDir: sqsPath,
    // Photos as files (fauxqs's SQLite would hold them as blobs otherwise).
    ...(s3Path ? { s3StorageDir: s3Path } : {}),
  });
  const bridge = await startSqsBridge({ upstream: `http://127.0.0.1:${sqs.port}`, port: options.sqsPort });
  const s3Bridge = await startS3Bridge({ upstream: `http://127.0.0.1:${sqs.port}` });

  return {
    dynamoEndpoint: `http://127.0.0.1:${dynamoPort}`,
    sqsEndpoint: bridge.endpoint,
    s3Endpoint: s3Bridge.endpoint,
    async stop() {
      await s3Bridge.stop();
      await bridge.stop();
      await sqs.stop();
      await new Promise<void>((resolve) => dynamo.close(() => resolve()));
    },
  };
}
