/**
 * Outreach planning at county scale: the real planner (`planOutreachRun`, composed as the
 * plan-outreach function composes it) plans SMS runs over the demo county's communities and their
 * household counts — a subset of about 15,000 households, then all 193 communities (~150,000) in
 * one invocation, then all of them again with a continuation forced every N pages, driven through
 * the plan queue. The run, its checkpoints and lease are on DynamoDB (dynalite), the batches and
 * continuations on SQS (fauxqs), both emulated in this process; the planner runs in a child process
 * of its own (outreach-planner-process.ts) that samples its memory after every page, so the peak
 * is the planner's and not the emulators'.
 *
 * The households are the real registry's: all ~150,000 are first seeded into dynalite through
 * `DynamoDbHouseholdRegistry.upsert`, 500 at a time as the CSV import writes them (about 2 min 10 s
 * on 2 cores), and the planner reads them with `DynamoDbHouseholdRegistry.listCommunity`. With
 * `dynamodbRegistry: false` a registry that generates each page on demand stands in instead
 * (`GeneratedHouseholdRegistry`: same ids, order, paging contract and item check), for a quick run.
 *
 * Afterwards every queued batch is read back off the queue and checked: exactly the expected
 * number of batches, distinct batch ids, and every household of the run exactly once; and the run
 * itself must be `sending` with the full count enqueued. Any difference throws.
 */
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteMessageBatchCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { demoOrganisation } from '../../infra/demo/demo-organisation.ts';
import { startEmulators } from '../../infra/local/emulators.ts';
import { provision } from '../../infra/local/provision.ts';
import { topology } from '../../infra/topology.ts';
import { createDocumentClient } from '../../shared/adapters/aws-clients.ts';
import { DynamoDbHouseholdRegistry } from '../../shared/adapters/dynamodb-household-registry.ts';
import { DynamoDbOutreachStore } from '../../shared/adapters/dynamodb-outreach-store.ts';
import {
  type CampaignRun,
  emptyCounts,
  OutreachBatch,
  type PlanRun,
} from '../../shared/domain/outreach/campaign.ts';
import { queueDepth } from '../support/queues.ts';
import { runInChild } from './child-process.ts';
import {
  type CommunityHouseholds,
  countyHouseholds,
  expectedWork,
  householdAt,
  householdIdAt,
  type MemoryFigures,
  type PlannerJob,
  PlannerOutcome,
} from './outreach-county.ts';

export interface OutreachPlanningOptions {
  /** Households of the smaller run: the county's communities in order until this many are in. */
  subsetHouseholds: number;
  /** Pages per invocation in the continuation variant. */
  pagesPerInvocation: number;
  /** Seed the DynamoDB registry through `upsert` and plan from it; false: generated pages instead. */
  dynamodbRegistry: boolean;
  /** Bound on each planner process. */
  timeoutMs: number;
  progress: (line: string) => void;
}

export interface PlanningVariant {
  /** `subset` (~15,000 households) and `county` run in one invocation; `county-continued` does not. */
  key: 'subset' | 'county' | 'county-continued';
  label: string;
  communities: number;
  households: number;
  pages: number;
  batches: number;
  invocations: number;
  continuations: number;
  planMs: number;
  baseline: MemoryFigures;
  peak: MemoryFigures;
  /** Peaks by tenth of the households, to see whether memory climbs along the run. */
  peakByTenth: MemoryFigures[];
  retained: MemoryFigures;
  /** Heap in use after a full collection, the highest seen (see PlannerOutcome). */
  liveHeap: number;
  samples: number;
  minorGcs: number;
  fullGcs: number;
}

export interface OutreachPlanningReport {
  registry: 'generated' | 'dynamodb';
  /** Seeding the DynamoDB registry through `upsert` (only with `dynamodbRegistry`). */
  seed?: { households: number; ms: number };
  pageSize: number;
  batchSize: number;
  /** The plan-outreach function's configured memory, for scale. */
  functionMemoryMb: number;
  variants: PlanningVariant[];
}

const REGION = 'us-east-1';
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
const PLANNER_PROCESS = fileURLToPath(new URL('./outreach-planner-process.ts', import.meta.url));
/** Households per `upsert` call when seeding: what the CSV import writes at a time. */
const SEED_CHUNK = 500;

