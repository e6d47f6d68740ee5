/**
 * Runs of campaigns to the grids' WeChat groups (channel `wecom_group`): planning creates one
 * enterprise mass-send task per group owner, and polling follows the tasks until owners have
 * confirmed (or the run's window has passed), reminding each unconfirmed owner once.
 *
 * Planning pages through the run's owners (sorted, so a replayed page covers the same owners),
 * checkpointing after each page and handing itself a continuation before its time runs out, as
 * SMS planning does: memory holds the directory and one page, whatever the county's size. For
 * each group it first takes one of the group's monthly mass-sends (one conditional write; a
 * notice may not take the last, which stays for a fraud alert); a group at its limit is recorded
 * `limited` and left out of the task. A task cannot be taken back and the platform has no
 * idempotency key, so each owner's task is claimed on the run just before it is created: a replay
 * finds the claim and never creates a second task; one whose answer was lost is `unknown`.
 *
 * Polling runs as a chain of delayed requests on the planning queue, one round at a time: the run
 * names the round that may go on, so a duplicated request is dropped when the next round starts.
 * A campaign cancelled meanwhile has its unsent tasks stopped at the platform on the next round.
 */
import {
  type CampaignRun,
  emptyCounts,
  type PlanRun,
  type PollGroupRun,
  runKeyOf,
} from '../domain/outreach/campaign.ts';
import {
  emptyGroupCounts,
  GROUP_SENDS_PER_MONTH,
  type GroupSendRecord,
  type GroupSendStatus,
  type GroupStatusCounts,
  groupSendMonth,
  type OwnerTask,
  ownerTasksOf,
  slotsFor,
  statusOfSendResult,
} from '../domain/outreach/group-mass-send.ts';
import { DependencyError } from '../errors.ts';
import type { DirectoryReader } from '../ports/directory.ts';
import type {
  CreatedGroupTask,
  GroupMassSender,
  GroupMassSendLog,
  GroupMonthlySlots,
  GroupPollQueue,
  GroupRunProgress,
  GroupTask,
} from '../ports/group-mass-send.ts';
import type { CampaignStore, PlanQueue, WorkLeases } from '../ports/outreach.ts';
import { finishCampaignIfDone } from './finish-campaign.ts';

export interface GroupOutreachDeps {
  campaigns: CampaignStore;
  leases: WorkLeases;
  planQueue: PlanQueue;
  directory: DirectoryReader;
  slots: GroupMonthlySlots;
  log: GroupMassSendLog;
  progress: GroupRunProgress;
  platform: GroupMassSender;
  pollQueue: GroupPollQueue;
  /** Owners whose tasks are created between two checkpoints. */
  ownersPerPage: number;
  leaseMs: number;
  /** Between two polling rounds (SQS delays go up to 900 s). */
  pollDelaySeconds: number;
  /** An owner who has not confirmed this long after the task was created is reminded, once. */
  remindAfterMs: number;
  /** Polling stops this long after planning ended; groups still unconfirmed are `not_sent`. */
  pollWindowMs: number;
  /** The platform's mass-sends per group and month (default 4; a notice leaves the last one). */
  sendsPerMonth?: number;
  /** Tasks read per page while polling (default 100); a round may continue after any page. */
  pollPageSize?: number;
  now: () => Date;
}

export interface GroupPlanLimits {
  remainingMs: () => number;
  reserveMs: number;
}

export type GroupPlanResult =
  | { status: 'planned'; tasks: number; groups: number }
  | { status: 'continued'; tasks: number; groups: number }
  | { status: 'superseded'; tasks: number; groups: number }
  | { status: 'held' }
  | { status: 'not_planning' };

/** The platform kept saying "not now": the planning request is retried later. */
export class GroupPlatformBusyError extends DependencyError {}

