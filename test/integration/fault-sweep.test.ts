/**
 * The fault sweep: every AWS call one report's path makes on the emulators — intake, routing,
 * delivery to the unit, each staff transition, the reporter's texts, the statistics, the sweeper —
 * fails once before it takes effect and once after (its answer lost), and then redelivery, the
 * resident's and staff's retries and the sweeper do what they do. After each: the report is one
 * case, the case reached its unit, no text went out twice and every text owed went out once (a
 * text whose answer was lost is marked unconfirmed on the case, not resent), the statistics are
 * exactly what the cases' histories say, and nothing is left in the case's outbox.
 *
 * The call sites are recorded from a clean run when this file loads, so a call added to the path
 * becomes a test here without anyone writing one.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { snapshotOf } from '../../shared/domain/case-statistics.ts';
import {
  COMMUNITY_ID,
  counterChange,
  dispatchingVersions,
  outcomeOf,
  owedTexts,
  runScenario,
  type ScenarioRun,
  startSweepRig,
  UNIT_ID,
} from '../support/fault-sweep.ts';
import type { FaultPhase } from '../support/faults.ts';

const rig = await startSweepRig();
// Two runs first, so the recorded one finds the statistics' balances in their steady state (the
// sweeper's first settle of a unit is a one-off write that no later run would make again).
const warmUps = [await runScenario(rig), await runScenario(rig)];
const clean = await runScenario(rig);
const sites = [...new Set(clean.calls.map((c) => c.site))];

// FAULT_SWEEP_TABLE=1 prints the outcomes as a markdown table (site × phase → what happened).
const outcomes = new Map<string, Partial<Record<FaultPhase, string>>>();
afterAll(async () => {
  if (process.env.FAULT_SWEEP_TABLE) {
    const rows = [...outcomes].map(([site, o]) => `| \`${site}\` | ${o.before ?? ''} | ${o.after ?? ''} |`);
    console.log(
      ['| call site | fails before | answer lost after |', '| --- | --- | --- |', ...rows].join('\n'),
    );
  }
  await rig.stop();
});

const UNCONFIRMED_TEXT = 'unconfirmed notify_reporter';

/** The promises every run must keep, fault or not. */
function expectLoopHeld(run: ScenarioRun) {
  expect.soft(run.problems, 'steps that could not be completed').toEqual([]);
  expect.soft(run.cases, 'cases made from the one report').toEqual([run.code]);
  const state = run.state;
  expect(state, `case ${run.code}`).toBeDefined();
  if (!state) return;
  expect.soft(state.stage, 'where the case ended').toBe('evaluated');

  for (const { version, unitId } of dispatchingVersions(state)) {
    const copies = run.delivered.filter((m) => m.version === version && m.unitId === unitId);
    expect.soft(copies.length, `deliveries of version ${version} to ${unitId}`).toBeGreaterThanOrEqual(1);
  }

  const owed = owedTexts(state);
  const sent = (id: string) => run.texts.filter((t) => t.correlationId === id).length;
  expect
    .soft(Object.fromEntries(owed.map((id) => [id, sent(id)])), 'texts sent per notification owed')
    .toEqual(Object.fromEntries(owed.map((id) => [id, 1])));
  expect
    .soft(
      run.texts.filter((t) => !owed.includes(t.correlationId)),
      'texts nobody owed',
    )
    .toEqual([]);
  const notices = run.notices.map((n) => `${n.outcome} ${n.effect}`);
  const lost = run.fault?.phase === 'after' ? run.faulted[0] : undefined;
  if (lost?.commandName === 'SendTextMessageCommand') {
    expect.soft(notices, 'the text whose answer was lost, as staff see it').toContain(UNCONFIRMED_TEXT);
  }
  // An honest "may not have arrived" is allowed; anything else means an effect was given up.
  expect
    .soft(
      notices.filter((n) => n !== UNCONFIRMED_TEXT),
      'notices on the case',
    )
    .toEqual([]);

  // Exact: the console's figures are what every case's history says, after as they were before.
  const agreedBefore =
    JSON.stringify(run.before.figures) === JSON.stringify(snapshotOf(run.before.recounted));
  expect
    .soft(
      run.after.figures,
      agreedBefore ? 'statistics against the cases recounted' : 'statistics (already off before this run)',
    )
    .toEqual(snapshotOf(run.after.recounted));
  expect.soft(run.after.fraudReports - run.before.fraudReports, `fraud reports from ${COMMUNITY_ID}`).toBe(1);

  expect.soft(run.outboxLeft, "left in the case's outbox").toEqual([]);
}

describe('the fault sweep', () => {
  it('keeps every promise on a run without faults', () => {
    for (const run of [...warmUps, clean]) expectLoopHeld(run);
    expect(clean.state?.timeline.map((e) => e.stage)).toEqual([
      'received',
      'registered',
      'dispatched',
      'in_progress',
      'resolved',
      'verified',
      'closed',
      'evaluated',
    ]);
    expect(clean.texts).toHaveLength(3);
    expect(counterChange(clean.before.recounted, clean.after.recounted)).toMatchObject({
      [`u|${UNIT_ID}|evaluated`]: 1,
      [`rn|${UNIT_ID}`]: 1,
    });
  });

  it('records every call of the path as a site: the report, the case, the delivery, the texts, the statistics, the outbox, the sweeper', () => {
    expect(sites).toEqual(
      expect.arrayContaining([
        'intake SendMessage intake',
        'route PutItem cases REPORT if attribute_not_exists(pk) OR submissionId = :sid',
        'route PutItem cases STATE if attribute_not_exists(pk)',
        'route SendMessage unit-*',
        'route SendTextMessage sms notification',
        expect.stringMatching(/^route UpdateItem stats day ADD if NOT contains\(applied, :id\)/),
        'route UpdateItem cases STATE REMOVE if version = :version',
        expect.stringMatching(
          /^transition:resolve UpdateItem cases STATE .*if stage = :from AND version = :expected$/,
        ),
        'transition:resolve SendTextMessage sms notification',
        expect.stringMatching(/^sweep UpdateItem stats balance .*if throughDay = :previous$/),
      ]),
    );
    expect(sites.length).toBeGreaterThan(25);
  });
});

describe.each(sites)('%s', (site) => {
  it.each(['before', 'after'] as const)(
    'fails once %s it takes effect, and the loop still holds',
    async (phase) => {
      const run = await runScenario(rig, { site, phase });
      outcomes.set(site, { ...outcomes.get(site), [phase]: outcomeOf(run) });
      expect(run.faulted, 'calls the fault hit').toHaveLength(1);
      expectLoopHeld(run);
    },
  );
});
