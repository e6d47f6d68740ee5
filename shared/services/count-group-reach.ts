/**
 * WeChat group reach for the statistics by channel (channel-statistics.ts): a run's group log
 * that, when the poller records a group as sent (the platform's send result says so), first
 * counts the group and its households in the community of its grid, under the name of that group
 * in that run. Counting before the status is written, and idempotently, means a poll that dies
 * in between counts the group on its next round, and never twice; a group the platform reported
 * sent is reach whatever our record says. The households are the grid's, as the campaign's
 * targets count them (group-mass-send.ts ownerTasksOf).
 */
import { wecomReachDeltas } from '../domain/channel-statistics.ts';
import type { Grid, Organisation } from '../domain/organisation.ts';
import type { DirectoryReader } from '../ports/directory.ts';
import type { GroupMassSendLog } from '../ports/group-mass-send.ts';
import type { OutreachReachCounter } from '../ports/outreach-reach.ts';

export interface GroupReachDeps {
  reach: OutreachReachCounter;
  directory: DirectoryReader;
  now: () => Date;
}

export function countingGroupReach(log: GroupMassSendLog, deps: GroupReachDeps): GroupMassSendLog {
  // Grids by id, per directory version the (cached) reader hands out: a county has 2,348.
  const gridsOf = new WeakMap<Organisation, Map<string, Grid>>();
  const gridOf = async (gridId: string) => {
    const org = await deps.directory.load();
    let grids = gridsOf.get(org);
    if (!grids) {
      grids = new Map(org.grids.map((g) => [g.id, g]));
      gridsOf.set(org, grids);
    }
    return grids.get(gridId);
  };
  return {
    claimTask: (runKey, owner, chatIds) => log.claimTask(runKey, owner, chatIds),
    getTask: (runKey, owner) => log.getTask(runKey, owner),
    recordTask: (runKey, owner, msgid, at) => log.recordTask(runKey, owner, msgid, at),
    releaseTask: (runKey, owner) => log.releaseTask(runKey, owner),
    endTask: (runKey, owner, status) => log.endTask(runKey, owner, status),
    markTaskSent: (runKey, owner) => log.markTaskSent(runKey, owner),
    claimReminder: (runKey, owner, at) => log.claimReminder(runKey, owner, at),
    listTasks: (runKey, limit, cursor) => log.listTasks(runKey, limit, cursor),
    putGroup: (runKey, record) => log.putGroup(runKey, record),
    listGroups: (runKey, limit, cursor) => log.listGroups(runKey, limit, cursor),
    async setGroupStatus(runKey, record, from, to) {
      if (to === 'sent') {
        const grid = await gridOf(record.gridId);
        if (grid)
          await deps.reach.recordReach(
            `wecom#${runKey}#${grid.id}`,
            deps.now(),
            wecomReachDeltas([{ communityId: grid.communityId, households: grid.households }]),
          );
      }
      return log.setGroupStatus(runKey, record, from, to);
    },
  };
}
