/**
 * One column of the cost bench (report-cost.ts forks it with CIVICLOOP_MEASURE_CAPACITY set, so
 * the handler modules, imported fresh here, build DynamoDB clients that ask for consumed capacity):
 * an in-memory local runtime with the report-path functions, a county history of `existing` cases
 * seeded into it, then web reports posted four at a time, group by group (without and with a
 * phone, not fraud and fraud), each group measured from its first POST until every report is on
 * its unit queue, its text (if any) is in the SMS outbox and no function is still running. Sends
 * one CostOutcome back over IPC and exits.
 */
import diagnostics from 'node:diagnostics_channel';
import { performance } from 'node:perf_hooks';
import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime.ts';
import { topology as systemTopology } from '../../infra/topology.ts';
import { capacityChannel, createDocumentClient } from '../../shared/adapters/aws-clients.ts';
import { localOutbox } from '../../shared/adapters/local-outbox.ts';
import { Catalog } from '../../shared/domain/catalog.ts';
import { AwsRequestCounter, BENCH_ORIGIN, RUNTIME_ORIGIN, requestOrigin } from './aws-requests.ts';
import { canonical, Receipt, reportMix, reportPathTopology, startConsumers } from './end-to-end.ts';
import { IndexWriteCapacity } from './index-write-capacity.ts';
import {
  type CapacityCount,
  type Checks,
  CostJob,
  type CostOutcome,
  type GroupResult,
  requestPurpose,
} from './report-cost.ts';
import { HISTORY_YEARS, seedHistoryInWorker } from './seed-history.ts';

function reply(outcome: CostOutcome): void {
  const send = process.send?.bind(process);
  if (!send) {
    console.error('report-cost-process: run it through child_process.fork');
    process.exit(2);
  }
  // SDK clients and the runtime keep sockets open: leave once the parent has the answer.
  send(outcome, () => process.exit(outcome.ok ? 0 : 1));
}

const progress = (job: CostJob, line: string) =>
  console.error(`[bench] cost (${job.existing.toLocaleString('en-US')} cases): ${line}`);

