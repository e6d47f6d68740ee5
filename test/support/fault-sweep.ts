/**
 * The fault sweep's rig: one report driven through the real path on the emulators — the intake
 * handler with its idempotency table and the intake queue, a stand-in for Lambda's event source
 * mapping feeding the router, staff taking the case round the closed loop, the reporter rating it,
 * the sweeper — with every AWS call the path makes recorded as a call site (stage, command,
 * table or queue, and what kind of write it is), and a fault injectable into the first call of
 * any site. The SMS provider is emulated at the HTTP layer under the real End User Messaging
 * adapter: a text is "sent" once it reached the provider, and a lost answer is the adapter's to
 * interpret, as it would be in AWS.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { setTimeout as pause } from 'node:timers/promises';
import { Logger } from '@aws-lambda-powertools/logger';
import { PinpointSMSVoiceV2Client } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { DeleteMessageBatchCommand, type Message, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import submitEventSample from '../../events/http/submit-report-json-idempotent.json' with { type: 'json' };
import { makeHandler as makeRouteHandler } from '../../functions/route-report.ts';
import { makeHandler as makeSubmitHandler } from '../../functions/submit-report.ts';
import { provision } from '../../infra/local/provision.ts';
import { succeededIds, toRecord } from '../../infra/local/queue-poller.ts';
import { topology, unitQueueName } from '../../infra/topology.ts';
import { DynamoDbFraudReports } from '../../shared/adapters/dynamodb-fraud-reports.ts';
import { DynamoDbSubmissionLedger } from '../../shared/adapters/dynamodb-submission-ledger.ts';
import { EndUserMessagingSender } from '../../shared/adapters/end-user-messaging-sender.ts';
import type { OutboxEntry as SentText } from '../../shared/adapters/local-outbox.ts';
import { SqsIntakeQueue } from '../../shared/adapters/sqs-queues.ts';
import { CaseDispatched, CaseNotice, CaseState } from '../../shared/domain/case.ts';
import {
  addCounters,
  type CounterDeltas,
  type StatsSnapshot,
  statsChangesOfCase,
  statsDeltas,
} from '../../shared/domain/case-statistics.ts';
import { shanghaiDay } from '../../shared/domain/outreach/shanghai-time.ts';
import { ReportSubmitted } from '../../shared/domain/report.ts';
import type { Staff } from '../../shared/domain/staff.ts';
import { unitIds } from '../../shared/reference/county-structure.ts';
import { rateReport } from '../../shared/services/rate-report.ts';
import { type SweepReport, sweepCases } from '../../shared/services/sweep-cases.ts';
import { type TransitionDeps, transitionCase } from '../../shared/services/transition-case.ts';
import { type CaseWork, emulatedCaseWork } from './case-work.ts';
import {
  type CallSite,
  type FaultableClient,
  type FaultPhase,
  type InjectedFault,
  injectFault,
} from './faults.ts';
import { lambdaContext } from './lambda-context.ts';
import { queueDepth } from './queues.ts';

// ─── the report and the people who work it ──────────────────────────────────────────────────────

/** A fraud report from 康宁社区: routed to the anti-fraud centre, texted, counted in the fraud-intake bucket. */
export const UNIT_ID = 'psb-antifraud';
export const COMMUNITY_ID = 'chengdong-kangning';
const REPORTER_PHONE = '13812345678';
const handler: Staff = {
  role: 'unit_handler',
  userId: 'handler-antifraud',
  name: '反诈中心办理员',
  unitId: UNIT_ID,
};
const dispatcher: Staff = {
  role: 'centre_dispatcher',
  userId: 'dispatcher-chengdong',
  name: '城东街道综治中心调度员',
  unitId: 'centre-chengdong',
  townshipId: 'chengdong',
};

/** Each scenario gets its own Shanghai day (10:00 on a Monday onwards), four days after the last. */
const FIRST_DAY = Date.parse('2027-03-01T02:00:00.000Z');
const DAYS_APART = 4 * 86_400_000;

