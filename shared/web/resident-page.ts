/**
 * The resident's report page, rendered on the server to plain HTML strings (no I/O, no framework).
 * The page must work on any phone browser with JavaScript off: the form posts urlencoded to
 * POST /api/reports, which answers with `renderSubmissionReceipt` or `renderSubmissionRejected`.
 * A small inline script then improves it where JavaScript runs: JSON submit with an
 * Idempotency-Key, errors next to fields without a reload, a copyable tracking code, a live
 * character counter, the status lookup and the reporter's rating. The receipt shows the private
 * rating key once (it is stored nowhere, only its hash), with a rating link that carries it in the
 * URL fragment, which browsers never send to a server or put in a Referer. Everything is inline (CSS, script, no fonts or
 * images) because the page's CSP allows nothing else and the county's phones may be slow.
 */
import type { Catalog } from '../domain/catalog.ts';
import { formatTrackingCode, normaliseTrackingCode } from '../domain/tracking-code.ts';
import type { FieldIssue } from '../errors.ts';
import { escapeHtml, jsonForScript, pageOpening } from './html.ts';
import { type FormField, type PageLanguage, type PageText, pageText } from './page-text.ts';

export type { PageLanguage } from './page-text.ts';

export type FormValues = Partial<Record<FormField, string>>;

export interface ResidentPageInput {
  catalog: Catalog;
  lang: PageLanguage;
  values?: FormValues;
  issues?: FieldIssue[];
}

const formFields: readonly FormField[] = [
  'category',
  'communityId',
  'description',
  'contactPhone',
  'address',
];
const MAX_DESCRIPTION = 2000;
const MAX_ADDRESS = 200;

/** `en` (any case, also `en-US`) gives English; anything else, including nothing, Chinese. */
export function parsePageLanguage(value: string | undefined): PageLanguage {
  return value?.trim().toLowerCase().startsWith('en') ? 'en' : 'zh';
}

// Absolute links, not `?lang=en`: the same header is shown on the rejection page, which lives at
// /api/reports, where a relative `?lang=en` would land on the API instead of the page.
const homeHref = (lang: PageLanguage): string => (lang === 'en' ? '/?lang=en' : '/');

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
    ${scriptReceipt(t)}
  </div>
  ${checkSection(t)}
  ${rateSection(t)}
</main>`;

  return layout({
    t,
    lang: input.lang,
    title: hasIssues ? `${t.errorTitlePrefix}${t.pageTitle}` : t.pageTitle,
    body,
    switchLanguage: true,
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
    </div>
    <p><a class="button secondary" href="${escapeHtml(homeHref(input.lang))}">${escapeHtml(t.backHome)}</a></p>
  </div>
</main>`;
  // No language switch here: the page sits at /api/reports and has nothing to re-render.
  return layout({ t, lang: input.lang, title: t.receiptPageTitle, body, switchLanguage: false });
}

/**
 * Where the reporter rates: the resident page with the code and the key in the fragment, which
 * the page's script reads and which never reaches a server, a log or a Referer header.
 */
export function ratingHref(lang: PageLanguage, trackingCode: string, reporterToken: string): string {
  return `${homeHref(lang)}#rate=${encodeURIComponent(trackingCode)}&token=${encodeURIComponent(reporterToken)}`;
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
      <div class="alert" id="form-alert" role="alert" hidden>
        <p id="form-alert-text"></p>
        <button type="button" class="secondary" id="retry" hidden>${escapeHtml(t.retry)}</button>
      </div>
      <button type="submit" id="submit">${escapeHtml(t.submit)}</button>
    </form>`;
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
function scriptReceipt(t: PageText): string {
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
      <button type="button" class="secondary" id="new-report">${escapeHtml(t.newReport)}</button>
    </section>`;
}

/**
 * Status lookup. The API only serves JSON at /api/reports/{code}, and a GET form cannot put the
 * typed code into a path, so there is no honest no-JS target: a form that led to raw JSON or a 404
 * would confuse more than help. The form is therefore `hidden` until the script shows it, and
 * without JavaScript the resident reads a short note instead. (If the page handler ever renders
 * `/?code=…` itself, give this form `action="/"` and drop the note.)
 */
