/**
 * Photos of a case: the upload ids a report may name, where uploads and a case's photos are kept
 * in the photo bucket, what an upload may be (a JPEG, by its bytes, of bounded size), and the
 * removal of the location and camera metadata a JPEG can carry. Pure: the bucket is behind
 * shared/ports/photo-store.ts.
 *
 * Why JPEG only: the resident page and the console resize every photo in the browser and
 * re-encode it through a canvas as JPEG, so a PNG or WebP arriving means a client that skipped
 * that step; it is named and refused rather than stored unchecked. The sniffer still recognises
 * PNG and WebP so the refusal says what the file was.
 *
 * Why strip markers instead of re-encoding on the server: the canvas already dropped the EXIF of
 * the original, so what is left to catch is a client that did not use the canvas. Removing APP1
 * (EXIF, XMP), APP13 (IPTC/Photoshop), the other application segments and comments is a walk over
 * the segment headers before the scan, in microseconds and without a native image library in the
 * Lambda bundle; the compressed image data is copied untouched, so there is no second loss of
 * quality. What a JPEG needs to be shown — JFIF (APP0), an ICC colour profile (APP2) and Adobe's
 * colour transform (APP14) — is kept.
 */
import * as z from '../schema.ts';

/** Photos a resident may attach to one report. */
export const MAX_REPORT_PHOTOS = 3;

/**
 * The largest upload S3 accepts (the presigned POST's content-length-range). A 1600 px JPEG at
 * quality 0.8 is 0.2–0.8 MB; 4 MB leaves room for a detailed scene without admitting raw camera files.
 */
export const MAX_PHOTO_BYTES = 4 * 1024 * 1024;

/** How long a presigned upload form is good for: enough for a slow phone connection. */
export const PHOTO_UPLOAD_TTL_SECONDS = 10 * 60;

/** How long a presigned view URL in the case view is good for. */
export const PHOTO_VIEW_TTL_SECONDS = 5 * 60;

/** The content type the upload form must declare (the policy's `starts-with`). */
export const PHOTO_CONTENT_TYPE = 'image/jpeg';

/** An upload id: 16 random bytes, base64url (22 characters); names `uploads/<id>.jpg`. */
export const PhotoUploadId = z
  .string({ error: 'an upload id from POST /api/photo-uploads' })
  .check(z.regex(/^[A-Za-z0-9_-]{22}$/, 'an upload id from POST /api/photo-uploads'));
export type PhotoUploadId = z.infer<typeof PhotoUploadId>;

/** The photos a report names: up to three distinct upload ids. */
export const ReportPhotoIds = z.array(PhotoUploadId, { error: 'a list of upload ids' }).check(
  z.maxLength(MAX_REPORT_PHOTOS, `at most ${MAX_REPORT_PHOTOS} photos`),
  z.refine((ids) => new Set(ids).size === ids.length, 'the same photo twice'),
);

export const newPhotoUploadId = (randomBytes: (n: number) => Uint8Array): PhotoUploadId =>
  Buffer.from(randomBytes(16)).toString('base64url');

/** Where the browser uploads; the bucket's lifecycle deletes what is left here after a day. */
export const UPLOAD_PREFIX = 'uploads/';
export const CASE_PREFIX = 'cases/';

export const uploadKey = (uploadId: PhotoUploadId): string => `${UPLOAD_PREFIX}${uploadId}.jpg`;

/** Every photo of a case lives under this prefix, so the case's retention can delete them together. */
export const casePhotoPrefix = (trackingCode: string): string => `${CASE_PREFIX}${trackingCode}/`;

/** A resident's photo of a report: numbered in the order the report named them. */
export const residentPhotoKey = (trackingCode: string, index: number): string =>
  `${casePhotoPrefix(trackingCode)}resident-${index + 1}.jpg`;

/**
 * Who took a case photo: the resident with the report, or the unit as evidence of the problem
 * (`before`) and of its resolution (`after`, which the unit may mark public).
 */
export type PhotoSource = 'resident' | 'before' | 'after';
export const EvidenceKind = z.enum(['before', 'after'], { error: 'before or after' });
export type EvidenceKind = z.infer<typeof EvidenceKind>;

/** A unit's evidence photo, named by its upload id; a public one carries `public-` in its name. */
export const evidencePhotoKey = (
  trackingCode: string,
  kind: EvidenceKind,
  uploadId: PhotoUploadId,
  isPublic: boolean,
): string => `${casePhotoPrefix(trackingCode)}${isPublic ? 'public-' : ''}${kind}-${uploadId}.jpg`;

/**
 * Result photos one case may show the public: the resolve form offers three, and the case item
 * keeps their keys in a list that must stay small.
 */
export const MAX_PUBLIC_PHOTOS = 3;

/** How long the status page's redirect to a public photo is good for: the page is read at once. */
export const PUBLIC_PHOTO_TTL_SECONDS = 5 * 60;

/** A public result photo's key (only these may be shown to the public, whatever the case records). */
export const isPublicResultPhotoKey = (trackingCode: string, key: string): boolean =>
  key.startsWith(`${casePhotoPrefix(trackingCode)}public-after-`) &&
  describeCasePhotoKey(key)?.public === true;