// ─── call sites ─────────────────────────────────────────────────────────────────────────────────

export interface RecordedCall extends CallSite {
  stage: string;
  site: string;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A string attribute, plain (document client) or marshalled (`{ S }`, the idempotency layer's). */
const text = (value: unknown): string | undefined => {
  if (typeof value === 'string') return value;
  return isRecord(value) && typeof value.S === 'string' ? value.S : undefined;
};

const resourceName = (name: string) => name.replace(/^civicloop-/, '');

function targetOf(call: CallSite): string {
  const table = text(call.input.TableName);
  if (table) return resourceName(table);
  const queueUrl = text(call.input.QueueUrl);
  if (queueUrl) {
    const queue = resourceName(queueUrl.slice(queueUrl.lastIndexOf('/') + 1));
    return queue.startsWith(unitQueueName('')) ? `${unitQueueName('')}*` : queue;
  }
  return call.commandName === 'SendTextMessageCommand' ? 'sms' : '';
}

/** Which item a key names, as far as it tells the call apart: the case's REPORT/STATE, a day bucket… */
function keyKind(key: unknown): string {
  if (!isRecord(key)) return '';
  const pk = text(key.pk);
  if (pk === undefined) return '';
  if (pk.startsWith('CASE#')) return text(key.sk) ?? 'CASE';
  if (pk.startsWith('COUNTS#')) return 'day';
  if (pk === 'BALANCE') return 'balance';
  return pk.replace(/#.*/, '#*');
}

/** A write's shape: its update clauses and its condition, attribute names resolved, entry ids folded. */
function writeShape(input: Record<string, unknown>): string {
  const names = isRecord(input.ExpressionAttributeNames) ? input.ExpressionAttributeNames : {};
  const resolve = (expression: string) =>
    expression
      .replace(/#\w+/g, (placeholder) => text(names[placeholder]) ?? placeholder)
      .replace(/ob_v\d+e\d+/g, 'ob_*')
      .replace(/\s+/g, ' ')
      .trim();
  const update = text(input.UpdateExpression);
  const clauses = update ? [...new Set(update.match(/\b(SET|ADD|REMOVE|DELETE)\b/g) ?? [])].join('+') : '';
  const condition = text(input.ConditionExpression);
  return [clauses, condition ? `if ${resolve(condition)}` : ''].filter(Boolean).join(' ');
}

function discriminatorOf(call: CallSite): string {
  const { input } = call;
  if (call.commandName === 'SendTextMessageCommand') {
    return isRecord(input.Context) ? (text(input.Context.purpose) ?? '') : '';
  }
  if (call.commandName === 'QueryCommand') {
    const values = isRecord(input.ExpressionAttributeValues) ? input.ExpressionAttributeValues : {};
    return text(input.IndexName) ?? keyKind({ pk: values[':pk'] });
  }
  if (!text(input.TableName)) return '';
  return [keyKind(input.Key ?? input.Item), writeShape(input)].filter(Boolean).join(' ');
}

/** The call site a call belongs to: stage, command, table or queue, and what it does there. */
export function siteOf(stage: string, call: CallSite): string {
  return [stage, call.commandName.replace(/Command$/, ''), targetOf(call), discriminatorOf(call)]
    .filter(Boolean)
    .join(' ');
}

/** Tracking codes a call's input names (case keys, statistics change ids, correlation ids, bodies). */
export function casesMentioned(input: Record<string, unknown>): Set<string> {
  const serialised = JSON.stringify(input, (_key, value: unknown) =>
    value instanceof Set ? [...value] : value,
  );
  const codes = new Set<string>();
  const pattern = /CASE#([0-9A-Z]{9})\b|\b([0-9A-Z]{9})#\d|trackingCode\\?":\\?"([0-9A-Z]{9})/g;
  for (const match of serialised.matchAll(pattern)) {
    const code = match[1] ?? match[2] ?? match[3];
    if (code) codes.add(code);
  }
  return codes;
}

/** Adds `onCall` to a client's calls, outside everything else (the same technique as faults.ts). */
function recordCalls(client: FaultableClient, onCall: (call: CallSite) => void): void {
  const stack = client.middlewareStack as {
    add(middleware: unknown, options: { step: 'initialize'; name: string; priority: 'high' }): void;
  };
  stack.add(
    (
      next: (args: { input: Record<string, unknown> }) => Promise<unknown>,
      context: { commandName?: string },
    ) =>
      async (args: { input: Record<string, unknown> }) => {
        onCall({ commandName: context.commandName ?? '', input: args.input });
        return next(args);
      },
    { step: 'initialize', name: 'fault-sweep-recorder', priority: 'high' },
  );
}

// ─── the SMS provider ───────────────────────────────────────────────────────────────────────────

const SendTextMessageRequest = z.object({
  DestinationPhoneNumber: z.string(),
  MessageBody: z.string(),
  Context: z.object({ correlationId: z.string(), purpose: z.enum(['reply', 'notification', 'outreach']) }),
});

/**
 * An End User Messaging client whose requests reach a stand-in provider instead of AWS: a
 * SendTextMessage that arrives is a text sent (kept in `work.outbox`) and answered with its id.
 */
function emulatedSmsClient(work: CaseWork): PinpointSMSVoiceV2Client {
  return new PinpointSMSVoiceV2Client({
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    requestHandler: {
      async handle(request: { headers: Record<string, string>; body?: unknown }) {
        if (request.headers['x-amz-target'] !== 'PinpointSMSVoiceV2.SendTextMessage') {
          throw new Error(`the SMS emulator only sends texts, not ${request.headers['x-amz-target']}`);
        }
        const raw =
          request.body instanceof Uint8Array ? new TextDecoder().decode(request.body) : String(request.body);
        const sms = SendTextMessageRequest.parse(JSON.parse(raw));
        const sent = await work.outbox.send({
          to: sms.DestinationPhoneNumber,
          body: sms.MessageBody,
          purpose: sms.Context.purpose,
          correlationId: sms.Context.correlationId,
        });
        return {
          response: {
            statusCode: 200,
            headers: { 'content-type': 'application/x-amz-json-1.0' },
            body: new TextEncoder().encode(JSON.stringify({ MessageId: sent.providerMessageId })),
          },
        };
      },
    },
  });
}

// ─── the rig ────────────────────────────────────────────────────────────────────────────────────

export interface SweepRig {
  work: CaseWork;
  intakeQueueUrl: string;
  sms: PinpointSMSVoiceV2Client;
  /** The real adapters, with texts going through the End User Messaging adapter. */
  deps: TransitionDeps;
  /** The scenario's current stage; undefined while the test itself reads the emulators. */
  stage: string | undefined;
  /** The tracking code of the scenario's report, once intake answered. */
  code: string | undefined;
  calls: RecordedCall[];
  scenarios: number;
  stop(): Promise<void>;
}

export async function startSweepRig(): Promise<SweepRig> {
  const work = await emulatedCaseWork();
  const intakeSpec = topology.queues.find((q) => q.name === 'intake');
  if (!intakeSpec) throw new Error('the topology has no intake queue');
  const { queues } = await provision(
    { ...topology, tables: [], queues: [intakeSpec] },
    work.dynamo,
    work.sqs,
  );
  const intakeQueueUrl = queues.intake;
  if (!intakeQueueUrl) throw new Error('the intake queue was not provisioned');
  const sms = emulatedSmsClient(work);
  const rig: SweepRig = {
    work,
    intakeQueueUrl,
    sms,
    deps: {
      ...work.deps,
      sender: new EndUserMessagingSender(sms, { originationIdentity: 'civicloop-local' }),
    },
    stage: undefined,
    code: undefined,
    calls: [],
    scenarios: 0,
    async stop() {
      sms.destroy();
      await work.stop();
    },
  };
  for (const client of [work.dynamo, work.sqs, sms]) {
    recordCalls(client, (call) => {
      if (rig.stage !== undefined)
        rig.calls.push({ ...call, stage: rig.stage, site: siteOf(rig.stage, call) });
    });
  }
  return rig;
}

/** Runs `read` as the test looking on: not part of the path, never recorded, never faulted. */
async function looking<T>(rig: SweepRig, read: () => Promise<T>): Promise<T> {
  const stage = rig.stage;
  rig.stage = undefined;
  try {
    return await read();
  } finally {
    rig.stage = stage;
  }
}

// ─── what the test measures ─────────────────────────────────────────────────────────────────────

/** Sets as sorted arrays, as the case store reads them. */
const plain = (item: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(item).map(([k, v]) => [k, v instanceof Set ? [...v].sort() : v]));

async function scanAll(work: CaseWork, table: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await work.db.send(
      new ScanCommand({ TableName: table, ExclusiveStartKey: startKey, ConsistentRead: true }),
    );
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

/** The counters recounted from every case's history (statsChangesOfCase), as a rebuild would. */
export async function recountedCounters(work: CaseWork): Promise<CounterDeltas> {
  const totals: CounterDeltas = {};
  // The stays' working time is counted on the policies' calendar, live and in a rebuild alike.
  const { calendar } = await work.deps.policies.loadPolicies();
  for (const item of await scanAll(work, work.tables.cases ?? '')) {
    if (item.sk !== 'STATE') continue;
    for (const change of statsChangesOfCase(CaseState.parse(plain(item)), calendar))
      addCounters(totals, statsDeltas(change));
  }
  return totals;
}

/** `after − before`, without the counters that did not move. */
export function counterChange(before: CounterDeltas, after: CounterDeltas): CounterDeltas {
  const change: CounterDeltas = {};
  for (const name of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const delta = (after[name] ?? 0) - (before[name] ?? 0);
    if (delta !== 0) change[name] = delta;
  }
  return change;
}

interface Measures {
  /** The counters recounted from every case's history. */
  recounted: CounterDeltas;
  /** The console's figures, as the stats store computes them from its counters. */
  figures: StatsSnapshot;
  /** Fraud reports from the community on the scenario's day, in the ledger the risk ranking reads. */
  fraudReports: number;
}

async function measure(rig: SweepRig, day: string): Promise<Measures> {
  return looking(rig, async () => {
    const ledger = new DynamoDbFraudReports(rig.work.db, rig.work.tables.stats ?? '');
    return {
      recounted: await recountedCounters(rig.work),
      figures: await rig.deps.stats.snapshot(unitIds),
      fraudReports: (await ledger.dailyCounts(day, day))[day]?.[COMMUNITY_ID] ?? 0,
    };
  });
}

async function stateItem(rig: SweepRig, code: string): Promise<Record<string, unknown> | undefined> {
  const { Item } = await rig.work.db.send(
    new GetCommand({
      TableName: rig.work.tables.cases,
      Key: { pk: `CASE#${code}`, sk: 'STATE' },
      ConsistentRead: true,
    }),
  );
  return Item;
}

/** What is left in a case's outbox: its entry attributes and its outbox index key. */
const outboxLeft = (item: Record<string, unknown> | undefined) =>
  Object.keys(item ?? {}).filter((k) => k.startsWith('ob_') || k === 'outboxPk');

/** The unit's queue, read and emptied as the department's consumer would. */
async function takeUnitMessages(rig: SweepRig): Promise<CaseDispatched[]> {
  const taken: CaseDispatched[] = [];
  const queueUrl = rig.work.queueUrl(UNIT_ID);
  for (let poll = 0; poll < 20; poll++) {
    const { Messages = [] } = await rig.work.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 0,
        VisibilityTimeout: 30,
      }),
    );
    if (Messages.length === 0) break;
    for (const message of Messages) {
      const parsed = CaseDispatched.safeParse(JSON.parse(message.Body ?? 'null'));
      if (parsed.success) taken.push(parsed.data);
    }
    await rig.work.sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle ?? '' })),
      }),
    );
  }
  return taken;
}

