/** The household registry on dynalite: lookup by phone, paged community listings, phones that move. */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbHouseholdRegistry } from '../../shared/adapters/dynamodb-household-registry.ts';
import type { Household } from '../../shared/domain/household.ts';
import { ValidationError } from '../../shared/errors.ts';
import { type EmulatedTables, emulatedTables } from '../support/emulated-tables.ts';

let env: EmulatedTables;
let registry: DynamoDbHouseholdRegistry;

beforeAll(async () => {
  env = await emulatedTables();
  registry = new DynamoDbHouseholdRegistry(env.db, env.tables.households ?? '');
});
afterAll(async () => {
  await env?.stop();
});

const household = (id: string, communityId: string, phones: string[], extra: Partial<Household> = {}) => ({
  householdId: id,
  communityId,
  phones,
  ...extra,
});

describe('lookup by phone', () => {
  it('finds the household a phone is registered to, in any accepted spelling', async () => {
    const h = household('lookup-1', 'chengdong-kangning', ['+8613811110001', '+85291110001'], {
      gridId: 'chengdong-kangning-g1',
      headName: '王建国',
    });
    expect(await registry.upsert([h])).toEqual({ created: 1, updated: 0 });
    expect(await registry.findByPhone('+8613811110001')).toEqual(h);
    expect(await registry.findByPhone('138 1111 0001')).toEqual(h);
    expect(await registry.findByPhone('+85291110001')).toEqual(h);
    expect(await registry.findByPhone('+8613811119999')).toBeUndefined();
    expect(await registry.findByPhone('not a phone')).toBeUndefined();
  });

  it('treats a phone item whose household no longer lists the phone as not found', async () => {
    await registry.upsert([household('heal-1', 'chengdong-taihe', ['+8613822220001'])]);
    // As if an import wrote the household but stopped before deleting the stale phone item.
    await env.db.send(
      new PutCommand({
        TableName: env.tables.households ?? '',
        Item: {
          pk: 'PHONE#+8613822229999',
          sk: 'PHONE',
          type: 'PHONE',
          phone: '+8613822229999',
          householdId: 'heal-1',
        },
      }),
    );
    expect(await registry.findByPhone('+8613822229999')).toBeUndefined();
  });
});

describe('upsert', () => {
  it('updates on re-import, drops phones no longer listed and keeps an opt-out', async () => {
    await registry.upsert([household('re-1', 'chengnan-nanguan', ['+8613833330001', '+8613833330002'])]);
    await registry.upsert([household('re-1', 'chengnan-nanguan', ['+8613833330001'], { optedOut: true })]);
    expect(
      await registry.upsert([household('re-1', 'chengnan-wenyuan', ['+8613833330001', '+8613833330003'])]),
    ).toEqual({ created: 0, updated: 1 });
    const found = await registry.findByPhone('+8613833330003');
    expect(found).toMatchObject({ communityId: 'chengnan-wenyuan', optedOut: true });
    expect(await registry.findByPhone('+8613833330002')).toBeUndefined();
    expect((await registry.listCommunity('chengnan-nanguan', 10)).households).toEqual([]);
  });

  it('moves a phone to its new household: it points there afterwards, never to both', async () => {
    await registry.upsert([
      household('move-a', 'chengxi-heping', ['+8613844440001', '+8613844440002']),
      household('move-c', 'chengxi-heping', ['+8613844440003']),
    ]);
    await registry.upsert([
      household('move-b', 'chengxi-heping', ['+8613844440001']),
      household('move-d', 'chengxi-heping', ['+8613844440003']),
    ]);
    expect((await registry.findByPhone('+8613844440001'))?.householdId).toBe('move-b');
    expect((await registry.findByPhone('+8613844440002'))?.householdId).toBe('move-a');
    expect((await registry.findByPhone('+8613844440003'))?.householdId).toBe('move-d');
    const listed = (await registry.listCommunity('chengxi-heping', 10)).households;
    expect(listed.map((h) => [h.householdId, h.phones])).toEqual([
      ['move-a', ['+8613844440002']],
      ['move-b', ['+8613844440001']],
      // move-c lost its only phone: it can no longer be reached and left the registry.
      ['move-d', ['+8613844440003']],
    ]);
  });

  it('keeps a phone that moved in the same batch even when its old household is re-imported after it', async () => {
    await registry.upsert([household('swap-a', 'chengxi-fengyi', ['+8613855550001'])]);
    await registry.upsert([
      household('swap-b', 'chengxi-fengyi', ['+8613855550001']),
      household('swap-a', 'chengxi-fengyi', ['+8613855550002']),
    ]);
    expect((await registry.findByPhone('+8613855550001'))?.householdId).toBe('swap-b');
    expect((await registry.findByPhone('+8613855550002'))?.householdId).toBe('swap-a');
  });

  it('refuses a batch listing one phone for two households', async () => {
    await expect(
      registry.upsert([
        household('dup-a', 'chengxi-fengyi', ['+8613866660001']),
        household('dup-b', 'chengxi-fengyi', ['+8613866660001']),
      ]),
    ).rejects.toBeInstanceOf(ValidationError);
  });
});

