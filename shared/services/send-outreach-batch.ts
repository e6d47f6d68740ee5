/**
 * Sends one batch of a run's households their outreach SMS, deciding at send time — not when the
 * batch was queued — for each household: already handled in this run (a redelivery: nothing is
 * sent twice), quiet hours (deferred to the morning, not dropped), opted out, over the frequency
 * cap, or sent at the paced rate. The batch's outcomes are added to the run once, however often
 * the batch is delivered.
 */

import { smsReachDeltas } from '../domain/channel-statistics.ts';
import {
  emptyCounts,
  type FinalOutcome,
  type OutreachBatch,
  type RunCounts,
  runKeyOf,
} from '../domain/outreach/campaign.ts';
import { isOptedOutOfOutreach, outreachPhoneOf } from '../domain/outreach/outreach-eligibility.ts';
import { composeOutreachSms } from '../domain/outreach/outreach-message.ts';
import { isQuietHour, type QuietHours, quietHoursEnd } from '../domain/outreach/quiet-hours.ts';
import { DependencyError, NotFoundError } from '../errors.ts';
import type { HouseholdRegistry } from '../ports/household-registry.ts';
import type { CampaignStore, DeliveryLog, OutreachCap, SendPacer, WorkLeases } from '../ports/outreach.ts';
import type { OutreachReachCounter } from '../ports/outreach-reach.ts';
import type { SmsSender } from '../ports/sms-sender.ts';
import type { OptOutList } from '../ports/sms-state.ts';
import { type FinishCampaignDeps, finishRunIfDone } from './finish-campaign.ts';

export interface SendOutreachDeps extends FinishCampaignDeps {
  campaigns: CampaignStore;
  deliveries: DeliveryLog;
  leases: WorkLeases;
  cap: OutreachCap;
  pacer: SendPacer;
  households: Pick<HouseholdRegistry, 'getMany'>;
  optOuts: Pick<OptOutList, 'isOptedOut'>;
  sender: SmsSender;
  /** Counts the households each batch reached, per community, for the statistics by channel. */
  reach?: OutreachReachCounter;
  quietHours: QuietHours;
  /** At most one outreach SMS per household in this window (default 7 days). */
  capWindowMs: number;
  /** How long one delivery owns a batch; longer than the sender's timeout. */
  leaseMs: number;
  now: () => Date;
}

export interface SendOptions {
  /** Survives redelivery of the same message (the SQS message id): owns the batch's lease. */
  deliveryId: string;
  /** The last delivery attempt before the dead-letter queue: count failures instead of retrying. */
  finalAttempt: boolean;
}

export type BatchResult =
  | { status: 'tallied'; counts: Partial<RunCounts> }
  | { status: 'already_tallied'; counts: Partial<RunCounts> }
  /** The batch was sent already, or another delivery of it is sending it now: nothing to do. */
  | { status: 'duplicate' };

/** A provider error worth another try; the batch is redelivered and sent households are skipped. */
export class OutreachRetryError extends DependencyError {}

function isPermanentSendFailure(error: unknown): boolean {
  // End User Messaging refuses bad numbers and opted-out destinations with a ValidationException /
  // ConflictException; throttling and 5xx are worth retrying.
  const cause = error instanceof DependencyError ? error.cause : error;
  return (
    cause instanceof Error && (cause.name === 'ValidationException' || cause.name === 'ConflictException')
  );
}

