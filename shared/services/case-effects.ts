/**
 * Runs what a case transition triggers — delivery to a unit's queue, the county centre's
 * escalation notice, linking a merged duplicate, the statistics, the reporter's text, the search
 * postings — one outbox entry at a time, and records every outcome in one write. A failing entry
 * never holds up another: a permanent failure is final and shown to staff as a notice on the
 * case, a transient one backs off, one that keeps failing is parked (a notice, and an alarm on
 * the log). Deliveries, links, statistics and postings are safe to repeat (consumers dedupe on
 * tracking code + version, links are set members, statistics recognise a replayed change, a
 * posting written twice is one); a text message is not: each attempt is claimed on the case just
 * before it is made, and a claimed attempt nobody finished is never made again (see
 * effect-outbox.ts).
 */
import { randomUUID } from 'node:crypto';
import type { CaseEscalated, CaseNotice, CaseReport, CaseState } from '../domain/case.ts';
import { isOpen } from '../domain/case.ts';
import type { Effect } from '../domain/case-lifecycle.ts';
import {
  afterTransientFailure,
  atMostOnce,
  type EffectOutcome,
  type OutboxEntry,
} from '../domain/effect-outbox.ts';
import { renderSmsReply } from '../domain/sms/sms-replies.ts';
import { overdueKey, returnVisitKey } from '../domain/staff-notification.ts';
import { ConfigError, DeliveryUnconfirmedError, UndeliverableError } from '../errors.ts';
import type { CaseSearchIndex } from '../ports/case-search.ts';
import type { CaseStore, PendingEffects } from '../ports/case-store.ts';
import type { DirectoryReader } from '../ports/directory.ts';
import type { DispatchQueue } from '../ports/dispatch-queue.ts';
import type { SmsSender } from '../ports/sms-sender.ts';
import type { StaffNotificationQueue } from '../ports/staff-notifications.ts';
import type { StatsStore } from '../ports/stats-store.ts';
import type { WorkerRelayQueue } from '../ports/wecom.ts';
import { indexCaseForSearch } from './case-search-upkeep.ts';
import type { ReporterTextGate } from './reporter-texts.ts';

export interface CaseEffectsDeps {
  cases: Pick<
    CaseStore,
    'getReport' | 'linkDuplicate' | 'settleEffects' | 'claimEntry' | 'saveTrainingExample'
  >;
  dispatch: DispatchQueue;
  stats: StatsStore;
  directory: DirectoryReader;
  sender: SmsSender;
  /**
   * Whether a reporter may be texted now (opt-out list, daily cap per phone) and whether the text
   * must say how to stop. The case functions always have it (functions/wiring/case-writes.ts);
   * without it every update is sent, as tests of other effects need.
   */
  reporterTexts?: ReporterTextGate;
  /**
   * The search postings (shared/services/case-search.ts). The case functions always have them
   * (functions/wiring/case-writes.ts); without them a `search_index` entry is done with nothing written.
   */
  searchIndex?: Pick<CaseSearchIndex, 'write'>;
  /**
   * Where `relay_to_worker` queues a forwarded appeal's change for relay-to-workers (which holds
   * the WeChat Work app; functions/wiring/case-writes.ts). Without it a relay fails for good, as a notice
   * on the case: a worker waiting for news must not be silently left without.
   */
  workerRelays?: WorkerRelayQueue;
  /**
   * The staff notifier's queue (functions/wiring/case-writes.ts): return visits (`notify_staff`) and
   * escalations reach the staff in WeChat Work. Without it nothing is raised (tests of other
   * effects); the console's lists show the same work either way.
   */
  staffNotifications?: StaffNotificationQueue;
  countyCentreUnitId: string;
  now: () => Date;
  /** Hears about every entry that did not succeed (for logs and the parked-effects alarm). */
  onEffectFailed?: (trackingCode: string, entry: OutboxEntry, outcome: EffectOutcome, error: unknown) => void;
}

export interface RunOptions {
  /** The report, when the caller holds it already (the router): spares a read. */
  report?: CaseReport;
}

type Detail = Record<string, unknown> | undefined;

