/**
 * Local end-to-end throughput and latency: reports are posted to `POST /api/reports` of an
 * in-memory local runtime with bounded concurrency, and the bench's own consumers long-poll every
 * unit queue, so a report's latency runs from sending the POST to receiving the routed message
 * (matched by tracking code). Everything — the bench client, the HTTP gateway, the handlers,
 * dynalite and fauxqs — shares this one Node process, so the figures describe the code path and
 * the local emulators, not AWS.
 */
import { performance } from 'node:perf_hooks';
import { DeleteMessageBatchCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import * as z from 'zod';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime.ts';
import { topology as systemTopology, type Topology, unitQueueName } from '../../infra/topology.ts';
import { Catalog } from '../../shared/domain/catalog.ts';
import { unitIds } from '../../shared/reference/county-structure.ts';
import {
  type AwsRequestCount,
  AwsRequestCounter,
  BENCH_ORIGIN,
  RUNTIME_ORIGIN,
  requestOrigin,
} from './aws-requests.ts';
import { type CpuShare, profileCpu } from './cpu-profile.ts';
import { percentile } from './table.ts';

export interface EndToEndOptions {
  reports: number;
  /** POSTs in flight at once. */
  concurrency: number;
  /** Reports sent (and awaited) before measuring, then left out of every figure. */
  warmup: number;
  pollerConcurrency: number;
  /** Bound on the measured phase; whatever has not arrived by then is reported missing. */
  timeoutMs: number;
  /** Send an Idempotency-Key with each POST, as the resident page's script does. */
  idempotencyKeys: boolean;
  /** Host every function, not only those on the report path. */
  allFunctions: boolean;
  /** Reports sent one at a time after the loaded run, for the latency of the path itself. */
  unloadedReports: number;
  /** Reports sent under the CPU profiler after that; only their CPU shares are reported. */
  profileReports: number;
  progress: (line: string) => void;
}

export interface Distribution {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

export interface FunctionStats {
  invocations: number;
  records: number;
  /** Records the function reported back as failed (SQS partial batch responses). */
  failedRecords: number;
  durations: Distribution;
}

export interface EndToEndReport {
  reports: number;
  accepted: number;
  /** Status (or `error`) → count for POSTs that were not answered 202. */
  rejected: Map<string, number>;
  arrived: number;
  missing: number;
  duplicates: number;
  timedOut: boolean;
  /** First POST sent → last routed message received. */
  wallMs: number;
  /** First POST sent → last 202 read: how fast intake alone went. */
  acceptWallMs: number;
  /** POST sent → routed message received. */
  latency: Distribution;
  /** Median latency of each fifth of the run, in order: does a backlog build up? */
  latencyTrend: number[];
  /** POST sent → 202 received. */
  accept: Distribution;
  /** 202 received → routed message received. */
  route: Distribution;
  /** The same path, one report at a time (absent when the loaded run did not complete). */
  unloaded: { reports: number; latency: Distribution; accept: Distribution; route: Distribution } | undefined;
  functions: Map<string, FunctionStats>;
  requests: AwsRequestCount[];
  /** Self CPU time by where it was spent, over the profiled burst. */
  cpu: CpuShare[];
  unitsReached: number;
  categoriesUsed: number;
  communitiesUsed: number;
  eventLoopUtilization: number;
  /** Process CPU time / wall time: how many cores this one process kept busy. */
  coresUsed: number;
  /** Process CPU time over the loaded run divided by the reports that arrived. */
  cpuMsPerReport: number;
  runtimeErrors: number;
  firstRuntimeError: string | undefined;
  /** Failed receives or deletes of the bench's own consumers (they retry). */
  consumerErrors: number;
  firstConsumerError: string | undefined;
  hostedFunctions: string[];
}

export const Receipt = z.object({ trackingCode: z.string() });
const RoutedMessage = z.object({ trackingCode: z.string(), unitId: z.string() });
const BatchEvent = z.object({ Records: z.array(z.unknown()) });
const BatchResult = z.object({ batchItemFailures: z.array(z.unknown()) });

export const canonical = (code: string) => code.replaceAll('-', '');
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function distribution(values: readonly number[]): Distribution {
  const sorted = [...values].sort((a, b) => a - b);
  const sum = sorted.reduce((a, b) => a + b, 0);
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? Number.NaN,
    mean: sorted.length ? sum / sorted.length : Number.NaN,
  };
}

/** Only the functions a report passes through: nothing else adds requests or CPU to the run. */
export function reportPathTopology(topology: Topology): Topology {
  const onPath = topology.functions.filter((fn) =>
    fn.triggers.some(
      (t) =>
        (t.kind === 'http' && t.method === 'POST' && t.path === '/api/reports') ||
        (t.kind === 'http' && t.method === 'GET' && t.path === '/api/catalog') ||
        (t.kind === 'queue' && t.queue === 'intake'),
    ),
  );
  return { ...topology, functions: onPath };
}

/** mulberry32: the same mix of reports on every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const descriptions = [
  '有人冒充客服让我下载会议软件共享屏幕',
  '顺城路路灯不亮，晚上很危险',
  '垃圾站满了三天没人清运',
  '邻居装修噪音扰民，协商无果',
  '校车超载，孩子们站着坐车',
  '超市卖过期牛奶',
  '古庙墙体开裂，有倒塌风险',
  '村口道路塌陷，车辆无法通行',
  '独居老人家中断暖，需要帮助',
];

export interface ReportMix {
  next(): Record<string, string>;
  categories: number;
  communities: number;
}

export function reportMix(catalog: Catalog): ReportMix {
  const random = seededRandom(20261129);
  const categories = catalog.categories.map((c) => c.code);
  const communities = catalog.townships.flatMap((t) => t.communities.map((c) => c.id));
  if (categories.length === 0 || communities.length === 0) throw new Error('the catalogue is empty');
  const pick = <T>(items: readonly T[]): T => {
    const item = items[Math.floor(random() * items.length)];
    if (item === undefined) throw new Error('picked from an empty list');
    return item;
  };
  let n = 0;
  return {
    categories: categories.length,
    communities: communities.length,
    next() {
      n += 1;
      const report: Record<string, string> = {
        category: pick(categories),
        communityId: pick(communities),
        description: `${pick(descriptions)}（#${n}）`,
      };
      // Half leave a phone number, a third an address: both change what is stored.
      if (random() < 0.5) report.contactPhone = `139${String(10_000_000 + n).slice(-8)}`;
      if (random() < 0.33) report.address = `${pick(['顺城路', '西大街', '南大街', '东关'])}${n}号`;
      return report;
    },
  };
}

/**
 * Pairs each accepted POST with its routed message. Either can come first: the router may deliver
 * before the bench has read the POST's answer.
 */
class ArrivalTracker {
  readonly #sent = new Map<string, { sent: number; accepted: number }>();
  readonly #arrived = new Map<string, number>();
  readonly unitsReached = new Set<string>();
  duplicates = 0;
  #matched = 0;
  #onProgress: (() => void) | undefined;

  get acceptedCount(): number {
    return this.#sent.size;
  }

  get matchedCount(): number {
    return this.#matched;
  }

  accepted(code: string, sent: number, accepted: number): void {
    this.#sent.set(code, { sent, accepted });
    if (this.#arrived.has(code)) this.#match();
  }

  arrived(code: string, unitId: string, at: number): void {
    if (this.#arrived.has(code)) {
      this.duplicates += 1;
      return;
    }
    this.#arrived.set(code, at);
    this.unitsReached.add(unitId);
    if (this.#sent.has(code)) this.#match();
  }

  #match(): void {
    this.#matched += 1;
    this.#onProgress?.();
  }

  /** True once every accepted report has arrived; false if the deadline comes first. */
  allArrived(deadline: number): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      const finish = (done: boolean) => {
        clearTimeout(timer);
        this.#onProgress = undefined;
        resolve(done);
      };
      const timer = setTimeout(() => finish(false), Math.max(0, deadline - performance.now()));
      this.#onProgress = () => {
        if (this.#matched >= this.#sent.size) finish(true);
      };
      this.#onProgress();
    });
  }

  *reports(): Generator<{ sent: number; accepted: number; at: number | undefined }> {
    for (const [code, times] of this.#sent) yield { ...times, at: this.#arrived.get(code) };
  }

  clear(): void {
    this.#sent.clear();
    this.#arrived.clear();
    this.unitsReached.clear();
    this.duplicates = 0;
    this.#matched = 0;
  }
}