describe('listing a community', () => {
  it('pages through every household of the community once, in id order, with a cursor', async () => {
    const many = Array.from({ length: 25 }, (_, i) =>
      household(`page-${String(i).padStart(3, '0')}`, 'chengnan-yingxun', [
        `+86139000${String(i).padStart(5, '0')}`,
      ]),
    );
    await registry.upsert(many);
    await registry.upsert([household('other-1', 'chengnan-zhanqian', ['+8613977770001'])]);

    const seen: string[] = [];
    const sizes: number[] = [];
    let cursor: string | undefined;
    do {
      const page = await registry.listCommunity('chengnan-yingxun', 10, cursor);
      seen.push(...page.households.map((h) => h.householdId));
      sizes.push(page.households.length);
      cursor = page.cursor;
    } while (cursor);
    expect(sizes).toEqual([10, 10, 5]);
    expect(seen).toEqual(many.map((h) => h.householdId));
  });

  it('gives no cursor when a page ends exactly at the last household', async () => {
    const page = await registry.listCommunity('chengnan-zhanqian', 1);
    expect(page).toEqual({ households: [expect.objectContaining({ householdId: 'other-1' })] });
  });

  it("rejects another community's cursor and a page size out of range", async () => {
    const { cursor } = await registry.listCommunity('chengnan-yingxun', 5);
    await expect(registry.listCommunity('chengnan-zhanqian', 5, cursor)).rejects.toBeInstanceOf(
      ValidationError,
    );
    await expect(registry.listCommunity('chengnan-zhanqian', 5, 'garbage')).rejects.toBeInstanceOf(
      ValidationError,
    );
    await expect(registry.listCommunity('chengnan-zhanqian', 0)).rejects.toBeInstanceOf(ValidationError);
  });
});

describe('community counters', () => {
  const at = new Date('2026-12-01T02:00:00Z');
  const judgedByMark = async (h: Household) => h.optedOut === true;

  it('has none for a community never counted, even after an opt-out there, and keeps them out of listings', async () => {
    await registry.upsert([household('cnt-a1', 'counted-a', ['+8613866660001'])]);
    expect(await registry.markOptedOut('cnt-a1')).toBe('marked');
    expect(await registry.communityCounts(['counted-a'])).toEqual(new Map());
    // The first count includes the opt-out made before it.
    expect(await registry.recountCommunity('counted-a', judgedByMark, at)).toEqual({
      communityId: 'counted-a',
      households: 1,
      optedOut: 1,
      countedAt: '2026-12-01T02:00:00.000Z',
    });
    const page = await registry.listCommunity('counted-a', 10);
    expect(page.households.map((h) => h.householdId)).toEqual(['cnt-a1']);
  });

  it('adds an opt-out to a counted community once, and a recount agrees with it', async () => {
    await registry.upsert([
      household('cnt-b1', 'counted-b', ['+8613866660011']),
      household('cnt-b2', 'counted-b', ['+8613866660012']),
    ]);
    await registry.recountCommunity('counted-b', judgedByMark, at);
    expect(await registry.markOptedOut('cnt-b2')).toBe('marked');
    expect(await registry.markOptedOut('cnt-b2')).toBe('already');
    const counted = (await registry.communityCounts(['counted-b'])).get('counted-b');
    expect(counted).toMatchObject({ households: 2, optedOut: 1 });
    expect(await registry.recountCommunity('counted-b', judgedByMark, at)).toMatchObject({
      households: 2,
      optedOut: 1,
    });
  });
});