/** Creates a claimed task once; its outcome is recorded on the claim before anything else. */
async function createTask(
  runKey: string,
  owner: string,
  chatIds: string[],
  text: string,
  deps: GroupOutreachDeps,
): Promise<{ status: 'created' | 'unknown' | 'failed'; failed: string[] }> {
  let created: CreatedGroupTask;
  try {
    created = await deps.platform.createGroupTask(owner, chatIds, text);
  } catch (error) {
    // No answer (a timeout, a lost connection): the task may exist. Never create it again.
    await deps.log.endTask(runKey, owner, 'unknown');
    if (!(error instanceof DependencyError)) throw error;
    return { status: 'unknown', failed: [] };
  }
  if (created.kind === 'busy') {
    // "Not now" after the backoff: no task exists, so the claim goes and the page is retried
    // later (the request is redelivered); the run's slots stay its own.
    await deps.log.releaseTask(runKey, owner);
    throw new GroupPlatformBusyError(`WeChat Work kept answering ${created.errcode} to add_msg_template`);
  }
  if (created.kind === 'refused') {
    // Refused for good (the owner is no member of the corp, a chat is not theirs…).
    await deps.log.endTask(runKey, owner, 'failed');
    return { status: 'failed', failed: [] };
  }
  await deps.log.recordTask(runKey, owner, created.msgid, deps.now());
  return { status: 'created', failed: created.failed };
}

/** One owner's part of a run: slots, the task (created at most once), its groups' records. */
async function planOwner(
  run: CampaignRun,
  owner: OwnerTask,
  text: string,
  max: number,
  deps: GroupOutreachDeps,
): Promise<{ task: boolean }> {
  const runKey = runKeyOf(run.campaignId, run.runId);
  const month = groupSendMonth(new Date(run.occurrenceAt));
  const record = (g: OwnerTask['groups'][number], status: GroupSendStatus): GroupSendRecord => ({
    ...g,
    ownerUserId: owner.ownerUserId,
    status,
  });
  const reserved: OwnerTask['groups'] = [];
  for (const group of owner.groups) {
    if (await deps.slots.reserve(group.chatId, month, runKey, max)) reserved.push(group);
    else await deps.log.putGroup(runKey, record(group, 'limited'));
  }
  if (reserved.length === 0) return { task: false };
  const chatIds = reserved.map((g) => g.chatId);

  let outcome: { status: 'created' | 'unknown' | 'failed'; failed: string[] };
  const previous: GroupTask | undefined = await deps.log.getTask(runKey, owner.ownerUserId);
  if (previous) {
    // A replayed page: never a second task. A claim left `creating` died before its answer.
    if (previous.status === 'creating') await deps.log.endTask(runKey, owner.ownerUserId, 'unknown');
    outcome = { status: previous.status === 'creating' ? 'unknown' : previous.status, failed: [] };
  } else if (!(await deps.log.claimTask(runKey, owner.ownerUserId, chatIds))) {
    // Another planner claimed it between our read and our claim: theirs to finish.
    return { task: false };
  } else {
    outcome = await createTask(runKey, owner.ownerUserId, chatIds, text, deps);
    if (outcome.status === 'failed')
      for (const g of reserved) await deps.slots.release(g.chatId, month, runKey);
  }
  const failed = new Set(outcome.failed);
  for (const g of reserved) {
    await deps.log.putGroup(runKey, record(g, failed.has(g.chatId) ? 'failed' : outcome.status));
  }
  return { task: outcome.status === 'created' };
}

const requestFirstRound = (run: { campaignId: string; runId: string }, deps: GroupOutreachDeps) =>
  deps.pollQueue.requestPolling(
    { kind: 'outreach.poll_groups', campaignId: run.campaignId, runId: run.runId, round: 0 },
    deps.pollDelaySeconds,
  );

