/**
 * The resident's report page, rendered on the server to plain HTML strings (no framework).
 * The page must work on any phone browser with JavaScript off: the form posts urlencoded to
 * POST /api/reports, which answers with `renderSubmissionReceipt` or `renderSubmissionRejected`.
 * The status lookup (a GET to /status) and the rating (a form post to /rating) work without it too:
 * shared/web/status-page.ts renders their answers. A small inline script then improves the page
 * where JavaScript runs: JSON submit with an Idempotency-Key, errors next to fields without a
 * reload, a copyable tracking code, a live character counter, the status lookup and the reporter's
 * rating answered in place. The receipt shows the private rating key once (it is stored nowhere,
 * only its hash), with a rating link that carries it in the URL fragment, which browsers never
 * send to a server or put in a Referer. Everything is inline
 * (CSS, script, no fonts or images) because the page's CSP allows nothing else and the county's
 * phones may be slow. The script and the stylesheet are written in shared/web/resident/ and built
 * by page-assets.ts (read once per process).
 */
import type { Catalog } from '../domain/catalog.ts';
import { formatTrackingCode, normaliseTrackingCode } from '../domain/tracking-code.ts';
import type { FieldIssue } from '../errors.ts';
import { escapeHtml, jsonForScript } from './html.ts';
import { loadPageAssets, PAGE_GLOBAL } from './page-assets.ts';
import { type FormField, type PageLanguage, type PageText, pageText } from './page-text.ts';
import { homeHref, languageSwitchHref, ratingHref, statusHref } from './resident/links.ts';
import { checkForm, layout, ratingForm } from './resident/page-parts.ts';
import { photoText } from './resident/photo-text.ts';
import { formFields, type ResidentConfig } from './resident/resident-config.ts';

export type { PageLanguage } from './page-text.ts';
export { ratingHref } from './resident/links.ts';

export type FormValues = Partial<Record<FormField, string>>;

export interface ResidentPageInput {
  catalog: Catalog;
  lang: PageLanguage;
  values?: FormValues;
  issues?: FieldIssue[];
}

const MAX_DESCRIPTION = 2000;
const MAX_ADDRESS = 200;

/** `en` (any case, also `en-US`) gives English; anything else, including nothing, Chinese. */
export function parsePageLanguage(value: string | undefined): PageLanguage {
  return value?.trim().toLowerCase().startsWith('en') ? 'en' : 'zh';
}

export function renderResidentPage(input: ResidentPageInput): string {
  const t = pageText[input.lang];
  const { byField, unplaced } = placeIssues(input.issues ?? []);
  const hasIssues = byField.size > 0 || unplaced.length > 0;
  const values = input.values ?? {};

  const body = `
<main id="main" class="wrap">
  <div class="card">
    <h1 id="heading">${escapeHtml(t.heading)}</h1>
    <div id="intro">
      <p>${escapeHtml(t.intro)}</p>
      <p class="emergency">${escapeHtml(t.emergency)}</p>
    </div>
    ${hasIssues ? errorSummary(t, byField, unplaced) : ''}
    ${reportForm(input.catalog, input.lang, t, values, byField)}
    ${scriptReceipt(t, input.lang)}
  </div>
  ${checkSection(t, input.lang)}
  ${rateSection(t, input.lang)}
</main>`;

  return layout({
    t,
    lang: input.lang,
    title: hasIssues ? `${t.errorTitlePrefix}${t.pageTitle}` : t.pageTitle,
    body,
    switchHref: languageSwitchHref('/', input.lang === 'zh' ? 'en' : 'zh'),
    script: enhancementScript(t, input.lang),
  });
}

