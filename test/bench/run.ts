/**
 * `npm run bench`: one bounded run that prints, as aligned tables, (1) every function's bundle as
 * CDK builds it — size, gzip size, what the bytes are, and module-load time — beside a plain
 * handler (middy, zod classic, DynamoDB PutItem + SQS SendMessage, esbuild CJS minified), each
 * function's load overhead as a ratio of the plain handler's against issue 12's targets; (2) local end-to-end throughput and latency from POST /api/reports
 * to the routed message on the unit's queue; (3) the AWS requests each report costs; (4) planning an
 * SMS outreach run over the county's ~150,000 households: time, throughput and the planner's peak
 * memory, against a ~15,000-household run; (5) what one web report costs — requests, capacity units
 * and dollars at list prices — over 1,000 and over 100,000 existing cases, which must match. Not
 * part of `npm test`: it takes minutes and its figures depend on the machine.
 *
 * Flags: --reports N (2000), --concurrency N (16 POSTs in flight), --warmup N (20),
 * --load-runs N (9), --poller-concurrency N (4, the local runtime's default), --timeout S (180,
 * bound on the loaded end-to-end run), --unloaded N (30 reports one at a time afterwards),
 * --profile-reports N (150 more under the CPU profiler), --without-idempotency-key,
 * --all-functions, --keep-bundles, --skip-bundles, --skip-e2e; outreach planning:
 * --outreach-subset N (15000 households in the smaller run), --outreach-pages-per-invocation N (50,
 * the continuation variant), --outreach-generated-registry (generate the households page by page
 * instead of seeding the DynamoDB registry, which takes about 2 min), --skip-outreach; cost per
 * report: --cost-reports N (300 web reports per column), --cost-existing 1000,100000 (the existing
 * cases of each column), --skip-cost; the classifier on the held-out resident messages (issue 14):
 * --skip-classifier; the WeChat Work callback's time to acknowledge (issue 16): --wecom-appeals N
 * (300 sealed appeals, 8 in flight), --skip-wecom-callback; a county-wide notice to the grids' WeChat
 * groups (issue 16 item 2): --wecom-groups N (2348), --skip-wecom-groups; --skip-wecom skips both
 * WeChat Work sections.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { sideModulesOf } from '../../infra/constructs/handler-bundling.ts';
import { topology } from '../../infra/topology.ts';
import { evaluateClassifier } from '../../shared/domain/sms/classifier-quality.ts';
import { defaultKeywordTable } from '../../shared/reference/report-keywords.ts';
import { labelledReports } from '../domain/sms/labelled-reports.ts';
import { BENCH_ORIGIN, RUNTIME_ORIGIN, UNATTRIBUTED_ORIGIN } from './aws-requests.ts';
import { type BundleReport, benchBundles, compositionGroups, placeholderEnvironment } from './bundles.ts';
import { benchClassifier, printClassifierBench } from './classifier-holdout.ts';
import { benchEndToEnd, type Distribution, type EndToEndReport } from './end-to-end.ts';
import { benchOutreachPlanning, type OutreachPlanningReport } from './outreach-planning.ts';
import { benchReportCost, printReportCost } from './report-cost.ts';
import { int, kb, mb, ms, printTable } from './table.ts';
import { ackDistribution, benchWecomCallback } from './wecom-callback.ts';
import { benchWecomGroups } from './wecom-groups.ts';

const { values } = parseArgs({
  options: {
    reports: { type: 'string', default: '2000' },
    concurrency: { type: 'string', default: '16' },
    warmup: { type: 'string', default: '20' },
    'load-runs': { type: 'string', default: '9' },
    'poller-concurrency': { type: 'string', default: '4' },
    timeout: { type: 'string', default: '180' },
    unloaded: { type: 'string', default: '30' },
    'profile-reports': { type: 'string', default: '150' },
    'without-idempotency-key': { type: 'boolean', default: false },
    'all-functions': { type: 'boolean', default: false },
    'keep-bundles': { type: 'boolean', default: false },
    'skip-bundles': { type: 'boolean', default: false },
    'skip-e2e': { type: 'boolean', default: false },
    'outreach-subset': { type: 'string', default: '15000' },
    'outreach-pages-per-invocation': { type: 'string', default: '50' },
    'outreach-generated-registry': { type: 'boolean', default: false },
    'skip-outreach': { type: 'boolean', default: false },
    'cost-reports': { type: 'string', default: '300' },
    'cost-existing': { type: 'string', default: '1000,100000' },
    'skip-cost': { type: 'boolean', default: false },
    'skip-classifier': { type: 'boolean', default: false },
    'wecom-appeals': { type: 'string', default: '300' },
    'skip-wecom-callback': { type: 'boolean', default: false },
    'wecom-groups': { type: 'string', default: '2348' },
    'skip-wecom-groups': { type: 'boolean', default: false },
    'skip-wecom': { type: 'boolean', default: false },
  },
});

/**
 * Whatever happens, the bench stops by itself; the phases have their own, tighter bounds. Outreach
 * planning seeds 150,000 households into the DynamoDB registry first, which takes about 2 min.
 */
