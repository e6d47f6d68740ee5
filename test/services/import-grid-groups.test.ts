/** CSV import of micro-grids and grid groups (issue 16 item 1), against the directory on dynalite. */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { demoOrganisation } from '../../infra/demo/demo-organisation.ts';
import { DynamoDbDirectory } from '../../shared/adapters/dynamodb-directory.ts';
import { DynamoDbGridRegistry } from '../../shared/adapters/dynamodb-grid-registry.ts';
import type { Grid, Organisation } from '../../shared/domain/organisation.ts';
import { ValidationError } from '../../shared/errors.ts';
import type { GridRegistryWriter } from '../../shared/ports/grid-registry.ts';
import { importGridGroups } from '../../shared/services/import-grid-groups.ts';
import { type EmulatedTables, emulatedTables } from '../support/emulated-tables.ts';

let env: EmulatedTables;
let directory: DynamoDbDirectory;
let registry: GridRegistryWriter;
/** Every grid written, in order: a re-import must write none. */
let writes: string[];

/** The demo organisation as it was before the fifth level: grids without micro-grids or groups. */
const bare: Organisation = {
  ...demoOrganisation,
  grids: demoOrganisation.grids.map(({ microGrids: _m, group: _g, ...grid }): Grid => grid),
};

beforeAll(async () => {
  env = await emulatedTables();
  directory = new DynamoDbDirectory(env.db, env.tables.directory ?? '');
  const real = new DynamoDbGridRegistry(env.db, env.tables.directory ?? '');
  registry = {
    replaceGrid: async (grid) => {
      writes.push(grid.id);
      return real.replaceGrid(grid);
    },
    recordMemberCount: (...args) => real.recordMemberCount(...args),
  };
});
beforeEach(async () => {
  writes = [];
  await directory.write(bare);
});
afterAll(async () => {
  await env?.stop();
});

const sample = (name: string) => readFileSync(new URL(`../../events/csv/${name}`, import.meta.url), 'utf8');
const HEADER =
  'grid_id,group_chat_id,group_owner,micro_grid_id,micro_grid_name,micro_grid_households,micro_grid_worker';
const gridOf = async (id: string) => (await directory.load()).grids.find((g) => g.id === id);
const run = async (text: string) => importGridGroups(text, await directory.load(), registry);