function checkSection(t: PageText): string {
  return `<section class="card" id="check-section" aria-labelledby="check-heading">
    <h2 id="check-heading">${escapeHtml(t.checkHeading)}</h2>
    <noscript><p class="hint">${escapeHtml(t.checkNoScript)}</p></noscript>
    <form id="check" hidden>
      <div class="field" id="field-code">
        <label for="code">${escapeHtml(t.checkLabel)}</label>
        <p class="hint" id="code-hint">${escapeHtml(t.checkHint)}</p>
        <p class="error" id="code-error" hidden></p>
        <input id="code" name="code" type="text" autocomplete="off" autocapitalize="characters" spellcheck="false" maxlength="20" aria-describedby="code-hint code-error">
      </div>
      <button type="submit" id="check-submit">${escapeHtml(t.checkSubmit)}</button>
    </form>
    <div id="check-result" class="status" aria-live="polite"></div>
  </section>`;
}

/**
 * The reporter's rating: the tracking code and the private rating key from the receipt (filled in
 * from a rating link), a score and a comment, sent as JSON to the rating endpoint. Like the
 * lookup, it needs the script (the endpoint answers JSON), so without it a note says so.
 */
function rateSection(t: PageText): string {
  const scores = [1, 2, 3, 4, 5]
    .map(
      (n) =>
        `<label class="score"><input type="radio" name="score" value="${n}"><span>${escapeHtml(t.rateScoreOption.replace('{n}', String(n)))}</span></label>`,
    )
    .join('');
  return `<section class="card" id="rate-section" aria-labelledby="rate-heading">
    <h2 id="rate-heading">${escapeHtml(t.rateHeading)}</h2>
    <p class="hint">${escapeHtml(t.rateIntro)}</p>
    <noscript><p class="hint">${escapeHtml(t.rateNoScript)}</p></noscript>
    <form id="rate" hidden>
      <div class="field">
        <label for="rate-code">${escapeHtml(t.rateCodeLabel)}</label>
        <input id="rate-code" name="code" type="text" autocomplete="off" autocapitalize="characters" spellcheck="false" maxlength="20">
      </div>
      <div class="field">
        <label for="rate-token">${escapeHtml(t.rateTokenLabel)}</label>
        <input id="rate-token" name="token" type="text" autocomplete="off" autocapitalize="off" spellcheck="false" maxlength="200">
      </div>
      <fieldset class="field scores">
        <legend>${escapeHtml(t.rateScoreLabel)}</legend>
        ${scores}
      </fieldset>
      <div class="field">
        <label for="rate-comment">${escapeHtml(t.rateCommentLabel)}<span class="optional">${escapeHtml(t.optionalMark)}</span></label>
        <textarea id="rate-comment" name="comment" rows="3" maxlength="500"></textarea>
      </div>
      <p class="error" id="rate-error" role="alert" hidden></p>
      <button type="submit" id="rate-submit">${escapeHtml(t.rateSubmit)}</button>
    </form>
    <p class="status" id="rate-result" aria-live="polite"></p>
  </section>`;
}

function layout(input: {
  t: PageText;
  lang: PageLanguage;
  title: string;
  body: string;
  switchLanguage: boolean;
  script?: string;
}): string {
  const { t } = input;
  const other: PageLanguage = input.lang === 'zh' ? 'en' : 'zh';
  const switcher = input.switchLanguage
    ? `<a class="lang-switch" href="${escapeHtml(homeHref(other))}" hreflang="${escapeHtml(pageText[other].htmlLang)}" lang="${escapeHtml(pageText[other].htmlLang)}">${escapeHtml(t.switchLanguageLabel)}</a>`
    : '';
  return `${pageOpening({ lang: t.htmlLang, title: input.title, styles: STYLES })}
<header class="top">
  <div class="top-inner">
    <a class="site" href="${escapeHtml(homeHref(input.lang))}">${escapeHtml(t.siteName)}</a>
    ${switcher}
  </div>
</header>
${input.body}
<footer class="foot"><p>${escapeHtml(t.footer)}</p></footer>
${input.script === undefined ? '' : `<script>${input.script}</script>`}
</body>
</html>
`;
}

