/**
 * The resident's status page and rating answers, rendered on the server so a phone browser without
 * JavaScript can follow a report and rate it (functions/get-report-status.ts serves GET /status,
 * functions/rate-report.ts POST /rating). The status page shows the lookup form, the report's
 * public status (shared/services/report-status.ts: no personal data, the resolution note while it
 * stands) and, once the case is closed, the rating form. A rating that cannot be taken comes back
 * as the rating form with the problem next to its field, in the page's language; a taken one is
 * redirected to the status page (POST, redirect, GET), which thanks the resident.
 */
import type { Catalog } from '../domain/catalog.ts';
import { normaliseTrackingCode } from '../domain/tracking-code.ts';
import type { FieldIssue } from '../errors.ts';
import type { PublicStatus } from '../services/report-status.ts';
import { escapeHtml } from './html.ts';
import { type PageLanguage, type PageText, pageText, type RatingField } from './page-text.ts';
import { languageSwitchHref } from './resident/links.ts';
import { checkForm, layout, type RatingValues, ratingForm, statusDetails } from './resident/page-parts.ts';

export type StatusLookup =
  /** GET /status with no code: the empty lookup form. */
  | { kind: 'none' }
  /** A code that cannot be one (400). */
  | { kind: 'invalid'; code: string }
  /** No report has it (404); a report sent seconds ago may not be there yet. */
  | { kind: 'not_found'; code: string }
  | { kind: 'found'; code: string; status: PublicStatus; rated: boolean };

export interface StatusPageInput {
  catalog: Catalog;
  lang: PageLanguage;
  lookup: StatusLookup;
}

export function renderStatusPage({ catalog, lang, lookup }: StatusPageInput): string {
  const t = pageText[lang];
  const other: PageLanguage = lang === 'zh' ? 'en' : 'zh';
  const typed = lookup.kind === 'none' ? undefined : lookup.code;
  const canonical = typed === undefined ? undefined : (normaliseTrackingCode(typed) ?? undefined);
  const error =
    lookup.kind === 'invalid' ? t.checkInvalid : lookup.kind === 'not_found' ? t.checkNotFound : undefined;
  const title =
    lookup.kind === 'invalid'
      ? `${t.errorTitlePrefix}${t.statusPageTitle}`
      : lookup.kind === 'not_found'
        ? t.statusNotFoundTitle
        : t.statusPageTitle;
  const body = `
<main id="main" class="wrap">
  <div class="card">
    <h1 id="heading">${escapeHtml(t.checkHeading)}</h1>
    ${checkForm(t, lang, { code: typed, error })}
  </div>
  ${lookup.kind === 'found' ? statusSection(t, lang, catalog, lookup) : ''}
</main>`;
  return layout({ t, lang, title, body, switchHref: languageSwitchHref('/status', other, canonical) });
}

function statusSection(
  t: PageText,
  lang: PageLanguage,
  catalog: Catalog,
  lookup: Extract<StatusLookup, { kind: 'found' }>,
): string {
  const { status } = lookup;
  const thanks =
    lookup.rated && status.stage === 'evaluated'
      ? `<p class="notice" id="rated" role="status">${escapeHtml(t.rateThanks)}</p>`
      : '';
  const rating =
    status.stage === 'closed'
      ? `<section class="card" id="rate-section" aria-labelledby="rate-heading">
    <h2 id="rate-heading">${escapeHtml(t.rateHeading)}</h2>
    <p class="hint">${escapeHtml(t.rateOffer)}</p>
    ${ratingForm(t, lang, { knownCode: status.trackingCode.replace(/-/g, '') })}
  </section>`
      : '';
  return `<section class="card status" id="status" aria-labelledby="status-code">
    ${thanks}
    ${statusDetails(status, catalog, lang)}
  </section>
  ${rating}`;
}

/** Why a posted rating was not taken. */
export type RatingProblem =
  /** Fields the schema refused (400), by path. */
  | { kind: 'fields'; issues: readonly FieldIssue[] }
  /** No such case, or not this key's case: one answer for both (404). */
  | { kind: 'not_yours' }
  /** Not closed yet, or already rated (409). */
  | { kind: 'not_now' };

const ratingFields: readonly RatingField[] = ['code', 'token', 'score', 'comment'];

/** The rating form again, as the resident filled it, with the problem named next to its field. */
export function renderRatingRejected(input: {
  lang: PageLanguage;
  values: RatingValues;
  problem: RatingProblem;
}): string {
  const t = pageText[input.lang];
  const errors = new Map<RatingField, string>();
  const summary: string[] = [];
  const { problem } = input;
  if (problem.kind === 'fields') {
    for (const issue of problem.issues) {
      const field = ratingFields.find((f) => issue.path === f || issue.path.startsWith(`${f}.`));
      if (field === undefined) summary.push(t.rateMissing);
      else errors.set(field, t.rateFieldErrors[field]);
    }
  } else if (problem.kind === 'not_yours') {
    errors.set('token', t.rateRefused);
  } else {
    summary.push(t.rateNotYet);
  }
  const items = [
    ...ratingFields
      .filter((f) => errors.has(f))
      .map(
        (f) =>
          `<li><a href="#${f === 'score' ? 'field-rate-score' : `rate-${f}`}">${escapeHtml(errors.get(f) ?? '')}</a></li>`,
      ),
    ...[...new Set(summary)].map((message) => `<li>${escapeHtml(message)}</li>`),
  ];
  const body = `
<main id="main" class="wrap">
  <section class="card" id="rate-section" aria-labelledby="rate-heading">
    <h1 id="rate-heading">${escapeHtml(t.rateHeading)}</h1>
    <div class="error-summary" id="error-summary" role="alert" tabindex="-1" autofocus>
      <h2>${escapeHtml(t.rateErrorSummaryTitle)}</h2>
      <ul>${items.join('')}</ul>
    </div>
    ${ratingForm(t, input.lang, { values: input.values, errors })}
  </section>
</main>`;
  // No language switch: the page answers a POST at /rating and has nothing to re-render.
  return layout({ t, lang: input.lang, title: `${t.errorTitlePrefix}${t.ratePageTitle}`, body });
}