const seedsRegistry = !values['skip-outreach'] && !values['outreach-generated-registry'];
/** The cost phase seeds its largest history (100,000 cases) in about 2 min, and runs once per column. */
const COST_PROCESS_LIMIT_MS = 6 * 60_000;
const HARD_LIMIT_MS = ((seedsRegistry ? 11 : 8) + (values['skip-cost'] ? 0 : 8)) * 60_000;
/** What one web report may cost from POST to the message on the unit's queue (issue 10). */
const MAX_REQUESTS_PER_REPORT = 7;

function positiveInt(name: string, raw: string, min = 1): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) {
    console.error(`--${name} must be an integer ≥ ${min}, got ${raw}`);
    process.exit(2);
  }
  return n;
}

const reports = positiveInt('reports', values.reports);
const concurrency = positiveInt('concurrency', values.concurrency);
const warmup = positiveInt('warmup', values.warmup, 0);
const loadRuns = positiveInt('load-runs', values['load-runs']);
const pollerConcurrency = positiveInt('poller-concurrency', values['poller-concurrency']);
const timeoutS = positiveInt('timeout', values.timeout);
const unloadedReports = positiveInt('unloaded', values.unloaded, 0);
const profileReports = positiveInt('profile-reports', values['profile-reports'], 0);
const outreachSubset = positiveInt('outreach-subset', values['outreach-subset']);
const outreachPagesPerInvocation = positiveInt(
  'outreach-pages-per-invocation',
  values['outreach-pages-per-invocation'],
);
const costReports = positiveInt('cost-reports', values['cost-reports']);
const costExisting = values['cost-existing']
  .split(',')
  .map((raw) => positiveInt('cost-existing', raw.trim(), 0));

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const progress = (line: string) => console.error(`[bench] ${line}`);

const watchdog = setTimeout(() => {
  console.error(`[bench] still running after ${HARD_LIMIT_MS / 60_000} min: giving up`);
  process.exit(1);
}, HARD_LIMIT_MS);
watchdog.unref();

/** Other work on the machine skews every timing here; the load average says how much there was. */
const loadAverage = () =>
  `${os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' / ')} (1 / 5 / 15 min)`;

function printMachine() {
  const cpus = os.cpus();
  printTable(
    'Machine',
    [{ title: 'what' }, { title: 'value' }],
    [
      ['node', process.version],
      ['CPU', `${cpus[0]?.model ?? 'unknown'}${cpus[0]?.speed ? ` @ ${cpus[0].speed} MHz` : ''}`],
      ['cores', `${os.availableParallelism()} available (${cpus.length} online)`],
      ['memory', `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`],
      ['OS', `${os.type()} ${os.release()} ${os.arch()}`],
      ['load average', loadAverage()],
      ['date', new Date().toISOString()],
    ],
  );
}

/**
 * Issue 12's cold-start targets: load overhead over an empty node as a fraction of the plain
 * handler's — the functions a resident waits on at most 0.6 of it, every other at most 0.8.
 */
const residentFacing = new Set([
  'submit-report',
  'get-report-status',
  'resident-page',
  'receive-sms',
  'sms-webhooks',
  'rate-report',
]);
const loadTarget = (name: string) => (residentFacing.has(name) ? 0.6 : 0.8);

