/**
 * The planner process of the outreach-planning bench (outreach-planning.ts forks it with
 * --expose-gc): it plays the plan-outreach function for one run, so the memory it samples is the
 * planner's alone — the emulators live in the parent. Its dependencies are the production
 * composition (`planOutreachServices`: DynamoDB run, checkpoints and lease, SQS queues, page and
 * batch sizes) built from the environment the parent passes; only the registry may be swapped for
 * generated pages. A continuation is driven the way Lambda would: the next invocation takes its
 * request off the plan queue. Sends one PlannerOutcome back over IPC and exits.
 */
import { performance } from 'node:perf_hooks';
import { GCProfiler } from 'node:v8';
import { DeleteMessageCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { planOutreachServices } from '../../functions/wiring/outreach.ts';
import { createSqsClient } from '../../shared/adapters/aws-clients.ts';
import type { OutreachBatch, PlanRun } from '../../shared/domain/outreach/campaign.ts';
import { PlanRun as PlanRunSchema } from '../../shared/domain/outreach/campaign.ts';
import type { HouseholdPage } from '../../shared/ports/household-registry.ts';
import {
  type PlanLimits,
  type PlanResult,
  planOutreachRun,
} from '../../shared/services/plan-outreach-run.ts';
import {
  GeneratedHouseholdRegistry,
  type MemoryFigures,
  PlannerJob,
  type PlannerOutcome,
} from './outreach-county.ts';

/** Lambda's longest timeout: with this left, the planner never stops on its own. */
const LAMBDA_MAX_MS = 15 * 60_000;
/** What functions/plan-outreach.ts keeps in reserve. */
const RESERVE_MS = 20_000;

function reply(outcome: PlannerOutcome): void {
  const send = process.send?.bind(process);
  if (!send) {
    console.error('outreach-planner-process: run it through child_process.fork');
    process.exit(2);
  }
  // SDK clients keep sockets open: leave once the parent has the answer.
  send(outcome, () => process.exit(outcome.ok ? 0 : 1));
}

const fullGc = () => {
  if (!globalThis.gc) throw new Error('the planner process needs --expose-gc');
  globalThis.gc();
};

const memoryNow = (): MemoryFigures => {
  const { rss, heapUsed } = process.memoryUsage();
  return { rss, heapUsed };
};

/** The next planning request on the plan queue, taken off it as the event source mapping would. */
async function nextPlanRequest(sqs: SQSClient, queueUrl: string): Promise<PlanRun> {
  for (let poll = 0; poll < 5; poll++) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 1,
        WaitTimeSeconds: 1,
        VisibilityTimeout: 60,
      }),
    );
    const [message] = Messages;
    if (!message) continue;
    await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }));
    return PlanRunSchema.parse(JSON.parse(message.Body ?? ''));
  }
  throw new Error('the planner asked for a continuation, but none arrived on the plan queue');
}

async function plan(job: PlannerJob): Promise<PlannerOutcome> {
  const services = planOutreachServices();
  const planQueueUrl = process.env.OUTREACH_PLAN_QUEUE_URL ?? '';
  const sqs = createSqsClient();
  const registry =
    job.registry === 'generated' ? new GeneratedHouseholdRegistry(job.communities) : services.households;

  const total = job.communities.reduce((n, c) => n + c.households, 0);
  let listed = 0;
  const peak: MemoryFigures = { rss: 0, heapUsed: 0 };
  const byTenth: MemoryFigures[] = Array.from({ length: 10 }, () => ({ rss: 0, heapUsed: 0 }));
  let samples = 0;
  const sample = () => {
    const now = memoryNow();
    const tenth = byTenth[Math.min(9, Math.floor((listed * 10) / Math.max(1, total)))];
    for (const figures of tenth ? [peak, tenth] : [peak]) {
      figures.rss = Math.max(figures.rss, now.rss);
      figures.heapUsed = Math.max(figures.heapUsed, now.heapUsed);
    }
    samples += 1;
  };

  let pages = 0;
  let pagesThisInvocation = 0;
  const deps = {
    ...services,
    households: {
      async listCommunity(communityId: string, limit: number, cursor?: string): Promise<HouseholdPage> {
        const page = await registry.listCommunity(communityId, limit, cursor);
        listed += page.households.length;
        pages += 1;
        pagesThisInvocation += 1;
        sample();
        return page;
      },
    },
    outreachQueue: {
      async enqueue(batches: OutreachBatch[]): Promise<void> {
        await services.outreachQueue.enqueue(batches);
        sample();
      },
    },
  };
  const { pagesPerInvocation } = job;
  const limits: PlanLimits = {
    remainingMs: () =>
      pagesPerInvocation === undefined || pagesThisInvocation < pagesPerInvocation ? LAMBDA_MAX_MS : 0,
    reserveMs: RESERVE_MS,
  };

  fullGc();
  const baseline = memoryNow();
  const profiler = new GCProfiler();
  profiler.start();
  const started = performance.now();
  let request = job.request;
  let invocations = 0;
  let continuations = 0;
  let enqueued = 0;
  for (;;) {
    invocations += 1;
    pagesThisInvocation = 0;
    const result: PlanResult = await planOutreachRun(request, deps, limits);
    sample();
    if (result.status !== 'planned' && result.status !== 'continued')
      throw new Error(`invocation ${invocations} of the planner answered ${result.status}`);
    enqueued += result.enqueued;
    if (result.status === 'planned') break;
    continuations += 1;
    if (invocations > pages + 10) throw new Error('the planner keeps continuing without finishing');
    request = await nextPlanRequest(sqs, planQueueUrl);
  }
  const planMs = performance.now() - started;
  // V8's own full collections during planning: the heap they leave is what planning kept alive.
  const gcs = profiler.stop().statistics;
  const full = gcs.filter((g) => g.gcType === 'MarkSweepCompact');
  fullGc();
  const retained = memoryNow();
  return {
    ok: true,
    pageSize: services.pageSize,
    batchSize: services.batchSize,
    invocations,
    continuations,
    pages,
    enqueued,
    planMs,
    baseline,
    peak,
    peakByTenth: byTenth,
    samples,
    retained,
    minorGcs: gcs.filter((g) => g.gcType === 'Scavenge' || g.gcType === 'MinorMarkSweep').length,
    fullGcs: full.length,
    liveHeap: Math.max(retained.heapUsed, ...full.map((g) => g.afterGC.heapStatistics.usedHeapSize)),
  };
}

try {
  reply(await plan(PlannerJob.parse(JSON.parse(process.argv[2] ?? ''))));
} catch (error) {
  reply({ ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
}
