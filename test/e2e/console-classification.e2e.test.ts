/**
 * The dispatcher sees why (issue 14 item 6), in a desk browser against the local runtime with a
 * trained classifier model in use: a texted report's case shows its township dispatcher the panel
 * 分类依据 — the category and how it was decided, the keywords with their categories, the model's
 * confidence and the words that counted — and its button opens the category correction, which
 * moves the case in one more click. An admin, who may not correct categories, sees no panel.
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { consoleText } from '../../shared/web/console-text.ts';
import { browserSession } from '../support/browser-session.ts';
import { activateTrainedModel } from '../support/classifier-model.ts';
import { signInOnConsolePage } from '../support/console-sign-in.ts';
import { textReport } from '../support/sms-report.ts';
import { eventually, type StaffApi, staffApi } from '../support/staff-api.ts';

const t = consoleText.zh;
const fill = (template: string, values: Record<string, string | number>): string =>
  template.replace(/\{(\w+)\}/g, (m, k: string) => (values[k] === undefined ? m : String(values[k])));

const TEXT = '魏家庄村东头的路灯坏了一个多礼拜，晚上走路看不见';

const session = browserSession({ deviceScaleFactor: 1 });
const { newPage } = session;
let api: StaffApi | undefined;

function started() {
  if (!api) throw new Error('the runtime or the browser did not start');
  return { ...session.started(), api };
}

async function signIn(page: Page, username: string, path: string): Promise<void> {
  await page.goto(`${started().runtime.url}${path}`);
  await signInOnConsolePage(page, username);
}

describe('why this category, in the staff console', () => {
  beforeAll(async () => {
    const { runtime } = session.started();
    await activateTrainedModel(runtime);
    api = staffApi(runtime);
    await api.signIn(['supervisor']);
  }, 120_000);

  it('shows the township dispatcher the keywords, the model and the words that counted, and corrects the category from there', async () => {
    const id = (await textReport(started().runtime, '+8613900001515', TEXT)).replaceAll('-', '');
    await eventually('the case', async () =>
      (await started().api.request(`/api/cases/${id}`, { user: 'supervisor' })).status === 200
        ? true
        : undefined,
    );

    const page = await newPage();
    await signIn(page, 'dispatcher.dongquan', `/console#/case/${id}`);
    const panel = page.locator('#case-classification');
    await panel.waitFor({ state: 'visible' });
    expect(await panel.locator('h3').textContent()).toBe(t.classification.heading);
    expect(await page.textContent('#case-classified')).toBe(
      `道路交通与路灯 · ${t.classification.methods.both}`,
    );
    expect(await page.textContent('#case-keywords')).toContain(
      fill(t.classification.keyword, { keyword: '路灯', category: '道路交通与路灯' }),
    );
    const model = (await page.textContent('#case-model')) ?? '';
    expect(model).toMatch(/^道路交通与路灯，把握 \d+%/u);
    const features = ((await page.textContent('#case-features')) ?? '').split(t.listSeparator);
    expect(features.length).toBeGreaterThan(0);
    for (const feature of features) expect(TEXT).toContain(feature);
    await page.screenshot({ path: '/tmp/console-classification.png', fullPage: true });

    // One click opens the correction, its category select focused; choosing and confirming moves the case.
    await page.click('#classification-correct');
    await page.locator('#action-form[data-action="recategorise"]').waitFor({ state: 'visible' });
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('action-category');
    await page.selectOption('#action-category', 'sanitation');
    await page.click('#action-submit');
    const notice = page.locator('#case-notice');
    await notice.waitFor({ state: 'visible' });
    expect(await notice.textContent()).toBe(fill(t.done, { action: t.actions.recategorise }));
    expect(await page.textContent('#case-view .area-info')).toContain('环境卫生');
    const now = await started().api.current(id);
    expect(now.unitId).toBe('urban-management');
    // The explanation stays as it was at intake: it says why the classifier chose, not what the case is now.
    expect(await page.textContent('#case-classified')).toContain('道路交通与路灯');

    // An admin sees the case but may not correct its category: no panel, no explanation.
    const adminPage = await newPage();
    await signIn(adminPage, 'admin', `/console#/case/${id}`);
    await adminPage.locator('#case-title').waitFor({ state: 'visible' });
    expect(await adminPage.locator('#case-classification').count()).toBe(0);
  }, 120_000);
});