/** Receives routed messages from every unit queue until stopped; the bench's calls are labelled. */
export function startConsumers(
  rt: LocalRuntime,
  onMessage: (trackingCode: string, unitId: string, at: number) => void,
  onError: (error: unknown) => void,
): { stop(): Promise<void>; client: SQSClient } {
  const client = new SQSClient({
    endpoint: rt.sqsEndpoint,
    region: rt.region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    useQueueUrlAsEndpoint: false,
  });
  const abort = new AbortController();
  const queueUrls = unitIds
    .map((id) => rt.resources.queues[unitQueueName(id)])
    .filter((u) => u !== undefined);
  const consume = async (queueUrl: string) => {
    while (!abort.signal.aborted) {
      try {
        const { Messages = [] } = await client.send(
          new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
          { abortSignal: abort.signal },
        );
        const at = performance.now();
        if (Messages.length === 0) continue;
        for (const message of Messages) {
          const parsed = RoutedMessage.safeParse(safeJson(message.Body ?? ''));
          if (parsed.success) onMessage(parsed.data.trackingCode, parsed.data.unitId, at);
        }
        await client.send(
          new DeleteMessageBatchCommand({
            QueueUrl: queueUrl,
            Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle ?? '' })),
          }),
        );
      } catch (error) {
        if (abort.signal.aborted) return;
        // Keep consuming: a consumer that died would leave its queue's reports "never arrived".
        onError(error);
        await sleep(200);
      }
    }
  };
  const loops = requestOrigin.run(BENCH_ORIGIN, () => queueUrls.map((url) => consume(url)));
  return {
    client,
    async stop() {
      abort.abort();
      await Promise.allSettled(loops);
    },
  };
}

function safeJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

interface Phase {
  accepted: number;
  rejected: Map<string, number>;
  arrived: number;
  duplicates: number;
  complete: boolean;
  wallMs: number;
  /** First POST sent → last 202 read. */
  acceptWallMs: number;
  latency: Distribution;
  accept: Distribution;
  route: Distribution;
  /** Median latency of each fifth of the reports, in the order they were accepted. */
  trend: number[];
  unitsReached: number;
  eventLoopUtilization: number;
  cpuMs: number;
}

export async function benchEndToEnd(options: EndToEndOptions): Promise<EndToEndReport> {
  const counter = new AwsRequestCounter().start();
  let runtimeErrors = 0;
  let firstRuntimeError: string | undefined;
  const topology = options.allFunctions ? systemTopology : reportPathTopology(systemTopology);
  // Started under the runtime's label: its queue pollers inherit it, the handlers get their own below.
  const rt = await requestOrigin.run(RUNTIME_ORIGIN, () =>
    startLocalRuntime({
      port: 0,
      memory: true,
      quiet: true,
      topology,
      pollerConcurrency: options.pollerConcurrency,
      onError: (error) => {
        runtimeErrors += 1;
        firstRuntimeError ??= error instanceof Error ? error.message : String(error);
      },
    }),
  );

  // Each hosted function runs under its own name, so every AWS call it makes is attributed to it.
  const invocations = new Map<string, { durations: number[]; records: number; failedRecords: number }>();
  for (const fn of rt.functions.values()) {
    const original = fn.invoke.bind(fn);
    const stats = { durations: [] as number[], records: 0, failedRecords: 0 };
    invocations.set(fn.spec.name, stats);
    fn.invoke = (event) =>
      requestOrigin.run(fn.spec.name, async () => {
        const started = performance.now();
        try {
          const result = await original(event);
          // Failed records do not surface as errors: the queue redelivers them, quietly.
          const batch = BatchResult.safeParse(result);
          if (batch.success) stats.failedRecords += batch.data.batchItemFailures.length;
          return result;
        } finally {
          stats.durations.push(performance.now() - started);
          const batch = BatchEvent.safeParse(event);
          stats.records += batch.success ? batch.data.Records.length : 1;
        }
      });
  }
  const resetInvocations = () => {
    for (const stats of invocations.values()) {
      stats.durations.length = 0;
      stats.records = 0;
      stats.failedRecords = 0;
    }
  };

  const tracker = new ArrivalTracker();
  let consumerErrors = 0;
  let firstConsumerError: string | undefined;
  const consumers = startConsumers(
    rt,
    (code, unitId, at) => tracker.arrived(code, unitId, at),
    (error) => {
      consumerErrors += 1;
      firstConsumerError ??= error instanceof Error ? error.message : String(error);
    },
  );

  try {
    const catalog = Catalog.parse(await (await fetch(`${rt.url}/api/catalog`)).json());
    const mix = reportMix(catalog);
    let rejected = new Map<string, number>();
    const post = async () => {
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        accept: 'application/json',
      };
      if (options.idempotencyKeys) headers['idempotency-key'] = crypto.randomUUID();
      const body = JSON.stringify(mix.next());
      const sent = performance.now();
      try {
        const response = await fetch(`${rt.url}/api/reports`, {
          method: 'POST',
          headers,
          body,
          signal: AbortSignal.timeout(30_000),
        });
        const answer: unknown = await response.json();
        const accepted = performance.now();
        const receipt = Receipt.safeParse(answer);
        if (response.status !== 202 || !receipt.success) {
          rejected.set(String(response.status), (rejected.get(String(response.status)) ?? 0) + 1);
          return;
        }
        tracker.accepted(canonical(receipt.data.trackingCode), sent, accepted);
      } catch (error) {
        const name = error instanceof Error ? error.name : 'error';
        rejected.set(name, (rejected.get(name) ?? 0) + 1);
      }
    };
    /** Posts `count` reports, `concurrency` at a time; starts none after the deadline. */
    const postMany = async (count: number, concurrency: number, deadline: number) => {
      let next = 0;
      const worker = async () => {
        while (next < count && performance.now() < deadline) {
          next += 1;
          await post();
        }
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
    };

    /** One batch of reports, from the first POST until every one has arrived (or the deadline). */
    const phase = async (
      count: number,
      concurrency: number,
      timeoutMs: number,
      name: string,
    ): Promise<Phase> => {
      tracker.clear();
      rejected = new Map();
      const eluStart = performance.eventLoopUtilization();
      const cpuStart = process.cpuUsage();
      const started = performance.now();
      const deadline = started + timeoutMs;
      const ticker = setInterval(() => {
        options.progress(
          `  ${name} ${((performance.now() - started) / 1000).toFixed(0)} s: ${tracker.acceptedCount} accepted, ${tracker.matchedCount} on unit queues`,
        );
      }, 10_000);
      let complete: boolean;
      try {
        await postMany(count, concurrency, deadline);
        complete = await tracker.allArrived(deadline);
      } finally {
        clearInterval(ticker);
      }
      const elu = performance.eventLoopUtilization(eluStart);
      const cpu = process.cpuUsage(cpuStart);
      const latencies: number[] = [];
      const accepts: number[] = [];
      const routes: number[] = [];
      const ordered: number[] = [];
      let lastArrival = started;
      let lastAccepted = started;
      for (const { sent, accepted, at } of tracker.reports()) {
        accepts.push(accepted - sent);
        lastAccepted = Math.max(lastAccepted, accepted);
        ordered.push(at === undefined ? Number.NaN : at - sent);
        if (at === undefined) continue;
        latencies.push(at - sent);
        // A message can be received before its POST's answer is read: then routing added nothing.
        routes.push(Math.max(0, at - accepted));
        lastArrival = Math.max(lastArrival, at);
      }
      return {
        accepted: tracker.acceptedCount,
        rejected,
        arrived: latencies.length,
        duplicates: tracker.duplicates,
        complete,
        wallMs: lastArrival - started,
        acceptWallMs: lastAccepted - started,
        latency: distribution(latencies),
        accept: distribution(accepts),
        route: distribution(routes),
        trend: [0, 1, 2, 3, 4].map((fifth) => {
          const slice = ordered.slice(
            Math.floor((fifth * ordered.length) / 5),
            Math.floor(((fifth + 1) * ordered.length) / 5),
          );
          return distribution(slice.filter((x) => !Number.isNaN(x))).p50;
        }),
        unitsReached: tracker.unitsReached.size,
        eventLoopUtilization: elu.utilization,
        cpuMs: (cpu.user + cpu.system) / 1000,
      };
    };

    // Warm-up: first imports' JIT, the directory caches, the emulators' first tables and queues.
    // If those do not all arrive, the path is broken: say so now instead of waiting out the timeout.
    if (options.warmup > 0) {
      const warm = await phase(options.warmup, Math.min(4, options.concurrency), 30_000, 'warm-up');
      if (!warm.complete) {
        const failures = [...invocations]
          .filter(([, x]) => x.failedRecords > 0)
          .map(([name, x]) => `${name} reported ${x.failedRecords} failed records`);
        const rejectedText = [...warm.rejected].map(([status, n]) => `${n}× ${status}`).join(', ');
        throw new Error(
          `the report path is broken: ${warm.arrived} of ${options.warmup} warm-up reports reached a unit queue ` +
            `within 30 s (${warm.accepted} answered 202${rejectedText ? `, not 202: ${rejectedText}` : ''}` +
            `${failures.length ? `; ${failures.join('; ')}` : ''}` +
            `${firstRuntimeError ? `; first runtime error: ${firstRuntimeError}` : ''})`,
        );
      }
      await sleep(200);
    }

    resetInvocations();
    runtimeErrors = 0;
    firstRuntimeError = undefined;
    counter.reset();
    options.progress(`posting ${options.reports} reports, ${options.concurrency} in flight`);
    const main = await phase(options.reports, options.concurrency, options.timeoutMs, 'loaded');
    const requests = counter.snapshot();
    const functions = new Map<string, FunctionStats>();
    for (const [name, stats] of invocations) {
      functions.set(name, {
        invocations: stats.durations.length,
        records: stats.records,
        failedRecords: stats.failedRecords,
        durations: distribution(stats.durations),
      });
    }
    const errorsInMain = { runtimeErrors, firstRuntimeError };

    // One at a time: the latency of the path itself, without 15 other reports queued in front.
    let unloaded: Phase | undefined;
    if (options.unloadedReports > 0 && main.complete) {
      options.progress(`posting ${options.unloadedReports} reports one at a time`);
      await sleep(500);
      unloaded = await phase(options.unloadedReports, 1, 25_000, 'unloaded');
    }

    let cpu: CpuShare[] = [];
    if (options.profileReports > 0 && main.complete) {
      options.progress(`profiling the CPU over ${options.profileReports} more reports`);
      await sleep(500);
      cpu = await profileCpu(async () => {
        await phase(options.profileReports, options.concurrency, 25_000, 'profiled');
      });
    }

    return {
      reports: options.reports,
      accepted: main.accepted,
      rejected: main.rejected,
      arrived: main.arrived,
      missing: main.accepted - main.arrived,
      duplicates: main.duplicates,
      timedOut: !main.complete,
      wallMs: main.wallMs,
      acceptWallMs: main.acceptWallMs,
      latency: main.latency,
      latencyTrend: main.trend,
      accept: main.accept,
      route: main.route,
      unloaded: unloaded && {
        reports: unloaded.accepted,
        latency: unloaded.latency,
        accept: unloaded.accept,
        route: unloaded.route,
      },
      functions,
      requests,
      cpu,
      unitsReached: main.unitsReached,
      categoriesUsed: mix.categories,
      communitiesUsed: mix.communities,
      eventLoopUtilization: main.eventLoopUtilization,
      coresUsed: main.wallMs > 0 ? main.cpuMs / main.wallMs : Number.NaN,
      cpuMsPerReport: main.arrived > 0 ? main.cpuMs / main.arrived : Number.NaN,
      ...errorsInMain,
      consumerErrors,
      firstConsumerError,
      hostedFunctions: [...rt.functions.keys()],
    };
  } finally {
    await consumers.stop();
    consumers.client.destroy();
    await rt.stop();
    counter.stop();
  }
}
