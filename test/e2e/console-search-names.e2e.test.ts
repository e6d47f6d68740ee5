/**
 * The staff console's search, staff names, category correction and outreach explanations, in a
 * desk browser against the local runtime (issue 13 items 2–4 and 6, issue 14 item 1): a tracking
 * code typed any way opens its case, words find a case in the searcher's scope and nothing outside
 * it, a phone search by a role that may not call residents is refused in words; the history names
 * who acted with their own unit; the resolve form says its note is public; a township centre's
 * dispatcher moves a case by correcting its category; the risk ranking says why, with its numbers;
 * the classifier's reasons for an SMS report sit beside the correction; the language switch always
 * names the language.
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { demoOrganisation } from '../../infra/demo/demo-organisation.ts';
import { createDocumentClient } from '../../shared/adapters/aws-clients.ts';
import { DynamoDbFraudReports } from '../../shared/adapters/dynamodb-fraud-reports.ts';
import { shanghaiDay } from '../../shared/domain/outreach/shanghai-time.ts';
import { consoleText } from '../../shared/web/console-text.ts';
import { browserSession } from '../support/browser-session.ts';
import { signInOnConsolePage } from '../support/console-sign-in.ts';
import { eventually, type StaffApi, staffApi } from '../support/staff-api.ts';

const t = consoleText.zh;
const fill = (template: string, values: Record<string, string | number>): string =>
  template.replace(/\{(\w+)\}/g, (m, k: string) => (values[k] === undefined ? m : String(values[k])));

const SearchAnswer = z.object({ cases: z.array(z.object({ id: z.string() })) });
const RiskAnswer = z.object({
  communities: z.array(
    z.object({
      communityId: z.string(),
      reasons: z.array(z.object({ code: z.string() }).catchall(z.union([z.number(), z.string(), z.null()]))),
    }),
  ),
});

const session = browserSession({ deviceScaleFactor: 1 });
const { newPage } = session;
let api: StaffApi | undefined;
let ledger: DynamoDbFraudReports | undefined;

function started() {
  if (!api || !ledger) throw new Error('the runtime or the browser did not start');
  return { ...session.started(), api, ledger };
}

async function signIn(page: Page, username: string, path = '/console'): Promise<void> {
  await page.goto(`${started().runtime.url}${path}`);
  await signInOnConsolePage(page, username);
}

async function signOut(page: Page): Promise<void> {
  await page.click('#sign-out');
  await page.locator('#sign-in-view').waitFor({ state: 'visible' });
}

async function search(page: Page, q: string): Promise<void> {
  await page.fill('#search-q', q);
  await page.press('#search-q', 'Enter');
}

const unitZh = (id: string): string => {
  const unit = demoOrganisation.units.find((u) => u.id === id);
  if (!unit) throw new Error(`no unit ${id}`);
  return unit.zh;
};

const roadReport = (description: string) => ({
  category: 'road',
  communityId: 'dongquan-weijiazhuang',
  description,
  contactPhone: '13700004444',
});

/** Until the case's search postings are written (after the delivery, off the report path). */
async function searchable(words: string, id: string): Promise<void> {
  await eventually(
    `case ${id} found by "${words}"`,
    async () => {
      const answer = await started().api.request(`/api/cases/search?q=${encodeURIComponent(words)}`, {
        user: 'supervisor',
      });
      return answer.status === 200 && SearchAnswer.parse(answer.body).cases.some((c) => c.id === id)
        ? true
        : undefined;
    },
    { attempts: 200, everyMs: 100 },
  );
}

