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
import type { CaseState } from '../../shared/domain/case.ts';
import { Stage } from '../../shared/domain/case.ts';
import { canSee, StaffRequestAction } from '../../shared/domain/case-lifecycle.ts';
import { type Campaign, CampaignPlan } from '../../shared/domain/outreach/campaign.ts';
import {
  applyCampaignAction,
  checkPlan,
  editCampaign,
  mayPlanCampaigns,
  mayViewCampaigns,
  mayViewOutreachTasks,
  taskCommunityOf,
} from '../../shared/domain/outreach/campaign-lifecycle.ts';
import { OutreachBody, SenderSignature } from '../../shared/domain/outreach/outreach-message.ts';
import { Recurrence } from '../../shared/domain/outreach/recurrence.ts';
import { Role, staffFromClaims } from '../../shared/domain/staff.ts';
import { ValidationError } from '../../shared/errors.ts';
import { issuesOf } from '../../shared/validation.ts';
import {
  campaignFieldOf,
  campaignFieldPaths,
  campaignIssueHintOf,
  consoleSections,
} from '../../shared/web/console/console-config.ts';
import {
  actionFieldSpecs,
  CHART_ASSET_PATH,
  type ConsolePageInput,
  chartJsVersion,
  chartScriptUrl,
  renderConsolePage as renderWith,
} from '../../shared/web/console-page.ts';
import { type CampaignField, consoleText } from '../../shared/web/console-text.ts';
import { loadPageAssets, PAGE_GLOBAL } from '../../shared/web/page-assets.ts';
import { lambdaContext } from '../support/lambda-context.ts';

const silent = new Logger({ logLevel: 'SILENT' });

/** The console's app and stylesheet, built from shared/web/console/ as the local runtime does. */
const assets = loadPageAssets('console');
const renderConsolePage = (input: Omit<ConsolePageInput, 'assets'>) => renderWith({ ...input, assets });

const scriptsOf = (html: string): string[] =>
  [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1] ?? '');

const onlyScript = (html: string): string => {
  const scripts = scriptsOf(html);
  expect(scripts).toHaveLength(1);
  return scripts[0] ?? '';
};

