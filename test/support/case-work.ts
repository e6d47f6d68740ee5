/**
 * The case machinery on the emulators, without the HTTP and queue-polling parts of the local
 * runtime: dynalite with the topology's tables, fauxqs with every unit queue, the real DynamoDB
 * and SQS adapters, the demo organisation, and the local SMS outbox. For service and handler tests
 * that must see what really lands in the tables and queues (and for injecting faults into the
 * real clients), not what a canned mock answers.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { demoOrganisation } from '../../infra/demo/demo-organisation.ts';
import { startEmulators } from '../../infra/local/emulators.ts';
import { provision } from '../../infra/local/provision.ts';
import { topology, unitQueueName } from '../../infra/topology.ts';
import { createDocumentClient } from '../../shared/adapters/aws-clients.ts';
import { DynamoDbCaseStore } from '../../shared/adapters/dynamodb-case-store.ts';
import { DynamoDbStatsStore } from '../../shared/adapters/dynamodb-stats-store.ts';
import { LocalOutbox } from '../../shared/adapters/local-outbox.ts';
import { SqsDispatchQueue } from '../../shared/adapters/sqs-queues.ts';
import { unitIds } from '../../shared/reference/county-structure.ts';
import { defaultPolicies } from '../../shared/reference/default-policies.ts';
import type { CaseWorkDeps } from '../../shared/services/transition-case.ts';

export interface CaseWork {
  dynamo: DynamoDBClient;
  sqs: SQSClient;
  db: DynamoDBDocumentClient;
  tables: Record<string, string>;
  queueUrl(unitId: string): string;
  outbox: LocalOutbox;
  /** Real adapters over `db` and `sqs`; `now` reads `clock`. */
  deps: CaseWorkDeps;
  clock: { now: Date };
  stop(): Promise<void>;
}

export async function emulatedCaseWork(): Promise<CaseWork> {
  const emulators = await startEmulators({});
  const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
  const dynamo = new DynamoDBClient({ endpoint: emulators.dynamoEndpoint, region: 'us-east-1', credentials });
  const sqs = new SQSClient({ endpoint: emulators.sqsEndpoint, region: 'us-east-1', credentials });
  const unitQueues = new Set(unitIds.map(unitQueueName));
  const { tables, queues } = await provision(
    { ...topology, queues: topology.queues.filter((q) => unitQueues.has(q.name)) },
    dynamo,
    sqs,
  );
  const queueUrl = (unitId: string) => {
    const url = queues[unitQueueName(unitId)];
    if (!url) throw new Error(`no queue for unit ${unitId}`);
    return url;
  };
  const db = createDocumentClient(dynamo);
  const outbox = new LocalOutbox({ entries: [] });
  const clock = { now: new Date() };
  const deps: CaseWorkDeps = {
    cases: new DynamoDbCaseStore(db, tables.cases ?? ''),
    directory: { load: async () => demoOrganisation },
    policies: { loadPolicies: async () => defaultPolicies },
    dispatch: new SqsDispatchQueue(sqs, Object.fromEntries(unitIds.map((u) => [u, queueUrl(u)]))),
    stats: new DynamoDbStatsStore(db, tables.stats ?? ''),
    sender: outbox,
    now: () => clock.now,
  };
  return {
    dynamo,
    sqs,
    db,
    tables,
    queueUrl,
    outbox,
    deps,
    clock,
    async stop() {
      dynamo.destroy();
      sqs.destroy();
      await emulators.stop();
    },
  };
}
