/**
 * What one web report costs in AWS, and that it does not grow with the county's history: for each
 * number of existing cases (1,000 and 100,000 by default) a fresh process
 * (report-cost-process.ts) starts the in-memory local runtime with the report-path functions,
 * seeds that history (cases over three years with the statistics they left, balances settled as
 * the sweeper settles them, and today's buckets already busy), then posts web reports with an
 * Idempotency-Key and counts, per report and by function, the AWS requests (as the end-to-end
 * bench counts them) and the DynamoDB capacity units they consume (`ReturnConsumedCapacity`, with
 * the index writes dynalite leaves out added as DynamoDB bills them: index-write-capacity.ts).
 * This module runs those processes, prices the figures at list prices and prints the columns side
 * by side; it is also the contract (job and answer) between the two processes.
 */
import { fileURLToPath } from 'node:url';
import * as z from 'zod';
import { topology } from '../../infra/topology.ts';
import { BENCH_ORIGIN, RUNTIME_ORIGIN, UNATTRIBUTED_ORIGIN } from './aws-requests.ts';
import { runInChild } from './child-process.ts';
import { int, printTable } from './table.ts';

const COST_PROCESS = fileURLToPath(new URL('./report-cost-process.ts', import.meta.url));

/** The functions a web report passes through, POST to the message on the unit's queue. */
export const REPORT_PATH_FUNCTIONS = ['submit-report', 'route-report'] as const;

// ─── the contract between the processes ─────────────────────────────────────────────────────────

export const CostJob = z.object({
  existing: z.number().int().min(0),
  reports: z.number().int().min(1),
  concurrency: z.number().int().min(1),
  warmup: z.number().int().min(0),
  /** Changes already in each unit's bucket of today before the first report. */
  todayChangesPerUnit: z.number().int().min(0),
  /** Bound on each group of reports, from the first POST until all have settled. */
  groupTimeoutMs: z.number().int().positive(),
});
export type CostJob = z.infer<typeof CostJob>;

const RequestCount = z.object({
  origin: z.string(),
  service: z.enum(['dynamodb', 'sqs', 'other']),
  operation: z.string(),
  resource: z.string(),
  purpose: z.string(),
  count: z.number(),
  maxBytes: z.number(),
});
export type RequestCount = z.infer<typeof RequestCount>;

/** Capacity the probe in shared/adapters/aws-clients.ts published, by function and operation. */
const CapacityCount = z.object({
  origin: z.string(),
  operation: z.string(),
  requests: z.number(),
  read: z.number(),
  write: z.number(),
});
export type CapacityCount = z.infer<typeof CapacityCount>;

const WriteUnitsCount = z.object({
  table: z.string(),
  purpose: z.string(),
  target: z.string(),
  kind: z.enum(['table', 'index put', 'index delete', 'index update', 'index key change', 'read']),
  writes: z.number(),
  units: z.number(),
});

const InvocationCount = z.object({
  name: z.string(),
  invocations: z.number(),
  records: z.number(),
  /** Sum over invocations of the duration rounded up to the millisecond, as Lambda bills. */
  billedMs: z.number(),
});

const GroupResult = z.object({
  phone: z.boolean(),
  fraud: z.boolean(),
  reports: z.number(),
  requests: z.array(RequestCount),
  capacity: z.array(CapacityCount),
  writeUnits: z.array(WriteUnitsCount),
  invocations: z.array(InvocationCount),
  /** Texts to reporters the group's reports caused (the local runtime's SMS outbox). */
  sms: z.number(),
  wallMs: z.number(),
});
export type GroupResult = z.infer<typeof GroupResult>;

export const SeedResult = z.object({
  historicCases: z.number(),
  todaysCases: z.number(),
  caseItems: z.number(),
  buckets: z.number(),
  changes: z.number(),
  todayChangesMin: z.number(),
  todayChangesMax: z.number(),
  /** Mean size of a unit's bucket of today as written, in bytes (DynamoDB's item size rules). */
  todayBucketBytes: z.number(),
  fraudDays: z.number(),
  settledDays: z.number(),
  balances: z.number(),
  casesMs: z.number(),
  statsMs: z.number(),
  settleMs: z.number(),
  totalMs: z.number(),
});
export type SeedResult = z.infer<typeof SeedResult>;

const Checks = z.object({
  accepted: z.number(),
  rejected: z.record(z.string(), z.number()),
  arrived: z.number(),
  duplicates: z.number(),
  /** Reports with a phone, and those whose dispatch text is in the outbox exactly once. */
  smsExpected: z.number(),
  smsExact: z.number(),
  /** Texts for reports without a phone, or a second text for one report. */
  smsUnexpected: z.number(),
  /** Cases whose outbox still held effects once their report had settled. */
  unsettled: z.number(),
  /** Effects that failed (a notice on the case). */
  notices: z.number(),
  failedRecords: z.number(),
  runtimeErrors: z.number(),
  firstRuntimeError: z.string().optional(),
});
export type Checks = z.infer<typeof Checks>;