// ─── one scenario ───────────────────────────────────────────────────────────────────────────────

export interface Fault {
  site: string;
  phase: FaultPhase;
}

/** Everything a scenario did and left behind, for the assertions and the table. */
export interface ScenarioRun {
  fault?: Fault;
  /** The calls the fault hit (one when it fired). */
  faulted: CallSite[];
  code: string;
  /** The intake API's answers to the resident's client, retries included. */
  intakeStatuses: number[];
  /** Distinct tracking codes of the intake messages that carried this report. */
  intakeCodes: string[];
  /** Of those, the ones that became a case. */
  cases: string[];
  /** How often the router was handed this report's messages, and how often it failed one. */
  routed: number;
  routeFailures: number;
  /** Intake polls and deletes that failed (the event source mapping's own calls). */
  consumerErrors: number;
  /** Messages still on the intake queue when the consumer gave up. */
  intakeLeft: number;
  /** Dispatches of this case the unit's queue received. */
  delivered: CaseDispatched[];
  /** The case's final state and raw item. */
  state?: CaseState;
  outboxLeft: string[];
  notices: CaseNotice[];
  /** Texts to the reporter's phone about this case, as the provider received them. */
  texts: SentText[];
  /** Staff (or reporter) retries of a transition after an error answer. */
  retries: Record<string, number>;
  sweeps: SweepReport[];
  sweepErrors: string[];
  /** Steps that could not be completed at all. */
  problems: string[];
  before: Measures;
  after: Measures;
  calls: RecordedCall[];
}