function printBundles(report: BundleReport) {
  const baseline = report.measured.find((m) => m.target.name === BASELINE);
  const ratio = (value: number, base: number | undefined) =>
    base !== undefined && base > 0 ? value / base : Number.NaN;
  const times = (x: number) => (Number.isFinite(x) ? `${x.toFixed(2)}×` : '–');
  const rows = report.measured.map((m) => {
    const isBaseline = m.target.name === BASELINE;
    const isYardstick = isBaseline || m.target.name === SDK_FLOOR;
    const loadRatio = ratio(m.loadMs, baseline?.loadMs);
    const target = loadTarget(m.target.name);
    return [
      isBaseline
        ? `${BASELINE} (plain handler, CJS)`
        : m.target.name === SDK_FLOOR
          ? `${SDK_FLOOR} (clients + logger alone)`
          : m.target.name,
      int(m.bytes),
      kb(m.bytes),
      kb(m.gzipBytes),
      baseline ? `${(m.bytes / baseline.bytes).toFixed(2)}×` : '',
      ms(m.loadMs),
      ms(m.loadMinMs),
      times(loadRatio),
      times(ratio(m.loadMinMs, baseline?.loadMinMs)),
      isYardstick ? '' : `≤ ${target.toFixed(1)}×${residentFacing.has(m.target.name) ? ' (resident)' : ''}`,
      isYardstick || !Number.isFinite(loadRatio) ? '' : loadRatio <= target ? 'yes' : 'NO',
      kb(m.mapBytes),
      m.copiedBytes ? kb(m.copiedBytes) : '',
      ms(m.loadCpuMs),
      times(ratio(m.loadCpuMs, baseline?.loadCpuMs)),
    ];
  });
  printTable(
    'Bundles as CDK builds them (esbuild, CommonJS, minified, node24), and their module load time over an empty node, against the plain handler',
    [
      { title: 'function' },
      { title: 'bytes', align: 'right' },
      { title: 'size', align: 'right' },
      { title: 'gzip', align: 'right' },
      { title: 'size vs baseline', align: 'right' },
      { title: 'load (median)', align: 'right' },
      { title: 'load (fastest)', align: 'right' },
      { title: '÷ baseline (median)', align: 'right' },
      { title: '÷ baseline (fastest)', align: 'right' },
      { title: 'target', align: 'right' },
      { title: 'meets', align: 'right' },
      { title: 'map file', align: 'right' },
      { title: 'copied beside', align: 'right' },
      { title: 'load CPU (median)', align: 'right' },
      { title: '÷ baseline (CPU)', align: 'right' },
    ],
    rows,
  );
  console.log(
    `\nLoad = \`node -e "require(bundle)"\` (as Lambda loads a CommonJS index.js) minus an empty \`node -e ""\` ` +
      `(median ${ms(report.emptyNodeMs)}, fastest ${ms(report.emptyNodeMinMs)}, CPU ${ms(report.emptyNodeCpuMs)}), ` +
      `${report.runs} runs each, interleaved; "load CPU" is the CPU time (all threads) the load adds, which other work ` +
      'on the machine disturbs far less than the wall time. ' +
      `${BASELINE} is test/bench/baseline-handler.ts (middy, zod classic, DynamoDB PutItem + SQS SendMessage with ` +
      `default clients) bundled as CommonJS, minified; "÷ baseline" is a function's load overhead over the ` +
      `baseline's, the targets issue 12's (resident-facing ≤ 0.6×, others ≤ 0.8×). ${SDK_FLOOR} is ` +
      `test/bench/sdk-floor-handler.ts (the DynamoDB document and SQS clients, Powertools' logger and middy, ` +
      `nothing of ours) bundled as the functions are: what a function loads before its own code.`,
  );
  for (const failure of report.failed) console.log(`NOT MEASURED ${failure.target.name}: ${failure.error}`);

  printTable(
    'What the bytes are (minified bytes in the bundle, by package group)',
    [{ title: 'function' }, ...compositionGroups.map((g) => ({ title: g, align: 'right' as const }))],
    report.measured.map((m) => [m.target.name, ...compositionGroups.map((g) => kb(m.composition[g]))]),
  );
  const others = new Map<string, number>();
  for (const m of report.measured) {
    for (const [pkg, bytes] of m.otherPackages) others.set(pkg, Math.max(others.get(pkg) ?? 0, bytes));
  }
  const top = [...others]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 6)
    .map(([pkg, bytes]) => `${pkg} ${kb(bytes)}`);
  if (top.length)
    console.log(`\n'other' is mostly (largest in any one bundle): ${top.join(', ')}; plus esbuild glue.`);
}