export const CostOutcome = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    existing: z.number(),
    seed: SeedResult,
    groups: z.array(GroupResult),
    checks: Checks,
  }),
  z.object({ ok: z.literal(false), error: z.string() }),
]);
export type CostOutcome = z.infer<typeof CostOutcome>;
export type CostRun = Extract<CostOutcome, { ok: true }>;

// ─── what each request is for ────────────────────────────────────────────────────────────────

/** The reporter's text: requests for these purposes are left out of (a), POST → unit queue. */
export const NOTIFICATION_PREFIX = "reporter's text";
const isNotification = (purpose: string) => purpose.startsWith(NOTIFICATION_PREFIX);
/**
 * The search postings, written by the router's outbox after the delivery to the unit queue: left
 * out of (a), like the text, and shown on a line of their own.
 */
export const SEARCH_INDEX_PURPOSE = 'search index, off the report path';
const isSearchIndex = (purpose: string) => purpose === SEARCH_INDEX_PURPOSE;
const SMS_STATE_KINDS: Record<string, string> = {
  OPTOUT: 'opt-out list',
  NOTIFYCAP: 'daily cap per phone',
  NOTIFIED: 'record of the text',
};

const RequestFields = z.object({
  TableName: z.string().optional(),
  RequestItems: z.record(z.string(), z.unknown()).optional(),
  Key: z.record(z.string(), z.unknown()).optional(),
  Item: z.record(z.string(), z.unknown()).optional(),
  UpdateExpression: z.string().optional(),
  QueueUrl: z.string().optional(),
});
const StringAttribute = z.object({ S: z.string() });
const stringOf = (value: unknown) => {
  const parsed = StringAttribute.safeParse(value);
  return parsed.success ? parsed.data.S : undefined;
};

/**
 * What a request on the report path is for, read from its DynamoDB JSON or SQS body: which item
 * of which table (REPORT or STATE, a day bucket or the fraud ledger) and, for the case's state,
 * which write (the claim before the reporter's text sets `inFlight` on its outbox entry).
 */
export function requestPurpose(service: string, operation: string, body: unknown): string {
  const request = RequestFields.safeParse(body);
  if (!request.success) return '';
  const { Key, Item, UpdateExpression = '', QueueUrl = '' } = request.data;
  // A batch request names its table in RequestItems.
  const TableName = request.data.TableName ?? Object.keys(request.data.RequestItems ?? {})[0] ?? '';
  if (service === 'sqs') {
    const queue =
      QueueUrl.split('/')
        .at(-1)
        ?.replace(/^civicloop-/, '') ?? '';
    if (operation !== 'SendMessage')
      return queue === 'intake' ? 'polling the intake queue' : 'reading a unit queue';
    return queue === 'intake'
      ? 'report to the intake queue'
      : queue.startsWith('unit-')
        ? 'case to the unit queue'
        : '';
  }
  const table = TableName.replace(/^civicloop-/, '');
  const keys = Item ?? Key ?? {};
  const pk = stringOf(keys.pk) ?? '';
  const sk = stringOf(keys.sk) ?? '';
  switch (table) {
    case 'idempotency':
      return operation === 'PutItem' ? 'Idempotency-Key record' : 'Idempotency-Key';
    case 'directory':
      return 'directory and policies (cached 60 s)';
    case 'cases':
      if (sk === 'REPORT') return operation === 'PutItem' ? 'report item (written once)' : 'report read';
      if (operation === 'PutItem') return 'case created, already dispatched';
      if (operation !== 'UpdateItem') return 'case read';
      if (UpdateExpression.includes('inFlight')) return `${NOTIFICATION_PREFIX}: claim of the effect`;
      return 'effects settled (outbox emptied)';
    case 'sms': {
      // Only the reporter's text touches the SMS table on the report path.
      const kind = pk.split('#')[0] ?? '';
      return `${NOTIFICATION_PREFIX}: ${SMS_STATE_KINDS[kind] ?? kind.toLowerCase()}`;
    }
    case 'search':
      return SEARCH_INDEX_PURPOSE;
    case 'stats':
      if (pk === 'COUNTS#~fraud-intake') return 'fraud-intake day bucket';
      if (pk.startsWith('COUNTS#')) return "statistics: the unit's day bucket";
      return pk === 'BALANCE' ? 'statistics: balance' : 'statistics';
    default:
      return '';
  }
}

// ─── running ─────────────────────────────────────────────────────────────────────────────────────

