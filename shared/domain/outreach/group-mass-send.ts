/**
 * Outreach to the grids' WeChat groups (issue 16 item 2): WeChat Work's enterprise mass-send to
 * customer groups (客户群群发), which the platform hands to each group owner — the grid worker —
 * as a task they confirm in the app; the platform never sends on its own. This module owns what
 * planning decides: the text, the purpose that sets the precedence, the platform's monthly limit
 * per group (counted per Asia/Shanghai calendar month), which owner gets which groups (one task
 * per owner), each group's status, and the counts per grid and township the campaign shows.
 */
import * as z from '../../schema.ts';
import type { Organisation } from '../organisation.ts';
import { shanghaiLocal } from './shanghai-time.ts';

/**
 * Why a group is messaged. A fraud alert (a scam going round right now) takes precedence over a
 * notice: a notice may not take a group's last mass-send of the month, which stays free for one.
 */
export const GroupMassSendPurpose = z.enum(['fraud_alert', 'notice']);
export type GroupMassSendPurpose = z.infer<typeof GroupMassSendPurpose>;

/** add_msg_template takes at most 4,000 bytes of text content (UTF-8). */
export const GROUP_TEXT_MAX_BYTES = 4000;
export const GroupMassSendText = z.string().check(
  z.trim(),
  z.minLength(1),
  z.refine(
    (text) => new TextEncoder().encode(text).length <= GROUP_TEXT_MAX_BYTES,
    `at most ${GROUP_TEXT_MAX_BYTES} bytes (about 1,300 Chinese characters): the platform's limit`,
  ),
);

/**
 * The platform's limit per customer group and calendar month: 4 enterprise mass-sends, as the
 * issue and the older 企业微信 rule have it (the government edition's). Current 企业微信 allows as
 * many as the month has days (or 7 a week, or 1 a day, as the corp sets it), so the deployment
 * may set its own (`wecomGroupSendsPerMonth`).
 */
export const GROUP_SENDS_PER_MONTH = 4;
/** Slots of a month a purpose may fill: a notice leaves the last one for a fraud alert. */
export const slotsFor = (purpose: GroupMassSendPurpose, perMonth: number = GROUP_SENDS_PER_MONTH): number =>
  purpose === 'fraud_alert' ? perMonth : perMonth - 1;

/** The calendar month (Asia/Shanghai) a mass-send counts in: `2026-12`. */
export const groupSendMonth = (at: Date): string => shanghaiLocal(at).date.slice(0, 7);

/**
 * A group's part in a run: `limited` (at its monthly limit when planned, no task), `created` (in
 * its owner's task, awaiting confirmation), `sent` (the owner confirmed and the platform sent it),
 * `not_sent` (never confirmed by the end of the run's window, or the platform did not send it),
 * `failed` (the platform refused the task for this group), `unknown` (a task whose creation was
 * interrupted before its answer came: it may exist, and is never created twice).
 */
export const GroupSendStatus = z.enum(['limited', 'created', 'sent', 'not_sent', 'failed', 'unknown']);
export type GroupSendStatus = z.infer<typeof GroupSendStatus>;
export const FINAL_GROUP_STATUSES: readonly GroupSendStatus[] = ['limited', 'sent', 'not_sent', 'failed'];

/** A targeted group, with where it sits for the per-grid and per-township counts. */
export interface TargetGroup {
  chatId: string;
  gridId: string;
  communityId: string;
  townshipId: string;
  households: number;
}

/** One owner's task: the groups of the run they own. */
export interface OwnerTask {
  ownerUserId: string;
  groups: TargetGroup[];
}

/**
 * The run's tasks, one per owner, ordered by owner so that every planner pages through the same
 * list (a replayed page covers the same owners). Grids without a group are not reached here.
 */
export function ownerTasksOf(org: Organisation, communityIds: readonly string[]): OwnerTask[] {
  const wanted = new Set(communityIds);
  const townshipOf = new Map(org.communities.map((c) => [c.id, c.townshipId]));
  const byOwner = new Map<string, TargetGroup[]>();
  for (const grid of org.grids) {
    if (!grid.group || !wanted.has(grid.communityId)) continue;
    const groups = byOwner.get(grid.group.ownerUserId) ?? [];
    groups.push({
      chatId: grid.group.chatId,
      gridId: grid.id,
      communityId: grid.communityId,
      townshipId: townshipOf.get(grid.communityId) ?? '',
      households: grid.households,
    });
    byOwner.set(grid.group.ownerUserId, groups);
  }
  return [...byOwner.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([ownerUserId, groups]) => ({ ownerUserId, groups }));
}

/**
 * The platform's answer per group (get_groupmsg_send_result `status`): 0 not sent yet, 1 sent,
 * 2 not a friend / not in the group any more, 3 the group had received other mass-sends (its
 * limit, possibly used by mass-sends made outside civicloop).
 */