const dist = (d: Distribution) => [ms(d.p50), ms(d.p90), ms(d.p99), ms(d.max)];

function printEndToEnd(r: EndToEndReport) {
  const rejected = [...r.rejected].map(([status, n]) => `${n}× ${status}`).join(', ') || '0';
  const notSent = r.reports - r.accepted - [...r.rejected.values()].reduce((a, b) => a + b, 0);
  printTable(
    `End to end, local in-memory runtime: POST /api/reports → routed message received from the unit queue`,
    [
      { title: 'reports' },
      { title: 'in flight', align: 'right' },
      { title: 'wall', align: 'right' },
      { title: 'reports/s', align: 'right' },
      { title: 'p50', align: 'right' },
      { title: 'p90', align: 'right' },
      { title: 'p99', align: 'right' },
      { title: 'max', align: 'right' },
      { title: 'never arrived', align: 'right' },
      { title: 'not 202', align: 'right' },
    ],
    [
      [
        int(r.reports),
        String(concurrency),
        `${(r.wallMs / 1000).toFixed(1)} s`,
        r.wallMs > 0 ? (r.arrived / (r.wallMs / 1000)).toFixed(1) : '–',
        ...dist(r.latency),
        String(r.missing + Math.max(0, notSent)),
        rejected,
      ],
    ],
  );
  console.log(
    `\n${int(r.arrived)} of ${int(r.accepted)} accepted reports arrived` +
      `${r.timedOut ? ` (TIMED OUT after ${timeoutS} s)` : ''}${notSent > 0 ? `, ${notSent} never sent before the deadline` : ''}; ` +
      `${r.duplicates} duplicate deliveries; ${r.categoriesUsed} categories × ${r.communitiesUsed} communities mixed, ` +
      `reaching ${r.unitsReached} unit queues; runtime errors: ${r.runtimeErrors}` +
      `${r.firstRuntimeError ? ` (first: ${r.firstRuntimeError})` : ''}` +
      `${r.consumerErrors ? `; bench consumer errors: ${r.consumerErrors} (first: ${r.firstConsumerError})` : ''}.`,
  );
  console.log(
    `Intake alone answered all ${int(r.accepted)} POSTs in ${(r.acceptWallMs / 1000).toFixed(1)} s ` +
      `(${(r.accepted / (r.acceptWallMs / 1000)).toFixed(1)}/s); whatever routing cannot keep up with waits on the intake queue.`,
  );
  console.log(
    `Median latency by fifth of the run, in the order reports were accepted: ${r.latencyTrend.map(ms).join(' → ')}.`,
  );

  const fnRows = [...r.functions]
    .filter(([, s]) => s.invocations > 0)
    .map(([name, s]) => [
      `${name} (invocation)${s.failedRecords ? ` — ${s.failedRecords} records FAILED` : ''}`,
      int(s.invocations),
      (s.records / s.invocations).toFixed(2),
      ...dist(s.durations),
    ]);
  printTable(
    'Where the time goes',
    [
      { title: 'stage' },
      { title: 'count', align: 'right' },
      { title: 'items each', align: 'right' },
      { title: 'p50', align: 'right' },
      { title: 'p90', align: 'right' },
      { title: 'p99', align: 'right' },
      { title: 'max', align: 'right' },
    ],
    [
      [`POST sent → 202 read (gateway + submit-report)`, int(r.accept.count), '1', ...dist(r.accept)],
      ['202 read → routed message (intake queue wait + routing)', int(r.route.count), '1', ...dist(r.route)],
      ...fnRows,
      ...(r.unloaded
        ? [
            [
              'one at a time: POST sent → routed message',
              int(r.unloaded.latency.count),
              '1',
              ...dist(r.unloaded.latency),
            ],
            [
              'one at a time: POST sent → 202 read',
              int(r.unloaded.accept.count),
              '1',
              ...dist(r.unloaded.accept),
            ],
            [
              'one at a time: 202 read → routed message',
              int(r.unloaded.route.count),
              '1',
              ...dist(r.unloaded.route),
            ],
          ]
        : []),
    ],
  );
  console.log(
    `\nRows without 'one at a time' are the loaded run (${concurrency} in flight); function rows are invocation ` +
      `durations (route-report's cover a batch). This process (bench client, gateway, handlers, dynalite, fauxqs) ` +
      `kept ${r.coresUsed.toFixed(2)} cores busy, event-loop utilisation ${(r.eventLoopUtilization * 100).toFixed(0)}%, ` +
      `${r.cpuMsPerReport.toFixed(1)} ms of CPU per report. Hosted functions: ${r.hostedFunctions.join(', ')}.`,
  );
  if (r.cpu.length) {
    printTable(
      `Where the CPU goes (V8 sampling profile over ${profileReports} further reports, ${concurrency} in flight; self time)`,
      [{ title: 'code' }, { title: 'CPU', align: 'right' }, { title: 'share', align: 'right' }],
      r.cpu.map((c) => [c.group, `${int(c.ms)} ms`, `${(c.share * 100).toFixed(1)}%`]),
    );
  }

  const perReport = (n: number) => (n / r.accepted).toFixed(3);
  const system = r.requests.filter((x) => x.origin !== BENCH_ORIGIN);
  const isFunction = (origin: string) => origin !== RUNTIME_ORIGIN && origin !== UNATTRIBUTED_ORIGIN;
  const label = (origin: string) =>
    origin === RUNTIME_ORIGIN
      ? 'event source mapping *'
      : origin === UNATTRIBUTED_ORIGIN
        ? 'unattributed'
        : origin;
  const order = (origin: string) => (isFunction(origin) ? 1 : origin === RUNTIME_ORIGIN ? 2 : 3);
  const serviceName = (service: string) =>
    service === 'dynamodb' ? 'DynamoDB' : service === 'sqs' ? 'SQS' : service;
  const rows = [...system]
    .sort(
      (a, b) =>
        order(a.origin) - order(b.origin) ||
        a.origin.localeCompare(b.origin) ||
        a.service.localeCompare(b.service) ||
        a.operation.localeCompare(b.operation) ||
        a.resource.localeCompare(b.resource),
    )
    .map((x) => [
      label(x.origin),
      serviceName(x.service),
      x.operation,
      x.resource,
      int(x.count),
      perReport(x.count),
    ]);
  printTable(
    `AWS requests per report, in detail (over the ${int(r.accepted)} measured reports; warm-up and the bench's own consumers excluded)`,
    [
      { title: 'made by' },
      { title: 'service' },
      { title: 'operation' },
      { title: 'table / queue' },
      { title: 'requests', align: 'right' },
      { title: 'per report', align: 'right' },
    ],
    rows,
  );
  console.log(
    "\n* The local runtime's queue poller, standing in for Lambda's event source mapping: in AWS Lambda makes " +
      'these calls, and they are not billed per report the same way.',
  );

  // The same, summed over the functions: what one report costs in billed requests.
  const totals = new Map<string, number>();
  for (const x of system.filter((y) => isFunction(y.origin))) {
    const key = `${serviceName(x.service)}\u0000${x.operation}`;
    totals.set(key, (totals.get(key) ?? 0) + x.count);
  }
  const summary = [...totals].sort(([a], [b]) => a.localeCompare(b));
  const serviceTotal = (service: string) =>
    summary.filter(([key]) => key.startsWith(`${service}\u0000`)).reduce((a, [, n]) => a + n, 0);
  printTable(
    'AWS requests per report, by the functions (what AWS bills per request)',
    [{ title: 'service' }, { title: 'operation' }, { title: 'per report', align: 'right' }],
    [
      ...summary.map(([key, n]) => [...key.split('\u0000'), perReport(n)]),
      ['DynamoDB', '(all)', perReport(serviceTotal('DynamoDB'))],
      ['SQS', '(all)', perReport(serviceTotal('SQS'))],
    ],
  );
  const benchCalls = r.requests.filter((x) => x.origin === BENCH_ORIGIN).reduce((a, x) => a + x.count, 0);
  console.log(
    `\nExcluded: ${int(benchCalls)} requests by the bench's consumers (ReceiveMessage, DeleteMessageBatch).`,
  );
}

