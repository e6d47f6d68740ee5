/**
 * The report form, improved: a JSON submit with an Idempotency-Key instead of the page-changing
 * post, the server's problems next to their fields without a reload, a retry that cannot file
 * the report twice, a live character counter, and the receipt shown in place with a copy button
 * and the rating key.
 *
 * Idempotency: a key is made for a request body and reused for every retry of that same body, so
 * a resident who taps "Retry" after a dropped connection never files the report twice; editing
 * the form makes it a new submission with a new key (reusing the old key would be a conflict).
 */
import type { FormField } from '../../page-text.ts';
import { ratingHref, statusHref } from '../links.ts';
import { formFields, type ResidentConfig } from '../resident-config.ts';
import { issuePathsOf, receiptOf } from './answers.ts';
import { byId, control, maybeById } from './dom.ts';
import type { ReportPhotos } from './report-photos.ts';

/** Fields sent even when empty, so the server names them as missing. */
const alwaysSent: readonly FormField[] = ['category', 'communityId', 'description'];

/** A version 4 UUID; crypto.randomUUID where the browser has it (secure contexts only). */
function uuid(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] ?? 0) & 15) | 64;
  bytes[8] = ((bytes[8] ?? 0) & 63) | 128;
  const h = Array.from(bytes, (b) => (b + 256).toString(16).slice(1)).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export function enhanceReportForm(
  form: HTMLFormElement,
  { lang, strings: T }: ResidentConfig,
  photos?: ReportPhotos,
): void {
  const submit = byId('submit', HTMLButtonElement);
  const alertBox = byId('form-alert', HTMLDivElement);
  const retry = byId('retry', HTMLButtonElement);
  const receipt = byId('receipt', HTMLElement);
  const copy = byId('copy', HTMLButtonElement);
  const intro = byId('intro', HTMLDivElement);
  const receiptCode = byId('receipt-code', HTMLParagraphElement);
  const receiptToken = byId('receipt-token', HTMLParagraphElement);
  const receiptRatingLink = byId('receipt-rating-link', HTMLAnchorElement);
  const field = (name: FormField) => control(form, name);
  let pending: { body: string; key: string } | null = null;
  let sending = false;

  const description = field('description');
  const count = byId('description-count', HTMLParagraphElement);
  const updateCount = () => {
    // Characters as a resident counts them: one per code point, not per UTF-16 unit.
    count.textContent = T.counter.replace('{n}', String(Array.from(description.value).length));
  };
  description.addEventListener('input', updateCount);
  updateCount();
  count.hidden = false;

  function setError(name: FormField, message: string): void {
    const error = byId(`${name}-error`, HTMLParagraphElement);
    const wrap = byId(`field-${name}`, HTMLDivElement);
    error.textContent = message;
    error.hidden = !message;
    if (message) {
      field(name).setAttribute('aria-invalid', 'true');
      wrap.classList.add('has-error');
    } else {
      field(name).removeAttribute('aria-invalid');
      wrap.classList.remove('has-error');
    }
  }
  function showAlert(message: string, canRetry: boolean): void {
    byId('form-alert-text', HTMLParagraphElement).textContent = message;
    alertBox.hidden = !message;
    retry.hidden = !canRetry;
  }
  function clearErrors(): void {
    for (const f of formFields) setError(f, '');
    showAlert('', false);
    maybeById('error-summary', HTMLDivElement)?.remove();
  }
  function setBusy(on: boolean): void {
    sending = on;
    submit.disabled = on;
    submit.textContent = on ? T.sending : T.submit;
    form.setAttribute('aria-busy', on ? 'true' : 'false');
  }
  function showIssues(paths: readonly string[]): void {
    let other = false;
    for (const path of paths) {
      // `photos.1`: the second photo sent was refused (not a JPEG, expired …).
      if (photos && (path === 'photos' || path.indexOf('photos.') === 0)) {
        photos.refuse(Number(path.slice('photos.'.length)));
        continue;
      }
      const name = formFields.find((f) => path === f || path.indexOf(`${f}.`) === 0);
      if (name) setError(name, T.fieldErrors[name]);
      else other = true;
    }
    const first = formFields.find((f) => !byId(`${f}-error`, HTMLParagraphElement).hidden);
    if (other || !first) showAlert(T.rejected, false);
    if (first) field(first).focus();
    else if (!other && photos) byId('photos', HTMLInputElement).focus();
    else alertBox.focus();
  }
  function showReceipt(code: string, token: string | undefined): void {
    receiptCode.textContent = code;
    // The rating key is shown this once: the server keeps only its hash.
    receiptToken.textContent = token ?? '';
    byId('receipt-token-box', HTMLDivElement).hidden = !token;
    if (token) receiptRatingLink.setAttribute('href', ratingHref(lang, code.replace(/-/g, ''), token));
    byId('receipt-status-link', HTMLAnchorElement).setAttribute(
      'href',
      statusHref(lang, code.replace(/-/g, '')),
    );
    form.hidden = true;
    intro.hidden = true;
    receipt.hidden = false;
    copy.hidden = !(navigator.clipboard && window.isSecureContext);
    copy.textContent = T.copy;
    const checkInput = maybeById('code', HTMLInputElement);
    if (checkInput) checkInput.value = code;
    receipt.focus();
    receipt.scrollIntoView({ block: 'start' });
  }

  function body(): string {
    const data: Partial<Record<FormField, string>> = {};
    for (const f of formFields) {
      const value = field(f).value;
      if (value.trim() !== '' || alwaysSent.includes(f)) data[f] = value;
    }
    const photoIds = photos ? photos.uploadIds() : [];
    return JSON.stringify(photoIds.length > 0 ? { ...data, photos: photoIds } : data);
  }

  function send(): void {
    if (sending || photos?.holdSubmit()) return;
    const json = body();
    const attempt = pending !== null && pending.body === json ? pending : { body: json, key: uuid() };
    pending = attempt;
    clearErrors();
    setBusy(true);
    fetch(form.getAttribute('action') ?? '', {
      method: 'POST',
      credentials: 'same-origin',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        'idempotency-key': attempt.key,
      },
      body: json,
    })
      .then((res) =>
        res.json().then(
          (answer: unknown) => ({ status: res.status, answer }),
          () => ({ status: res.status, answer: null }),
        ),
      )
      .then(
        ({ status, answer }) => {
          setBusy(false);
          const accepted = status >= 200 && status < 300 ? receiptOf(answer) : undefined;
          const issuePaths = status === 400 ? issuePathsOf(answer) : undefined;
          if (accepted) {
            pending = null;
            showReceipt(accepted.trackingCode, accepted.reporterToken);
          } else if (issuePaths) showIssues(issuePaths);
          else if (status === 413) {
            setError('description', T.tooLarge);
            description.focus();
          } else if (status === 409 || status === 429 || status >= 500) showAlert(T.serverBusy, true);
          else showAlert(T.rejected, false);
        },
        () => {
          setBusy(false);
          showAlert(T.networkError, true);
          retry.focus();
        },
      );
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    send();
  });
  retry.addEventListener('click', send);
  alertBox.setAttribute('tabindex', '-1');
  copy.addEventListener('click', () => {
    navigator.clipboard.writeText(receiptCode.textContent ?? '').then(
      () => {
        copy.textContent = T.copied;
      },
      () => {},
    );
  });
  byId('new-report', HTMLButtonElement).addEventListener('click', () => {
    receiptToken.textContent = '';
    receiptRatingLink.setAttribute('href', '/');
    for (const f of formFields) {
      field(f).value = '';
      setError(f, '');
    }
    updateCount();
    if (photos) photos.reset();
    receipt.hidden = true;
    intro.hidden = false;
    form.hidden = false;
    field('category').focus();
  });
}
