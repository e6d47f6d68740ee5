/**
 * CaseStore on DynamoDB. Layout (table `cases`): `pk = CASE#<code>`, `sk = STATE` for the small
 * state item every transition rewrites, `sk = REPORT` for the write-once text and contact details.
 * The state item carries the keys of the sparse indexes the console's lists are read from (by
 * unit, township, community and county, each split open/done, the return visits at the front of
 * the done lanes; due timers; the county's transfers; pending effects), recomputed on every write
 * from the state it writes (see case-table-layout.ts).
 */
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { CaseNotice, CaseReport, CaseState } from '../domain/case.ts';
import { type DuplicateLinkPlan, Effect, type TransitionPlan } from '../domain/case-lifecycle.ts';
import {
  type EffectOutcome,
  OutboxEntry,
  outboxDueAt,
  outboxEntryId,
  remainingEntries,
} from '../domain/effect-outbox.ts';
import { CaseConflictError } from '../errors.ts';
import type {
  ApplyResult,
  CaseListing,
  CasePage,
  CaseScope,
  CaseStore,
  CreateCaseResult,
  ListFilter,
  PageRequest,
  PendingEffects,
  PublicPhotoRecorder,
} from '../ports/case-store.ts';
import type { TrainingExample } from '../ports/training-examples.ts';
import * as z from '../schema.ts';
import { awsCall, conditionalWrite } from './aws-call.ts';
import {
  caseIndexes,
  indexKeysOf,
  laneKey,
  stateIndexKeyNames,
  TRANSFER_PK,
  VISIT_LANE_PREFIX,
} from './case-table-layout.ts';
import { trainingExampleItem } from './dynamodb-training-examples.ts';
import { decodeCursor, encodeCursor, openCursor, sealCursor } from './page-cursor.ts';

const casePk = (code: string) => `CASE#${code}`;

/** DynamoDB string sets arrive as JS Sets; the schemas speak arrays. */
const plain = (item: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(item).map(([k, v]) => [k, v instanceof Set ? [...v].sort() : v]));

const toState = (item: Record<string, unknown>): CaseState => CaseState.parse(plain(item));

/** A stored state item as a CaseState (a z.core.$ZodError when it is not one), for the statistics rebuild. */
export { toState as caseStateOfItem };

/** Outbox entries are top-level attributes (no parent map that older items might lack). */
const ENTRY_PREFIX = 'ob_';
/** Before entries had their own attributes, a version's effects were one list in the `effects` map. */
const LegacyEffects = z.record(z.string(), z.array(Effect));
const StoredEntry = z.omit(OutboxEntry, { id: true });
const Notices = z.array(CaseNotice);

/** The outbox entries on a stored case item, oldest first; legacy lists read as entries due now. */
function entriesOf(item: Record<string, unknown>): OutboxEntry[] {
  const entries: OutboxEntry[] = [];
  for (const [name, value] of Object.entries(item)) {
    if (name.startsWith(ENTRY_PREFIX))
      entries.push({ id: name.slice(ENTRY_PREFIX.length), ...StoredEntry.parse(value) });
  }
  const dueNow = typeof item.updatedAt === 'string' ? item.updatedAt : new Date(0).toISOString();
  for (const [v, effects] of Object.entries(LegacyEffects.parse(item.effects ?? {}))) {
    const version = Number(v.slice(1));
    effects.forEach((effect, index) => {
      const id = outboxEntryId(version, index);
      if (!entries.some((e) => e.id === id))
        entries.push({ id, version, effect, attempts: 0, nextAt: dueNow });
    });
  }
  return entries.sort((a, b) => a.version - b.version || a.id.localeCompare(b.id));
}

/**
 * An update expression built clause by clause, every attribute name and value a placeholder
 * (attribute names like `ob_v3e0` or ones with hyphens cannot stand in an expression as they are).
 */
class UpdateExpression {
  readonly names: Record<string, string> = {};
  readonly values: Record<string, unknown> = {};
  readonly #sets: string[] = [];
  readonly #removes: string[] = [];
  #n = 0;

