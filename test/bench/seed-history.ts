/**
 * Writes a county's history (seed-cases.ts) into the cost bench's local runtime, from a worker
 * thread: the emulators serve on the process's main thread, so generating the cases and making
 * the requests here leaves that thread to dynalite alone and puts the machine's second core to
 * work (100,000 cases are 200,000 items and some 28,000 settled days). The items are what the
 * system itself would have left: a REPORT and a STATE item per case (the state with the sparse
 * index keys the case store writes, effects all run), a bucket per unit and day with its counters
 * and `applied` ids (the fraud-intake bucket among them), and balances settled through three days ago by the
 * stats store's own `settle`, as the sweeper settles them.
 */

import { performance } from 'node:perf_hooks';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { demoOrganisation } from '../../infra/demo/demo-organisation.ts';
import { batchWriteAll, type WriteRequest } from '../../shared/adapters/aws-call.ts';
import { createDocumentClient } from '../../shared/adapters/aws-clients.ts';
import { indexKeysOf } from '../../shared/adapters/case-table-layout.ts';
import { DynamoDbStatsStore } from '../../shared/adapters/dynamodb-stats-store.ts';
import { FRAUD_INTAKE_BUCKET } from '../../shared/domain/case-statistics.ts';
import { addDays, fromShanghaiLocal, shanghaiDay } from '../../shared/domain/outreach/shanghai-time.ts';
import { defaultPolicies } from '../../shared/reference/default-policies.ts';
import { seededRandom } from './end-to-end.ts';
import { SeedResult } from './report-cost.ts';
import {
  HISTORY_DAY_MS,
  historicCases,
  type SeededCase,
  StatsFold,
  todaysCases,
  trackingCodes,
} from './seed-cases.ts';

const SEED_CHUNK = 2_500;
const WRITERS = 8;
export const HISTORY_YEARS = 3;

const SeedJob = z.object({
  endpoint: z.string(),
  region: z.string(),
  casesTable: z.string(),
  statsTable: z.string(),
  existing: z.number().int().min(0),
  todayChangesPerUnit: z.number().int().min(0),
  /** Nothing in the history happens at or after this instant (ms since the epoch). */
  now: z.number(),
});
type SeedJob = z.infer<typeof SeedJob>;

const WorkerAnswer = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('progress'), line: z.string() }),
  z.object({ kind: z.literal('done'), result: SeedResult }),
  z.object({ kind: z.literal('failed'), error: z.string() }),
]);
type WorkerAnswer = z.infer<typeof WorkerAnswer>;

/** `requests` written `WRITERS` batches at a time. */
async function writeAll(db: DynamoDBDocumentClient, table: string, requests: WriteRequest[]): Promise<void> {
  const slice = Math.ceil(requests.length / WRITERS);
  await Promise.all(
    Array.from({ length: WRITERS }, (_, i) =>
      batchWriteAll(db, table, requests.slice(i * slice, (i + 1) * slice), 'seeding the cost bench'),
    ),
  );
}

const caseItems = ({ report, state }: SeededCase): WriteRequest[] => [
  { PutRequest: { Item: { pk: `CASE#${report.trackingCode}`, sk: 'REPORT', ...report } } },
  // A state whose effects have all run, as the case store leaves it: index keys, no outbox.
  {
    PutRequest: { Item: { pk: `CASE#${state.trackingCode}`, sk: 'STATE', ...state, ...indexKeysOf(state) } },
  },
];

/** DynamoDB's item size: attribute names plus values (numbers about half their digits, sets their members). */
function itemBytes(item: Record<string, unknown>): number {
  const size = (value: unknown): number => {
    if (typeof value === 'string') return Buffer.byteLength(value);
    if (typeof value === 'number')
      return Math.min(21, Math.ceil(String(Math.abs(value)).replace('.', '').length / 2) + 1);
    if (typeof value === 'boolean') return 1;
    if (value instanceof Set) return [...value].reduce<number>((n, v) => n + size(v), 0);
    return Buffer.byteLength(JSON.stringify(value) ?? '');
  };
  return Object.entries(item).reduce((n, [name, value]) => n + Buffer.byteLength(name) + size(value), 0);
}

