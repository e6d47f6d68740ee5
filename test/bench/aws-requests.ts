/**
 * Counts the AWS requests made in this process, by origin, service, operation and resource,
 * without touching the runtime: Node publishes every outgoing `http.ClientRequest` on diagnostics
 * channels — `http.client.request.created` when it is made, `http.client.request.start` once its
 * body is written, synchronously in the caller's async context. The operation is the SDK's
 * `x-amz-target` header (DynamoDB and SQS both speak the AWS JSON protocol), the resource the
 * table or queue named in the JSON body, and the origin whatever `requestOrigin.run(...)` the call
 * runs under: the bench wraps each hosted function's `invoke` with its name, starts the runtime
 * (whose queue pollers stand in for Lambda's event source mapping) under `runtime`, and its own
 * consumers under `bench`. A counting proxy in front of the emulators would have given the same
 * figures but added a hop to every call the latency figures measure; this adds nothing on the wire.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import diagnostics from 'node:diagnostics_channel';
import { ClientRequest } from 'node:http';
import * as z from 'zod';

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
  /** Table or queue, without the local `civicloop-` prefix; unit queues as `unit-*`; `?` if unknown. */
  resource: string;
  /** What the request was for, when the counter was given a way to tell (`purposeOf`); else ''. */
  purpose: string;
  count: number;
  /** The largest request body sent (SQS bills a request per 64 KB of payload). */
  maxBytes: number;
}

/** Names what a request was for from its service, operation and parsed JSON body. */
export type PurposeOf = (service: AwsService, operation: string, body: unknown) => string;

const CREATED = 'http.client.request.created';
const STARTED = 'http.client.request.start';

/** The fields of a DynamoDB or SQS JSON request that name what it touches. */
const RequestBody = z.object({
  TableName: z.string().optional(),
  RequestItems: z.record(z.string(), z.unknown()).optional(),
  QueueUrl: z.string().optional(),
});

function parseBody(body: Buffer | undefined): unknown {
  if (!body || body.length === 0) return undefined;
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

function resourceOf(json: unknown): string {
  const parsed = RequestBody.safeParse(json);
  if (!parsed.success) return '?';
  const { TableName, RequestItems, QueueUrl } = parsed.data;
  const raw = TableName ?? (Object.keys(RequestItems ?? {}).join('+') || QueueUrl?.split('/').at(-1) || '?');
  const local = raw.replace(/^civicloop-/, '');
  // One row for all 26 unit queues: which unit a report goes to is the mix, not the cost.
  return local.startsWith('unit-') ? 'unit-*' : local;
}

const requestOf = (message: unknown): ClientRequest | undefined =>
  typeof message === 'object' &&
  message !== null &&
  'request' in message &&
  message.request instanceof ClientRequest
    ? message.request
    : undefined;

const asBuffer = (chunk: unknown): Buffer | undefined =>
  typeof chunk === 'string'
    ? Buffer.from(chunk)
    : chunk instanceof Uint8Array
      ? Buffer.from(chunk)
      : undefined;

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
  readonly #bodies = new WeakMap<ClientRequest, Buffer[]>();
  readonly #purposeOf: PurposeOf | undefined;

  constructor(options: { purposeOf?: PurposeOf } = {}) {
    this.#purposeOf = options.purposeOf;
  }

  /** Keeps a copy of what an AWS request writes, to read the table or queue from it. */
  readonly #onCreated = (message: unknown) => {
    const request = requestOf(message);
    if (!request || typeof request.getHeader('x-amz-target') !== 'string') return;
    const chunks: Buffer[] = [];
    this.#bodies.set(request, chunks);
    const keep = (chunk: unknown) => {
      const buffer = asBuffer(chunk);
      if (buffer) chunks.push(buffer);
    };
    // Own properties shadow the prototype's methods for this one request only.
    const { write, end } = request;
    Object.defineProperty(request, 'write', {
      configurable: true,
      writable: true,
      value: (...args: unknown[]) => {
        keep(args[0]);
        return Reflect.apply(write, request, args);
      },
    });
    Object.defineProperty(request, 'end', {
      configurable: true,
      writable: true,
      value: (...args: unknown[]) => {
        if (typeof args[0] !== 'function') keep(args[0]);
        return Reflect.apply(end, request, args);
      },
    });
  };

  /** Published once the request's body has been written, still in the caller's async context. */
  readonly #onStarted = (message: unknown) => {
    const request = requestOf(message);
    if (!request) return;
    const { service, operation } = classify(request.getHeader('x-amz-target'));
    const chunks = this.#bodies.get(request);
    const body = chunks && Buffer.concat(chunks);
    const json = service === 'other' ? undefined : parseBody(body);
    const resource = service === 'other' ? '' : resourceOf(json);
    const purpose = this.#purposeOf?.(service, operation, json) ?? '';
    const bytes = body?.length ?? 0;
    const origin = requestOrigin.getStore() ?? UNATTRIBUTED_ORIGIN;
    const key = [origin, service, operation, resource, purpose].join('\u0000');
    const entry = this.#counts.get(key);
    if (entry) {
      entry.count += 1;
      entry.maxBytes = Math.max(entry.maxBytes, bytes);
    } else
      this.#counts.set(key, { origin, service, operation, resource, purpose, count: 1, maxBytes: bytes });
  };

  start(): this {
    diagnostics.subscribe(CREATED, this.#onCreated);
    diagnostics.subscribe(STARTED, this.#onStarted);
    return this;
  }

  stop(): void {
    diagnostics.unsubscribe(CREATED, this.#onCreated);
    diagnostics.unsubscribe(STARTED, this.#onStarted);
  }

  /** Forgets what was counted so far: setup and warm-up are not part of the measured run. */
  reset(): void {
    this.#counts.clear();
  }

  snapshot(): AwsRequestCount[] {
    return [...this.#counts.values()].map((entry) => ({ ...entry }));
  }
}