function printOutreachPlanning(r: OutreachPlanningReport) {
  const seconds = (millis: number) => `${(millis / 1000).toFixed(2)} s`;
  printTable(
    'Outreach planning: an SMS run over the county, real planner on DynamoDB (dynalite) and SQS (fauxqs), in a process of its own',
    [
      { title: 'run' },
      { title: 'households', align: 'right' },
      { title: 'pages', align: 'right' },
      { title: 'batches queued', align: 'right' },
      { title: 'invocations', align: 'right' },
      { title: 'time', align: 'right' },
      { title: 'households/s', align: 'right' },
      { title: 'RSS before', align: 'right' },
      { title: 'peak RSS', align: 'right' },
      { title: 'heap before', align: 'right' },
      { title: 'peak heap', align: 'right' },
      { title: 'live heap', align: 'right' },
    ],
    r.variants.map((v) => [
      v.label,
      int(v.households),
      int(v.pages),
      int(v.batches),
      String(v.invocations),
      seconds(v.planMs),
      int(v.households / (v.planMs / 1000)),
      mb(v.baseline.rss),
      mb(v.peak.rss),
      mb(v.baseline.heapUsed),
      mb(v.peak.heapUsed),
      mb(v.liveHeap),
    ]),
  );
  const small = r.variants.find((v) => v.key === 'subset');
  const large = r.variants.find((v) => v.key === 'county');
  if (small && large) {
    const ratio = (a: number, b: number) => `${(b / a).toFixed(2)}×`;
    printTable(
      `Planner memory: ${int(large.households)} against ${int(small.households)} households (${(large.households / small.households).toFixed(1)}× the work), one invocation each`,
      [
        { title: 'measure' },
        { title: `${int(small.households)} households`, align: 'right' },
        { title: `${int(large.households)} households`, align: 'right' },
        { title: 'ratio', align: 'right' },
      ],
      [
        ['peak RSS', mb(small.peak.rss), mb(large.peak.rss), ratio(small.peak.rss, large.peak.rss)],
        [
          'peak heap used',
          mb(small.peak.heapUsed),
          mb(large.peak.heapUsed),
          ratio(small.peak.heapUsed, large.peak.heapUsed),
        ],
        [
          'live heap (after a full GC)',
          mb(small.liveHeap),
          mb(large.liveHeap),
          ratio(small.liveHeap, large.liveHeap),
        ],
        [
          'heap left after planning (full GC)',
          mb(small.retained.heapUsed),
          mb(large.retained.heapUsed),
          ratio(small.retained.heapUsed, large.retained.heapUsed),
        ],
      ],
    );
  }
  if (large) {
    const tenths = large.peakByTenth.map((_, i) => ({ title: `${(i + 1) * 10}%`, align: 'right' as const }));
    printTable(
      `Planner memory along the ${int(large.households)}-household run: peak in each tenth of its households`,
      [{ title: 'measure' }, ...tenths],
      [
        ['peak RSS', ...large.peakByTenth.map((m) => mb(m.rss))],
        ['peak heap used', ...large.peakByTenth.map((m) => mb(m.heapUsed))],
      ],
    );
  }
  const continued = r.variants.find((v) => v.continuations > 0);
  console.log(
    `\nHouseholds: ${
      r.registry === 'dynamodb'
        ? `read from the DynamoDB registry, seeded through DynamoDbHouseholdRegistry.upsert (${int(r.seed?.households ?? 0)} in ${seconds(r.seed?.ms ?? 0)}, before and apart from the timings)`
        : 'GENERATED page by page (--outreach-generated-registry; test/bench/outreach-county.ts), not read from DynamoDB'
    }. Pages of ${r.pageSize}, batches of ${r.batchSize}, as plan-outreach is composed; time = first planner ` +
      `call → last return${continued ? `, including the ${continued.continuations} continuations taken off the plan queue` : ''}. ` +
      'Memory is sampled (process.memoryUsage) after every page is read and after its batches are queued; ' +
      `"before" is after a full GC once loaded, "live heap" the most left in use after a full GC (V8's own during ` +
      `planning — ${r.variants.map((v) => v.fullGcs).join(' / ')} of them, beside ${r.variants.map((v) => v.minorGcs).join(' / ')} ` +
      `young-generation ones — or one forced at the end). plan-outreach is given ${r.functionMemoryMb} MB in AWS. ` +
      'Every run was checked: the queue held exactly the expected batches, every household of the run once, ' +
      "the run in 'sending' with the full count enqueued, and no planning request left over.",
  );
}

