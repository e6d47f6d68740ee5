/**
 * How long a reporter's personal data outlives their case, and what is left once it is gone.
 * Pure policy; shared/services/anonymise-reports.ts carries it out.
 *
 * The retention clock of a case starts when it last changed while done (closed, evaluated or
 * merged): a rating or a return visit restarts it, a reopening stops it (open cases are never
 * anonymised), and a case waiting for a return visit is left alone, because the grid worker
 * must still call the reporter. Once the retention period has run, the reporter's phone, the
 * address they typed, their description, the hash of their rating token and their rating
 * comment are removed, staff notes lose their text, the classifier's explanation (pieces of the
 * description) goes, and the location is coarsened to about 100 m. What remains is the case as a
 * record of work: its category, community, unit, stages, who acted and when, the score, and a
 * marker saying the text was removed.
 */
import type { CaseReport, CaseState, TimelineEvent } from './case.ts';
import { isOpen } from './case.ts';

export const DEFAULT_RETENTION_DAYS = 365;
/**
 * More than the longest rating window an admin can set (30 days): the rating token's hash must
 * outlive the window in which the reporter may rate. The upper bound catches a mistyped setting.
 */
export const MIN_RETENTION_DAYS = 31;
export const MAX_RETENTION_DAYS = 3650;

/** What staff read where the reporter's words were. */
export const ANONYMISED_DESCRIPTION = '（已按保存期限删除 · removed under the retention rule）';

const DAY_MS = 86_400_000;

/**
 * When the case's retention clock started, or undefined while it is not running: the case is
 * open, waits for a return visit, or was anonymised after its last change. (A case reopened and
 * closed again after it was anonymised has new notes; their clock runs like any other.)
 */
export function retentionClockStart(state: CaseState): string | undefined {
  if (isOpen(state.stage) || state.returnVisit?.status === 'pending') return undefined;
  if (state.anonymisedAt !== undefined && state.anonymisedAt >= state.updatedAt) return undefined;
  return state.updatedAt;
}

/** Cases whose clock started at or before this instant are due at `now`. */
export const retentionCutoff = (now: Date, retentionDays: number): string =>
  new Date(now.getTime() - retentionDays * DAY_MS).toISOString();

export function isDueForAnonymisation(state: CaseState, cutoff: string): boolean {
  const start = retentionClockStart(state);
  return start !== undefined && start <= cutoff;
}

/**
 * Three decimal places: about 110 m north–south and 90 m east–west at Pingyao's latitude. Still
 * the street or block the problem was on, no longer the door of the person who reported it.
 */
const coarsen = (degrees: number) => Math.round(degrees * 1000) / 1000;
export const coarsenLocation = (location: { lat: number; lng: number }) => ({
  lat: coarsen(location.lat),
  lng: coarsen(location.lng),
});

/**
 * The report as it is kept: only what is listed here survives (a field added to reports later is
 * dropped unless it is added here on purpose). Anonymising twice gives the same item.
 */
export function anonymisedReport(report: CaseReport, at: string): CaseReport {
  return {
    trackingCode: report.trackingCode,
    submissionId: report.submissionId,
    description: ANONYMISED_DESCRIPTION,
    ...(report.location ? { location: coarsenLocation(report.location) } : {}),
    anonymisedAt: report.anonymisedAt ?? at,
  };
}

/** What anonymising changes on the case itself; everything else on it stays as it is. */
export interface AnonymisedStateFields {
  timeline: TimelineEvent[];
  rating?: NonNullable<CaseState['rating']>;
  location?: NonNullable<CaseState['location']>;
  anonymisedAt: string;
  /**
   * Removed outright: the classifier's explanation quotes the resident's words (keywords, n-grams);
   * the public photos' keys name objects anonymisation deletes.
   */
  remove: ReadonlyArray<'classification' | 'publicPhotos'>;
}

export function anonymisedStateFields(state: CaseState, at: string): AnonymisedStateFields {
  const rating = state.rating ? { score: state.rating.score, at: state.rating.at } : undefined;
  return {
    // Notes are free text staff wrote about the case (a name, a number called): the events stay.
    timeline: state.timeline.map(({ note: _note, ...event }) => event),
    ...(rating ? { rating } : {}),
    ...(state.location ? { location: coarsenLocation(state.location) } : {}),
    anonymisedAt: at,
    remove: ['classification', 'publicPhotos'],
  };
}