  /** The placeholder of an attribute name. */
  name(attribute: string): string {
    const key = `#a${this.#n++}`;
    this.names[key] = attribute;
    return key;
  }

  set(attribute: string, value: unknown): void {
    const key = this.name(attribute);
    this.values[`:${key.slice(1)}`] = value;
    this.#sets.push(`${key} = :${key.slice(1)}`);
  }

  /** A SET clause written out, for list_append and the like. */
  setClause(clause: string): void {
    this.#sets.push(clause);
  }

  remove(attribute: string): void {
    this.#removes.push(this.name(attribute));
  }

  toString(): string {
    return [
      this.#sets.length ? `SET ${this.#sets.join(', ')}` : '',
      this.#removes.length ? `REMOVE ${this.#removes.join(', ')}` : '',
    ]
      .filter(Boolean)
      .join(' ');
  }
}

const storedEntry = ({ id: _id, ...entry }: OutboxEntry) => entry;
const outboxKeys = (trackingCode: string, entries: readonly OutboxEntry[]) => {
  const due = outboxDueAt(entries);
  return due ? { outboxPk: 'OUTBOX', outboxSk: `${due}#${trackingCode}` } : undefined;
};

/** A filtered staff page reads at most this many times, each at most this many items. */
const MAX_FILTERED_READS = 4;
const MAX_FILTERED_READ = 100;

type CaseIndex = keyof typeof caseIndexes;

/** The lane index and partition of a scope. */
function laneOf(scope: CaseScope, open: boolean): { index: CaseIndex; pk: string } {
  switch (scope.kind) {
    case 'unit':
      return { index: 'byUnit', pk: laneKey.unit(scope.unitId, open) };
    case 'township':
      return { index: 'byTownship', pk: laneKey.township(scope.townshipId, open) };
    case 'community':
      return { index: 'byCommunity', pk: laneKey.community(scope.communityId, open) };
    case 'county':
      return { index: 'byCounty', pk: laneKey.county(open) };
  }
}

/** One partition of an index, and the part of it a list is (by sort-key prefix or by filter). */
interface ListQuery {
  index: CaseIndex;
  pk: string;
  visitsOnly?: boolean;
  transferredOnly?: boolean;
}

/** Where a listing is read: always a partition of the listing's own scope (see case-table-layout.ts). */
function listQueryOf(listing: CaseListing): ListQuery {
  switch (listing.kind) {
    case 'unit':
    case 'township':
    case 'community':
    case 'county':
      return laneOf(listing, listing.open);
    case 'return_visits':
      return { ...laneOf(listing.scope, false), visitsOnly: true };
    case 'transfers':
      return listing.scope.kind === 'county'
        ? { index: 'byTransfer', pk: TRANSFER_PK }
        : { ...laneOf(listing.scope, true), transferredOnly: true };
  }
}

/** The ExclusiveStartKey that resumes a query of `index` right after `item`. */
function indexPositionOf(item: Record<string, unknown>, index: CaseIndex): Record<string, unknown> {
  const [pk, sk] = caseIndexes[index];
  return { pk: item.pk, sk: item.sk, [pk]: item[pk], [sk]: item[sk] };
}

