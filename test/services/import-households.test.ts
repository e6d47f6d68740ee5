/** CSV import of the household registry, against the DynamoDB registry on dynalite. */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoOrganisation as org } from '../../infra/demo/demo-organisation.ts';
import { DynamoDbHouseholdRegistry } from '../../shared/adapters/dynamodb-household-registry.ts';
import { DynamoDbSmsState } from '../../shared/adapters/dynamodb-sms-state.ts';
import { PHONE_REASON } from '../../shared/domain/household.ts';
import { ValidationError } from '../../shared/errors.ts';
import { type ImportDeps, importHouseholds } from '../../shared/services/import-households.ts';
import { type EmulatedTables, emulatedTables } from '../support/emulated-tables.ts';

let env: EmulatedTables;
let registry: DynamoDbHouseholdRegistry;
let sms: DynamoDbSmsState;
let deps: ImportDeps;

beforeAll(async () => {
  env = await emulatedTables();
  registry = new DynamoDbHouseholdRegistry(env.db, env.tables.households ?? '');
  sms = new DynamoDbSmsState(env.db, env.tables.sms ?? '');
  deps = { optOuts: sms, now: () => new Date('2026-12-01T02:00:00Z') };
});
afterAll(async () => {
  await env?.stop();
});

const sample = (name: string) => readFileSync(new URL(`../../events/csv/${name}`, import.meta.url), 'utf8');
const HEADER = 'household_id,community_id,grid_id,phone,phone2,head_name';

