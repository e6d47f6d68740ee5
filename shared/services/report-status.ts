/**
 * The public view of a report, for the resident holding its tracking code: where it is, who
 * has it and, once resolved, the answer staff wrote for the resident (shared/domain/public-resolution.ts).
 * Deliberately nothing the resident wrote, nothing about them and nothing about who worked on it.
 */

import type { Stage } from '../domain/case.ts';
import type { CategoryCode } from '../domain/categories.ts';
import { isPublicResultPhotoKey, PUBLIC_PHOTO_TTL_SECONDS } from '../domain/photos.ts';
import {
  type PublicResolution,
  publicPhotoPath,
  publicResolutionOf,
  publicResultPhotoKeysOf,
} from '../domain/public-resolution.ts';
import { formatTrackingCode, normaliseTrackingCode } from '../domain/tracking-code.ts';
import { NotFoundError } from '../errors.ts';
import type { CaseStore } from '../ports/case-store.ts';
import type { DirectoryReader } from '../ports/directory.ts';
import type { PhotoStore } from '../ports/photo-store.ts';

export interface PublicStatus {
  trackingCode: string;
  stage: Stage;
  category: CategoryCode;
  unit: { id: string; zh: string; en: string } | null;
  submittedAt: string;
  updatedAt: string;
  timeline: { stage: Stage; at: string }[];
  /** A merged report follows its original: the reporter sees where that one is. */
  mergedInto?: { trackingCode: string; stage: Stage };
  /** The resolve action's note, while the resolution stands; phone-like numbers masked. */
  resolution?: PublicResolution;
  /**
   * The result photos the unit chose to show, while the resolution stands: each a path on this
   * site that redirects to a short-lived URL of the photo (publicPhotoLocation).
   */
  photos?: { url: string }[];
  /** When the retention rule removed the reporter's phone, address and words from the case. */
  anonymisedAt?: string;
}

export interface ReportStatusDeps {
  cases: Pick<CaseStore, 'getCase'>;
  directory: DirectoryReader;
}

export async function getReportStatus(codeInput: string, deps: ReportStatusDeps): Promise<PublicStatus> {
  const code = normaliseTrackingCode(codeInput);
  const state = code === undefined ? undefined : await deps.cases.getCase(code);
  if (!code || !state) {
    throw new NotFoundError(
      'No report has this tracking code. Check the code; a report submitted seconds ago may take a moment to appear.',
    );
  }
  const org = await deps.directory.load();
  const unit = org.units.find((u) => u.id === state.unitId);
  const original = state.mergedInto ? await deps.cases.getCase(state.mergedInto) : undefined;
  const resolution = publicResolutionOf(state);
  const photos = publicResultPhotoKeysOf(state).map((_key, index) => ({
    url: publicPhotoPath(code, index + 1),
  }));
  return {
    trackingCode: formatTrackingCode(code),
    stage: state.stage,
    category: state.category,
    unit: unit ? { id: unit.id, zh: unit.zh, en: unit.en } : null,
    submittedAt: state.submittedAt,
    updatedAt: state.updatedAt,
    timeline: state.timeline.map(({ stage, at }) => ({ stage, at })),
    ...(original
      ? { mergedInto: { trackingCode: formatTrackingCode(original.trackingCode), stage: original.stage } }
      : {}),
    ...(resolution ? { resolution } : {}),
    ...(photos.length > 0 ? { photos } : {}),
    ...(state.anonymisedAt ? { anonymisedAt: state.anonymisedAt } : {}),
  };
}

export interface PublicPhotoDeps {
  cases: Pick<CaseStore, 'getCase'>;
  photos: Pick<PhotoStore, 'presignView'>;
}

/**
 * GET /photos/{trackingCode}/{n}: a fresh presigned URL of the case's `n`th public result photo,
 * while the resolution stands; otherwise (no such case, photo or number, a rejected or reopened
 * resolution, an anonymised case) not found. Only keys of public result photos are ever signed.
 */
export async function publicPhotoLocation(
  codeInput: string,
  numberInput: string,
  deps: PublicPhotoDeps,
): Promise<{ url: string; expiresInSeconds: number }> {
  const code = normaliseTrackingCode(codeInput);
  const n = /^[1-9][0-9]?$/.test(numberInput) ? Number(numberInput) : undefined;
  const state = code === undefined || n === undefined ? undefined : await deps.cases.getCase(code);
  const key = state && n !== undefined ? publicResultPhotoKeysOf(state)[n - 1] : undefined;
  if (!state || key === undefined || !isPublicResultPhotoKey(state.trackingCode, key)) {
    throw new NotFoundError('This report shows no such photo');
  }
  return {
    url: await deps.photos.presignView(key, PUBLIC_PHOTO_TTL_SECONDS),
    expiresInSeconds: PUBLIC_PHOTO_TTL_SECONDS,
  };
}
