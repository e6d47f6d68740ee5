/**
 * Intake: validate what the resident sent, give it a tracking code and queue it. Nothing is
 * stored before the queue has it, so a rejected or failed submission leaves no trace. With an
 * `Idempotency-Key`, the tracking code and reporter token are derived from the key (see
 * submission-identity.ts): a retry — after a timeout, a lost answer, a crash — gets the same
 * receipt and queues the same submission again, which the router recognises, so one report is
 * always one case. The only thing written is the key's hash with the body's, to refuse the same
 * key with another body.
 */
import {
  type Channel,
  type ReportSubmission,
  type ReportSubmitted,
  reportSubmissionAmong,
} from '../domain/report.ts';
import { hashReporterToken, newReporterToken } from '../domain/reporter-token.ts';
import {
  IdempotencyKey,
  idempotencyKeyHash,
  keyedSubmission,
  payloadFingerprint,
  type SubmissionIdentity,
} from '../domain/submission-identity.ts';
import { formatTrackingCode, generateTrackingCode } from '../domain/tracking-code.ts';
import { IdempotencyConflictError, ValidationError } from '../errors.ts';
import type { DirectoryReader } from '../ports/directory.ts';
import type { IntakeQueue } from '../ports/intake-queue.ts';
import type { PhotoStore } from '../ports/photo-store.ts';
import type { SubmissionLedger } from '../ports/submission-ledger.ts';
import { parseOrThrow } from '../validation.ts';
import { attachReportPhotos, reportPhotoIdsOf } from './report-photos.ts';

export interface SubmitReportDeps {
  intake: IntakeQueue;
  /** Where keyed submissions are recorded; a submission without a key writes nothing. */
  ledger: SubmissionLedger;
  /** The organisation: a report may name only a community it has (the ones the form offers). */
  directory: DirectoryReader;
  now: () => Date;
  randomBytes: (n: number) => Uint8Array;
  newId: () => string;
  /** The photo bucket; only a report that names photos reads or writes it. */
  photos?: PhotoStore;
}

/** What queueing an already validated report needs: everything but the directory. */
export type QueueReportDeps = Omit<SubmitReportDeps, 'directory'>;

export interface SubmissionReceipt {
  trackingCode: string;
  status: 'received';
  statusUrl: string;
  /** Shown once: lets this reporter rate the outcome from the web. */
  reporterToken: string;
}

/** How a request identified itself for retries: its key, and the raw body the key goes with. */
export interface Idempotency {
  key: string;
  body: string;
}

export async function submitReport(
  input: unknown,
  channel: Channel,
  deps: SubmitReportDeps,
  idempotency?: Idempotency,
): Promise<SubmissionReceipt> {
  if (idempotency && !IdempotencyKey.safeParse(idempotency.key).success) {
    const message = IdempotencyKey.safeParse(idempotency.key).error?.issues[0]?.message ?? 'not a usable key';
    throw new ValidationError(`The Idempotency-Key header: ${message}`, [
      { path: 'Idempotency-Key', message },
    ]);
  }
  const { communities } = await deps.directory.load();
  const submission = reportSubmissionAmong(new Set(communities.map((c) => c.id)));
  const [report, photoIds] = bothOrAllIssues(
    () => parseOrThrow(submission, input, 'The report'),
    () => reportPhotoIdsOf(input),
  );
  const { photos } = deps;
  if (photoIds.length === 0 || photos === undefined) {
    if (photoIds.length > 0) {
      throw new ValidationError('The report: photos are not taken here', [
        { path: 'photos', message: 'photos are not taken here' },
      ]);
    }
    return queueReport(report, channel, deps, idempotency);
  }
  // Checked and moved under the tracking code before the report is queued (report-photos.ts).
  return queueReport(report, channel, deps, idempotency, (trackingCode) =>
    attachReportPhotos(trackingCode, photoIds, photos),
  );
}

/** Both values, or one ValidationError naming the issues of both. */
function bothOrAllIssues<A, B>(a: () => A, b: () => B): [A, B] {
  const results = [attempt(a), attempt(b)] as const;
  const [ra, rb] = results;
  if (ra.ok && rb.ok) return [ra.value, rb.value];
  const errors = results.flatMap((r) => (r.ok ? [] : [r.error]));
  if (errors.length === 1) throw errors[0];
  throw new ValidationError(
    errors.map((e) => e.message).join('; '),
    errors.flatMap((e) => e.issues),
  );
}

function attempt<T>(run: () => T): { ok: true; value: T } | { ok: false; error: ValidationError } {
  try {
    return { ok: true, value: run() };
  } catch (error) {
    if (error instanceof ValidationError) return { ok: false, error };
    throw error;
  }
}

/**
 * Queues a report already validated (and placed) by its channel: the receipt derived from the key
 * when there is one (recorded in the ledger), fresh otherwise. The Open311 intake uses it too, so
 * a partner's request is queued exactly as a resident's.
 */
export async function queueReport(
  report: ReportSubmission,
  channel: Channel,
  deps: QueueReportDeps,
  idempotency?: Idempotency,
  /** Runs with the tracking code before the report is queued (a web report's photos); throws to refuse it. */
  beforeQueue?: (trackingCode: string) => Promise<void>,
): Promise<SubmissionReceipt> {
  const { trackingCode, reporterToken, submissionId } = idempotency
    ? await keyed(idempotency, deps)
    : fresh(deps);
  await beforeQueue?.(trackingCode);
  const message: ReportSubmitted = {
    kind: 'report.submitted',
    trackingCode,
    submissionId,
    submittedAt: deps.now().toISOString(),
    channel,
    report,
    reporterTokenHash: hashReporterToken(reporterToken),
  };
  await deps.intake.enqueue(message);
  return {
    trackingCode: formatTrackingCode(trackingCode),
    status: 'received',
    statusUrl: `/api/reports/${trackingCode}`,
    reporterToken,
  };
}

/** A keyed submission: recorded (refused if the key came with another body), its identity derived. */
async function keyed({ key, body }: Idempotency, deps: QueueReportDeps): Promise<SubmissionIdentity> {
  const fingerprint = payloadFingerprint(body);
  if ((await deps.ledger.record(idempotencyKeyHash(key), fingerprint, deps.now())) === 'conflict') {
    throw new IdempotencyConflictError('This Idempotency-Key was already used with a different request body');
  }
  return keyedSubmission(key, fingerprint);
}

const fresh = (deps: QueueReportDeps): SubmissionIdentity => ({
  trackingCode: generateTrackingCode(deps.randomBytes),
  reporterToken: newReporterToken(deps.randomBytes),
  submissionId: deps.newId(),
});