const Receipt = z.object({ trackingCode: z.string(), reporterToken: z.string() });

const submitHandlerOf = (rig: SweepRig) =>
  makeSubmitHandler({
    logger: new Logger({ logLevel: 'SILENT' }),
    ledger: new DynamoDbSubmissionLedger(rig.work.db, rig.work.tables.idempotency ?? ''),
    directory: rig.deps.directory,
    intake: new SqsIntakeQueue(rig.work.sqs, rig.intakeQueueUrl),
    now: () => rig.work.clock.now,
    randomBytes: (n) => randomBytes(n),
    newId: () => randomUUID(),
  });

function submitEvent(description: string) {
  const event = structuredClone(submitEventSample);
  event.headers['idempotency-key'] = randomUUID();
  event.body = JSON.stringify({
    category: 'fraud',
    communityId: COMMUNITY_ID,
    description,
    contactPhone: REPORTER_PHONE,
  });
  return event;
}

/**
 * Lambda's event source mapping for the intake queue: receive, invoke the router, delete what it
 * did not report as failed. A failed record comes back after a one-second visibility timeout
 * (never 0: fauxqs deletes such a message). Ends when the queue holds nothing, visible or in flight.
 */
const queueArnOf = (queueUrl: string) =>
  `arn:aws:sqs:us-east-1:000000000000:${queueUrl.slice(queueUrl.lastIndexOf('/') + 1)}`;

