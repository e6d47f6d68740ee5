/**
 * The planner's view of outreach to the grids' WeChat groups: the preview of a plan (its groups,
 * owners and households, and which groups are already at their monthly limit — one batched read
 * of the groups' slots), a run's groups counted per township with each grid's status (read page
 * by page from the run's own partition), and a campaign's reach over its runs, SMS beside groups.
 */
import type { Organisation } from '../../domain/organisation.ts';
import type { CampaignRun } from '../../domain/outreach/campaign.ts';
import { runKeyOf } from '../../domain/outreach/campaign.ts';
import {
  type CampaignReach,
  type GroupMassSendPurpose,
  type GroupSendPreview,
  type GroupSendSummary,
  GroupSendTally,
  groupSendMonth,
  groupsAtLimit,
  ownerTasksOf,
} from '../../domain/outreach/group-mass-send.ts';
import type { GroupMassSendLog, GroupMonthlySlots } from '../../ports/group-mass-send.ts';

export interface GroupSendsDeps {
  slots: Pick<GroupMonthlySlots, 'taken'>;
  /** The platform's mass-sends per group and month (default 4), as the planner applies it. */
  sendsPerMonth?: number;
  log: Pick<GroupMassSendLog, 'listGroups'>;
}

/** A run's groups per township (and grid), as the campaign shows them. */
export interface RunGroupSends extends GroupSendSummary {
  runId: string;
}

const GROUP_PAGE = 500;

export async function groupPreviewOf(
  channel: { purpose: GroupMassSendPurpose; text: string },
  communityIds: string[],
  org: Organisation,
  firstRun: Date,
  deps: GroupSendsDeps | undefined,
): Promise<GroupSendPreview> {
  const owners = ownerTasksOf(org, communityIds);
  const groups = owners.flatMap((o) => o.groups);
  const wanted = new Set(communityIds);
  const month = groupSendMonth(firstRun);
  const taken = deps
    ? await deps.slots.taken(
        groups.map((g) => g.chatId),
        month,
      )
    : new Map<string, number>();
  return {
    purpose: channel.purpose,
    month,
    groups: groups.length,
    households: groups.reduce((sum, g) => sum + g.households, 0),
    gridsWithoutGroup: org.grids.filter((g) => wanted.has(g.communityId) && !g.group).length,
    owners: owners.length,
    textBytes: new TextEncoder().encode(channel.text.trim()).length,
    atLimit: groupsAtLimit(org, communityIds, channel.purpose, taken, deps?.sendsPerMonth),
  };
}

/** The latest run that has planned groups, counted per township with each grid's status. */
export async function latestGroupSendsOf(
  runs: CampaignRun[],
  org: Organisation,
  deps: GroupSendsDeps | undefined,
): Promise<RunGroupSends | undefined> {
  const latest = runs
    .filter((r) => r.channel.kind === 'wecom_group' && r.status !== 'planning')
    .sort((a, b) => b.occurrenceAt.localeCompare(a.occurrenceAt))[0];
  if (!latest || !deps) return undefined;
  const tally = new GroupSendTally(org);
  const runKey = runKeyOf(latest.campaignId, latest.runId);
  let cursor: string | undefined;
  do {
    const page = await deps.log.listGroups(runKey, GROUP_PAGE, cursor);
    for (const group of page.groups) tally.add(group);
    cursor = page.cursor;
  } while (cursor);
  return { runId: latest.runId, ...tally.summary() };
}

/** SMS households texted, and groups reached with their households, over the campaign's runs. */
export function reachOf(runs: CampaignRun[]): CampaignReach {
  return runs.reduce<CampaignReach>(
    (reach, run) => ({
      smsHouseholds: reach.smsHouseholds + (run.channel.kind === 'sms' ? run.counts.sent : 0),
      groups: reach.groups + (run.groupReach?.groups ?? 0),
      groupHouseholds: reach.groupHouseholds + (run.groupReach?.households ?? 0),
    }),
    { smsHouseholds: 0, groups: 0, groupHouseholds: 0 },
  );
}
