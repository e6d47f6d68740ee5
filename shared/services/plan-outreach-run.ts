/**
 * Plans an SMS run: reads its communities' households from the registry one page at a time and
 * queues them in batches for the sender, checkpointing after every page. Memory holds one page
 * whatever the community size; a planner that runs short of time asks for a continuation and
 * stops; a crashed one is replaced by the redelivered request, which resumes at the checkpoint.
 * A lease keeps duplicate requests (a tick that fired twice) out while one planner is at work. A
 * page replayed after a crash gets the same batch ids, so the sender counts it once.
 */

import { type CampaignRun, type OutreachBatch, type PlanRun, runKeyOf } from '../domain/outreach/campaign.ts';
import { ConfigError } from '../errors.ts';
import type { HouseholdRegistry } from '../ports/household-registry.ts';
import type { CampaignStore, OutreachQueue, PlanQueue, WorkLeases } from '../ports/outreach.ts';
import { type FinishCampaignDeps, finishRunIfDone } from './finish-campaign.ts';
import { type GroupOutreachDeps, planGroupRun } from './group-mass-send-run.ts';

export interface PlanOutreachDeps extends FinishCampaignDeps {
  campaigns: CampaignStore;
  leases: WorkLeases;
  households: Pick<HouseholdRegistry, 'listCommunity'>;
  outreachQueue: OutreachQueue;
  planQueue: PlanQueue;
  /** Households read per registry page. */
  pageSize: number;
  /** Households per queued batch. */
  batchSize: number;
  /** How long a planner owns a run before another may take over; longer than one invocation. */
  leaseMs: number;
  /** WeChat-group runs (channel `wecom_group`): their tasks are created here too. */
  groups?: GroupOutreachDeps;
}

export interface PlanLimits {
  /** Milliseconds left before the caller must stop (the Lambda's remaining time). */
  remainingMs: () => number;
  /** Stop and continue in a new invocation with less than this left. */
  reserveMs: number;
}

export type PlanResult =
  | { status: 'planned'; enqueued: number }
  | { status: 'continued'; enqueued: number }
  | { status: 'superseded'; enqueued: number }
  /** Another planning effort owns the run (a duplicate request): this one steps aside. */
  | { status: 'held' }
  | { status: 'not_planning' };

function batchesOf(run: CampaignRun, page: number, householdIds: string[], size: number): OutreachBatch[] {
  const batches: OutreachBatch[] = [];
  for (let i = 0, k = 0; i < householdIds.length; i += size, k++) {
    batches.push({
      kind: 'outreach.batch',
      campaignId: run.campaignId,
      runId: run.runId,
      batchId: `${page}.${k}`,
      householdIds: householdIds.slice(i, i + size),
    });
  }
  return batches;
}

export async function planOutreachRun(
  request: PlanRun,
  deps: PlanOutreachDeps,
  limits: PlanLimits,
): Promise<PlanResult> {
  const run = await deps.campaigns.getRun(request.campaignId, request.runId);
  if (run?.status !== 'planning' || !run.planning) return { status: 'not_planning' };
  if (run.channel.kind === 'wecom_group') {
    if (!deps.groups) throw new ConfigError('This planner is not configured for WeChat-group runs');
    // Counted in groups for a group run (its households are the groups').
    const result = await planGroupRun(request, deps.groups, limits);
    return 'groups' in result ? { status: result.status, enqueued: result.groups } : result;
  }
  const leaseKey = `plan#${runKeyOf(run.campaignId, run.runId)}`;
  const lease = await deps.leases.acquire(leaseKey, request.token, deps.now(), deps.leaseMs);
  if (lease === 'held') return { status: 'held' };
  if (lease === 'done') return { status: 'not_planning' };
  let progress = run.planning;
  let enqueued = 0;

  while (progress.communityIndex < run.communityIds.length) {
    if (limits.remainingMs() < limits.reserveMs) {
      await deps.planQueue.requestPlanning(request);
      return { status: 'continued', enqueued };
    }
    const communityId = run.communityIds[progress.communityIndex] ?? '';
    const page = await deps.households.listCommunity(communityId, deps.pageSize, progress.cursor);
    const ids = page.households.map((h) => h.householdId);
    const batches = batchesOf(run, progress.page, ids, deps.batchSize);
    if (batches.length > 0) await deps.outreachQueue.enqueue(batches);
    const next = page.cursor
      ? { communityIndex: progress.communityIndex, cursor: page.cursor, page: progress.page + 1 }
      : { communityIndex: progress.communityIndex + 1, page: progress.page + 1 };
    if (
      !(await deps.campaigns.checkpointPlanning(run.campaignId, run.runId, progress.page, next, ids.length))
    ) {
      return { status: 'superseded', enqueued };
    }
    enqueued += ids.length;
    progress = next;
  }

  await deps.campaigns.setRunStatus(run.campaignId, run.runId, ['planning'], 'sending');
  await deps.leases.complete(leaseKey);
  // The sender may have finished every batch before planning was marked over; close it here then.
  const after = await deps.campaigns.getRun(run.campaignId, run.runId);
  if (after) await finishRunIfDone(after, deps);
  return { status: 'planned', enqueued };
}
