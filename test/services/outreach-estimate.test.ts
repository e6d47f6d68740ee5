/**
 * The campaign preview's estimate as a specification, on dynalite: from the registry's counters
 * where the registry is loaded (registered, less opted out, less capped), from the directory
 * elsewhere, saying which per community and in total — and equal to what the sender then sends.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoOrganisation } from '../../infra/demo/demo-organisation.ts';
import type { Household } from '../../shared/domain/household.ts';
import type { Staff } from '../../shared/domain/staff.ts';
import type { CampaignApiDeps } from '../../shared/services/campaigns/planner-context.ts';
import { previewCampaign } from '../../shared/services/campaigns/preview-campaign.ts';
import { importHouseholds } from '../../shared/services/import-households.ts';
import { sendOutreachBatch } from '../../shared/services/send-outreach-batch.ts';
import { type EmulatedTables, emulatedTables } from '../support/emulated-tables.ts';
import {
  batchOf,
  DAY_MS,
  householdsOf,
  type OutreachWorld,
  outreachWorld,
  smsPlan,
  startedSmsRun,
} from '../support/outreach.ts';

let env: EmulatedTables;
let world: OutreachWorld;
let deps: CampaignApiDeps;

const officer: Staff = { role: 'outreach_staff', userId: 'u-1', name: '反诈宣传民警' };
const REGISTERED = 'chengxi-fengyi';
const UNREGISTERED = 'chengxi-xidajie';
const directoryHouseholds = (id: string) =>
  demoOrganisation.communities.find((c) => c.id === id)?.households ?? Number.NaN;

const csvOf = (households: Household[]) =>
  [
    'household_id,community_id,grid_id,phone,phone2,head_name',
    ...households.map((h) => `${h.householdId},${h.communityId},,${h.phones[0]},,`),
  ].join('\n');

const HOUSEHOLDS = householdsOf('est', REGISTERED, 40, 60);
const at = (i: number): Household => {
  const h = HOUSEHOLDS[i];
  if (!h) throw new Error(`no household ${i}`);
  return h;
};

beforeAll(async () => {
  env = await emulatedTables();
  world = outreachWorld(env);
  world.clock.set('2026-12-01T10:00');
  deps = {
    campaigns: world.store,
    directory: { load: async () => demoOrganisation },
    fraudReports: { dailyCounts: async () => ({}) },
    households: world.registry,
    reach: world.store,
    capWindowMs: 7 * DAY_MS,
    quietHours: { start: '21:00', end: '08:00' },
    newId: () => 'cmp-estimate',
    now: () => world.clock.now,
  };
  // Two households opted out by SMS before the import, one after it (through the registry's mark).
  await world.sms.optOut(at(0).phones[0] ?? '', '2026-11-01T00:00:00Z');
  await world.sms.optOut(at(1).phones[0] ?? '', '2026-11-01T00:00:00Z');
  await importHouseholds(csvOf(HOUSEHOLDS), demoOrganisation, world.registry, {
    optOuts: world.sms,
    now: () => world.clock.now,
  });
  await world.sms.optOut(at(2).phones[0] ?? '', '2026-12-01T01:00:00Z');
  expect(await world.registry.markOptedOut(at(2).householdId)).toBe('marked');
});
afterAll(async () => {
  await env?.stop();
});

const preview = (communityIds: string[], firstRunAt = '2026-12-01T10:00') =>
  previewCampaign(officer, smsPlan({ communityIds, firstRunAt }), deps);

describe('the campaign preview estimate', () => {
  it('estimates from the directory where no registry is loaded, and says so', async () => {
    const p = await preview([UNREGISTERED]);
    expect(p.estimateSource).toBe('directory');
    expect(p.estimate).toMatchObject({
      households: directoryHouseholds(UNREGISTERED),
      registryCommunities: 0,
      directoryCommunities: 1,
      communities: [
        { communityId: UNREGISTERED, source: 'directory', households: directoryHouseholds(UNREGISTERED) },
      ],
    });
    expect(p.message?.estimatedMessages).toBe(directoryHouseholds(UNREGISTERED));
  });

  it('estimates from the registry where it is loaded: registered, less the opted out, with the counts', async () => {
    const p = await preview([REGISTERED]);
    expect(p.estimateSource).toBe('registry');
    expect(p.estimate?.communities).toEqual([
      { communityId: REGISTERED, source: 'registry', households: 37, registered: 40, optedOut: 3, capped: 0 },
    ]);
    expect(p.message).toMatchObject({ estimatedMessages: 37, estimatedParts: 37 });
    // The directory's figure stays what a lecture would reach.
    expect(p.households).toBe(directoryHouseholds(REGISTERED));
  });

  it('is mixed when some communities have a registry and others do not, summing both', async () => {
    const p = await preview([REGISTERED, UNREGISTERED]);
    expect(p.estimateSource).toBe('mixed');
    expect(p.estimate).toMatchObject({
      households: 37 + directoryHouseholds(UNREGISTERED),
      registryCommunities: 1,
      directoryCommunities: 1,
    });
  });

  it('counts an opt-out once however often it is marked', async () => {
    expect(await world.registry.markOptedOut(at(2).householdId)).toBe('already');
    expect(await world.registry.markOptedOut('no-such-household')).toBe('not_registered');
    expect((await preview([REGISTERED])).estimate?.households).toBe(37);
  });

  it('is what the sender then sends; right after, the cap holds them all, until the window has passed', async () => {
    const before = await preview([REGISTERED]);
    const run = await startedSmsRun(
      world,
      'cmp-est-run',
      HOUSEHOLDS.length,
      smsPlan({ communityIds: [REGISTERED] }),
    );
    const result = await sendOutreachBatch(batchOf(run, '0.0', HOUSEHOLDS), world.sendDeps, {
      deliveryId: 'm-est',
      finalAttempt: false,
    });
    expect(result).toEqual({
      status: 'tallied',
      counts: { sent: before.estimate?.households, optedOut: 3, parts: before.estimate?.households },
    });
    // A redelivered batch is no new reservation: the reach counts each household once.
    await sendOutreachBatch(batchOf(run, '0.0', HOUSEHOLDS), world.sendDeps, {
      deliveryId: 'm-est',
      finalAttempt: false,
    });

    const soon = await preview([REGISTERED], '2026-12-03T10:00');
    expect(soon.estimate?.communities).toEqual([
      { communityId: REGISTERED, source: 'registry', households: 0, registered: 40, optedOut: 3, capped: 37 },
    ]);
    // Eight days on, the cap no longer holds anyone.
    const later = await preview([REGISTERED], '2026-12-09T11:00');
    expect(later.estimate?.communities[0]).toMatchObject({ households: 37, capped: 0 });
    expect(later.estimate?.at).toBe('2026-12-09T03:00:00.000Z');
  });
});
