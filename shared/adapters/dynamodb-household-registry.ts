/**
 * The household registry on DynamoDB (table `households`). Layout:
 *   household  pk = HOUSEHOLD#<id>   sk = HOUSEHOLD   + communityPk = COMMUNITY#<id>, householdSk = HOUSEHOLD#<id>
 *   phone      pk = PHONE#<e164>     sk = PHONE       householdId = <id>
 *   counter    pk = COMMUNITY#<id>   sk = COUNTS      households, optedOut, countedAt
 * A phone lookup is one GetItem for the phone and one for its household, never a scan; the sparse
 * index `byCommunity` (only household items carry its keys) lists a community's households in
 * household-id order, page by page.
 *
 * There are no transactions (the local emulator has none), so writes go in an order that keeps
 * every intermediate state answerable: the household item first, then its phone items, then the
 * deletion of phone items it no longer lists. A lookup that meets a phone item whose household no
 * longer lists the phone treats it as not found, so a half-finished import heals on the next one.
 *
 * The per-community counter is one small item whatever the community's size: an import recounts
 * each community it touched from the index and overwrites it (so a crashed import, or a lost
 * opt-out increment, is healed by the next import of that community), and an opt-out adds to it
 * once, after the conditional write that marks the household.
 */
import {
  BatchGetCommand,
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { Household } from '../domain/household.ts';
import { PhoneNumber } from '../domain/report.ts';
import { DependencyError, ValidationError } from '../errors.ts';
import type {
  CommunityRegistryCounts,
  HouseholdPage,
  HouseholdRegistry,
} from '../ports/household-registry.ts';
import * as z from '../schema.ts';
import { awsCall, batchWriteAll, conditionalWrite } from './aws-call.ts';

export const HOUSEHOLD_COMMUNITY_INDEX = 'byCommunity';
const MAX_PAGE = 1000;

type Key = { pk: string; sk: string };
const householdKey = (householdId: string): Key => ({ pk: `HOUSEHOLD#${householdId}`, sk: 'HOUSEHOLD' });
const phoneKey = (phone: string): Key => ({ pk: `PHONE#${phone}`, sk: 'PHONE' });
const communityPk = (communityId: string): string => `COMMUNITY#${communityId}`;
const countsKey = (communityId: string): Key => ({ pk: communityPk(communityId), sk: 'COUNTS' });

const CountsItem = z.object({
  communityId: z.string(),
  households: z.int(),
  optedOut: z.int(),
  countedAt: z.string(),
});

const PhoneItem = z.object({ phone: z.string(), householdId: z.string() });

const householdItem = (h: Household): Record<string, unknown> => ({
  ...householdKey(h.householdId),
  type: 'HOUSEHOLD',
  communityPk: communityPk(h.communityId),
  householdSk: `HOUSEHOLD#${h.householdId}`,
  ...h,
});

/** The index key of a listed item: what DynamoDB's own LastEvaluatedKey would hold. */
const IndexKey = z.object({
  pk: z.string(),
  sk: z.string(),
  communityPk: z.string(),
  householdSk: z.string(),
});
const encodeCursor = (key: z.infer<typeof IndexKey>): string =>
  Buffer.from(JSON.stringify(key)).toString('base64url');

function decodeCursor(cursor: string, expectedCommunityPk: string): z.infer<typeof IndexKey> {
  const invalid = (cause?: unknown) =>
    new ValidationError(
      'The cursor is not one this registry gave out',
      [{ path: 'cursor', message: 'invalid cursor' }],
      { cause },
    );
  let key: z.infer<typeof IndexKey>;
  try {
    key = IndexKey.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch (error) {
    throw invalid(error);
  }
  // A cursor from another community's listing would silently skip into the wrong place.
  if (key.communityPk !== expectedCommunityPk) throw invalid();
  return key;
}

export class DynamoDbHouseholdRegistry implements HouseholdRegistry {
  readonly #db: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(db: DynamoDBDocumentClient, tableName: string) {
    this.#db = db;
    this.#table = tableName;
  }

  async findByPhone(phone: string): Promise<Household | undefined> {
    const e164 = PhoneNumber.safeParse(phone);
    if (!e164.success) return undefined;
    const pointer = await this.#get(phoneKey(e164.data));
    if (!pointer) return undefined;
    const household = await this.#household(PhoneItem.parse(pointer).householdId);
    // A pointer left behind by an interrupted re-import: the household has let the phone go.
    if (!household?.phones.includes(e164.data)) return undefined;
    return household;
  }

  async upsert(households: Household[]): Promise<{ created: number; updated: number }> {
    if (households.length === 0) return { created: 0, updated: 0 };
    const owner = distinctOwners(households);
    const ids = households.map((h) => h.householdId);
    const inBatch = new Set(ids);

    const existing = new Map(
      (await this.#batchGet(ids.map(householdKey))).map((item) => {
        const h = Household.parse(item);
        return [h.householdId, h] as const;
      }),
    );
    const pointers = new Map(
      (await this.#batchGet([...owner.keys()].map(phoneKey))).map((item) => {
        const p = PhoneItem.parse(item);
        return [p.phone, p.householdId] as const;
      }),
    );

    // 1. The households. An opt-out comes from the resident's SMS reply, not from the registry
    // export, so a re-import keeps it.
    const stored = households.map(
      (h): Household => ({ ...h, optedOut: h.optedOut ?? existing.get(h.householdId)?.optedOut }),
    );
    await batchWriteAll(
      this.#db,
      this.#table,
      stored.map((h) => ({ PutRequest: { Item: householdItem(h) } })),
      'writing households',
    );

    // 2. Their phones, each now pointing here (a phone that moved stops pointing at its old household).
    await batchWriteAll(
      this.#db,
      this.#table,
      [...owner].map(([phone, householdId]) => ({
        PutRequest: { Item: { ...phoneKey(phone), type: 'PHONE', phone, householdId } },
      })),
      'writing household phones',
    );

    // 3. Phones a re-imported household no longer lists. Conditional: another import may have
    // given the phone to a different household meanwhile, and that pointer must stay.
    for (const h of stored) {
      for (const phone of existing.get(h.householdId)?.phones ?? []) {
        if (owner.has(phone)) continue;
        await conditionalWrite('deleting a stale household phone', () =>
          this.#db.send(
            new DeleteCommand({
              TableName: this.#table,
              Key: phoneKey(phone),
              ConditionExpression: 'householdId = :id',
              ExpressionAttributeValues: { ':id': h.householdId },
            }),
          ),
        );
      }
    }

    // 4. Households outside this batch that lost a phone to it stop listing it, so a community's
    // listing never offers one phone twice. One left without any phone is no longer reachable
    // by phone lookup or outreach and leaves the registry; its next import brings it back.
    const taken = new Map<string, string[]>();
    for (const [phone, previous] of pointers) {
      if (previous === owner.get(phone) || inBatch.has(previous)) continue;
      taken.set(previous, [...(taken.get(previous) ?? []), phone]);
    }
    for (const [householdId, phones] of taken) {
      const previous = await this.#household(householdId);
      if (!previous) continue;
      const remaining = previous.phones.filter((p) => !phones.includes(p));
      if (remaining.length === previous.phones.length) continue;
      await awsCall('updating a household that lost a phone', () =>
        remaining.length === 0
          ? this.#db.send(new DeleteCommand({ TableName: this.#table, Key: householdKey(householdId) }))
          : this.#db.send(
              new PutCommand({
                TableName: this.#table,
                Item: householdItem({ ...previous, phones: remaining }),
              }),
            ),
      );
    }

    const created = households.filter((h) => !existing.has(h.householdId)).length;
    return { created, updated: households.length - created };
  }

  async getMany(householdIds: string[]): Promise<Household[]> {
    const ids = [...new Set(householdIds)];
    return (await this.#batchGet(ids.map(householdKey))).map((item) => Household.parse(item));
  }

  async listCommunity(communityId: string, limit: number, cursor?: string): Promise<HouseholdPage> {
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE)
      throw new ValidationError('The page size is out of range', [
        { path: 'limit', message: `a whole number from 1 to ${MAX_PAGE}` },
      ]);
    const partition = communityPk(communityId);
    const startKey = cursor === undefined ? undefined : decodeCursor(cursor, partition);
    // One item more than asked: if it comes, there is a next page and the cursor is the last
    // returned item; if not, the listing is complete and the last page carries no cursor.
    const page = await awsCall('listing a community’s households', () =>
      this.#db.send(
        new QueryCommand({
          TableName: this.#table,
          IndexName: HOUSEHOLD_COMMUNITY_INDEX,
          KeyConditionExpression: 'communityPk = :c',
          ExpressionAttributeValues: { ':c': partition },
          ExclusiveStartKey: startKey,
          Limit: limit + 1,
        }),
      ),
    );
    const items = page.Items ?? [];
    const households = items.slice(0, limit).map((item) => Household.parse(item));
    const last = items[limit - 1];
    if (items.length > limit && last) return { households, cursor: encodeCursor(IndexKey.parse(last)) };
    // Fewer than asked but not finished: DynamoDB stopped at its 1 MB page size.
    if (page.LastEvaluatedKey)
      return { households, cursor: encodeCursor(IndexKey.parse(page.LastEvaluatedKey)) };
    return { households };
  }

  async communityCounts(communityIds: string[]): Promise<Map<string, CommunityRegistryCounts>> {
    const items = await this.#batchGet([...new Set(communityIds)].map(countsKey));
    return new Map(
      items.map((item) => {
        const counts = CountsItem.parse(item);
        return [counts.communityId, counts] as const;
      }),
    );
  }

  async recountCommunity(
    communityId: string,
    isOptedOut: (household: Household) => Promise<boolean>,
    at: Date,
  ): Promise<CommunityRegistryCounts> {
    let households = 0;
    let optedOut = 0;
    let cursor: string | undefined;
    do {
      const page = await this.listCommunity(communityId, MAX_PAGE, cursor);
      for (const h of page.households) {
        households += 1;
        if (await isOptedOut(h)) optedOut += 1;
      }
      cursor = page.cursor;
    } while (cursor);
    const counts: CommunityRegistryCounts = {
      communityId,
      households,
      optedOut,
      countedAt: at.toISOString(),
    };
    await awsCall('storing a community’s registry counts', () =>
      this.#db.send(
        new PutCommand({
          TableName: this.#table,
          Item: { ...countsKey(communityId), type: 'COUNTS', ...counts },
        }),
      ),
    );
    return counts;
  }

  async markOptedOut(householdId: string): Promise<'marked' | 'already' | 'not_registered'> {
    const household = await this.#household(householdId);
    if (!household) return 'not_registered';
    // One conditional write decides the first time, so a redelivered opt-out never counts twice.
    const marked = await conditionalWrite('marking a household opted out', () =>
      this.#db.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: householdKey(householdId),
          UpdateExpression: 'SET optedOut = :yes',
          ConditionExpression:
            'attribute_exists(pk) AND (attribute_not_exists(optedOut) OR optedOut <> :yes)',
          ExpressionAttributeValues: { ':yes': true },
        }),
      ),
    );
    if (!marked) return 'already';
    // Only a community that has been counted has a counter to add to; the first count includes this.
    await conditionalWrite('counting an opt-out in the community', () =>
      this.#db.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: countsKey(household.communityId),
          UpdateExpression: 'ADD optedOut :one',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':one': 1 },
        }),
      ),
    );
    return 'marked';
  }

  async #household(householdId: string): Promise<Household | undefined> {
    const item = await this.#get(householdKey(householdId));
    return item ? Household.parse(item) : undefined;
  }

  async #get(key: Key): Promise<Record<string, unknown> | undefined> {
    const { Item } = await awsCall('reading the household registry', () =>
      this.#db.send(new GetCommand({ TableName: this.#table, Key: key })),
    );
    return Item;
  }

  /** BatchGetItem 100 keys at a time, retrying what DynamoDB leaves unprocessed with backoff. */
  async #batchGet(keys: Key[]): Promise<Record<string, unknown>[]> {
    const found: Record<string, unknown>[] = [];
    for (let i = 0; i < keys.length; i += 100) {
      let pending: Record<string, unknown>[] = keys.slice(i, i + 100);
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt === 8) throw new DependencyError('reading the household registry kept being throttled');
        const out = await awsCall('reading the household registry', () =>
          this.#db.send(new BatchGetCommand({ RequestItems: { [this.#table]: { Keys: pending } } })),
        );
        found.push(...(out.Responses?.[this.#table] ?? []));
        pending = out.UnprocessedKeys?.[this.#table]?.Keys ?? [];
        if (pending.length > 0) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
      }
    }
    return found;
  }
}

/** phone → household for the batch; refuses a batch listing a household or a phone twice. */
function distinctOwners(households: Household[]): Map<string, string> {
  const ids = new Set<string>();
  const owner = new Map<string, string>();
  for (const h of households) {
    if (ids.has(h.householdId))
      throw new ValidationError('A household is listed twice', [
        { path: 'householdId', message: 'duplicate' },
      ]);
    ids.add(h.householdId);
    for (const phone of h.phones) {
      if (owner.has(phone))
        throw new ValidationError('A phone is listed for two households', [
          { path: 'phones', message: 'duplicate' },
        ]);
      owner.set(phone, h.householdId);
    }
  }
  return owner;
}
