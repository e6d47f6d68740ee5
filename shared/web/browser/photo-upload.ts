/**
 * A photo on its way to the photo bucket, in the browser, for the resident page and the console
 * alike: the picture resized (longest side 1600 px) and re-encoded through a canvas as JPEG at
 * quality 0.8 — which also leaves the camera's EXIF (GPS position, camera, time) behind — then
 * posted straight to S3 with the presigned form from POST /api/photo-uploads. What it answers is
 * the upload id a report or an evidence photo names; the server checks the photo again.
 * ES2017 and DOM only: both pages' bundles include it.
 */

const LONGEST_SIDE = 1600;
const QUALITY = 0.8;

interface Ticket {
  uploadId: string;
  url: string;
  fields: Record<string, string>;
}

const isTicket = (value: unknown): value is Ticket =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as { uploadId?: unknown }).uploadId === 'string' &&
  typeof (value as { url?: unknown }).url === 'string' &&
  typeof (value as { fields?: unknown }).fields === 'object';

/** The picture drawn no larger than LONGEST_SIDE, as a JPEG; rejects what is not an image. */
export function resizedJpeg(file: File): Promise<Blob> {
  return new Promise((resolve, reject) => {
    const url = URL.createObjectURL(file);
    const image = new Image();
    image.onload = () => {
      URL.revokeObjectURL(url);
      const scale = Math.min(1, LONGEST_SIDE / Math.max(image.naturalWidth, image.naturalHeight));
      const canvas = document.createElement('canvas');
      canvas.width = Math.max(1, Math.round(image.naturalWidth * scale));
      canvas.height = Math.max(1, Math.round(image.naturalHeight * scale));
      const context = canvas.getContext('2d');
      if (!context) {
        reject(new Error('no canvas'));
        return;
      }
      context.drawImage(image, 0, 0, canvas.width, canvas.height);
      canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('no JPEG'))), 'image/jpeg', QUALITY);
    };
    image.onerror = () => {
      URL.revokeObjectURL(url);
      reject(new Error('not an image'));
    };
    image.src = url;
  });
}

/** Posts the JPEG to S3 through a fresh presigned form; answers its upload id. */
export async function uploadPhoto(blob: Blob): Promise<string> {
  const presign = await fetch('/api/photo-uploads', { method: 'POST', credentials: 'same-origin' });
  const ticket: unknown = await presign.json();
  if (presign.status !== 201 || !isTicket(ticket)) throw new Error('no upload form');
  const form = new FormData();
  for (const name of Object.keys(ticket.fields)) form.append(name, ticket.fields[name] ?? '');
  form.append('file', blob, 'photo.jpg');
  const stored = await fetch(ticket.url, { method: 'POST', body: form });
  if (!stored.ok) throw new Error(`upload refused (${stored.status})`);
  return ticket.uploadId;
}

/** What became of a chosen photo: its upload id, or the step that failed. */
export type PhotoOutcome = { uploadId: string } | { problem: 'not_image' | 'upload_failed' };

/**
 * Resizes and uploads one chosen photo; never rejects. `resized` runs between the two steps (the
 * resident page shows the preview and says "uploading" then).
 */
export function resizeAndUpload(file: File, resized?: (blob: Blob) => void): Promise<PhotoOutcome> {
  return resizedJpeg(file).then(
    (blob) => {
      if (resized) resized(blob);
      return uploadPhoto(blob).then(
        (uploadId): PhotoOutcome => ({ uploadId }),
        (): PhotoOutcome => ({ problem: 'upload_failed' }),
      );
    },
    (): PhotoOutcome => ({ problem: 'not_image' }),
  );
}
