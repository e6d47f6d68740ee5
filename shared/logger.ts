/**
 * Structured JSON logs through Powertools. Callers log ids, codes and counts, never phone
 * numbers, names or report text; the local runtime silences it with POWERTOOLS_LOG_LEVEL.
 */
import { Logger } from '@aws-lambda-powertools/logger';

export const createLogger = (functionName: string): Logger =>
  new Logger({ serviceName: 'civicloop', persistentKeys: { fn: functionName } });

/** The fields of an outbox entry's failure a log may carry: ids and kinds, no personal data. */
export interface EffectFailure {
  trackingCode: string;
  entry: { id: string; effect: { kind: string }; attempts: number };
  outcome: { kind: string; notice?: { outcome: string } };
  error: unknown;
}

/**
 * Logs an effect that did not succeed. A parked one (retries spent) is logged as
 * `effect_parked` at error level: the stack's metric filter counts those and alarms.
 */
export function logEffectFailure(logger: Logger, failure: EffectFailure): void {
  const { trackingCode, entry, outcome, error } = failure;
  const fields = {
    trackingCode,
    entry: entry.id,
    effect: entry.effect.kind,
    attempts: entry.attempts,
    outcome: outcome.notice?.outcome ?? outcome.kind,
    error: error instanceof Error ? { name: error.name, message: error.message } : undefined,
  };
  if (outcome.notice?.outcome === 'parked')
    logger.error('effect_parked', { event: 'effect_parked', ...fields });
  else logger.warn('effect failed', { event: 'effect_failed', ...fields });
}