export interface ReportCostOptions {
  existing: number[];
  reports: number;
  concurrency: number;
  warmup: number;
  todayChangesPerUnit: number;
  /** Bound on one process: seeding, warm-up and every group. */
  timeoutMs: number;
  progress: (line: string) => void;
}

function runProcess(job: CostJob, timeoutMs: number): Promise<CostRun> {
  // The capacity probe must be on before the handler modules build their clients.
  return runInChild(COST_PROCESS, job, CostOutcome, {
    env: { ...process.env, CIVICLOOP_MEASURE_CAPACITY: '1' },
    timeoutMs,
    what: `the cost process (${int(job.existing)} cases)`,
  });
}

export async function benchReportCost(options: ReportCostOptions): Promise<CostRun[]> {
  const runs: CostRun[] = [];
  for (const existing of options.existing) {
    options.progress(`cost per report: ${int(existing)} existing cases, in a process of its own`);
    runs.push(
      await runProcess(
        {
          existing,
          reports: options.reports,
          concurrency: options.concurrency,
          warmup: options.warmup,
          todayChangesPerUnit: options.todayChangesPerUnit,
          groupTimeoutMs: 120_000,
        },
        options.timeoutMs,
      ),
    );
  }
  return runs;
}

// ─── prices (us-east-1, USD, list prices as published on 2026-12-06) ───────────────────────────

export const PRICES = {
  date: '2026-12-06',
  region: 'us-east-1',
  /** DynamoDB on-demand, Standard table class. */
  dynamoWritePerMillion: 0.625,
  dynamoReadPerMillion: 0.125,
  /** SQS standard queue, per million requests (every 64 KB chunk of a payload is a request). */
  sqsPerMillion: 0.4,
  lambdaRequestsPerMillion: 0.2,
  /** The stack deploys arm64 (infra/constructs/civic-function.ts); x86_64 is $0.0000166667. */
  lambdaGbSecondArm: 0.0000133334,
  lambdaGbSecondX86: 0.0000166667,
  /** HTTP API, first 300 million requests a month (metered per 512 KB). */
  httpApiPerMillion: 1.0,
} as const;

const SQS_CHUNK_BYTES = 64 * 1024;
const memoryMbOf = (name: string) => topology.functions.find((f) => f.name === name)?.memoryMb ?? 0;
const isFunction = (origin: string) =>
  origin !== RUNTIME_ORIGIN && origin !== BENCH_ORIGIN && origin !== UNATTRIBUTED_ORIGIN;

// ─── figures per run ─────────────────────────────────────────────────────────────────────────────

interface Totals {
  reports: number;
  requests: RequestCount[];
  capacity: CapacityCount[];
  writeUnits: z.infer<typeof WriteUnitsCount>[];
  invocations: z.infer<typeof InvocationCount>[];
  sms: number;
}

function sumGroups(groups: readonly GroupResult[]): Totals {
  const requests = new Map<string, RequestCount>();
  const capacity = new Map<string, CapacityCount>();
  const writeUnits = new Map<string, z.infer<typeof WriteUnitsCount>>();
  const invocations = new Map<string, z.infer<typeof InvocationCount>>();
  for (const g of groups) {
    for (const r of g.requests) {
      const key = [r.origin, r.service, r.operation, r.resource, r.purpose].join('\u0000');
      const e = requests.get(key);
      if (e) {
        e.count += r.count;
        e.maxBytes = Math.max(e.maxBytes, r.maxBytes);
      } else requests.set(key, { ...r });
    }
    for (const c of g.capacity) {
      const key = `${c.origin}\u0000${c.operation}`;
      const e = capacity.get(key);
      if (e) {
        e.requests += c.requests;
        e.read += c.read;
        e.write += c.write;
      } else capacity.set(key, { ...c });
    }
    for (const w of g.writeUnits) {
      const key = [w.table, w.purpose, w.target, w.kind].join('\u0000');
      const e = writeUnits.get(key);
      if (e) {
        e.writes += w.writes;
        e.units += w.units;
      } else writeUnits.set(key, { ...w });
    }
    for (const i of g.invocations) {
      const e = invocations.get(i.name);
      if (e) {
        e.invocations += i.invocations;
        e.records += i.records;
        e.billedMs += i.billedMs;
      } else invocations.set(i.name, { ...i });
    }
  }
  return {
    reports: groups.reduce((n, g) => n + g.reports, 0),
    requests: [...requests.values()],
    capacity: [...capacity.values()],
    writeUnits: [...writeUnits.values()],
    invocations: [...invocations.values()],
    sms: groups.reduce((n, g) => n + g.sms, 0),
  };
}