/** The JSON the page hands its app: the argument of `civicloopPage.start(…)` after the bundle. */
function configOf(html: string): Record<string, unknown> {
  const script = onlyScript(html);
  const call = `\n${PAGE_GLOBAL}.start(`;
  const start = script.lastIndexOf(call);
  expect(start).toBeGreaterThan(0);
  expect(script.endsWith(');')).toBe(true);
  return JSON.parse(script.slice(start + call.length, script.length - 2));
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
    expect(html).toContain('href="/console?lang=zh" hreflang="zh-CN" lang="zh-CN">中文</a>');
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

  it('lets the photo bucket in for images and the evidence uploads only, and blob: for resizing', () => {
    const origin = 'https://b.s3.us-east-1.amazonaws.com';
    const { contentSecurityPolicy } = renderConsolePage({ lang: 'zh', photoOrigin: origin });
    expect(contentSecurityPolicy).toContain(`connect-src 'self' ${origin};`);
    expect(contentSecurityPolicy).toContain(`img-src 'self' data: blob: ${origin};`);
    expect(contentSecurityPolicy).toContain("script-src 'self' 'sha256-");
    expect(contentSecurityPolicy).not.toContain(`script-src 'self' ${origin}`);
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
    expect(script).toMatch(/["']\/api\/session["']/);
    expect(script).toContain('sessionStorage');
    // A staff action is sent with the version of the case it was chosen on (minified in the bundle).
    expect(script).toContain('expectedVersion:');
    expect(readFileSync('shared/web/console/browser/case-view.ts', 'utf8')).toContain(
      'const body: Record<string, string | number> = { action, expectedVersion: d.version };',
    );
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
    for (const option of StaffRequestAction.def.options) {
      for (const action of option.shape.action.def.values) {
        expect(consoleText.zh.actions[action]).toBeTruthy();
        expect(consoleText.en.actionHints[action]).toBeTruthy();
      }
    }
  });
});

describe('the campaign planner in the console', () => {
  // A case in the scope every demo claim below names, so only the role decides whether it is seen.
  const caseInScope: CaseState = {
    trackingCode: 'K7M2QX9PA',
    submissionId: '0b6f1c8e-5d4a-4e8b-9c61-2f1f4f3a9b10',
    stage: 'dispatched',
    version: 3,
    category: 'fraud',
    communityId: 'chengdong-kangning',
    townshipId: 'chengdong',
    unitId: 'psb-antifraud',
    routing: { kind: 'rule', ruleId: 'fraud-county' },
    channel: 'web',
    submittedAt: '2026-11-29T08:00:00.000Z',
    updatedAt: '2026-11-29T08:00:02.000Z',
    timeline: [{ stage: 'received', at: '2026-11-29T08:00:00.000Z', by: 'channel:web' }],
  };

  it('shows each role the tabs its permissions allow: the planner as the lifecycle says, cases to all but outreach staff, outreach tasks to grid workers', () => {
    for (const role of Role.options) {
      const staff = staffFromClaims({
        sub: `sub-${role}`,
        'custom:role': role,
        'custom:unitId': 'psb-antifraud',
        'custom:townshipId': 'chengdong',
        'custom:communityId': 'chengdong-kangning',
      });
      if (!staff) throw new Error(`no staff for ${role}`);
      const planner = mayPlanCampaigns(staff) ? 'plan' : mayViewCampaigns(staff) ? 'view' : 'none';
      // The tasks tab is for those whose outreach tasks are one community's; planners have the planner.
      const tasks = mayViewOutreachTasks(staff) && taskCommunityOf(staff) !== undefined;
      expect(consoleSections[role], role).toEqual({ cases: canSee(staff, caseInScope), planner, tasks });
    }
    expect(consoleSections.outreach_staff).toEqual({ cases: false, planner: 'plan', tasks: false });
    expect(consoleSections.grid_worker).toEqual({ cases: true, planner: 'none', tasks: true });
    expect(consoleSections.admin.planner).toBe('view');
    // The shell draws the planner's tabs hidden; the app shows them to those whose role allows it.
    const { html } = renderConsolePage({ lang: 'zh' });
    for (const [kind, name] of [
      ['risk', '风险排名'],
      ['calendar', '活动日历'],
      ['new_campaign', '新建活动'],
      ['tasks', '宣传任务'],
    ])
      expect(html).toContain(`<a class="tab" id="tab-${kind}" href="#/${kind}" hidden>${name}</a>`);
    expect(renderConsolePage({ lang: 'en' }).html).toContain(
      '<a class="tab" id="tab-tasks" href="#/tasks" hidden>Outreach tasks</a>',
    );
    expect(configOf(html).sections).toEqual(consoleSections);
  });

  it('puts every issue the campaign schema can raise next to a field of the form', () => {
    const bad: unknown[] = [
      {},
      {
        title: '',
        communityIds: ['a', 'a'],
        firstRunAt: '2026-12-01 10:00',
        recurrence: { frequency: 'daily' },
        channel: { kind: 'fax' },
      },
      {
        title: 'x',
        communityIds: [],
        firstRunAt: '2026-12-01T10:00',
        recurrence: { frequency: 'weekly', interval: 9, weekdays: [], count: 3, until: '2026-12-30' },
        channel: { kind: 'lecture', venue: '', durationMinutes: 1000 },
      },
      {
        title: 'x',
        communityIds: ['a'],
        firstRunAt: '2026-12-01T10:00',
        recurrence: { frequency: 'monthly', monthDay: 'middle', count: null, until: 'soon' },
        channel: { kind: 'video', venue: 'v', assignee: { role: 'chief', name: '', phone: '12' } },
      },
      { title: 'x', communityIds: ['a'], firstRunAt: '2026-12-01T10:00', channel: { kind: 'sms' } },
      {
        title: 'x',
        communityIds: ['a'],
        firstRunAt: '2026-12-01T10:00',
        channel: { kind: 'wecom_group', purpose: 'gossip', text: '' },
      },
      {
        title: 'x',
        communityIds: ['a'],
        firstRunAt: '2026-12-01T10:00',
        recurrence: 'weekly',
        channel: 'sms',
      },
    ];
    const fields = new Set<CampaignField>();
    for (const body of bad) {
      const result = CampaignPlan.safeParse(body);
      expect(result.success).toBe(false);
      for (const issue of result.success ? [] : issuesOf(result.error)) {
        const field = campaignFieldOf(issue.path);
        expect(field, `${issue.path}: ${issue.message}`).toBeDefined();
        if (field) fields.add(field);
      }
    }
    // Between them, those bodies get something wrong in every field the form has.
    expect([...fields].sort()).toEqual(Object.keys(campaignFieldPaths).sort());
    expect(campaignFieldOf('communityIds.3')).toBe('communities');
    expect(campaignFieldOf('recurrence.weekdays.0')).toBe('weekdays');
    expect(campaignFieldOf('channel.assignee.phone')).toBe('assigneePhone');
    expect(campaignFieldOf('channel.assignee')).toBe('assigneeName');
    expect(campaignFieldOf('')).toBeUndefined();
    expect(campaignFieldOf('expectedVersion')).toBeUndefined();
  });

  it('words the domain’s own refusals precisely: numbers, links, opt-out, brackets, quiet hours, dates', () => {
    const messages = (schema: typeof OutreachBody, value: string) => {
      const result = schema.safeParse(value);
      return result.success ? [] : result.error.issues.map((i) => i.message);
    };
    const hints = (field: CampaignField, found: string[]) => found.map((m) => campaignIssueHintOf(field, m));
    expect(hints('body', messages(OutreachBody, '可疑来电请拨打９６１１０核实。'))).toEqual([
      'antiFraudNumber',
    ]);
    expect(hints('body', messages(OutreachBody, '详情见 www.example.cn'))).toEqual(['link']);
    expect(hints('body', messages(OutreachBody, '谨防诈骗。拒收请回复R'))).toEqual(['optOut']);
    expect(hints('body', messages(OutreachBody, '【县反诈中心】谨防诈骗。'))).toEqual(['brackets']);
    expect(hints('signature', messages(SenderSignature, '【反诈】'))).toEqual(['brackets']);
    expect(hints('signature', messages(SenderSignature, '12381反诈'))).toEqual(['antiFraudNumber']);
    // A rule the page has no special words for falls back to the field's own rule.
    expect(hints('body', messages(OutreachBody, '   '))).toEqual([undefined]);

    const recurrence = Recurrence.safeParse({ frequency: 'weekly', count: 3, until: '2026-12-30' });
    expect(recurrence.success ? [] : issuesOf(recurrence.error)).toEqual([
      { path: 'count', message: expect.any(String) },
    ]);
    expect(
      recurrence.success
        ? []
        : issuesOf(recurrence.error).map((i) => campaignIssueHintOf('count', i.message)),
    ).toEqual(['countAndUntil']);

    const refusal = (f: () => unknown) => {
      try {
        f();
      } catch (error) {
        if (error instanceof ValidationError)
          return error.issues.map((i) => [
            campaignFieldOf(i.path),
            campaignIssueHintOf(campaignFieldOf(i.path) ?? 'title', i.message),
          ]);
      }
      return [];
    };
    const plan = (over: Partial<CampaignPlan>): CampaignPlan => ({
      title: '反诈宣传',
      communityIds: ['chengdong-kangning'],
      firstRunAt: '2026-12-01T10:00',
      recurrence: { frequency: 'once' },
      channel: { kind: 'sms', signature: '平遥反诈', body: '谨防诈骗。' },
      ...over,
    });
    expect(refusal(() => checkPlan(plan({ firstRunAt: '2026-12-01T22:30' })))).toEqual([
      ['firstRunAt', 'quietHours'],
    ]);
    // 1 December 2026 is a Tuesday.
    expect(
      refusal(() => checkPlan(plan({ recurrence: { frequency: 'weekly', interval: 1, weekdays: ['MO'] } }))),
    ).toEqual([['weekdays', 'weekdayMismatch']]);
    expect(
      refusal(() =>
        checkPlan(plan({ recurrence: { frequency: 'monthly', interval: 1, monthDay: 'last_day' } })),
      ),
    ).toEqual([['firstRunAt', 'lastDayMismatch']]);

    const draft: Campaign = {
      ...plan({}),
      campaignId: 'c-1',
      status: 'draft',
      version: 1,
      createdBy: { userId: 'u-1', name: '反诈宣传民警' },
      createdAt: '2026-11-20T02:00:00.000Z',
      updatedAt: '2026-11-20T02:00:00.000Z',
    };
    const later = new Date('2026-12-05T02:00:00.000Z');
    expect(
      refusal(() => applyCampaignAction(draft, { action: 'schedule', expectedVersion: 1 }, later)),
    ).toEqual([['firstRunAt', 'pastFirstRun']]);
    expect(refusal(() => editCampaign({ ...draft, status: 'scheduled' }, plan({}), later))).toEqual([
      ['firstRunAt', 'noOccurrenceLeft'],
    ]);
  });

  it('hands the app the field paths and the rules, and keeps the English page free of Chinese', () => {
    const config = configOf(renderConsolePage({ lang: 'en' }).html);
    expect(config.campaignFieldPaths).toEqual(campaignFieldPaths);
    expect(config).toMatchObject({ t: { planner: { statuses: { cancelled: 'Cancelled' } } } });
    const { html } = renderConsolePage({ lang: 'en' });
    expect(html).toContain('<h1 id="risk-title" tabindex="-1">Fraud risk ranking</h1>');
    expect(html.replaceAll('中文', '')).not.toMatch(/[\u4e00-\u9fff]/);
  });
});

/** Every key path of the wording, arrays by their length, so two languages can be compared. */
function keyPaths(value: unknown, prefix = ''): string[] {
  if (Array.isArray(value)) return [`${prefix}[${value.length}]`];
  if (typeof value !== 'object' || value === null) return [prefix];
  return Object.entries(value).flatMap(([key, inner]) => keyPaths(inner, prefix ? `${prefix}.${key}` : key));
}

describe('consoleText', () => {
  it('says everything in both languages: the same keys at every depth, even where a type is widened', () => {
    expect(keyPaths(consoleText.en).sort()).toEqual(keyPaths(consoleText.zh).sort());
  });
});

describe('actionFieldSpecs', () => {
  it('asks for exactly the fields each transition validates, marking the required ones', () => {
    const specs = actionFieldSpecs();
    expect(Object.keys(specs).sort()).toEqual(
      StaffRequestAction.def.options.flatMap((o) => o.shape.action.def.values).sort(),
    );
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
    // The category correction (issue 14) has its form too: a category, and a note if wanted.
    expect(specs.recategorise).toEqual([
      { name: 'category', required: true },
      { name: 'note', required: false },
    ]);
  });
});

describe('GET /console (functions/console-page.ts)', () => {
  const handler = makePageHandler({ logger: silent, assets });

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
    // The photo bucket by name only (no access), for the CSP's img-src: case photos.
    expect(page?.bindings).toEqual([{ kind: 'bucket', bucket: 'photos', access: [], env: 'PHOTOS_BUCKET' }]);
    // CDK builds the app and its stylesheet beside the bundle (shared/web/page-assets.ts).
    expect(page?.pageAssets).toEqual(['console']);
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
