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
import {
  casePhotoPrefix,
  checkPhoto,
  describeCasePhotoKey,
  describePhotoProblem,
  EvidenceKind,
  evidencePhotoKey,
  MAX_PHOTO_BYTES,
  MAX_PUBLIC_PHOTOS,
  newPhotoUploadId,
  PHOTO_UPLOAD_TTL_SECONDS,
  PHOTO_VIEW_TTL_SECONDS,
  type PhotoProblem,
  type PhotoSource,
  PhotoUploadId,
  ReportPhotoIds,
  residentPhotoKey,
  uploadKey,
} from '../domain/photos.ts';
import { type FieldIssue, ForbiddenError, ValidationError } from '../errors.ts';
import type { PublicPhotoRecorder } from '../ports/case-store.ts';
import type { PhotoStore, PhotoUploadForm } from '../ports/photo-store.ts';
import * as z from '../schema.ts';
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
  /** A result photo the unit chose to show on the public status. */
  public: boolean;
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
    described.map(async ({ key, source, number, public: isPublic }) => ({
      source,
      number,
      public: isPublic,
      url: await photos.presignView(key, PHOTO_VIEW_TTL_SECONDS),
      expiresInSeconds: PHOTO_VIEW_TTL_SECONDS,
    })),
  );
}

/** POST /api/cases/{id}/photos: one uploaded photo as the unit's evidence. */
export const EvidencePhotoRequest = z
  .object({
    uploadId: PhotoUploadId,
    kind: EvidenceKind,
    public: z.optional(z.boolean({ error: 'true or false' })),
  })
  .check(
    z.refine((r) => !(r.public === true && r.kind === 'before'), {
      path: ['public'],
      message: 'only a result photo (after) can be shown to the public',
    }),
  );

/** The actions that mean the caller's unit is working the case now (the handler's). */
const WORKING_ACTIONS: readonly string[] = ['accept', 'resolve'];

/**
 * The unit working the case attaches a photo of the problem (`before`) or of its resolution
 * (`after`, optionally public), checked and stripped as a resident's. `allowedActions` are the
 * caller's on the case now (the case view's): only a caller who may accept or resolve it attaches.
 * A public photo is stored first and then recorded on the case (idempotent, so a retry completes
 * it); the public status shows the recorded ones while the resolution stands. A fourth public
 * photo is a 400 naming `public`, and its object is deleted again.
 */
export async function attachEvidencePhoto(
  trackingCode: string,
  allowedActions: readonly string[],
  body: unknown,
  photos: PhotoStore,
  cases: PublicPhotoRecorder,
): Promise<CasePhoto[]> {
  if (!allowedActions.some((a) => WORKING_ACTIONS.includes(a))) {
    throw new ForbiddenError('Only the unit working the case attaches evidence photos, while it works it');
  }
  const request = parseOrThrow(EvidencePhotoRequest, body, 'The evidence photo');
  const read = await photos.read(uploadKey(request.uploadId), MAX_PHOTO_BYTES);
  const checked = read !== undefined && !('tooLarge' in read) ? checkPhoto(read.bytes) : undefined;
  if (!checked?.ok) {
    const problem: PhotoProblem =
      read === undefined
        ? { kind: 'missing' }
        : 'tooLarge' in read
          ? { kind: 'too_large', bytes: read.tooLarge }
          : checked && !checked.ok
            ? checked.problem
            : { kind: 'malformed' };
    const message = describePhotoProblem(problem);
    throw new ValidationError(`The evidence photo: uploadId: ${message}`, [{ path: 'uploadId', message }]);
  }
  const key = evidencePhotoKey(trackingCode, request.kind, request.uploadId, request.public === true);
  await photos.put(key, checked.bytes);
  if (request.public === true) {
    const recorded = await cases.recordPublicPhoto(trackingCode, key, MAX_PUBLIC_PHOTOS);
    if (recorded === 'full') {
      await photos.delete(key);
      const message = `at most ${MAX_PUBLIC_PHOTOS} photos of a case are shown to the public`;
      throw new ValidationError(`The evidence photo: public: ${message}`, [{ path: 'public', message }]);
    }
  }
  await photos.delete(uploadKey(request.uploadId));
  return casePhotos(trackingCode, photos);
}
