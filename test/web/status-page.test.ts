/**
 * The status page and the rating answers as HTML strings: the status a resident reads (with the
 * resolution note, escaped), the rating form only on a closed case, the lookup's and the rating's
 * problems next to their fields in the page's language, and nothing that runs script.
 */
import { describe, expect, it } from 'vitest';
import type { Catalog } from '../../shared/domain/catalog.ts';
import { categories } from '../../shared/domain/categories.ts';
import type { PublicStatus } from '../../shared/services/report-status.ts';
import { pageText } from '../../shared/web/page-text.ts';
import { renderRatingRejected, renderStatusPage } from '../../shared/web/status-page.ts';

const catalog: Catalog = {
  categories: categories.map(({ code, zh, en }) => ({ code, zh, en })),
  townships: [],
  units: [],
};

const hostile = '<script>alert("x")</script>';

const closed: PublicStatus = {
  trackingCode: 'K7M-2QX-9PA',
  stage: 'closed',
  category: 'road',
  unit: { id: 'transport', zh: '县交通运输局', en: 'County Transport Bureau' },
  submittedAt: '2026-12-01T00:00:00.000Z',
  updatedAt: '2026-12-03T00:00:00.000Z',
  timeline: [
    { stage: 'received', at: '2026-12-01T00:00:00.000Z' },
    { stage: 'dispatched', at: '2026-12-01T00:00:05.000Z' },
    { stage: 'resolved', at: '2026-12-02T02:30:00.000Z' },
    { stage: 'closed', at: '2026-12-03T00:00:00.000Z' },
  ],
  resolution: { note: `已修复路灯。${hostile}`, at: '2026-12-02T02:30:00.000Z' },
};

const found = (status: PublicStatus, rated = false) =>
  ({ kind: 'found', code: status.trackingCode, status, rated }) as const;

/** The markup of the rating form, if the page has one. */
const rateForm = (html: string): string | undefined => html.match(/<form id="rate"[\s\S]*?<\/form>/)?.[0];

describe('renderStatusPage', () => {
  it('shows stage, kind, unit, the resolution note and the timeline in Beijing time', () => {
    const html = renderStatusPage({ catalog, lang: 'zh', lookup: found(closed) });
    expect(html).toContain('<p class="status-code" id="status-code">K7M-2QX-9PA</p>');
    expect(html).toContain(`<dd class="stage">${pageText.zh.stages.closed}</dd>`);
    expect(html).toContain('<dd>道路交通与路灯</dd>');
    expect(html).toContain('<dd>县交通运输局</dd>');
    expect(html).toContain(`<h3 id="resolution-heading">${pageText.zh.statusResolution}</h3>`);
    expect(html).toContain('<p class="resolution" id="resolution">已修复路灯。&lt;script&gt;');
    // 02:30 UTC is 10:30 in Pingyao.
    expect(html).toContain('<time datetime="2026-12-02T02:30:00.000Z">2026/12/2 10:30</time>');
    expect(html).toContain(
      'id="code" name="code" type="text" autocomplete="off" autocapitalize="characters" spellcheck="false" maxlength="20" value="K7M-2QX-9PA"',
    );
  });

  it('escapes hostile text wherever it appears, and runs no script', () => {
    const html = renderStatusPage({
      catalog,
      lang: 'en',
      lookup: found({
        ...closed,
        trackingCode: hostile,
        category: 'road',
        unit: { id: 'x', zh: hostile, en: hostile },
      }),
    });
    expect(html).not.toContain(hostile);
    expect(html).not.toContain('<script');
    const invalid = renderStatusPage({
      catalog,
      lang: 'zh',
      lookup: { kind: 'invalid', code: `"><img src=x onerror=alert(1)>` },
    });
    expect(invalid).not.toContain('<img');
    expect(invalid).toContain('value="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"');
  });

  it('offers the rating form on a closed case only, the code travelling hidden', () => {
    const form = rateForm(renderStatusPage({ catalog, lang: 'zh', lookup: found(closed) }));
    expect(form).toContain('method="post" action="/rating"');
    expect(form).toContain('<input type="hidden" id="rate-code" name="code" value="K7M2QX9PA">');
    expect(form).toContain('<input type="hidden" name="lang" value="zh">');
    expect(form).toContain('id="rate-token" name="token"');
    for (const stage of ['dispatched', 'in_progress', 'resolved', 'evaluated'] as const) {
      expect(
        rateForm(renderStatusPage({ catalog, lang: 'zh', lookup: found({ ...closed, stage }) })),
      ).toBeUndefined();
    }
  });

  it('thanks the resident after the redirect from a rating, and only then', () => {
    const evaluated = { ...closed, stage: 'evaluated' as const };
    expect(renderStatusPage({ catalog, lang: 'en', lookup: found(evaluated, true) })).toContain(
      `<p class="notice" id="rated" role="status">${pageText.en.rateThanks}</p>`,
    );
    expect(renderStatusPage({ catalog, lang: 'en', lookup: found(evaluated) })).not.toContain('id="rated"');
    // `rated` on a case that is not rated says nothing.
    expect(renderStatusPage({ catalog, lang: 'en', lookup: found(closed, true) })).not.toContain(
      'id="rated"',
    );
  });

  it('names a mistyped or unknown code next to the code field, in the page’s language', () => {
    const invalid = renderStatusPage({ catalog, lang: 'en', lookup: { kind: 'invalid', code: 'K7M' } });
    expect(invalid).toContain('class="field has-error" id="field-code"');
    expect(invalid).toContain(`<p class="error" id="code-error">${pageText.en.checkInvalid}</p>`);
    expect(invalid).toContain('aria-invalid="true"');
    expect(invalid).toContain(`<title>${pageText.en.errorTitlePrefix}`);
    const unknown = renderStatusPage({
      catalog,
      lang: 'zh',
      lookup: { kind: 'not_found', code: 'K7M2QX9PA' },
    });
    expect(unknown).toContain(`<p class="error" id="code-error">${pageText.zh.checkNotFound}</p>`);
    expect(unknown).not.toContain('id="status"');
  });

  it('switches language on the same report, naming the language explicitly', () => {
    const html = renderStatusPage({ catalog, lang: 'zh', lookup: found(closed) });
    expect(html).toContain('href="/status?code=K7M2QX9PA&amp;lang=en" hreflang="en"');
    const empty = renderStatusPage({ catalog, lang: 'en', lookup: { kind: 'none' } });
    expect(empty).toContain('href="/status?lang=zh" hreflang="zh-CN"');
    expect(empty).toContain('<html lang="en">');
  });

  it('links a merged report to the one it was merged into', () => {
    const html = renderStatusPage({
      catalog,
      lang: 'zh',
      lookup: found({
        ...closed,
        stage: 'merged',
        mergedInto: { trackingCode: 'AAA-BBB-CCC', stage: 'in_progress' },
      }),
    });
    expect(html).toContain('<a href="/status?code=AAABBBCCC">AAA-BBB-CCC</a>');
  });
});

