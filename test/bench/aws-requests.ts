/**
 * Counts the AWS requests made in this process, by service, operation and origin, without
 * touching the runtime: Node publishes every outgoing `http.ClientRequest` on the
 * `http.client.request.start` diagnostics channel, synchronously in the caller's async context.
 * The operation is the SDK's `x-amz-target` header (both DynamoDB and SQS speak the AWS JSON
 * protocol); the origin is whatever `requestOrigin.run(...)` the call is running under: the bench
 * wraps each hosted function's `invoke` with its name, starts the runtime (whose queue pollers
 * stand in for Lambda's event source mapping) under `runtime`, and its own consumers under
 * `bench`. A proxy in front of the emulators would have given the same counts but added a hop to
 * every call the latency figures measure; this adds nothing on the wire.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import diagnostics from 'node:diagnostics_channel';
import { ClientRequest } from 'node:http';

/** Who is making the AWS calls in the current async context. */
export const requestOrigin = new AsyncLocalStorage<string>();

export const RUNTIME_ORIGIN = 'runtime';
export const BENCH_ORIGIN = 'bench';
export const UNATTRIBUTED_ORIGIN = 'unattributed';

export type AwsService = 'dynamodb' | 'sqs' | 'other';

export interface AwsRequestCount {
  origin: string;
  service: AwsService;
  operation: string;
  count: number;
}

const CHANNEL = 'http.client.request.start';

/** `DynamoDB_20120810.PutItem` → dynamodb/PutItem, `AmazonSQS.SendMessage` → sqs/SendMessage. */
function classify(target: unknown): { service: AwsService; operation: string } {
  if (typeof target !== 'string') return { service: 'other', operation: '(no x-amz-target)' };
  const dot = target.lastIndexOf('.');
  const prefix = target.slice(0, dot);
  const operation = target.slice(dot + 1);
  if (prefix.startsWith('DynamoDB_')) return { service: 'dynamodb', operation };
  if (prefix === 'AmazonSQS') return { service: 'sqs', operation };
  return { service: 'other', operation: target };
}

export class AwsRequestCounter {
  readonly #counts = new Map<string, AwsRequestCount>();
  readonly #listener = (message: unknown) => {
    if (typeof message !== 'object' || message === null || !('request' in message)) return;
    const request = message.request;
    if (!(request instanceof ClientRequest)) return;
    const { service, operation } = classify(request.getHeader('x-amz-target'));
    const origin = requestOrigin.getStore() ?? UNATTRIBUTED_ORIGIN;
    const key = `${origin}\u0000${service}\u0000${operation}`;
    const entry = this.#counts.get(key);
    if (entry) entry.count += 1;
    else this.#counts.set(key, { origin, service, operation, count: 1 });
  };

  start(): this {
    diagnostics.subscribe(CHANNEL, this.#listener);
    return this;
  }

  stop(): void {
    diagnostics.unsubscribe(CHANNEL, this.#listener);
  }

  /** Forgets what was counted so far: setup and warm-up are not part of the measured run. */
  reset(): void {
    this.#counts.clear();
  }

  snapshot(): AwsRequestCount[] {
    return [...this.#counts.values()].map((entry) => ({ ...entry }));
  }
}
