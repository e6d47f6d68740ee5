/**
 * The status lookup: hidden without JavaScript (the API answers JSON at a path a GET form cannot
 * build), shown here; it checks the typed code's length, asks /api/reports/{code} and shows the
 * stage, the category, the unit and the timeline in the page's language.
 */
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
  function when(at: string): string {
    try {
      return new Date(at).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB', {
        timeZone: 'Asia/Shanghai',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
      });
    } catch {
      return at;
    }
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
    result.appendChild(element('h3', T.statusTimeline));
    const ol = element('ol');
    for (const step of s.timeline) {
      const li = element('li');
      const time = element('time', when(step.at));
      time.setAttribute('datetime', step.at);
      li.appendChild(time);
      li.appendChild(document.createTextNode(stageName(step.stage)));
      ol.appendChild(li);
    }
    result.appendChild(ol);
  }

  check.hidden = false;
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