const BASELINE = 'BASELINE';
const SDK_FLOOR = 'SDK FLOOR';

console.log('# civicloop benchmark');
console.log(
  `\nnpm run bench -- --reports ${reports} --concurrency ${concurrency} --warmup ${warmup} --load-runs ${loadRuns} ` +
    `--poller-concurrency ${pollerConcurrency} --timeout ${timeoutS} --unloaded ${unloadedReports} --profile-reports ${profileReports}${values['without-idempotency-key'] ? ' --without-idempotency-key' : ''}` +
    `${values['all-functions'] ? ' --all-functions' : ''}` +
    ` --outreach-subset ${outreachSubset} --outreach-pages-per-invocation ${outreachPagesPerInvocation}` +
    `${values['outreach-generated-registry'] ? ' --outreach-generated-registry' : ''}` +
    ` --cost-reports ${costReports} --cost-existing ${costExisting.join(',')}`,
);
printMachine();

{
  // The SMS classifier on its labelled set: precision among confident calls, and how many it dares.
  const quality = evaluateClassifier(labelledReports, defaultKeywordTable);
  printTable(
    'SMS report classifier (test/domain/sms/labelled-reports.ts)',
    [
      { title: 'reports', align: 'right' },
      { title: 'classified confidently', align: 'right' },
      { title: 'coverage', align: 'right' },
      { title: 'correct of those', align: 'right' },
      { title: 'precision', align: 'right' },
      { title: 'left to triage', align: 'right' },
    ],
    [
      [
        int(quality.total),
        int(quality.confident),
        `${(quality.coverage * 100).toFixed(1)}%`,
        int(quality.correct),
        `${(quality.precision * 100).toFixed(1)}%`,
        int(quality.total - quality.confident),
      ],
    ],
  );
}