export interface PerReport {
  reports: number;
  /** Every request the report-path functions made, per report. */
  dynamodb: number;
  sqs: number;
  requests: number;
  rcu: number;
  wcu: number;
  /** (a) POST → message on the unit's queue: the same without the reporter's text. */
  pathRequests: number;
  pathWcu: number;
  pathRcu: number;
  /** What the reporter's text adds in DynamoDB (its claim), per report. */
  notificationRequests: number;
  notificationWcu: number;
  notificationRcu: number;
  /** What the search postings cost (requests and write units), per report; not part of (a). */
  searchRequests: number;
  searchWcu: number;
  /** Write units by table (index writes included), per report. */
  wcuByTable: Map<string, number>;
  sms: number;
  /** The local queue poller's requests (Lambda's event source mapping in AWS), amortised. */
  esmRequests: number;
  lambda: {
    name: string;
    memoryMb: number;
    invocations: number;
    records: number;
    meanBilledMs: number;
    gbSeconds: number;
  }[];
  dollars: {
    dynamoWrites: number;
    dynamoReads: number;
    sqs: number;
    lambdaRequests: number;
    lambdaCompute: number;
    lambdaComputeX86: number;
    httpApi: number;
    total: number;
    esm: number;
  };
}

export function perReport(t: Totals): PerReport {
  const n = t.reports || Number.NaN;
  const fnRequests = t.requests.filter((r) => isFunction(r.origin));
  const count = (rows: readonly RequestCount[]) => rows.reduce((a, r) => a + r.count, 0);
  const dynamodb = count(fnRequests.filter((r) => r.service === 'dynamodb')) / n;
  const sqsRows = fnRequests.filter((r) => r.service === 'sqs');
  const sqs = count(sqsRows) / n;
  const sqsBilled =
    sqsRows.reduce((a, r) => a + r.count * Math.max(1, Math.ceil(r.maxBytes / SQS_CHUNK_BYTES)), 0) / n;
  const notificationRequests = count(fnRequests.filter((r) => isNotification(r.purpose))) / n;
  const searchRequests = count(fnRequests.filter((r) => isSearchIndex(r.purpose))) / n;
  const esmRequests = count(t.requests.filter((r) => r.origin === RUNTIME_ORIGIN && r.service === 'sqs')) / n;
  const fnCapacity = t.capacity.filter((c) => isFunction(c.origin));
  const rcu = fnCapacity.reduce((a, c) => a + c.read, 0) / n;
  const wcu = fnCapacity.reduce((a, c) => a + c.write, 0) / n;
  const writes = t.writeUnits.filter((w) => w.kind !== 'read');
  const searchWcu = writes.filter((w) => isSearchIndex(w.purpose)).reduce((a, w) => a + w.units, 0) / n;
  const notificationWcu =
    writes.filter((w) => isNotification(w.purpose)).reduce((a, w) => a + w.units, 0) / n;
  const notificationRcu =
    t.writeUnits
      .filter((w) => w.kind === 'read' && isNotification(w.purpose))
      .reduce((a, w) => a + w.units, 0) / n;
  const wcuByTable = new Map<string, number>();
  for (const w of writes) {
    const table = w.table.replace(/^civicloop-/, '');
    wcuByTable.set(table, (wcuByTable.get(table) ?? 0) + w.units / n);
  }
  const lambda = t.invocations
    .filter((i) => i.invocations > 0)
    .map((i) => {
      const memoryMb = memoryMbOf(i.name);
      return {
        name: i.name,
        memoryMb,
        invocations: i.invocations / n,
        records: i.records / i.invocations,
        meanBilledMs: i.billedMs / i.invocations,
        gbSeconds: ((i.billedMs / 1000) * (memoryMb / 1024)) / n,
      };
    });
  const gbSeconds = lambda.reduce((a, l) => a + l.gbSeconds, 0);
  const dollars = {
    dynamoWrites: (wcu * PRICES.dynamoWritePerMillion) / 1e6,
    dynamoReads: (rcu * PRICES.dynamoReadPerMillion) / 1e6,
    sqs: (sqsBilled * PRICES.sqsPerMillion) / 1e6,
    lambdaRequests: (lambda.reduce((a, l) => a + l.invocations, 0) * PRICES.lambdaRequestsPerMillion) / 1e6,
    lambdaCompute: gbSeconds * PRICES.lambdaGbSecondArm,
    lambdaComputeX86: gbSeconds * PRICES.lambdaGbSecondX86,
    // One POST per web report.
    httpApi: PRICES.httpApiPerMillion / 1e6,
    total: 0,
    esm: (esmRequests * PRICES.sqsPerMillion) / 1e6,
  };
  dollars.total =
    dollars.dynamoWrites +
    dollars.dynamoReads +
    dollars.sqs +
    dollars.lambdaRequests +
    dollars.lambdaCompute +
    dollars.httpApi;
  return {
    reports: t.reports,
    dynamodb,
    sqs,
    requests: dynamodb + sqs,
    rcu,
    wcu,
    pathRequests: dynamodb + sqs - notificationRequests - searchRequests,
    pathWcu: wcu - notificationWcu - searchWcu,
    pathRcu: rcu - notificationRcu,
    notificationRequests,
    notificationWcu,
    notificationRcu,
    searchRequests,
    searchWcu,
    wcuByTable,
    sms: t.sms / n,
    esmRequests,
    lambda,
    dollars,
  };
}