/** The page a browser without JavaScript gets after a successful form post (202). */
export function renderSubmissionReceipt(input: {
  lang: PageLanguage;
  trackingCode: string;
  reporterToken: string;
}): string {
  const t = pageText[input.lang];
  const canonical = normaliseTrackingCode(input.trackingCode) ?? input.trackingCode;
  const link = ratingHref(input.lang, canonical, input.reporterToken);
  const body = `
<main id="main" class="wrap">
  <div class="card receipt">
    <h1>${escapeHtml(t.receiptHeading)}</h1>
    <p class="code-label">${escapeHtml(t.receiptCodeLabel)}</p>
    <p class="code" id="tracking-code">${escapeHtml(displayCode(input.trackingCode))}</p>
    <p class="keep">${escapeHtml(t.receiptKeep)}</p>
    <p>${escapeHtml(t.receiptHowToCheck)}</p>
    <div class="token-box" id="token-box">
      <p class="code-label">${escapeHtml(t.receiptTokenLabel)}</p>
      <p class="token" id="reporter-token">${escapeHtml(input.reporterToken)}</p>
      <p class="warning" id="token-warning">${escapeHtml(t.receiptTokenWarning)}</p>
      <p>${escapeHtml(t.receiptRateLinkLabel)} <a id="rating-link" href="${escapeHtml(link)}">${escapeHtml(t.receiptRateLink)}</a></p>
      <p>${escapeHtml(t.receiptRateOnStatus)}</p>
    </div>
    <p><a id="status-link" href="${escapeHtml(statusHref(input.lang, canonical))}">${escapeHtml(t.receiptStatusLink)}</a></p>
    <p><a class="button secondary" href="${escapeHtml(homeHref(input.lang))}">${escapeHtml(t.backHome)}</a></p>
  </div>
</main>`;
  // No language switch here: the page sits at /api/reports and has nothing to re-render.
  return layout({ t, lang: input.lang, title: t.receiptPageTitle, body });
}

/** The page a browser without JavaScript gets after a rejected form post (400): the form again. */
export function renderSubmissionRejected(input: {
  catalog: Catalog;
  lang: PageLanguage;
  values: FormValues;
  issues: FieldIssue[];
}): string {
  return renderResidentPage(input);
}

/** K7M2QX9PA → K7M-2QX-9PA; anything that is not a code is shown as given (still escaped). */
function displayCode(code: string): string {
  const normalised = normaliseTrackingCode(code);
  return normalised === undefined ? code : formatTrackingCode(normalised);
}

/**
 * Which issue belongs next to which field. The server's messages are English and generic, so a
 * field we know gets the page's own sentence in the page's language; issues on paths the form has
 * no field for (`location.lat`, or `` for the whole body) keep the server's words in the summary.
 */
function placeIssues(issues: readonly FieldIssue[]): { byField: Map<FormField, string>; unplaced: string[] } {
  const byField = new Map<FormField, string>();
  const unplaced: string[] = [];
  for (const issue of issues) {
    const field = formFields.find((f) => issue.path === f || issue.path.startsWith(`${f}.`));
    if (field === undefined) unplaced.push(issue.message);
    else if (!byField.has(field)) byField.set(field, issue.message);
  }
  return { byField, unplaced };
}

function errorSummary(t: PageText, byField: Map<FormField, string>, unplaced: readonly string[]): string {
  // Listed in form order and linked to the fields, so a resident (or a screen reader) can jump
  // straight to what needs changing; it takes focus on load via `autofocus` on the summary.
  const items = [
    ...formFields
      .filter((f) => byField.has(f))
      .map((f) => `<li><a href="#${f}">${escapeHtml(t.fieldErrors[f])}</a></li>`),
    ...unplaced.map((message) => `<li>${escapeHtml(message)}</li>`),
  ];
  return `<div class="error-summary" id="error-summary" role="alert" tabindex="-1" autofocus>
      <h2>${escapeHtml(t.errorSummaryTitle)}</h2>
      <ul>${items.join('')}</ul>
    </div>`;
}