async function seed(job: SeedJob, progress: (line: string) => void): Promise<SeedResult> {
  const started = performance.now();
  const client = new DynamoDBClient({
    endpoint: job.endpoint,
    region: job.region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const db = createDocumentClient(client);
  const today = shanghaiDay(new Date(job.now));
  const dayStart = fromShanghaiLocal(`${today}T00:00`).getTime();
  const ctx = {
    org: demoOrganisation,
    policies: defaultPolicies,
    random: seededRandom(job.existing + 7),
    newTrackingCode: trackingCodes(seededRandom(job.existing + 11)),
    newId: () => crypto.randomUUID(),
  };
  // Today's cases from a generator of their own: the same in every run, whatever `existing` is.
  const todayCtx = { ...ctx, random: seededRandom(20261206) };

  const fold = new StatsFold();
  let historic = 0;
  let todays = 0;
  let items = 0;
  let chunk: SeededCase[] = [];
  const flush = async () => {
    const requests = chunk.flatMap(caseItems);
    chunk = [];
    items += requests.length;
    await writeAll(db, job.casesTable, requests);
  };
  const sources: [Iterable<SeededCase>, () => void][] = [
    [
      historicCases(job.existing, dayStart - HISTORY_YEARS * 365 * HISTORY_DAY_MS, dayStart, ctx),
      () => historic++,
    ],
    [todaysCases(job.todayChangesPerUnit, dayStart, job.now, todayCtx), () => todays++],
  ];
  let reported = 0;
  for (const [source, count] of sources) {
    for (const seeded of source) {
      count();
      fold.add(seeded.state);
      chunk.push(seeded);
      if (chunk.length >= SEED_CHUNK) await flush();
      if (historic + todays - reported >= 25_000) {
        reported = historic + todays;
        progress(
          `${reported.toLocaleString('en-US')} cases seeded, ${((performance.now() - started) / 1000).toFixed(0)} s`,
        );
      }
    }
  }
  await flush();
  const casesMs = performance.now() - started;

  const statsStarted = performance.now();
  const bucketItems: WriteRequest[] = [...fold.buckets.values()].map((b) => ({
    PutRequest: { Item: { pk: `COUNTS#${b.unitId}`, sk: `DAY#${b.day}`, ...b.counters, applied: b.applied } },
  }));
  await writeAll(db, job.statsTable, bucketItems);
  const statsMs = performance.now() - statsStarted;

  // The sweeper settles every day up to three days ago; here the units are settled side by side.
  const settleStarted = performance.now();
  const stats = new DynamoDbStatsStore(db, job.statsTable);
  const throughDay = addDays(today, -3);
  const unitIds = demoOrganisation.units.map((u) => u.id);
  const settled = await Promise.all(unitIds.map((unitId) => stats.settle([unitId], throughDay)));
  const settleMs = performance.now() - settleStarted;
  client.destroy();

  const todayCounts = [...fold.changesOn(today).values()];
  const todayBuckets = [...fold.buckets.values()].filter((b) => b.day === today);
  return {
    historicCases: historic,
    todaysCases: todays,
    caseItems: items,
    buckets: fold.buckets.size,
    changes: fold.changes,
    todayChangesMin: todayCounts.length < unitIds.length ? 0 : Math.min(...todayCounts),
    todayChangesMax: Math.max(0, ...todayCounts),
    todayBucketBytes:
      todayBuckets.reduce(
        (n, b) =>
          n + itemBytes({ pk: `COUNTS#${b.unitId}`, sk: `DAY#${b.day}`, ...b.counters, applied: b.applied }),
        0,
      ) / Math.max(1, todayBuckets.length),
    fraudDays: [...fold.buckets.values()].filter((b) => b.unitId === FRAUD_INTAKE_BUCKET).length,
    settledDays: settled.reduce((n, s) => n + Object.values(s.settled).reduce((a, b) => a + b, 0), 0),
    balances: settled.filter((s) => Object.keys(s.settled).length > 0).length,
    casesMs,
    statsMs,
    settleMs,
    totalMs: performance.now() - started,
  };
}

/** Seeds the history from a worker thread; resolves with what was written once it is all in. */
export function seedHistoryInWorker(job: SeedJob, progress: (line: string) => void): Promise<SeedResult> {
  return new Promise<SeedResult>((resolve, reject) => {
    const worker = new Worker(new URL(import.meta.url), { workerData: job });
    let settled = false;
    worker.on('message', (message: unknown) => {
      const answer = WorkerAnswer.safeParse(message);
      if (!answer.success) return;
      if (answer.data.kind === 'progress') progress(answer.data.line);
      else {
        settled = true;
        void worker.terminate();
        if (answer.data.kind === 'done') resolve(answer.data.result);
        else reject(new Error(`seeding failed: ${answer.data.error}`));
      }
    });
    worker.on('error', (error) => {
      settled = true;
      reject(error);
    });
    worker.on('exit', (code) => {
      if (!settled) reject(new Error(`the seeding worker exited (${code}) without an answer`));
    });
  });
}

if (!isMainThread && parentPort) {
  const port = parentPort;
  const post = (answer: WorkerAnswer) => port.postMessage(answer);
  const job = SeedJob.safeParse(workerData);
  if (!job.success) post({ kind: 'failed', error: `bad job: ${job.error.message}` });
  else {
    seed(job.data, (line) => post({ kind: 'progress', line })).then(
      (result) => post({ kind: 'done', result }),
      (error: unknown) =>
        post({
          kind: 'failed',
          error: error instanceof Error ? (error.stack ?? error.message) : String(error),
        }),
    );
  }
}
