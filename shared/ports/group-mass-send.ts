/**
 * Ports of outreach to the grids' WeChat groups: the platform's enterprise mass-send to customer
 * groups (tasks, their results, a reminder), the monthly slots each group has at the platform
 * (counted by us with conditional writes), and a run's record of its tasks and groups.
 */
import type { PollGroupRun, RunCounts } from '../domain/outreach/campaign.ts';
import type { GroupSendRecord, GroupSendStatus } from '../domain/outreach/group-mass-send.ts';

/** WeChat Work's enterprise mass-send to customer groups (externalcontact/*groupmsg*). */
export interface GroupMassSender {
  /**
   * Creates one task for `sender` (the groups' owner) to send `text` to `chatIds` (add_msg_template,
   * chat_type group): `created` with the task's msgid and the chat ids the platform would not
   * take; `refused` when the platform said no for good; `busy` when it said "not now" (its rate
   * limits, after the backoff): then no task exists. Throws when the answer is unknown.
   */
  createGroupTask(sender: string, chatIds: string[], text: string): Promise<CreatedGroupTask>;
  /** Whether the owner has sent the task (get_groupmsg_task: status 2) and when. */
  taskSent(msgid: string, owner: string): Promise<{ sent: boolean; sendTime?: number }>;
  /** Each group's result once the owner has sent (get_groupmsg_send_result), paged through. */
  sendResults(msgid: string, owner: string): Promise<{ chatId: string; status: number }[]>;
  /** Reminds the owner to confirm the task (remind_groupmsg_send). */
  remind(msgid: string): Promise<void>;
  /** Stops a task its owner has not sent (cancel_groupmsg_send); false when the platform would not. */
  cancel(msgid: string): Promise<boolean>;
}

export type CreatedGroupTask =
  | { kind: 'created'; msgid: string; failed: string[] }
  | { kind: 'refused'; errcode: number }
  | { kind: 'busy'; errcode: number };

/**
 * The platform's monthly limit per group, counted by us: a slot per run per group and month. One
 * conditional write reserves it, so a replayed reservation by the same run takes no second slot.
 */
export interface GroupMonthlySlots {
  /**
   * Takes one of `month`'s slots of `chatId` for `runKey` if fewer than `max` are taken, or it is
   * this run's already: true. False when the group is at `max`.
   */
  reserve(chatId: string, month: string, runKey: string, max: number): Promise<boolean>;
  /** Gives a run's slot back (its task was refused by the platform). */
  release(chatId: string, month: string, runKey: string): Promise<void>;
  /** Slots taken in `month` per group (absent: none), for the preview. */
  taken(chatIds: string[], month: string): Promise<Map<string, number>>;
}

/** An owner's task in a run. `creating`: claimed, the platform's answer not recorded (yet). */
export type GroupTask =
  | { owner: string; status: 'creating'; chatIds: string[] }
  | {
      owner: string;
      status: 'created';
      chatIds: string[];
      msgid: string;
      createdAt: string;
      remindedAt?: string;
      sent?: boolean;
    }
  | { owner: string; status: 'unknown' | 'failed'; chatIds: string[] };

export interface GroupTaskPage {
  tasks: GroupTask[];
  cursor?: string;
}

export interface GroupRecordPage {
  groups: GroupSendRecord[];
  cursor?: string;
}

/** A run's tasks (one per owner) and groups (one per grid's group), each state one conditional write. */
export interface GroupMassSendLog {
  /** Claims the owner's task of the run before it is created; false when it was claimed before. */
  claimTask(runKey: string, owner: string, chatIds: string[]): Promise<boolean>;
  getTask(runKey: string, owner: string): Promise<GroupTask | undefined>;
  /** Records the platform's msgid on a claimed task. */
  recordTask(runKey: string, owner: string, msgid: string, at: Date): Promise<void>;
  /** Takes back a claim whose task the platform certainly did not create, for a later try. */
  releaseTask(runKey: string, owner: string): Promise<void>;
  /** Ends a claimed task without a msgid: refused (`failed`) or its answer lost (`unknown`). */
  endTask(runKey: string, owner: string, status: 'unknown' | 'failed'): Promise<void>;
  /** Marks the owner as having sent the task. */
  markTaskSent(runKey: string, owner: string): Promise<void>;
  /** Takes the task's one reminder: true for the first caller only. */
  claimReminder(runKey: string, owner: string, at: Date): Promise<boolean>;
  listTasks(runKey: string, limit: number, cursor?: string): Promise<GroupTaskPage>;

  /** Writes a group's record (its first status) unless the run has one: false then. */
  putGroup(runKey: string, record: GroupSendRecord): Promise<boolean>;
  /** Moves a group to `to` if its status is one of `from`; false otherwise. */
  setGroupStatus(
    runKey: string,
    record: Pick<GroupSendRecord, 'townshipId' | 'gridId'>,
    from: GroupSendStatus[],
    to: GroupSendStatus,
  ): Promise<boolean>;
  listGroups(runKey: string, limit: number, cursor?: string): Promise<GroupRecordPage>;
}

/** A WeChat-group run's progress on its run item, each step one conditional write. */
export interface GroupRunProgress {
  /** Ends planning (`planning` → `sending`) and opens polling at round 0; false if not planning. */
  startPolling(campaignId: string, runId: string, since: Date): Promise<boolean>;
  /** Moves polling from `round` to `round + 1`; false when another poller did (a duplicate). */
  advancePolling(campaignId: string, runId: string, round: number): Promise<boolean>;
  /** Completes the sending run at polling round `round` with its final counts and reach. */
  completeRun(
    campaignId: string,
    runId: string,
    round: number,
    counts: RunCounts,
    reach: { groups: number; households: number },
    at: Date,
  ): Promise<boolean>;
}

/** Delayed requests to poll a run's tasks (on the planning queue). */
export interface GroupPollQueue {
  requestPolling(message: PollGroupRun, delaySeconds: number): Promise<void>;
}