function reportForm(
  catalog: Catalog,
  lang: PageLanguage,
  t: PageText,
  values: FormValues,
  errors: Map<FormField, string>,
): string {
  const value = (f: FormField): string => values[f] ?? '';
  const selected = (f: FormField, option: string): string => (value(f) === option ? ' selected' : '');

  const categoryOptions = catalog.categories
    .map(
      (c) =>
        `<option value="${escapeHtml(c.code)}"${selected('category', c.code)}>${escapeHtml(c[lang])}</option>`,
    )
    .join('');

  // Grouped by township so a resident scrolls to their own area; empty townships are left out.
  const communityGroups = catalog.townships
    .filter((township) => township.communities.length > 0)
    .map(
      (township) =>
        `<optgroup label="${escapeHtml(township[lang])}">${township.communities
          .map(
            (c) =>
              `<option value="${escapeHtml(c.id)}"${selected('communityId', c.id)}>${escapeHtml(c[lang])}</option>`,
          )
          .join('')}</optgroup>`,
    )
    .join('');

  // No `required` attributes on purpose: a browser's own validation bubble is small, vanishes
  // and speaks the phone's language, not the page's. The server's answer is shown next to the
  // field instead, and stays there. `aria-required` still tells assistive technology.
  return `<form id="report" method="post" action="/api/reports" enctype="application/x-www-form-urlencoded" accept-charset="utf-8">
      <input type="hidden" name="lang" value="${escapeHtml(lang)}">
      ${field(t, 'category', errors, {
        label: t.categoryLabel,
        control: (describedBy, invalid) =>
          `<select id="category" name="category" aria-required="true"${describedBy}${invalid}>
            <option value=""${selected('category', '')}>${escapeHtml(t.categoryPlaceholder)}</option>${categoryOptions}
          </select>`,
      })}
      ${field(t, 'communityId', errors, {
        label: t.communityLabel,
        hint: t.communityHint,
        control: (describedBy, invalid) =>
          `<select id="communityId" name="communityId" aria-required="true"${describedBy}${invalid}>
            <option value=""${selected('communityId', '')}>${escapeHtml(t.communityPlaceholder)}</option>${communityGroups}
          </select>`,
      })}
      ${field(t, 'description', errors, {
        label: t.descriptionLabel,
        hint: t.descriptionHint,
        // The newline after the start tag is eaten by the HTML parser, so a value that begins
        // with a newline keeps it.
        control: (describedBy, invalid) =>
          `<textarea id="description" name="description" rows="7" maxlength="${MAX_DESCRIPTION}" aria-required="true"${describedBy}${invalid}>
${escapeHtml(value('description'))}</textarea>
          <p class="count" id="description-count" hidden></p>`,
      })}
      ${field(t, 'contactPhone', errors, {
        label: t.phoneLabel,
        optional: true,
        hint: t.phoneHint,
        control: (describedBy, invalid) =>
          `<input id="contactPhone" name="contactPhone" type="tel" inputmode="tel" autocomplete="tel" maxlength="24" value="${escapeHtml(value('contactPhone'))}"${describedBy}${invalid}>`,
      })}
      ${field(t, 'address', errors, {
        label: t.addressLabel,
        optional: true,
        hint: t.addressHint,
        control: (describedBy, invalid) =>
          `<input id="address" name="address" type="text" autocomplete="street-address" maxlength="${MAX_ADDRESS}" value="${escapeHtml(value('address'))}"${describedBy}${invalid}>`,
      })}
      ${photoField(lang)}
      <div class="alert" id="form-alert" role="alert" hidden>
        <p id="form-alert-text"></p>
        <button type="button" class="secondary" id="retry" hidden>${escapeHtml(t.retry)}</button>
      </div>
      <button type="submit" id="submit">${escapeHtml(t.submit)}</button>
    </form>`;
}

/**
 * The photo field: hidden until the script shows it, as only the script can upload (resized, to
 * S3); the input has no name, so a form post never carries a file.
 */
function photoField(lang: PageLanguage): string {
  const p = photoText[lang];
  return `<div class="field photos" id="field-photos" hidden>
        <label for="photos">${escapeHtml(p.label)}<span class="optional">${escapeHtml(pageText[lang].optionalMark)}</span></label>
        <p class="hint" id="photos-hint">${escapeHtml(p.hint)}</p>
        <p class="error" id="photos-error" hidden></p>
        <input id="photos" type="file" accept="image/*" multiple aria-describedby="photos-hint photos-error">
        <ul class="photo-list" id="photos-list" aria-live="polite"></ul>
      </div>`;
}

/**
 * One labelled field: label, hint, error, control, in the order a screen reader should meet them.
 * The error paragraph is always there (hidden when empty) so the script can fill it in place.
 */
function field(
  t: PageText,
  name: FormField,
  errors: Map<FormField, string>,
  spec: {
    label: string;
    hint?: string;
    optional?: boolean;
    control: (describedBy: string, invalid: string) => string;
  },
): string {
  const error = errors.get(name);
  const describedBy = [spec.hint === undefined ? '' : `${name}-hint`, `${name}-error`]
    .filter(Boolean)
    .join(' ');
  const optional = spec.optional ? `<span class="optional">${escapeHtml(t.optionalMark)}</span>` : '';
  return `<div class="field${error === undefined ? '' : ' has-error'}" id="field-${name}">
        <label for="${name}">${escapeHtml(spec.label)}${optional}</label>
        ${spec.hint === undefined ? '' : `<p class="hint" id="${name}-hint">${escapeHtml(spec.hint)}</p>`}
        <p class="error" id="${name}-error"${error === undefined ? ' hidden' : ''}>${error === undefined ? '' : escapeHtml(t.fieldErrors[name])}</p>
        ${spec.control(` aria-describedby="${describedBy}"`, error === undefined ? '' : ' aria-invalid="true"')}
      </div>`;
}