async function consumeIntake(rig: SweepRig, run: ScenarioRun, nonce: string): Promise<void> {
  const route = makeRouteHandler({ logger: new Logger({ logLevel: 'SILENT' }), ...rig.deps });
  const codes = new Set<string>();
  for (let round = 0; round < 20; round++) {
    run.intakeLeft = await looking(rig, () => queueDepth(rig.work.sqs, rig.intakeQueueUrl));
    if (run.intakeLeft === 0) break;
    let messages: Message[];
    try {
      const received = await rig.work.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: rig.intakeQueueUrl,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 1,
          VisibilityTimeout: 1,
          MessageSystemAttributeNames: ['All'],
        }),
      );
      messages = received.Messages ?? [];
    } catch {
      run.consumerErrors++;
      continue;
    }
    if (messages.length === 0) continue;
    const records = messages.map((m) => toRecord(m, queueArnOf(rig.intakeQueueUrl)));
    for (const record of records) {
      const message = ReportSubmitted.safeParse(JSON.parse(record.body));
      if (message.success && message.data.report.description.includes(nonce)) {
        codes.add(message.data.trackingCode);
        run.routed++;
      }
    }
    let result: unknown;
    try {
      result = await route({ Records: records }, lambdaContext('civicloop-route-report'));
    } catch {
      result = undefined; // the whole batch failed: nothing is deleted
    }
    const ok = new Set(result === undefined ? [] : succeededIds(records, result));
    run.routeFailures += records.length - ok.size;
    const done = messages.filter((m) => m.MessageId !== undefined && ok.has(m.MessageId));
    if (done.length === 0) continue;
    try {
      await rig.work.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: rig.intakeQueueUrl,
          Entries: done.map((m) => ({ Id: m.MessageId ?? '', ReceiptHandle: m.ReceiptHandle ?? '' })),
        }),
      );
    } catch {
      run.consumerErrors++;
    }
  }
  run.intakeCodes = [...codes];
}