describe('search, names and category correction in the staff console', () => {
  beforeAll(async () => {
    const { runtime } = session.started();
    api = staffApi(runtime);
    await api.signIn(['supervisor', 'outreach.police']);
    ledger = new DynamoDbFraudReports(
      createDocumentClient(runtime.dynamoClient),
      runtime.resources.tables.stats ?? '',
    );
  }, 120_000);

  it('opens a case from its code typed in lower case with spaces, finds it by words in scope only, and refuses a phone search in words', async () => {
    const words = '排水沟盖板';
    const { id, receipt } = await started().api.dispatchedCase(
      roadReport(`魏家庄北头的${words}丢了，晚上有人踩空摔伤。`),
    );
    await searchable(words, id);

    const page = await newPage();
    await signIn(page, 'handler.transport');
    expect(await page.isVisible('#search-form')).toBe(true);
    await search(page, receipt.trackingCode.toLowerCase().replaceAll('-', ' '));
    await expect.poll(() => page.textContent('#case-code').catch(() => null)).toBe(receipt.trackingCode);
    expect(page.url()).toContain(`#/case/${id}`);

    await search(page, words);
    const row = page.locator(`#search-table tr[data-id="${id}"]`);
    await row.waitFor({ state: 'visible' });
    expect(page.url()).toContain(`#/search/${encodeURIComponent(words)}`);
    expect(await page.textContent('#search-title')).toBe(fill(t.search.heading, { q: words }));
    expect(await row.textContent()).toContain('县交通运输局');
    await page.screenshot({ path: '/tmp/console-search.png', fullPage: true });
    // A row opens its case, whose back link returns to the search.
    await row.locator('.code a').click();
    await page.locator('#case-title').waitFor({ state: 'visible' });
    expect(await page.getAttribute('#case-view .back', 'href')).toBe(`#/search/${encodeURIComponent(words)}`);
    await signOut(page);

    // The anti-fraud centre's handler: the case is not theirs, so it is not there at all.
    await signIn(page, 'handler.antifraud');
    await search(page, words);
    const empty = page.locator('#search-empty');
    await empty.waitFor({ state: 'visible' });
    expect(await empty.textContent()).toBe(fill(t.search.noResults, { q: words }));
    expect(await page.locator('#search-table').count()).toBe(0);
    await signOut(page);

    // An admin never sees phones, so the API refuses a search by phone digits (403) and the page says so.
    await signIn(page, 'admin');
    await search(page, '4444');
    const alert = page.locator('#search-alert');
    await alert.waitFor({ state: 'visible' });
    expect(await alert.textContent()).toContain(t.search.phoneForbidden);
    expect(await alert.locator('.alert-detail').textContent()).toMatch(/phone/);
  }, 120_000);

  it('names who acted by name and own unit, labels the resolve note as public, and moves a case by correcting its category', async () => {
    const { id } = await started().api.dispatchedCase(
      roadReport('魏家庄南口垃圾堆了半个月没人清运，气味很大。'),
    );
    const page = await newPage();
    await signIn(page, 'handler.transport', `/console#/case/${id}`);
    await page.click('#case-actions button[data-action="accept"]');
    await page.click('#action-submit');
    await page.locator('#case-notice').waitFor({ state: 'visible' });
    // The resolve note goes to the resident's status page, and the form says so.
    await page.click('#case-actions button[data-action="resolve"]');
    expect(await page.textContent('label[for="action-note"]')).toBe(
      `${t.publicNoteLabels.resolve}${t.required}`,
    );
    // Not this unit's after all (rubbish, not the road): a handler cannot correct the category.
    expect(await page.locator('#case-actions button[data-action="recategorise"]').count()).toBe(0);
    await signOut(page);

    await signIn(page, 'dispatcher.dongquan', `/console#/case/${id}`);
    const accepted = page.locator('#case-timeline li[data-action="accept"] .tl-actor');
    await accepted.waitFor({ state: 'visible' });
    expect(await accepted.textContent()).toBe('交通运输局办理员（县交通运输局）');
    // No raw ids in the history: staff by name, the rest by what they are.
    expect(await page.textContent('#case-timeline')).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}/);

    await page.click('#case-actions button[data-action="recategorise"]');
    const options = await page.$$eval('#action-category option', (o) =>
      o.map((x) => x.getAttribute('value')),
    );
    expect(options).toContain('sanitation');
    expect(options).not.toContain('road');
    await page.selectOption('#action-category', 'sanitation');
    await page.fill('#action-note', '反映的是垃圾清运，不是道路问题。');
    await page.click('#action-submit');
    const notice = page.locator('#case-notice');
    await notice.waitFor({ state: 'visible' });
    expect(await notice.textContent()).toBe(fill(t.done, { action: t.actions.recategorise }));
    // The routing rules give sanitation to urban management: the case went to its queue.
    const details = (await page.textContent('#case-view .area-info')) ?? '';
    expect(details).toContain('环境卫生');
    expect(details).toContain(unitZh('urban-management'));
    expect(await page.textContent('.case-head .badge')).toBe(t.stages.dispatched);
    const corrected = page.locator('#case-timeline li[data-action="recategorise"]');
    expect(await corrected.locator('.tl-actor').textContent()).toBe(
      `东泉镇综治中心调度员（${unitZh('centre-dongquan')}）`,
    );
    expect(await corrected.locator('.tl-category').textContent()).toBe(
      fill(t.timelineCategory, { category: '环境卫生' }),
    );
    expect(await corrected.locator('.tl-unit').textContent()).toContain(unitZh('urban-management'));
    const now = await started().api.current(id);
    expect(now.unitId).toBe('urban-management');
    await page.screenshot({ path: '/tmp/console-recategorised.png', fullPage: true });
  }, 120_000);

  it('explains each community of the risk ranking with the numbers it was judged on', async () => {
    const community = 'chengdong-kangning';
    const today = shanghaiDay(new Date());
    for (let i = 0; i < 3; i++) await started().ledger.record(community, today, `E2ESEARCH${i}`);
    const answer = await started().api.request('/api/outreach/risk', { user: 'outreach.police' });
    expect(answer.status).toBe(200);
    const row = RiskAnswer.parse(answer.body).communities.find((c) => c.communityId === community);
    const expected = (row?.reasons ?? []).map((r) => r.code);
    expect(expected.length).toBeGreaterThan(0);

    const page = await newPage();
    await signIn(page, 'outreach.police');
    const reasons = page.locator(`#risk-table tr[data-community="${community}"] .risk-reasons li`);
    await reasons.first().waitFor({ state: 'visible' });
    expect(await reasons.evaluateAll((items) => items.map((li) => li.getAttribute('data-code')))).toEqual(
      expected,
    );
    // Three reports in the last days and none before: rising from nothing, in words and numbers.
    expect(expected).toContain('rising');
    expect(await reasons.allTextContents()).toContain(
      fill(t.planner.reasonTexts.rising_from_none, { recent: 3 }),
    );
    // A community without reports says so, with the window.
    await page.screenshot({ path: '/tmp/console-risk-reasons.png', fullPage: false });
    const quiet = page.locator('#risk-table .risk-reasons li[data-code="no_reports"]').first();
    expect(await quiet.textContent()).toBe(fill(t.planner.reasonTexts.no_reports, { days: 90 }));
  }, 120_000);

  it('shows why the classifier chose an SMS report’s category, with the correction one click away', async () => {
    const { runtime, api } = started();
    const phone = '13811117777';
    const pushed = await fetch(
      `${runtime.url}/api/sms/inbound/aliyun/${runtime.secrets.value('smsGatewaySecret')}`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify([
          {
            phone_number: phone,
            content: '康宁社区，有人冒充公安打电话，让我把钱转账到安全账户',
            send_time: '2026-12-06 10:30:00',
            dest_code: '1069',
            sequence_id: 7_770_001,
          },
        ]),
      },
    );
    expect(pushed.status).toBe(200);
    // The county centre finds it by the whole number once it is dispatched and indexed.
    const id = await eventually(
      'the SMS report indexed',
      async () => {
        const answer = await api.request(`/api/cases/search?q=${phone}`, { user: 'supervisor' });
        return answer.status === 200 ? SearchAnswer.parse(answer.body).cases[0]?.id : undefined;
      },
      { attempts: 200, everyMs: 100 },
    );

    const page = await newPage();
    await signIn(page, 'dispatcher.chengdong', `/console#/case/${id}`);
    const section = page.locator('#case-classification');
    await section.waitFor({ state: 'visible' });
    expect(await section.locator('h3').textContent()).toBe(t.classification.heading);
    expect(await page.textContent('#case-keywords')).toContain('电信网络诈骗');
    await page.click('#classification-correct');
    await page.locator('#action-form[data-action="recategorise"]').waitFor({ state: 'visible' });
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('action-category');
    await page.screenshot({ path: '/tmp/console-classification.png', fullPage: true });
  }, 120_000);

  it('links the language switch to the other language by name, both ways', async () => {
    const page = await newPage({ locale: 'en-GB' });
    await page.goto(`${started().runtime.url}/console?lang=en`);
    await page.locator('#sign-in-view').waitFor({ state: 'visible' });
    expect(await page.getAttribute('#lang-switch', 'href')).toBe('/console?lang=zh');
    await page.click('#lang-switch');
    await page.locator('#sign-in-view').waitFor({ state: 'visible' });
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    expect(await page.getAttribute('#lang-switch', 'href')).toBe('/console?lang=en');
  }, 60_000);
});