/** Filled and shown by the script after a JSON submit; a no-JS post gets the receipt page instead. */
function scriptReceipt(t: PageText, lang: PageLanguage): string {
  return `<section class="receipt" id="receipt" tabindex="-1" aria-labelledby="receipt-heading" hidden>
      <h2 id="receipt-heading">${escapeHtml(t.receiptHeading)}</h2>
      <p class="code-label">${escapeHtml(t.receiptCodeLabel)}</p>
      <p class="code" id="receipt-code"></p>
      <p class="keep">${escapeHtml(t.receiptKeep)}</p>
      <p>${escapeHtml(t.receiptHowToCheck)}</p>
      <button type="button" class="secondary" id="copy" hidden>${escapeHtml(t.copy)}</button>
      <div class="token-box" id="receipt-token-box">
        <p class="code-label">${escapeHtml(t.receiptTokenLabel)}</p>
        <p class="token" id="receipt-token"></p>
        <p class="warning" id="receipt-token-warning">${escapeHtml(t.receiptTokenWarning)}</p>
        <p>${escapeHtml(t.receiptRateLinkLabel)} <a id="receipt-rating-link" href="/">${escapeHtml(t.receiptRateLink)}</a></p>
      </div>
      <p><a id="receipt-status-link" href="${escapeHtml(statusHref(lang))}">${escapeHtml(t.receiptStatusLink)}</a></p>
      <button type="button" class="secondary" id="new-report">${escapeHtml(t.newReport)}</button>
    </section>`;
}

/** The status lookup: a GET form to /status (shared/web/status-page.ts); the script answers in place. */
function checkSection(t: PageText, lang: PageLanguage): string {
  return `<section class="card" id="check-section" aria-labelledby="check-heading">
    <h2 id="check-heading">${escapeHtml(t.checkHeading)}</h2>
    ${checkForm(t, lang)}
    <div id="check-result" class="status" aria-live="polite"></div>
  </section>`;
}

/**
 * The reporter's rating: the tracking code and the private rating key from the receipt (filled in
 * from a rating link by the script), a score and a comment. Posted as a form to /rating without
 * JavaScript; sent as JSON to the rating endpoint where the script runs.
 */
function rateSection(t: PageText, lang: PageLanguage): string {
  return `<section class="card" id="rate-section" aria-labelledby="rate-heading">
    <h2 id="rate-heading">${escapeHtml(t.rateHeading)}</h2>
    <p class="hint">${escapeHtml(t.rateIntro)}</p>
    ${ratingForm(t, lang)}
    <p class="status" id="rate-result" aria-live="polite"></p>
  </section>`;
}

/**
 * The page's script (shared/web/resident/browser/), then its start with the strings it needs,
 * handed over as JSON escaped for <script>.
 */
function enhancementScript(t: PageText, lang: PageLanguage): string {
  const config: ResidentConfig = {
    lang,
    photos: photoText[lang],
    strings: {
      counter: t.counter,
      submit: t.submit,
      sending: t.sending,
      fieldErrors: t.fieldErrors,
      networkError: t.networkError,
      serverBusy: t.serverBusy,
      tooLarge: t.tooLarge,
      rejected: t.rejected,
      copy: t.copy,
      copied: t.copied,
      checkSubmit: t.checkSubmit,
      checking: t.checking,
      checkInvalid: t.checkInvalid,
      checkNotFound: t.checkNotFound,
      checkFailed: t.checkFailed,
      statusStage: t.statusStage,
      statusCategory: t.statusCategory,
      statusUnit: t.statusUnit,
      statusUnitPending: t.statusUnitPending,
      statusTimeline: t.statusTimeline,
      statusResolution: t.statusResolution,
      rateOffer: t.rateOffer,
      stages: t.stages,
      rateSubmit: t.rateSubmit,
      rateSending: t.rateSending,
      rateThanks: t.rateThanks,
      rateMissing: t.rateMissing,
      rateRefused: t.rateRefused,
      rateNotYet: t.rateNotYet,
      rateFailed: t.rateFailed,
    },
  };
  return `${loadPageAssets('resident').script}\n${PAGE_GLOBAL}.start(${jsonForScript(config)});`;
}
