/**
 * The staff console's shell as HTML strings and its two functions: both languages, escaping of
 * everything interpolated (markup and the JSON handed to the script), a CSP that admits exactly
 * the inline app and same-origin Chart.js, nothing loaded from elsewhere, the action forms derived
 * from the lifecycle schema, and the Chart.js asset's caching (immutable only for its own
 * version, ETag revalidation, gzip).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import {
  acceptsGzip,
  CHART_FILE,
  chartFilePath,
  loadAsset,
  makeHandler as makeAssetsHandler,
} from '../../functions/console-assets.ts';
import { makeHandler as makePageHandler } from '../../functions/console-page.ts';
import { copyFilesHooks } from '../../infra/constructs/civic-function.ts';
import { topology } from '../../infra/topology.ts';
import { Stage } from '../../shared/domain/case.ts';
import { StaffAction } from '../../shared/domain/case-lifecycle.ts';
import {
  actionFieldSpecs,
  CHART_ASSET_PATH,
  chartJsVersion,
  chartScriptUrl,
  renderConsolePage,
} from '../../shared/web/console-page.ts';
import { consoleText } from '../../shared/web/console-text.ts';
import { lambdaContext } from '../support/lambda-context.ts';

const silent = new Logger({ logLevel: 'SILENT' });

const scriptsOf = (html: string): string[] =>
  [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1] ?? '');

const onlyScript = (html: string): string => {
  const scripts = scriptsOf(html);
  expect(scripts).toHaveLength(1);
  return scripts[0] ?? '';
};

/** The JSON the page hands its app: the argument of the immediately-invoked function. */
function configOf(html: string): Record<string, unknown> {
  const script = onlyScript(html);
  const start = script.lastIndexOf('})(');
  const json = script.slice(start + 3, script.length - 2);
  return JSON.parse(json);
}

function httpEvent(
  path: string,
  query?: Record<string, string>,
  headers: Record<string, string> = {},
): APIGatewayProxyEventV2 {
  const now = new Date();
  return {
    version: '2.0',
    routeKey: `GET ${path}`,
    rawPath: path,
    rawQueryString: new URLSearchParams(query).toString(),
    headers,
    queryStringParameters: query,
    requestContext: {
      accountId: '000000000000',
      apiId: 'test',
      domainName: 'localhost',
      domainPrefix: 'localhost',
      http: { method: 'GET', path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'vitest' },
      requestId: crypto.randomUUID(),
      routeKey: `GET ${path}`,
      stage: '$default',
      time: now.toISOString(),
      timeEpoch: now.getTime(),
    },
    isBase64Encoded: false,
  };
}