export class DynamoDbCaseStore implements CaseStore, PublicPhotoRecorder {
  readonly #db: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(db: DynamoDBDocumentClient, tableName: string) {
    this.#db = db;
    this.#table = tableName;
  }

  async saveReport(report: CaseReport): Promise<void> {
    const saved = await conditionalWrite('saving the report', () =>
      this.#db.send(
        new PutCommand({
          TableName: this.#table,
          Item: { pk: casePk(report.trackingCode), sk: 'REPORT', ...report },
          // A redelivered message rewrites the same content; another submission may not.
          ConditionExpression: 'attribute_not_exists(pk) OR submissionId = :sid',
          ExpressionAttributeValues: { ':sid': report.submissionId },
        }),
      ),
    );
    if (!saved) {
      throw new CaseConflictError(
        `tracking code ${report.trackingCode} already belongs to another submission`,
      );
    }
  }

  /** One item per case: a later confirmation overwrites the earlier label. */
  async saveTrainingExample(example: TrainingExample): Promise<void> {
    await awsCall('saving a training example', () =>
      this.#db.send(new PutCommand({ TableName: this.#table, Item: trainingExampleItem(example) })),
    );
  }

  async getReport(trackingCode: string): Promise<CaseReport | undefined> {
    const { Item } = await awsCall('reading the report', () =>
      this.#db.send(
        new GetCommand({ TableName: this.#table, Key: { pk: casePk(trackingCode), sk: 'REPORT' } }),
      ),
    );
    return Item ? CaseReport.parse(Item) : undefined;
  }

  async createCase(state: CaseState, entries: OutboxEntry[]): Promise<CreateCaseResult> {
    const outbox = Object.fromEntries(entries.map((e) => [`${ENTRY_PREFIX}${e.id}`, storedEntry(e)]));
    const created = await conditionalWrite('creating the case', () =>
      this.#db.send(
        new PutCommand({
          TableName: this.#table,
          Item: {
            pk: casePk(state.trackingCode),
            sk: 'STATE',
            ...state,
            ...indexKeysOf(state),
            ...outbox,
            ...outboxKeys(state.trackingCode, entries),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
    if (created) return { created: true, state, pending: entries };
    const existing = await this.getCase(state.trackingCode);
    if (!existing) throw new CaseConflictError(`case ${state.trackingCode} vanished while being created`);
    return { created: false, existing };
  }

  async getCase(trackingCode: string): Promise<CaseState | undefined> {
    const { Item } = await awsCall('reading the case', () =>
      this.#db.send(
        new GetCommand({
          TableName: this.#table,
          Key: { pk: casePk(trackingCode), sk: 'STATE' },
          ConsistentRead: true,
        }),
      ),
    );
    return Item ? toState(Item) : undefined;
  }

  async applyTransition(
    current: CaseState,
    plan: TransitionPlan,
    entries: OutboxEntry[],
  ): Promise<ApplyResult> {
    const version = plan.from.version + 1;
    const next: CaseState = {
      ...current,
      ...plan.set,
      stage: plan.to,
      version,
      updatedAt: plan.event.at,
      timeline: [...current.timeline, plan.event],
      transfers: (current.transfers ?? 0) + (plan.transfer ? 1 : 0),
    };
    for (const attribute of plan.remove) delete next[attribute];

    const update = new UpdateExpression();
    update.set('stage', next.stage);
    update.set('version', version);
    update.set('updatedAt', next.updatedAt);
    const timeline = update.name('timeline');
    update.values[':event'] = [plan.event];
    update.setClause(`${timeline} = list_append(${timeline}, :event)`);
    for (const [attribute, value] of Object.entries(plan.set)) update.set(attribute, value);
    if (plan.transfer) update.set('transfers', next.transfers);
    for (const attribute of plan.remove) update.remove(attribute);

    const indexKeys = indexKeysOf(next);
    for (const key of stateIndexKeyNames) {
      const value = indexKeys[key];
      if (value === undefined) update.remove(key);
      else update.set(key, value);
    }
    for (const entry of entries) update.set(`${ENTRY_PREFIX}${entry.id}`, storedEntry(entry));
    // Due no later than these entries; the sweeper's settle sets it exactly once it reads the rest.
    const keys = outboxKeys(current.trackingCode, entries);
    if (keys) {
      update.set('outboxPk', keys.outboxPk);
      update.set('outboxSk', keys.outboxSk);
    }
    update.values[':from'] = plan.from.stage;
    update.values[':expected'] = plan.from.version;
    const stage = update.name('stage');
    const versionName = update.name('version');

    let written: Record<string, unknown> | undefined;
    const applied = await conditionalWrite('changing the case', async () => {
      const out = await this.#db.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: { pk: casePk(current.trackingCode), sk: 'STATE' },
          UpdateExpression: update.toString(),
          ConditionExpression: `${stage} = :from AND ${versionName} = :expected`,
          ExpressionAttributeNames: update.names,
          ExpressionAttributeValues: update.values,
          ReturnValues: 'ALL_NEW',
        }),
      );
      written = out.Attributes;
    });
    if (applied && written) return { applied: true, state: toState(written), pending: entriesOf(written) };
    return { applied: false, current: await this.getCase(current.trackingCode) };
  }

  async settleEffects(seen: PendingEffects, outcomes: EffectOutcome[]): Promise<void> {
    if (outcomes.length === 0) return;
    let current: { version: number; entries: OutboxEntry[]; legacy: boolean } = {
      version: seen.state.version,
      entries: seen.entries,
      legacy: seen.entries.some((e) => e.attempts === 0),
    };
    const code = seen.state.trackingCode;
    // A transition may land in between; then the same outcomes are applied to what is there now.
    for (let attempt = 0; attempt < 5; attempt++) {
      if (await this.#settleOnce(code, current, outcomes)) return;
      const { Item } = await awsCall('reading the case', () =>
        this.#db.send(
          new GetCommand({
            TableName: this.#table,
            Key: { pk: casePk(code), sk: 'STATE' },
            ConsistentRead: true,
          }),
        ),
      );
      if (!Item) return;
      const entries = entriesOf(Item);
      current = { version: z.number().parse(Item.version), entries, legacy: Item.effects !== undefined };
    }
    throw new CaseConflictError(`the outbox of case ${code} kept changing while being settled`);
  }

  async #settleOnce(
    code: string,
    seen: { version: number; entries: OutboxEntry[]; legacy: boolean },
    outcomes: EffectOutcome[],
  ): Promise<boolean> {
    const present = new Set(seen.entries.map((e) => e.id));
    const relevant = outcomes.filter((o) => present.has(o.id));
    const remaining = remainingEntries(seen.entries, relevant);
    const update = new UpdateExpression();
    const version = update.name('version');
    update.values[':version'] = seen.version;
    for (const entry of remaining) {
      // Unchanged entries stay as they are; a legacy list is rewritten whole as entries.
      if (!relevant.some((o) => o.id === entry.id) && seen.legacy === false) continue;
      update.set(`${ENTRY_PREFIX}${entry.id}`, storedEntry(entry));
    }
    for (const outcome of relevant) {
      if (outcome.kind !== 'retry') update.remove(`${ENTRY_PREFIX}${outcome.id}`);
    }
    if (seen.legacy) update.remove('effects');
    const notices = relevant.flatMap((o) => (o.kind === 'failed' ? [o.notice] : []));
    if (notices.length > 0) {
      const key = update.name('notices');
      update.values[':notices'] = Notices.parse(notices);
      update.values[':none'] = [];
      update.setClause(`${key} = list_append(if_not_exists(${key}, :none), :notices)`);
    }
    const keys = outboxKeys(code, remaining);
    if (keys) {
      update.set('outboxPk', keys.outboxPk);
      update.set('outboxSk', keys.outboxSk);
    } else {
      update.remove('outboxPk');
      update.remove('outboxSk');
    }
    return conditionalWrite('settling effects', () =>
      this.#db.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: { pk: casePk(code), sk: 'STATE' },
          UpdateExpression: update.toString(),
          ConditionExpression: `${version} = :version`,
          ExpressionAttributeNames: update.names,
          ExpressionAttributeValues: update.values,
        }),
      ),
    );
  }

  async claimEntry(trackingCode: string, entry: OutboxEntry, token: string): Promise<boolean> {
    const attribute = `${ENTRY_PREFIX}${entry.id}`;
    const key = { pk: casePk(trackingCode), sk: 'STATE' };
    try {
      return await conditionalWrite('claiming an effect', () =>
        this.#db.send(
          new UpdateCommand({
            TableName: this.#table,
            Key: key,
            UpdateExpression: 'SET #entry.attempts = :next, #entry.inFlight = :token',
            ConditionExpression: '#entry.attempts = :attempts AND attribute_not_exists(#entry.inFlight)',
            ExpressionAttributeNames: { '#entry': attribute },
            ExpressionAttributeValues: {
              ':attempts': entry.attempts,
              ':next': entry.attempts + 1,
              ':token': token,
            },
          }),
        ),
      );
    } catch (error) {
      // The answer may have been lost after the claim landed: the token says whose it is.
      const { Item } = await awsCall('reading the case', () =>
        this.#db.send(new GetCommand({ TableName: this.#table, Key: key, ConsistentRead: true })),
      );
      const stored = Item?.[attribute];
      if (typeof stored === 'object' && stored !== null && Reflect.get(stored, 'inFlight') === token)
        return true;
      throw error;
    }
  }

  async pendingEffects(
    dueBy: string,
    limit: number,
    after?: string,
  ): Promise<{ cases: PendingEffects[]; next?: string }> {
    const page = await this.#query({
      IndexName: 'byOutbox',
      KeyConditionExpression: 'outboxPk = :pk AND outboxSk BETWEEN :after AND :due',
      ExpressionAttributeValues: { ':pk': 'OUTBOX', ':after': after ?? ' ', ':due': `${dueBy}#~` },
      Limit: limit,
    });
    const cases = page.items.map((item) => ({ state: toState(item), entries: entriesOf(item) }));
    const last = page.items.at(-1);
    return { cases, ...(page.lastKey && last ? { next: `${String(last.outboxSk)}~` } : {}) };
  }

  async listCases(
    listing: CaseListing,
    filter: ListFilter,
    limit: number,
    page?: PageRequest,
  ): Promise<CasePage> {
    const plan = listQueryOf(listing);
    const [pkName, skName] = caseIndexes[plan.index];
    const names: Record<string, string> = { '#pk': pkName };
    const values: Record<string, unknown> = { ':pk': plan.pk };
    let keyCondition = '#pk = :pk';
    if (plan.visitsOnly) {
      names['#sk'] = skName;
      values[':visit'] = VISIT_LANE_PREFIX;
      keyCondition += ' AND begins_with(#sk, :visit)';
    } else if (filter.since && skName === 'laneSk') {
      names['#sk'] = skName;
      values[':since'] = filter.since;
      keyCondition += ' AND #sk >= :since';
    }
    const filters: string[] = [];
    const where = (attribute: string, value: unknown, test: (n: string, v: string) => string) => {
      const n = `#f${filters.length}`;
      const v = `:f${filters.length}`;
      names[n] = attribute;
      values[v] = value;
      filters.push(test(n, v));
    };
    if (filter.stage) where('stage', filter.stage, (n, v) => `${n} = ${v}`);
    if (filter.category) where('category', filter.category, (n, v) => `${n} = ${v}`);
    if (filter.communityId) where('communityId', filter.communityId, (n, v) => `${n} = ${v}`);
    // The list within the scope's open lane; the scope itself is the key condition above.
    if (plan.transferredOnly) where('transfers', 0, (n, v) => `${n} > ${v}`);
    if (filter.overdue) {
      names['#escalation'] = 'escalation';
      names['#timer'] = 'timer';
      names['#at'] = 'at';
      names['#kind'] = 'kind';
      values[':now'] = filter.overdue.now;
      values[':rating'] = 'rating_window';
      filters.push('(attribute_exists(#escalation) OR (#timer.#at < :now AND #timer.#kind <> :rating))');
    }
    // A cursor resumes only the list it ended: same caller, listing and filter (the clock aside).
    const binding = page && {
      caller: page.seal.caller,
      listing,
      filter: { ...filter, overdue: filter.overdue !== undefined },
    };
    const input = {
      IndexName: plan.index,
      KeyConditionExpression: keyCondition,
      FilterExpression: filters.length ? filters.join(' AND ') : undefined,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      // Newest first: what arrived last is what staff look at first.
      ScanIndexForward: false,
    };
    let startKey: Record<string, unknown> | undefined = page
      ? openCursor(page.seal.key, binding, page.cursor)
      : undefined;
    // DynamoDB's Limit counts items read before the filter. A staff page with a filter reads on, a
    // bounded number of times, so that it is seldom short; internal callers read once.
    const filtered = filters.length > 0 && page !== undefined;
    const readLimit = filtered ? Math.min(MAX_FILTERED_READ, limit * 4) : limit;
    const items: Record<string, unknown>[] = [];
    for (let reads = 0; ; reads++) {
      const out = await this.#query({ ...input, Limit: readLimit, ExclusiveStartKey: startKey });
      items.push(...out.items);
      startKey = out.lastKey;
      if (!filtered || items.length >= limit || !startKey || reads + 1 === MAX_FILTERED_READS) break;
    }
    if (items.length > limit) {
      // Resume right after the last case shown, not after the last one read.
      items.length = limit;
      const last = items.at(-1);
      startKey = last && indexPositionOf(last, plan.index);
    }
    return {
      cases: items.map(toState),
      ...(page && binding ? { cursor: sealCursor(page.seal.key, binding, startKey) } : {}),
    };
  }

  async linkDuplicate(original: string, duplicate: string): Promise<void> {
    await awsCall('linking the duplicate', () =>
      this.#db.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: { pk: casePk(original), sk: 'STATE' },
          UpdateExpression: 'ADD duplicates :d',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':d': new Set([duplicate]) },
        }),
      ),
    );
  }

  // ─── timers and merges (shared/services/sweep-due-timers.ts, shared/services/transition-case.ts) ───

  async dueTimerPage(
    now: string,
    limit: number,
    cursor?: string,
  ): Promise<{ cases: CaseState[]; unreadable: string[]; cursor?: string }> {
    const page = await this.#query({
      IndexName: 'byTimer',
      KeyConditionExpression: 'timerPk = :pk AND timerSk <= :now',
      ExpressionAttributeValues: { ':pk': 'TIMER', ':now': `${now}#~` },
      Limit: limit,
      ExclusiveStartKey: decodeCursor(cursor),
    });
    const cases: CaseState[] = [];
    const unreadable: string[] = [];
    for (const item of page.items) {
      const parsed = CaseState.safeParse(plain(item));
      if (parsed.success) cases.push(parsed.data);
      else unreadable.push(String(item.pk).replace(/^CASE#/, ''));
    }
    return { cases, unreadable, cursor: encodeCursor(page.lastKey) };
  }

  async recordPublicPhoto(
    trackingCode: string,
    key: string,
    max: number,
  ): Promise<'recorded' | 'full' | 'missing'> {
    const appended = await conditionalWrite('recording a public photo', () =>
      this.#db.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: { pk: casePk(trackingCode), sk: 'STATE' },
          UpdateExpression: 'SET #photos = list_append(if_not_exists(#photos, :none), :key)',
          ConditionExpression:
            'attribute_exists(pk) AND (attribute_not_exists(#photos) OR (size(#photos) < :max AND NOT contains(#photos, :one)))',
          ExpressionAttributeNames: { '#photos': 'publicPhotos' },
          ExpressionAttributeValues: { ':none': [], ':key': [key], ':one': key, ':max': max },
        }),
      ),
    );
    if (appended) return 'recorded';
    // Refused: no case, a retry of a photo already recorded, or the case has its maximum.
    const state = await this.getCase(trackingCode);
    if (state === undefined) return 'missing';
    return state.publicPhotos?.includes(key) ? 'recorded' : 'full';
  }

  async dropTimer(seen: CaseState): Promise<boolean> {
    const timer = seen.timer;
    const names: Record<string, string> = { '#version': 'version', '#timer': 'timer' };
    const values: Record<string, unknown> = { ':version': seen.version };
    let condition = '#version = :version AND attribute_not_exists(#timer)';
    if (timer) {
      Object.assign(names, { '#at': 'at', '#kind': 'kind' });
      Object.assign(values, { ':at': timer.at, ':kind': timer.kind });
      condition = '#version = :version AND #timer.#at = :at AND #timer.#kind = :kind';
    }
    return conditionalWrite('dropping a spent timer', () =>
      this.#db.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: { pk: casePk(seen.trackingCode), sk: 'STATE' },
          UpdateExpression: 'REMOVE #timer, timerPk, timerSk',
          ConditionExpression: condition,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      ),
    );
  }

  async writeDuplicateLink(
    original: CaseState,
    plan: DuplicateLinkPlan,
  ): Promise<{ applied: true; state: CaseState } | { applied: false; current: CaseState | undefined }> {
    const version = plan.from.version + 1;
    const listed = plan.holds > 0;
    const { duplicates: _duplicates, duplicateLinks: _links, ...rest } = original;
    const duplicates = (original.duplicates ?? []).filter((code) => code !== plan.duplicate);
    if (listed) duplicates.push(plan.duplicate);
    const links = Object.fromEntries(
      Object.entries(original.duplicateLinks ?? {}).filter(([code]) => code !== plan.duplicate),
    );
    if (listed) links[plan.duplicate] = plan.holds;
    const next: CaseState = {
      ...rest,
      version,
      updatedAt: plan.event.at,
      timeline: [...original.timeline, plan.event],
      ...(duplicates.length > 0 ? { duplicates } : {}),
      ...(Object.keys(links).length > 0 ? { duplicateLinks: links } : {}),
    };
    const names: Record<string, string> = {
      '#stage': 'stage',
      '#version': 'version',
      '#updatedAt': 'updatedAt',
      '#timeline': 'timeline',
      '#duplicates': 'duplicates',
      '#links': 'duplicateLinks',
    };
    const values: Record<string, unknown> = {
      ':from': plan.from.stage,
      ':expected': plan.from.version,
      ':version': version,
      ':at': plan.event.at,
      ':event': [plan.event],
      // A string set, as the duplicates have always been stored (and the outbox's links add to).
      ':duplicate': new Set([plan.duplicate]),
    };
    const sets = ['#version = :version', '#updatedAt = :at', '#timeline = list_append(#timeline, :event)'];
    const removes: string[] = [];
    // The holds are rewritten whole from the version read; the condition makes that exact.
    if (next.duplicateLinks) {
      values[':links'] = next.duplicateLinks;
      sets.push('#links = :links');
    } else removes.push('#links');
    const keys = indexKeysOf(next);
    stateIndexKeyNames.forEach((key, i) => {
      names[`#k${i}`] = key;
      const value = keys[key];
      if (value === undefined) removes.push(`#k${i}`);
      else {
        values[`:k${i}`] = value;
        sets.push(`#k${i} = :k${i}`);
      }
    });
    const update = [
      `SET ${sets.join(', ')}`,
      removes.length > 0 ? `REMOVE ${removes.join(', ')}` : '',
      `${listed ? 'ADD' : 'DELETE'} #duplicates :duplicate`,
    ];
    let written: Record<string, unknown> | undefined;
    const applied = await conditionalWrite('linking the duplicate', async () => {
      const out = await this.#db.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: { pk: casePk(original.trackingCode), sk: 'STATE' },
          UpdateExpression: update.filter(Boolean).join(' '),
          ConditionExpression: '#stage = :from AND #version = :expected',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
        }),
      );
      written = out.Attributes;
    });
    if (applied && written) return { applied: true, state: toState(written) };
    return { applied: false, current: await this.getCase(original.trackingCode) };
  }

  async #query(
    input: Omit<QueryCommandInput, 'TableName'>,
  ): Promise<{ items: Record<string, unknown>[]; lastKey?: Record<string, unknown> }> {
    const out = await awsCall('listing cases', () =>
      this.#db.send(new QueryCommand({ TableName: this.#table, ...input })),
    );
    return { items: out.Items ?? [], lastKey: out.LastEvaluatedKey };
  }
}