// ─── printing ────────────────────────────────────────────────────────────────────────────────────

const two = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : '–');
const three = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : '–');
const usd = (x: number) => `$${x.toFixed(2)}`;
const seconds = (millis: number) => `${(millis / 1000).toFixed(1)} s`;
const serviceName = (s: string) => (s === 'dynamodb' ? 'DynamoDB' : s === 'sqs' ? 'SQS' : s);
const originLabel = (origin: string) => (origin === RUNTIME_ORIGIN ? 'event source mapping *' : origin);
const orderOf = (origin: string) => (isFunction(origin) ? 1 : origin === RUNTIME_ORIGIN ? 2 : 3);

/** Rows keyed by `keyOf`, in the order of their first appearance across the runs, one value per run. */
function rowsAcross<T>(
  perRun: readonly (readonly T[])[],
  keyOf: (x: T) => string,
  sortKey: (x: T) => string,
): { first: T; values: (T | undefined)[] }[] {
  const keys = new Map<string, T>();
  for (const rows of perRun) for (const x of rows) if (!keys.has(keyOf(x))) keys.set(keyOf(x), x);
  return [...keys.entries()]
    .sort(([, a], [, b]) => sortKey(a).localeCompare(sortKey(b)))
    .map(([key, first]) => ({ first, values: perRun.map((rows) => rows.find((x) => keyOf(x) === key)) }));
}

export interface CostVerdict {
  problems: string[];
}