/** One run of the scheduled sweeper, with the clock moved on to when the case's next entry is due. */
async function sweepOnce(rig: SweepRig, run: ScenarioRun): Promise<SweepReport | undefined> {
  const item = await looking(rig, () => stateItem(rig, run.code));
  const dueTimes = Object.entries(item ?? {})
    .filter(([name]) => name.startsWith('ob_'))
    .flatMap(([, entry]) =>
      isRecord(entry) && typeof entry.nextAt === 'string' ? [Date.parse(entry.nextAt)] : [],
    );
  const now = rig.work.clock.now.getTime();
  const due = dueTimes.length > 0 ? Math.min(...dueTimes) : now + 60_000;
  rig.work.clock.now = new Date(Math.max(now, due) + 1_000);
  try {
    const report = await sweepCases(rig.deps);
    run.sweeps.push(report);
    return report;
  } catch (error) {
    // The scheduled invocation failed; the next one (a minute later) tries again.
    run.sweepErrors.push(error instanceof Error ? error.message : String(error));
    return undefined;
  }
}

/**
 * A member of staff (or the reporter) taking one step: on an error answer they reload the case; if
 * their step is there (the answer was lost) they go on, otherwise they try again.
 */
async function step(
  rig: SweepRig,
  run: ScenarioRun,
  action: string,
  attempt: (expectedVersion: number) => Promise<unknown>,
): Promise<void> {
  rig.stage = `transition:${action}`;
  let known = await looking(rig, () => rig.deps.cases.getCase(run.code));
  for (let n = 0; n < 5 && known; n++) {
    try {
      await attempt(known.version);
      return;
    } catch (error) {
      run.retries[action] = (run.retries[action] ?? 0) + 1;
      const expected = known.version;
      known = await looking(rig, () => rig.deps.cases.getCase(run.code));
      if (known && known.version > expected && known.timeline.at(-1)?.action === action) return;
      if (n === 4)
        run.problems.push(`${action} failed 5 times: ${error instanceof Error ? error.message : error}`);
    }
  }
  if (!known) run.problems.push(`${action}: there is no case ${run.code}`);
}

/**
 * One report through the whole path: intake (the resident's client retrying on error with the same
 * Idempotency-Key), routing off the intake queue, delivery to the unit (the sweeper runs while the
 * unit waits for it), accept, resolve, verify, close, the reporter's rating, and the sweeper until
 * nothing is left to do — with `fault` armed on the first call of its site.
 */