/** Polls `done` until it holds or the deadline passes (no fixed sleeps). */
async function until(done: () => boolean, deadline: number, everyMs = 20): Promise<boolean> {
  while (!done()) {
    if (performance.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  return true;
}

const CapacityMessage = z.object({
  commandName: z.string(),
  capacityUnits: z.number(),
  readCapacityUnits: z.number().optional(),
  writeCapacityUnits: z.number().optional(),
});
const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);
/** `PutCommand` (lib-dynamodb) and `PutItemCommand` (client) are both PutItem on the wire. */
const apiName = (commandName: string) => {
  const name = commandName.replace(/Command$/, '');
  return (
    {
      Put: 'PutItem',
      Get: 'GetItem',
      Update: 'UpdateItem',
      Delete: 'DeleteItem',
      BatchWrite: 'BatchWriteItem',
      BatchGet: 'BatchGetItem',
      TransactWrite: 'TransactWriteItems',
      TransactGet: 'TransactGetItems',
    }[name] ?? name
  );
};

/** Capacity published by the functions' clients, by the function (async context) that consumed it. */
class CapacityTally {
  readonly #counts = new Map<string, CapacityCount>();
  readonly #listener = (message: unknown) => {
    const parsed = CapacityMessage.safeParse(message);
    if (!parsed.success) return;
    const origin = requestOrigin.getStore() ?? 'unattributed';
    const operation = apiName(parsed.data.commandName);
    const key = `${origin}\u0000${operation}`;
    const entry = this.#counts.get(key) ?? { origin, operation, requests: 0, read: 0, write: 0 };
    this.#counts.set(key, entry);
    entry.requests += 1;
    // TOTAL answers CapacityUnits; whether they are read or write units is the operation's.
    if (WRITES.has(operation)) entry.write += parsed.data.writeCapacityUnits ?? parsed.data.capacityUnits;
    else entry.read += parsed.data.readCapacityUnits ?? parsed.data.capacityUnits;
  };

  start(): this {
    diagnostics.subscribe(capacityChannel.name, this.#listener);
    return this;
  }

  stop(): void {
    diagnostics.unsubscribe(capacityChannel.name, this.#listener);
  }

  reset(): void {
    this.#counts.clear();
  }

  snapshot(): CapacityCount[] {
    return [...this.#counts.values()].map((c) => ({ ...c }));
  }
}

const BatchResult = z.object({ batchItemFailures: z.array(z.unknown()) });
const BatchEvent = z.object({ Records: z.array(z.unknown()) });

interface InvocationStats {
  invocations: number;
  records: number;
  billedMs: number;
  failedRecords: number;
  inFlight: number;
}

/** Every hosted function runs under its own name (for the counters) and is timed as Lambda bills it. */
function instrument(rt: LocalRuntime): Map<string, InvocationStats> {
  const stats = new Map<string, InvocationStats>();
  for (const fn of rt.functions.values()) {
    const original = fn.invoke.bind(fn);
    const s: InvocationStats = { invocations: 0, records: 0, billedMs: 0, failedRecords: 0, inFlight: 0 };
    stats.set(fn.spec.name, s);
    fn.invoke = (event) =>
      requestOrigin.run(fn.spec.name, async () => {
        const started = performance.now();
        s.inFlight += 1;
        try {
          const result = await original(event);
          const batch = BatchResult.safeParse(result);
          if (batch.success) s.failedRecords += batch.data.batchItemFailures.length;
          return result;
        } finally {
          s.inFlight -= 1;
          s.invocations += 1;
          s.billedMs += Math.ceil(performance.now() - started);
          const batch = BatchEvent.safeParse(event);
          s.records += batch.success ? batch.data.Records.length : 1;
        }
      });
  }
  return stats;
}

interface Sent {
  code: string;
  phone: boolean;
}

async function run(job: CostJob): Promise<Extract<CostOutcome, { ok: true }>> {
  // Read when the handler modules build their clients, which the runtime imports below.
  process.env.CIVICLOOP_MEASURE_CAPACITY ??= '1';
  const capacityOfIndexes = new IndexWriteCapacity(
    new Map(
      systemTopology.tables.map((t) => [
        `civicloop-${t.name}`,
        t.indexes.map((i) => ({
          name: i.name,
          keys: [i.partitionKey.name, ...(i.sortKey ? [i.sortKey.name] : [])],
        })),
      ]),
    ),
    (operation, request) => requestPurpose('dynamodb', operation, request),
  );
  capacityOfIndexes.install();

  let runtimeErrors = 0;
  let firstRuntimeError: string | undefined;
  progress(job, 'starting the in-memory local runtime (report-path functions only)');
  const rt = await requestOrigin.run(RUNTIME_ORIGIN, () =>
    startLocalRuntime({
      port: 0,
      memory: true,
      quiet: true,
      topology: reportPathTopology(systemTopology),
      pollerConcurrency: 4,
      onError: (error) => {
        runtimeErrors += 1;
        firstRuntimeError ??= error instanceof Error ? error.message : String(error);
      },
    }),
  );
  const invocations = instrument(rt);
  const inFlight = () => [...invocations.values()].reduce((n, s) => n + s.inFlight, 0);

  const casesTable = rt.resources.tables.cases;
  const statsTable = rt.resources.tables.stats;
  if (!casesTable || !statsTable) throw new Error('the cases and stats tables were not provisioned');
  progress(
    job,
    `seeding ${job.existing.toLocaleString('en-US')} cases over ${HISTORY_YEARS} years, and today's`,
  );
  const seed = await seedHistoryInWorker(
    {
      endpoint: rt.dynamoEndpoint,
      region: rt.region,
      casesTable,
      statsTable,
      existing: job.existing,
      todayChangesPerUnit: job.todayChangesPerUnit,
      now: Date.now() - 60_000,
    },
    (line) => progress(job, line),
  );
  progress(job, `seeded in ${(seed.totalMs / 1000).toFixed(1)} s`);

  const arrivals = new Map<string, number>();
  let duplicates = 0;
  let consumerErrors = 0;
  const consumers = startConsumers(
    rt,
    (code) => {
      const n = arrivals.get(canonical(code)) ?? 0;
      if (n > 0) duplicates += 1;
      arrivals.set(canonical(code), n + 1);
    },
    () => {
      consumerErrors += 1;
    },
  );
  const counter = new AwsRequestCounter({ purposeOf: requestPurpose }).start();
  const capacity = new CapacityTally().start();
  const db = createDocumentClient(rt.dynamoClient);

  try {
    const catalog = Catalog.parse(await (await fetch(`${rt.url}/api/catalog`)).json());
    const mix = reportMix(catalog);
    const rejected: Record<string, number> = {};
    const post = async (body: Record<string, string>): Promise<Sent | undefined> => {
      try {
        const response = await fetch(`${rt.url}/api/reports`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            accept: 'application/json',
            'idempotency-key': crypto.randomUUID(),
          },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(30_000),
        });
        const receipt = Receipt.safeParse(await response.json());
        if (response.status === 202 && receipt.success)
          return { code: canonical(receipt.data.trackingCode), phone: body.contactPhone !== undefined };
        rejected[String(response.status)] = (rejected[String(response.status)] ?? 0) + 1;
      } catch (error) {
        const name = error instanceof Error ? error.name : 'error';
        rejected[name] = (rejected[name] ?? 0) + 1;
      }
      return undefined;
    };
    /** Posts the reports `concurrency` at a time and waits until each one has fully settled. */
    const send = async (bodies: Record<string, string>[], name: string): Promise<Sent[]> => {
      const started = performance.now();
      const deadline = started + job.groupTimeoutMs;
      const sent: Sent[] = [];
      let next = 0;
      const worker = async () => {
        while (next < bodies.length) {
          const body = bodies[next++];
          const accepted = body && (await post(body));
          if (accepted) sent.push(accepted);
        }
      };
      await Promise.all(Array.from({ length: Math.min(job.concurrency, bodies.length) }, worker));
      const settled = await until(
        () => sent.every((s) => arrivals.has(s.code)) && inFlight() === 0,
        deadline,
      );
      if (!settled)
        throw new Error(
          `${name}: ${sent.filter((s) => arrivals.has(s.code)).length} of ${sent.length} reports reached their unit queue ` +
            `within ${job.groupTimeoutMs / 1000} s${firstRuntimeError ? ` (first runtime error: ${firstRuntimeError})` : ''}`,
        );
      return sent;
    };

    const bodies = Array.from({ length: job.warmup + job.reports }, () => mix.next());
    progress(job, `warming up with ${job.warmup} reports`);
    await send(bodies.slice(0, job.warmup), 'warm-up');

    const measured = bodies.slice(job.warmup);
    const kinds = [
      { phone: false, fraud: false },
      { phone: true, fraud: false },
      { phone: false, fraud: true },
      { phone: true, fraud: true },
    ];
    const groups: GroupResult[] = [];
    const all: Sent[] = [];
    for (const kind of kinds) {
      const group = measured.filter(
        (b) => (b.contactPhone !== undefined) === kind.phone && (b.category === 'fraud') === kind.fraud,
      );
      if (group.length === 0) continue;
      counter.reset();
      capacity.reset();
      capacityOfIndexes.reset();
      for (const s of invocations.values()) Object.assign(s, { invocations: 0, records: 0, billedMs: 0 });
      const smsBefore = localOutbox().messages().length;
      const started = performance.now();
      const label = `${kind.phone ? 'with' : 'without'} a phone, ${kind.fraud ? 'fraud' : 'not fraud'}`;
      progress(job, `${group.length} reports ${label}`);
      const sent = await send(group, label);
      groups.push({
        ...kind,
        reports: sent.length,
        requests: counter.snapshot().filter((r) => r.origin !== BENCH_ORIGIN),
        capacity: capacity.snapshot(),
        writeUnits: capacityOfIndexes.snapshot(),
        invocations: [...invocations].map(([name, s]) => ({
          name,
          invocations: s.invocations,
          records: s.records,
          billedMs: s.billedMs,
        })),
        sms: localOutbox().messages().length - smsBefore,
        wallMs: performance.now() - started,
      });
      all.push(...sent);
    }

    // What every report left behind: its text (once, if it had a phone) and an empty outbox.
    const texts = new Map<string, number>();
    for (const m of localOutbox().messages()) {
      const code = m.correlationId?.split('#')[0];
      if (code) texts.set(code, (texts.get(code) ?? 0) + 1);
    }
    let unsettled = 0;
    let notices = 0;
    for (let i = 0; i < all.length; i += 100) {
      let keys: Record<string, unknown>[] = all
        .slice(i, i + 100)
        .map((s) => ({ pk: `CASE#${s.code}`, sk: 'STATE' }));
      while (keys.length > 0) {
        const out = await requestOrigin.run(BENCH_ORIGIN, () =>
          db.send(
            new BatchGetCommand({ RequestItems: { [casesTable]: { Keys: keys, ConsistentRead: true } } }),
          ),
        );
        for (const item of out.Responses?.[casesTable] ?? []) {
          if (item.outboxPk !== undefined || Object.keys(item).some((k) => k.startsWith('ob_')))
            unsettled += 1;
          if (Array.isArray(item.notices)) notices += item.notices.length;
        }
        keys = out.UnprocessedKeys?.[casesTable]?.Keys ?? [];
      }
    }
    const failedRecords = [...invocations.values()].reduce((n, s) => n + s.failedRecords, 0);
    const checks: Checks = {
      accepted: all.length,
      rejected,
      arrived: all.filter((s) => arrivals.has(s.code)).length,
      duplicates,
      smsExpected: all.filter((s) => s.phone).length,
      smsExact: all.filter((s) => s.phone && texts.get(s.code) === 1).length,
      smsUnexpected: all.filter((s) => (s.phone ? (texts.get(s.code) ?? 0) > 1 : texts.has(s.code))).length,
      unsettled,
      notices,
      failedRecords,
      runtimeErrors: runtimeErrors + consumerErrors,
      ...(firstRuntimeError ? { firstRuntimeError } : {}),
    };
    return { ok: true, existing: job.existing, seed, groups, checks };
  } finally {
    capacity.stop();
    counter.stop();
    await consumers.stop();
    consumers.client.destroy();
    await rt.stop();
  }
}

const parsedJob = CostJob.safeParse(JSON.parse(process.argv[2] ?? 'null'));
if (!parsedJob.success) {
  reply({ ok: false, error: `bad job: ${parsedJob.error.message}` });
} else {
  run(parsedJob.data).then(reply, (error: unknown) =>
    reply({ ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
  );
}