export function statusOfSendResult(status: number): GroupSendStatus | undefined {
  if (status === 1) return 'sent';
  if (status === 2 || status === 3) return 'not_sent';
  return undefined;
}

export type GroupStatusCounts = Record<GroupSendStatus, number>;
export const emptyGroupCounts = (): GroupStatusCounts => ({
  limited: 0,
  created: 0,
  sent: 0,
  not_sent: 0,
  failed: 0,
  unknown: 0,
});

export interface GroupSendRecord extends TargetGroup {
  ownerUserId: string;
  status: GroupSendStatus;
}

export interface GridGroupSummary {
  gridId: string;
  zh: string;
  communityId: string;
  status: GroupSendStatus;
  households: number;
}

export interface TownshipGroupSummary {
  townshipId: string;
  zh: string;
  counts: GroupStatusCounts;
  /** Households of the groups whose mass-send was sent. */
  householdsReached: number;
  grids: GridGroupSummary[];
}

export interface GroupSendSummary {
  groups: number;
  counts: GroupStatusCounts;
  householdsReached: number;
  townships: TownshipGroupSummary[];
}

/** Folds a run's group records into counts per township, with each grid's status. */
export class GroupSendTally {
  readonly #townshipNames: Map<string, string>;
  readonly #gridNames: Map<string, string>;
  readonly #townships = new Map<string, TownshipGroupSummary>();
  readonly #total = emptyGroupCounts();
  #households = 0;
  #groups = 0;

  constructor(org: Organisation) {
    this.#townshipNames = new Map(org.townships.map((t) => [t.id, t.zh]));
    this.#gridNames = new Map(org.grids.map((g) => [g.id, g.zh]));
  }

  add(record: GroupSendRecord): void {
    let township = this.#townships.get(record.townshipId);
    if (!township) {
      township = {
        townshipId: record.townshipId,
        zh: this.#townshipNames.get(record.townshipId) ?? record.townshipId,
        counts: emptyGroupCounts(),
        householdsReached: 0,
        grids: [],
      };
      this.#townships.set(record.townshipId, township);
    }
    township.counts[record.status] += 1;
    this.#total[record.status] += 1;
    this.#groups += 1;
    if (record.status === 'sent') {
      township.householdsReached += record.households;
      this.#households += record.households;
    }
    township.grids.push({
      gridId: record.gridId,
      zh: this.#gridNames.get(record.gridId) ?? record.gridId,
      communityId: record.communityId,
      status: record.status,
      households: record.households,
    });
  }

  summary(): GroupSendSummary {
    return {
      groups: this.#groups,
      counts: { ...this.#total },
      householdsReached: this.#households,
      townships: [...this.#townships.values()].sort((a, b) => a.townshipId.localeCompare(b.townshipId)),
    };
  }
}

/** A group at its monthly limit, as the preview names it. */
export interface GroupAtLimit {
  gridId: string;
  zh: string;
  communityId: string;
  townshipId: string;
  /** Mass-sends it has had (or has been promised) this month. */
  taken: number;
}

/** What the planner shows before a WeChat-group campaign is scheduled. */
export interface GroupSendPreview {
  purpose: GroupMassSendPurpose;
  /** The month (Asia/Shanghai) of the first run, the one the limit is judged in. */
  month: string;
  /** Groups of the communities' grids, and their grids' households. */
  groups: number;
  households: number;
  /** Grids of these communities with no group registered: not reached by this channel. */
  gridsWithoutGroup: number;
  /** Group owners (grid workers) who each get one task to confirm. */
  owners: number;
  /** The text's size against the platform's 4,000 bytes. */
  textBytes: number;
  /** Groups that could not receive it: at 4 (a fraud alert) or 3 (a notice) this month. */
  atLimit: GroupAtLimit[];
}

/** Groups that the purpose may no longer reach in the month, from the slots taken per group. */
export function groupsAtLimit(
  org: Organisation,
  communityIds: readonly string[],
  purpose: GroupMassSendPurpose,
  taken: ReadonlyMap<string, number>,
  perMonth: number = GROUP_SENDS_PER_MONTH,
): GroupAtLimit[] {
  const max = slotsFor(purpose, perMonth);
  return ownerTasksOf(org, communityIds).flatMap((owner) =>
    owner.groups.flatMap((g) => {
      const n = taken.get(g.chatId) ?? 0;
      if (n < max) return [];
      const zh = org.grids.find((grid) => grid.id === g.gridId)?.zh ?? g.gridId;
      return [{ gridId: g.gridId, zh, communityId: g.communityId, townshipId: g.townshipId, taken: n }];
    }),
  );
}

/** How far a campaign reached: SMS households, and groups with their households, over its runs. */
export interface CampaignReach {
  smsHouseholds: number;
  groups: number;
  groupHouseholds: number;
}