if (!values['skip-classifier']) {
  progress('classifier: training on tune + training-extra + labelled reports, scoring the holdout');
  printClassifierBench(benchClassifier());
}

if (!values['skip-bundles']) {
  const outRoot = mkdtempSync(join(os.tmpdir(), 'civicloop-bench-'));
  try {
    const env = placeholderEnvironment(topology);
    progress(`bundling ${topology.functions.length} functions and the baseline into ${outRoot}`);
    const report = await benchBundles({
      targets: [
        ...topology.functions.map((fn) => ({
          name: fn.name,
          entry: fn.entry,
          env,
          copyFiles: fn.copyFiles,
          pageAssets: fn.pageAssets,
          sideModules: sideModulesOf(fn),
        })),
        { name: SDK_FLOOR, entry: 'test/bench/sdk-floor-handler.ts', env },
        { name: BASELINE, entry: 'test/bench/baseline-handler.ts', env, plain: true },
      ],
      repoRoot,
      outRoot,
      runs: loadRuns,
      progress,
    });
    printBundles(report);
  } finally {
    if (values['keep-bundles']) progress(`bundles kept in ${outRoot}`);
    else rmSync(outRoot, { recursive: true, force: true });
  }
}

if (!values['skip-e2e']) {
  progress('starting the in-memory local runtime');
  try {
    const report = await benchEndToEnd({
      reports,
      concurrency,
      warmup,
      pollerConcurrency,
      timeoutMs: timeoutS * 1000,
      idempotencyKeys: !values['without-idempotency-key'],
      allFunctions: values['all-functions'],
      unloadedReports,
      profileReports,
      progress,
    });
    printEndToEnd(report);
    if (report.missing > 0 || report.timedOut) process.exitCode = 1;
  } catch (error) {
    console.log(`\nEND TO END NOT MEASURED: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}

if (!values['skip-outreach']) {
  progress('outreach planning: starting dynalite and fauxqs');
  try {
    printOutreachPlanning(
      await benchOutreachPlanning({
        subsetHouseholds: outreachSubset,
        pagesPerInvocation: outreachPagesPerInvocation,
        dynamodbRegistry: !values['outreach-generated-registry'],
        timeoutMs: 5 * 60_000,
        progress,
      }),
    );
  } catch (error) {
    console.log(`\nOUTREACH PLANNING FAILED: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}

if (!values['skip-wecom-callback'] && !values['skip-wecom']) {
  progress('WeChat Work callback: starting an in-memory local runtime');
  try {
    const r = await benchWecomCallback({
      appeals: positiveInt('wecom-appeals', values['wecom-appeals']),
      concurrency: 8,
      timeoutMs: 60_000,
      progress,
    });
    const d = ackDistribution(r);
    const statuses = [...r.statuses].map(([status, n]) => `${int(n)}× ${status}`).join(', ');
    printTable(
      "WeChat Work callback: time to acknowledge a grid worker's appeal (the platform allows 5 s)",
      [
        { title: 'appeals' },
        { title: 'in flight', align: 'right' },
        { title: 'workers', align: 'right' },
        { title: 'answers' },
        { title: 'p50', align: 'right' },
        { title: 'p90', align: 'right' },
        { title: 'p99', align: 'right' },
        { title: 'max', align: 'right' },
        { title: 'over 5 s', align: 'right' },
        { title: 'codes back', align: 'right' },
        { title: 'appeals/s', align: 'right' },
      ],
      [
        [
          int(r.appeals),
          int(r.concurrency),
          int(r.workers),
          statuses,
          ms(d.p50),
          ms(d.p90),
          ms(d.p99),
          ms(d.max),
          int(r.overFiveSeconds),
          int(r.codesSent),
          (r.appeals / (r.wallMs / 1000)).toFixed(1),
        ],
      ],
    );
    if (r.overFiveSeconds > 0 || r.codesSent < r.appeals || (r.statuses.get(200) ?? 0) < r.appeals)
      process.exitCode = 1;
  } catch (error) {
    console.log(`\nWECOM CALLBACK NOT MEASURED: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}

if (!values['skip-wecom-groups'] && !values['skip-wecom']) {
  progress('WeChat groups: starting dynalite and the WeChat Work simulator');
  try {
    const r = await benchWecomGroups({
      groups: positiveInt('wecom-groups', values['wecom-groups']),
      nearLimit: 100,
      rateLimitEvery: 400,
      rateLimitBurst: 2,
      progress,
    });
    printTable(
      "WeChat groups: a county-wide notice's mass-send tasks, created against the simulator (platform: 4 a group a month)",
      [
        { title: 'groups' },
        { title: 'households', align: 'right' },
        { title: 'owners', align: 'right' },
        { title: 'tasks', align: 'right' },
        { title: 'at limit', align: 'right' },
        { title: 'invocations', align: 'right' },
        { title: 'time', align: 'right' },
        { title: 'tasks/s', align: 'right' },
        { title: 'calls', align: 'right' },
        { title: '45009 met', align: 'right' },
        { title: 'tokens', align: 'right' },
        { title: 'heap base → peak', align: 'right' },
        { title: 'max/group/month', align: 'right' },
        { title: 'poll (calls)', align: 'right' },
      ],
      [
        [
          int(r.groups),
          int(r.households),
          int(r.owners),
          int(r.tasks),
          int(r.limited),
          int(r.invocations),
          ms(r.planMs),
          (r.tasks / (r.planMs / 1000)).toFixed(1),
          int(r.massSendCalls),
          int(r.rateLimitedAnswers),
          int(r.tokens),
          `${r.heapBaselineMb.toFixed(0)} → ${r.heapPeakMb.toFixed(0)} MB`,
          int(r.maxPerGroupThisMonth),
          `${ms(r.pollMs)} (${int(r.pollCalls)} calls, ${int(r.pollInvocations)} inv.)`,
        ],
      ],
    );
  } catch (error) {
    console.log(`\nWECHAT GROUPS NOT MEASURED: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}

if (!values['skip-cost']) {
  try {
    const runs = await benchReportCost({
      existing: costExisting,
      reports: costReports,
      concurrency: 4,
      warmup: 10,
      todayChangesPerUnit: 50,
      timeoutMs: COST_PROCESS_LIMIT_MS,
      progress,
    });
    const verdict = printReportCost(runs, MAX_REQUESTS_PER_REPORT);
    if (verdict.problems.length > 0) process.exitCode = 1;
  } catch (error) {
    console.log(`\nCOST PER REPORT NOT MEASURED: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}

console.log(`\nLoad average at the end: ${loadAverage()}.`);

// Handler modules keep SDK clients (and their sockets' timers) alive; the run is over.
process.exit(process.exitCode ?? 0);