export async function sendOutreachBatch(
  batch: OutreachBatch,
  deps: SendOutreachDeps,
  options: SendOptions,
): Promise<BatchResult> {
  const runKey = runKeyOf(batch.campaignId, batch.runId);
  const leaseKey = `batch#${runKey}#${batch.batchId}`;
  // A second copy of the batch (a duplicate send, a replayed planner page) steps aside; if the
  // owner crashes, its own message comes back and takes the lease again.
  if ((await deps.leases.acquire(leaseKey, options.deliveryId, deps.now(), deps.leaseMs)) !== 'acquired') {
    return { status: 'duplicate' };
  }
  const run = await deps.campaigns.getRun(batch.campaignId, batch.runId);
  if (!run) throw new NotFoundError(`run ${batch.campaignId}/${batch.runId} does not exist`);
  if (run.channel.kind !== 'sms') throw new NotFoundError(`run ${batch.runId} is not an SMS run`);
  const body = composeOutreachSms(run.channel.signature, run.channel.body);
  const households = new Map(
    (await deps.households.getMany(batch.householdIds)).map((h) => [h.householdId, h]),
  );

  const counts = emptyCounts();
  const deferred: string[] = [];
  let retry: unknown;
  // Households sent per community, this delivery's and a crashed one's alike (see recordReach).
  const sentByCommunity = new Map<string, number>();
  const countSent = (householdId: string) => {
    const communityId = households.get(householdId)?.communityId;
    if (communityId) sentByCommunity.set(communityId, (sentByCommunity.get(communityId) ?? 0) + 1);
  };

  const settle = async (householdId: string, outcome: FinalOutcome, parts?: number) => {
    await deps.deliveries.settle(runKey, householdId, outcome, deps.now(), parts);
    counts[outcome] += 1;
    if (parts) counts.parts += parts;
    if (outcome === 'sent') countSent(householdId);
  };

  for (const householdId of batch.householdIds) {
    const previous = await deps.deliveries.find(runKey, householdId);
    if (previous?.status === 'done') {
      counts[previous.outcome] += 1;
      if (previous.parts) counts.parts += previous.parts;
      if (previous.outcome === 'sent') countSent(householdId);
      continue;
    }
    if (previous?.status === 'sending') {
      // We hold the batch, so this claim is a crashed sender's, left between claiming and
      // recording: the SMS may have gone. Never risk a second one.
      await settle(householdId, 'failed');
      continue;
    }
    if (run.status === 'cancelled') {
      await settle(householdId, 'cancelled');
      continue;
    }
    if (isQuietHour(deps.now(), deps.quietHours)) {
      deferred.push(householdId);
      continue;
    }
    const household = households.get(householdId);
    const phone = household ? outreachPhoneOf(household) : undefined;
    if (!household || !phone) {
      // Left the registry since the run was planned: nobody to send to.
      await settle(householdId, 'failed');
      continue;
    }
    if (await isOptedOutOfOutreach(household, (p) => deps.optOuts.isOptedOut(p))) {
      await settle(householdId, 'optedOut');
      continue;
    }
    if (!(await deps.deliveries.claim(runKey, householdId, deps.now()))) {
      retry ??= new OutreachRetryError(`household in batch ${batch.batchId} was claimed concurrently`);
      continue;
    }
    if (!(await deps.cap.reserve(householdId, runKey, deps.now(), deps.capWindowMs, household.communityId))) {
      await settle(householdId, 'capped');
      continue;
    }
    await deps.pacer.acquire();
    try {
      const sent = await deps.sender.send({
        to: phone,
        body,
        purpose: 'outreach',
        correlationId: `${runKey}#${householdId}`,
      });
      await settle(householdId, 'sent', sent.parts);
    } catch (error) {
      if (options.finalAttempt || isPermanentSendFailure(error)) {
        await settle(householdId, 'failed');
      } else {
        await deps.deliveries.release(runKey, householdId);
        retry ??= new OutreachRetryError(`sending to a household of batch ${batch.batchId} failed`, {
          cause: error,
        });
      }
    }
  }

  if (retry) throw retry;

  if (deferred.length > 0) {
    const resumeAt = quietHoursEnd(deps.now(), deps.quietHours);
    // The parked part is a new batch of the run, named for the morning it resumes, so a
    // redelivery parks it once; the scheduler queues it again when quiet hours end.
    const parked: OutreachBatch = {
      ...batch,
      batchId: `${batch.batchId}~${resumeAt.toISOString().slice(0, 10)}`,
      householdIds: deferred,
    };
    await deps.campaigns.deferBatch(parked, resumeAt);
    counts.deferred = deferred.length;
  }

  // Before the tally, under the batch's own name: a crash in between repeats both, each counted once.
  await deps.reach?.recordReach(
    `sms#${runKey}#${batch.batchId}`,
    deps.now(),
    smsReachDeltas(sentByCommunity),
  );
  const tally = Object.fromEntries(Object.entries(counts).filter(([, n]) => n > 0));
  const { added, run: after } = await deps.campaigns.addTally(
    batch.campaignId,
    batch.runId,
    batch.batchId,
    tally,
  );
  await deps.leases.complete(leaseKey);
  if (after) await finishRunIfDone(after, deps);
  return { status: added ? 'tallied' : 'already_tallied', counts: tally };
}
