/**
 * The resident page as HTML strings: escaping, the form built from the catalogue, both languages,
 * the no-JS error and receipt pages. No DOM library is installed, so fields are located by their
 * ids in the markup (each field block starts at `id="field-<name>"`).
 */
import { describe, expect, it } from 'vitest';
import { demoOrganisation } from '../../infra/demo/demo-organisation.ts';
import { buildCatalog } from '../../shared/domain/build-catalog.ts';
import type { Catalog } from '../../shared/domain/catalog.ts';
import { categories } from '../../shared/domain/categories.ts';
import { townships, units } from '../../shared/reference/county-structure.ts';
import { escapeHtml, jsonForScript } from '../../shared/web/html.ts';
import { pageText } from '../../shared/web/page-text.ts';
import {
  parsePageLanguage,
  ratingHref,
  renderResidentPage,
  renderSubmissionReceipt,
  renderSubmissionRejected,
} from '../../shared/web/resident-page.ts';

const smallCatalog: Catalog = {
  categories: categories.map(({ code, zh, en }) => ({ code, zh, en })),
  townships: [
    {
      id: 'chengdong',
      kind: 'subdistrict',
      zh: '城东街道',
      en: 'Chengdong Sub-district',
      communities: [
        { id: 'xiguan', zh: '西关社区', en: 'Xiguan Community' },
        { id: 'dongguan', zh: '东关社区', en: 'Dongguan Community' },
      ],
    },
    {
      id: 'xiangyuan',
      kind: 'township',
      zh: '襄垣乡',
      en: 'Xiangyuan Township',
      communities: [{ id: 'xiangyuan-village', zh: '襄垣村', en: 'Xiangyuan Village' }],
    },
    { id: 'empty', kind: 'township', zh: '空乡', en: 'Empty Township', communities: [] },
  ],
  units: [
    { id: 'psb-antifraud', kind: 'department', zh: '县公安局反诈中心', en: 'County PSB anti-fraud centre' },
  ],
};

const hostile = '<script>alert("x")</script>';
const hostileCatalog: Catalog = {
  ...smallCatalog,
  categories: smallCatalog.categories.map((c, i) => (i === 0 ? { ...c, zh: hostile, en: hostile } : c)),
  townships: [
    {
      id: 'chengdong',
      kind: 'subdistrict',
      zh: `城东"><img src=x onerror=alert(1)>`,
      en: 'Chengdong',
      communities: [{ id: 'xiguan', zh: `西关${hostile}`, en: 'Xiguan' }],
    },
  ],
};

/** The markup of one field, from its wrapper to the next field (or the end of the form). */
function fieldBlock(html: string, name: string): string {
  const start = html.indexOf(`id="field-${name}"`);
  expect(start, `field ${name} is rendered`).toBeGreaterThan(-1);
  const rest = html.slice(start + 1);
  const ends = [rest.indexOf('id="field-'), rest.indexOf('</form>')].filter((i) => i > -1);
  return rest.slice(0, Math.min(...ends));
}

const scriptsOf = (html: string): string[] =>
  [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1] ?? '');

describe('escapeHtml / jsonForScript', () => {
  it('escapes the five characters that matter in content and attributes', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
    expect(escapeHtml(42)).toBe('42');
  });

  it('keeps JSON for a script free of anything that could close the element', () => {
    const json = jsonForScript({ s: '</script><!-- \u2028' });
    expect(json).not.toMatch(/[<>\u2028]/);
    expect(JSON.parse(json)).toEqual({ s: '</script><!-- \u2028' });
  });
});

describe('parsePageLanguage', () => {
  it('defaults to Chinese and accepts English in any common spelling', () => {
    expect(parsePageLanguage(undefined)).toBe('zh');
    expect(parsePageLanguage('')).toBe('zh');
    expect(parsePageLanguage('fr')).toBe('zh');
    expect(parsePageLanguage('zh')).toBe('zh');
    expect(parsePageLanguage('en')).toBe('en');
    expect(parsePageLanguage('EN')).toBe('en');
    expect(parsePageLanguage('en-US')).toBe('en');
  });
});