export async function runScenario(rig: SweepRig, fault?: Fault): Promise<ScenarioRun> {
  const index = rig.scenarios++;
  rig.work.clock.now = new Date(FIRST_DAY + index * DAYS_APART);
  const day = shanghaiDay(rig.work.clock.now.toISOString());
  rig.code = undefined;
  const nonce = `（编号 S${index}）`;
  const before = await measure(rig, day);
  const run: ScenarioRun = {
    ...(fault ? { fault } : {}),
    faulted: [],
    code: '',
    intakeStatuses: [],
    intakeCodes: [],
    cases: [],
    routed: 0,
    routeFailures: 0,
    consumerErrors: 0,
    intakeLeft: 0,
    delivered: [],
    outboxLeft: [],
    notices: [],
    texts: [],
    retries: {},
    sweeps: [],
    sweepErrors: [],
    problems: [],
    before,
    after: before,
    calls: [],
  };
  const firstCall = rig.calls.length;
  const injected: InjectedFault[] = fault
    ? [rig.work.dynamo, rig.work.sqs, rig.sms].map((client) =>
        injectFault(client, {
          phase: fault.phase,
          matches: (call) => {
            if (rig.stage === undefined || siteOf(rig.stage, call) !== fault.site) return false;
            const mentioned = casesMentioned(call.input);
            // Another case's call (one an earlier scenario left behind) is not this scenario's to fail.
            if (rig.code !== undefined && mentioned.size > 0 && !mentioned.has(rig.code)) return false;
            run.faulted.push(call);
            return true;
          },
        }),
      )
    : [];
  try {
    // Intake: the resident's client posts, and on an error answer posts again with the same key.
    rig.stage = 'intake';
    const submit = submitHandlerOf(rig);
    const event = submitEvent(`有人冒充公安局打电话，让我把存款转到“安全账户”。${nonce}`);
    let receipt: z.infer<typeof Receipt> | undefined;
    for (let attempt = 0; attempt < 12 && !receipt; attempt++) {
      if (attempt > 0) await pause(200); // the client's backoff before it retries
      const response = await submit(structuredClone(event), lambdaContext('civicloop-submit-report', 1_000));
      run.intakeStatuses.push(response.statusCode);
      if (response.statusCode === 202) receipt = Receipt.parse(JSON.parse(response.body ?? 'null'));
      else if (response.statusCode < 500 && response.statusCode !== 409) break;
    }
    if (!receipt) {
      run.problems.push(`intake never accepted the report: ${run.intakeStatuses.join(', ')}`);
      return run;
    }
    const code = receipt.trackingCode.replaceAll('-', '');
    run.code = code;
    rig.code = code;

    rig.stage = 'route';
    await consumeIntake(rig, run, nonce);

    // The unit waits for the case; the sweeper runs meanwhile, as it does every few minutes.
    rig.stage = 'sweep';
    for (let round = 0; round < 6; round++) {
      run.delivered.push(
        ...(await looking(rig, () => takeUnitMessages(rig))).filter((m) => m.trackingCode === code),
      );
      if (run.delivered.length > 0) break;
      await sweepOnce(rig, run);
    }

    await step(rig, run, 'accept', (v) =>
      transitionCase(code, { action: 'accept', expectedVersion: v }, handler, rig.deps),
    );
    await step(rig, run, 'resolve', (v) =>
      transitionCase(
        code,
        { action: 'resolve', note: '已联系银行止付，民警上门', expectedVersion: v },
        handler,
        rig.deps,
      ),
    );
    await step(rig, run, 'verify', (v) =>
      transitionCase(
        code,
        { action: 'verify', note: '电话回访核实', expectedVersion: v },
        dispatcher,
        rig.deps,
      ),
    );
    await step(rig, run, 'close', (v) =>
      transitionCase(code, { action: 'close', expectedVersion: v }, dispatcher, rig.deps),
    );
    await step(rig, run, 'rate', () =>
      rateReport(code, { token: receipt.reporterToken, score: 4 }, rig.deps),
    );

    // The sweeper until the case has nothing left to do and a sweep went through cleanly.
    rig.stage = 'sweep';
    for (let round = 0; round < 8; round++) {
      const report = await sweepOnce(rig, run);
      const left = outboxLeft(await looking(rig, () => stateItem(rig, code)));
      if (report && report.failed.length === 0 && left.length === 0) break;
    }
  } finally {
    rig.stage = undefined;
    for (const f of injected) f.remove();
    run.calls = rig.calls.slice(firstCall);
  }

  // What it left behind.
  run.delivered.push(...(await takeUnitMessages(rig)).filter((m) => m.trackingCode === run.code));
  const codes = new Set([run.code, ...run.intakeCodes]);
  for (const code of codes) if (await stateItem(rig, code)) run.cases.push(code);
  const item = await stateItem(rig, run.code);
  if (item) {
    run.state = CaseState.parse(plain(item));
    run.outboxLeft = outboxLeft(item);
    run.notices = z.array(CaseNotice).parse(item.notices ?? []);
  }
  run.texts = rig.work.outbox.messages().filter((m) => m.correlationId.startsWith(`${run.code}#`));
  run.after = await measure(rig, day);
  return run;
}

