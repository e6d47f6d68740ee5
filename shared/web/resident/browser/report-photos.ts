/**
 * The report form's photos, where JavaScript runs: up to three pictures chosen from the phone,
 * each resized in the browser and posted straight to S3 (shared/web/browser/photo-upload.ts, which
 * the console's evidence photos use too). The report names the upload ids; the server checks each
 * photo again before the case refers to it.
 */
import { resizeAndUpload } from '../../browser/photo-upload.ts';
import type { PhotoStrings } from '../photo-text.ts';
import { byId, element } from './dom.ts';

const MAX_PHOTOS = 3;

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
    resizeAndUpload(file, (blob) => {
      preview.src = URL.createObjectURL(blob);
      row.setAttribute('data-bytes', String(blob.size));
      status.textContent = T.uploading;
    }).then((outcome) => {
      entry.busy = false;
      if ('uploadId' in outcome) {
        entry.uploadId = outcome.uploadId;
        row.setAttribute('data-upload-id', outcome.uploadId);
        status.textContent = T.uploaded;
      } else {
        status.textContent = outcome.problem === 'not_image' ? T.notImage : T.failed;
        row.classList.add('failed');
      }
    });
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
