/**
 * The API's JSON answers as the page reads them, narrowed from `unknown`: only what the page
 * shows, and whatever else an answer carries is ignored. An answer that does not fit is treated
 * like a failed request. The server's side: SubmissionReceipt (shared/services/submit-report.ts),
 * the error envelope (shared/http/responses.ts), PublicStatus (shared/services/report-status.ts).
 */

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isString = (value: unknown): value is string => typeof value === 'string';

/** A 2xx answer to a submission: the tracking code and, shown this once, the rating key. */
export interface Receipt {
  trackingCode: string;
  reporterToken: string | undefined;
}

export function receiptOf(answer: unknown): Receipt | undefined {
  if (!isRecord(answer) || !isString(answer.trackingCode) || answer.trackingCode === '') return undefined;
  return {
    trackingCode: answer.trackingCode,
    reporterToken: isString(answer.reporterToken) ? answer.reporterToken : undefined,
  };
}

/** The paths of a 400 answer's field issues; undefined when the answer is not the error envelope. */
export function issuePathsOf(answer: unknown): string[] | undefined {
  if (!isRecord(answer) || !isRecord(answer.error)) return undefined;
  const issues = Array.isArray(answer.error.issues) ? answer.error.issues : [];
  return issues.map((issue) => (isRecord(issue) && isString(issue.path) ? issue.path : ''));
}

/** The public status of a report; stages as text, so one the page has no name for still shows. */
export interface ReportStatus {
  trackingCode: string;
  stage: string;
  category: string;
  unit: { zh: string; en: string } | null;
  timeline: { stage: string; at: string }[];
  /** What staff answered, once resolved and while that stands. */
  resolution: { note: string; at: string } | undefined;
  /** The result photos shown to the public: same-site paths redirecting to the photo. */
  photos: string[];
}

const isUnit = (value: unknown): value is { zh: string; en: string } =>
  isRecord(value) && isString(value.zh) && isString(value.en);

const isStep = (value: unknown): value is { stage: string; at: string } =>
  isRecord(value) && isString(value.stage) && isString(value.at);

const isResolution = (value: unknown): value is { note: string; at: string } =>
  isRecord(value) && isString(value.note) && isString(value.at);

/** Only paths on this site (/photos/…): an answer never makes the page load from elsewhere. */
const photoPathsOf = (value: unknown): string[] =>
  Array.isArray(value)
    ? value
        .map((photo) => (isRecord(photo) && isString(photo.url) ? photo.url : ''))
        .filter((url) => /^\/photos\/[A-Za-z0-9-]+\/[1-9][0-9]?$/.test(url))
    : [];

export function reportStatusOf(answer: unknown): ReportStatus | undefined {
  if (!isRecord(answer)) return undefined;
  const { trackingCode, stage, category, unit, timeline = [], resolution, photos } = answer;
  if (!isString(trackingCode) || !isString(stage) || !isString(category)) return undefined;
  if (unit !== null && unit !== undefined && !isUnit(unit)) return undefined;
  if (!Array.isArray(timeline) || !timeline.every(isStep)) return undefined;
  return {
    trackingCode,
    stage,
    category,
    unit: unit ?? null,
    timeline,
    resolution: isResolution(resolution) ? resolution : undefined,
    photos: photoPathsOf(photos),
  };
}