/** The texts the reporter is owed: one per dispatch, resolution and closing, by correlation id. */
export function owedTexts(state: CaseState): string[] {
  const stageOf: Record<string, string> = { dispatch: 'dispatched', resolve: 'resolved', close: 'closed' };
  return state.timeline.flatMap((event, version) => {
    const stage = event.action ? stageOf[event.action] : undefined;
    return stage ? [`${state.trackingCode}#${version}#${stage}`] : [];
  });
}

/** The versions that sent the case to a unit, with the unit: each must have reached its queue. */
export function dispatchingVersions(state: CaseState): { version: number; unitId: string }[] {
  return state.timeline.flatMap((event, version) =>
    ['dispatch', 'return', 'reassign'].includes(event.action ?? '') && event.unitId
      ? [{ version, unitId: event.unitId }]
      : [],
  );
}

/** A line for the sweep's table: what the path did about the fault. */
export function outcomeOf(run: ScenarioRun): string {
  const said: string[] = [];
  if (run.intakeStatuses.length > 1) said.push(`client retried (${run.intakeStatuses.join('→')})`);
  if (run.cases.length > 1) said.push(`${run.cases.length} CASES for one report`);
  if (run.consumerErrors > 0) said.push(`intake poll/delete failed ×${run.consumerErrors}`);
  if (run.routed > 1) said.push(`redelivered to the router ×${run.routed - 1}`);
  for (const [action, n] of Object.entries(run.retries)) said.push(`staff retried ${action} ×${n}`);
  // The sweeper's work for this case (not for cases earlier scenarios left behind).
  const swept = run.calls.filter((c) => c.stage === 'sweep' && casesMentioned(c.input).has(run.code));
  const sweptWork = [
    swept.some((c) => /SendMessage unit-\*/.test(c.site)) ? 'dispatch' : '',
    swept.some((c) => /SendTextMessage/.test(c.site)) ? 'text' : '',
    swept.some((c) => /UpdateItem stats (day|balance) ADD/.test(c.site)) ? 'statistics' : '',
  ].filter(Boolean);
  const rerun = run.sweeps.reduce((n, s) => n + s.effectsRerun, 0);
  if (sweptWork.length > 0) said.push(`sweeper re-ran ${sweptWork.join(', ')}`);
  else if (rerun > 0)
    said.push(`sweeper settled ${rerun} entr${rerun === 1 ? 'y' : 'ies'} without redoing them`);
  const sweepFailures = run.sweepErrors.length + run.sweeps.reduce((n, s) => n + s.failed.length, 0);
  if (sweepFailures > 0) said.push(`a sweep failed (×${sweepFailures}), the next one finished`);
  const copies = run.delivered.length;
  if (copies > 1) said.push(`unit got ${copies} copies (deduped by code+version)`);
  if (copies === 0) said.push('NEVER DELIVERED');
  for (const notice of run.notices) said.push(`notice: ${notice.outcome} ${notice.effect}`);
  const owed = run.state ? owedTexts(run.state) : [];
  const sent = owed.filter((id) => run.texts.some((t) => t.correlationId === id)).length;
  if (sent < owed.length) said.push(`${owed.length - sent} of ${owed.length} texts NOT SENT`);
  if (run.texts.length > owed.length) said.push(`${run.texts.length - owed.length} text(s) SENT TWICE`);
  if (run.problems.length > 0) said.push(...run.problems);
  return said.length > 0 ? said.join('; ') : 'no visible effect';
}
