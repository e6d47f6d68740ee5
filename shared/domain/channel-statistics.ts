/**
 * Statistics by channel (issue 16 item 7): how cases came in (web, SMS, WeChat Work, a grid
 * worker's entry) and how far outreach reached (households sent an SMS; WeChat groups sent an
 * enterprise mass-send and the households in them), per township and month. Kept as counters in
 * the statistics' day buckets like every other figure (case-statistics.ts): intake counted per
 * community with a case's first counted change, reach per community in the outreach-reach bucket
 * as the sender records it. The township is read from the directory when the figures are read,
 * so a community moved to another township carries its history with it. Pure.
 */
import * as z from '../schema.ts';
import type { CounterDeltas } from './case-statistics.ts';
import { Channel } from './report.ts';

/** The outreach channels whose reach is counted. */
export const ReachChannel = z.enum(['sms', 'wecom'] satisfies Channel[]);
export type ReachChannel = (typeof ReachChannel.options)[number];

/** Counter names; ids contain hyphens only, so `|` separates safely. */
export const channelCounter = {
  /** Cases that came in through a channel, per community. */
  intake: (channel: Channel, communityId: string) => `in|${channel}|${communityId}`,
  /** Households an outreach message reached through a channel, per community. */
  reachedHouseholds: (channel: ReachChannel, communityId: string) => `rh|${channel}|${communityId}`,
  /** WeChat groups an enterprise mass-send reached, per community. */
  reachedGroups: (communityId: string) => `rg|wecom|${communityId}`,
} as const;

/**
 * The bucket outreach reach is counted in, on the day it was sent: one bucket for every channel,
 * settled and rebuilt with the units' buckets.
 */
export const OUTREACH_REACH_BUCKET = '~outreach-reach';

/** What one batch of SMS adds: households sent, per community. */
export function smsReachDeltas(sentByCommunity: ReadonlyMap<string, number>): CounterDeltas {
  const deltas: CounterDeltas = {};
  for (const [communityId, n] of sentByCommunity) {
    if (n > 0) deltas[channelCounter.reachedHouseholds('sms', communityId)] = n;
  }
  return deltas;
}

/** What WeChat groups sent a mass-send add: each group once, with the households it holds. */
export function wecomReachDeltas(
  groups: ReadonlyArray<{ communityId: string; households: number }>,
): CounterDeltas {
  const deltas: CounterDeltas = {};
  const add = (name: string, n: number) => {
    deltas[name] = (deltas[name] ?? 0) + n;
  };
  for (const g of groups) {
    add(channelCounter.reachedGroups(g.communityId), 1);
    add(channelCounter.reachedHouseholds('wecom', g.communityId), Math.max(0, g.households));
  }
  return deltas;
}

/** One township's figures for one month. */
export interface ChannelRow {
  /** YYYY-MM. */
  month: string;
  townshipId: string;
  /** Cases that came in, per channel (every channel present, 0 when none). */
  intake: Record<Channel, number>;
  reach: {
    sms: { households: number };
    wecom: { groups: number; households: number };
  };
}

const emptyRow = (month: string, townshipId: string): ChannelRow => ({
  month,
  townshipId,
  intake: { web: 0, sms: 0, grid_worker: 0, wecom: 0 },
  reach: { sms: { households: 0 }, wecom: { groups: 0, households: 0 } },
});

/**
 * The rows of each month's counters: one per township with anything counted in the month, in
 * month then township order. `townshipOf` maps a community to its township (undefined: not
 * counted, e.g. outside the reader's scope or no longer in the directory).
 */
export function channelRowsOf(
  months: ReadonlyArray<{ month: string; counters: Readonly<CounterDeltas> }>,
  townshipOf: (communityId: string) => string | undefined,
): ChannelRow[] {
  const rows: ChannelRow[] = [];
  for (const { month, counters } of months) {
    const byTownship = new Map<string, ChannelRow>();
    const rowOf = (communityId: string) => {
      const townshipId = townshipOf(communityId);
      if (townshipId === undefined) return undefined;
      let row = byTownship.get(townshipId);
      if (!row) {
        row = emptyRow(month, townshipId);
        byTownship.set(townshipId, row);
      }
      return row;
    };
    for (const [name, value] of Object.entries(counters)) {
      if (value === 0) continue;
      const [kind, channel, communityId] = name.split('|');
      if (!communityId || (kind !== 'in' && kind !== 'rh' && kind !== 'rg')) continue;
      if (kind === 'in') {
        const parsed = Channel.safeParse(channel);
        const row = parsed.success ? rowOf(communityId) : undefined;
        if (row && parsed.success) row.intake[parsed.data] += value;
      } else if (kind === 'rh' && (channel === 'sms' || channel === 'wecom')) {
        const row = rowOf(communityId);
        if (row) row.reach[channel].households += value;
      } else if (kind === 'rg' && channel === 'wecom') {
        const row = rowOf(communityId);
        if (row) row.reach.wecom.groups += value;
      }
    }
    rows.push(...[...byTownship.values()].sort((a, b) => a.townshipId.localeCompare(b.townshipId)));
  }
  return rows;
}