describe('importHouseholds', () => {
  it('imports the sample (BOM, CRLF, a quoted Chinese name) and places each phone in its household', async () => {
    const result = await importHouseholds(sample('households-sample.csv'), org, registry, deps);
    expect(result).toEqual({ imported: 6, created: 6, updated: 0, rejected: [] });
    expect(await registry.findByPhone('13900000002')).toEqual({
      householdId: 'hh-kangning-0002',
      communityId: 'chengdong-kangning',
      gridId: 'chengdong-kangning-g1',
      phones: ['+8613800000002', '+8613900000002'],
      headName: '李秀英',
    });
    expect((await registry.findByPhone('13800000003'))?.headName).toBe('张,志强');
    expect((await registry.findByPhone('+85291234567'))?.householdId).toBe('hh-weijiazhuang-0002');
  });

  it('reports each bad row with its line, field and reason, and keeps the good rows', async () => {
    const text = sample('households-bad-rows.csv');
    const result = await importHouseholds(text, org, registry, deps);
    expect(result.rejected).toEqual([
      { line: 3, field: 'community_id', reason: 'unknown community' },
      { line: 4, field: 'grid_id', reason: 'the grid is not in this community' },
      { line: 5, field: 'phone', reason: PHONE_REASON },
      { line: 6, field: 'phone', reason: 'the same number is on line 2' },
      { line: 7, field: 'phone', reason: 'missing' },
      { line: 8, field: 'household_id', reason: 'use letters, digits and hyphens (at most 64)' },
      { line: 9, field: 'household_id', reason: 'the same household is on line 2' },
      { line: 10, field: 'grid_id', reason: 'unknown grid' },
      { line: 10, field: 'phone2', reason: 'the same number as phone' },
      { line: 11, field: 'row', reason: '4 fields where the header names 6' },
    ]);
    expect(result).toMatchObject({ imported: 2, created: 2, updated: 0 });
    expect((await registry.findByPhone('13800000101'))?.householdId).toBe('hh-kangning-0101');
    expect((await registry.findByPhone('13800000111'))?.householdId).toBe('hh-kangning-0111');
    expect(await registry.findByPhone('13800000102')).toBeUndefined();
    // Reasons never carry the row's values (phones and names are personal data).
    expect(JSON.stringify(result.rejected)).not.toMatch(/138|12345|王|李|Bad Id/);
  });

  it('counts line numbers of the file across empty lines and multi-line quoted fields', async () => {
    const text = [
      HEADER,
      'ml-1,chengdong-taihe,,13811000001,,"赵',
      '丽"',
      '',
      'ml-2,chengdong-taihe,,bad,,',
      'ml-3,chengdong-taihe,,13811000003,,"never closed',
    ].join('\r\n');
    const result = await importHouseholds(text, org, registry, deps);
    expect(result.rejected).toEqual([
      { line: 5, field: 'phone', reason: PHONE_REASON },
      { line: 6, field: 'row', reason: 'a quoted field is never closed' },
    ]);
    expect(result.imported).toBe(1);
  });

  it('updates on re-import without duplicating, and moves a phone between households', async () => {
    const first = [
      HEADER,
      'mv-a,chengxi-gucheng,,13812000001,13812000002,',
      'mv-b,chengxi-gucheng,,13812000003,,',
    ];
    expect(await importHouseholds(first.join('\n'), org, registry, deps)).toMatchObject({
      created: 2,
      updated: 0,
    });
    const second = [
      HEADER,
      'mv-a,chengxi-gucheng,,13812000001,,',
      'mv-b,chengxi-gucheng,,13812000003,13812000002,',
    ];
    expect(await importHouseholds(second.join('\n'), org, registry, deps)).toEqual({
      imported: 2,
      created: 0,
      updated: 2,
      rejected: [],
    });
    expect((await registry.findByPhone('13812000002'))?.householdId).toBe('mv-b');
    const listed = await registry.listCommunity('chengxi-gucheng', 10);
    expect(listed.households.map((h) => [h.householdId, h.phones])).toEqual([
      ['mv-a', ['+8613812000001']],
      ['mv-b', ['+8613812000003', '+8613812000002']],
    ]);
  });

  it('accepts a header without the optional columns, in any order', async () => {
    const text = ['phone,community_id,household_id', '13813000001,dongquan-mengshan,opt-1'].join('\n');
    expect(await importHouseholds(text, org, registry, deps)).toMatchObject({ imported: 1, rejected: [] });
  });

  it('refuses a file whose header is missing or wrong, without echoing its values', async () => {
    await expect(importHouseholds('', org, registry, deps)).rejects.toBeInstanceOf(ValidationError);
    await expect(
      importHouseholds('hh-1,chengdong-taihe,,13814000001,,王建国\n', org, registry, deps),
    ).rejects.toThrow(/^line 1: header — unknown column\(s\) at position 1, 2, 3, 4, 5, 6;/);
    await expect(importHouseholds('household_id,community_id\n', org, registry, deps)).rejects.toThrow(
      'missing column(s) phone',
    );
  });

  it("recounts the counters of every community it touched, opt-outs judged by the sender's rule", async () => {
    // A phone that opted out by SMS before it was ever registered.
    await sms.optOut('+8613815000002', '2026-11-01T00:00:00Z');
    const first = [
      HEADER,
      'cnt-1,chengdong-shuncheng,,13815000001,,',
      'cnt-2,chengdong-shuncheng,,13815000002,,',
      'cnt-3,chengdong-shuncheng,,13815000003,,',
      'cnt-4,chengdong-nandajie,,13815000004,,',
    ].join('\n');
    await importHouseholds(first, org, registry, deps);
    expect(
      await registry.communityCounts(['chengdong-shuncheng', 'chengdong-nandajie', 'chengdong-qinhan']),
    ).toEqual(
      new Map([
        [
          'chengdong-shuncheng',
          {
            communityId: 'chengdong-shuncheng',
            households: 3,
            optedOut: 1,
            countedAt: '2026-12-01T02:00:00.000Z',
          },
        ],
        [
          'chengdong-nandajie',
          {
            communityId: 'chengdong-nandajie',
            households: 1,
            optedOut: 0,
            countedAt: '2026-12-01T02:00:00.000Z',
          },
        ],
      ]),
    );

    // cnt-3 moves to Xiguan: both communities are recounted, though the file names only Xiguan.
    await importHouseholds(
      [HEADER, 'cnt-3,chengdong-nandajie,,13815000003,,'].join('\n'),
      org,
      registry,
      deps,
    );
    const counts = await registry.communityCounts(['chengdong-shuncheng', 'chengdong-nandajie']);
    expect(counts.get('chengdong-shuncheng')).toMatchObject({ households: 2, optedOut: 1 });
    expect(counts.get('chengdong-nandajie')).toMatchObject({ households: 2, optedOut: 0 });
  });
});
