/**
 * The photo picker of the action form (issue 15 item 3): on resolve, up to three photos of the
 * result, each with a "shown on the resident's status page" box; on accept, up to three of the
 * problem as found. Each photo is resized and posted to the bucket as soon as it is chosen
 * (shared/web/browser/photo-upload.ts, as the resident page does), and attached to the case
 * (POST /api/cases/{id}/photos) when the form is sent, before the transition: a photo that could
 * not be attached stops the transition, so the case never moves without the evidence the unit
 * chose. An attached photo is not attached again when the form is sent once more.
 */
import { resizeAndUpload } from '../../browser/photo-upload.ts';
import { api } from './api.ts';
import { T } from './context.ts';
import { el, show } from './dom.ts';

const MAX_PHOTOS = 3;

export type EvidenceKind = 'before' | 'after';

interface Entry {
  row: HTMLLIElement;
  status: HTMLSpanElement;
  publicBox?: HTMLInputElement;
  uploadId?: string;
  busy: boolean;
  attached: boolean;
}

export interface EvidencePicker {
  element: HTMLElement;
  /**
   * Attaches every uploaded photo not yet attached; false (and says why under the picker) while
   * one is still uploading or when one was refused: the form must not send its transition then.
   */
  attach(caseId: string): Promise<boolean>;
}

export function evidencePicker(kind: EvidenceKind): EvidencePicker {
  const W = T.casePhotos;
  const id = `evidence-${kind}`;
  const input = el('input', { type: 'file', id, accept: 'image/*', multiple: true });
  const list = el('ul', { className: 'evidence-photos', id: `${id}-list` });
  const error = el('p', { className: 'error', id: `${id}-error`, hidden: true });
  const field = el('div', { className: 'field', id: `${id}-field` }, [
    el('label', { for: id, text: kind === 'after' ? W.pickAfter : W.pickBefore }),
    input,
    list,
    error,
  ]);
  let entries: Entry[] = [];
  const refresh = () => {
    input.disabled = entries.length >= MAX_PHOTOS;
  };

  function add(file: File): void {
    const status = el('span', { className: 'photo-status', role: 'status', text: W.uploading });
    const publicBox =
      kind === 'after' ? el('input', { type: 'checkbox', className: 'evidence-public' }) : undefined;
    const remove = el('button', { type: 'button', className: 'secondary', text: W.remove });
    const row = el('li', { className: 'evidence-photo' }, [
      el('span', { className: 'photo-name', text: file.name }),
      status,
      publicBox ? el('label', { className: 'evidence-public-label' }, [publicBox, W.showPublic]) : null,
      remove,
    ]);
    list.appendChild(row);
    const entry: Entry = { row, status, publicBox, busy: true, attached: false };
    entries.push(entry);
    refresh();
    remove.addEventListener('click', () => {
      entries = entries.filter((e) => e !== entry);
      list.removeChild(row);
      show(error, '');
      refresh();
    });
    resizeAndUpload(file).then((outcome) => {
      entry.busy = false;
      if ('uploadId' in outcome) {
        entry.uploadId = outcome.uploadId;
        row.setAttribute('data-upload-id', outcome.uploadId);
        status.textContent = W.uploaded;
      } else {
        status.textContent = outcome.problem === 'not_image' ? W.notImage : W.failed;
        row.classList.add('failed');
      }
    });
  }

  input.addEventListener('change', () => {
    const files: File[] = input.files ? Array.prototype.slice.call(input.files) : [];
    show(error, '');
    for (const file of files) {
      if (entries.length >= MAX_PHOTOS) {
        show(error, W.tooMany);
        break;
      }
      add(file);
    }
    input.value = '';
  });

  async function attach(caseId: string): Promise<boolean> {
    show(error, '');
    if (entries.some((e) => e.busy)) {
      show(error, W.wait);
      return false;
    }
    for (const entry of entries) {
      if (entry.attached || entry.uploadId === undefined) continue;
      const body = {
        uploadId: entry.uploadId,
        kind,
        ...(entry.publicBox?.checked ? { public: true } : {}),
      };
      const r = await api('POST', `/api/cases/${encodeURIComponent(caseId)}/photos`, body);
      if (r.status !== 201) {
        entry.row.classList.add('failed');
        show(error, W.attachFailed);
        return false;
      }
      entry.attached = true;
      if (entry.publicBox) entry.publicBox.disabled = true;
    }
    return true;
  }

  return { element: field, attach };
}
