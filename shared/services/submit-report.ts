/**
 * Intake: validate what the resident sent, give it a tracking code and queue it. Nothing is
 * stored before the queue has it, so a rejected or failed submission leaves no trace.
 */
import { type Channel, type ReportSubmitted, reportSubmissionAmong } from '../domain/report.ts';
import { hashReporterToken, newReporterToken } from '../domain/reporter-token.ts';
import { formatTrackingCode, generateTrackingCode } from '../domain/tracking-code.ts';
import type { DirectoryReader } from '../ports/directory.ts';
import type { IntakeQueue } from '../ports/intake-queue.ts';
import { parseOrThrow } from '../validation.ts';

export interface SubmitReportDeps {
  intake: IntakeQueue;
  /** The organisation: a report may name only a community it has (the ones the form offers). */
  directory: DirectoryReader;
  now: () => Date;
  randomBytes: (n: number) => Uint8Array;
  newId: () => string;
}

export interface SubmissionReceipt {
  trackingCode: string;
  status: 'received';
  statusUrl: string;
  /** Shown once: lets this reporter rate the outcome from the web. */
  reporterToken: string;
}

export async function submitReport(
  input: unknown,
  channel: Channel,
  deps: SubmitReportDeps,
): Promise<SubmissionReceipt> {
  const { communities } = await deps.directory.load();
  const submission = reportSubmissionAmong(new Set(communities.map((c) => c.id)));
  const report = parseOrThrow(submission, input, 'The report');
  const trackingCode = generateTrackingCode(deps.randomBytes);
  const reporterToken = newReporterToken(deps.randomBytes);
  const message: ReportSubmitted = {
    kind: 'report.submitted',
    trackingCode,
    submissionId: deps.newId(),
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
