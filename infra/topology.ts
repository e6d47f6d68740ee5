/**
 * The one description of the system: its tables, queues (each with a dead-letter queue), and
 * functions with their triggers and the resources they are bound to. The CDK stack
 * (`infra/stack.ts`) and the local runtime (`infra/local/`) are both built from this module, so
 * what runs on a laptop cannot drift from what is deployed.
 */
import { unitIds } from '../shared/organisation/county-structure.ts';

export type KeyType = 'S' | 'N';
export interface KeySpec {
  name: string;
  type: KeyType;
}

export interface IndexSpec {
  name: string;
  partitionKey: KeySpec;
  sortKey?: KeySpec;
}

export interface TableSpec {
  /** Logical name; also the suffix of the physical name. */
  name: string;
  partitionKey: KeySpec;
  sortKey?: KeySpec;
  timeToLiveAttribute?: string;
  indexes: IndexSpec[];
}

export interface QueueSpec {
  name: string;
  /** Seconds a received message stays hidden; ≥ 6× the consumer's timeout (AWS guidance). */
  visibilityTimeoutSeconds: number;
  /** Receives before a message moves to the dead-letter queue. */
  maxReceiveCount: number;
  retentionDays: number;
  /** Who reads it: one of our functions, or a unit outside the system (a department). */
  consumer: 'function' | 'external';
}

export type HttpMethod = 'GET' | 'POST';

export type Trigger =
  | { kind: 'http'; method: HttpMethod; path: string }
  | { kind: 'queue'; queue: string; batchSize: number; maxBatchingWindowSeconds: number }
  | { kind: 'schedule'; everyMinutes: number };

/**
 * A resource a function may use. The grant and the environment variable that names the resource
 * are declared together, so a function can only reach what it has been granted.
 */
export type Binding =
  | { kind: 'table'; table: string; access: 'read' | 'readWrite'; env: string }
  | { kind: 'queue'; queue: string; access: 'send'; env: string }
  /** Every unit's dispatch queue, passed as a JSON map { unitId: queueUrl }. */
  | { kind: 'unitQueues'; access: 'send'; env: string };

export interface FunctionSpec {
  name: string;
  /** Path of the handler module from the repository root; it exports `handler`. */
  entry: string;
  description: string;
  timeoutSeconds: number;
  memoryMb: number;
  triggers: Trigger[];
  bindings: Binding[];
}

export interface Topology {
  tables: TableSpec[];
  queues: QueueSpec[];
  functions: FunctionSpec[];
}

/** The queue a unit's routed cases are delivered to. */
export const unitQueueName = (unitId: string): string => `unit-${unitId}`;

const ROUTER_TIMEOUT_SECONDS = 10;

export const topology: Topology = {
  tables: [
    {
      // Cases: one small, frequently-updated state item per case and one write-once report item.
      name: 'cases',
      partitionKey: { name: 'pk', type: 'S' },
      sortKey: { name: 'sk', type: 'S' },
      indexes: [],
    },
    {
      // The organisation and routing rules: read often, changed by admins.
      name: 'directory',
      partitionKey: { name: 'pk', type: 'S' },
      sortKey: { name: 'sk', type: 'S' },
      indexes: [],
    },
    {
      // Idempotency-Key records for the intake API (Powertools idempotency layout).
      name: 'idempotency',
      partitionKey: { name: 'id', type: 'S' },
      timeToLiveAttribute: 'expiration',
      indexes: [],
    },
  ],
  queues: [
    {
      name: 'intake',
      visibilityTimeoutSeconds: 6 * ROUTER_TIMEOUT_SECONDS,
      maxReceiveCount: 5,
      retentionDays: 14,
      consumer: 'function',
    },
    // Departments poll their queue with their own tools; a --peek counts as a receive, hence 10.
    ...unitIds.map(
      (unitId): QueueSpec => ({
        name: unitQueueName(unitId),
        visibilityTimeoutSeconds: 60,
        maxReceiveCount: 10,
        retentionDays: 14,
        consumer: 'external',
      }),
    ),
  ],
  functions: [
    {
      name: 'submit-report',
      entry: 'functions/submit-report.ts',
      description: 'Accepts a resident report (JSON or form post) and queues it for routing',
      timeoutSeconds: 6,
      memoryMb: 1024,
      triggers: [{ kind: 'http', method: 'POST', path: '/api/reports' }],
      bindings: [
        { kind: 'queue', queue: 'intake', access: 'send', env: 'INTAKE_QUEUE_URL' },
        { kind: 'table', table: 'idempotency', access: 'readWrite', env: 'IDEMPOTENCY_TABLE' },
        // Read only when a browser without JavaScript sends a bad form: the form is re-rendered.
        { kind: 'table', table: 'directory', access: 'read', env: 'DIRECTORY_TABLE' },
      ],
    },
    {
      name: 'route-report',
      entry: 'functions/route-report.ts',
      description: 'Creates the case once, finds the responsible unit and dispatches it to that queue',
      timeoutSeconds: ROUTER_TIMEOUT_SECONDS,
      memoryMb: 512,
      triggers: [{ kind: 'queue', queue: 'intake', batchSize: 10, maxBatchingWindowSeconds: 0 }],
      bindings: [
        { kind: 'table', table: 'cases', access: 'readWrite', env: 'CASES_TABLE' },
        { kind: 'table', table: 'directory', access: 'read', env: 'DIRECTORY_TABLE' },
        { kind: 'unitQueues', access: 'send', env: 'UNIT_QUEUE_URLS' },
      ],
    },
    {
      name: 'get-report-status',
      entry: 'functions/get-report-status.ts',
      description: 'Public status of a report by tracking code, without personal data',
      timeoutSeconds: 5,
      memoryMb: 512,
      triggers: [{ kind: 'http', method: 'GET', path: '/api/reports/{trackingCode}' }],
      bindings: [
        { kind: 'table', table: 'cases', access: 'read', env: 'CASES_TABLE' },
        { kind: 'table', table: 'directory', access: 'read', env: 'DIRECTORY_TABLE' },
      ],
    },
    {
      name: 'get-catalog',
      entry: 'functions/get-catalog.ts',
      description: 'Categories, communities and units for the report form',
      timeoutSeconds: 5,
      memoryMb: 512,
      triggers: [{ kind: 'http', method: 'GET', path: '/api/catalog' }],
      bindings: [{ kind: 'table', table: 'directory', access: 'read', env: 'DIRECTORY_TABLE' }],
    },
    {
      name: 'resident-page',
      entry: 'functions/resident-page.ts',
      description: 'The resident report page, rendered on the server so it works without JavaScript',
      timeoutSeconds: 5,
      memoryMb: 1024,
      triggers: [{ kind: 'http', method: 'GET', path: '/' }],
      bindings: [{ kind: 'table', table: 'directory', access: 'read', env: 'DIRECTORY_TABLE' }],
    },
  ],
};

export const findQueue = (t: Topology, name: string): QueueSpec => {
  const queue = t.queues.find((q) => q.name === name);
  if (!queue) throw new Error(`topology: no queue named ${name}`);
  return queue;
};

export const findTable = (t: Topology, name: string): TableSpec => {
  const table = t.tables.find((x) => x.name === name);
  if (!table) throw new Error(`topology: no table named ${name}`);
  return table;
};