export async function benchOutreachPlanning(
  options: OutreachPlanningOptions,
): Promise<OutreachPlanningReport> {
  const county = countyHouseholds(demoOrganisation.communities);
  const subset: CommunityHouseholds[] = [];
  for (const c of county) {
    if (subset.reduce((n, s) => n + s.households, 0) >= options.subsetHouseholds) break;
    subset.push(c);
  }

  const emulators = await startEmulators({});
  const dynamo = new DynamoDBClient({ endpoint: emulators.dynamoEndpoint, region: REGION, credentials });
  const sqs = new SQSClient({ endpoint: emulators.sqsEndpoint, region: REGION, credentials });
  try {
    const resources = await provision(
      {
        ...topology,
        tables: topology.tables.filter((t) => t.name === 'outreach' || t.name === 'households'),
        queues: topology.queues.filter((q) => q.name === 'outreach' || q.name === 'outreach-plan'),
      },
      dynamo,
      sqs,
    );
    const outreachTable = resources.tables.outreach;
    const householdsTable = resources.tables.households;
    const outreachQueue = resources.queues.outreach;
    const planQueue = resources.queues['outreach-plan'];
    if (!outreachTable || !householdsTable || !outreachQueue || !planQueue)
      throw new Error('the outreach tables and queues were not provisioned');
    const db = createDocumentClient(dynamo);
    const store = new DynamoDbOutreachStore(db, outreachTable);

    const registry = options.dynamodbRegistry ? 'dynamodb' : 'generated';
    let seed: OutreachPlanningReport['seed'];
    if (options.dynamodbRegistry) {
      seed = await seedRegistry(new DynamoDbHouseholdRegistry(db, householdsTable), county, options.progress);
    }

    const env: NodeJS.ProcessEnv = {
      ...process.env,
      AWS_REGION: REGION,
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      AWS_ENDPOINT_URL_DYNAMODB: emulators.dynamoEndpoint,
      AWS_ENDPOINT_URL_SQS: emulators.sqsEndpoint,
      OUTREACH_TABLE: outreachTable,
      HOUSEHOLDS_TABLE: householdsTable,
      OUTREACH_QUEUE_URL: outreachQueue,
      OUTREACH_PLAN_QUEUE_URL: planQueue,
    };
    const plans: {
      key: PlanningVariant['key'];
      label: string;
      communities: CommunityHouseholds[];
      pagesPerInvocation?: number;
    }[] = [
      {
        key: 'subset',
        label: `subset: first ${subset.length} communities, one invocation`,
        communities: subset,
      },
      {
        key: 'county',
        label: `county: all ${county.length} communities, one invocation`,
        communities: county,
      },
      {
        key: 'county-continued',
        label: `county: all ${county.length}, continuing every ${options.pagesPerInvocation} pages`,
        communities: county,
        pagesPerInvocation: options.pagesPerInvocation,
      },
    ];

    const variants: PlanningVariant[] = [];
    let sizes = { pageSize: 0, batchSize: 0 };
    for (const plan of plans) {
      const households = plan.communities.reduce((n, c) => n + c.households, 0);
      options.progress(`outreach planning: ${plan.label} (${households.toLocaleString('en-US')} households)`);
      const run = smsRun(`cmp-bench-${plan.key}`, plan.communities);
      if (!(await store.createRun(run))) throw new Error(`run ${run.campaignId} exists already`);
      const request: PlanRun = {
        kind: 'outreach.plan',
        campaignId: run.campaignId,
        runId: run.runId,
        token: `bench-${plan.key}`,
      };
      const job: PlannerJob = {
        request,
        registry,
        communities: plan.communities,
        ...(plan.pagesPerInvocation ? { pagesPerInvocation: plan.pagesPerInvocation } : {}),
      };
      const outcome = await runPlanner(job, env, options.timeoutMs);
      sizes = { pageSize: outcome.pageSize, batchSize: outcome.batchSize };
      const expected = expectedWork(plan.communities, outcome.pageSize, outcome.batchSize);

      const problems: string[] = [];
      const expect = (what: string, actual: number, wanted: number) => {
        if (actual !== wanted) problems.push(`${what}: ${actual}, expected ${wanted}`);
      };
      expect('households the planner reported enqueued', outcome.enqueued, expected.households);
      expect('pages read', outcome.pages, expected.pages);
      expect(
        'continuations',
        outcome.continuations,
        plan.pagesPerInvocation ? Math.ceil(expected.pages / plan.pagesPerInvocation) - 1 : 0,
      );
      problems.push(
        ...(await checkQueuedBatches(sqs, outreachQueue, run, plan.communities, expected.batches)),
      );
      const stored = await store.getRun(run.campaignId, run.runId);
      if (stored?.status !== 'sending')
        problems.push(`the run is ${stored?.status ?? 'gone'}, expected sending`);
      expect('the run’s enqueued count', stored?.counts.enqueued ?? -1, expected.households);
      expect('planning requests left on the plan queue', await queueDepth(sqs, planQueue), 0);
      if (problems.length > 0)
        throw new Error(`outreach planning, ${plan.label}, went wrong:\n  ${problems.join('\n  ')}`);

      variants.push({
        key: plan.key,
        label: plan.label,
        communities: plan.communities.length,
        households: expected.households,
        pages: outcome.pages,
        batches: expected.batches,
        invocations: outcome.invocations,
        continuations: outcome.continuations,
        planMs: outcome.planMs,
        baseline: outcome.baseline,
        peak: outcome.peak,
        peakByTenth: outcome.peakByTenth,
        retained: outcome.retained,
        liveHeap: outcome.liveHeap,
        samples: outcome.samples,
        minorGcs: outcome.minorGcs,
        fullGcs: outcome.fullGcs,
      });
    }

    return {
      registry,
      ...(seed ? { seed } : {}),
      ...sizes,
      functionMemoryMb: topology.functions.find((f) => f.name === 'plan-outreach')?.memoryMb ?? 0,
      variants,
    };
  } finally {
    dynamo.destroy();
    sqs.destroy();
    await emulators.stop();
  }
}

