/**
 * Hosts the topology's Lambda handlers in this process: sets the environment each function's
 * bindings declare (the same variables CDK sets), imports the real handler modules, and invokes
 * them with a Lambda-shaped context and the function's timeout.
 */
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import type { Binding, FunctionSpec, Topology } from '../topology.ts';
import { unitQueueName } from '../topology.ts';
import { tellInvocationListeners } from './invocation-listeners.ts';
import { localClientId, localUserPoolId } from './local-identity.ts';
import { localSecretArn } from './local-secrets.ts';
import type { ProvisionedResources } from './provision.ts';

export type LambdaHandler = (event: unknown, context: Context) => Promise<unknown>;

export interface HostedFunction {
  spec: FunctionSpec;
  invoke(event: unknown): Promise<unknown>;
}

export class FunctionTimeoutError extends Error {
  constructor(functionName: string, seconds: number) {
    super(`${functionName} timed out after ${seconds} s`);
    this.name = 'FunctionTimeoutError';
  }
}

function bindingValue(binding: Binding, resources: ProvisionedResources, unitIds: readonly string[]): string {
  switch (binding.kind) {
    case 'table': {
      const name = resources.tables[binding.table];
      if (!name) throw new Error(`table ${binding.table} was not provisioned`);
      return name;
    }
    case 'queue': {
      const url = resources.queues[binding.queue];
      if (!url) throw new Error(`queue ${binding.queue} was not provisioned`);
      return url;
    }
    case 'bucket': {
      const name = resources.buckets?.[binding.bucket];
      if (!name) throw new Error(`bucket ${binding.bucket} was not provisioned`);
      return name;
    }
    case 'unitQueues': {
      const urls: Record<string, string> = {};
      for (const unitId of unitIds) {
        const url = resources.queues[unitQueueName(unitId)];
        if (url) urls[unitId] = url;
      }
      return JSON.stringify(urls);
    }
    case 'userPoolClient':
      // Staff sign in against the runtime's Cognito stand-in (local-sign-in.ts), whose one client
      // this is; the runtime points the SDK at it with AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER.
      return localClientId;
    case 'userPool':
      // The stand-in's one pool; the local runtime asks no IAM permission to sign in.
      return localUserPoolId;
    case 'smsSender':
      // Replies go to the process's outbox, which the phone simulator shows.
      return 'local-outbox';
    case 'setting':
      return binding.local;
    case 'secret':
      // The ARN, as in AWS: the value comes from the runtime's Secrets Manager stand-in.
      return localSecretArn(binding.name);
  }
}

/** The environment of every function: the same names CDK sets, pointing at local resources. */
export function functionEnvironment(
  topology: Topology,
  resources: ProvisionedResources,
  unitIds: readonly string[],
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const fn of topology.functions) {
    for (const binding of fn.bindings) {
      const value = bindingValue(binding, resources, unitIds);
      const previous = env[binding.env];
      if (previous !== undefined && previous !== value) {
        // All functions share this process's environment, so one name must mean one thing.
        throw new Error(`environment variable ${binding.env} is bound to two different resources`);
      }
      env[binding.env] = value;
    }
  }
  return env;
}

function lambdaContext(spec: FunctionSpec, deadline: number): Context {
  const functionName = `civicloop-${spec.name}`;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${functionName}`,
    memoryLimitInMB: String(spec.memoryMb),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

const isHandler = (value: unknown): value is LambdaHandler => typeof value === 'function';

export async function hostFunctions(
  topology: Topology,
  repoRoot: string,
): Promise<Map<string, HostedFunction>> {
  const hosted = new Map<string, HostedFunction>();
  for (const spec of topology.functions) {
    const module: Record<string, unknown> = await import(pathToFileURL(resolve(repoRoot, spec.entry)).href);
    const handler = module.handler;
    if (!isHandler(handler)) throw new Error(`${spec.entry} does not export a handler function`);
    hosted.set(spec.name, {
      spec,
      async invoke(event) {
        const timeoutMs = spec.timeoutSeconds * 1000;
        const context = lambdaContext(spec, Date.now() + timeoutMs);
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new FunctionTimeoutError(spec.name, spec.timeoutSeconds)),
            timeoutMs,
          );
        });
        try {
          const result = await Promise.race([handler(event, context), timeout]);
          tellInvocationListeners({ functionName: spec.name, event, outcome: { kind: 'answered', result } });
          return result;
        } catch (error) {
          tellInvocationListeners({ functionName: spec.name, event, outcome: { kind: 'threw', error } });
          throw error;
        } finally {
          clearTimeout(timer);
        }
      },
    });
  }
  return hosted;
}