export async function planGroupRun(
  request: PlanRun,
  deps: GroupOutreachDeps,
  limits: GroupPlanLimits,
): Promise<GroupPlanResult> {
  const run = await deps.campaigns.getRun(request.campaignId, request.runId);
  if (run?.status === 'sending' && run.channel.kind === 'wecom_group' && run.groupPoll?.round === 0) {
    // Planned and polling started, yet the planning request came back: the planner died before
    // its first round was asked for, or after. Asking again is safe (a round asked for twice is
    // dropped as stale once polled); not asking could leave the run sending for ever.
    await requestFirstRound(run, deps);
    return { status: 'not_planning' };
  }
  if (run?.status !== 'planning' || !run.planning || run.channel.kind !== 'wecom_group') {
    return { status: 'not_planning' };
  }
  const leaseKey = `plan#${runKeyOf(run.campaignId, run.runId)}`;
  const lease = await deps.leases.acquire(leaseKey, request.token, deps.now(), deps.leaseMs);
  if (lease === 'held') return { status: 'held' };
  if (lease === 'done') return { status: 'not_planning' };
  const owners = ownerTasksOf(await deps.directory.load(), run.communityIds);
  const max = slotsFor(run.channel.purpose, deps.sendsPerMonth ?? GROUP_SENDS_PER_MONTH);
  let page = run.planning.page;
  let tasks = 0;
  let groups = 0;

  while (page * deps.ownersPerPage < owners.length) {
    if (limits.remainingMs() < limits.reserveMs) {
      await deps.planQueue.requestPlanning(request);
      return { status: 'continued', tasks, groups };
    }
    // A campaign cancelled meanwhile creates no more tasks, and stops those it created.
    if (
      page > run.planning.page &&
      (await deps.campaigns.getRun(run.campaignId, run.runId))?.status !== 'planning'
    ) {
      await stopUnsentTasks(run, owners, deps);
      await deps.leases.complete(leaseKey);
      return { status: 'not_planning' };
    }
    const slice = owners.slice(page * deps.ownersPerPage, (page + 1) * deps.ownersPerPage);
    let pageGroups = 0;
    for (const owner of slice) {
      if ((await planOwner(run, owner, run.channel.text, max, deps)).task) tasks += 1;
      pageGroups += owner.groups.length;
    }
    const next = { communityIndex: run.communityIds.length, page: page + 1 };
    if (!(await deps.campaigns.checkpointPlanning(run.campaignId, run.runId, page, next, pageGroups))) {
      return { status: 'superseded', tasks, groups };
    }
    groups += pageGroups;
    page += 1;
  }

  if (await deps.progress.startPolling(run.campaignId, run.runId, deps.now()))
    await requestFirstRound(run, deps);
  await deps.leases.complete(leaseKey);
  return { status: 'planned', tasks, groups };
}

export type GroupPollResult =
  | { status: 'stale' }
  | { status: 'polled'; open: number; reminded: number; next: number }
  | { status: 'continued'; open: number; reminded: number }
  | { status: 'cancelled'; open: number }
  | { status: 'completed'; counts: GroupStatusCounts };

type WhereIs = Map<string, Pick<GroupSendRecord, 'townshipId' | 'gridId'>>;
const whereIsOf = (owners: OwnerTask[]): WhereIs =>
  new Map(owners.flatMap((o) => o.groups.map((g) => [g.chatId, g] as const)));

/** Stops a task its owner has not sent; its groups are then not sent. */
async function stopTask(
  runKey: string,
  task: Extract<GroupTask, { status: 'created' }>,
  whereIs: WhereIs,
  deps: GroupOutreachDeps,
): Promise<void> {
  if (!(await deps.platform.cancel(task.msgid))) return;
  for (const chatId of task.chatIds) {
    const where = whereIs.get(chatId);
    if (where) await deps.log.setGroupStatus(runKey, where, ['created'], 'not_sent');
  }
}

/** A run cancelled while it was planned: the tasks it created so far are stopped. */
async function stopUnsentTasks(
  run: CampaignRun,
  owners: OwnerTask[],
  deps: GroupOutreachDeps,
): Promise<void> {
  const runKey = runKeyOf(run.campaignId, run.runId);
  const whereIs = whereIsOf(owners);
  let cursor: string | undefined;
  do {
    const page = await deps.log.listTasks(runKey, deps.pollPageSize ?? 100, cursor);
    for (const task of page.tasks)
      if (task.status === 'created' && !task.sent) await stopTask(runKey, task, whereIs, deps);
    cursor = page.cursor;
  } while (cursor);
}

/** A task's groups' results: each group the platform has settled moves on; true when none is left. */
async function settleGroups(
  runKey: string,
  task: Extract<GroupTask, { status: 'created' }>,
  whereIs: Map<string, Pick<GroupSendRecord, 'townshipId' | 'gridId'>>,
  deps: GroupOutreachDeps,
): Promise<boolean> {
  const results = await deps.platform.sendResults(task.msgid, task.owner);
  let open = 0;
  for (const { chatId, status } of results) {
    const where = whereIs.get(chatId);
    const to = statusOfSendResult(status);
    if (!to) open += 1;
    if (!where || !to) continue;
    await deps.log.setGroupStatus(runKey, where, ['created'], to);
  }
  return open === 0;
}

/**
 * One polling round: every task not yet settled is asked about (two calls when its owner has
 * sent), page by page; a round that would outlast the invocation continues in another from its
 * page. Every step is a conditional write, so a round polled twice changes nothing twice.
 */