async function runEffect(
  state: CaseState,
  version: number,
  effect: Effect,
  deps: CaseEffectsDeps,
  report: () => Promise<CaseReport | undefined>,
): Promise<Detail> {
  switch (effect.kind) {
    case 'dispatch': {
      // A delivery overtaken by a later one (returned, reassigned, closed) would only mislead.
      if (state.unitId !== effect.unitId || !isOpen(state.stage)) return { skipped: 'superseded' };
      const r = await report();
      await deps.dispatch.dispatch(effect.unitId, {
        kind: 'case.dispatched',
        trackingCode: state.trackingCode,
        version,
        reason: effect.reason,
        unitId: effect.unitId,
        category: state.category,
        communityId: state.communityId,
        townshipId: state.townshipId,
        routing: state.routing,
        description: r?.description ?? '',
        address: r?.address,
        location: r?.location,
        hasContactPhone: r?.contactPhone !== undefined,
        submittedAt: state.submittedAt,
        dispatchedAt: deps.now().toISOString(),
      });
      return undefined;
    }
    case 'escalation_notice': {
      const notice: CaseEscalated = {
        kind: 'case.escalated',
        trackingCode: state.trackingCode,
        version,
        unitId: state.unitId,
        category: state.category,
        communityId: state.communityId,
        stage: state.stage,
        reason: effect.reason,
        escalatedAt: state.escalation?.at ?? deps.now().toISOString(),
      };
      await deps.dispatch.dispatch(deps.countyCentreUnitId, notice);
      // The unit's handlers and the county centre hear of it in WeChat Work too: queued, so the
      // sweeper is not held up by the platform; the key makes a rerun send nothing more.
      if (!deps.staffNotifications) return undefined;
      await deps.staffNotifications.enqueue({
        kind: 'staff.notify',
        about: 'overdue',
        key: overdueKey(state.trackingCode, version),
        trackingCode: state.trackingCode,
        category: state.category,
        communityId: state.communityId,
        unitId: state.unitId,
        reason: effect.reason,
      });
      return { staffNotified: 'queued' };
    }
    case 'notify_staff': {
      // The case left the list since (a visit recorded, a reopening): nobody need be told.
      if (state.returnVisit?.status !== 'pending') return { skipped: 'superseded' };
      if (!deps.staffNotifications) return { skipped: 'no_staff_notifications' };
      await deps.staffNotifications.enqueue({
        kind: 'staff.notify',
        about: 'return_visit',
        key: returnVisitKey(state.trackingCode, version),
        trackingCode: state.trackingCode,
        category: state.category,
        communityId: state.communityId,
        reason: state.returnVisit.reason,
      });
      return { staffNotified: 'queued' };
    }
    case 'link_duplicate':
      await deps.cases.linkDuplicate(effect.into, state.trackingCode);
      return undefined;
    case 'stats':
      await deps.stats.record({
        ...effect,
        trackingCode: state.trackingCode,
        version,
        communityId: state.communityId,
        category: state.category,
        channel: state.channel,
      });
      return undefined;
    case 'search_index': {
      if (!deps.searchIndex) return { skipped: 'no_search_index' };
      const { written, removed } = await indexCaseForSearch(state, await report(), deps.searchIndex);
      return { postings: written, removed };
    }
    case 'notify_reporter': {
      const phone = (await report())?.contactPhone;
      if (!phone) return { skipped: 'no_phone' };
      const correlationId = `${state.trackingCode}#${version}#${effect.stage}`;
      // Opted out or over the day's cap: done, nothing sent (the detail says which, no phone).
      const cleared = (await deps.reporterTexts?.clear(phone, correlationId, deps.now())) ?? {
        kind: 'send',
        stopHint: false,
      };
      if (cleared.kind === 'skip') return { skipped: cleared.reason };
      const unit = (await deps.directory.load()).units.find((u) => u.id === state.unitId);
      const sent = await deps.sender.send({
        to: phone,
        body: renderSmsReply(
          {
            kind: 'case_update',
            code: state.trackingCode,
            stage: effect.stage,
            unitZh: unit?.zh,
            stopHint: cleared.stopHint,
          },
          'zh',
        ),
        purpose: 'notification',
        correlationId,
      });
      return { sms: sent };
    }
    case 'relay_to_worker': {
      // At least once: a repeat reaches the worker once (relay-to-workers sends with the
      // platform's duplicate check on the identical text).
      if (!state.forwardedBy) return { skipped: 'no_worker' };
      if (!deps.workerRelays) throw new ConfigError('no queue is configured for relays to grid workers');
      const unit = (await deps.directory.load()).units.find((u) => u.id === state.unitId);
      await deps.workerRelays.enqueue({
        kind: 'wecom.relay',
        worker: state.forwardedBy,
        trackingCode: state.trackingCode,
        version,
        stage: effect.stage,
        action: effect.action,
        ...(unit ? { unitZh: unit.zh } : {}),
      });
      return { relayed: effect.stage };
    }
    case 'training_example': {
      // A later correction wrote its own example; this one would put the old label back.
      if (state.category !== effect.category) return { skipped: 'superseded' };
      const r = await report();
      // Anonymised words are no example; nor is a case with no text left.
      if (!r || r.anonymisedAt !== undefined || state.anonymisedAt !== undefined)
        return { skipped: 'no_text' };
      await deps.cases.saveTrainingExample({
        trackingCode: state.trackingCode,
        submittedAt: state.submittedAt,
        text: r.description,
        label: effect.category,
        labelledAt: deps.now().toISOString(),
      });
      return undefined;
    }
    default: {
      const unhandled: never = effect;
      throw new Error(`no runner for effect ${JSON.stringify(unhandled)}`);
    }
  }
}

