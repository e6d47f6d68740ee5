/**
 * Where the CLI points: the local runtime (default; read from `.data/local-runtime.json`, written
 * by `npm start`) or a deployed stack (`--outputs cdk-outputs.json` from `cdk deploy --outputs-file`).
 * `resolveTarget` gives the queues and tables (the department tools); `resolveApiUrl` gives the
 * staff HTTP API's base URL (the commands that must go through the API's rules, e.g. campaigns).
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../../shared/adapters/aws-clients.ts';
import * as z from '../../shared/schema.ts';
import { apiUrlOutputKey, queueOutputKey, tableOutputKey } from '../stack-outputs.ts';

/**
 * Where `npm start` records its endpoints: `.data/local-runtime.json`, or the file
 * CIVICLOOP_RUNTIME_FILE names (the CLI's `--data-dir`, and the tests). Read when a command runs.
 */
export const localRuntimeFile = (): string =>
  process.env.CIVICLOOP_RUNTIME_FILE ??
  fileURLToPath(new URL('../../.data/local-runtime.json', import.meta.url));

const LocalRuntimeFile = z.object({
  apiUrl: z.string(),
  region: z.string(),
  sqsEndpoint: z.string(),
  dynamoEndpoint: z.string(),
  queues: z.record(z.string(), z.string()),
  tables: z.record(z.string(), z.string()),
});

const StackOutputs = z.record(z.string(), z.record(z.string(), z.string()));

export interface Target {
  description: string;
  sqs: SQSClient;
  db: DynamoDBDocumentClient;
  queueUrl(queueName: string): string | undefined;
  tableName(tableName: string): string | undefined;
}

export class TargetError extends Error {
  override name = 'TargetError';
}

const readJson = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8'));

/** The outputs of the stack in a `cdk deploy --outputs-file` file (the Civicloop stack, or the only one). */
function readStackOutputs(outputsFile: string): Record<string, string> {
  if (!existsSync(outputsFile)) throw new TargetError(`no outputs file at ${outputsFile}`);
  const stacks = StackOutputs.parse(readJson(outputsFile));
  const outputs = stacks.Civicloop ?? Object.values(stacks)[0];
  if (!outputs) throw new TargetError(`${outputsFile} has no stack outputs`);
  return outputs;
}

function readLocalRuntime(): z.infer<typeof LocalRuntimeFile> {
  const file = localRuntimeFile();
  if (!existsSync(file)) {
    throw new TargetError(
      `the local runtime is not running (no ${file}): start it with \`npm start\`; pass --data-dir if it was started with one, or --outputs for a deployed stack`,
    );
  }
  return LocalRuntimeFile.parse(readJson(file));
}

/** The base URL of the HTTP API, without a trailing slash (a deployed stage URL ends with one). */
export function resolveApiUrl(outputsFile: string | undefined): string {
  const apiUrl = outputsFile ? readStackOutputs(outputsFile)[apiUrlOutputKey] : readLocalRuntime().apiUrl;
  if (!apiUrl) throw new TargetError(`${outputsFile} has no ${apiUrlOutputKey} output`);
  return apiUrl.replace(/\/+$/, '');
}

export function resolveTarget(outputsFile: string | undefined): Target {
  if (outputsFile) {
    const outputs = readStackOutputs(outputsFile);
    return {
      description: `AWS stack outputs in ${outputsFile}`,
      sqs: new SQSClient({}),
      db: createDocumentClient(new DynamoDBClient({})),
      queueUrl: (name) => outputs[queueOutputKey(name)],
      tableName: (name) => outputs[tableOutputKey(name)],
    };
  }
  const local = readLocalRuntime();
  const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
  return {
    description: `local runtime at ${local.apiUrl}`,
    sqs: new SQSClient({ endpoint: local.sqsEndpoint, region: local.region, credentials }),
    db: createDocumentClient(
      new DynamoDBClient({ endpoint: local.dynamoEndpoint, region: local.region, credentials }),
    ),
    queueUrl: (name) => local.queues[name],
    tableName: (name) => local.tables[name],
  };
}
