/**
 * The report form's photos, where JavaScript runs: up to three pictures chosen from the phone,
 * each resized in the browser (longest side 1600 px) and re-encoded through a canvas as JPEG at
 * quality 0.8 — which also leaves the camera's EXIF (GPS position, camera, time) behind — then
 * posted straight to S3 with the presigned form from POST /api/photo-uploads. The report names
 * the upload ids; the server checks each photo again before the case refers to it.
 */
import type { PhotoStrings } from '../photo-text.ts';
import { byId, element } from './dom.ts';

const MAX_PHOTOS = 3;
const LONGEST_SIDE = 1600;
const QUALITY = 0.8;

interface Ticket {
  uploadId: string;
  url: string;
  fields: Record<string, string>;
}

interface PhotoEntry {
  row: HTMLLIElement;
  status: HTMLSpanElement;
  uploadId?: string;
  busy: boolean;
}

export interface ReportPhotos {
  /** The upload ids of the photos uploaded, in the order chosen. */
  uploadIds(): string[];
  /** Whether a photo is still being prepared or uploaded. */
  busy(): boolean;
  /** Marks the photo at `index` of the last sent list as refused by the server. */
  refuse(index: number): void;
  /** Shows a message under the field (empty: none). */
  setError(message: string): void;
  /** True (and says so under the field) while a photo is still on its way: the report waits. */
  holdSubmit(): boolean;
  reset(): void;
}

const isTicket = (value: unknown): value is Ticket =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as { uploadId?: unknown }).uploadId === 'string' &&
  typeof (value as { url?: unknown }).url === 'string' &&
  typeof (value as { fields?: unknown }).fields === 'object';

/** The picture drawn no larger than LONGEST_SIDE, as a JPEG. */
function resized(file: File): Promise<Blob> {
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

async function upload(blob: Blob): Promise<string> {
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

export function enhanceReportPhotos(T: PhotoStrings): ReportPhotos {
  const field = byId('field-photos', HTMLDivElement);
  const input = byId('photos', HTMLInputElement);
  const list = byId('photos-list', HTMLUListElement);
  const error = byId('photos-error', HTMLParagraphElement);
  let entries: PhotoEntry[] = [];
  field.hidden = false;

  const setError = (message: string) => {
    error.textContent = message;
    error.hidden = !message;
    field.classList.toggle('has-error', message !== '');
  };
  const refreshInput = () => {
    input.disabled = entries.length >= MAX_PHOTOS;
  };

  function add(file: File): void {
    const row = element('li', undefined, 'photo');
    const preview = element('img');
    preview.alt = '';
    preview.width = 64;
    preview.height = 64;
    const status = element('span', T.preparing, 'photo-status');
    status.setAttribute('role', 'status');
    const remove = element('button', T.remove, 'secondary');
    remove.type = 'button';
    row.appendChild(preview);
    row.appendChild(status);
    row.appendChild(remove);
    list.appendChild(row);
    const entry: PhotoEntry = { row, status, busy: true };
    entries.push(entry);
    refreshInput();
    remove.addEventListener('click', () => {
      entries = entries.filter((e) => e !== entry);
      list.removeChild(row);
      if (preview.src) URL.revokeObjectURL(preview.src);
      setError('');
      refreshInput();
      input.focus();
    });
    resized(file)
      .then(
        (blob) => {
          preview.src = URL.createObjectURL(blob);
          row.setAttribute('data-bytes', String(blob.size));
          status.textContent = T.uploading;
          return upload(blob);
        },
        (reason: unknown) => {
          status.textContent = T.notImage;
          throw reason;
        },
      )
      .then(
        (uploadId) => {
          entry.uploadId = uploadId;
          entry.busy = false;
          row.setAttribute('data-upload-id', uploadId);
          status.textContent = T.uploaded;
        },
        () => {
          entry.busy = false;
          if (status.textContent !== T.notImage) status.textContent = T.failed;
          row.classList.add('failed');
        },
      );
  }

  input.addEventListener('change', () => {
    const files = input.files ? Array.prototype.slice.call(input.files) : [];
    setError('');
    for (const file of files as File[]) {
      if (entries.length >= MAX_PHOTOS) {
        setError(T.tooMany);
        break;
      }
      add(file);
    }
    input.value = '';
  });

  return {
    uploadIds: () => entries.filter((e) => e.uploadId !== undefined).map((e) => e.uploadId ?? ''),
    busy: () => entries.some((e) => e.busy),
    refuse(index) {
      const sent = entries.filter((e) => e.uploadId !== undefined);
      const entry = sent[index];
      if (entry) {
        entry.status.textContent = T.refused;
        entry.row.classList.add('failed');
      }
      setError(T.refused);
    },
    setError,
    holdSubmit() {
      const waiting = entries.some((e) => e.busy);
      if (waiting) {
        setError(T.waitForPhotos);
        input.focus();
      }
      return waiting;
    },
    reset() {
      entries = [];
      while (list.firstChild) list.removeChild(list.firstChild);
      setError('');
      refreshInput();
    },
  };
}