const failed = (
  entry: OutboxEntry,
  now: Date,
  outcome: CaseNotice['outcome'],
  message: string,
): EffectOutcome => ({
  id: entry.id,
  kind: 'failed',
  notice: { at: now.toISOString(), effect: entry.effect.kind, outcome, message },
});

/** What an error means for the entry: final, unknown (final for at-most-once), or worth another try. */
function outcomeOf(entry: OutboxEntry, error: unknown, now: Date): EffectOutcome {
  const message = error instanceof Error ? error.message : 'unknown error';
  if (error instanceof UndeliverableError || error instanceof ConfigError)
    return failed(entry, now, 'undeliverable', message);
  if (error instanceof DeliveryUnconfirmedError && atMostOnce(entry.effect))
    return failed(entry, now, 'unconfirmed', 'the text may have gone out, but no answer came back');
  return afterTransientFailure(entry, now, message);
}

/**
 * Attempts `entries` of one case (each on its own) and records the outcomes with one write.
 * Returns the outcomes; throws only if the outcomes could not be recorded (the entries then stay
 * due and the sweeper takes them again).
 */
export async function runOutbox(
  pending: PendingEffects,
  entries: readonly OutboxEntry[],
  deps: CaseEffectsDeps,
  options: RunOptions = {},
): Promise<EffectOutcome[]> {
  const { state } = pending;
  let reportRead: Promise<CaseReport | undefined> | undefined = options.report
    ? Promise.resolve(options.report)
    : undefined;
  const report = () => {
    reportRead ??= deps.cases.getReport(state.trackingCode);
    return reportRead;
  };
  const outcomes: EffectOutcome[] = [];
  const claimed = new Map<string, string>();
  for (const entry of entries) {
    const now = deps.now();
    let attempt = entry;
    if (atMostOnce(entry.effect)) {
      if (entry.inFlight) {
        // Someone claimed it and never said how it went: it may have gone out. Never twice.
        const outcome = failed(
          entry,
          now,
          'unconfirmed',
          'the attempt was interrupted; it may not have arrived',
        );
        outcomes.push(outcome);
        deps.onEffectFailed?.(state.trackingCode, entry, outcome, undefined);
        continue;
      }
      // Nothing to send without a phone: no claim, no attempt.
      let phoneless: boolean;
      try {
        phoneless = entry.effect.kind === 'notify_reporter' && !(await report())?.contactPhone;
      } catch (error) {
        const outcome = outcomeOf(entry, error, now);
        outcomes.push(outcome);
        deps.onEffectFailed?.(state.trackingCode, entry, outcome, error);
        continue;
      }
      if (phoneless) {
        outcomes.push({ id: entry.id, kind: 'done', detail: { skipped: 'no_phone' } });
        continue;
      }
      // Claimed just before it is made: whoever claims first makes it; a copy of this run, none.
      const token = randomUUID();
      try {
        if (!(await deps.cases.claimEntry(state.trackingCode, entry, token))) continue;
      } catch (error) {
        // Not known to be ours: left as it is, for the sweeper to take up or report.
        deps.onEffectFailed?.(
          state.trackingCode,
          entry,
          { id: entry.id, kind: 'retry', attempts: entry.attempts, nextAt: entry.nextAt },
          error,
        );
        continue;
      }
      claimed.set(entry.id, token);
      attempt = { ...entry, attempts: entry.attempts + 1, inFlight: token };
    }
    try {
      const detail = await runEffect(state, entry.version, entry.effect, deps, report);
      outcomes.push({ id: entry.id, kind: 'done', ...(detail ? { detail } : {}) });
    } catch (error) {
      const outcome = outcomeOf(attempt, error, now);
      outcomes.push(outcome);
      deps.onEffectFailed?.(state.trackingCode, attempt, outcome, error);
    }
  }
  // A claim changed its entry; settle from what was written, not what was read.
  const seen: PendingEffects = {
    state,
    entries: pending.entries.map((e) => {
      const token = claimed.get(e.id);
      return token === undefined ? e : { ...e, attempts: e.attempts + 1, inFlight: token };
    }),
  };
  await deps.cases.settleEffects(seen, outcomes);
  return outcomes;
}
