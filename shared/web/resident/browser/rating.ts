/**
 * The reporter's rating, answered in place: without JavaScript the form posts to /rating and the
 * server answers with the status page. A rating link carries the tracking code and the rating key
 * in the URL fragment, which never reaches a server; here they fill the form and bring it into
 * view. Sent as JSON to /api/reports/{code}/rating.
 */
import type { ResidentConfig } from '../resident-config.ts';
import { byId, control, typedTrackingCode } from './dom.ts';

/** `#rate=…&token=…` as a map; a pair that does not decode is left out. */
function fragmentParameters(hash: string): Map<string, string> {
  const parameters = new Map<string, string>();
  for (const pair of hash.replace(/^#/, '').split('&')) {
    const at = pair.indexOf('=');
    if (at <= 0) continue;
    try {
      parameters.set(pair.slice(0, at), decodeURIComponent(pair.slice(at + 1)));
    } catch {
      // A malformed escape: ignore the pair, the form stays as typed.
    }
  }
  return parameters;
}

export function enhanceRating({ strings: T }: ResidentConfig): void {
  const rate = byId('rate', HTMLFormElement);
  const rateError = byId('rate-error', HTMLParagraphElement);
  const rateResult = byId('rate-result', HTMLParagraphElement);
  const rateButton = byId('rate-submit', HTMLButtonElement);
  const showRateError = (message: string) => {
    rateError.textContent = message;
    rateError.hidden = !message;
  };

  const fillFromLink = () => {
    const fragment = fragmentParameters(location.hash);
    const linkedCode = fragment.get('rate');
    const linkedToken = fragment.get('token');
    if (!linkedCode || !linkedToken) return;
    control(rate, 'code').value = linkedCode;
    control(rate, 'token').value = linkedToken;
    byId('rate-section', HTMLElement).scrollIntoView({ block: 'start' });
    rate.querySelector<HTMLInputElement>('input[name="score"]')?.focus();
  };
  fillFromLink();
  // The receipt's own rating link only changes the fragment of this page: no reload, so listen.
  window.addEventListener('hashchange', fillFromLink);

  rate.addEventListener('submit', (e) => {
    e.preventDefault();
    const code = typedTrackingCode(control(rate, 'code').value);
    const token = control(rate, 'token').value.trim();
    const checked = rate.querySelector<HTMLInputElement>('input[name="score"]:checked');
    if (code.length !== 9 || !token || !checked) {
      showRateError(T.rateMissing);
      return;
    }
    showRateError('');
    rateButton.disabled = true;
    rateButton.textContent = T.rateSending;
    const payload: { token: string; score: number; comment?: string } = {
      token,
      score: Number(checked.value),
    };
    const comment = control(rate, 'comment').value.trim();
    if (comment) payload.comment = comment;
    fetch(`/api/reports/${encodeURIComponent(code)}/rating`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(payload),
    })
      .then(
        (res) => {
          if (res.ok) {
            rate.hidden = true;
            rateResult.textContent = T.rateThanks;
            return;
          }
          showRateError(
            res.status === 404
              ? T.rateRefused
              : res.status === 409
                ? T.rateNotYet
                : res.status === 400
                  ? T.rateMissing
                  : T.rateFailed,
          );
        },
        () => showRateError(T.rateFailed),
      )
      .then(() => {
        rateButton.disabled = false;
        rateButton.textContent = T.rateSubmit;
      });
  });
}