/** A run in `planning`, as the scheduler's tick creates it, over these communities. */
function smsRun(campaignId: string, communities: readonly CommunityHouseholds[]): CampaignRun {
  const at = '2026-12-01T01:00:00.000Z';
  return {
    campaignId,
    runId: '20261201T0900',
    occurrenceAt: at,
    campaignVersion: 1,
    title: '反诈提醒（基准）',
    communityIds: communities.map((c) => c.id),
    channel: { kind: 'sms', signature: '平遥反诈', body: '公安机关不会要求转账到安全账户。' },
    status: 'planning',
    createdAt: at,
    counts: emptyCounts(),
    planning: { communityIndex: 0, page: 0 },
  };
}

async function seedRegistry(
  registry: DynamoDbHouseholdRegistry,
  county: readonly CommunityHouseholds[],
  progress: (line: string) => void,
): Promise<{ households: number; ms: number }> {
  const total = county.reduce((n, c) => n + c.households, 0);
  progress(`seeding ${total.toLocaleString('en-US')} households through DynamoDbHouseholdRegistry.upsert`);
  const started = performance.now();
  let written = 0;
  let reported = 0;
  for (const community of county) {
    for (let from = 0; from < community.households; from += SEED_CHUNK) {
      const chunk = [];
      for (let i = from; i < Math.min(community.households, from + SEED_CHUNK); i++)
        chunk.push(householdAt(community, i));
      await registry.upsert(chunk);
      written += chunk.length;
    }
    if (written - reported >= 25_000) {
      reported = written;
      progress(
        `  ${written.toLocaleString('en-US')} seeded, ${((performance.now() - started) / 1000).toFixed(0)} s`,
      );
    }
  }
  return { households: written, ms: performance.now() - started };
}

/** Forks the planner process on a job and waits for its one answer. */
function runPlanner(job: PlannerJob, env: NodeJS.ProcessEnv, timeoutMs: number) {
  return runInChild(PLANNER_PROCESS, job, PlannerOutcome, {
    env,
    execArgv: ['--expose-gc'],
    timeoutMs,
    what: 'the planner process',
  });
}

/**
 * Reads every batch off the outreach queue (deleting it, so the next run starts from an empty
 * queue) and answers what is wrong with them: the count, the run, duplicate batch ids, and any
 * household missing, foreign or queued twice.
 */
async function checkQueuedBatches(
  sqs: SQSClient,
  queueUrl: string,
  run: CampaignRun,
  communities: readonly CommunityHouseholds[],
  expectedBatches: number,
): Promise<string[]> {
  const problems: string[] = [];
  const depth = await queueDepth(sqs, queueUrl);
  if (depth !== expectedBatches) problems.push(`batches on the queue: ${depth}, expected ${expectedBatches}`);

  const expected = new Set<string>();
  for (const c of communities) for (let i = 0; i < c.households; i++) expected.add(householdIdAt(c.id, i));
  const queued = new Set<string>();
  const batchIds = new Set<string>();
  let batches = 0;
  let foreign = 0;
  let twice = 0;
  let invalid = 0;
  for (let emptyPolls = 0; emptyPolls < 2; ) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: batches >= depth ? 1 : 0,
        VisibilityTimeout: 300,
      }),
    );
    if (Messages.length === 0) {
      emptyPolls += 1;
      continue;
    }
    emptyPolls = 0;
    for (const message of Messages) {
      batches += 1;
      const parsed = OutreachBatch.safeParse(JSON.parse(message.Body ?? 'null'));
      if (!parsed.success || parsed.data.campaignId !== run.campaignId || parsed.data.runId !== run.runId) {
        invalid += 1;
        continue;
      }
      if (batchIds.has(parsed.data.batchId)) problems.push(`batch ${parsed.data.batchId} is queued twice`);
      batchIds.add(parsed.data.batchId);
      for (const id of parsed.data.householdIds) {
        if (queued.has(id)) twice += 1;
        else if (expected.has(id)) queued.add(id);
        else foreign += 1;
      }
    }
    const entries = Messages.map((m, n) => ({ Id: String(n), ReceiptHandle: m.ReceiptHandle }));
    await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
  }
  if (batches !== expectedBatches) problems.push(`batches received: ${batches}, expected ${expectedBatches}`);
  if (invalid > 0) problems.push(`${invalid} messages are not batches of this run`);
  if (twice > 0) problems.push(`${twice} households are queued more than once`);
  if (foreign > 0) problems.push(`${foreign} queued households are not in the run's communities`);
  if (queued.size < expected.size)
    problems.push(
      `${expected.size - queued.size} of the run's ${expected.size} households are missing from the queue`,
    );
  return problems;
}