describe('renderRatingRejected', () => {
  it('names each refused field next to it, in the page’s language, keeping what was typed', () => {
    const html = renderRatingRejected({
      lang: 'en',
      values: { code: 'K7M2QX9PA', token: 'short', score: '6', comment: hostile },
      problem: {
        kind: 'fields',
        issues: [
          { path: 'token', message: 'Too small: expected string to have >=10 characters' },
          { path: 'score', message: 'from 1 to 5' },
        ],
      },
    });
    expect(html).toContain(`<p class="error" id="rate-token-error">${pageText.en.rateFieldErrors.token}</p>`);
    expect(html).toContain(`<p class="error" id="rate-score-error">${pageText.en.rateFieldErrors.score}</p>`);
    expect(html).toContain('id="rate-code-error" hidden');
    expect(html).toContain(`<a href="#rate-token">${pageText.en.rateFieldErrors.token}</a>`);
    expect(html).toContain(`<a href="#field-rate-score">${pageText.en.rateFieldErrors.score}</a>`);
    expect(html).toContain('value="K7M2QX9PA"');
    expect(html).toContain('value="short"');
    // The server's English words and a hostile comment never reach the page as they are.
    expect(html).not.toContain('Too small');
    expect(html).not.toContain(hostile);
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</textarea>');
    expect(html).toContain('id="error-summary" role="alert"');
  });

  it('says the code and key do not match next to the key, and that a case cannot be rated now in the summary', () => {
    const notYours = renderRatingRejected({
      lang: 'zh',
      values: { score: '4' },
      problem: { kind: 'not_yours' },
    });
    expect(notYours).toContain(`<p class="error" id="rate-token-error">${pageText.zh.rateRefused}</p>`);
    expect(notYours).toContain('name="score" value="4" checked');
    const notNow = renderRatingRejected({ lang: 'zh', values: {}, problem: { kind: 'not_now' } });
    expect(notNow).toContain(`<li>${pageText.zh.rateNotYet}</li>`);
    expect(notNow).toContain('<html lang="zh-CN">');
  });
});