/** Prints every table; returns what should fail the bench. */
export function printReportCost(runs: readonly CostRun[], maxRequests: number): CostVerdict {
  const problems: string[] = [];
  const columns = runs.map((r) => `${int(r.existing)} cases`);
  const right = (title: string) => ({ title, align: 'right' as const });
  const totals = runs.map((r) => sumGroups(r.groups));
  const figures = totals.map(perReport);

  printTable(
    'Cost per report: the county history each run starts from',
    [{ title: 'seeded' }, ...columns.map(right)],
    [
      ['cases over the 3 years before today', ...runs.map((r) => int(r.seed.historicCases))],
      ['cases of today (the same in every run)', ...runs.map((r) => int(r.seed.todaysCases))],
      ['items in the cases table (REPORT + STATE)', ...runs.map((r) => int(r.seed.caseItems))],
      ['stage changes counted in the statistics', ...runs.map((r) => int(r.seed.changes))],
      ['day buckets with changes (unit × day)', ...runs.map((r) => int(r.seed.buckets))],
      [
        'days frozen by settle (every unit × calendar day to 3 days ago)',
        ...runs.map((r) => int(r.seed.settledDays)),
      ],
      ['balances', ...runs.map((r) => int(r.seed.balances))],
      ['fraud-intake bucket days', ...runs.map((r) => int(r.seed.fraudDays))],
      [
        "changes in each unit's bucket of today (min–max)",
        ...runs.map((r) => `${r.seed.todayChangesMin}–${r.seed.todayChangesMax}`),
      ],
      [
        "a unit's bucket of today, mean size",
        ...runs.map((r) => `${(r.seed.todayBucketBytes / 1024).toFixed(2)} KB`),
      ],
      [
        'seeding time: cases / statistics / settle / all',
        ...runs.map(
          (r) =>
            `${seconds(r.seed.casesMs)} / ${seconds(r.seed.statsMs)} / ${seconds(r.seed.settleMs)} / ${seconds(r.seed.totalMs)}`,
        ),
      ],
    ],
  );

  // Requests per report, by function, service, operation, table or queue, and what for.
  const requestRows = rowsAcross(
    totals.map((t) => t.requests.filter((r) => r.origin !== BENCH_ORIGIN)),
    (r) => [r.origin, r.service, r.operation, r.resource, r.purpose].join('\u0000'),
    (r) => `${orderOf(r.origin)}${r.origin}${r.service}${r.resource}${r.operation}${r.purpose}`,
  );
  printTable(
    'Cost per report: AWS requests per web report, by function (an Idempotency-Key on every POST)',
    [
      { title: 'made by' },
      { title: 'service' },
      { title: 'operation' },
      { title: 'table / queue' },
      { title: 'for' },
      ...columns.map(right),
    ],
    requestRows.map(({ first: r, values }) => [
      originLabel(r.origin),
      serviceName(r.service),
      r.operation,
      r.resource,
      r.purpose,
      ...values.map((v, i) => three((v?.count ?? 0) / (totals[i]?.reports ?? Number.NaN))),
    ]),
  );
  console.log(
    "\n* The local queue poller (2 s long polls, batches of up to 10), standing in for Lambda's event source mapping: " +
      'amortised per report here; in AWS its polling is a steady background cost rather than a per-report one.',
  );

  // Capacity by function and operation (the probe in the functions' own clients).
  const capacityRows = rowsAcross(
    totals.map((t) => t.capacity),
    (c) => `${c.origin}\u0000${c.operation}`,
    (c) => `${c.origin}${c.operation}`,
  );
  printTable(
    'Cost per report: DynamoDB capacity units per web report, by function and operation (ReturnConsumedCapacity TOTAL, index writes included)',
    [
      { title: 'function' },
      { title: 'operation' },
      ...columns.flatMap((c) => [right(`${c}: requests`), right('RCU'), right('WCU')]),
    ],
    [
      ...capacityRows.map(({ first: c, values }) => [
        originLabel(c.origin),
        c.operation,
        ...values.flatMap((v, i) => {
          const n = totals[i]?.reports ?? Number.NaN;
          return [three((v?.requests ?? 0) / n), two((v?.read ?? 0) / n), two((v?.write ?? 0) / n)];
        }),
      ]),
      ['(all)', '', ...figures.flatMap((f) => ['', two(f.rcu), two(f.wcu)])],
    ],
  );

  // Where the write units go: what each write is for, the table itself and each index.
  const writeRows = rowsAcross(
    totals.map((t) => t.writeUnits.filter((w) => w.kind !== 'read')),
    (w) => [w.table, w.purpose, w.target, w.kind].join('\u0000'),
    (w) => [w.table, w.purpose, w.target === '(table)' ? '' : w.target, w.kind].join('\u0000'),
  );
  printTable(
    'Cost per report: where the write units go — each write on its table, and the index writes DynamoDB bills with it',
    [
      { title: 'table' },
      { title: 'for' },
      { title: 'table or index' },
      { title: 'write' },
      ...columns.flatMap((c) => [right(`${c}: writes`), right('WCU')]),
    ],
    writeRows.map(({ first: w, values }) => [
      w.table.replace(/^civicloop-/, ''),
      w.purpose,
      w.target,
      w.kind,
      ...values.flatMap((v, i) => {
        const n = totals[i]?.reports ?? Number.NaN;
        return [three((v?.writes ?? 0) / n), two((v?.units ?? 0) / n)];
      }),
    ]),
  );
  console.log(
    '\nIndex writes are computed by the bench (dynalite answers with the table write only): every index projects ALL ' +
      'attributes, so an index entry is the whole item; an item entering or leaving an index is one write, a changed ' +
      'index key two, any other change to an item in the index one; 1 WCU per KB of the entry, as on the table.',
  );

  // By kind of report.
  const kinds = [
    { phone: false, fraud: false, label: 'no phone, not fraud' },
    { phone: true, fraud: false, label: 'with a phone, not fraud' },
    { phone: false, fraud: true, label: 'no phone, fraud' },
    { phone: true, fraud: true, label: 'with a phone, fraud' },
  ];
  const kindFigures = runs.map((r) =>
    kinds.map((k) =>
      perReport(sumGroups(r.groups.filter((g) => g.phone === k.phone && g.fraud === k.fraud))),
    ),
  );
  const kindRow = (f: PerReport | undefined) =>
    f
      ? [
          int(f.reports),
          two(f.pathRequests),
          two(f.pathWcu),
          two(f.notificationRequests),
          two(f.notificationRcu),
          two(f.notificationWcu),
          two(f.sms),
        ]
      : [];
  printTable(
    "Cost per report: by kind of web report — (a) POST → message on the unit queue, and the reporter's text apart",
    [
      { title: 'kind' },
      ...columns.flatMap((c) => [
        right(`${c}: reports`),
        right('(a) requests'),
        right('(a) WCU'),
        right('text: DynamoDB requests'),
        right('text: RCU'),
        right('text: WCU'),
        right('texts sent'),
      ]),
    ],
    [
      ...kinds.map((k, i) => [k.label, ...kindFigures.flatMap((kf) => kindRow(kf[i]))]),
      ['all (the mix)', ...figures.flatMap((f) => kindRow(f))],
    ],
  );
  for (const [i, kf] of kindFigures.entries()) {
    const [plain, phone] = kf;
    if (!plain || !phone) continue;
    const tables = [...new Set([...plain.wcuByTable.keys(), ...phone.wcuByTable.keys()])].sort();
    console.log(
      `\n${columns[i]}: the reporter's text (not fraud, with a phone against without) — DynamoDB requests ` +
        `${two(phone.dynamodb)} against ${two(plain.dynamodb)}, of them the text's ${two(phone.notificationRequests)} ` +
        `against ${two(plain.notificationRequests)}; WCU by table ${tables
          .map(
            (t) => `${t} ${two(phone.wcuByTable.get(t) ?? 0)} against ${two(plain.wcuByTable.get(t) ?? 0)}`,
          )
          .join(
            ', ',
          )} (a stats difference is the units' day buckets each group went to); texts ${two(phone.sms)} against ${two(plain.sms)}.`,
    );
  }

  // The two totals.
  const phoneFigures = runs.map((r) => perReport(sumGroups(r.groups.filter((g) => g.phone))));
  printTable(
    'Cost per report: totals per web report',
    [{ title: 'what' }, ...columns.map(right)],
    [
      [
        '(a) POST → message on the unit queue, requests (DynamoDB + SQS)',
        ...figures.map((f) => `${two(f.pathRequests)} (${two(f.pathRequests - f.sqs)} + ${two(f.sqs)})`),
      ],
      ['(a) RCU / WCU', ...figures.map((f) => `${two(f.pathRcu)} / ${two(f.pathWcu)}`)],
      [
        `${SEARCH_INDEX_PURPOSE} (after the delivery, in the router's outbox): requests / WCU`,
        ...figures.map((f) => `${two(f.searchRequests)} / ${two(f.searchWcu)}`),
      ],
      [
        '(b) with a phone, the text included: requests + SendTextMessage',
        ...phoneFigures.map((f) => `${two(f.requests)} + ${two(f.sms)}`),
      ],
      ['(b) RCU / WCU', ...phoneFigures.map((f) => `${two(f.rcu)} / ${two(f.wcu)}`)],
      [
        "every report, the text's DynamoDB part included (what AWS bills): requests / WCU",
        ...figures.map((f) => `${two(f.requests)} / ${two(f.wcu)}`),
      ],
      ['event source mapping (local poller), amortised requests', ...figures.map((f) => two(f.esmRequests))],
    ],
  );

  // Lambda.
  const lambdaRows = rowsAcross(
    figures.map((f) => f.lambda),
    (l) => l.name,
    (l) => (l.name === 'submit-report' ? '0' : l.name),
  );
  printTable(
    'Cost per report: Lambda invocations and billed duration (measured locally)',
    [
      { title: 'function' },
      right('memory'),
      ...columns.flatMap((c) => [
        right(`${c}: invocations/report`),
        right('records each'),
        right('mean billed'),
        right('GB-s/report'),
      ]),
    ],
    lambdaRows.map(({ first, values }) => [
      first.name,
      `${first.memoryMb} MB`,
      ...values.flatMap((l) =>
        l
          ? [three(l.invocations), two(l.records), `${l.meanBilledMs.toFixed(1)} ms`, l.gbSeconds.toFixed(5)]
          : ['', '', '', ''],
      ),
    ]),
  );

  // Dollars.
  const perMillion = (pick: (f: PerReport) => number) => figures.map((f) => usd(pick(f) * 1e6));
  printTable(
    'Cost per report: dollars per million web reports at list prices',
    [{ title: 'service' }, ...columns.map(right)],
    [
      ['DynamoDB on-demand, writes', ...perMillion((f) => f.dollars.dynamoWrites)],
      ['DynamoDB on-demand, reads', ...perMillion((f) => f.dollars.dynamoReads)],
      ['SQS standard (per 64 KB chunk)', ...perMillion((f) => f.dollars.sqs)],
      ['Lambda requests', ...perMillion((f) => f.dollars.lambdaRequests)],
      ['Lambda compute (arm64, durations measured locally)', ...perMillion((f) => f.dollars.lambdaCompute)],
      ['API Gateway HTTP API (the POST)', ...perMillion((f) => f.dollars.httpApi)],
      ['total', ...perMillion((f) => f.dollars.total)],
      [
        'apart: polling of the intake queue by the event source mapping, amortised',
        ...perMillion((f) => f.dollars.esm),
      ],
    ],
  );
  const largestMessage = Math.max(
    0,
    ...totals.flatMap((t) =>
      t.requests.filter((r) => r.service === 'sqs' && isFunction(r.origin)).map((r) => r.maxBytes),
    ),
  );
  console.log(
    `\nList prices, ${PRICES.region}, USD, as of ${PRICES.date}: DynamoDB on-demand $${PRICES.dynamoWritePerMillion} per ` +
      `million write request units and $${PRICES.dynamoReadPerMillion} per million read request units; SQS standard ` +
      `$${PRICES.sqsPerMillion.toFixed(2)} per million requests, each 64 KB chunk a request (the largest request here was ` +
      `${int(largestMessage)} bytes); Lambda $${PRICES.lambdaRequestsPerMillion.toFixed(2)} per million requests and ` +
      `$${PRICES.lambdaGbSecondArm} per GB-second on arm64, as the stack deploys (on x86_64 $${PRICES.lambdaGbSecondX86}: ` +
      `compute ${figures.map((f) => usd(f.dollars.lambdaComputeX86 * 1e6)).join(' / ')}), billed per ms of each ` +
      `invocation measured here, at each function's memory in infra/topology.ts; HTTP API $${PRICES.httpApiPerMillion.toFixed(2)} ` +
      "per million requests. The totals cover every request and write unit the functions made, the text's claim " +
      'included. Not included: the SMS itself (End User Messaging bills per message part and destination), storage, ' +
      'data transfer, CloudWatch Logs, free tiers.',
  );

  // Checks, the limit, and the comparison.
  for (const [i, r] of runs.entries()) {
    const c = r.checks;
    const rejected = Object.entries(c.rejected)
      .map(([s, n]) => `${n}× ${s}`)
      .join(', ');
    console.log(
      `\n${columns[i]}: ${c.arrived} of ${c.accepted} accepted reports arrived on their unit queue` +
        `${rejected ? ` (not 202: ${rejected})` : ''}, ${c.duplicates} duplicate deliveries; texts: ${c.smsExact} of ` +
        `${c.smsExpected} reports with a phone got exactly one, ${c.smsUnexpected} unexpected; ${c.unsettled} cases with ` +
        `effects still pending, ${c.notices} failed effects, ${c.failedRecords} failed records, ${c.runtimeErrors} runtime errors` +
        `${c.firstRuntimeError ? ` (first: ${c.firstRuntimeError})` : ''}.`,
    );
    const measured = r.groups.reduce((n, g) => n + g.reports, 0);
    if (c.arrived < c.accepted || c.accepted < measured)
      problems.push(`${columns[i]}: ${c.accepted - c.arrived} reports never reached their unit queue`);
    if (c.smsExact < c.smsExpected || c.smsUnexpected > 0)
      problems.push(`${columns[i]}: reporter texts are wrong`);
    if (c.unsettled > 0) problems.push(`${columns[i]}: ${c.unsettled} cases kept effects pending`);
  }
  for (const [i, f] of figures.entries()) {
    if (f.pathRequests > maxRequests + 1e-9)
      problems.push(
        `${columns[i]}: ${two(f.pathRequests)} AWS requests per web report from POST to the unit queue, more than ${maxRequests}`,
      );
  }
  const first = figures[0];
  const last = figures.at(-1);
  if (first && last && figures.length > 1) {
    const relative = (a: number, b: number) =>
      a === b ? 0 : Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b));
    const dRequests = Math.max(
      relative(first.requests, last.requests),
      relative(first.pathRequests, last.pathRequests),
    );
    const dWcu = Math.max(relative(first.wcu, last.wcu), relative(first.pathWcu, last.pathWcu));
    const equal =
      two(first.requests) === two(last.requests) &&
      two(first.pathRequests) === two(last.pathRequests) &&
      two(first.wcu) === two(last.wcu) &&
      two(first.pathWcu) === two(last.pathWcu);
    console.log(
      `\n${columns[0]} against ${columns.at(-1)}: (a) requests per report ${two(first.pathRequests)} / ${two(last.pathRequests)}, ` +
        `(a) WCU ${two(first.pathWcu)} / ${two(last.pathWcu)}, all requests ${two(first.requests)} / ${two(last.requests)}, ` +
        `all WCU ${two(first.wcu)} / ${two(last.wcu)}, RCU ${two(first.rcu)} / ${two(last.rcu)}: ` +
        `${equal ? 'THEY MATCH (equal to two decimals)' : `THEY DIFFER, by up to ${(dRequests * 100).toFixed(1)}% in requests and ${(dWcu * 100).toFixed(1)}% in WCU`}. ` +
        `Dollars per million ${usd(first.dollars.total * 1e6)} / ${usd(last.dollars.total * 1e6)} (only the Lambda compute ` +
        'line depends on timing).',
    );
    if (dRequests > 0.05 || dWcu > 0.05)
      problems.push(
        `the cost per report grows with the history: ${columns[0]} and ${columns.at(-1)} differ by more than 5%`,
      );
  }
  for (const problem of problems) console.log(`COST PER REPORT FAILED: ${problem}`);
  return { problems };
}