export interface CasePhotoKey {
  source: PhotoSource;
  /** Resident photos: 1–3 in the report's order; evidence: its upload id orders it. */
  number: number;
  public: boolean;
}

/** What a case photo's key says about it. */
export function describeCasePhotoKey(key: string): CasePhotoKey | undefined {
  const resident = /\/resident-([1-9][0-9]*)\.jpg$/.exec(key);
  if (resident?.[1] !== undefined) return { source: 'resident', number: Number(resident[1]), public: false };
  const evidence = /\/(public-)?(before|after)-[A-Za-z0-9_-]{22}\.jpg$/.exec(key);
  const kind = evidence?.[2];
  if (kind !== 'before' && kind !== 'after') return undefined;
  return { source: kind, number: 0, public: evidence?.[1] !== undefined };
}

export type ImageType = 'image/jpeg' | 'image/png' | 'image/webp';

/** The image type by its first bytes (magic numbers), whatever the upload declared. */
export function sniffImageType(bytes: Uint8Array): ImageType | undefined {
  const starts = (...prefix: number[]) => prefix.every((b, i) => bytes[i] === b);
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  const ascii = (from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to));
  if (bytes.length >= 12 && ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'image/webp';
  return undefined;
}

/** Why an upload cannot be a case photo, in words for the field's error. */
export type PhotoProblem =
  | { kind: 'missing' }
  | { kind: 'too_large'; bytes: number }
  | { kind: 'not_jpeg'; detected: ImageType | undefined }
  | { kind: 'malformed' };

export function describePhotoProblem(problem: PhotoProblem): string {
  switch (problem.kind) {
    case 'missing':
      return 'no photo was uploaded with this id, or it expired (uploads are kept a day): upload it again';
    case 'too_large':
      return `the photo is ${problem.bytes} bytes; at most ${MAX_PHOTO_BYTES}`;
    case 'not_jpeg':
      return problem.detected === undefined
        ? 'the file is not an image: upload a JPEG photo'
        : `the file is a ${problem.detected.slice('image/'.length).toUpperCase()} image, not a JPEG: upload a JPEG photo`;
    case 'malformed':
      return 'the JPEG is damaged and cannot be shown: take the photo again';
  }
}

/**
 * What may be stored of an upload: the JPEG without its metadata, or the problem. The size is
 * checked again here (S3's policy bounds the upload; this holds for any other way in).
 */
export function checkPhoto(
  bytes: Uint8Array,
): { ok: true; bytes: Uint8Array } | { ok: false; problem: PhotoProblem } {
  if (bytes.length > MAX_PHOTO_BYTES)
    return { ok: false, problem: { kind: 'too_large', bytes: bytes.length } };
  const type = sniffImageType(bytes);
  if (type !== 'image/jpeg') return { ok: false, problem: { kind: 'not_jpeg', detected: type } };
  const stripped = stripJpegMetadata(bytes);
  return stripped === undefined
    ? { ok: false, problem: { kind: 'malformed' } }
    : { ok: true, bytes: stripped };
}

const SOI = 0xd8;
const SOS = 0xda;
const EOI = 0xd9;
const APP0 = 0xe0;
const APP2 = 0xe2;
const APP14 = 0xee;
const ICC_PROFILE = 'ICC_PROFILE\0';

/** A segment before the scan that is kept: JFIF, an ICC colour profile, Adobe's colour transform and every non-APP, non-comment marker. */
function keepsSegment(marker: number, payload: Uint8Array): boolean {
  if (marker === 0xfe) return false; // COM: free text, often the camera's or editor's
  if (marker < APP0 || marker > 0xef) return true; // tables, frame header, restart interval …
  if (marker === APP0 || marker === APP14) return true;
  if (marker === APP2) return String.fromCharCode(...payload.subarray(0, ICC_PROFILE.length)) === ICC_PROFILE;
  return false; // APP1 EXIF/XMP (GPS, camera, time), APP13 IPTC, vendors' APPn
}

/**
 * The JPEG with its metadata segments removed, the image data byte for byte; undefined when the
 * bytes are not a well-formed JPEG up to the start of the scan.
 */
export function stripJpegMetadata(bytes: Uint8Array): Uint8Array | undefined {
  if (bytes[0] !== 0xff || bytes[1] !== SOI) return undefined;
  const kept: Uint8Array[] = [bytes.subarray(0, 2)];
  let at = 2;
  while (at + 4 <= bytes.length) {
    if (bytes[at] !== 0xff) return undefined;
    const marker = bytes[at + 1] ?? 0;
    if (marker === 0xff) {
      at += 1; // fill byte
      continue;
    }
    if (marker === EOI) return undefined; // no image before the end
    const length = ((bytes[at + 2] ?? 0) << 8) | (bytes[at + 3] ?? 0);
    if (length < 2 || at + 2 + length > bytes.length) return undefined;
    const segment = bytes.subarray(at, at + 2 + length);
    if (marker === SOS) {
      // The scan and everything after it (entropy-coded data, further scans, EOI) as it is.
      kept.push(bytes.subarray(at));
      return concat(kept);
    }
    if (keepsSegment(marker, segment.subarray(4))) kept.push(segment);
    at += 2 + length;
  }
  return undefined;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