describe('importGridGroups', () => {
  it('gives the sample grids their micro-grids and groups: the grid worker owns it, the micro-grid workers are its admins', async () => {
    const result = await run(sample('grid-groups-sample.csv'));
    expect(result).toEqual({
      grids: 2,
      changed: 2,
      unchanged: 0,
      groups: { added: 2, changed: 0 },
      microGrids: { added: 4, changed: 0, removed: 0 },
      gridWorkersSet: 0,
      rejected: [],
    });
    const g1 = await gridOf('chengdong-kangning-g1');
    expect(g1?.group).toEqual({
      chatId: 'wrOgQhDgAAkangning1',
      ownerUserId: 'gw-chengdong-kangning-g1',
      adminUserIds: ['zhang.wei', 'li.na'],
    });
    expect(g1?.microGrids).toEqual([
      { id: 'kangning-g1-m1', zh: '康宁一区1-3号楼', households: 120, wecomUserId: 'zhang.wei' },
      { id: 'kangning-g1-m2', zh: '康宁一区4-6号楼', households: 110, wecomUserId: 'li.na' },
      { id: 'kangning-g1-m3', zh: '康宁一区底商', households: 110 },
    ]);
    // What the seed said about the grid is kept.
    expect(g1).toMatchObject({ households: 340, wecomUserId: 'gw-chengdong-kangning-g1' });
    expect((await gridOf('chengdong-kangning-g3'))?.group).toBeUndefined();
  });

  it('changes nothing when the same file is imported again, and keeps the member count read from the platform', async () => {
    await run(sample('grid-groups-sample.csv'));
    await registry.recordMemberCount(
      'chengdong-kangning-g1',
      'wrOgQhDgAAkangning1',
      301,
      new Date('2026-12-07T01:00:00Z'),
    );
    writes = [];
    const again = await run(sample('grid-groups-sample.csv'));
    expect(again).toMatchObject({ grids: 2, changed: 0, unchanged: 2, rejected: [] });
    expect(writes).toEqual([]);
    expect((await gridOf('chengdong-kangning-g1'))?.group).toMatchObject({
      memberCount: 301,
      memberCountAt: '2026-12-07T01:00:00.000Z',
    });
  });

  it('replaces a grid’s micro-grids with the file’s and forgets the member count when the group itself changes', async () => {
    await run(sample('grid-groups-sample.csv'));
    await registry.recordMemberCount('chengdong-kangning-g1', 'wrOgQhDgAAkangning1', 301, new Date());
    const result = await run(
      [
        HEADER,
        'chengdong-kangning-g1,wrNewGroupKangning1,gw-chengdong-kangning-g1,kangning-g1-m1,康宁一区1-3号楼,125,zhang.wei',
      ].join('\n'),
    );
    expect(result).toMatchObject({
      changed: 1,
      groups: { added: 0, changed: 1 },
      microGrids: { added: 0, changed: 1, removed: 2 },
    });
    const g1 = await gridOf('chengdong-kangning-g1');
    expect(g1?.group).toEqual({
      chatId: 'wrNewGroupKangning1',
      ownerUserId: 'gw-chengdong-kangning-g1',
      adminUserIds: ['zhang.wei'],
    });
    expect(g1?.microGrids?.map((m) => m.id)).toEqual(['kangning-g1-m1']);
  });

  it('reports each bad row with its line and field, refuses its whole grid, and stores the good grids', async () => {
    const result = await run(
      [
        HEADER,
        /* 2 */ 'chengdong-kangning-g1,wrOgQhDgAAkangning1,gw-chengdong-kangning-g1,k1-m1,一区,120,zhang.wei',
        /* 3 */ 'chengdong-kangning-g1,wrOgQhDgAAkangning1,gw-chengdong-kangning-g1,k1-m2,二区,many,li.na',
        /* 4 */ 'no-such-grid,wrOgQhDgAAnowhere,gw-x,,,,',
        /* 5 */ 'chengdong-kangning-g2,wr group!,gw-chengdong-kangning-g2,,,,',
        /* 6 */ 'chengdong-kangning-g3,wrOgQhDgAAkangning3,someone-else,,,,',
        /* 7 */ 'chengdong-kangning-g4,wrOgQhDgAAkangning4,gw-chengdong-kangning-g4,k4-m1,一区,100,',
        /* 8 */ 'chengdong-kangning-g4,wrOgQhDgAAother,gw-chengdong-kangning-g4,k4-m2,二区,100,',
        /* 9 */ 'chengdong-kangning-g5,wrOgQhDgAAkangning4,gw-chengdong-kangning-g5,,,,',
        /* 10 */ 'chengdong-shuncheng-g2,wrOgQhDgAAshuncheng2,gw-chengdong-shuncheng-g2,s2-m1,一区,100,bad user id',
        /* 11 */ 'chengdong-kangning-g6,wrOgQhDgAAkangning6,gw-chengdong-kangning-g6,k6-m1,一区,100,',
        /* 12 */ 'chengdong-shuncheng-g3,wrOgQhDgAAshuncheng3,gw-chengdong-shuncheng-g3,k6-m1,一区,100,',
        /* 13 */ 'chengdong-shuncheng-g4,wrOgQhDgAAshuncheng4,gw-chengdong-shuncheng-g4,s4-m1,,100,',
        /* 14 */ 'chengdong-shuncheng-g5,wrOgQhDgAAshuncheng5',
        /* 15 */ ',wrOgQhDgAAkangning10,gw-x,,,,',
        /* 16 */ 'chengdong-shuncheng-g1,wrOgQhDgAAshuncheng1,gw-chengdong-shuncheng-g1,s1-m1,一区,90,wu.lei',
      ].join('\n'),
    );
    expect(result.rejected).toEqual([
      { line: 2, field: 'grid_id', reason: 'not imported: line 3 of the same grid is refused' },
      { line: 3, field: 'micro_grid_households', reason: 'must be a whole number of households (0 or more)' },
      { line: 4, field: 'grid_id', reason: 'unknown grid' },
      {
        line: 5,
        field: 'group_chat_id',
        reason: 'must be a WeChat Work group chat id: 1-64 letters, digits, _ -',
      },
      {
        line: 6,
        field: 'group_owner',
        reason: "is not the grid worker on record: the group's owner must be the grid worker",
      },
      { line: 7, field: 'grid_id', reason: 'not imported: another row of the same grid is refused' },
      {
        line: 8,
        field: 'group_chat_id',
        reason: 'differs from line 7 of the same grid (one group per grid)',
      },
      { line: 9, field: 'group_chat_id', reason: 'the group of grid chengdong-kangning-g4 on line 7' },
      {
        line: 10,
        field: 'micro_grid_worker',
        reason: 'must be a WeChat Work userid: 1-64 letters, digits, _ . @ -',
      },
      { line: 12, field: 'micro_grid_id', reason: 'the same micro-grid is on line 11' },
      { line: 13, field: 'micro_grid_name', reason: 'missing' },
      { line: 14, field: 'row', reason: '2 fields where the header names 7' },
      { line: 15, field: 'grid_id', reason: 'missing' },
    ]);
    expect(result).toMatchObject({ grids: 2, changed: 2 });
    expect(writes).toEqual(['chengdong-kangning-g6', 'chengdong-shuncheng-g1']);
    // Nothing half-stored: the grid with one good and one bad row has neither.
    expect((await gridOf('chengdong-kangning-g1'))?.group).toBeUndefined();
    expect((await gridOf('chengdong-kangning-g4'))?.microGrids).toBeUndefined();
    expect((await gridOf('chengdong-shuncheng-g1'))?.group?.chatId).toBe('wrOgQhDgAAshuncheng1');
  });

  it('refuses a group chat another grid already has in the directory', async () => {
    await run(sample('grid-groups-sample.csv'));
    const result = await run(
      [HEADER, 'chengdong-kangning-g3,wrOgQhDgAAkangning2,gw-chengdong-kangning-g3,,,,'].join('\n'),
    );
    expect(result.rejected).toEqual([
      { line: 2, field: 'group_chat_id', reason: 'already the group of grid chengdong-kangning-g2' },
    ]);
  });

  it('takes the group owner as the worker of a grid that has none on record', async () => {
    const noWorker: Organisation = {
      ...bare,
      grids: bare.grids.map(({ wecomUserId: _w, ...g }) => g),
    };
    await directory.write(noWorker);
    const result = await importGridGroups(
      [HEADER, 'chengdong-kangning-g5,wrOgQhDgAAkangning5,li.gridworker,,,,'].join('\n'),
      noWorker,
      registry,
    );
    expect(result).toMatchObject({ grids: 1, gridWorkersSet: 1, rejected: [] });
    expect(await gridOf('chengdong-kangning-g5')).toMatchObject({
      wecomUserId: 'li.gridworker',
      group: { ownerUserId: 'li.gridworker', adminUserIds: [] },
    });
  });

  it('sets only the groups and keeps the micro-grids when the file has no micro-grid columns', async () => {
    await run(sample('grid-groups-sample.csv'));
    const result = await run(
      [
        'grid_id,group_chat_id,group_owner',
        'chengdong-kangning-g1,wrReplacement1,gw-chengdong-kangning-g1',
      ].join('\n'),
    );
    expect(result).toMatchObject({ changed: 1, microGrids: { added: 0, changed: 0, removed: 0 } });
    const g1 = await gridOf('chengdong-kangning-g1');
    expect(g1?.microGrids).toHaveLength(3);
    expect(g1?.group?.adminUserIds).toEqual(['zhang.wei', 'li.na']);
  });

  it('refuses a file whose header is missing a column, names an unknown one or half the micro-grid columns', async () => {
    for (const header of [
      'grid_id,group_owner',
      'grid_id,group_chat_id,group_owner,phone',
      'grid_id,group_chat_id,group_owner,micro_grid_id',
    ]) {
      const error = await run(`${header}\nchengdong-kangning-g1,x,y`).catch((e: unknown) => e);
      expect(error, header).toBeInstanceOf(ValidationError);
      expect(error instanceof ValidationError && error.issues[0]?.path).toBe('header');
    }
    expect(writes).toEqual([]);
  });
});
