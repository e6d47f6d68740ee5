/**
 * The status lookup, answered in place: the form is a GET to the server-rendered /status page
 * without JavaScript; here it checks the typed code's length, asks /api/reports/{code} and shows
 * the stage, the category, the unit, the resolution note and result photos and the timeline in the page's language,
 * and, once the case is closed, points to the rating form with the code filled in.
 */
import { localTime } from '../local-time.ts';
import type { ResidentConfig } from '../resident-config.ts';
import { type ReportStatus, reportStatusOf } from './answers.ts';
import { byId, control, element, typedTrackingCode } from './dom.ts';

export function enhanceStatusLookup(reportForm: HTMLFormElement, { lang, strings: T }: ResidentConfig): void {
  const check = byId('check', HTMLFormElement);
  const result = byId('check-result', HTMLDivElement);
  const checkButton = byId('check-submit', HTMLButtonElement);
  const stageName = (stage: string): string => T.stages[stage] || stage;

  /** The category's name as the report form's own list shows it. */
  function categoryName(code: string): string {
    const category = control(reportForm, 'category');
    const options = category instanceof HTMLSelectElement ? Array.from(category.options) : [];
    return options.find((option) => option.value === code)?.textContent ?? code;
  }
  function renderStatus(s: ReportStatus): void {
    result.textContent = '';
    const dl = element('dl');
    dl.appendChild(element('dt', T.statusStage));
    dl.appendChild(element('dd', stageName(s.stage), 'stage'));
    dl.appendChild(element('dt', T.statusCategory));
    dl.appendChild(element('dd', categoryName(s.category)));
    dl.appendChild(element('dt', T.statusUnit));
    dl.appendChild(element('dd', s.unit ? s.unit[lang] : T.statusUnitPending));
    result.appendChild(element('p', s.trackingCode, 'status-code'));
    result.appendChild(dl);
    if (s.resolution) {
      result.appendChild(element('h3', T.statusResolution));
      result.appendChild(element('p', s.resolution.note, 'resolution'));
    }
    if (s.photos.length > 0) {
      const photos = element('p', undefined, 'result-photos');
      s.photos.forEach((url, index) => {
        const link = element('a');
        link.setAttribute('href', url);
        const img = element('img');
        img.setAttribute('src', url);
        img.setAttribute('alt', `${T.statusResolution} ${index + 1}`);
        link.appendChild(img);
        photos.appendChild(link);
      });
      result.appendChild(photos);
    }
    if (s.stage === 'closed') offerRating(s.trackingCode);
    result.appendChild(element('h3', T.statusTimeline));
    const ol = element('ol');
    for (const step of s.timeline) {
      const li = element('li');
      const time = element('time', localTime(step.at, lang));
      time.setAttribute('datetime', step.at);
      li.appendChild(time);
      li.appendChild(document.createTextNode(stageName(step.stage)));
      ol.appendChild(li);
    }
    result.appendChild(ol);
  }

  /** A closed case can be rated: the rating form gets the code, and a link leads to it. */
  function offerRating(trackingCode: string): void {
    control(byId('rate', HTMLFormElement), 'code').value = typedTrackingCode(trackingCode);
    const offer = element('p');
    const link = element('a', T.rateOffer);
    link.setAttribute('href', '#rate-section');
    offer.appendChild(link);
    result.appendChild(offer);
  }

  check.addEventListener('submit', (e) => {
    e.preventDefault();
    const input = control(check, 'code');
    const code = typedTrackingCode(input.value);
    const codeError = byId('code-error', HTMLParagraphElement);
    const wrap = byId('field-code', HTMLDivElement);
    if (code.length !== 9) {
      codeError.textContent = T.checkInvalid;
      codeError.hidden = false;
      wrap.classList.add('has-error');
      input.setAttribute('aria-invalid', 'true');
      input.focus();
      return;
    }
    codeError.hidden = true;
    wrap.classList.remove('has-error');
    input.removeAttribute('aria-invalid');
    checkButton.disabled = true;
    result.textContent = T.checking;
    fetch(`/api/reports/${encodeURIComponent(code)}`, {
      headers: { accept: 'application/json' },
      credentials: 'same-origin',
    })
      .then((res) => {
        if (res.status === 404) {
          result.textContent = T.checkNotFound;
          return;
        }
        if (!res.ok) {
          result.textContent = T.checkFailed;
          return;
        }
        return res.json().then((answer: unknown) => {
          const status = reportStatusOf(answer);
          if (status) renderStatus(status);
          else result.textContent = T.checkFailed;
        });
      })
      .catch(() => {
        result.textContent = T.checkFailed;
      })
      .then(() => {
        checkButton.disabled = false;
      });
  });
}