// Mobile first: one column, 18px base, 52px+ controls, 4.5:1 contrast or better everywhere, and a
// focus ring that shows on both the white form and the blue header. System fonts only, with the
// common Chinese faces named so no phone falls back to a font without CJK glyphs.
const STYLES = `
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;background:#eef1f5;color:#1a1a1a;font-family:system-ui,-apple-system,"PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC","Noto Sans SC","Source Han Sans SC",sans-serif;font-size:18px;line-height:1.6}
[hidden]{display:none!important}
a{color:#0b4f9c}
.top{background:#0b4f9c;color:#fff}
.top-inner{max-width:640px;margin:0 auto;padding:8px 16px;display:flex;align-items:center;justify-content:space-between;gap:12px}
.site{color:#fff;font-weight:700;text-decoration:none;padding:10px 0}
.lang-switch{color:#fff;font-weight:700;text-decoration:none;border:2px solid #fff;border-radius:8px;min-height:48px;white-space:nowrap;flex-shrink:0;min-width:48px;padding:8px 14px;display:inline-flex;align-items:center;justify-content:center}
.wrap{max-width:640px;margin:0 auto;padding:12px}
.card{background:#fff;border-radius:12px;padding:20px 16px;margin:0 0 16px;box-shadow:0 1px 3px rgba(0,0,0,.12)}
h1{font-size:1.75rem;line-height:1.3;margin:0 0 8px}
h2{font-size:1.35rem;line-height:1.35;margin:0 0 12px}
p{margin:0 0 12px}
.emergency{background:#fff4e0;border-left:6px solid #a15c00;padding:10px 12px;border-radius:4px}
.field{margin:0 0 24px}
label{display:block;font-weight:700;font-size:1.1rem;margin:0 0 4px}
.optional{font-weight:400;color:#4b5563}
:lang(en) .optional{margin-left:.3em}
.hint{color:#4b5563;font-size:1rem;margin:0 0 8px}
.error{color:#b3261e;font-weight:700;margin:0 0 8px}
input,select,textarea{display:block;width:100%;min-height:52px;margin:0;padding:10px 12px;font:inherit;color:#1a1a1a;background:#fff;border:2px solid #5f6368;border-radius:8px}
select{padding-right:8px}
textarea{min-height:9em;resize:vertical}
.has-error{border-left:5px solid #b3261e;padding-left:12px}
.has-error input,.has-error select,.has-error textarea{border-color:#b3261e;border-width:3px}
.count{color:#4b5563;font-size:1rem;text-align:right;margin:6px 0 0}
button,.button{display:flex;align-items:center;justify-content:center;width:100%;min-height:56px;margin:0 0 12px;padding:12px 16px;font:inherit;font-size:1.2rem;font-weight:700;text-align:center;text-decoration:none;color:#fff;background:#0b4f9c;border:2px solid #0b4f9c;border-radius:10px;cursor:pointer}
button:disabled{background:#5f6b7a;border-color:#5f6b7a;cursor:progress}
button.secondary,.button.secondary{color:#0b4f9c;background:#fff}
:focus-visible{outline:3px solid #f0b400;outline-offset:2px;box-shadow:0 0 0 5px #1a1a1a}
.top :focus-visible{box-shadow:none}
.error-summary{border:4px solid #b3261e;border-radius:8px;padding:14px 16px;margin:0 0 24px}
.error-summary h2{font-size:1.15rem;color:#b3261e}
.error-summary ul{margin:0;padding-left:1.2em}
.error-summary a{color:#b3261e;font-weight:700}
.alert{border-left:6px solid #b3261e;background:#fdecea;padding:12px;border-radius:4px;margin:0 0 16px}
.alert p{margin:0 0 8px;font-weight:700}
.alert button{margin:0}
.receipt h1,.receipt h2{color:#1b5e20}
.code-label{font-weight:700;margin:0 0 4px}
.code{font-family:ui-monospace,"SF Mono",Menlo,Consolas,"Liberation Mono","DejaVu Sans Mono",monospace;font-size:clamp(1.9rem,10vw,2.8rem);font-weight:700;letter-spacing:.06em;line-height:1.2;text-align:center;padding:14px 8px;margin:0 0 12px;background:#eef4fb;border:2px dashed #0b4f9c;border-radius:10px;-webkit-user-select:all;user-select:all;overflow-wrap:anywhere}
.keep{font-weight:700}
.token-box{border:2px solid #a15c00;background:#fff4e0;border-radius:10px;padding:12px;margin:0 0 16px}
.token{font-family:ui-monospace,"SF Mono",Menlo,Consolas,"Liberation Mono","DejaVu Sans Mono",monospace;font-size:1.15rem;font-weight:700;margin:0 0 8px;-webkit-user-select:all;user-select:all;overflow-wrap:anywhere}
.warning{font-weight:700;color:#7a3e00}
fieldset.scores{border:0;padding:0;display:flex;flex-wrap:wrap;gap:8px}
fieldset.scores legend{font-weight:700;font-size:1.1rem;margin:0 0 4px;padding:0}
label.score{display:inline-flex;align-items:center;gap:6px;min-height:48px;min-width:64px;padding:6px 12px;border:2px solid #5f6368;border-radius:8px;font-weight:400;margin:0}
label.score input{width:auto;min-height:0;margin:0}
.status dl{margin:0 0 12px}
.status dt{color:#4b5563;font-size:1rem}
.status dd{margin:0 0 10px;font-weight:700}
.status .status-code{font-family:ui-monospace,"SF Mono",Menlo,Consolas,"Liberation Mono","DejaVu Sans Mono",monospace;font-size:1.3rem;font-weight:700;letter-spacing:.04em}
.status .stage{font-size:1.3rem;color:#1b5e20}
.status ol{margin:0;padding-left:1.2em}
.status li{margin:0 0 6px}
.status time{display:block;color:#4b5563;font-size:1rem}
.foot{max-width:640px;margin:0 auto;padding:8px 16px 32px;color:#4b5563;font-size:.9rem;text-align:center}
`;

