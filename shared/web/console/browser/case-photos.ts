/**
 * The case's photos in the case view (issue 15 items 2 and 3): the resident's photos and the unit's
 * evidence (before, after: side by side for the verifier), loaded after the
 * case from GET /api/cases/{id}/photos as presigned URLs good for five minutes (the page's CSP
 * allows the bucket's origin for images, shared/web/console-page.ts). Nothing is shown for a case
 * without photos. A thumbnail opens the photo at full size in a new tab.
 */
import type { CaseDetail } from '../../../services/case-queries.ts';
import { api } from './api.ts';
import { T } from './context.ts';
import { el } from './dom.ts';
import { isRecord } from './guards.ts';

interface PhotoLink {
  source: string;
  number: number;
  public?: boolean;
  url: string;
}

const isPhotoLink = (value: unknown): value is PhotoLink =>
  isRecord(value) &&
  typeof value.source === 'string' &&
  typeof value.number === 'number' &&
  typeof value.url === 'string';

const photosOf = (data: unknown): PhotoLink[] =>
  isRecord(data) && Array.isArray(data.photos) ? data.photos.filter(isPhotoLink) : [];

/** A block of the report's card, filled once the photos have loaded; it stays hidden when the case has none. */
export function casePhotosPanel(d: CaseDetail): HTMLElement {
  const W = T.casePhotos;
  const list = el('ul', { className: 'case-photos', id: 'case-photos' });
  const panel = el('div', { className: 'case-photos-block', id: 'case-photos-block', hidden: true }, [
    el('h3', { text: W.heading }),
    list,
  ]);
  api('GET', `/api/cases/${encodeURIComponent(d.id)}/photos`).then(
    ({ status, data }) => {
      // The resident's first, then the unit's before and after side by side for the verifier.
      const order = ['resident', 'before', 'after'];
      const photos = (status === 200 ? photosOf(data) : []).sort(
        (a, b) => order.indexOf(a.source) - order.indexOf(b.source),
      );
      for (const photo of photos) {
        const label =
          photo.source === 'before'
            ? W.before
            : photo.source === 'after'
              ? `${W.after}${photo.public ? ` · ${W.public}` : ''}`
              : `${W.resident} ${photo.number}`;
        list.appendChild(
          el('li', null, [
            el('figure', null, [
              el('a', { href: photo.url, target: '_blank', rel: 'noopener noreferrer', title: W.open }, [
                el('img', { src: photo.url, alt: label, loading: 'lazy', 'data-source': photo.source }),
              ]),
              el('figcaption', { text: label }),
            ]),
          ]),
        );
      }
      panel.hidden = photos.length === 0;
    },
    () => {
      // No photos shown is the safe failure: the case itself is on screen.
    },
  );
  return panel;
}
