/**
 * Runs what a case transition triggers — delivery to a unit's queue, the county centre's
 * escalation notice, linking a merged duplicate, the statistics — and then clears them from the
 * case's outbox. Each effect is safe to repeat: queue consumers dedupe on tracking code +
 * version, links and statistics are set memberships. If this is interrupted, the effects stay in
 * the outbox and the sweeper runs them again.
 */
import type { CaseEscalated, CaseState } from '../domain/case.ts';
import type { Effect } from '../domain/case-lifecycle.ts';
import { renderSmsReply } from '../domain/sms/sms-replies.ts';
import type { CaseStore, PendingEffects } from '../ports/case-store.ts';
import type { DirectoryReader } from '../ports/directory.ts';
import type { DispatchQueue } from '../ports/dispatch-queue.ts';
import type { SmsSender } from '../ports/sms-sender.ts';
import type { NotificationLog } from '../ports/sms-state.ts';
import type { StatsStore } from '../ports/stats-store.ts';

export interface CaseEffectsDeps {
  cases: Pick<CaseStore, 'getReport' | 'linkDuplicate' | 'clearEffects'>;
  dispatch: DispatchQueue;
  stats: StatsStore;
  directory: DirectoryReader;
  sender: SmsSender;
  notifications: NotificationLog;
  countyCentreUnitId: string;
  now: () => Date;
}

async function runEffect(
  state: CaseState,
  version: number,
  effect: Effect,
  deps: CaseEffectsDeps,
): Promise<void> {
  switch (effect.kind) {
    case 'dispatch': {
      const report = await deps.cases.getReport(state.trackingCode);
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
        description: report?.description ?? '',
        address: report?.address,
        location: report?.location,
        hasContactPhone: report?.contactPhone !== undefined,
        submittedAt: state.submittedAt,
        dispatchedAt: deps.now().toISOString(),
      });
      return;
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
      return;
    }
    case 'link_duplicate':
      await deps.cases.linkDuplicate(effect.into, state.trackingCode);
      return;
    case 'stats':
      await deps.stats.record({
        ...effect,
        trackingCode: state.trackingCode,
        communityId: state.communityId,
        category: state.category,
      });
      return;
    case 'notify_reporter': {
      // Sent, then logged: a crash in between may repeat one text, never lose it.
      const key = `${state.trackingCode}#${version}#${effect.stage}`;
      if (await deps.notifications.alreadySent(key)) return;
      const report = await deps.cases.getReport(state.trackingCode);
      if (!report?.contactPhone) return;
      const unit = (await deps.directory.load()).units.find((u) => u.id === state.unitId);
      const sent = await deps.sender.send({
        to: report.contactPhone,
        body: renderSmsReply(
          { kind: 'case_update', code: state.trackingCode, stage: effect.stage, unitZh: unit?.zh },
          'zh',
        ),
        purpose: 'notification',
        correlationId: key,
      });
      await deps.notifications.recordSent(key, deps.now().toISOString(), sent);
      return;
    }
    default: {
      const unhandled: never = effect;
      throw new Error(`no runner for effect ${JSON.stringify(unhandled)}`);
    }
  }
}

/** Runs the effects of `version` and clears them; throws (leaving them pending) if one fails. */
export async function runEffects(
  state: CaseState,
  version: number,
  effects: Effect[],
  deps: CaseEffectsDeps,
): Promise<void> {
  for (const effect of effects) await runEffect(state, version, effect, deps);
  await deps.cases.clearEffects(state.trackingCode, version);
}

/** Runs every pending version's effects in version order, so counters never see a change twice out of order. */
export async function runPending(
  state: CaseState,
  pending: PendingEffects[],
  deps: CaseEffectsDeps,
): Promise<void> {
  for (const entry of [...pending].sort((a, b) => a.version - b.version)) {
    await runEffects(state, entry.version, entry.effects, deps);
  }
}