/**
 * The strings the script needs, handed over as JSON (escaped for <script>), and the script itself.
 * Written for old phone browsers: no optional chaining, no async/await, no modules; if fetch or
 * crypto is missing it does nothing and the plain form post still works.
 *
 * Idempotency: a key is made for a request body and reused for every retry of that same body, so a
 * resident who taps "Retry" after a dropped connection never files the report twice; editing the
 * form makes it a new submission with a new key (reusing the old key would be a conflict).
 */
function enhancementScript(t: PageText, lang: PageLanguage): string {
  const strings = {
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
    stages: t.stages,
    rateSubmit: t.rateSubmit,
    rateSending: t.rateSending,
    rateThanks: t.rateThanks,
    rateMissing: t.rateMissing,
    rateRefused: t.rateRefused,
    rateNotYet: t.rateNotYet,
    rateFailed: t.rateFailed,
  };
  return `(${SCRIPT})(${jsonForScript(strings)},${jsonForScript(lang)});`;
}

const SCRIPT = `function (T, lang) {
  'use strict';
  var form = document.getElementById('report');
  if (!form || !window.fetch || !window.crypto || !window.crypto.getRandomValues) return;
  var FIELDS = ['category', 'communityId', 'description', 'contactPhone', 'address'];
  var $ = function (id) { return document.getElementById(id); };
  var submit = $('submit'), alertBox = $('form-alert'), retry = $('retry');
  var receipt = $('receipt'), copy = $('copy');
  var pending = null, sending = false;

  function uuid() {
    if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = '';
    for (var i = 0; i < 16; i++) h += (b[i] + 256).toString(16).slice(1);
    return h.slice(0, 8) + '-' + h.slice(8, 12) + '-' + h.slice(12, 16) + '-' + h.slice(16, 20) + '-' + h.slice(20);
  }

  var desc = form.elements.description, count = $('description-count');
  function updateCount() { count.textContent = T.counter.replace('{n}', String(Array.from(desc.value).length)); }
  desc.addEventListener('input', updateCount);
  updateCount();
  count.hidden = false;

  function setError(name, message) {
    var el = $(name + '-error'), input = form.elements[name], wrap = $('field-' + name);
    el.textContent = message || '';
    el.hidden = !message;
    if (message) { input.setAttribute('aria-invalid', 'true'); wrap.classList.add('has-error'); }
    else { input.removeAttribute('aria-invalid'); wrap.classList.remove('has-error'); }
  }
  function showAlert(message, canRetry) {
    $('form-alert-text').textContent = message || '';
    alertBox.hidden = !message;
    retry.hidden = !canRetry;
  }
  function clearErrors() {
    FIELDS.forEach(function (f) { setError(f, ''); });
    showAlert('');
    var summary = $('error-summary');
    if (summary) summary.parentNode.removeChild(summary);
  }
  function setBusy(on) {
    sending = on;
    submit.disabled = on;
    submit.textContent = on ? T.sending : T.submit;
    form.setAttribute('aria-busy', on ? 'true' : 'false');
  }
  function showIssues(issues) {
    var first = null, other = false;
    issues.forEach(function (issue) {
      var path = String(issue.path || '');
      var name = FIELDS.filter(function (f) { return path === f || path.indexOf(f + '.') === 0; })[0];
      if (name) setError(name, T.fieldErrors[name]); else other = true;
    });
    FIELDS.forEach(function (f) { if (!first && !$(f + '-error').hidden) first = f; });
    if (other || !first) showAlert(T.rejected, false);
    if (first) form.elements[first].focus(); else alertBox.focus();
  }
  function ratingHref(code, token) {
    return (lang === 'en' ? '/?lang=en' : '/') + '#rate=' + encodeURIComponent(code.replace(/-/g, '')) +
      '&token=' + encodeURIComponent(token);
  }
  function showReceipt(code, token) {
    $('receipt-code').textContent = code;
    // The rating key is shown this once: the server keeps only its hash.
    $('receipt-token').textContent = token || '';
    $('receipt-token-box').hidden = !token;
    if (token) $('receipt-rating-link').setAttribute('href', ratingHref(code, token));
    form.hidden = true;
    $('intro').hidden = true;
    receipt.hidden = false;
    copy.hidden = !(navigator.clipboard && window.isSecureContext);
    copy.textContent = T.copy;
    var checkInput = $('code');
    if (checkInput) checkInput.value = code;
    receipt.focus();
    receipt.scrollIntoView({ block: 'start' });
  }

  function body() {
    var data = {};
    FIELDS.forEach(function (f) {
      var v = form.elements[f].value;
      if (v.trim() !== '' || f === 'category' || f === 'communityId' || f === 'description') data[f] = v;
    });
    return JSON.stringify(data);
  }

  function send() {
    if (sending) return;
    var json = body();
    if (!pending || pending.body !== json) pending = { body: json, key: uuid() };
    clearErrors();
    setBusy(true);
    fetch(form.getAttribute('action'), {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', accept: 'application/json', 'idempotency-key': pending.key },
      body: json
    }).then(function (res) {
      return res.json().then(function (data) { return { status: res.status, data: data }; },
        function () { return { status: res.status, data: null }; });
    }).then(function (r) {
      setBusy(false);
      var data = r.data || {};
      if (r.status >= 200 && r.status < 300 && data.trackingCode) { pending = null; showReceipt(data.trackingCode, data.reporterToken); }
      else if (r.status === 400 && data.error) showIssues(data.error.issues || []);
      else if (r.status === 413) { setError('description', T.tooLarge); form.elements.description.focus(); }
      else if (r.status === 409 || r.status === 429 || r.status >= 500) showAlert(T.serverBusy, true);
      else showAlert(T.rejected, false);
    }, function () {
      setBusy(false);
      showAlert(T.networkError, true);
      retry.focus();
    });
  }

  form.addEventListener('submit', function (e) { e.preventDefault(); send(); });
  retry.addEventListener('click', send);
  alertBox.setAttribute('tabindex', '-1');
  copy.addEventListener('click', function () {
    navigator.clipboard.writeText($('receipt-code').textContent).then(function () { copy.textContent = T.copied; }, function () {});
  });
  $('new-report').addEventListener('click', function () {
    $('receipt-token').textContent = '';
    $('receipt-rating-link').setAttribute('href', '/');
    FIELDS.forEach(function (f) { form.elements[f].value = ''; setError(f, ''); });
    updateCount();
    receipt.hidden = true;
    $('intro').hidden = false;
    form.hidden = false;
    form.elements.category.focus();
  });

  var check = $('check'), result = $('check-result'), checkButton = $('check-submit');
  function categoryName(code) {
    var options = form.elements.category.options;
    for (var i = 0; i < options.length; i++) if (options[i].value === code) return options[i].textContent;
    return code;
  }
  function when(at) {
    try {
      return new Date(at).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB', {
        timeZone: 'Asia/Shanghai', year: 'numeric', month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit'
      });
    } catch (e) { return at; }
  }
  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }
  function renderStatus(s) {
    result.textContent = '';
    var dl = el('dl');
    dl.appendChild(el('dt', T.statusStage));
    dl.appendChild(el('dd', T.stages[s.stage] || s.stage, 'stage'));
    dl.appendChild(el('dt', T.statusCategory));
    dl.appendChild(el('dd', categoryName(s.category)));
    dl.appendChild(el('dt', T.statusUnit));
    dl.appendChild(el('dd', s.unit ? s.unit[lang] : T.statusUnitPending));
    result.appendChild(el('p', s.trackingCode, 'status-code'));
    result.appendChild(dl);
    result.appendChild(el('h3', T.statusTimeline));
    var ol = el('ol');
    (s.timeline || []).forEach(function (step) {
      var li = el('li');
      var time = el('time', when(step.at));
      time.setAttribute('datetime', step.at);
      li.appendChild(time);
      li.appendChild(document.createTextNode(T.stages[step.stage] || step.stage));
      ol.appendChild(li);
    });
    result.appendChild(ol);
  }
  check.hidden = false;
  check.addEventListener('submit', function (e) {
    e.preventDefault();
    var input = check.elements.code, raw = input.value;
    var code = (raw.normalize ? raw.normalize('NFKC') : raw).toUpperCase().replace(/[^0-9A-Z]/g, '');
    var codeError = $('code-error'), wrap = $('field-code');
    if (code.length !== 9) {
      codeError.textContent = T.checkInvalid; codeError.hidden = false;
      wrap.classList.add('has-error'); input.setAttribute('aria-invalid', 'true'); input.focus();
      return;
    }
    codeError.hidden = true; wrap.classList.remove('has-error'); input.removeAttribute('aria-invalid');
    checkButton.disabled = true;
    result.textContent = T.checking;
    fetch('/api/reports/' + encodeURIComponent(code), { headers: { accept: 'application/json' }, credentials: 'same-origin' })
      .then(function (res) {
        if (res.status === 404) { result.textContent = T.checkNotFound; return; }
        if (!res.ok) { result.textContent = T.checkFailed; return; }
        return res.json().then(renderStatus);
      })
      .catch(function () { result.textContent = T.checkFailed; })
      .then(function () { checkButton.disabled = false; });
  });

  var rate = $('rate'), rateError = $('rate-error'), rateResult = $('rate-result'), rateButton = $('rate-submit');
  function showRateError(message) { rateError.textContent = message || ''; rateError.hidden = !message; }
  // A rating link carries the code and the key in the fragment: fill them in and bring the form up.
  var hash = {};
  location.hash.replace(/^#/, '').split('&').forEach(function (pair) {
    var at = pair.indexOf('=');
    if (at > 0) {
      try { hash[pair.slice(0, at)] = decodeURIComponent(pair.slice(at + 1)); } catch (e) {}
    }
  });
  rate.hidden = false;
  if (hash.rate && hash.token) {
    rate.elements.code.value = hash.rate;
    rate.elements.token.value = hash.token;
    $('rate-section').scrollIntoView({ block: 'start' });
    rate.elements.score[0].focus();
  }
  rate.addEventListener('submit', function (e) {
    e.preventDefault();
    var raw = rate.elements.code.value;
    var code = (raw.normalize ? raw.normalize('NFKC') : raw).toUpperCase().replace(/[^0-9A-Z]/g, '');
    var token = rate.elements.token.value.trim();
    var checked = rate.querySelector('input[name="score"]:checked');
    if (code.length !== 9 || !token || !checked) { showRateError(T.rateMissing); return; }
    showRateError('');
    rateButton.disabled = true;
    rateButton.textContent = T.rateSending;
    var payload = { token: token, score: Number(checked.value) };
    var comment = rate.elements.comment.value.trim();
    if (comment) payload.comment = comment;
    fetch('/api/reports/' + encodeURIComponent(code) + '/rating', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(payload)
    }).then(function (res) {
      if (res.ok) { rate.hidden = true; rateResult.textContent = T.rateThanks; return; }
      showRateError(res.status === 404 ? T.rateRefused : res.status === 409 ? T.rateNotYet :
        res.status === 400 ? T.rateMissing : T.rateFailed);
    }, function () { showRateError(T.rateFailed); })
      .then(function () { rateButton.disabled = false; rateButton.textContent = T.rateSubmit; });
  });
}`;
