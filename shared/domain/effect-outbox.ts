/**
 * The outbox of a case: each effect a transition triggers is an entry of its own, attempted on
 * its own, with its own attempt count and time of next attempt. Pure policy: when an entry is
 * due, how long a failing one backs off, when it is parked for a person to look at, and which
 * effects may run at most once (a text message cannot be taken back, and SMS providers offer no
 * idempotency key, so an attempt whose outcome is unknown is never repeated).
 */
import * as z from '../schema.ts';
import type { CaseNotice } from './case.ts';
import { Effect } from './case-lifecycle.ts';

export const OutboxEntry = z.object({
  /** `v<version>e<index>`: unique on the case, stable across retries. */
  id: z.string().check(z.regex(/^v\d+e\d+$/, 'must be an outbox entry id such as v3e0')),
  version: z.int().check(z.positive()),
  effect: Effect,
  /** Attempts started so far. */
  attempts: z.int().check(z.nonnegative()),
  /** When the sweeper may next attempt it. */
  nextAt: z.iso.datetime(),
  /** The claim token of an at-most-once attempt that started and has no recorded outcome yet. */
  inFlight: z.optional(z.string()),
});
export type OutboxEntry = z.infer<typeof OutboxEntry>;

export type EffectOutcome =
  | { id: string; kind: 'done'; detail?: Record<string, unknown> }
  | { id: string; kind: 'retry'; attempts: number; nextAt: string }
  | { id: string; kind: 'failed'; notice: CaseNotice };

/** The writer runs its effects at once; the sweeper only takes an entry this long after. */
export const OUTBOX_GRACE_MS = 60_000;
const BACKOFF_BASE_MS = 60_000;
const BACKOFF_MAX_MS = 3_600_000;
/** About three hours of retries (1, 2, 4 … 60 minutes), then a person has to look. */
export const MAX_ATTEMPTS = 8;

/** Effects whose repetition a person would notice: never attempted twice without a definite failure. */
export const atMostOnce = (effect: Effect): boolean => effect.kind === 'notify_reporter';

export const outboxEntryId = (version: number, index: number) => `v${version}e${index}`;

/**
 * The entries a transition to `version` writes with itself; its writer makes attempt 1 of each
 * right away. An at-most-once entry counts an attempt only when one is claimed, just before it is
 * made, so a writer that dies before getting that far leaves it to the sweeper, not lost.
 */
export function newOutboxEntries(version: number, effects: readonly Effect[], now: Date): OutboxEntry[] {
  const nextAt = new Date(now.getTime() + OUTBOX_GRACE_MS).toISOString();
  return effects.map((effect, index) => ({
    id: outboxEntryId(version, index),
    version,
    effect,
    attempts: atMostOnce(effect) ? 0 : 1,
    nextAt,
  }));
}

/** After a transient failure: back off, or park once the attempts are spent. */
export function afterTransientFailure(entry: OutboxEntry, now: Date, message: string): EffectOutcome {
  if (entry.attempts >= MAX_ATTEMPTS) {
    return {
      id: entry.id,
      kind: 'failed',
      notice: { at: now.toISOString(), effect: entry.effect.kind, outcome: 'parked', message },
    };
  }
  const delay = Math.min(BACKOFF_BASE_MS * 2 ** (entry.attempts - 1), BACKOFF_MAX_MS);
  return {
    id: entry.id,
    kind: 'retry',
    attempts: entry.attempts,
    nextAt: new Date(now.getTime() + delay).toISOString(),
  };
}

/** The outbox index's sort key: the earliest time anything on the case is due, or none. */
export function outboxDueAt(entries: readonly OutboxEntry[]): string | undefined {
  let due: string | undefined;
  for (const entry of entries) if (due === undefined || entry.nextAt < due) due = entry.nextAt;
  return due;
}

/** The entries left once `outcomes` are applied (retried ones with their new schedule). */
export function remainingEntries(
  entries: readonly OutboxEntry[],
  outcomes: readonly EffectOutcome[],
): OutboxEntry[] {
  const byId = new Map(outcomes.map((o) => [o.id, o]));
  return entries.flatMap((entry) => {
    const outcome = byId.get(entry.id);
    if (!outcome) return [entry];
    if (outcome.kind !== 'retry') return [];
    const { inFlight: _attemptEnded, ...rest } = entry;
    return [{ ...rest, attempts: outcome.attempts, nextAt: outcome.nextAt }];
  });
}
