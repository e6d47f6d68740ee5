/**
 * The parts the resident's server-rendered pages share: the page frame (header with the language
 * switch, footer), the status lookup form, the rating form, and a report's status as the resident
 * reads it. Used by the report page (shared/web/resident-page.ts) and the status page
 * (shared/web/status-page.ts). Every form here is a plain GET or POST that works without
 * JavaScript; the report page's script improves the same markup in place where it runs.
 */
import type { Catalog } from '../../domain/catalog.ts';
import type { PublicStatus } from '../../services/report-status.ts';
import { escapeHtml, pageOpening } from '../html.ts';
import { loadPageAssets } from '../page-assets.ts';
import { type PageLanguage, type PageText, pageText, type RatingField } from '../page-text.ts';
import { homeHref, statusHref } from './links.ts';
import { localTime } from './local-time.ts';

export function layout(input: {
  t: PageText;
  lang: PageLanguage;
  title: string;
  body: string;
  /** The same page in the other language; no switch when absent. */
  switchHref?: string;
  script?: string;
}): string {
  const { t } = input;
  const other: PageLanguage = input.lang === 'zh' ? 'en' : 'zh';
  const switcher =
    input.switchHref === undefined
      ? ''
      : `<a class="lang-switch" href="${escapeHtml(input.switchHref)}" hreflang="${escapeHtml(pageText[other].htmlLang)}" lang="${escapeHtml(pageText[other].htmlLang)}">${escapeHtml(t.switchLanguageLabel)}</a>`;
  return `${pageOpening({ lang: t.htmlLang, title: input.title, styles: loadPageAssets('resident').css })}
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

/**
 * The status lookup: a GET form to /status, so it works without JavaScript; the report page's
 * script answers it in place instead. `error` is the sentence to show next to the code field.
 */
export function checkForm(
  t: PageText,
  lang: PageLanguage,
  input: { code?: string; error?: string } = {},
): string {
  const invalid = input.error === undefined ? '' : ' aria-invalid="true"';
  return `<form id="check" method="get" action="/status">
      ${lang === 'en' ? '<input type="hidden" name="lang" value="en">' : ''}
      <div class="field${input.error === undefined ? '' : ' has-error'}" id="field-code">
        <label for="code">${escapeHtml(t.checkLabel)}</label>
        <p class="hint" id="code-hint">${escapeHtml(t.checkHint)}</p>
        <p class="error" id="code-error"${input.error === undefined ? ' hidden' : ''}>${escapeHtml(input.error ?? '')}</p>
        <input id="code" name="code" type="text" autocomplete="off" autocapitalize="characters" spellcheck="false" maxlength="20" value="${escapeHtml(input.code ?? '')}" aria-describedby="code-hint code-error"${invalid}>
      </div>
      <button type="submit" id="check-submit">${escapeHtml(t.checkSubmit)}</button>
    </form>`;
}

export type RatingValues = Partial<Record<RatingField, string>>;

/**
 * The rating form: posted as a plain form to POST /rating, which answers with a redirect to the
 * status page (or this form again with the problems named). With `knownCode` (the status page of a
 * closed case) the code travels hidden; otherwise the resident types it.
 */
export function ratingForm(
  t: PageText,
  lang: PageLanguage,
  input: { knownCode?: string; values?: RatingValues; errors?: ReadonlyMap<RatingField, string> } = {},
): string {
  const values = input.values ?? {};
  const errors = input.errors ?? new Map<RatingField, string>();
  const errorOf = (name: RatingField): string => {
    const error = errors.get(name);
    return `<p class="error" id="rate-${name}-error"${error === undefined ? ' hidden' : ''}>${escapeHtml(error ?? '')}</p>`;
  };
  const wrapClass = (name: RatingField): string => `field${errors.has(name) ? ' has-error' : ''}`;
  const invalid = (name: RatingField): string => (errors.has(name) ? ' aria-invalid="true"' : '');
  const scores = [1, 2, 3, 4, 5]
    .map(
      (n) =>
        `<label class="score"><input type="radio" name="score" value="${n}"${values.score === String(n) ? ' checked' : ''}><span>${escapeHtml(t.rateScoreOption.replace('{n}', String(n)))}</span></label>`,
    )
    .join('');
  const code =
    input.knownCode === undefined
      ? `<div class="${wrapClass('code')}" id="field-rate-code">
        <label for="rate-code">${escapeHtml(t.rateCodeLabel)}</label>
        ${errorOf('code')}
        <input id="rate-code" name="code" type="text" autocomplete="off" autocapitalize="characters" spellcheck="false" maxlength="20" value="${escapeHtml(values.code ?? '')}" aria-describedby="rate-code-error"${invalid('code')}>
      </div>`
      : `<input type="hidden" id="rate-code" name="code" value="${escapeHtml(input.knownCode)}">`;
  return `<form id="rate" method="post" action="/rating" enctype="application/x-www-form-urlencoded" accept-charset="utf-8">
      <input type="hidden" name="lang" value="${escapeHtml(lang)}">
      ${code}
      <div class="${wrapClass('token')}" id="field-rate-token">
        <label for="rate-token">${escapeHtml(t.rateTokenLabel)}</label>
        <p class="hint" id="rate-token-hint">${escapeHtml(t.rateTokenHint)}</p>
        ${errorOf('token')}
        <input id="rate-token" name="token" type="text" autocomplete="off" autocapitalize="off" spellcheck="false" maxlength="200" value="${escapeHtml(values.token ?? '')}" aria-describedby="rate-token-hint rate-token-error"${invalid('token')}>
      </div>
      <fieldset class="${wrapClass('score')} scores" id="field-rate-score" aria-describedby="rate-score-error">
        <legend>${escapeHtml(t.rateScoreLabel)}</legend>
        ${errorOf('score')}
        ${scores}
      </fieldset>
      <div class="${wrapClass('comment')}" id="field-rate-comment">
        <label for="rate-comment">${escapeHtml(t.rateCommentLabel)}<span class="optional">${escapeHtml(t.optionalMark)}</span></label>
        ${errorOf('comment')}
        <textarea id="rate-comment" name="comment" rows="3" maxlength="500" aria-describedby="rate-comment-error"${invalid('comment')}>
${escapeHtml(values.comment ?? '')}</textarea>
      </div>
      <p class="error" id="rate-error" role="alert" hidden></p>
      <button type="submit" id="rate-submit">${escapeHtml(t.rateSubmit)}</button>
    </form>`;
}

/**
 * A report's public status as the resident reads it: stage, kind, unit, the resolution note and
 * result photos while it stands, where a merged report went, and the timeline. The same markup the report page's
 * script builds after a lookup, so both look alike.
 */
export function statusDetails(status: PublicStatus, catalog: Catalog, lang: PageLanguage): string {
  const t = pageText[lang];
  const stages: Readonly<Record<string, string>> = t.stages;
  const stageName = (stage: string): string => stages[stage] ?? stage;
  const category = catalog.categories.find((c) => c.code === status.category);
  const steps = status.timeline
    .map(
      (step) =>
        `<li><time datetime="${escapeHtml(step.at)}">${escapeHtml(localTime(step.at, lang))}</time>${escapeHtml(stageName(step.stage))}</li>`,
    )
    .join('');
  const resolution =
    status.resolution === undefined
      ? ''
      : `<h3 id="resolution-heading">${escapeHtml(t.statusResolution)}</h3>
      <p class="resolution" id="resolution">${escapeHtml(status.resolution.note)}</p>
      <p class="hint"><time datetime="${escapeHtml(status.resolution.at)}">${escapeHtml(localTime(status.resolution.at, lang))}</time></p>`;
  // Same-site paths that redirect to a short-lived URL of each photo (report-status.ts).
  const photos =
    status.photos === undefined
      ? ''
      : `<p class="result-photos" id="result-photos">${status.photos
          .map(
            (photo, index) =>
              `<a href="${escapeHtml(photo.url)}"><img src="${escapeHtml(photo.url)}" alt="${escapeHtml(`${t.statusResolution} ${index + 1}`)}"></a>`,
          )
          .join('')}</p>`;
  const merged =
    status.mergedInto === undefined
      ? ''
      : `<p id="merged-into">${escapeHtml(t.statusMergedInto)} <a href="${escapeHtml(statusHref(lang, status.mergedInto.trackingCode.replace(/-/g, '')))}">${escapeHtml(status.mergedInto.trackingCode)}</a></p>`;
  return `<p class="status-code" id="status-code">${escapeHtml(status.trackingCode)}</p>
      <dl>
        <dt>${escapeHtml(t.statusStage)}</dt><dd class="stage">${escapeHtml(stageName(status.stage))}</dd>
        <dt>${escapeHtml(t.statusCategory)}</dt><dd>${escapeHtml(category === undefined ? status.category : category[lang])}</dd>
        <dt>${escapeHtml(t.statusUnit)}</dt><dd>${escapeHtml(status.unit === null ? t.statusUnitPending : status.unit[lang])}</dd>
      </dl>
      ${merged}${resolution}${photos}
      <h3>${escapeHtml(t.statusTimeline)}</h3>
      <ol>${steps}</ol>`;
}