export async function pollGroupRun(
  request: PollGroupRun,
  deps: GroupOutreachDeps,
  limits: GroupPlanLimits = { remainingMs: () => Number.POSITIVE_INFINITY, reserveMs: 0 },
): Promise<GroupPollResult> {
  const run = await deps.campaigns.getRun(request.campaignId, request.runId);
  if (!run?.groupPoll || run.groupPoll.round !== request.round) return { status: 'stale' };
  // A campaign cancelled while its owners had not confirmed: their tasks are stopped at the
  // platform (what was sent stays sent), and polling ends with this round.
  const cancelled = run.status === 'cancelled';
  if (run.status !== 'sending' && !cancelled) return { status: 'stale' };
  const runKey = runKeyOf(run.campaignId, run.runId);
  const now = deps.now();
  const expired = now.getTime() - Date.parse(run.groupPoll.since) >= deps.pollWindowMs;
  const whereIs = new Map(
    ownerTasksOf(await deps.directory.load(), run.communityIds).flatMap((o) =>
      o.groups.map((g) => [g.chatId, { townshipId: g.townshipId, gridId: g.gridId }] as const),
    ),
  );

  let open = request.open ?? 0;
  let reminded = 0;
  let cursor: string | undefined = request.cursor;
  do {
    if (cursor && limits.remainingMs() < limits.reserveMs) {
      await deps.pollQueue.requestPolling({ ...request, cursor, open }, 0);
      return { status: 'continued', open, reminded };
    }
    const page = await deps.log.listTasks(runKey, deps.pollPageSize ?? 100, cursor);
    for (const task of page.tasks) {
      if (task.status !== 'created' || task.sent) continue;
      const { sent } = await deps.platform.taskSent(task.msgid, task.owner);
      if (sent) {
        if (await settleGroups(runKey, task, whereIs, deps)) await deps.log.markTaskSent(runKey, task.owner);
        else open += 1;
        continue;
      }
      if (cancelled) {
        await stopTask(runKey, task, whereIs, deps);
        continue;
      }
      open += 1;
      const due = now.getTime() - Date.parse(task.createdAt) >= deps.remindAfterMs;
      if (due && !expired && !task.remindedAt && (await deps.log.claimReminder(runKey, task.owner, now))) {
        // Claimed before it is sent: a reminder is at most once, even if this call is lost.
        await deps.platform.remind(task.msgid);
        reminded += 1;
      }
    }
    cursor = page.cursor;
  } while (cursor);

  if (cancelled) return { status: 'cancelled', open };
  if (open > 0 && !expired) {
    // The next round is asked for before this one is closed. Should this invocation die between
    // the two, the redelivered round polls again and asks again (the round check drops the extra
    // request later); in the other order the run's round would be closed with no request behind
    // it, and the run would stay sending for ever.
    const { cursor: _page, open: _open, ...round } = request;
    await deps.pollQueue.requestPolling({ ...round, round: request.round + 1 }, deps.pollDelaySeconds);
    await deps.progress.advancePolling(run.campaignId, run.runId, request.round);
    return { status: 'polled', open, reminded, next: request.round + 1 };
  }
  return completeGroupRun(run, request.round, deps);
}

/** Closes the run: groups still waiting are `not_sent`; the run's counts are the groups'. */
async function completeGroupRun(
  run: CampaignRun,
  round: number,
  deps: GroupOutreachDeps,
): Promise<GroupPollResult> {
  const runKey = runKeyOf(run.campaignId, run.runId);
  const tally = emptyGroupCounts();
  let households = 0;
  let cursor: string | undefined;
  do {
    const page = await deps.log.listGroups(runKey, 200, cursor);
    for (const group of page.groups) {
      let status = group.status;
      if (status === 'created' && (await deps.log.setGroupStatus(runKey, group, ['created'], 'not_sent'))) {
        status = 'not_sent';
      }
      tally[status] += 1;
      if (status === 'sent') households += group.households;
    }
    cursor = page.cursor;
  } while (cursor);
  const groups = Object.values(tally).reduce((a, b) => a + b, 0);
  const counts = {
    ...emptyCounts(),
    enqueued: groups,
    sent: tally.sent,
    capped: tally.limited,
    failed: tally.not_sent + tally.failed + tally.unknown + tally.created,
  };
  const reach = { groups: tally.sent, households };
  if (await deps.progress.completeRun(run.campaignId, run.runId, round, counts, reach, deps.now())) {
    await finishCampaignIfDone(run.campaignId, deps);
  }
  return { status: 'completed', counts: tally };
}
