import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoOrganisation } from '../../infra/demo/demo-organisation.ts';
import { DynamoDbDirectory } from '../../shared/adapters/dynamodb-directory.ts';
import { DynamoDbPolicies } from '../../shared/adapters/dynamodb-policies.ts';
import type { Staff } from '../../shared/domain/staff.ts';
import { ForbiddenError, ValidationError } from '../../shared/errors.ts';
import { defaultPolicies } from '../../shared/reference/default-policies.ts';
import { defaultKeywordTable } from '../../shared/reference/report-keywords.ts';
import {
  type AdministerDeps,
  readKeywords,
  readRoutingRules,
  replaceKeywords,
  replacePolicies,
  replaceRoutingRules,
} from '../../shared/services/administer-policies.ts';
import { type EmulatedTables, emulatedTables } from '../support/emulated-tables.ts';

let env: EmulatedTables;
let deps: AdministerDeps;
const admin: Staff = { role: 'admin', userId: 'u-admin', name: 'Admin' };
const supervisor: Staff = { role: 'county_supervisor', userId: 'u-sup', name: 'Sup' };

beforeAll(async () => {
  env = await emulatedTables();
  const table = env.tables.directory ?? '';
  const directory = new DynamoDbDirectory(env.db, table);
  const policies = new DynamoDbPolicies(env.db, table);
  await policies.writePolicies(defaultPolicies);
  await directory.write(demoOrganisation);
  deps = { directory, policies };
});
afterAll(async () => {
  await env?.stop();
});

describe('administering routing rules and policies', () => {
  it('refuses anyone but an admin', async () => {
    await expect(readRoutingRules(supervisor, deps)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(replacePolicies(supervisor, defaultPolicies, deps)).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('replaces the rules whole: a removed rule is gone, a new one routes', async () => {
    const rules = demoOrganisation.routingRules.filter((r) => r.id !== 'road-chengdong');
    rules.push({
      id: 'road-dongquan',
      category: 'road',
      area: { kind: 'township', townshipId: 'dongquan' },
      owner: { kind: 'township_centre' },
    });
    await replaceRoutingRules(admin, { rules }, deps);
    const stored = (await deps.directory.load()).routingRules.map((r) => r.id);
    expect(stored).toContain('road-dongquan');
    expect(stored).not.toContain('road-chengdong');
    expect(stored).toHaveLength(rules.length);
  });

  it('rejects rules that would misroute, and stores nothing of them', async () => {
    const before = (await deps.directory.load()).routingRules.length;
    const bad = [
      ...demoOrganisation.routingRules,
      {
        id: 'fraud-nowhere',
        category: 'fraud',
        area: { kind: 'county' },
        owner: { kind: 'unit', unitId: 'no-such-unit' },
      },
    ];
    await expect(replaceRoutingRules(admin, { rules: bad }, deps)).rejects.toBeInstanceOf(ValidationError);
    expect((await deps.directory.load()).routingRules).toHaveLength(before);
  });

  it('replaces the SLAs and calendar after validating them, naming the bad field', async () => {
    const slower = { ...defaultPolicies, ratingWindowDays: 5 };
    await replacePolicies(admin, slower, deps);
    expect((await deps.policies.loadPolicies()).ratingWindowDays).toBe(5);
    const error = await replacePolicies(admin, { ...defaultPolicies, ratingWindowDays: 0 }, deps).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect(error instanceof ValidationError && error.issues.map((i) => i.path)).toEqual(['ratingWindowDays']);
  });

  it('serves the default keyword table until an admin saves one, then that one', async () => {
    const before = await readKeywords(admin, deps);
    expect(before).toEqual(defaultKeywordTable);
    const edited = { ...before, heritage: { zh: [...before.heritage.zh, '镇国寺'], en: before.heritage.en } };
    await replaceKeywords(admin, edited, deps);
    expect((await readKeywords(admin, deps)).heritage.zh).toContain('镇国寺');
    await expect(replaceKeywords(supervisor, edited, deps)).rejects.toBeInstanceOf(ForbiddenError);
    const { other: _dropped, ...missingOther } = edited;
    await expect(replaceKeywords(admin, missingOther, deps)).rejects.toBeInstanceOf(ValidationError);
  });
});
