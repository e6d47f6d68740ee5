/**
 * Residents' photos: the upload form a browser gets for each photo, the check of what arrived
 * before a report may refer to it, and the case's photos for staff.
 *
 * A report names its photos by upload id. Before the report is queued, each upload is read back
 * and must be a JPEG by its bytes (whatever it was declared as) within the size limit; its
 * metadata is stripped (shared/domain/photos.ts) and it is written to the case's prefix under the
 * tracking code, and the upload is deleted. All photos are checked before any is written, so a
 * refused photo leaves the case with none, and the report is queued only after its photos are
 * where the case view finds them. A retry of the same submission finds the upload gone and the
 * case's photo already there, and goes on. A report without photos does none of this.
 */
import * as z from 'zod';
import {
  casePhotoPrefix,
  checkPhoto,
  describeCasePhotoKey,
  describePhotoProblem,
  MAX_PHOTO_BYTES,
  newPhotoUploadId,
  PHOTO_UPLOAD_TTL_SECONDS,
  PHOTO_VIEW_TTL_SECONDS,
  type PhotoSource,
  type PhotoUploadId,
  ReportPhotoIds,
  residentPhotoKey,
  uploadKey,
} from '../domain/photos.ts';
import { type FieldIssue, ValidationError } from '../errors.ts';
import type { PhotoStore, PhotoUploadForm } from '../ports/photo-store.ts';
import { parseOrThrow } from '../validation.ts';

export interface PhotoUploadTicket extends PhotoUploadForm {
  /** What the report names the photo by. */
  uploadId: PhotoUploadId;
  maxBytes: number;
  expiresInSeconds: number;
}

/** A presigned form for one photo, under a fresh random key in `uploads/`. */
export async function issuePhotoUpload(deps: {
  photos: PhotoStore;
  randomBytes: (n: number) => Uint8Array;
}): Promise<PhotoUploadTicket> {
  const uploadId = newPhotoUploadId(deps.randomBytes);
  const form = await deps.photos.presignUpload(uploadKey(uploadId));
  return { uploadId, ...form, maxBytes: MAX_PHOTO_BYTES, expiresInSeconds: PHOTO_UPLOAD_TTL_SECONDS };
}

/** The `photos` of a submission body (absent: none); a 400 naming `photos` when malformed. */
export function reportPhotoIdsOf(body: unknown): PhotoUploadId[] {
  const photos = typeof body === 'object' && body !== null && 'photos' in body ? body.photos : undefined;
  if (photos === undefined) return [];
  return parseOrThrow(ReportPhotosField, { photos }, 'The report').photos;
}

const ReportPhotosField = z.object({ photos: ReportPhotoIds });

/**
 * Checks the named uploads and moves them, stripped, to the case's photos (`trackingCode` as
 * stored, without dashes). Throws a ValidationError naming `photos.<n>` for each one refused.
 */
export async function attachReportPhotos(
  trackingCode: string,
  uploadIds: readonly PhotoUploadId[],
  photos: PhotoStore,
): Promise<void> {
  if (uploadIds.length === 0) return;
  const checked = await Promise.all(
    uploadIds.map(async (uploadId, index) => {
      const target = residentPhotoKey(trackingCode, index);
      const read = await photos.read(uploadKey(uploadId), MAX_PHOTO_BYTES);
      if (read === undefined) {
        // A retry of a submission whose photos were already moved.
        if (await photos.exists(target)) return { index, uploadId, target, bytes: undefined };
        return { index, issue: describePhotoProblem({ kind: 'missing' }) };
      }
      if ('tooLarge' in read) {
        return { index, issue: describePhotoProblem({ kind: 'too_large', bytes: read.tooLarge }) };
      }
      const result = checkPhoto(read.bytes);
      if (!result.ok) return { index, issue: describePhotoProblem(result.problem) };
      return { index, uploadId, target, bytes: result.bytes };
    }),
  );
  const issues: FieldIssue[] = checked.flatMap((c) =>
    'issue' in c && c.issue !== undefined ? [{ path: `photos.${c.index}`, message: c.issue }] : [],
  );
  if (issues.length > 0) {
    throw new ValidationError(
      `The photos: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
      issues,
    );
  }
  await Promise.all(
    checked.map(async (c) => {
      if (!('target' in c) || c.bytes === undefined) return;
      await photos.put(c.target, c.bytes);
      await photos.delete(uploadKey(c.uploadId));
    }),
  );
}

export interface CasePhoto {
  source: PhotoSource;
  number: number;
  /** A presigned GET, good for `expiresInSeconds`. */
  url: string;
  expiresInSeconds: number;
}

/** A case's photos for staff who may see the case, with short-lived URLs. */
export async function casePhotos(trackingCode: string, photos: PhotoStore): Promise<CasePhoto[]> {
  const keys = await photos.list(casePhotoPrefix(trackingCode));
  const described = keys.flatMap((key) => {
    const about = describeCasePhotoKey(key);
    return about === undefined ? [] : [{ key, ...about }];
  });
  return Promise.all(
    described.map(async ({ key, source, number }) => ({
      source,
      number,
      url: await photos.presignView(key, PHOTO_VIEW_TTL_SECONDS),
      expiresInSeconds: PHOTO_VIEW_TTL_SECONDS,
    })),
  );
}