describe('renderResidentPage', () => {
  it('escapes hostile catalogue names instead of emitting markup', () => {
    const html = renderResidentPage({ catalog: hostileCatalog, lang: 'zh' });
    expect(html).not.toContain(hostile);
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(html).toContain('label="城东&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"');
    // The page's own inline script is the only script element.
    expect(scriptsOf(html)).toHaveLength(1);
  });

  it('escapes hostile values a resident sent back on the no-JS error page', () => {
    const html = renderResidentPage({
      catalog: smallCatalog,
      lang: 'zh',
      values: {
        description: `</textarea>${hostile}`,
        address: `" autofocus onfocus="alert(1)`,
        category: hostile,
      },
      issues: [{ path: '', message: hostile }],
    });
    expect(html).not.toContain(hostile);
    expect(html).not.toContain('</textarea><script>');
    expect(html).toContain('value="&quot; autofocus onfocus=&quot;alert(1)"');
    expect(scriptsOf(html)).toHaveLength(1);
  });

  it('renders the eleven categories and one optgroup per township with communities', () => {
    const html = renderResidentPage({ catalog: smallCatalog, lang: 'zh' });
    const category = fieldBlock(html, 'category');
    for (const c of categories)
      expect(category).toContain(`<option value="${c.code}">${escapeHtml(c.zh)}</option>`);
    expect(category.match(/<option value="[a-z_]+">/g)).toHaveLength(11);

    const community = fieldBlock(html, 'communityId');
    expect(community.match(/<optgroup /g)).toHaveLength(2);
    expect(community).toContain('<optgroup label="城东街道"><option value="xiguan">西关社区</option>');
    expect(community).toContain(
      '<optgroup label="襄垣乡"><option value="xiangyuan-village">襄垣村</option></optgroup>',
    );
    expect(community).not.toContain('空乡');
  });

  it('builds the form from the demo organisation: 16 townships, 193 communities', () => {
    const html = renderResidentPage({
      catalog: buildCatalog(demoOrganisation, categories, { townships, units }),
      lang: 'zh',
    });
    const community = fieldBlock(html, 'communityId');
    expect(community.match(/<optgroup /g)).toHaveLength(16);
    expect(community.match(/<option value="[a-z0-9-]+">/g)).toHaveLength(193);
    expect(community.indexOf('城东街道')).toBeLessThan(community.indexOf('香乐乡'));
  });

  it('is a complete, phone-ready Chinese page by default', () => {
    const html = renderResidentPage({ catalog: smallCatalog, lang: 'zh' });
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(html).toContain('<h1 id="heading">反映问题</h1>');
    expect(html).toContain('href="/?lang=en" hreflang="en" lang="en">English</a>');
    expect(html).toContain(
      '<form id="report" method="post" action="/api/reports" enctype="application/x-www-form-urlencoded"',
    );
    expect(html).toContain('<input type="hidden" name="lang" value="zh">');
    // Nothing is loaded from elsewhere: no external scripts, styles, fonts or images.
    expect(html).not.toMatch(/<script [^>]*src=|<link |@import|url\(|<img /);
  });

  it('ties every label to its control and describes the fields', () => {
    const html = renderResidentPage({ catalog: smallCatalog, lang: 'zh' });
    for (const name of ['category', 'communityId', 'description', 'contactPhone', 'address']) {
      const block = fieldBlock(html, name);
      expect(block).toContain(`<label for="${name}">`);
      expect(block).toContain(`id="${name}" name="${name}"`);
      expect(block).toContain(`id="${name}-error" hidden`);
    }
    expect(fieldBlock(html, 'description')).toContain('maxlength="2000"');
    const phone = fieldBlock(html, 'contactPhone');
    expect(phone).toContain('type="tel" inputmode="tel" autocomplete="tel"');
    expect(phone).toContain('（选填）');
    expect(phone).toContain(pageText.zh.phoneHint);
    expect(phone).toContain('aria-describedby="contactPhone-hint contactPhone-error"');
  });

  it('speaks English with lang=en, catalogue names included', () => {
    const html = renderResidentPage({ catalog: smallCatalog, lang: 'en' });
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('<h1 id="heading">Report a problem</h1>');
    expect(html).toContain('<option value="fraud">Telecom and online fraud</option>');
    expect(html).toContain('<optgroup label="Chengdong Sub-district">');
    expect(html).toContain('<input type="hidden" name="lang" value="en">');
    // The switch back names Chinese: a bare "/" would be read in the language the cookie keeps.
    expect(html).toContain('href="/?lang=zh" hreflang="zh-CN" lang="zh-CN">中文</a>');
    expect(html).not.toContain('反映问题');
    expect(html).not.toContain('电信网络诈骗');
  });

  it('keeps the values and shows each issue next to its field (the no-JS 400 page)', () => {
    const html = renderSubmissionRejected({
      catalog: smallCatalog,
      lang: 'zh',
      values: {
        category: 'fraud',
        communityId: 'dongguan',
        description: '  ',
        contactPhone: '12345',
        address: '东大街',
      },
      issues: [
        { path: 'description', message: 'describe the problem' },
        { path: 'contactPhone', message: 'enter a mainland mobile number' },
      ],
    });
    expect(html).toContain('<title>请修改：');
    expect(html).toContain('id="error-summary" role="alert"');
    expect(html).toContain(`<a href="#description">${pageText.zh.fieldErrors.description}</a>`);

    const description = fieldBlock(html, 'description');
    expect(description).toContain('class="field has-error"');
    expect(description).toContain(
      `<p class="error" id="description-error">${pageText.zh.fieldErrors.description}</p>`,
    );
    expect(description).toContain('aria-invalid="true"');

    const phone = fieldBlock(html, 'contactPhone');
    expect(phone).toContain(`id="contactPhone-error">${pageText.zh.fieldErrors.contactPhone}</p>`);
    expect(phone).toContain('value="12345"');

    expect(fieldBlock(html, 'category')).toContain('<option value="fraud" selected>');
    expect(fieldBlock(html, 'communityId')).toContain('<option value="dongguan" selected>');
    expect(fieldBlock(html, 'address')).toContain('value="东大街"');
    expect(fieldBlock(html, 'address')).not.toContain('has-error');
    expect(fieldBlock(html, 'address')).toContain('id="address-error" hidden');
  });

  it('lists issues on paths the form has no field for in the summary', () => {
    const html = renderResidentPage({
      catalog: smallCatalog,
      lang: 'en',
      issues: [{ path: 'location.lat', message: 'Too big: expected number to be <=90' }],
    });
    expect(html).toContain('<li>Too big: expected number to be &lt;=90</li>');
    expect(html).not.toContain('class="field has-error"');
  });

  it('keeps a textarea value that starts with a newline', () => {
    const html = renderResidentPage({
      catalog: smallCatalog,
      lang: 'zh',
      values: { description: '\n第二行' },
    });
    expect(fieldBlock(html, 'description')).toMatch(
      /aria-describedby="description-hint description-error">\n\n第二行<\/textarea>/,
    );
  });

  it('offers the status lookup as a plain GET form to the status page, shown without JavaScript', () => {
    const html = renderResidentPage({ catalog: smallCatalog, lang: 'zh' });
    expect(html).toContain('<form id="check" method="get" action="/status">');
    expect(html).not.toContain('<form id="check" hidden');
    expect(html).not.toContain('<noscript>');
    expect(html).toContain('id="code" name="code" type="text"');
    // The English page keeps its language in the lookup's query, cookie or not.
    const en = renderResidentPage({ catalog: smallCatalog, lang: 'en' });
    expect(en).toMatch(
      /<form id="check" method="get" action="\/status">\s*<input type="hidden" name="lang" value="en">/,
    );
  });

  it('carries an inline script that parses and has the page strings', () => {
    const [script] = scriptsOf(renderResidentPage({ catalog: smallCatalog, lang: 'en' }));
    expect(script).toBeDefined();
    expect(() => new Function(script ?? '')).not.toThrow();
    expect(script).toContain('idempotency-key');
    expect(script).toContain('crypto.randomUUID');
    expect(script).toContain(JSON.stringify(pageText.en.networkError));
  });
});

describe('renderSubmissionReceipt', () => {
  const token = 'q2Vw3kX9mZ8pL7nB6vC5xA4s';

  it('shows the tracking code, formatted, and a link back', () => {
    const html = renderSubmissionReceipt({ lang: 'zh', trackingCode: 'K7M2QX9PA', reporterToken: token });
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toContain('<p class="code" id="tracking-code">K7M-2QX-9PA</p>');
    expect(html).toContain(pageText.zh.receiptKeep);
    expect(html).toContain(`href="/">${pageText.zh.backHome}</a>`);
    // The status page works without JavaScript: the receipt links to it with the code.
    expect(html).toContain(
      `<a id="status-link" href="/status?code=K7M2QX9PA">${pageText.zh.receiptStatusLink}</a>`,
    );
    expect(html).not.toContain('<script');
  });

  it('shows the rating key once, with the warning to keep it and a rating link carrying it in the fragment', () => {
    const html = renderSubmissionReceipt({ lang: 'zh', trackingCode: 'K7M-2QX-9PA', reporterToken: token });
    expect(html).toContain(`<p class="token" id="reporter-token">${token}</p>`);
    expect(html).toContain(pageText.zh.receiptTokenLabel);
    expect(html).toContain(pageText.zh.receiptTokenWarning);
    // The fragment never reaches a server, a log or a Referer header; the code goes canonical.
    expect(html).toContain(`id="rating-link" href="/#rate=K7M2QX9PA&amp;token=${token}"`);
    const en = renderSubmissionReceipt({ lang: 'en', trackingCode: 'K7M2QX9PA', reporterToken: token });
    expect(en).toContain(`href="/?lang=en#rate=K7M2QX9PA&amp;token=${token}"`);
    expect(en).toContain(pageText.en.receiptTokenWarning);
    // Without JavaScript the fragment fills nothing: the receipt says where else to enter the key.
    expect(html).toContain(pageText.zh.receiptRateOnStatus);
    expect(en).toContain('id="status-link" href="/status?code=K7M2QX9PA&amp;lang=en"');
  });

  it('accepts a code already formatted, in English too, and escapes anything odd', () => {
    const en = renderSubmissionReceipt({ lang: 'en', trackingCode: 'K7M-2QX-9PA', reporterToken: token });
    expect(en).toContain('id="tracking-code">K7M-2QX-9PA</p>');
    expect(en).toContain('href="/?lang=en">Back to the start page</a>');
    const odd = renderSubmissionReceipt({ lang: 'en', trackingCode: hostile, reporterToken: hostile });
    expect(odd).not.toContain(hostile);
  });
});

describe('ratingHref', () => {
  it('puts the code and the key in the fragment, encoded', () => {
    expect(ratingHref('zh', 'K7M2QX9PA', 'a+b/c')).toBe('/#rate=K7M2QX9PA&token=a%2Bb%2Fc');
    expect(ratingHref('en', 'K7M2QX9PA', 'abc')).toBe('/?lang=en#rate=K7M2QX9PA&token=abc');
  });
});

describe('the rating section', () => {
  it('is on the page as a form that posts to /rating, so it works without the script too', () => {
    const html = renderResidentPage({ catalog: smallCatalog, lang: 'zh' });
    expect(html).toContain('<section class="card" id="rate-section"');
    expect(html).toContain(
      '<form id="rate" method="post" action="/rating" enctype="application/x-www-form-urlencoded"',
    );
    expect(html).not.toContain('<form id="rate" hidden');
    expect(html).toContain('id="rate-code" name="code" type="text"');
    expect(html).toContain('id="rate-token" name="token" type="text"');
    for (const n of [1, 2, 3, 4, 5]) expect(html).toContain(`name="score" value="${n}"`);
    const [script] = scriptsOf(html);
    // esbuild writes string literals with double quotes: the endpoint's path, whatever the quotes.
    expect(script).toContain('/rating');
    expect(script).toContain(JSON.stringify(pageText.zh.rateThanks));
  });
});