describe('renderConsolePage', () => {
  it('is a complete Chinese page by default, with the three lists by their official names', () => {
    const { html } = renderConsolePage({ lang: 'zh' });
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(html).toContain('<title>案件工作台 · 平遥县综治中心</title>');
    for (const name of ['我的待办', '问题清单', '流转清单', '回访清单', '统计分析'])
      expect(html).toContain(`>${name}</a>`);
    expect(html).toContain('<h1 id="sign-in-heading" tabindex="-1">工作人员登录</h1>');
    expect(html).toContain('autocomplete="current-password"');
    expect(html).toContain('href="/console?lang=en" hreflang="en" lang="en">English</a>');
    expect(html).toContain('<option value="in_progress">办理中</option>');
    // The shell holds no data and starts with everything but sign-in hidden.
    expect(html).toContain('<div id="app" hidden>');
    expect(html).toContain('<section id="sign-in-view" class="sign-in" hidden>');
  });

  it('speaks English with lang=en, in the markup and in the script', () => {
    const { html } = renderConsolePage({ lang: 'en' });
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('>Transfer list</a>');
    expect(html).toContain('href="/console" hreflang="zh-CN" lang="zh-CN">中文</a>');
    expect(configOf(html)).toMatchObject({
      lang: 'en',
      t: { signIn: 'Sign in', stages: { merged: 'Merged' } },
    });
    // Apart from the switch back to Chinese, no Chinese text is left in the English page.
    const withoutSwitch = html.replaceAll('中文', '');
    expect(withoutSwitch).not.toMatch(/[\u4e00-\u9fff]/);
  });

  it('loads nothing from elsewhere: no external scripts, styles, fonts, images or URLs', () => {
    for (const lang of ['zh', 'en'] as const) {
      const { html, contentSecurityPolicy } = renderConsolePage({ lang });
      expect(html).not.toMatch(/https?:\/\//);
      expect(html).not.toMatch(/<script [^>]*src=|<link |@import|url\(|<img |<iframe/);
      expect(configOf(html).chartSrc).toBe(chartScriptUrl);
      expect(chartScriptUrl.startsWith('/')).toBe(true);
      expect(contentSecurityPolicy).toContain("default-src 'none'");
      expect(contentSecurityPolicy).toContain("connect-src 'self'");
      expect(contentSecurityPolicy).not.toMatch(/https?:/);
    }
  });

  it("admits its own inline script by hash, not by 'unsafe-inline'", () => {
    const { html, contentSecurityPolicy } = renderConsolePage({ lang: 'zh' });
    const hash = createHash('sha256').update(onlyScript(html), 'utf8').digest('base64');
    const scriptSrc = contentSecurityPolicy.split('; ').find((d) => d.startsWith('script-src'));
    expect(scriptSrc).toBe(`script-src 'self' 'sha256-${hash}'`);
    // Each language has its own script (its strings), hence its own hash.
    expect(renderConsolePage({ lang: 'en' }).contentSecurityPolicy).not.toBe(contentSecurityPolicy);
  });

  it('escapes hostile wording in the markup and in the JSON handed to the script', () => {
    const hostile = '</script><script>alert(1)</script>"\'&<b>';
    const text = {
      ...consoleText.zh,
      pageTitle: hostile,
      signInHeading: hostile,
      nav: { ...consoleText.zh.nav, problems: hostile },
      stages: { ...consoleText.zh.stages, dispatched: hostile },
      noData: hostile,
    };
    const { html } = renderConsolePage({ lang: 'zh', text });
    expect(html).not.toContain('<script>alert(1)');
    expect(html).not.toContain('<b>');
    expect(html).toContain(
      `<title>&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;&lt;b&gt;</title>`,
    );
    expect(html).toContain('<option value="dispatched">&lt;/script&gt;');
    // Still one script element, and its JSON still carries the exact string.
    expect(configOf(html)).toMatchObject({ t: { signInHeading: hostile, nav: { problems: hostile } } });
  });

  it('carries an app that parses and builds data into the DOM as text, never as markup', () => {
    const script = onlyScript(renderConsolePage({ lang: 'zh' }).html);
    expect(() => new Function(script)).not.toThrow();
    expect(script).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(/);
    expect(script).toContain("'/api/session'");
    expect(script).toContain('sessionStorage');
    expect(script).toContain('expectedVersion: d.version');
    // Nothing personal is written to the console of the browser either.
    expect(script).not.toMatch(/console\.(log|info|warn|error)/);
  });

  it('hands the script every stage, the open ones, and the strings for each action', () => {
    const config = configOf(renderConsolePage({ lang: 'zh' }).html);
    expect(config.stages).toEqual(Stage.options);
    expect(config.openStages).toEqual([
      'received',
      'registered',
      'dispatched',
      'in_progress',
      'resolved',
      'verified',
    ]);
    for (const option of StaffAction.options) {
      const action = option.shape.action.value;
      expect(consoleText.zh.actions[action]).toBeTruthy();
      expect(consoleText.en.actionHints[action]).toBeTruthy();
    }
  });
});

describe('actionFieldSpecs', () => {
  it('asks for exactly the fields each transition validates, marking the required ones', () => {
    const specs = actionFieldSpecs();
    expect(Object.keys(specs).sort()).toEqual(StaffAction.options.map((o) => o.shape.action.value).sort());
    expect(specs.accept).toEqual([{ name: 'note', required: false }]);
    expect(specs.return).toEqual([{ name: 'note', required: true }]);
    expect(specs.reassign).toEqual([
      { name: 'unitId', required: true },
      { name: 'note', required: false },
    ]);
    expect(specs.resolve).toEqual([{ name: 'note', required: true }]);
    expect(specs.verify).toEqual([{ name: 'note', required: false }]);
    expect(specs.close).toEqual([{ name: 'note', required: false }]);
    expect(specs.merge).toEqual([
      { name: 'into', required: true },
      { name: 'note', required: false },
    ]);
    expect(specs.record_return_visit).toEqual([
      { name: 'outcome', required: true },
      { name: 'note', required: true },
    ]);
  });
});

describe('GET /console (functions/console-page.ts)', () => {
  const handler = makePageHandler({ logger: silent });

  it('serves the Chinese shell with its own CSP, uncached', async () => {
    const response = await handler(httpEvent('/console'), lambdaContext('civicloop-console-page'));
    expect(response.statusCode).toBe(200);
    expect(response.headers).toMatchObject({
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'content-security-policy': renderConsolePage({ lang: 'zh' }).contentSecurityPolicy,
    });
    expect(response.body).toBe(renderConsolePage({ lang: 'zh' }).html);
  });

  it('serves English with ?lang=en', async () => {
    const response = await handler(
      httpEvent('/console', { lang: 'en' }),
      lambdaContext('civicloop-console-page'),
    );
    expect(response.body).toContain('<html lang="en">');
  });

  it('is a public route in the topology: the shell carries no data', () => {
    const page = topology.functions.find((f) => f.name === 'console-page');
    expect(page?.triggers).toEqual([{ kind: 'http', method: 'GET', path: '/console', auth: 'public' }]);
    expect(page?.bindings).toEqual([]);
  });
});

describe('GET /console/assets/chart.js (functions/console-assets.ts)', () => {
  const asset = loadAsset(readFileSync(chartFilePath()));
  const handler = makeAssetsHandler({ logger: silent, asset });
  const invoke = (query?: Record<string, string>, headers?: Record<string, string>) =>
    handler(httpEvent(CHART_ASSET_PATH, query, headers), lambdaContext('civicloop-console-assets'));

  it('serves the Chart.js UMD build the page names, from node_modules on a laptop', () => {
    expect(chartFilePath().endsWith(`node_modules/chart.js/dist/${CHART_FILE}`)).toBe(true);
    expect(asset.version).toBe(chartJsVersion);
    expect(chartScriptUrl).toBe(`/console/assets/chart.js?v=${chartJsVersion}`);
    expect(asset.body.toString('utf8')).toContain('window.Chart=');
    expect(asset.body.toString('utf8')).not.toContain('sourceMappingURL');
  });

  it('lets browsers keep the requested version for a year', async () => {
    const response = await invoke({ v: chartJsVersion });
    expect(response.statusCode).toBe(200);
    expect(response.headers).toMatchObject({
      'content-type': 'text/javascript; charset=utf-8',
      'cache-control': 'public, max-age=31536000, immutable',
      etag: asset.etag,
      'x-content-type-options': 'nosniff',
    });
    expect(response.body).toBe(asset.body.toString('utf8'));
  });

  it('makes any other version revalidate, and answers 304 to a matching ETag', async () => {
    const other = await invoke({ v: '0.0.1' });
    expect(other.headers?.['cache-control']).toBe('public, no-cache');
    const bare = await invoke();
    expect(bare.headers?.['cache-control']).toBe('public, no-cache');
    const notModified = await invoke(
      { v: chartJsVersion },
      { 'if-none-match': asset.etag.replace('W/', '') },
    );
    expect(notModified.statusCode).toBe(304);
    expect(notModified.body).toBe('');
    expect(notModified.headers?.etag).toBe(asset.etag);
  });

  it('gzips for browsers that accept it', async () => {
    const response = await invoke({ v: chartJsVersion }, { 'accept-encoding': 'gzip, deflate, br' });
    expect(response.headers).toMatchObject({ 'content-encoding': 'gzip', vary: 'accept-encoding' });
    expect(response.isBase64Encoded).toBe(true);
    const body = gunzipSync(Buffer.from(response.body ?? '', 'base64'));
    expect(body.equals(asset.body)).toBe(true);
    expect(asset.gzipped.length).toBeLessThan(asset.body.length / 2);
  });

  it('reads Accept-Encoding like a browser means it', () => {
    expect(acceptsGzip(undefined)).toBe(false);
    expect(acceptsGzip('br')).toBe(false);
    expect(acceptsGzip('gzip')).toBe(true);
    expect(acceptsGzip('deflate, GZIP;q=0.5')).toBe(true);
    expect(acceptsGzip('gzip;q=0')).toBe(false);
    expect(acceptsGzip('*')).toBe(true);
  });

  it('is copied into its Lambda bundle, where the handler looks first', () => {
    const assets = topology.functions.find((f) => f.name === 'console-assets');
    expect(assets?.triggers).toEqual([
      { kind: 'http', method: 'GET', path: CHART_ASSET_PATH, auth: 'public' },
    ]);
    const copyFiles = assets?.copyFiles ?? [];
    expect(copyFiles).toEqual([{ from: `node_modules/chart.js/dist/${CHART_FILE}`, to: CHART_FILE }]);
    // What CDK runs after esbuild, with every path quoted for the shell.
    expect(copyFilesHooks(copyFiles).afterBundling('/repo', "/asset's")).toEqual([
      `cp '/repo/node_modules/chart.js/dist/${CHART_FILE}' '/asset'\\''s/${CHART_FILE}'`,
    ]);
  });
});
